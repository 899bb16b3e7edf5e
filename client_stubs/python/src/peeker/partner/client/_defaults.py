"""What the sync and async clients set up the same way: the channel's service
config and the defaults every call gets."""

from __future__ import annotations

import dataclasses
import uuid
from importlib import resources
from typing import Iterable, List, Optional, Tuple, TypeVar, Union

from google.protobuf.message import Message

ENVIRONMENT_METADATA_KEY = "peeker-environment"

MetadataPair = Tuple[str, Union[str, bytes]]

_Request = TypeVar("_Request")


def channel_options() -> List[Tuple[str, str]]:
    """Channel options carrying the packaged service config, whose retryPolicy
    retries the methods that are safe to repeat, and the writes."""
    config = resources.files("peeker.partner.client").joinpath("service_config.json").read_text(encoding="utf-8")
    return [("grpc.service_config", config)]


@dataclasses.dataclass(frozen=True)
class CallDefaults:
    """The metadata and deadline a client adds to each call."""

    environment: str
    timeout: float

    def metadata(self, metadata: Optional[Iterable[MetadataPair]]) -> List[MetadataPair]:
        """The call's metadata plus `peeker-environment`, unless the call
        already names an environment itself."""
        pairs = list(metadata or ())
        if all(key != ENVIRONMENT_METADATA_KEY for key, _ in pairs):
            pairs.append((ENVIRONMENT_METADATA_KEY, self.environment))
        return pairs

    def unary_timeout(self, timeout: Optional[float]) -> float:
        """The call's own timeout, or the default one. Only unary calls get a
        default: a stream lasts as long as its caller wants it."""
        return self.timeout if timeout is None else timeout


def new_request_id() -> str:
    """A random UUID for a write's `request_id`. Set one yourself to keep it
    across retries of your own, e.g. after your process restarted."""
    return str(uuid.uuid4())


def with_request_id(request: _Request) -> _Request:
    """`request` itself, or, for a write (a message with a `request_id`) whose
    id is empty, a copy with a new one. It is made once per call, before the
    channel's retries, which resend the same bytes: the gateway then runs the
    write once however often it is retried."""
    if not isinstance(request, Message) or "request_id" not in request.DESCRIPTOR.fields_by_name:
        return request
    if getattr(request, "request_id"):
        return request
    copy = type(request)()
    copy.CopyFrom(request)
    setattr(copy, "request_id", new_request_id())
    return copy
