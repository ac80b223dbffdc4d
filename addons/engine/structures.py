"""Structures whose keys travel as data or markup: name/value pair lists, positional rows beside a schema, XML, schema-less protobuf.

The decoder asks these readers whether a JSON object or array is one of those shapes, and if so
walks the values under the names they carry (`params.lat` for `{"pn": "lat", "pv": 39.9}` in
`params`), so key-based detection works on them like on ordinary keys.
"""

import html
import re
from typing import Any

# Keys naming the entry in a name/value pair object, and keys holding its value.
NAME_KEYS = ("name", "key", "k", "n", "pn", "param", "field", "attr", "attribute", "property", "prop", "label")
VALUE_KEYS = ("value", "v", "pv", "val", "paramvalue", "param_value")
NAME_KEY_SET = frozenset(NAME_KEYS)
# Keys of a list of column names, with the rows beside it.
SCHEMA_KEYS = frozenset({"keys", "fields", "columns", "cols", "names", "schema", "header", "headers"})
STRUCTURE_KEYS = NAME_KEY_SET | SCHEMA_KEYS  # an object without any of these is neither a pair nor a table
KEY_LIKE = re.compile(r"[A-Za-z_$][\w$.\-]{0,63}")
# Binary formats that are never protobuf messages (images, archives, documents, media).
NOT_PROTOBUF = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"RIFF", b"\x00\x00\x00", b"OggS", b"ID3", b"wOF")
PROTOBUF_TYPES = ("proto", "grpc")
MAYBE_PROTOBUF_TYPES = ("", "application/octet-stream", "application/binary", "application/x-www-form-urlencoded", "text/plain")


def _is_name(value: Any) -> bool:
    return type(value) is str and KEY_LIKE.fullmatch(value) is not None


def name_value(item: dict) -> tuple[str, str, str] | None:
    """(name, its key, the value's key) when `item` is one name/value pair such as {"key": "email", "value": …}."""
    if not 2 <= len(item) <= 4:
        return None
    name_key = next((key for key in NAME_KEYS if key in item), None)
    if name_key is None:
        return None
    value_key = next((key for key in VALUE_KEYS if key in item), None)
    if value_key is None or not _is_name(item[name_key]):
        return None
    return item[name_key], name_key, value_key


def _names(values: Any) -> list[str] | None:
    """A list of two or more distinct key-like strings, or None."""
    if type(values) is not list or len(values) < 2 or not all(_is_name(v) for v in values):
        return None
    return values if len(set(values)) == len(values) else None


def schema_rows(item: dict) -> tuple[str, list[str], dict[str, list[list]]] | None:
    """Positional rows beside a list of column names: {"fields": [names], "values": [row] or [[row], …]}.

    Returns (schema key, names, {key of the rows: rows}); None when `item` has no such pair.
    """
    if SCHEMA_KEYS.isdisjoint(item):
        return None
    for schema_key in SCHEMA_KEYS.intersection(item):
        names = _names(item[schema_key])
        if names is None:
            continue
        rows: dict[str, list[list]] = {}
        for key, value in item.items():
            if key == schema_key or type(value) is not list or not value:
                continue
            if len(value) == len(names) and not all(type(v) is list for v in value):
                rows[key] = [value]
            elif all(type(row) is list and len(row) == len(names) for row in value):
                rows[key] = value
        if rows:
            return schema_key, names, rows
    return None


def header_rows(items: list) -> tuple[list[str], list[list]] | None:
    """A table as a list of lists whose first row names the columns: (names, the other rows)."""
    if len(items) < 2 or type(items[0]) is not list:
        return None
    names = _names(items[0])
    if names is None:
        return None
    rows = items[1:]
    if not all(type(row) is list and len(row) == len(names) for row in rows):
        return None
    if all(all(_is_name(v) for v in row) for row in rows):
        return None  # a list of word lists, not a table
    return names, rows


XML_ELEMENT = re.compile(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)((?:\s+[A-Za-z_][\w.\-:]*\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*/?>([^<]*)")
XML_ATTRIBUTE = re.compile(r"([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
MAX_XML_FIELDS = 5000


def xml_fields(text: str) -> list[tuple[str, str]]:
    """(element.attribute, value) and (element, text) of an XML document, read without a parser: no entities are expanded,
    no DTD is fetched, and at most MAX_XML_FIELDS come back. `<trkpt lat="39.9" lon="116.4">` gives trkpt.lat and trkpt.lon."""
    fields: list[tuple[str, str]] = []
    for match in XML_ELEMENT.finditer(text):
        tag, attributes, content = match.group(2), match.group(3), match.group(4).strip()
        for attribute in XML_ATTRIBUTE.finditer(attributes):
            value = attribute.group(3) if attribute.group(3) is not None else attribute.group(4)
            fields.append((f"{tag}.{attribute.group(2)}", html.unescape(value)))
        if content and len(content) <= 1024:
            fields.append((tag, html.unescape(content)))
        if len(fields) >= MAX_XML_FIELDS:
            break
    return fields[:MAX_XML_FIELDS]


def may_be_protobuf(data: bytes, content_type: str) -> bool:
    """Whether a binary body is worth a protobuf decode: declared as protobuf, or an unlabelled binary."""
    content_type = content_type.split(";", 1)[0].strip().lower()
    if any(kind in content_type for kind in PROTOBUF_TYPES):
        return True
    return content_type in MAYBE_PROTOBUF_TYPES and not data.startswith(NOT_PROTOBUF)


def grpc_messages(data: bytes) -> list[bytes] | None:
    """The messages of a gRPC body (1-byte compressed flag, 4-byte length, message …); None if it is not one."""
    messages, offset = [], 0
    while offset < len(data):
        if len(data) - offset < 5 or data[offset] not in (0, 1):
            return None
        size = int.from_bytes(data[offset + 1 : offset + 5], "big")
        if offset + 5 + size > len(data):
            return None
        messages.append(data[offset + 5 : offset + 5 + size])
        offset += 5 + size
    return messages


def decode_protobuf(data: bytes, max_size: int) -> dict | None:
    """A schema-less protobuf message as {field number: value} (nested messages as dicts), or None.

    Decoded by bbpb (blackboxprotobuf). Bounded: bodies over `max_size` bytes are not tried, and a
    message nested too deep for the interpreter is rejected. Strings stay strings; other bytes stay bytes.
    """
    if not data or len(data) > max_size:
        return None
    import blackboxprotobuf

    try:
        message, _ = blackboxprotobuf.decode_message(data)
    except RecursionError:
        return None
    except Exception:  # bbpb raises its DecoderException (a ValueError) and, on odd input, others
        return None
    return message if isinstance(message, dict) and message else None
