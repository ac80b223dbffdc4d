"""Who is who: match declared SDK rows to SDKs found in code and traffic, and compute coverage.

Rules (see docs/reports.md):
- an observed SDK is covered for *presence* by a declared row with the same catalog id, or by a declared
  row for its umbrella family (a declared 友盟+ `umeng` covers `umeng_push`); a child never covers its
  siblings; an observed umbrella (the family's core, e.g. `jiguang_core` seen at jpush.cn) is covered by any
  declared member of its family (a declared JPush covers the JCore it ships with);
- SDKs without a catalog id match by normalised name only;
- identifiers are covered *per covering row*: the union of the identifiers listed by the rows that cover
  the SDK; precise_location also covers coarse_location;
- the app's own (first-party) declared identifiers cover first-party collection only, never an SDK's.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from candor.catalog import session
from candor.catalog.normalize import normalize_name
from candor.model import DeclaredSdk, DeclaredTable, Source

APP = "app"
IMPLIED: dict[str, tuple[str, ...]] = {"precise_location": ("coarse_location",)}


def sdk_key(sdk_id: str | None, name: str) -> str:
    """The matrix / fingerprint key of an SDK: its catalog id, else its normalised name."""
    return sdk_id if sdk_id else "name:" + (normalize_name(name) or name.strip().lower())


def expand_identifiers(identifiers: Iterable[str]) -> set[str]:
    """Declared identifiers plus the ones they imply (precise location covers coarse location)."""
    result = set(identifiers)
    for identifier in list(result):
        result.update(IMPLIED.get(identifier, ()))
    return result


def family_of(sdk_id: str | None) -> str | None:
    if not sdk_id:
        return None
    entry = session.current_catalog().sdk(sdk_id)
    return entry.family if entry else None


def umbrellas() -> set[str]:
    """Catalog ids that are the family of some other SDK."""
    return {e.family for e in session.current_catalog().sdks.values() if e.family}


def display_name(sdk_id: str | None, fallback: str) -> tuple[str, str | None]:
    """(English, Chinese) display name of an SDK, from the catalog when known."""
    entry = session.current_catalog().sdk(sdk_id) if sdk_id else None
    if entry is None:
        return fallback, None
    return entry.name.en, entry.name.zh


def registrable_domain(host: str) -> str:
    """A cheap registrable-domain guess (the traffic analyser supplies the precise one)."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and labels[-2] in {"com", "net", "org", "gov", "edu", "co"} and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


@dataclass
class DeclaredRow:
    """A declared SDK row with its resolved catalog id and match key."""

    row: DeclaredSdk
    sdk_id: str | None
    key: str


@dataclass
class Declarations:
    """The policy, indexed for coverage questions."""

    table: DeclaredTable | None
    rows: list[DeclaredRow] = field(default_factory=list)

    @classmethod
    def build(cls, table: DeclaredTable | None) -> "Declarations":
        index = cls(table)
        if table is None:
            return index
        catalog = session.current_catalog()
        for row in table.sdks:
            sdk_id = row.sdk_id
            if sdk_id is None:
                match = catalog.resolve_sdk(row.name, fuzzy=False)
                sdk_id = match.sdk_id if match else None
            index.rows.append(DeclaredRow(row, sdk_id, sdk_key(sdk_id, row.name)))
        return index

    @property
    def present(self) -> bool:
        return self.table is not None

    def covering(self, sdk_id: str | None, name: str) -> list[DeclaredRow]:
        """Declared rows that cover an observed SDK for presence (same id, or its family)."""
        key = sdk_key(sdk_id, name)
        family = family_of(sdk_id)
        umbrella = sdk_id is not None and sdk_id in umbrellas()
        return [
            r
            for r in self.rows
            if r.key == key or (family is not None and r.sdk_id == family) or (umbrella and family_of(r.sdk_id) == sdk_id)
        ]

    def identifiers_for(self, rows: list[DeclaredRow]) -> set[str]:
        return expand_identifiers(i for r in rows for i in r.row.identifiers)

    def first_party_identifiers(self) -> set[str]:
        return expand_identifiers(d.identifier for d in self.table.identifiers) if self.table else set()

    def permissions(self) -> dict[str, list[str]]:
        """Declared permission -> who declares it ('app' or the SDK's name as written)."""
        return {perm: sorted({who for who, _, _ in sources}) for perm, sources in self.permission_sources().items()}

    def permission_sources(self) -> dict[str, list[tuple[str, str, Source]]]:
        """Declared permission -> [(declarer, phrase as written, where)], app list and SDK rows together."""
        result: dict[str, list[tuple[str, str, Source]]] = {}
        if self.table is None:
            return result
        for permission in self.table.permissions:
            result.setdefault(permission.permission, []).append((APP, permission.phrase, permission.source))
        for r in self.rows:
            for permission in r.row.permissions:
                result.setdefault(permission, []).append((r.row.name, r.row.name, r.row.source))
        return result

    def domains(self) -> set[str]:
        """Registrable domains the policy names: linked sites and the catalog domains of declared SDKs."""
        result: set[str] = set()
        if self.table is None:
            return result
        for link in self.table.links:
            host = urlsplit(link.url).hostname if link.url else None
            if host:
                result.add(registrable_domain(host))
        catalog = session.current_catalog()
        for r in self.rows:
            entry = catalog.sdk(r.sdk_id) if r.sdk_id else None
            for domain in entry.domains if entry else ():
                result.add(registrable_domain(domain))
        return result
