"""Hosts in DEX strings (URLs and bare host names), mapped to SDKs through catalog domains.

Both searches start from a literal (`://` or a `.tld` right before a string's NUL terminator),
which keeps them at a few milliseconds per megabyte.
"""

import re
from collections import Counter

from candor.catalog.catalog import Catalog

URL = re.compile(rb"(?:https?|wss?)://([A-Za-z0-9][A-Za-z0-9.-]{1,252}[A-Za-z0-9])")
TLD_END = re.compile(rb"\.(?:com|cn|net|org|io|co|me|cc|tv|info|mobi|xyz)\x00")
HOST_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789.-")
MAX_HOST = 127  # one-byte uleb128 length


def _bare_host(data: bytes, end: int) -> str | None:
    """The host that is a whole DEX string ending at `end` (its NUL), if the length byte agrees."""
    start = end
    limit = max(0, end - MAX_HOST)
    while start > limit and data[start - 1] in HOST_BYTES:
        start -= 1
    if start == 0 or data[start - 1] != end - start or end - start < 4:
        return None
    host = data[start:end]
    return host.decode("ascii") if host[:1] not in (b".", b"-") and b".." not in host else None


def dex_hosts(data: bytes) -> Counter[str]:
    """How often each host appears in URL strings or as a bare host string."""
    hosts: Counter[str] = Counter()
    for match in URL.finditer(data):
        hosts[match.group(1).decode("ascii").lower().rstrip(".")] += 1
    for match in TLD_END.finditer(data):
        host = _bare_host(data, match.end() - 1)
        if host:
            hosts[host] += 1
    return hosts


def sdk_hosts(data: bytes, catalog: Catalog) -> list[tuple[str, str, int]]:
    """(sdk id, host, count) for hosts owned by a catalog SDK."""
    found = []
    for host, count in dex_hosts(data).items():
        sdk = catalog.sdk_for_host(host)
        if sdk is not None:
            found.append((sdk.id, host, count))
    return found
