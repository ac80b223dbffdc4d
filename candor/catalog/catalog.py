"""The catalog: SDKs, permissions and identifiers, with compiled matchers."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from candor.catalog.matchers import DomainIndex, LibraryIndex, NameIndex, NameMatch, PrefixIndex
from candor.catalog.schema import IdentifierApi, IdentifierEntry, PermissionEntry, PermissionPhrase, SdkEntry
from candor.normalize import normalize_name

ANDROID_PERMISSION = "android.permission."


@dataclass(frozen=True)
class SearchHit:
    """A catalog SDK found by `Catalog.search`, with the alias that matched."""

    sdk: SdkEntry
    alias: str
    score: float


@dataclass
class Catalog:
    """One source of truth for policy parsing, APK scanning and traffic attribution."""

    sdks: dict[str, SdkEntry]
    permissions: dict[str, PermissionEntry]
    permission_phrases: list[PermissionPhrase]
    identifiers: dict[str, IdentifierEntry]
    warnings: list[str] = field(default_factory=list)

    # -- SDKs -------------------------------------------------------------------------
    def sdk(self, sdk_id: str) -> SdkEntry | None:
        return self.sdks.get(sdk_id)

    @cached_property
    def names(self) -> NameIndex:
        return NameIndex({sdk.id: _all_names(sdk) for sdk in self.sdks.values()})

    @cached_property
    def packages(self) -> PrefixIndex:
        return PrefixIndex({p: sdk.id for sdk in self.sdks.values() for p in sdk.packages})

    @cached_property
    def component_prefixes(self) -> PrefixIndex:
        return PrefixIndex({p: sdk.id for sdk in self.sdks.values() for p in sdk.components})

    @cached_property
    def domains(self) -> DomainIndex:
        return DomainIndex({d: sdk.id for sdk in self.sdks.values() for d in sdk.domains})

    @cached_property
    def meta_keys(self) -> dict[str, str]:
        return {k: sdk.id for sdk in self.sdks.values() for k in sdk.meta_data}

    @cached_property
    def libraries(self) -> LibraryIndex:
        return LibraryIndex({n: sdk.id for sdk in self.sdks.values() for n in sdk.native_libs})

    def resolve_sdk(self, name: str, fuzzy: bool = True) -> NameMatch | None:
        """The SDK a policy spelling refers to (`BuglySDk` -> tencent_bugly)."""
        return self.names.match(name, fuzzy=fuzzy)

    def sdk_for_class(self, dotted_class: str) -> SdkEntry | None:
        """The SDK owning a Java class or package (longest prefix)."""
        hit = self.packages.match(dotted_class)
        return self.sdks[hit[0]] if hit else None

    def sdk_for_component(self, dotted_class: str) -> SdkEntry | None:
        """The SDK owning a manifest component: component prefixes first, then packages."""
        hit = self.component_prefixes.match(dotted_class) or self.packages.match(dotted_class)
        return self.sdks[hit[0]] if hit else None

    def sdk_for_host(self, host: str) -> SdkEntry | None:
        """The SDK a network host belongs to."""
        hit = self.domains.match(host)
        return self.sdks[hit[0]] if hit else None

    def sdk_for_meta_key(self, key: str) -> SdkEntry | None:
        owner = self.meta_keys.get(key)
        return self.sdks[owner] if owner else None

    def sdk_for_library(self, filename: str) -> SdkEntry | None:
        hit = self.libraries.match(filename)
        return self.sdks[hit[0]] if hit else None

    def search(self, query: str, limit: int = 10) -> list[SearchHit]:
        """SDKs matching a query: exact alias, then alias containing it, then fuzzy."""
        normalized = normalize_name(query)
        if not normalized:
            return []
        hits: dict[str, SearchHit] = {}
        exact = self.names.match(query, fuzzy=False)
        if exact:
            hits[exact.sdk_id] = SearchHit(self.sdks[exact.sdk_id], exact.alias, 1.0)
        for sdk in self.sdks.values():
            if sdk.id in hits:
                continue
            for name in _all_names(sdk):
                candidate = normalize_name(name)
                if candidate and normalized in candidate:
                    hits[sdk.id] = SearchHit(sdk, name, round(0.5 + 0.4 * len(normalized) / len(candidate), 3))
                    break
        if not hits:
            fuzzy = self.names.match(query)
            if fuzzy:
                hits[fuzzy.sdk_id] = SearchHit(self.sdks[fuzzy.sdk_id], fuzzy.alias, fuzzy.confidence * 0.9)
        return sorted(hits.values(), key=lambda h: (-h.score, h.sdk.id))[:limit]

    # -- permissions ------------------------------------------------------------------
    def permission(self, name: str) -> PermissionEntry | None:
        return self.permissions.get(name)

    def protection_level(self, name: str) -> str:
        """dangerous / normal / signature / special / internal, or `unknown` (custom)."""
        entry = self.permissions.get(name)
        return entry.level if entry else "unknown"

    def is_dangerous(self, name: str) -> bool:
        return self.protection_level(name) == "dangerous"

    @cached_property
    def _permission_constants(self) -> NameIndex:
        return NameIndex(
            {name: [name.rsplit(".", 1)[-1], name] for name in self.permissions if "." in name}
        )

    def resolve_permission(self, token: str) -> tuple[str, float] | None:
        """Full permission name for a constant as written, tolerating OCR damage.

        `YRITE_EXTERNAL_STORAGE` -> (`android.permission.WRITE_EXTERNAL_STORAGE`, 0.955).
        """
        token = token.strip()
        if token in self.permissions:
            return token, 1.0
        upper = token.upper()
        if upper.startswith(ANDROID_PERMISSION.upper()):
            upper = upper[len(ANDROID_PERMISSION) :]
        if ANDROID_PERMISSION + upper in self.permissions:
            return ANDROID_PERMISSION + upper, 1.0 if upper == token.rsplit(".", 1)[-1] else 0.98
        match = self._permission_constants.match(upper)
        if match is None:
            return None
        return match.sdk_id, match.confidence

    @cached_property
    def phrase_index(self) -> dict[str, list[str]]:
        """Normalised policy phrase -> permissions it stands for."""
        index: dict[str, list[str]] = {}
        for entry in self.permission_phrases:
            for phrase in entry.phrases:
                bucket = index.setdefault(normalize_name(phrase), [])
                bucket.extend(p for p in entry.permissions if p not in bucket)
        return index

    def permissions_for_phrase(self, phrase: str) -> list[str]:
        """Permissions a policy phrase such as 读写手机存储 stands for (exact phrase)."""
        return list(self.phrase_index.get(normalize_name(phrase), []))

    # -- identifiers ------------------------------------------------------------------
    def identifier(self, identifier_id: str) -> IdentifierEntry | None:
        return self.identifiers.get(identifier_id)

    @cached_property
    def identifier_terms(self) -> NameIndex:
        """Normalised policy phrasings -> identifier id."""
        return NameIndex({i.id: [i.name.en, *([i.name.zh] if i.name.zh else []), *i.terms] for i in self.identifiers.values()})

    @cached_property
    def identifier_apis(self) -> dict[str, list[tuple[str, str | None]]]:
        """Dotted API (class.method) -> [(identifier id, required string argument)]."""
        index: dict[str, list[tuple[str, str | None]]] = {}
        for entry in self.identifiers.values():
            for api in entry.apis:
                index.setdefault(api.api, []).append((entry.id, api.arg))
        return index

    @cached_property
    def identifier_api_entries(self) -> dict[str, list[tuple[str, IdentifierApi]]]:
        """Dotted API -> [(identifier id, its catalog entry with the call-site semantics)]."""
        index: dict[str, list[tuple[str, IdentifierApi]]] = {}
        for entry in self.identifiers.values():
            for api in entry.apis:
                index.setdefault(api.api, []).append((entry.id, api))
        return index


def _all_names(sdk: SdkEntry) -> list[str]:
    names = [sdk.id, sdk.name.en, *sdk.aliases]
    if sdk.name.zh:
        names.append(sdk.name.zh)
    return names


def iter_names(sdks: Iterable[SdkEntry]) -> Iterable[tuple[str, str]]:
    """(sdk id, name) for every name and alias of every SDK."""
    for sdk in sdks:
        for name in _all_names(sdk):
            yield sdk.id, name
