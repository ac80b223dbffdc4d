"""Android binary XML (the compiled AndroidManifest.xml) to an ElementTree, without androguard.

Attribute values are rendered the way androguard renders them (references `@7F0B0001`, booleans
`true`/`false`, decimal and `0x…` integers), so the manifest reader works on either. Attributes whose
name was stripped or renamed by an obfuscator are recovered from the resource id map for the
android attributes the scanner reads. Anything malformed raises AxmlError (the caller falls back to
androguard's more forgiving parser).
"""

import struct
import xml.etree.ElementTree as ET

from apk_scan.string_pool import StringPool, _u16, _u32

ANDROID_NS = "http://schemas.android.com/apk/res/android"
XML_TYPE, POOL_TYPE, RESOURCE_MAP_TYPE = 0x0003, 0x0001, 0x0180
START_NAMESPACE, END_NAMESPACE, START_ELEMENT, END_ELEMENT = 0x0100, 0x0101, 0x0102, 0x0103
NO_INDEX = 0xFFFFFFFF
# android:* attributes the scanner reads, by resource id (checked against the platform's public.xml).
ANDROID_ATTRS = {
    0x01010001: "label", 0x01010003: "name", 0x01010009: "protectionLevel", 0x0101000E: "enabled", 0x01010010: "exported",
    0x01010011: "process", 0x01010018: "authorities", 0x01010024: "value", 0x01010025: "resource", 0x01010202: "targetActivity",
    0x0101020C: "minSdkVersion", 0x0101021B: "versionCode", 0x0101021C: "versionName", 0x01010270: "targetSdkVersion",
    0x01010271: "maxSdkVersion", 0x010104EC: "usesCleartextTraffic", 0x01010527: "networkSecurityConfig",
}  # fmt: skip


class AxmlError(ValueError):
    """The bytes are not binary XML this reader understands."""


def _value(pool: StringPool, raw: int, kind: int, data: int) -> str:
    if kind == 0x03 or (raw != NO_INDEX and kind not in (0x01, 0x02, 0x10, 0x11, 0x12)):
        return pool.string(data if kind == 0x03 else raw)
    if kind == 0x01:
        return f"@{'android:' if data >> 24 == 0x01 else ''}{data:08X}"
    if kind == 0x02:
        return f"?{'android:' if data >> 24 == 0x01 else ''}{data:08X}"
    if kind == 0x10:
        return str(struct.unpack("<i", struct.pack("<I", data))[0])
    if kind == 0x11:
        return f"0x{data:08X}"
    if kind == 0x12:
        return "true" if data else "false"
    if kind == 0x04:
        return repr(struct.unpack("<f", struct.pack("<I", data))[0])
    if 0x1C <= kind <= 0x1F:
        return f"#{data:08X}"
    return f"<0x{data:X}, type 0x{kind:02X}>"


def parse_axml(data: bytes) -> ET.Element:
    """The root element of a binary XML document."""
    if len(data) < 8 or _u16(data, 0) != XML_TYPE:
        raise AxmlError("not binary XML")
    end = min(_u32(data, 4), len(data))
    pos = _u16(data, 2)
    pool: StringPool | None = None
    ids: list[int] = []
    stack: list[ET.Element] = []
    root: ET.Element | None = None
    try:
        while pos + 8 <= end:
            kind, header, size = _u16(data, pos), _u16(data, pos + 2), _u32(data, pos + 4)
            if size < 8 or pos + size > end:
                raise AxmlError(f"chunk at {pos} has a bad size")
            if kind == POOL_TYPE and pool is None:
                pool = StringPool(data, pos)
            elif kind == RESOURCE_MAP_TYPE:
                ids = [_u32(data, p) for p in range(pos + header, pos + size, 4)]
            elif kind == START_ELEMENT:
                if pool is None:
                    raise AxmlError("element before the string pool")
                element = _element(data, pos + header, pool, ids)
                if stack:
                    stack[-1].append(element)
                elif root is None:
                    root = element
                stack.append(element)
            elif kind == END_ELEMENT and stack:
                stack.pop()
            pos += size
    except IndexError as exc:
        raise AxmlError(f"truncated binary XML ({exc})") from None
    if root is None:
        raise AxmlError("no element")
    return root


def _element(data: bytes, ext: int, pool: StringPool, ids: list[int]) -> ET.Element:
    element = ET.Element(pool.string(_u32(data, ext + 4)))
    attr_start, attr_size, count = _u16(data, ext + 8), _u16(data, ext + 10), _u16(data, ext + 12)
    for i in range(count):
        at = ext + attr_start + i * attr_size
        ns, name_idx, raw = _u32(data, at), _u32(data, at + 4), _u32(data, at + 8)
        kind, value = data[at + 15], _u32(data, at + 16)
        res_id = ids[name_idx] if name_idx < len(ids) else 0
        if res_id in ANDROID_ATTRS:
            key = f"{{{ANDROID_NS}}}{ANDROID_ATTRS[res_id]}"
        else:
            name = pool.string(name_idx)
            uri = pool.string(ns) if ns != NO_INDEX else ""
            key = f"{{{uri}}}{name}" if uri else name
        element.set(key, _value(pool, raw, kind, value))
    return element
