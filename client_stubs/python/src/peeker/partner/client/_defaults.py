"""What the sync and async clients set up the same way: the channel's service
config and the defaults every call gets."""

from __future__ import annotations

import dataclasses
from importlib import resources
from typing import Iterable, List, Optional, Tuple, Union

ENVIRONMENT_METADATA_KEY = "peeker-environment"

MetadataPair = Tuple[str, Union[str, bytes]]


def channel_options() -> List[Tuple[str, str]]:
    """Channel options carrying the packaged service config, whose retryPolicy
    retries the methods that are safe to repeat."""
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
