"""Readable details of a failed call: the status and the google.rpc details the
gateway attaches in the `grpc-status-details-bin` trailer."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Dict, List, NamedTuple, Optional, Union

import grpc
import grpc.aio
from google.rpc import error_details_pb2, status_pb2

STATUS_DETAILS_KEY = "grpc-status-details-bin"


class FieldViolation(NamedTuple):
    """One offending request field (google.rpc.BadRequest)."""

    field: str
    description: str


@dataclasses.dataclass(frozen=True)
class ErrorDetails:
    """What a failed call says: its status and the details the gateway sent.
    Fields of a detail the gateway did not send are empty (or None)."""

    code: grpc.StatusCode
    message: str
    # google.rpc.ErrorInfo: a stable machine-readable reason and its context.
    reason: str = ""
    domain: str = ""
    metadata: Dict[str, str] = dataclasses.field(default_factory=dict)
    # google.rpc.BadRequest.
    field_violations: List[FieldViolation] = dataclasses.field(default_factory=list)
    # google.rpc.RequestInfo: the Partner's request id, for support requests.
    request_id: str = ""
    # google.rpc.RetryInfo: how long to wait before trying again.
    retry_delay: Optional[datetime.timedelta] = None

    def __str__(self) -> str:
        text = f"{self.code.name}: {self.message}"
        if self.reason:
            text += f" [reason {self.reason}]"
        for violation in self.field_violations:
            text += f" [field {violation.field}: {violation.description}]"
        if self.request_id:
            text += f" [request {self.request_id}]"
        if self.retry_delay is not None:
            text += f" [retry after {self.retry_delay.total_seconds():g}s]"
        return text


def error_details(error: grpc.RpcError) -> ErrorDetails:
    """The details of `error`, a failed call of the sync (grpc.RpcError) or
    async (grpc.aio.AioRpcError) API."""
    details = ErrorDetails(code=error.code(), message=error.details() or "")
    trailer = _status_details_trailer(error)
    if trailer is None:
        return details
    for detail in status_pb2.Status.FromString(trailer).details:
        info = error_details_pb2.ErrorInfo()
        bad_request = error_details_pb2.BadRequest()
        request_info = error_details_pb2.RequestInfo()
        retry_info = error_details_pb2.RetryInfo()
        if detail.Unpack(info):
            details = dataclasses.replace(details, reason=info.reason, domain=info.domain, metadata=dict(info.metadata))
        elif detail.Unpack(bad_request):
            violations = [FieldViolation(v.field, v.description) for v in bad_request.field_violations]
            details = dataclasses.replace(details, field_violations=details.field_violations + violations)
        elif detail.Unpack(request_info):
            details = dataclasses.replace(details, request_id=request_info.request_id)
        elif detail.Unpack(retry_info):
            details = dataclasses.replace(details, retry_delay=retry_info.retry_delay.ToTimedelta())
    return details


def _status_details_trailer(error: grpc.RpcError) -> Optional[bytes]:
    # The two APIs hand trailers back in different shapes: grpc.aio as a
    # Metadata mapping, grpc as a tuple of (key, value) named tuples.
    value: Union[str, bytes, None]
    if isinstance(error, grpc.aio.AioRpcError):
        metadata = error.trailing_metadata()
        value = metadata.get(STATUS_DETAILS_KEY) if metadata is not None else None
    else:
        value = next((m.value for m in error.trailing_metadata() or () if m.key == STATUS_DETAILS_KEY), None)
    return value if isinstance(value, bytes) else None
