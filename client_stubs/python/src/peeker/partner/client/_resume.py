"""The state of a resumable StreamOrderEvents, shared by the sync and async
loops that drive it."""

from __future__ import annotations

import random
from typing import Callable, Optional

import grpc

from peeker.partner.client.errors import ErrorDetails, error_details
from peeker.partner.v1 import order_event_pb2

ResumeHook = Callable[[ErrorDetails, str], None]
"""Called before each reconnect with the status that ended the stream and the
cursor the stream resumes after."""

# UNAVAILABLE: the gateway went away (restart, deploy, network). CANCELLED that
# the caller did not cause: the gateway is a gRPC C++ (core) server, which
# while it shuts down answers CANCELLED to a call that reached it on its
# closing connection (a reconnect right after an UNAVAILABLE, before the
# client has read the server's GOAWAY). RESOURCE_EXHAUSTED: the gateway
# dropped a subscriber that fell behind. None loses events: the log replays
# everything after the last cursor.
_RESUMABLE_CODES = frozenset(
    {grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.CANCELLED, grpc.StatusCode.RESOURCE_EXHAUSTED}
)
_INITIAL_BACKOFF_SECONDS = 0.1
_MAX_BACKOFF_SECONDS = 5.0


class Resumption:
    """Remembers the cursor of the last event handed out and how long to wait
    before the next reconnect."""

    def __init__(self, request: order_event_pb2.StreamOrderEventsRequest, on_resume: Optional[ResumeHook]) -> None:
        self._request = request
        self._cursor = request.resume_after
        self._on_resume = on_resume
        self._backoff = _INITIAL_BACKOFF_SECONDS
        self._reconnecting = False

    def request(self) -> order_event_pb2.StreamOrderEventsRequest:
        """The request for the next attempt: the caller's, resuming after the
        last event handed out."""
        request = order_event_pb2.StreamOrderEventsRequest()
        request.CopyFrom(self._request)
        request.resume_after = self._cursor
        return request

    @property
    def wait_for_ready(self) -> Optional[bool]:
        """A reconnect waits for the gateway to be back instead of failing
        while it restarts; the first attempt keeps the channel's default."""
        return True if self._reconnecting else None

    def event(self, response: order_event_pb2.StreamOrderEventsResponse) -> Optional[order_event_pb2.OrderEvent]:
        """The event in `response` (None for a heartbeat), counted as handed out.
        A heartbeat's cursor moves the resume point too: the first one tells
        where a stream from now started."""
        if not response.HasField("event"):
            if response.heartbeat.cursor:
                self._cursor = response.heartbeat.cursor
            return None
        self._cursor = response.event.cursor
        self._backoff = _INITIAL_BACKOFF_SECONDS
        return response.event

    def resume_delay(self, error: grpc.RpcError, *, cancelled_by_caller: bool) -> Optional[float]:
        """Seconds to wait before reconnecting after `error`, or None when the
        error is the caller's to handle. A CANCELLED the caller caused
        (`cancelled_by_caller`) ends the stream."""
        code = error.code()
        if code not in _RESUMABLE_CODES or (code == grpc.StatusCode.CANCELLED and cancelled_by_caller):
            return None
        if self._on_resume is not None:
            self._on_resume(error_details(error), self._cursor)
        delay = self._backoff * random.uniform(0.5, 1.0)
        self._backoff = min(self._backoff * 2, _MAX_BACKOFF_SECONDS)
        self._reconnecting = True
        return delay
