"""Captured traffic files -> RequestData: mitmproxy dumps (any version), HAR and zlib-compressed .zhar.

The one engine module that knows mitmproxy's flow objects (it reads them from dumps; the proxy copies live ones with `to_wire`).
"""

import base64
import json
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from addons.engine.request import MAX_COPIED_BODY, RequestData, WireRequest, from_wire
from candor.errors import InputError

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
    """Every HTTP request in a capture file; InputError if nothing in it can be read."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected a capture file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        return ReadResult()
    if data[:1] == b"\x78" or path.suffix.lower() == ".zhar":
        try:
            data = zlib.decompress(data)
        except zlib.error:
            if path.suffix.lower() == ".zhar":
                raise InputError(f"{path}: not a zlib-compressed HAR (.zhar) file") from None
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        return read_har(path, data)
    return read_mitm(path, data)


def read_mitm(path: Path, data: bytes) -> ReadResult:
    """A mitmproxy `-w` dump; old versions are migrated by mitmproxy; a damaged tail keeps what was read."""
    import io

    from mitmproxy import exceptions, http
    from mitmproxy.io import FlowReader

    result = ReadResult()
    reader = FlowReader(io.BytesIO(data))
    try:
        for flow in reader.stream():
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
    result = ReadResult()
    for index, entry in enumerate(entries):
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
    timestamp = datetime.fromisoformat(started.replace("Z", "+00:00")).timestamp() if started else 0.0
    return RequestData(flow_id=flow_id, timestamp=timestamp, method=str(request["method"]), url=str(request["url"]),
                       headers=headers, body=body, cookies=cookies, body_decoded=True)


def iter_requests(paths: list[Path]) -> Iterator[RequestData]:
    """Requests from several files, each file read whole, in time order per file."""
    for path in paths:
        result = read_file(path)
        for problem in result.problems:
            logger.warning("%s: %s", path, problem)
        yield from sorted(result.requests, key=lambda r: r.timestamp)
