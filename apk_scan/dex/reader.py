"""DEX header and id tables (strings, types, fields, methods, class defs) as zero-copy numpy views."""

from functools import cached_property
from typing import Literal

import numpy as np

from apk_scan.dex.leb128 import read_uleb128
from apk_scan.dex.mutf8 import decode_mutf8

HEADER_SIZE = 0x70
ENDIAN_TAG = 0x12345678
ID_DTYPE = np.dtype([("cls", "<u2"), ("type", "<u2"), ("name", "<u4")])  # field_id_item and method_id_item (type = proto)
CLASS_DEF_DTYPE = np.dtype([
    ("cls", "<u4"), ("flags", "<u4"), ("superclass", "<u4"), ("interfaces", "<u4"),
    ("source", "<u4"), ("annotations", "<u4"), ("class_data", "<u4"), ("static_values", "<u4"),
])  # fmt: skip


class DexError(ValueError):
    """The bytes are not a well-formed DEX file."""


class DexFile:
    """Read-only view of one DEX file's id tables."""

    def __init__(self, data: bytes, name: str = "classes.dex") -> None:
        self.data = data
        self.name = name
        if len(data) < HEADER_SIZE:
            raise DexError(f"{name}: {len(data)} bytes, too short for a DEX header")
        if data[:4] != b"dex\n" or data[7] != 0 or not data[4:7].isdigit():
            raise DexError(f"{name}: bad DEX magic {data[:8]!r}")
        header = np.frombuffer(data, "<u4", count=HEADER_SIZE // 4 - 8, offset=0x20)
        file_size, header_size, endian = int(header[0]), int(header[1]), int(header[2])
        if endian != ENDIAN_TAG:
            raise DexError(f"{name}: unsupported endian tag {endian:#x}")
        if header_size < HEADER_SIZE or file_size > len(data) or file_size < HEADER_SIZE:
            raise DexError(f"{name}: corrupt header (file_size {file_size}, actual {len(data)}, header_size {header_size})")
        self.version = data[4:7].decode()
        self._found: dict[str, int | None] = {}  # find_string answers
        self._names: dict[int, str] = {}  # method names by string id
        self._member_keys: dict[str, tuple[np.ndarray, bool]] = {}
        self.map_off = int(header[5])
        self.strings = self._table(header[6], header[7], np.dtype("<u4"), "string_ids")
        self.types = self._table(header[8], header[9], np.dtype("<u4"), "type_ids")
        self.fields = self._table(header[12], header[13], ID_DTYPE, "field_ids")
        self.methods = self._table(header[14], header[15], ID_DTYPE, "method_ids")
        self.class_defs = self._table(header[16], header[17], CLASS_DEF_DTYPE, "class_defs")
        self._method_classes, self._method_names = self.methods["cls"], self.methods["name"]
        self.data_off, self.data_size = int(header[19]), int(header[18])
        if self.strings.size and int(self.strings.max()) >= len(data):
            raise DexError(f"{name}: string offset outside the file")
        if self.types.size and int(self.types.max()) >= self.strings.size:
            raise DexError(f"{name}: type id refers to a missing string")

    def _table(self, size: np.uint32, offset: np.uint32, dtype: np.dtype, what: str) -> np.ndarray:
        size, offset = int(size), int(offset)
        if size == 0:
            return np.zeros(0, dtype)
        if offset < HEADER_SIZE or offset + size * dtype.itemsize > len(self.data):
            raise DexError(f"{self.name}: {what} table ({size} items at {offset:#x}) lies outside the file")
        return np.frombuffer(self.data, dtype, count=size, offset=offset)

    # -- strings ----------------------------------------------------------------------
    def string_bytes(self, index: int) -> bytes:
        """Raw MUTF-8 bytes of string `index`."""
        pos = int(self.strings[index])
        _, start = read_uleb128(self.data, pos)
        end = self.data.find(b"\x00", start)
        return self.data[start : end if end >= 0 else len(self.data)]

    def string(self, index: int) -> str:
        return decode_mutf8(self.string_bytes(index))

    def plain_strings(self, ids: np.ndarray) -> list[str | None]:
        """`string(i)` of every id for the plain-ASCII strings (one-byte length, NUL right after), all taken from one
        numpy gather; None for any other string (decoded on its own when asked for)."""
        ids = np.asarray(ids, dtype=np.int64)
        if ids.size == 0:
            return []
        raw = np.frombuffer(self.data, np.uint8)
        offsets = self.strings[ids].astype(np.int64)
        lengths = raw[offsets].astype(np.int64)
        plain = (lengths < 0x80) & (offsets + 1 + lengths < raw.size)
        starts = np.where(plain, offsets + 1, offsets)
        spans = np.where(plain, lengths + 1, 1)  # the characters and the NUL that must follow them
        first = np.cumsum(spans) - spans
        blob = raw[np.repeat(starts - first, spans) + np.arange(int(spans.sum()), dtype=np.int64)]
        odd = np.add.reduceat(((blob == 0) | (blob >= 0x80)).astype(np.int64), first)  # only the NUL may be odd
        plain &= (odd == 1) & (blob[first + spans - 1] == 0)
        text = blob.tobytes().decode("latin-1")
        if plain.all():
            return text.split("\x00")[:-1]
        ends = (first + spans - 1).tolist()
        return [text[a:b] if ok else None for a, b, ok in zip(first.tolist(), ends, plain.tolist(), strict=True)]

    def find_string(self, text: str) -> int | None:
        """Index of an (ASCII-sorted) string by binary search over the sorted string table (remembered per text)."""
        if text in self._found:
            return self._found[text]
        found = self._find_string(text)
        self._found[text] = found
        return found

    def _find_string(self, text: str) -> int | None:
        target = text.encode("utf-8")
        lo, hi = 0, int(self.strings.size)
        while lo < hi:
            mid = (lo + hi) // 2
            value = self.string_bytes(mid)
            if value == target:
                return mid
            if value < target:
                lo = mid + 1
            else:
                hi = mid
        return None

    # -- types ------------------------------------------------------------------------
    @cached_property
    def _plain_types(self) -> list[str | None]:
        return self.plain_strings(self.types)

    def type_descriptor(self, type_idx: int) -> str:
        text = self._plain_types[type_idx]
        return text if text is not None else self.string(int(self.types[type_idx]))

    def _type_bytes(self, type_idx: int) -> bytes:
        text = self._plain_types[type_idx]  # plain ASCII: its characters are its bytes
        return text.encode("ascii") if text is not None else self.string_bytes(int(self.types[type_idx]))

    @cached_property
    def _type_names(self) -> frozenset[str] | None:
        """Every type descriptor of this DEX (None when one cannot be decoded): a descriptor outside it is no type here."""
        plain = self._plain_types
        try:
            others = [self.type_descriptor(i) for i, text in enumerate(plain) if text is None]
        except (IndexError, ValueError):
            return None
        return frozenset(plain).union(others)

    def find_type(self, descriptor: str) -> int | None:
        """type_idx of a descriptor like `Landroid/telephony/TelephonyManager;` (type_ids are sorted by string)."""
        known = self._type_names
        if known is not None and descriptor not in known:
            return None  # skips the binary search over every string
        string_idx = self.find_string(descriptor)
        if string_idx is None:
            return None
        pos = int(self.types.searchsorted(string_idx))
        return pos if pos < self.types.size and int(self.types[pos]) == string_idx else None

    def type_range(self, descriptor_prefix: str) -> tuple[int, int]:
        """[lo, hi) of the type ids whose descriptor starts with `descriptor_prefix` (type_ids are sorted by string)."""
        target = descriptor_prefix.encode("utf-8")

        def first_not_below(key: bytes, inclusive: bool) -> int:
            lo, hi = 0, int(self.types.size)
            while lo < hi:
                mid = (lo + hi) // 2
                value = self._type_bytes(mid)
                if value < key or (not inclusive and value[: len(key)] == key):
                    lo = mid + 1
                else:
                    hi = mid
            return lo

        return first_not_below(target, True), first_not_below(target, False)

    @cached_property
    def class_descriptors(self) -> list[str]:
        """Descriptor of every class defined in this DEX."""
        plain = self._plain_types
        return [plain[t] or self.type_descriptor(t) for t in self.class_defs["cls"].tolist()]

    # -- members ----------------------------------------------------------------------
    def find_members(self, which: Literal["methods", "fields"], type_idx: int, name_idx: int) -> np.ndarray:
        """Indices of the method_ids or field_ids with this class and name (any prototype)."""
        keys, ordered = self._keys(which)
        key = int(type_idx) << 32 | int(name_idx)
        if not ordered:
            return np.flatnonzero(keys == key)
        lo, hi = keys.searchsorted(np.array([key, key + 1], dtype=np.int64)).tolist()
        return np.arange(lo, hi, dtype=np.intp)

    def member_keys(self, which: Literal["methods", "fields"]) -> np.ndarray:
        """`class << 32 | name` of every method_id or field_id (computed once per table)."""
        return self._keys(which)[0]

    def _keys(self, which: Literal["methods", "fields"]) -> tuple[np.ndarray, bool]:
        """The member keys, and whether they are sorted (as the DEX format requires; a hostile file may not be)."""
        if which not in self._member_keys:
            table = self.methods if which == "methods" else self.fields
            keys = table["cls"].astype(np.int64) << 32 | table["name"].astype(np.int64)
            self._member_keys[which] = keys, bool(np.all(keys[1:] >= keys[:-1]))
        return self._member_keys[which]

    def method_name(self, method_idx: int) -> tuple[str, str]:
        """(class descriptor, method name) of a method id."""
        name_idx = int(self._method_names[method_idx])
        name = self._names.get(name_idx)
        if name is None:
            name = self._names[name_idx] = self.string(name_idx)
        return self.type_descriptor(int(self._method_classes[method_idx])), name
