"""Compiled lookups: names, Java packages, hosts, meta-data keys and native libraries."""

import fnmatch
from dataclasses import dataclass

from candor.normalize import edit_distance, fuzzy_limit, normalize_name


@dataclass(frozen=True)
class NameMatch:
    """A catalog id matched by a name, with how sure the match is."""

    sdk_id: str
    alias: str
    confidence: float
    exact: bool


class NameIndex:
    """Exact and edit-distance matching of names against normalised aliases."""

    def __init__(self, names: dict[str, list[str]]) -> None:
        self._exact: dict[str, tuple[str, str]] = {}
        for key, aliases in names.items():
            for alias in aliases:
                normalized = normalize_name(alias)
                if normalized:
                    self._exact.setdefault(normalized, (key, alias))
        self._by_length: dict[int, list[str]] = {}
        for normalized in self._exact:
            self._by_length.setdefault(len(normalized), []).append(normalized)

    def owner(self, normalized: str) -> str | None:
        """The id owning an already-normalised alias."""
        hit = self._exact.get(normalized)
        return hit[0] if hit else None

    def match(self, text: str, fuzzy: bool = True) -> NameMatch | None:
        """Best match for `text`: exact after normalisation, else the closest within the limit."""
        normalized = normalize_name(text)
        if not normalized:
            return None
        hit = self._exact.get(normalized)
        if hit:
            return NameMatch(hit[0], hit[1], 1.0, True)
        if not fuzzy:
            return None
        limit = fuzzy_limit(len(normalized))
        best: tuple[int, str] | None = None
        for length in range(len(normalized) - limit, len(normalized) + limit + 1):
            for candidate in self._by_length.get(length, ()):
                distance = edit_distance(normalized, candidate, limit)
                if distance <= limit and (best is None or distance < best[0]):
                    best = (distance, candidate)
        if best is None:
            return None
        key, alias = self._exact[best[1]]
        confidence = round(1 - best[0] / max(len(normalized), len(best[1])), 3)
        return NameMatch(key, alias, confidence, False)

    def contains(self, text: str) -> list[tuple[str, str]]:
        """(id, alias) for every alias that is a substring of the normalised text."""
        normalized = normalize_name(text)
        return [hit for alias, hit in self._exact.items() if alias and alias in normalized]


class PrefixIndex:
    """Longest dotted-prefix match, e.g. com.umeng.commonsdk.X -> umeng_common."""

    def __init__(self, prefixes: dict[str, str]) -> None:
        self._prefixes = prefixes

    def match(self, dotted: str) -> tuple[str, str] | None:
        """(id, prefix) of the longest registered prefix of `dotted`, or None."""
        name = dotted
        while name:
            owner = self._prefixes.get(name)
            if owner is not None:
                return owner, name
            cut = name.rfind(".")
            if cut < 0:
                return None
            name = name[:cut]
        return None

    def __len__(self) -> int:
        return len(self._prefixes)


class DomainIndex:
    """Host suffix match on label boundaries: a.b.umeng.com matches umeng.com."""

    def __init__(self, domains: dict[str, str]) -> None:
        self._domains = domains

    def match(self, host: str) -> tuple[str, str] | None:
        """(id, domain) of the most specific registered domain covering `host`."""
        name = host.lower().rstrip(".")
        while name:
            owner = self._domains.get(name)
            if owner is not None:
                return owner, name
            cut = name.find(".")
            if cut < 0:
                return None
            name = name[cut + 1 :]
        return None


class LibraryIndex:
    """Native library names, exact or with `*` wildcards."""

    def __init__(self, names: dict[str, str]) -> None:
        self._exact = {name: owner for name, owner in names.items() if "*" not in name}
        self._patterns = [(name, owner) for name, owner in names.items() if "*" in name]

    def match(self, filename: str) -> tuple[str, str] | None:
        """(id, pattern) for a library file name such as libBugly.so."""
        base = filename.rsplit("/", 1)[-1]
        owner = self._exact.get(base)
        if owner is not None:
            return owner, base
        for pattern, owner in self._patterns:
            if fnmatch.fnmatchcase(base, pattern):
                return owner, pattern
        return None
