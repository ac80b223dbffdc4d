"""Who receives a request: a catalog SDK, the app itself, or an unknown third party."""

import ipaddress
from dataclasses import dataclass
from functools import lru_cache

from publicsuffix2 import get_sld

from candor.catalog.catalog import Catalog


@dataclass(frozen=True, slots=True)
class Party:
    """The attributed destination of a request."""

    party: str  # sdk | first_party | third_party
    sdk_id: str | None
    name: str
    registrable_domain: str | None


def registrable_domain(host: str) -> str | None:
    """eTLD+1 (public-suffix aware); IP addresses and single labels stay as they are."""
    host = host.lower().rstrip(".").strip("[]")
    if not host:
        return None
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    if "." not in host:
        return host
    return get_sld(host, strict=False) or host


def _covers(domain: str, host: str) -> bool:
    return host == domain or host.endswith("." + domain)


class Attributor:
    """Host -> Party, cached; app domains win over catalog domains."""

    def __init__(self, catalog: Catalog | None, app_domains: tuple[str, ...] | list[str] = ()) -> None:
        self.catalog = catalog
        self.app_domains = tuple(d.strip().lower().lstrip("*.").rstrip(".") for d in app_domains if d and d.strip())
        self.attribute = lru_cache(maxsize=4096)(self._attribute)

    def _attribute(self, host: str) -> Party:
        host = host.lower().rstrip(".")
        domain = registrable_domain(host)
        if any(_covers(d, host) for d in self.app_domains):
            return Party("first_party", None, "app", domain)
        sdk = self.catalog.sdk_for_host(host) if self.catalog is not None and host else None
        if sdk is not None:
            return Party("sdk", sdk.id, sdk.name.en, domain)
        return Party("third_party", None, domain or host or "unknown", domain)
