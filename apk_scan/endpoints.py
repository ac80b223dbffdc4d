"""Hosts in DEX strings (URLs and bare host names), mapped to SDKs through catalog domains, and the
classes whose code names them.

Both searches start from a literal (`://` found with `bytes.find`, or a `.tld` right before a string's
NUL terminator), which keeps them at a few milliseconds per megabyte.
"""

import re
from collections import Counter
from collections.abc import Callable

import numpy as np

from apk_scan.dex.opcodes import CONST_STRING
from candor.catalog.catalog import Catalog
from candor.model.static import Endpoint

HOST_AFTER_SCHEME = re.compile(rb"[A-Za-z0-9][A-Za-z0-9.-]{1,252}[A-Za-z0-9]")
SCHEMES = (b"https", b"http", b"wss", b"ws")
TLD_END = re.compile(rb"\.(?:com|cn|net|org|io|co|me|cc|tv|info|mobi|xyz)\x00")
HOST_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789.-")
MAX_HOST = 127  # one-byte uleb128 length
MAX_ENDPOINTS = 2000
BLOCK = 1 << 20  # bytes compared at a time when looking for `://`


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


def url_hosts(data: bytes) -> list[tuple[int, bytes]]:
    """(start of the URL, host) of every http(s)/ws(s) URL in the bytes."""
    found = []
    for pos in separators(data):
        scheme = next((s for s in SCHEMES if data.endswith(s, max(0, pos - len(s)), pos)), None)
        match = HOST_AFTER_SCHEME.match(data, pos + 3) if scheme else None
        if match:
            found.append((pos - len(scheme), match.group(0)))
    return found


def separators(data: bytes) -> list[int]:
    """Offsets of every `://`, ascending: the colons found with numpy (a DEX has few), then the slashes checked."""
    raw = np.frombuffer(data, np.uint8)
    found: list[int] = []
    for at in range(0, raw.size - 2, BLOCK):  # a block at a time: the comparison's result stays small
        colons = np.flatnonzero(raw[at : min(at + BLOCK, raw.size - 2)] == 0x3A) + at
        found += colons[(raw[colons + 1] == 0x2F) & (raw[colons + 2] == 0x2F)].tolist()
    return found


def dex_urls(dex) -> list[tuple[int, bytes]]:
    """`url_hosts` of a DEX's bytes, found once per DexFile (SDK hosts and code endpoints both read them)."""
    cached = dex.__dict__.get("_url_hosts")
    if cached is None:
        cached = dex.__dict__["_url_hosts"] = url_hosts(dex.data)
    return cached


def dex_hosts(dex) -> Counter[str]:
    """How often each host appears in the DEX's URL strings or as a bare host string."""
    data = dex.data
    hosts: Counter[str] = Counter()
    for _, host in dex_urls(dex):
        hosts[host.decode("ascii").lower().rstrip(".")] += 1
    for match in TLD_END.finditer(data):
        host = _bare_host(data, match.end() - 1)
        if host:
            hosts[host] += 1
    return hosts


def sdk_hosts(dex, catalog: Catalog) -> list[tuple[str, str, int]]:
    """(sdk id, host, count) for hosts of the DEX owned by a catalog SDK."""
    found = []
    for host, count in dex_hosts(dex).items():
        sdk = catalog.sdk_for_host(host)
        if sdk is not None:
            found.append((sdk.id, host, count))
    return found


def _string_index(dex, position: int, order: np.ndarray, starts: np.ndarray) -> int | None:
    """Index of the DEX string whose data holds byte `position`."""
    i = int(starts.searchsorted(position, side="right")) - 1
    return int(order[i]) if i >= 0 else None


def string_users(dex, string_ids: set[int]) -> dict[int, set[int]]:
    """string id -> method ids whose code loads it with const-string (confirmed by decoding the method)."""
    from apk_scan.dex.code import code_bounds, method_code_index
    from apk_scan.dex.xrefs import _walk, code_words, group_by_code

    if not string_ids:
        return {}
    words = code_words(dex)
    lut = np.zeros(65536, dtype=bool)
    lut[[i for i in string_ids if i < 65536]] = True
    keep = (words.opcodes == CONST_STRING) & lut[words.operands]
    if not keep.any():
        return {}
    codes, owners = method_code_index(dex)
    data = dex.data
    users: dict[int, set[int]] = {}
    for i, positions in group_by_code(codes, ((words.hits[keep] + words.start) * 2).tolist()).items():
        first, end = code_bounds(dex, int(codes[i]))
        wanted = {p for p in positions if first <= p < end}
        for pos in _walk(data, first, end, wanted, None) if wanted else ():
            users.setdefault(data[pos + 2] | data[pos + 3] << 8, set()).add(int(owners[i]))
    return users


def code_endpoints(dex, location: str, catalog: Catalog, owner_of: Callable[[str], str], limit: int = MAX_ENDPOINTS) -> list[Endpoint]:
    """Hosts of URL strings in code, one per (host, class that loads the URL), with that class's owner."""
    from apk_scan.callsites import dotted_of

    order = np.argsort(dex.strings, kind="stable")
    starts = dex.strings[order].astype(np.int64)
    urls: dict[int, tuple[str, str]] = {}  # string id -> (host, url)
    for start, host in dex_urls(dex):
        if b"." not in host:
            continue  # a URL template's first label (`https://graph.%s`, `http://log.`) or localhost: no host of its own
        idx = _string_index(dex, start, order, starts)
        if idx is not None and idx not in urls:
            url = dex.string(idx)
            if host.decode("ascii") in url:
                urls[idx] = (host.decode("ascii").lower().rstrip("."), url[:200])
    endpoints: dict[tuple[str, str], Endpoint] = {}
    for idx, methods in sorted(string_users(dex, set(urls)).items()):
        host, url = urls[idx]
        sdk = catalog.sdk_for_host(host)
        for method_idx in sorted(methods):
            caller = dotted_of(dex.method_name(method_idx)[0])
            if (host, caller) not in endpoints and len(endpoints) < limit:
                endpoints[(host, caller)] = Endpoint(host=host, url=url, caller_class=caller, owner=owner_of(caller),
                                                     sdk_id=sdk.id if sdk else None)  # fmt: skip
    return list(endpoints.values())
