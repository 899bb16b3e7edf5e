import datetime

from google.protobuf import timestamp_pb2 as _timestamp_pb2
from peeker.partner.v1 import common_pb2 as _common_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class UnavailableReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    UNAVAILABLE_REASON_UNSPECIFIED: _ClassVar[UnavailableReason]
    UNAVAILABLE_REASON_TAKEN: _ClassVar[UnavailableReason]
    UNAVAILABLE_REASON_PREMIUM: _ClassVar[UnavailableReason]
    UNAVAILABLE_REASON_INVALID: _ClassVar[UnavailableReason]
    UNAVAILABLE_REASON_ERRORED: _ClassVar[UnavailableReason]
    UNAVAILABLE_REASON_STALE: _ClassVar[UnavailableReason]

class DomainImportStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DOMAIN_IMPORT_STATUS_UNSPECIFIED: _ClassVar[DomainImportStatus]
    DOMAIN_IMPORT_STATUS_IN_PROGRESS: _ClassVar[DomainImportStatus]
    DOMAIN_IMPORT_STATUS_COMPLETED: _ClassVar[DomainImportStatus]
    DOMAIN_IMPORT_STATUS_FAILED: _ClassVar[DomainImportStatus]
    DOMAIN_IMPORT_STATUS_ACTION_REQUIRED: _ClassVar[DomainImportStatus]

class DomainCategory(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DOMAIN_CATEGORY_UNSPECIFIED: _ClassVar[DomainCategory]
    DOMAIN_CATEGORY_INVENTORY: _ClassVar[DomainCategory]
    DOMAIN_CATEGORY_CONNECTED: _ClassVar[DomainCategory]

class DomainStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DOMAIN_STATUS_UNSPECIFIED: _ClassVar[DomainStatus]
    DOMAIN_STATUS_ACTIVE: _ClassVar[DomainStatus]
    DOMAIN_STATUS_AVAILABLE: _ClassVar[DomainStatus]
    DOMAIN_STATUS_CANCEL_SCHEDULED: _ClassVar[DomainStatus]
    DOMAIN_STATUS_CANCELLED: _ClassVar[DomainStatus]

class ForwardingJobStatus(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FORWARDING_JOB_STATUS_UNSPECIFIED: _ClassVar[ForwardingJobStatus]
    FORWARDING_JOB_STATUS_IN_PROGRESS: _ClassVar[ForwardingJobStatus]
    FORWARDING_JOB_STATUS_COMPLETED: _ClassVar[ForwardingJobStatus]
    FORWARDING_JOB_STATUS_PARTIAL_SUCCESS: _ClassVar[ForwardingJobStatus]
    FORWARDING_JOB_STATUS_FAILED: _ClassVar[ForwardingJobStatus]

class ForwardingFailureReason(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    FORWARDING_FAILURE_REASON_UNSPECIFIED: _ClassVar[ForwardingFailureReason]
    FORWARDING_FAILURE_REASON_DNS_LOOKUP_FAILED: _ClassVar[ForwardingFailureReason]
    FORWARDING_FAILURE_REASON_TARGET_UNREACHABLE: _ClassVar[ForwardingFailureReason]
    FORWARDING_FAILURE_REASON_INVALID_TARGET: _ClassVar[ForwardingFailureReason]
UNAVAILABLE_REASON_UNSPECIFIED: UnavailableReason
UNAVAILABLE_REASON_TAKEN: UnavailableReason
UNAVAILABLE_REASON_PREMIUM: UnavailableReason
UNAVAILABLE_REASON_INVALID: UnavailableReason
UNAVAILABLE_REASON_ERRORED: UnavailableReason
UNAVAILABLE_REASON_STALE: UnavailableReason
DOMAIN_IMPORT_STATUS_UNSPECIFIED: DomainImportStatus
DOMAIN_IMPORT_STATUS_IN_PROGRESS: DomainImportStatus
DOMAIN_IMPORT_STATUS_COMPLETED: DomainImportStatus
DOMAIN_IMPORT_STATUS_FAILED: DomainImportStatus
DOMAIN_IMPORT_STATUS_ACTION_REQUIRED: DomainImportStatus
DOMAIN_CATEGORY_UNSPECIFIED: DomainCategory
DOMAIN_CATEGORY_INVENTORY: DomainCategory
DOMAIN_CATEGORY_CONNECTED: DomainCategory
DOMAIN_STATUS_UNSPECIFIED: DomainStatus
DOMAIN_STATUS_ACTIVE: DomainStatus
DOMAIN_STATUS_AVAILABLE: DomainStatus
DOMAIN_STATUS_CANCEL_SCHEDULED: DomainStatus
DOMAIN_STATUS_CANCELLED: DomainStatus
FORWARDING_JOB_STATUS_UNSPECIFIED: ForwardingJobStatus
FORWARDING_JOB_STATUS_IN_PROGRESS: ForwardingJobStatus
FORWARDING_JOB_STATUS_COMPLETED: ForwardingJobStatus
FORWARDING_JOB_STATUS_PARTIAL_SUCCESS: ForwardingJobStatus
FORWARDING_JOB_STATUS_FAILED: ForwardingJobStatus
FORWARDING_FAILURE_REASON_UNSPECIFIED: ForwardingFailureReason
FORWARDING_FAILURE_REASON_DNS_LOOKUP_FAILED: ForwardingFailureReason
FORWARDING_FAILURE_REASON_TARGET_UNREACHABLE: ForwardingFailureReason
FORWARDING_FAILURE_REASON_INVALID_TARGET: ForwardingFailureReason

class CheckAvailabilityRequest(_message.Message):
    __slots__ = ("domains",)
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    domains: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, domains: _Optional[_Iterable[str]] = ...) -> None: ...

class CheckAvailabilityResponse(_message.Message):
    __slots__ = ("domains",)
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    domains: _containers.RepeatedCompositeFieldContainer[DomainAvailability]
    def __init__(self, domains: _Optional[_Iterable[_Union[DomainAvailability, _Mapping]]] = ...) -> None: ...

class DomainAvailability(_message.Message):
    __slots__ = ("domain", "available", "price_cents", "renewal_price_cents", "currency", "usable_for", "premium", "reason")
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    PRICE_CENTS_FIELD_NUMBER: _ClassVar[int]
    RENEWAL_PRICE_CENTS_FIELD_NUMBER: _ClassVar[int]
    CURRENCY_FIELD_NUMBER: _ClassVar[int]
    USABLE_FOR_FIELD_NUMBER: _ClassVar[int]
    PREMIUM_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    domain: str
    available: bool
    price_cents: int
    renewal_price_cents: int
    currency: str
    usable_for: _containers.RepeatedScalarFieldContainer[_common_pb2.MailProvider]
    premium: bool
    reason: UnavailableReason
    def __init__(self, domain: _Optional[str] = ..., available: bool = ..., price_cents: _Optional[int] = ..., renewal_price_cents: _Optional[int] = ..., currency: _Optional[str] = ..., usable_for: _Optional[_Iterable[_Union[_common_pb2.MailProvider, str]]] = ..., premium: bool = ..., reason: _Optional[_Union[UnavailableReason, str]] = ...) -> None: ...

class ImportDomainsRequest(_message.Message):
    __slots__ = ("domains", "request_id")
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    domains: _containers.RepeatedScalarFieldContainer[str]
    request_id: str
    def __init__(self, domains: _Optional[_Iterable[str]] = ..., request_id: _Optional[str] = ...) -> None: ...

class ImportDomainsResponse(_message.Message):
    __slots__ = ("domain_import",)
    DOMAIN_IMPORT_FIELD_NUMBER: _ClassVar[int]
    domain_import: DomainImport
    def __init__(self, domain_import: _Optional[_Union[DomainImport, _Mapping]] = ...) -> None: ...

class DomainImport(_message.Message):
    __slots__ = ("id", "status", "domains", "nameserver_groups", "created_at", "completed_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    NAMESERVER_GROUPS_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: DomainImportStatus
    domains: _containers.RepeatedCompositeFieldContainer[ImportedDomain]
    nameserver_groups: _containers.RepeatedCompositeFieldContainer[NameserverGroup]
    created_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., status: _Optional[_Union[DomainImportStatus, str]] = ..., domains: _Optional[_Iterable[_Union[ImportedDomain, _Mapping]]] = ..., nameserver_groups: _Optional[_Iterable[_Union[NameserverGroup, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ImportedDomain(_message.Message):
    __slots__ = ("domain", "status", "failure_reason")
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    FAILURE_REASON_FIELD_NUMBER: _ClassVar[int]
    domain: str
    status: DomainImportStatus
    failure_reason: str
    def __init__(self, domain: _Optional[str] = ..., status: _Optional[_Union[DomainImportStatus, str]] = ..., failure_reason: _Optional[str] = ...) -> None: ...

class NameserverGroup(_message.Message):
    __slots__ = ("nameservers", "domains")
    NAMESERVERS_FIELD_NUMBER: _ClassVar[int]
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    nameservers: _containers.RepeatedScalarFieldContainer[str]
    domains: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, nameservers: _Optional[_Iterable[str]] = ..., domains: _Optional[_Iterable[str]] = ...) -> None: ...

class LookupDomainImportsRequest(_message.Message):
    __slots__ = ("domains",)
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    domains: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, domains: _Optional[_Iterable[str]] = ...) -> None: ...

class LookupDomainImportsResponse(_message.Message):
    __slots__ = ("domain_imports",)
    DOMAIN_IMPORTS_FIELD_NUMBER: _ClassVar[int]
    domain_imports: _containers.RepeatedCompositeFieldContainer[DomainImport]
    def __init__(self, domain_imports: _Optional[_Iterable[_Union[DomainImport, _Mapping]]] = ...) -> None: ...

class GetDomainImportRequest(_message.Message):
    __slots__ = ("import_id",)
    IMPORT_ID_FIELD_NUMBER: _ClassVar[int]
    import_id: str
    def __init__(self, import_id: _Optional[str] = ...) -> None: ...

class GetDomainImportResponse(_message.Message):
    __slots__ = ("domain_import",)
    DOMAIN_IMPORT_FIELD_NUMBER: _ClassVar[int]
    domain_import: DomainImport
    def __init__(self, domain_import: _Optional[_Union[DomainImport, _Mapping]] = ...) -> None: ...

class CreateDomainImportJobRequest(_message.Message):
    __slots__ = ("domains", "request_id")
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    domains: _containers.RepeatedScalarFieldContainer[str]
    request_id: str
    def __init__(self, domains: _Optional[_Iterable[str]] = ..., request_id: _Optional[str] = ...) -> None: ...

class CreateDomainImportJobResponse(_message.Message):
    __slots__ = ("domain_import",)
    DOMAIN_IMPORT_FIELD_NUMBER: _ClassVar[int]
    domain_import: DomainImport
    def __init__(self, domain_import: _Optional[_Union[DomainImport, _Mapping]] = ...) -> None: ...

class GetDomainImportJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetDomainImportJobResponse(_message.Message):
    __slots__ = ("domain_import",)
    DOMAIN_IMPORT_FIELD_NUMBER: _ClassVar[int]
    domain_import: DomainImport
    def __init__(self, domain_import: _Optional[_Union[DomainImport, _Mapping]] = ...) -> None: ...

class Domain(_message.Message):
    __slots__ = ("id", "domain", "category", "status", "provider", "user_id", "order_id", "usable_for", "forwarding_url", "created_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    PROVIDER_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    ORDER_ID_FIELD_NUMBER: _ClassVar[int]
    USABLE_FOR_FIELD_NUMBER: _ClassVar[int]
    FORWARDING_URL_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    domain: str
    category: DomainCategory
    status: DomainStatus
    provider: _common_pb2.MailProvider
    user_id: str
    order_id: str
    usable_for: _containers.RepeatedScalarFieldContainer[_common_pb2.MailProvider]
    forwarding_url: str
    created_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., domain: _Optional[str] = ..., category: _Optional[_Union[DomainCategory, str]] = ..., status: _Optional[_Union[DomainStatus, str]] = ..., provider: _Optional[_Union[_common_pb2.MailProvider, str]] = ..., user_id: _Optional[str] = ..., order_id: _Optional[str] = ..., usable_for: _Optional[_Iterable[_Union[_common_pb2.MailProvider, str]]] = ..., forwarding_url: _Optional[str] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ListDomainsRequest(_message.Message):
    __slots__ = ("page_size", "page_token", "category", "user_id", "user_email", "usable_for", "status")
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    CATEGORY_FIELD_NUMBER: _ClassVar[int]
    USER_ID_FIELD_NUMBER: _ClassVar[int]
    USER_EMAIL_FIELD_NUMBER: _ClassVar[int]
    USABLE_FOR_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    page_size: int
    page_token: str
    category: DomainCategory
    user_id: str
    user_email: str
    usable_for: _common_pb2.MailProvider
    status: DomainStatus
    def __init__(self, page_size: _Optional[int] = ..., page_token: _Optional[str] = ..., category: _Optional[_Union[DomainCategory, str]] = ..., user_id: _Optional[str] = ..., user_email: _Optional[str] = ..., usable_for: _Optional[_Union[_common_pb2.MailProvider, str]] = ..., status: _Optional[_Union[DomainStatus, str]] = ...) -> None: ...

class ListDomainsResponse(_message.Message):
    __slots__ = ("domains", "next_page_token")
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    domains: _containers.RepeatedCompositeFieldContainer[Domain]
    next_page_token: str
    def __init__(self, domains: _Optional[_Iterable[_Union[Domain, _Mapping]]] = ..., next_page_token: _Optional[str] = ...) -> None: ...

class SetDomainForwardingRequest(_message.Message):
    __slots__ = ("domains", "forwarding_url", "request_id")
    DOMAINS_FIELD_NUMBER: _ClassVar[int]
    FORWARDING_URL_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    domains: _containers.RepeatedScalarFieldContainer[str]
    forwarding_url: str
    request_id: str
    def __init__(self, domains: _Optional[_Iterable[str]] = ..., forwarding_url: _Optional[str] = ..., request_id: _Optional[str] = ...) -> None: ...

class SetDomainForwardingResponse(_message.Message):
    __slots__ = ("forwarding_job",)
    FORWARDING_JOB_FIELD_NUMBER: _ClassVar[int]
    forwarding_job: ForwardingJob
    def __init__(self, forwarding_job: _Optional[_Union[ForwardingJob, _Mapping]] = ...) -> None: ...

class GetForwardingJobRequest(_message.Message):
    __slots__ = ("job_id",)
    JOB_ID_FIELD_NUMBER: _ClassVar[int]
    job_id: str
    def __init__(self, job_id: _Optional[str] = ...) -> None: ...

class GetForwardingJobResponse(_message.Message):
    __slots__ = ("forwarding_job",)
    FORWARDING_JOB_FIELD_NUMBER: _ClassVar[int]
    forwarding_job: ForwardingJob
    def __init__(self, forwarding_job: _Optional[_Union[ForwardingJob, _Mapping]] = ...) -> None: ...

class ForwardingJob(_message.Message):
    __slots__ = ("id", "status", "completed_count", "failed_count", "forwarding_url", "completed", "failed", "created_at", "completed_at")
    ID_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_COUNT_FIELD_NUMBER: _ClassVar[int]
    FAILED_COUNT_FIELD_NUMBER: _ClassVar[int]
    FORWARDING_URL_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_FIELD_NUMBER: _ClassVar[int]
    FAILED_FIELD_NUMBER: _ClassVar[int]
    CREATED_AT_FIELD_NUMBER: _ClassVar[int]
    COMPLETED_AT_FIELD_NUMBER: _ClassVar[int]
    id: str
    status: ForwardingJobStatus
    completed_count: int
    failed_count: int
    forwarding_url: str
    completed: _containers.RepeatedScalarFieldContainer[str]
    failed: _containers.RepeatedCompositeFieldContainer[ForwardingFailure]
    created_at: _timestamp_pb2.Timestamp
    completed_at: _timestamp_pb2.Timestamp
    def __init__(self, id: _Optional[str] = ..., status: _Optional[_Union[ForwardingJobStatus, str]] = ..., completed_count: _Optional[int] = ..., failed_count: _Optional[int] = ..., forwarding_url: _Optional[str] = ..., completed: _Optional[_Iterable[str]] = ..., failed: _Optional[_Iterable[_Union[ForwardingFailure, _Mapping]]] = ..., created_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., completed_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ...) -> None: ...

class ForwardingFailure(_message.Message):
    __slots__ = ("domain", "reason")
    DOMAIN_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    domain: str
    reason: ForwardingFailureReason
    def __init__(self, domain: _Optional[str] = ..., reason: _Optional[_Union[ForwardingFailureReason, str]] = ...) -> None: ...
