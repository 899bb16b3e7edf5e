"""Calls a gateway that requires mutual TLS through the Python client's
public API, synchronous and asyncio: with the client certificate each call
works, without it the handshake fails. Prints one line per check and exits 0
only when all passed.

Run by python_mutual_tls_test, which makes the certificates and starts the
gateway."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import grpc

from peeker.partner.client import aio, connect
from peeker.partner.v1 import bundle_pb2


def main() -> int:
    parser = argparse.ArgumentParser()
    for flag in ("--gateway", "--ca", "--cert", "--key"):
        parser.add_argument(flag, required=True)
    args = parser.parse_args()
    ca, cert, key = (Path(f).read_bytes() for f in (args.ca, args.cert, args.key))
    mutual = grpc.ssl_channel_credentials(root_certificates=ca, private_key=key, certificate_chain=cert)
    failed = 0

    with connect(args.gateway, credentials=mutual) as client:
        client.bundles.ListBundles(bundle_pb2.ListBundlesRequest())
        print("sync: ListBundles OK", flush=True)

    async def list_bundles() -> None:
        async with aio.connect(args.gateway, credentials=mutual) as client:
            await client.bundles.ListBundles(bundle_pb2.ListBundlesRequest())

    asyncio.run(list_bundles())
    print("aio: ListBundles OK", flush=True)

    with connect(args.gateway, credentials=grpc.ssl_channel_credentials(root_certificates=ca)) as client:
        try:
            client.bundles.ListBundles(bundle_pb2.ListBundlesRequest())
            print("FAILED: a call without a client certificate worked", flush=True)
            failed += 1
        except grpc.RpcError as error:
            print(f"no client certificate: {error.code().name}", flush=True)
            failed += error.code() != grpc.StatusCode.UNAVAILABLE
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
