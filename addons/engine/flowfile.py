"""Captured traffic files -> RequestData: mitmproxy dumps (any version), HAR and zlib-compressed .zhar.

The one engine module that knows mitmproxy's flow objects (it reads them from dumps; the proxy copies live ones with `to_wire`).
"""

import base64
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlencode

from addons.engine.request import MAX_COPIED_BODY, RequestData, WireRequest, from_wire
from candor.errors import InputError
from candor.inputs import inflate, one_line, open_regular
from candor.timeparse import parse_time

MAX_HAR_BYTES = 192 * 1024 * 1024  # a HAR is parsed whole: its (inflated) size bounds the memory that takes
MAX_REQUESTS_PER_FILE = 200_000
MAX_LOGGED_PROBLEMS = 5

logger = logging.getLogger(__name__)


@dataclass
class ReadResult:
    """The requests a file held, and what could not be read."""

    requests: list[RequestData] = field(default_factory=list)
    skipped: int = 0
    problems: list[str] = field(default_factory=list)


def to_wire(flow: Any) -> WireRequest:
    """The request of a mitmproxy flow as its raw parts: the least work on the proxy's event loop."""
    data = flow.request.data
    return WireRequest(flow.id, data.timestamp_start or 0.0, data.method, data.scheme, data.host, data.port, data.path,
                       data.headers.fields, (data.content or b"")[:MAX_COPIED_BODY])


def from_flow(flow: Any) -> RequestData:
    """A mitmproxy HTTPFlow's request as sent (raw body, raw headers): the same path live and offline."""
    return from_wire(to_wire(flow))


def read_file(path: Path) -> ReadResult:
    """Every HTTP request in a capture file; InputError if nothing in it can be read.

    Regular files only; a mitmproxy dump is streamed from the file, a HAR (or the inflated .zhar) is
    held whole and so limited to MAX_HAR_BYTES.
    """
    with open_regular(path, what="capture file") as handle:
        head = handle.read(4096)
        if not head.strip():
            return ReadResult()
        zhar = path.suffix.lower() == ".zhar"
        if head[:1] == b"\x78" or zhar or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
            data = head + _read_at_most(handle, path, MAX_HAR_BYTES - len(head))
        else:
            handle.seek(0)
            return read_mitm(path, handle)
    if data[:1] == b"\x78" or zhar:
        try:
            inflated = inflate(data, "zlib", MAX_HAR_BYTES)
        except ValueError:
            if zhar:
                raise InputError(f"{path}: not a zlib-compressed HAR (.zhar) file") from None
        else:
            if inflated.cut:
                raise InputError(f"{path}: inflates beyond {MAX_HAR_BYTES >> 20} MB (limit for a HAR; decompression bomb?)")
            data = inflated
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return read_har(path, data)
    import io

    return read_mitm(path, io.BytesIO(data))


def _read_at_most(handle: BinaryIO, path: Path, limit: int) -> bytes:
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{path}: a HAR larger than {MAX_HAR_BYTES >> 20} MB is more than Candor reads whole")
    return data


def read_mitm(path: Path, data: BinaryIO) -> ReadResult:
    """A mitmproxy `-w` dump, streamed; old versions are migrated by mitmproxy; a damaged tail keeps what was read."""
    from mitmproxy import exceptions, http
    from mitmproxy.io import FlowReader

    result = ReadResult()
    reader = FlowReader(data)
    try:
        for flow in reader.stream():
            if len(result.requests) >= MAX_REQUESTS_PER_FILE:
                result.problems.append(f"stopped after {MAX_REQUESTS_PER_FILE:,} requests (the limit for one file)")
                break
            if isinstance(flow, http.HTTPFlow):
                result.requests.append(from_flow(flow))
            else:
                result.skipped += 1
    except exceptions.FlowReadException as exc:
        if not result.requests and not result.skipped:
            raise InputError(f"{path}: not a mitmproxy flow file or HAR ({exc})") from None
        result.problems.append(f"stopped after {len(result.requests)} flows: {exc}")
    except Exception as exc:  # a malformed flow inside a valid dump (e.g. an unmigratable version)
        if not result.requests:
            raise InputError(f"{path}: cannot read flows: {type(exc).__name__}: {exc}") from None
        result.problems.append(f"stopped after {len(result.requests)} flows: {exc}")
    return result


def read_har(path: Path, data: bytes) -> ReadResult:
    """A HAR 1.2 log (as mitmproxy, browsers and Charles write it)."""
    try:
        har = json.loads(data.decode("utf-8-sig"))
        entries = har["log"]["entries"]
        if not isinstance(entries, list):
            raise TypeError("entries is not a list")
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a valid HAR file ({type(exc).__name__})") from None
    except RecursionError:
        raise InputError(f"{path}: not a valid HAR file (nested too deeply)") from None
    result = ReadResult()
    del har, data
    if len(entries) > MAX_REQUESTS_PER_FILE:
        result.problems.append(f"read the first {MAX_REQUESTS_PER_FILE:,} of {len(entries):,} entries (the limit for one file)")
        del entries[MAX_REQUESTS_PER_FILE:]
    entries.reverse()  # consumed from the end, so each entry's JSON is freed once it is a request
    index = -1
    while entries:
        entry = entries.pop()
        index += 1
        try:
            result.requests.append(_har_request(entry, f"{path.stem}#{index}"))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            result.skipped += 1
            result.problems.append(f"entry {index}: {type(exc).__name__}: {exc}")
    return result


def _har_request(entry: dict, flow_id: str) -> RequestData:
    request = entry["request"]
    headers = [(str(h["name"]), str(h["value"])) for h in request.get("headers") or []]
    post = request.get("postData") or {}
    text = post.get("text")
    if text is not None:
        body = base64.b64decode(text) if post.get("encoding") == "base64" else str(text).encode("utf-8", "surrogatepass")
    elif post.get("params"):
        body = urlencode([(p.get("name", ""), p.get("value", "")) for p in post["params"]]).encode()
    else:
        body = b""
    cookies = [(str(c["name"]), str(c.get("value", ""))) for c in request.get("cookies") or []] or None
    if post.get("mimeType") and not any(k.lower() == "content-type" for k, _ in headers):
        headers.append(("Content-Type", post["mimeType"]))
    started = entry.get("startedDateTime")
    timestamp = parse_time(str(started)) if started else 0.0  # a time without a zone is UTC, as everywhere
    return RequestData(flow_id=flow_id, timestamp=timestamp, method=str(request["method"]), url=str(request["url"]),
                       headers=headers, body=body, cookies=cookies, body_decoded=True)


def iter_requests(paths: list[Path]) -> Iterator[RequestData]:
    """Requests from several files, each file read whole, in time order per file."""
    for path in paths:
        result = read_file(path)
        for problem in result.problems[:MAX_LOGGED_PROBLEMS]:
            logger.warning("%s: %s", path, one_line(problem))
        if len(result.problems) > MAX_LOGGED_PROBLEMS:
            logger.warning("%s: and %d more unreadable entries", path, len(result.problems) - MAX_LOGGED_PROBLEMS)
        yield from sorted(result.requests, key=lambda r: r.timestamp)
