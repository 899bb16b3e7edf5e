"""A thin client for the Peeker Partner gateway, on the synchronous gRPC API
(see peeker.partner.client.aio for asyncio):

    with connect("localhost:50051") as client:
        reply = client.bundles.GetBundle(bundle_pb2.GetBundleRequest(bundle_id="bun_..."))

Every call carries the `peeker-environment` metadata and unary calls get a
default deadline; a write without a `request_id` gets a new one, which its
retries keep; the channel retries the methods that are safe to repeat and the
writes, as the packaged service config says.
"""

from peeker.partner.client._defaults import new_request_id

from peeker.partner.client._resume import ResumeHook
from peeker.partner.client._sync import PartnerClient, connect
from peeker.partner.client.errors import ErrorDetails, FieldViolation, error_details

__all__ = [
    "ErrorDetails",
    "FieldViolation",
    "PartnerClient",
    "ResumeHook",
    "connect",
    "error_details",
    "new_request_id",
]
