import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class BundleStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    BUNDLE_STATUS_UNSPECIFIED: _ClassVar[BundleStatus]
    BUNDLE_STATUS_ACTIVE: _ClassVar[BundleStatus]
    BUNDLE_STATUS_ARCHIVED: _ClassVar[BundleStatus]
    BUNDLE_STATUS_DELETED: _ClassVar[BundleStatus]
BUNDLE_STATUS_UNSPECIFIED: BundleStatus
BUNDLE_STATUS_ACTIVE: BundleStatus
BUNDLE_STATUS_ARCHIVED: BundleStatus
BUNDLE_STATUS_DELETED: BundleStatus

class Bundle(_message.Message):
    __slots__ = ("id", "name", "monthly_sending_volume", "google_percent", "microsoft_percent", "send_on_weekends", "google_inboxes_per_domain", "status", "effective", "required_domains", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_SENDING_VOLUME_FIELD_NUMBER: _ClassVar[int]
    GOOGLE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    MICROSOFT_PERCENT_FIELD_NUMBER: _ClassVar[int]
    SEND_ON_WEEKENDS_FIELD_NUMBER: _ClassVar[int]
    GOOGLE_INBOXES_PER_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    EFFECTIVE_FIELD_NUMBER: _ClassVar[int]
    REQUIRED_DOMAINS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    name: str
    monthly_sending_volume: int
    google_percent: int
    microsoft_percent: int
    send_on_weekends: bool
    google_inboxes_per_domain: int
    status: BundleStatus
    effective: ProviderSplit
    required_domains: RequiredDomains
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., name: _Optional[str] = ..., monthly_sending_volume: _Optional[int] = ..., google_percent: _Optional[int] = ..., microsoft_percent: _Optional[int] = ..., send_on_weekends: bool = ..., google_inboxes_per_domain: _Optional[int] = ..., status: _Optional[_Union[BundleStatus, str]] = ..., effective: _Optional[_Union[ProviderSplit, _Mapping]] = ..., required_domains: _Optional[_Union[RequiredDomains, _Mapping]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ProviderSplit(_message.Message):
    __slots__ = ("google_percent", "microsoft_percent")
    GOOGLE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    MICROSOFT_PERCENT_FIELD_NUMBER: _ClassVar[int]
    google_percent: int
    microsoft_percent: int
    def __init__(self, google_percent: _Optional[int] = ..., microsoft_percent: _Optional[int] = ...) -> None: ...

class RequiredDomains(_message.Message):
    __slots__ = ("google", "microsoft", "total")
    GOOGLE_FIELD_NUMBER: _ClassVar[int]
    MICROSOFT_FIELD_NUMBER: _ClassVar[int]
    TOTAL_FIELD_NUMBER: _ClassVar[int]
    google: int
    microsoft: int
    total: int
    def __init__(self, google: _Optional[int] = ..., microsoft: _Optional[int] = ..., total: _Optional[int] = ...) -> None: ...

class CreateBundleRequest(_message.Message):
    __slots__ = ("name", "monthly_sending_volume", "google_percent", "microsoft_percent", "send_on_weekends", "google_inboxes_per_domain", "request_id")
    NAME_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_SENDING_VOLUME_FIELD_NUMBER: _ClassVar[int]
    GOOGLE_PERCENT_FIELD_NUMBER: _ClassVar[int]
    MICROSOFT_PERCENT_FIELD_NUMBER: _ClassVar[int]
    SEND_ON_WEEKENDS_FIELD_NUMBER: _ClassVar[int]
    GOOGLE_INBOXES_PER_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    name: str
    monthly_sending_volume: int
    google_percent: int
    microsoft_percent: int
    send_on_weekends: bool
    google_inboxes_per_domain: int
    request_id: str
    def __init__(self, name: _Optional[str] = ..., monthly_sending_volume: _Optional[int] = ..., google_percent: _Optional[int] = ..., microsoft_percent: _Optional[int] = ..., send_on_weekends: bool = ..., google_inboxes_per_domain: _Optional[int] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateBundleResponse(_message.Message):
    __slots__ = ("bundle",)
    BUNDLE_FIELD_NUMBER: _ClassVar[int]
    bundle: Bundle
    def __init__(self, bundle: _Optional[_Union[Bundle, _Mapping]] = ...) -> None: ...

class ListBundlesRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "status")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    status: BundleStatus
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., status: _Optional[_Union[BundleStatus, str]] = ...) -> None: ...

class ListBundlesResponse(_message.Message):
    __slots__ = ("bundles", "next_page_token")
    BUNDLES_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    bundles: _containers.RepeatedCompositeFieldContainer[Bundle]
    next_page_token: str
    def __init__(self, bundles: _Optional[_Iterable[_Union[Bundle, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class GetBundleRequest(_message.Message):
    __slots__ = ("bundle_id",)
    BUNDLE_ID_FIELD_NUMBER: _ClassVar[int]
    bundle_id: str
    def __init__(self, bundle_id: _Optional[str] = ...) -> None: ...

class GetBundleResponse(_message.Message):
    __slots__ = ("bundle",)
    BUNDLE_FIELD_NUMBER: _ClassVar[int]
    bundle: Bundle
    def __init__(self, bundle: _Optional[_Union[Bundle, _Mapping]] = ...) -> None: ...

class UpdateBundleRequest(_message.Message):
    __slots__ = ("bundle_id", "name", "monthly_sending_volume", "split", "use_recommended_split", "send_on_weekends", "google_inboxes_per_domain", "request_id")
    BUNDLE_ID_FIELD_NUMBER: _ClassVar[int]
    NAME_FIELD_NUMBER: _ClassVar[int]
    MONTHLY_SENDING_VOLUME_FIELD_NUMBER: _ClassVar[int]
    SPLIT_FIELD_NUMBER: _ClassVar[int]
    USE_RECOMMENDED_SPLIT_FIELD_NUMBER: _ClassVar[int]
    SEND_ON_WEEKENDS_FIELD_NUMBER: _ClassVar[int]
    GOOGLE_INBOXES_PER_DOMAIN_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    bundle_id: str
    name: str
    monthly_sending_volume: int
    split: ProviderSplit
    use_recommended_split: bool
    send_on_weekends: bool
    google_inboxes_per_domain: int
    request_id: str
    def __init__(self, bundle_id: _Optional[str] = ..., name: _Optional[str] = ..., monthly_sending_volume: _Optional[int] = ..., split: _Optional[_Union[ProviderSplit, _Mapping]] = ..., use_recommended_split: bool = ..., send_on_weekends: bool = ..., google_inboxes_per_domain: _Optional[int] = ..., request_id: _Optional[str] = ...) -> None: ...

class UpdateBundleResponse(_message.Message):
    __slots__ = ("bundle",)
    BUNDLE_FIELD_NUMBER: _ClassVar[int]
    bundle: Bundle
    def __init__(self, bundle: _Optional[_Union[Bundle, _Mapping]] = ...) -> None: ...

class DeleteBundleRequest(_message.Message):
    __slots__ = ("bundle_id", "request_id")
    BUNDLE_ID_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    bundle_id: str
    request_id: str
    def __init__(self, bundle_id: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class DeleteBundleResponse(_message.Message):
    __slots__ = ("bundle_id", "status")
    BUNDLE_ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    bundle_id: str
    status: BundleStatus
    def __init__(self, bundle_id: _Optional[str] = ..., status: _Optional[_Union[BundleStatus, str]] = ...) -> None: ...
