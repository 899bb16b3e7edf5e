import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SequencerProvider(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SEQUENCER_PROVIDER_UNSPECIFIED: _ClassVar[SequencerProvider]
    SEQUENCER_PROVIDER_SMARTLEAD: _ClassVar[SequencerProvider]

class OrderStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ORDER_STATUS_UNSPECIFIED: _ClassVar[OrderStatus]
    ORDER_STATUS_IN_PROGRESS: _ClassVar[OrderStatus]
    ORDER_STATUS_COMPLETED: _ClassVar[OrderStatus]
    ORDER_STATUS_FAILED: _ClassVar[OrderStatus]
    ORDER_STATUS_ACTION_REQUIRED: _ClassVar[OrderStatus]
    ORDER_STATUS_CANCEL_SCHEDULED: _ClassVar[OrderStatus]
    ORDER_STATUS_CANCELLED: _ClassVar[OrderStatus]

class LineItemType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    LINE_ITEM_TYPE_UNSPECIFIED: _ClassVar[LineItemType]
    LINE_ITEM_TYPE_GOOGLE_LICENSE: _ClassVar[LineItemType]
    LINE_ITEM_TYPE_MICROSOFT_LICENSE: _ClassVar[LineItemType]
    LINE_ITEM_TYPE_DOMAIN_REGISTRATION: _ClassVar[LineItemType]

class PendingActionType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PENDING_ACTION_TYPE_UNSPECIFIED: _ClassVar[PendingActionType]
    PENDING_ACTION_TYPE_GOOGLE_PROFILE_PICTURE: _ClassVar[PendingActionType]

class PendingActionStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    PENDING_ACTION_STATUS_UNSPECIFIED: _ClassVar[PendingActionStatus]
    PENDING_ACTION_STATUS_OPEN: _ClassVar[PendingActionStatus]
    PENDING_ACTION_STATUS_RESOLVED: _ClassVar[PendingActionStatus]
SEQUENCER_PROVIDER_UNSPECIFIED: SequencerProvider
SEQUENCER_PROVIDER_SMARTLEAD: SequencerProvider
ORDER_STATUS_UNSPECIFIED: OrderStatus
ORDER_STATUS_IN_PROGRESS: OrderStatus
ORDER_STATUS_COMPLETED: OrderStatus
ORDER_STATUS_FAILED: OrderStatus
ORDER_STATUS_ACTION_REQUIRED: OrderStatus
ORDER_STATUS_CANCEL_SCHEDULED: OrderStatus
ORDER_STATUS_CANCELLED: OrderStatus
LINE_ITEM_TYPE_UNSPECIFIED: LineItemType
LINE_ITEM_TYPE_GOOGLE_LICENSE: LineItemType
LINE_ITEM_TYPE_MICROSOFT_LICENSE: LineItemType
LINE_ITEM_TYPE_DOMAIN_REGISTRATION: LineItemType
PENDING_ACTION_TYPE_UNSPECIFIED: PendingActionType
PENDING_ACTION_TYPE_GOOGLE_PROFILE_PICTURE: PendingActionType
PENDING_ACTION_STATUS_UNSPECIFIED: PendingActionStatus
PENDING_ACTION_STATUS_OPEN: PendingActionStatus
PENDING_ACTION_STATUS_RESOLVED: PendingActionStatus

class PlaceOrderRequest(_message.Message):
    __slots__ = ("user", "bundle_id", "custom", "sequencer", "forwarding_url", "domains", "personas", "request_id")
    USER_FIELD_NUMBER: _ClassVar[int]
    BUNDLE_ID_FIELD_NUMBER: _ClassVar[int]
    CUSTOM_FIELD_NUMBER: _ClassVar[int]
    SEQUENCER_FIELD_NUMBER: _ClassVar[int]
    FORWARDING_URL_FIELD_NUMBER: _ClassVar[int]
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    PERSONAS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    user: str
    bundle_id: str
    custom: CustomPlan
    sequencer: Sequencer
    forwarding_url: str
    domains: _containers.RepeatedCompositeFieldContainer[OrderDomain]
    personas: _containers.RepeatedCompositeFieldContainer[Persona]
    request_id: str
    def __init__(self, user: _Optional[str] = ..., bundle_id: _Optional[str] = ..., custom: _Optional[_Union[CustomPlan, _Mapping]] = ..., sequencer: _Optional[_Union[Sequencer, _Mapping]] = ..., forwarding_url: _Optional[str] = ..., domains: _Optional[_Iterable[_Union[OrderDomain, _Mapping]]] = ..., personas: _Optional[_Iterable[_Union[Persona, _Mapping]]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CustomPlan(_message.Message):
    __slots__ = ("google_licenses", "microsoft_licenses")
    GOOGLE_LICENSES_FIELD_NUMBER: _ClassVar[int]
    MICROSOFT_LICENSES_FIELD_NUMBER: _ClassVar[int]
    google_licenses: int
    microsoft_licenses: int
    def __init__(self, google_licenses: _Optional[int] = ..., microsoft_licenses: _Optional[int] = ...) -> None: ...

class Sequencer(_message.Message):
    __slots__ = ("provider", "client_id", "login_email", "login_password")
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    CLIENT_ID_FIELD_NUMBER: _ClassVar[int]
    LOGIN_EMAIL_FIELD_NUMBER: _ClassVar[int]
    LOGIN_PASSWORD_FIELD_NUMBER: _ClassVar[int]
    provider: SequencerProvider
    client_id: int
    login_email: str
    login_password: str
    def __init__(self, provider: _Optional[_Union[SequencerProvider, str]] = ..., client_id: _Optional[int] = ..., login_email: _Optional[str] = ..., login_password: _Optional[str] = ...) -> None: ...

class OrderDomain(_message.Message):
    __slots__ = ("domain", "forwarding_url")
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    FORWARDING_URL_FIELD_NUMBER: _ClassVar[int]
    domain: str
    forwarding_url: str
    def __init__(self, domain: _Optional[str] = ..., forwarding_url: _Optional[str] = ...) -> None: ...

class Persona(_message.Message):
    __slots__ = ("first_name", "last_name", "profile_picture_url")
    FIRST_NAME_FIELD_NUMBER: _ClassVar[int]
    LAST_NAME_FIELD_NUMBER: _ClassVar[int]
    PROFILE_PICTURE_URL_FIELD_NUMBER: _ClassVar[int]
    first_name: str
    last_name: str
    profile_picture_url: str
    def __init__(self, first_name: _Optional[str] = ..., last_name: _Optional[str] = ..., profile_picture_url: _Optional[str] = ...) -> None: ...

class PlaceOrderResponse(_message.Message):
    __slots__ = ("order",)
    ORDER_FIELD_NUMBER: _ClassVar[int]
    order: Order
    def __init__(self, order: _Optional[_Union[Order, _Mapping]] = ...) -> None: ...

class Order(_message.Message):
    __slots__ = ("id", "user_id", "email", "bundle_id", "status", "domain_count", "costs", "renews_at", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    EMAIL_FIELD_NUMBER: _ClassVar[int]
    BUNDLE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_COUNT_FIELD_NUMBER: _ClassVar[int]
    COSTS_FIELD_NUMBER: _ClassVar[int]
    RENEWS_AT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    user_id: str
    email: str
    bundle_id: str
    status: OrderStatus
    domain_count: int
    costs: OrderCosts
    renews_at: _timestamp_pb2.Timestamp
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., user_id: _Optional[str] = ..., email: _Optional[str] = ..., bundle_id: _Optional[str] = ..., status: _Optional[_Union[OrderStatus, str]] = ..., domain_count: _Optional[int] = ..., costs: _Optional[_Union[OrderCosts, _Mapping]] = ..., renews_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class OrderCosts(_message.Message):
    __slots__ = ("total_cents", "currency", "line_items")
    TOTAL_CENTS_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    LINE_ITEMS_FIELD_NUMBER: _ClassVar[int]
    total_cents: int
    currency: str
    line_items: _containers.RepeatedCompositeFieldContainer[OrderLineItem]
    def __init__(self, total_cents: _Optional[int] = ..., currency: _Optional[str] = ..., line_items: _Optional[_Iterable[_Union[OrderLineItem, _Mapping]]] = ...) -> None: ...

class OrderLineItem(_message.Message):
    __slots__ = ("type", "quantity", "amount_cents")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    QUANTITY_FIELD_NUMBER: _ClassVar[int]
    AMOUNT_CENTS_FIELD_NUMBER: _ClassVar[int]
    type: LineItemType
    quantity: int
    amount_cents: int
    def __init__(self, type: _Optional[_Union[LineItemType, str]] = ..., quantity: _Optional[int] = ..., amount_cents: _Optional[int] = ...) -> None: ...

class ListOrdersRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "user_id", "user_email", "bundle_id", "status")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    BUNDLE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    user_id: str
    user_email: str
    bundle_id: str
    status: OrderStatus
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., user_id: _Optional[str] = ..., user_email: _Optional[str] = ..., bundle_id: _Optional[str] = ..., status: _Optional[_Union[OrderStatus, str]] = ...) -> None: ...

class ListOrdersResponse(_message.Message):
    __slots__ = ("orders", "next_page_token")
    ORDERS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    orders: _containers.RepeatedCompositeFieldContainer[Order]
    next_page_token: str
    def __init__(self, orders: _Optional[_Iterable[_Union[Order, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class ListPendingActionsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "order_id", "user", "domain_id", "status")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    order_id: str
    user: str
    domain_id: str
    status: PendingActionStatus
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., order_id: _Optional[str] = ..., user: _Optional[str] = ..., domain_id: _Optional[str] = ..., status: _Optional[_Union[PendingActionStatus, str]] = ...) -> None: ...

class ListPendingActionsResponse(_message.Message):
    __slots__ = ("pending_actions", "next_page_token")
    PENDING_ACTIONS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    pending_actions: _containers.RepeatedCompositeFieldContainer[PendingAction]
    next_page_token: str
    def __init__(self, pending_actions: _Optional[_Iterable[_Union[PendingAction, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class PendingAction(_message.Message):
    __slots__ = ("id", "type", "reason", "status", "domain_id", "domain", "user", "message", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: PendingActionType
    reason: str
    status: PendingActionStatus
    domain_id: str
    domain: str
    user: Persona
    message: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., type: _Optional[_Union[PendingActionType, str]] = ..., reason: _Optional[str] = ..., status: _Optional[_Union[PendingActionStatus, str]] = ..., domain_id: _Optional[str] = ..., domain: _Optional[str] = ..., user: _Optional[_Union[Persona, _Mapping]] = ..., message: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CancelOrderRequest(_message.Message):
    __slots__ = ("order_id", "domains", "request_id")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    domains: _containers.RepeatedScalarFieldContainer[str]
    request_id: str
    def __init__(self, order_id: _Optional[str] = ..., domains: _Optional[_Iterable[str]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CancelOrderResponse(_message.Message):
    __slots__ = ("cancellation",)
    CANCELLATION_FIELD_NUMBER: _ClassVar[int]
    cancellation: OrderCancellation
    def __init__(self, cancellation: _Optional[_Union[OrderCancellation, _Mapping]] = ...) -> None: ...

class OrderCancellation(_message.Message):
    __slots__ = ("order_id", "status", "cancellation_scheduled_at", "cancels_at", "domains")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CANCELLATION_SCHEDULED_AT_FIELD_NUMBER: _ClassVar[int]
    CANCELS_AT_FIELD_NUMBER: _ClassVar[int]
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    status: OrderStatus
    cancellation_scheduled_at: _timestamp_pb2.Timestamp
    cancels_at: _timestamp_pb2.Timestamp
    domains: _containers.RepeatedCompositeFieldContainer[CancelledDomain]
    def __init__(self, order_id: _Optional[str] = ..., status: _Optional[_Union[OrderStatus, str]] = ..., cancellation_scheduled_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cancels_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., domains: _Optional[_Iterable[_Union[CancelledDomain, _Mapping]]] = ...) -> None: ...

class CancelledDomain(_message.Message):
    __slots__ = ("id", "domain")
    ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    id: str
    domain: str
    def __init__(self, id: _Optional[str] = ..., domain: _Optional[str] = ...) -> None: ...
