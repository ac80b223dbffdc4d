"""Bounded decoding of a request into text segments: where each piece of text travelled and how it was wrapped.

A segment is (location, field, encoding chain outermost first, text). Text is the
transmitted bytes read as latin-1, so offsets and lengths match the bytes exactly.
"""

import base64
import binascii
import json
import quopri
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from addons.engine.request import RequestData
from addons.engine.structures import (
    NAME_KEY_SET,
    SCHEMA_KEYS,
    STRUCTURE_KEYS,
    decode_protobuf,
    grpc_messages,
    header_rows,
    may_be_protobuf,
    name_value,
    schema_rows,
    xml_fields,
)
from candor.inputs import inflate

Segment = tuple[str, str | None, tuple[str, ...], str]

SKIP_HEADERS = frozenset({
    "host", "content-length", "content-type", "content-encoding", "transfer-encoding", "connection", "accept",
    "accept-encoding", "accept-language", "cookie", "cache-control", "pragma", "keep-alive", "te", "expect",
})
GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
ZLIB_HEADS = (b"\x78\x01", b"\x78\x5e", b"\x78\x9c", b"\x78\xda")
BASE64_RE = re.compile(r"[A-Za-z0-9+/\-_]{16,}={0,2}")
HEX_RE = re.compile(r"(?:[0-9a-fA-F]{2}){16,}")
FORM_RE = re.compile(r"[\w.\-\[\]%*]+=[^&]*(?:&[\w.\-\[\]%*]+=[^&]*)*")
PRINTABLE = frozenset(range(32, 127)) | {9, 10, 13}
CONTROL_BYTES = bytes(b for b in range(32) if b not in PRINTABLE)
PART_CODING = re.compile(r"content-encoding:\s*([^\r\n]+)", re.I)
PART_TRANSFER = re.compile(r"content-transfer-encoding:\s*([\w\-]+)", re.I)


@dataclass(frozen=True, slots=True)
class Budget:
    """Limits that keep one flow's scan bounded."""

    max_body: int = 2 * 1024 * 1024
    max_decoded: int = 8 * 1024 * 1024
    max_depth: int = 4
    max_segments: int = 20_000
    max_protobuf: int = 64 * 1024  # larger binary bodies are not tried as schema-less protobuf (bbpb: ~1 s per 256 KB at worst)


def latin(text: str) -> str:
    """A str as the latin-1 view of its UTF-8 bytes (identity for ASCII)."""
    return text if text.isascii() else text.encode("utf-8", "surrogatepass").decode("latin-1")


def decompress(data: bytes, method: str, limit: int) -> bytes:
    """Undo one content coding, streaming, never producing more than `limit` bytes (zstd too); ValueError on failure."""
    return bytes(inflate(data, method, limit))


def sniff_compression(data: bytes) -> str | None:
    """The compression a body's magic bytes announce (brotli has none)."""
    if data.startswith(GZIP_MAGIC):
        return "gzip"
    if data.startswith(ZSTD_MAGIC):
        return "zstd"
    if data[:2] in ZLIB_HEADS:
        return "deflate"
    return None


def is_printable(data: bytes) -> bool:
    """Mostly text: UTF-8 that decodes, with few control bytes."""
    if not data:
        return False
    sample = data[:512]
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:
            return False
    bad = len(sample) - len(sample.translate(None, CONTROL_BYTES))  # counted in C, not byte by byte
    return bad * 20 < len(sample)


class Decoder:
    """Turns a RequestData into segments, within a budget."""

    def __init__(self, budget: Budget | None = None) -> None:
        self.budget = budget or Budget()
        self.truncated = False  # the last flow hit a budget: only part of it was searched
        self._inflate_left = self.budget.max_decoded

    def segments(self, request: RequestData) -> list[Segment]:
        out: list[Segment] = []
        self.truncated = False
        self._inflate_left = self.budget.max_decoded  # shared by every decompression layer of this flow
        parts = urlsplit(request.url)
        out.append(("url_path", None, (), latin(parts.path)))
        if "%" in parts.path:
            out.append(("url_path", None, ("url",), latin(unquote(parts.path))))
        if parts.query:
            for key, value in parse_qsl(parts.query[: self.budget.max_body], keep_blank_values=True):
                if self._full(out):
                    break
                self._value(out, "query", key, (), latin(value), 0)
        for name, value in request.headers:
            if self._full(out):
                break
            if name.lower() not in SKIP_HEADERS:
                self._value(out, "header", name, (), latin(value), 0)
        for name, value in request.cookie_pairs():
            if self._full(out):
                break
            self._value(out, "cookie", name, (), latin(unquote(value)), 0)
        body = request.body[: self.budget.max_body]
        if body:
            content_type = request.header("content-type") or ""
            coding = "" if request.body_decoded else (request.header("content-encoding") or "")
            body, chain = self._uncompress(body, coding)
            self._body(out, "body", None, chain, body, content_type, 0)
        if len(out) > self.budget.max_segments:
            self.truncated = True
        return out[: self.budget.max_segments]

    def _full(self, out: list[Segment]) -> bool:
        """True (and the flow marked truncated) once this flow's segment budget is spent."""
        if len(out) >= self.budget.max_segments:
            self.truncated = True
            return True
        return False

    def _decompress(self, data: bytes, method: str) -> bytes:
        """One decompression layer, charged to this flow's total inflated-bytes budget (ValueError once it is spent)."""
        if self._inflate_left <= 0:
            self.truncated = True
            raise ValueError("decoding budget spent")
        out = inflate(data, method, self._inflate_left)
        self._inflate_left -= len(out)
        if out.cut:
            self.truncated = True
        return bytes(out)

    # -- bodies ---------------------------------------------------------------------------
    def _uncompress(self, body: bytes, coding: str) -> tuple[bytes, tuple[str, ...]]:
        """Undo Content-Encoding (last applied first), then any compression magic bytes say."""
        chain: tuple[str, ...] = ()
        for method in reversed([c.strip().lower() for c in coding.split(",") if c.strip()]):
            if method == "identity":
                continue
            try:
                body = self._decompress(body, method)
            except ValueError:
                break  # corrupt or mislabelled: scan what we have
            chain = (*chain, method)
        for _ in range(2):
            magic = sniff_compression(body)
            if magic is None:
                break
            try:
                body = self._decompress(body, magic)
            except ValueError:
                break
            chain = (*chain, magic)
        return body, chain

    def _body(self, out: list[Segment], location: str, field: str | None, chain: tuple[str, ...], body: bytes,
              raw_type: str, depth: int) -> None:
        content_type = raw_type.lower()
        head = body[:1].lstrip() or body.lstrip()[:1]
        if "multipart/" in content_type and "boundary=" in content_type and depth < self.budget.max_depth:
            self._multipart(out, chain, body, raw_type, depth)
            return
        if head in (b"{", b"[") or "json" in content_type:
            try:
                data = json.loads(body)
            except (ValueError, RecursionError):
                data = None
            if isinstance(data, dict | list):
                self._json(out, location if location != "body" else "json", field, chain, data, depth)
                return
        text = body.decode("latin-1")
        stripped = text.strip()
        if stripped[:1] == "<" and stripped[-1:] == ">" and depth < self.budget.max_depth and (pairs := xml_fields(stripped)):
            out.append((location, field, chain, text))  # XML (a GPX track, a SOAP call): its raw text, then each value by name
            for path, value in pairs:
                if self._full(out):
                    break
                self._value(out, location, _join(field, path), chain, latin(value), depth + 1)
            return
        # A single base64 token is not a form even when labelled one: HttpURLConnection labels every POST body so.
        looks_like_form = "x-www-form-urlencoded" in content_type or FORM_RE.fullmatch(stripped)
        if looks_like_form and not BASE64_RE.fullmatch(stripped) and is_printable(body):
            form_location = "form" if location == "body" else location
            for key, value in parse_qsl(stripped, keep_blank_values=True, encoding="latin-1"):
                self._value(out, form_location, _join(field, key) if location != "body" else key, chain, value, depth)
            return
        out.append((location, field, chain, text))
        if depth < self.budget.max_depth and is_printable(body):
            self._layers(out, location, field, chain, stripped, depth)
        elif depth < self.budget.max_depth:
            self._binary_layers(out, location, field, chain, body, depth, content_type)

    def _binary_layers(self, out: list[Segment], location: str, field: str | None, chain: tuple[str, ...], body: bytes,
                       depth: int, content_type: str = "") -> None:
        magic = sniff_compression(body)
        if magic:
            try:
                inner = self._decompress(body, magic)
            except ValueError:
                return
            self._body(out, location, field, (*chain, magic), inner, "", depth + 1)
        elif may_be_protobuf(body, content_type):
            self._protobuf(out, field, chain, body, content_type, depth)

    def _protobuf(self, out: list[Segment], field: str | None, chain: tuple[str, ...], body: bytes, content_type: str,
                  depth: int) -> None:
        """A schema-less protobuf body (or gRPC messages): its fields by number path, `1.3[0].7`."""
        messages = grpc_messages(body) if "grpc" in content_type else None
        for index, message in enumerate(messages or [body]):
            decoded = decode_protobuf(message, self.budget.max_protobuf)
            if decoded is not None:
                where = field if messages is None or len(messages) == 1 else f"{field or ''}[{index}]"
                self._json(out, "protobuf", where, chain, decoded, depth + 1)

    def _multipart(self, out: list[Segment], chain: tuple[str, ...], body: bytes, content_type: str, depth: int) -> None:
        boundary = re.split("boundary=", content_type, maxsplit=1, flags=re.I)[1].split(";")[0].strip().strip('"').encode("latin-1")
        for part in body.split(b"--" + boundary, self.budget.max_segments):
            if self._full(out):
                break
            head, sep, content = part.partition(b"\r\n\r\n")
            if not sep:
                head, sep, content = part.partition(b"\n\n")
            if not sep:
                continue
            headers = head.decode("latin-1")
            match = re.search(r'name="([^"]*)"', headers)
            name = match.group(1) if match else None
            part_type = re.search(r"content-type:\s*([^\r\n]+)", headers, re.I)
            content = content.removesuffix(b"\r\n").removesuffix(b"\n")
            content, transfer = _transfer_decoded(content, headers)  # each part has its own encodings
            coding = PART_CODING.search(headers)
            inner, inner_chain = self._uncompress(content, coding.group(1) if coding else "")
            self._body(out, "multipart", name, (*chain, *transfer, *inner_chain), inner, part_type.group(1) if part_type else "",
                       depth + 1)

    def _json(self, out: list[Segment], location: str, path: str | None, chain: tuple[str, ...], data: Any, depth: int) -> None:
        """Every string and number leaf with its path (`a.b[0].c`); nested structures bounded in depth."""
        append, layers, limit = out.append, self._layers, self.budget.max_segments
        decode_more = depth < self.budget.max_depth

        def leaf(where: str | None, value: Any) -> None:
            kind = type(value)
            if kind is str:
                text = value if value.isascii() else latin(value)
                append((location, where, chain, text))
                if decode_more and len(text) >= 8:
                    layers(out, location, where, chain, text, depth)
            elif kind is int:
                if not -10_000 < value < 10_000:
                    append((location, where, chain, str(value)))
            elif kind is float:
                append((location, where, chain, repr(value)))
            elif (kind is dict or kind is list) and len(out) < limit:
                walk(where, value, 0)

        def emit(where: str, value: Any, level: int) -> None:
            if type(value) in (dict, list):
                walk(where, value, level + 1)
            else:
                leaf(where, value)

        def walk(where: str | None, item: Any, level: int) -> None:
            if level > 64:
                return
            if len(out) >= limit:
                self.truncated = True
                return
            if type(item) is dict:
                if STRUCTURE_KEYS.isdisjoint(item):
                    pass  # an ordinary object (almost all): no name/value pair, no schema
                elif not NAME_KEY_SET.isdisjoint(item) and (pair := name_value(item)) is not None:
                    name, name_key, value_key = pair  # {"pn": "lat", "pv": 39.9} in `params`: the value as `params.lat`
                    named = f"{_container(where)}.{name}" if where else name
                    emit(named, item[value_key], level)
                    item = {key: value for key, value in item.items() if key != name_key and key != value_key}
                elif not SCHEMA_KEYS.isdisjoint(item) and (table := schema_rows(item)) is not None:
                    schema_key, names, rows = table  # {"fields": [names], "values": [row]}: each value under its name
                    for key, row_list in rows.items():
                        base = f"{where}.{key}" if where else key
                        for index, row in enumerate(row_list):
                            if self._full(out):
                                break
                            row_path = base if len(row_list) == 1 else f"{base}[{index}]"
                            for name, value in zip(names, row, strict=True):
                                emit(f"{row_path}.{name}", value, level)
                    item = {key: value for key, value in item.items() if key != schema_key and key not in rows}
                for key, value in item.items():
                    if len(out) >= limit:
                        break
                    child = f"{where}.{key}" if where else key
                    if type(value) in (dict, list):
                        walk(child, value, level + 1)
                    else:
                        leaf(child, value)
            elif item and type(item[0]) is list and (table := header_rows(item)) is not None:
                names, rows = table  # [[names], [row], …]: a table with a header row
                for index, row in enumerate(rows, start=1):
                    if self._full(out):
                        break
                    for name, value in zip(names, row, strict=True):
                        emit(f"{where or ''}[{index}].{name}", value, level)
            else:
                for index, value in enumerate(item):
                    if len(out) >= limit:
                        break
                    child = f"{where or ''}[{index}]"
                    if type(value) in (dict, list):
                        walk(child, value, level + 1)
                    else:
                        leaf(child, value)

        try:
            if type(data) in (dict, list):
                walk(path, data, 0)
            else:
                leaf(path, data)
        finally:  # the helpers refer to each other: break that cycle so the flow's segments are freed now, not by the GC
            leaf = walk = emit = None  # type: ignore[assignment]

    # -- values ---------------------------------------------------------------------------
    def _value(self, out: list[Segment], location: str, field: str | None, chain: tuple[str, ...], text: str, depth: int) -> None:
        out.append((location, field, chain, text))
        if len(text) >= 8 and depth < self.budget.max_depth:
            self._layers(out, location, field, chain, text, depth)

    def _layers(self, out: list[Segment], location: str, field: str | None, chain: tuple[str, ...], text: str, depth: int) -> None:
        """Wrappings inside one value: JSON-in-string, URL-encoding, base64 (of gzip), hex of text."""
        first = text[:1]
        if first in ("{", "[") and text[-1:] in ("}", "]"):
            try:
                data = json.loads(text.encode("latin-1"))
            except (ValueError, RecursionError, UnicodeEncodeError):
                data = None
            if isinstance(data, dict | list):
                self._json(out, location if location != "body" else "json", field, (*chain, "json"), data, depth + 1)
                return
        if "%" in text:
            decoded = unquote(text, encoding="latin-1")
            if decoded != text:
                self._value(out, location, field, (*chain, "url"), decoded, depth + 1)
                return
        if len(text) >= 16 and BASE64_RE.fullmatch(text) and not text.isdigit():
            if HEX_RE.fullmatch(text):
                raw = binascii.unhexlify(text)
                if is_printable(raw):
                    self._body(out, location, field, (*chain, "hex"), raw, "", depth + 1)
                return
            raw = _b64(text)
            if raw is None:
                return
            label = "base64url" if ("-" in text or "_" in text) else "base64"
            magic = sniff_compression(raw)
            if magic:
                try:
                    raw = self._decompress(raw, magic)
                except ValueError:
                    return
                self._body(out, location, field, (*chain, label, magic), raw, "", depth + 1)
            elif is_printable(raw):
                self._body(out, location, field, (*chain, label), raw, "", depth + 1)


def _b64(text: str) -> bytes | None:
    padded = text.rstrip("=")
    padded += "=" * (-len(padded) % 4)
    try:
        if "-" in text or "_" in text:
            return base64.urlsafe_b64decode(padded)
        return base64.b64decode(padded, validate=True)
    except (binascii.Error, ValueError):
        return None


def _transfer_decoded(content: bytes, headers: str) -> tuple[bytes, tuple[str, ...]]:
    """A multipart part's content with its Content-Transfer-Encoding (base64, quoted-printable) undone."""
    match = PART_TRANSFER.search(headers)
    transfer = match.group(1).lower() if match else ""
    try:
        if transfer == "base64":
            return base64.b64decode(b"".join(content.split()), validate=True), ("base64",)
        if transfer == "quoted-printable":
            return quopri.decodestring(content), ("quoted-printable",)
    except (binascii.Error, ValueError):
        pass
    return content, ()


def _container(path: str) -> str:
    """The path of the list an element sits in (`params[2]` -> `params`); other paths as they are."""
    return path[: path.rfind("[")] if path.endswith("]") and "[" in path else path


def _join(path: str | None, key: str) -> str:
    return f"{path}.{key}" if path else key
