"""The client on the asyncio gRPC API (grpc.aio): the same stubs, defaults and
resumable StreamOrderEvents as peeker.partner.client, awaited."""

from __future__ import annotations

import asyncio
from typing import Any, AsyncGenerator, Callable, Optional, TypeVar

import grpc
import grpc.aio

from peeker.partner.client._defaults import CallDefaults, channel_options, with_request_id
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


class _DefaultsInterceptor:
    """Adds the client's metadata to every call, and its deadline and, to a
    write without one, a request_id to unary ones.
    grpc.aio files an interceptor under one kind of call only, so each kind
    has its own subclass of this; the API has no client-streaming methods."""

    def __init__(self, defaults: CallDefaults) -> None:
        self._defaults = defaults

    def _details(self, details: grpc.aio.ClientCallDetails, timeout: Optional[float]) -> grpc.aio.ClientCallDetails:
        return grpc.aio.ClientCallDetails(
            method=details.method,
            timeout=timeout,
            metadata=grpc.aio.Metadata(*self._defaults.metadata(details.metadata)),
            credentials=details.credentials,
            wait_for_ready=details.wait_for_ready,
        )


class _UnaryDefaults(_DefaultsInterceptor, grpc.aio.UnaryUnaryClientInterceptor):
    async def intercept_unary_unary(
        self,
        continuation: Callable[[grpc.aio.ClientCallDetails, _Request], Any],
        client_call_details: grpc.aio.ClientCallDetails,
        request: _Request,
    ) -> Any:
        timeout = self._defaults.unary_timeout(client_call_details.timeout)
        return await continuation(self._details(client_call_details, timeout), with_request_id(request))


class _StreamDefaults(_DefaultsInterceptor, grpc.aio.UnaryStreamClientInterceptor):
    async def intercept_unary_stream(
        self,
        continuation: Callable[[grpc.aio.ClientCallDetails, _Request], Any],
        client_call_details: grpc.aio.ClientCallDetails,
        request: _Request,
    ) -> Any:
        return await continuation(self._details(client_call_details, client_call_details.timeout), request)


class AsyncPartnerClient:
    """A stub for each gateway service on one grpc.aio channel, and a
    resumable StreamOrderEvents. Close it (or use it with `async with`) to
    close the channel."""

    def __init__(self, channel: grpc.aio.Channel) -> None:
        self.channel = channel
        self.account = account_pb2_grpc.AccountServiceStub(channel)
        self.users = user_pb2_grpc.UserServiceStub(channel)
        self.bundles = bundle_pb2_grpc.BundleServiceStub(channel)
        self.domains = domain_pb2_grpc.DomainServiceStub(channel)
        self.orders = order_pb2_grpc.OrderServiceStub(channel)
        self.order_events = order_event_pb2_grpc.OrderEventServiceStub(channel)
        self.swaps = swap_pb2_grpc.SwapServiceStub(channel)

    async def stream_order_events(
        self, request: order_event_pb2.StreamOrderEventsRequest, *, on_resume: Optional[ResumeHook] = None
    ) -> AsyncGenerator[order_event_pb2.OrderEvent, None]:
        """The events StreamOrderEvents sends for `request`, without heartbeats,
        reconnecting after the last one yielded when the stream ends with
        UNAVAILABLE, CANCELLED (not caused by the caller) or
        RESOURCE_EXHAUSTED. Other errors are raised as grpc.aio.AioRpcError.
        Closing the generator (`aclose()`) or cancelling the task cancels the
        stream."""
        resumption = Resumption(request, on_resume)
        while True:
            call = self.order_events.StreamOrderEvents(resumption.request(), wait_for_ready=resumption.wait_for_ready)
            try:
                async for response in call:
                    event = resumption.event(response)
                    if event is not None:
                        yield event
                return
            except grpc.aio.AioRpcError as error:
                # grpc.aio raises asyncio.CancelledError, not this, for a call
                # cancelled locally (aclose(), a cancelled task), so a
                # CANCELLED here is not the caller's.
                delay = resumption.resume_delay(error, cancelled_by_caller=False)
                if delay is None:
                    raise
            finally:
                call.cancel()
            await asyncio.sleep(delay)

    async def close(self) -> None:
        await self.channel.close()

    async def __aenter__(self) -> AsyncPartnerClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


def connect(
    target: str,
    environment: str = "sandbox",
    timeout: float = 10.0,
    credentials: Optional[grpc.ChannelCredentials] = None,
) -> AsyncPartnerClient:
    """A client on a grpc.aio channel to `target` (host:port): TLS with
    `credentials` (as for peeker.partner.client.connect), plaintext without.
    Every call carries `peeker-environment: <environment>` ("sandbox" or
    "live"); unary calls get a deadline of `timeout` seconds unless they set
    their own."""
    defaults = CallDefaults(environment, timeout)
    interceptors = [_UnaryDefaults(defaults), _StreamDefaults(defaults)]
    if credentials is None:
        channel = grpc.aio.insecure_channel(target, options=channel_options(), interceptors=interceptors)
    else:
        channel = grpc.aio.secure_channel(target, credentials, options=channel_options(), interceptors=interceptors)
    return AsyncPartnerClient(channel)
