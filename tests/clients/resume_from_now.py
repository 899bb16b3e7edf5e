"""Streams an order's events from now through the Python client and prints
each as `event <id>` and each reconnect as `resumed after <cursor>`; exits 0
once `--events` events arrived, 1 if the stream ended first.

Run by resume_from_now.sh, which cuts the stream before its first event."""

from __future__ import annotations

import argparse
import sys

from peeker.partner.client import connect
from peeker.partner.v1 import order_event_pb2


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--order", required=True)
    parser.add_argument("--events", type=int, required=True)
    args = parser.parse_args()
    request = order_event_pb2.StreamOrderEventsRequest(order_ids=[args.order])
    seen = 0
    with connect(args.gateway) as client:
        for event in client.stream_order_events(
            request, on_resume=lambda _details, cursor: print(f"resumed after {cursor!r}", flush=True)
        ):
            print(f"event {event.id}", flush=True)
            seen += 1
            if seen == args.events:
                return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
