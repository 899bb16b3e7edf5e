"""Writes through the Python client's public API that the gateway answers in
a way the client retries. Run by python_request_id_test, which starts the
gateway, injects the Partner faults and, for `restart`, replaces the gateway
while the call runs. Prints one line per call and exits 0 when each did what
its mode expects.

  retry    CreateBundle, sync then asyncio; the Partner refuses the first
           attempt of each with a 503, the client retries.
  restart  CreateUser of EMAIL; the gateway that runs it dies mid-call.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

import grpc

from peeker.partner.client import aio, connect
from peeker.partner.v1 import bundle_pb2, order_pb2, user_pb2


def bundle(name: str) -> bundle_pb2.CreateBundleRequest:
    return bundle_pb2.CreateBundleRequest(name=name, monthly_sending_volume=25000)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--mode", choices=("retry", "restart"), required=True)
    parser.add_argument("--email", default="")
    args = parser.parse_args()

    if args.mode == "retry":
        with connect(args.gateway) as client:
            reply = client.bundles.CreateBundle(bundle("Sync"))
            print(f"sync: CreateBundle {reply.bundle.id}", flush=True)

        async def create() -> str:
            async with aio.connect(args.gateway) as client:
                return (await client.bundles.CreateBundle(bundle("Async"))).bundle.id

        print(f"aio: CreateBundle {asyncio.run(create())}", flush=True)
        return 0

    with connect(args.gateway, timeout=30.0) as client:
        try:
            request = user_pb2.CreateUserRequest(email=args.email)
            request.sequencer.provider = order_pb2.SEQUENCER_PROVIDER_SMARTLEAD
            reply = client.users.CreateUser(request)
        except grpc.RpcError as error:
            print(f"CreateUser failed: {error.code().name} {error.details()}", flush=True)
            return 1
    print(f"CreateUser {reply.user.email} {reply.user.id}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
