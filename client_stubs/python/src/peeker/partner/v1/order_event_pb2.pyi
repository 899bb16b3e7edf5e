import datetime

from google.protobuf import struct_pb2 as _struct_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from peeker.partner.v1 import common_pb2 as _common_pb2
from peeker.partner.v1 import order_pb2 as _order_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class StreamOrderEventsRequest(_message.Message):
    __slots__ = ("order_ids", "user", "event_types", "environment", "resume_after")
    ORDER_IDS_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    EVENT_TYPES_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    RESUME_AFTER_FIELD_NUMBER: _ClassVar[int]
    order_ids: _containers.RepeatedScalarFieldContainer[str]
    user: str
    event_types: _containers.RepeatedScalarFieldContainer[str]
    environment: _common_pb2.Environment
    resume_after: str
    def __init__(self, order_ids: _Optional[_Iterable[str]] = ..., user: _Optional[str] = ..., event_types: _Optional[_Iterable[str]] = ..., environment: _Optional[_Union[_common_pb2.Environment, str]] = ..., resume_after: _Optional[str] = ...) -> None: ...

class StreamOrderEventsResponse(_message.Message):
    __slots__ = ("event", "heartbeat")
    EVENT_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    event: OrderEvent
    heartbeat: Heartbeat
    def __init__(self, event: _Optional[_Union[OrderEvent, _Mapping]] = ..., heartbeat: _Optional[_Union[Heartbeat, _Mapping]] = ...) -> None: ...

class OrderEvent(_message.Message):
    __slots__ = ("cursor", "id", "type", "environment", "created_at", "order_id", "data", "user", "received_at")
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    ENVIRONMENT_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    DATA_FIELD_NUMBER: _ClassVar[int]
    USER_FIELD_NUMBER: _ClassVar[int]
    RECEIVED_AT_FIELD_NUMBER: _ClassVar[int]
    cursor: str
    id: str
    type: str
    environment: _common_pb2.Environment
    created_at: _timestamp_pb2.Timestamp
    order_id: str
    data: _struct_pb2.Struct
    user: str
    received_at: _timestamp_pb2.Timestamp
    def __init__(self, cursor: _Optional[str] = ..., id: _Optional[str] = ..., type: _Optional[str] = ..., environment: _Optional[_Union[_common_pb2.Environment, str]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., order_id: _Optional[str] = ..., data: _Optional[_Union[_struct_pb2.Struct, _Mapping]] = ..., user: _Optional[str] = ..., received_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class Heartbeat(_message.Message):
    __slots__ = ("sent_at", "cursor")
    SENT_AT_FIELD_NUMBER: _ClassVar[int]
    CURSOR_FIELD_NUMBER: _ClassVar[int]
    sent_at: _timestamp_pb2.Timestamp
    cursor: str
    def __init__(self, sent_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., cursor: _Optional[str] = ...) -> None: ...

class WatchOrderRequest(_message.Message):
    __slots__ = ("order_id",)
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    def __init__(self, order_id: _Optional[str] = ...) -> None: ...

class WatchOrderResponse(_message.Message):
    __slots__ = ("progress", "heartbeat")
    PROGRESS_FIELD_NUMBER: _ClassVar[int]
    HEARTBEAT_FIELD_NUMBER: _ClassVar[int]
    progress: OrderProgress
    heartbeat: Heartbeat
    def __init__(self, progress: _Optional[_Union[OrderProgress, _Mapping]] = ..., heartbeat: _Optional[_Union[Heartbeat, _Mapping]] = ...) -> None: ...

class OrderProgress(_message.Message):
    __slots__ = ("order_id", "status", "connected_domains", "last_event")
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    CONNECTED_DOMAINS_FIELD_NUMBER: _ClassVar[int]
    LAST_EVENT_FIELD_NUMBER: _ClassVar[int]
    order_id: str
    status: _order_pb2.OrderStatus
    connected_domains: _containers.RepeatedScalarFieldContainer[str]
    last_event: OrderEvent
    def __init__(self, order_id: _Optional[str] = ..., status: _Optional[_Union[_order_pb2.OrderStatus, str]] = ..., connected_domains: _Optional[_Iterable[str]] = ..., last_event: _Optional[_Union[OrderEvent, _Mapping]] = ...) -> None: ...
