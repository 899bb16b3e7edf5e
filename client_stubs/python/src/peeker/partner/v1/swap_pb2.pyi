import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from peeker.partner.v1 import order_pb2 as _order_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class SwapType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SWAP_TYPE_UNSPECIFIED: _ClassVar[SwapType]
    SWAP_TYPE_STANDARD: _ClassVar[SwapType]
    SWAP_TYPE_PREMIUM: _ClassVar[SwapType]
    SWAP_TYPE_USER_NAMES: _ClassVar[SwapType]

class SwapStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    SWAP_STATUS_UNSPECIFIED: _ClassVar[SwapStatus]
    SWAP_STATUS_CREATED: _ClassVar[SwapStatus]
    SWAP_STATUS_IN_PROGRESS: _ClassVar[SwapStatus]
    SWAP_STATUS_COMPLETED: _ClassVar[SwapStatus]
    SWAP_STATUS_FAILED: _ClassVar[SwapStatus]
    SWAP_STATUS_ACTION_REQUIRED: _ClassVar[SwapStatus]
SWAP_TYPE_UNSPECIFIED: SwapType
SWAP_TYPE_STANDARD: SwapType
SWAP_TYPE_PREMIUM: SwapType
SWAP_TYPE_USER_NAMES: SwapType
SWAP_STATUS_UNSPECIFIED: SwapStatus
SWAP_STATUS_CREATED: SwapStatus
SWAP_STATUS_IN_PROGRESS: SwapStatus
SWAP_STATUS_COMPLETED: SwapStatus
SWAP_STATUS_FAILED: SwapStatus
SWAP_STATUS_ACTION_REQUIRED: SwapStatus

class DomainSwap(_message.Message):
    __slots__ = ("id", "type", "domain_id", "replacement_domain", "status", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_ID_FIELD_NUMBER: _ClassVar[int]
    REPLACEMENT_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: SwapType
    domain_id: str
    replacement_domain: str
    status: SwapStatus
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., type: _Optional[_Union[SwapType, str]] = ..., domain_id: _Optional[str] = ..., replacement_domain: _Optional[str] = ..., status: _Optional[_Union[SwapStatus, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class CreateSwapRequest(_message.Message):
    __slots__ = ("type", "domain_id", "replacement_domain", "request_id")
    TYPE_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_ID_FIELD_NUMBER: _ClassVar[int]
    REPLACEMENT_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    type: SwapType
    domain_id: str
    replacement_domain: str
    request_id: str
    def __init__(self, type: _Optional[_Union[SwapType, str]] = ..., domain_id: _Optional[str] = ..., replacement_domain: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateSwapResponse(_message.Message):
    __slots__ = ("swap",)
    SWAP_FIELD_NUMBER: _ClassVar[int]
    swap: DomainSwap
    def __init__(self, swap: _Optional[_Union[DomainSwap, _Mapping]] = ...) -> None: ...

class ListSwapsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "user_id", "order_id", "domain_id", "status")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    user_id: str
    order_id: str
    domain_id: str
    status: SwapStatus
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., user_id: _Optional[str] = ..., order_id: _Optional[str] = ..., domain_id: _Optional[str] = ..., status: _Optional[_Union[SwapStatus, str]] = ...) -> None: ...

class ListSwapsResponse(_message.Message):
    __slots__ = ("swaps", "next_page_token")
    SWAPS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    swaps: _containers.RepeatedCompositeFieldContainer[DomainSwap]
    next_page_token: str
    def __init__(self, swaps: _Optional[_Iterable[_Union[DomainSwap, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetSwapRequest(_message.Message):
    __slots__ = ("swap_id",)
    SWAP_ID_FIELD_NUMBER: _ClassVar[int]
    swap_id: str
    def __init__(self, swap_id: _Optional[str] = ...) -> None: ...

class GetSwapResponse(_message.Message):
    __slots__ = ("swap",)
    SWAP_FIELD_NUMBER: _ClassVar[int]
    swap: DomainSwap
    def __init__(self, swap: _Optional[_Union[DomainSwap, _Mapping]] = ...) -> None: ...

class CreateUserNameSwapRequest(_message.Message):
    __slots__ = ("domain_id", "personas", "request_id")
    DOMAIN_ID_FIELD_NUMBER: _ClassVar[int]
    PERSONAS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    domain_id: str
    personas: _containers.RepeatedCompositeFieldContainer[_order_pb2.Persona]
    request_id: str
    def __init__(self, domain_id: _Optional[str] = ..., personas: _Optional[_Iterable[_Union[_order_pb2.Persona, _Mapping]]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateUserNameSwapResponse(_message.Message):
    __slots__ = ("swaps",)
    SWAPS_FIELD_NUMBER: _ClassVar[int]
    swaps: _containers.RepeatedCompositeFieldContainer[DomainSwap]
    def __init__(self, swaps: _Optional[_Iterable[_Union[DomainSwap, _Mapping]]] = ...) -> None: ...
