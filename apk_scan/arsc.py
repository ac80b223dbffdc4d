"""A small resources.arsc reader: resolve a resource id to its default value and its `@type/name`.

Only what the scan needs (the app label and the network security config name), read straight from the
chunk layout (ResTable_package, ResTable_type, ResTable_entry, Res_value) without building a full table,
which for a large app's resources costs androguard a third of a second.
"""

from apk_scan.string_pool import StringPool, _u16, _u32

TABLE_TYPE, PACKAGE_TYPE, TYPE_TYPE = 0x0002, 0x0200, 0x0201
NO_ENTRY = 0xFFFFFFFF
FLAG_COMPLEX, FLAG_COMPACT = 0x0001, 0x0008
TYPE_SPARSE, TYPE_OFFSET16 = 0x01, 0x02
DATA_REFERENCE, DATA_STRING = 0x01, 0x03


class ArscTable:
    """Lazy lookups in one resources.arsc; any malformed structure just yields None."""

    def __init__(self, data: bytes | None) -> None:
        self.data = data or b""
        self.packages: dict[int, tuple[int, StringPool, StringPool, list[tuple[int, int]]]] = {}
        self.strings = StringPool(b"")
        if len(self.data) < 12 or _u16(self.data, 0) != TABLE_TYPE:
            return
        try:
            self._index()
        except (IndexError, ValueError):
            self.packages = {}

    def _index(self) -> None:
        data = self.data
        pos, end = _u16(data, 2), min(_u32(data, 4), len(data))
        while pos + 8 <= end:
            kind, size = _u16(data, pos), _u32(data, pos + 4)
            if size < 8:
                return
            if kind == 0x0001 and not self.strings.count:
                self.strings = StringPool(data, pos)
            elif kind == PACKAGE_TYPE:
                self._index_package(pos, min(pos + size, end))
            pos += size

    def _index_package(self, start: int, end: int) -> None:
        data = self.data
        package_id = _u32(data, start + 8)
        types = StringPool(data, start + _u32(data, start + 268))
        keys = StringPool(data, start + _u32(data, start + 276))
        chunks: list[tuple[int, int]] = []  # (type id, chunk offset) of every ResTable_type
        pos = start + _u16(data, start + 2)
        while pos + 8 <= end:
            kind, size = _u16(data, pos), _u32(data, pos + 4)
            if size < 8:
                break
            if kind == TYPE_TYPE:
                chunks.append((data[pos + 8], pos))
            pos += size
        self.packages[package_id] = (start, types, keys, chunks)

    def _entries(self, res_id: int) -> list[tuple[bool, int]]:
        """(default config?, entry offset) of every configuration defining `res_id`."""
        package = self.packages.get(res_id >> 24)
        if package is None:
            return []
        data = self.data
        type_id, entry = res_id >> 16 & 0xFF, res_id & 0xFFFF
        found = []
        for chunk_type, pos in package[3]:
            if chunk_type != type_id:
                continue
            header_size, flags = _u16(data, pos + 2), data[pos + 9]
            count, entries_start = _u32(data, pos + 12), _u32(data, pos + 16)
            offset = self._entry_offset(pos + header_size, count, flags, entry)
            if offset is None:
                continue
            config_size = _u32(data, pos + 20)
            is_default = not any(data[pos + 24 : pos + 20 + config_size])
            found.append((is_default, pos + entries_start + offset))
        found.sort(key=lambda item: not item[0])
        return found

    def _entry_offset(self, table: int, count: int, flags: int, entry: int) -> int | None:
        data = self.data
        if flags & TYPE_SPARSE:
            for i in range(count):
                if _u16(data, table + 4 * i) == entry:
                    return _u16(data, table + 4 * i + 2) * 4
            return None
        if entry >= count:
            return None
        if flags & TYPE_OFFSET16:
            value = _u16(data, table + 2 * entry)
            return None if value == 0xFFFF else value * 4
        value = _u32(data, table + 4 * entry)
        return None if value == NO_ENTRY else value

    def _value(self, pos: int) -> tuple[int, int, int] | None:
        """(key index, data type, data) of the entry at `pos`."""
        data = self.data
        size, flags = _u16(data, pos), _u16(data, pos + 2)
        if flags & FLAG_COMPACT:
            return size, flags >> 8, _u32(data, pos + 4)
        if flags & FLAG_COMPLEX:
            return None
        value = pos + size
        return _u32(data, pos + 4), data[value + 3], _u32(data, value + 4)

    def string(self, res_id: int, depth: int = 3) -> str | None:
        """The default-configuration string value of a resource id (following references)."""
        try:
            for _, pos in self._entries(res_id):
                value = self._value(pos)
                if value is None:
                    continue
                _, kind, data = value
                if kind == DATA_STRING:
                    return self.strings.string(data) or None
                if kind == DATA_REFERENCE and depth > 0:
                    return self.string(data, depth - 1)
        except (IndexError, ValueError):
            return None
        return None

    def name(self, res_id: int) -> str | None:
        """`@type/name` of a resource id."""
        package = self.packages.get(res_id >> 24)
        try:
            for _, pos in self._entries(res_id):
                value = self._value(pos)
                if value is not None and package is not None:
                    return f"@{package[1].string((res_id >> 16 & 0xFF) - 1)}/{package[2].string(value[0])}"
        except (IndexError, ValueError):
            return None
        return None
