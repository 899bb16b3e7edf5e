"""The client on the synchronous gRPC API."""

from __future__ import annotations

import dataclasses
import time
from typing import Any, Callable, Generator, Optional, Tuple, TypeVar

import grpc

from peeker.partner.client._defaults import CallDefaults, MetadataPair, channel_options, with_request_id
from peeker.partner.client._resume import ResumeHook, Resumption
from peeker.partner.v1 import (
    account_pb2_grpc,
    bundle_pb2_grpc,
    domain_pb2_grpc,
    order_event_pb2,
    order_event_pb2_grpc,
    order_pb2_grpc,
    swap_pb2_grpc,
    user_pb2_grpc,
)

_Request = TypeVar("_Request")


# grpc.ClientCallDetails is abstract: an interceptor that changes a call's
# details hands the continuation its own implementation.
@dataclasses.dataclass(frozen=True)
class _CallDetails(grpc.ClientCallDetails):
    method: str
    timeout: Optional[float]
    metadata: Optional[Tuple[MetadataPair, ...]]
    credentials: Optional[grpc.CallCredentials]
    wait_for_ready: Optional[bool]
    compression: Optional[grpc.Compression]


class _DefaultsInterceptor(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor):
    """Adds the client's metadata to every call, and its deadline and, to a
    write without one, a request_id to unary ones.
    The API has no client-streaming methods, so those kinds are not intercepted."""

    def __init__(self, defaults: CallDefaults) -> None:
        self._defaults = defaults

    def intercept_unary_unary(
        self,
        continuation: Callable[[grpc.ClientCallDetails, _Request], Any],
        client_call_details: grpc.ClientCallDetails,
        request: _Request,
    ) -> Any:
        timeout = self._defaults.unary_timeout(client_call_details.timeout)
        return continuation(self._details(client_call_details, timeout), with_request_id(request))

    def intercept_unary_stream(
        self,
        continuation: Callable[[grpc.ClientCallDetails, _Request], Any],
        client_call_details: grpc.ClientCallDetails,
        request: _Request,
    ) -> Any:
        return continuation(self._details(client_call_details, client_call_details.timeout), request)

    def _details(self, details: grpc.ClientCallDetails, timeout: Optional[float]) -> _CallDetails:
        return _CallDetails(
            method=details.method,
            timeout=timeout,
            metadata=tuple(self._defaults.metadata(details.metadata)),
            credentials=details.credentials,
            wait_for_ready=details.wait_for_ready,
            compression=details.compression,
        )


class PartnerClient:
    """A stub for each gateway service on one channel, and a resumable
    StreamOrderEvents. Close it (or use it as a context manager) to close the
    channel."""

    def __init__(self, channel: grpc.Channel) -> None:
        self.channel = channel
        self.account = account_pb2_grpc.AccountServiceStub(channel)
        self.users = user_pb2_grpc.UserServiceStub(channel)
        self.bundles = bundle_pb2_grpc.BundleServiceStub(channel)
        self.domains = domain_pb2_grpc.DomainServiceStub(channel)
        self.orders = order_pb2_grpc.OrderServiceStub(channel)
        self.order_events = order_event_pb2_grpc.OrderEventServiceStub(channel)
        self.swaps = swap_pb2_grpc.SwapServiceStub(channel)
        self._closed = False

    def stream_order_events(
        self, request: order_event_pb2.StreamOrderEventsRequest, *, on_resume: Optional[ResumeHook] = None
    ) -> Generator[order_event_pb2.OrderEvent, None, None]:
        """The events StreamOrderEvents sends for `request`, without heartbeats,
        reconnecting after the last one yielded when the stream ends with
        UNAVAILABLE, CANCELLED (not caused by the caller) or
        RESOURCE_EXHAUSTED. Other errors are raised as grpc.RpcError. Closing
        the generator (or leaving the loop) cancels the stream; closing the
        client ends it."""
        resumption = Resumption(request, on_resume)
        while True:
            call = self.order_events.StreamOrderEvents(resumption.request(), wait_for_ready=resumption.wait_for_ready)
            try:
                for response in call:
                    event = resumption.event(response)
                    if event is not None:
                        yield event
                return
            except grpc.RpcError as error:
                # Closing the generator raises GeneratorExit at the yield, not
                # this; a CANCELLED of the caller's own is the call cancelled
                # locally or the channel closed by close().
                delay = resumption.resume_delay(error, cancelled_by_caller=self._closed or call.cancelled())
                if delay is None:
                    raise
            finally:
                call.cancel()
            time.sleep(delay)

    def close(self) -> None:
        self._closed = True
        self.channel.close()

    def __enter__(self) -> PartnerClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def connect(
    target: str,
    environment: str = "sandbox",
    timeout: float = 10.0,
    credentials: Optional[grpc.ChannelCredentials] = None,
) -> PartnerClient:
    """A client on a channel to `target` (host:port): TLS with `credentials`
    (for mutual TLS, `grpc.ssl_channel_credentials(root_certificates,
    private_key, certificate_chain)`), plaintext without. Every call carries
    `peeker-environment: <environment>` ("sandbox" or "live"); unary calls get
    a deadline of `timeout` seconds unless they set their own."""
    defaults = CallDefaults(environment, timeout)
    if credentials is None:
        channel = grpc.insecure_channel(target, options=channel_options())
    else:
        channel = grpc.secure_channel(target, credentials, options=channel_options())
    return PartnerClient(grpc.intercept_channel(channel, _DefaultsInterceptor(defaults)))
