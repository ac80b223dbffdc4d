"""Android binary string pools (resources.arsc and compiled XML): find the strings containing a word
without decoding the whole pool."""

from bisect import bisect_right

RES_STRING_POOL_TYPE = 0x0001
UTF8_FLAG = 0x100


def _u16(data: bytes, pos: int) -> int:
    return int.from_bytes(data[pos : pos + 2], "little")


def _u32(data: bytes, pos: int) -> int:
    return int.from_bytes(data[pos : pos + 4], "little")


class StringPool:
    """A ResStringPool chunk at `offset` of `data` (the first chunk after the file header when offset is None)."""

    def __init__(self, data: bytes, offset: int | None = None) -> None:
        self.data = data
        self.count = 0
        self.offsets: list[int] = []
        if offset is None:
            offset = _u16(data, 2) if len(data) >= 8 else 0
        if offset + 28 > len(data) or _u16(data, offset) != RES_STRING_POOL_TYPE:
            return
        header_size, size = _u16(data, offset + 2), _u32(data, offset + 4)
        count, flags, strings_start = _u32(data, offset + 8), _u32(data, offset + 16), _u32(data, offset + 20)
        end = min(offset + size, len(data))
        table = offset + header_size
        if table + 4 * count > end or offset + strings_start > end:
            return
        self.utf8 = bool(flags & UTF8_FLAG)
        self.base = offset + strings_start
        self.end = end
        self.count = count
        self.table = table
        raw = memoryview(data)[table : table + 4 * count].cast("I")
        self.order = sorted(range(count), key=raw.__getitem__)
        self.offsets = [self.base + raw[i] for i in self.order]

    def string(self, index: int) -> str:
        """The string at `index` (table order)."""
        return self._decode_at(self.base + _u32(self.data, self.table + 4 * index))

    def _decode_at(self, pos: int) -> str:
        data = self.data
        try:
            if self.utf8:
                pos += 2 if data[pos] & 0x80 else 1  # length in characters
                length = data[pos] & 0x7F
                if data[pos] & 0x80:
                    length = length << 8 | data[pos + 1]
                    pos += 1
                pos += 1
                return data[pos : pos + length].decode("utf-8", errors="replace")
            length = _u16(data, pos)
            if length & 0x8000:
                length = (length & 0x7FFF) << 16 | _u16(data, pos + 2)
                pos += 2
            pos += 2
            return data[pos : pos + 2 * length].decode("utf-16-le", errors="replace")
        except IndexError:
            return ""

    def containing(self, words: tuple[str, ...], limit: int = 200) -> list[str]:
        """Strings that contain any of `words` (exact case), at most `limit`."""
        if not self.count:
            return []
        hits: set[int] = set()
        for word in words:
            needle = word.encode("utf-8" if self.utf8 else "utf-16-le")
            pos = self.data.find(needle, self.base, self.end)
            while pos >= 0 and len(hits) < limit:
                i = bisect_right(self.offsets, pos) - 1
                if i >= 0:
                    hits.add(i)
                pos = self.data.find(needle, pos + len(needle), self.end)
        found = [self._decode_at(self.offsets[i]) for i in sorted(hits)]
        return [text for text in found if any(word in text for word in words)]
