"""Who is who: match declared SDK rows to SDKs found in code and traffic, and compute coverage.

Rules (see docs/reports.md):
- an observed SDK is covered for *presence* by a declared row with the same catalog id, or by a declared
  row for its umbrella family (a declared 友盟+ `umeng` covers `umeng_push`); a child never covers its
  siblings; an observed umbrella (the family's core, e.g. `jiguang_core` seen at jpush.cn) is covered by any
  declared member of its family (a declared JPush covers the JCore it ships with);
- the unit of an SDK finding is the *product* a policy names (EmbeddedSdk.product_id, else the catalog id):
  a product is covered when a row covers it or any of its components; a declared *party* (a vendor named
  without an SDK name) covers every SDK of that vendor for presence;
- SDKs without a catalog id match by normalised name only;
- identifiers are covered *per covering row*: the union of the identifiers listed by the rows that cover
  the SDK; precise_location also covers coarse_location;
- the app's own (first-party) declared identifiers cover first-party collection only, never an SDK's.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from candor.catalog.catalog import Catalog
from candor.model import DeclaredSdk, DeclaredTable, NegativeDeclaration, Source
from candor.model.common import sdk_key
from candor.normalize import normalize_name
from reports.rules import identifiers_in_phrases

APP = "app"
IMPLIED: dict[str, tuple[str, ...]] = {"precise_location": ("coarse_location",)}


def expand_identifiers(identifiers: Iterable[str]) -> set[str]:
    """Declared identifiers plus the ones they imply (precise location covers coarse location)."""
    result = set(identifiers)
    for identifier in list(result):
        result.update(IMPLIED.get(identifier, ()))
    return result


def family_of(sdk_id: str | None, catalog: Catalog) -> str | None:
    """The umbrella id of a catalog SDK (None when it has none or is not in the catalog)."""
    if not sdk_id:
        return None
    entry = catalog.sdk(sdk_id)
    return entry.family if entry else None


def display_name(sdk_id: str | None, fallback: str, catalog: Catalog) -> tuple[str, str | None]:
    """(English, Chinese) display name of an SDK, from the catalog when known."""
    entry = catalog.sdk(sdk_id) if sdk_id else None
    if entry is None:
        return fallback, None
    return entry.name.en, entry.name.zh


def registrable_domain(host: str) -> str:
    """A cheap registrable-domain guess (the traffic analyser supplies the precise one)."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and labels[-2] in {"com", "net", "org", "gov", "edu", "co"} and len(labels[-1]) == 2:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


COMPANY_NOISE = re.compile(
    r"(股份有限公司|有限责任公司|有限公司|集团|公司|co\.?,?\s*ltd\.?|inc\.?|llc|limited|corporation|corp\.?|technology|technologies)", re.I
)
REGION = re.compile(r"^(北京|上海|深圳|深圳市|杭州|广州|广州市|南京|成都|武汉|珠海|厦门|天津)|[（(][^）)]*[）)]")


def organisation_names(*names: str | None) -> set[str]:
    """Normalised spellings of an organisation (full name and its core without region and legal suffix)."""
    result: set[str] = set()
    for name in names:
        if not name:
            continue
        full = normalize_name(name)
        if full:
            result.add(full)
        core = normalize_name(COMPANY_NOISE.sub("", REGION.sub("", name.strip())))
        core = re.sub(r"(科技|信息技术|网络技术|计算机系统|信息|网络|技术|软件)+$", "", core)
        if len(core) >= 2:
            result.add(core)
    return result


def same_organisation(a: set[str], b: set[str]) -> bool:
    """Two organisation spellings name the same company (one core contains the other, 2+ characters)."""
    return any(x == y or (len(x) >= 2 and len(y) >= 2 and (x in y or y in x)) for x in a for y in b)


@dataclass
class DeclaredRow:
    """A declared SDK row (or party) with its resolved catalog id and match key."""

    row: DeclaredSdk
    sdk_id: str | None
    key: str

    @property
    def is_party(self) -> bool:
        return self.row.kind == "party"


@dataclass
class Declarations:
    """The policy, indexed for coverage questions."""

    table: DeclaredTable | None
    catalog: Catalog
    rows: list[DeclaredRow] = field(default_factory=list)

    @classmethod
    def build(cls, table: DeclaredTable | None, catalog: Catalog) -> "Declarations":
        index = cls(table, catalog)
        if table is None:
            return index
        for row in table.sdks:
            sdk_id = row.sdk_id
            if sdk_id is None and row.kind != "party":
                sdk_id = index.resolve(row.name)
            index.rows.append(DeclaredRow(row, sdk_id, sdk_key(sdk_id, row.name)))
        return index

    def resolve(self, name: str) -> str | None:
        """The catalog SDK a declared name means: an exact name or alias, else the one SDK whose names it contains
        ("MobTech SMSSDK" -> MobTech), taking the longest alias and only when every hit is one SDK or its family."""
        match = self.catalog.resolve_sdk(name, fuzzy=False)
        if match:
            return match.sdk_id
        hits = sorted(self.catalog.names.contains(name), key=lambda hit: -len(hit[1]))
        roots = {self.family(sdk_id) or sdk_id for sdk_id, _ in hits}
        return hits[0][0] if hits and len(roots) == 1 else None

    @property
    def present(self) -> bool:
        return self.table is not None

    def family(self, sdk_id: str | None) -> str | None:
        entry = self.catalog.sdk(sdk_id) if sdk_id else None
        return entry.family if entry else None

    def covering(self, sdk_id: str | None, name: str, members: Iterable[str] = ()) -> list[DeclaredRow]:
        """Declared rows that cover an observed SDK or product for presence.

        A row covers it when it names the SDK, the product, one of the product's components (`members`), the
        umbrella family of any of them, or a product of which the SDK is the umbrella core; a party row, or a row
        whose name Candor cannot map but whose company is the SDK's catalog vendor, covers every SDK of that vendor.
        """
        key = sdk_key(sdk_id, name)
        ids = {i for i in (sdk_id, *members) if i}
        families = {f for f in (self.family(i) for i in ids) if f}
        vendors = self._vendor_names(ids)
        result = []
        for r in self.rows:
            named = r.sdk_id is not None and (r.sdk_id in ids or r.sdk_id in families or self.family(r.sdk_id) in ids)
            spelled = organisation_names(r.row.name if r.is_party else None, r.row.company)
            as_vendor = (r.is_party or r.sdk_id is None) and bool(vendors) and same_organisation(spelled, vendors)
            if r.key == key or named or as_vendor:
                result.append(r)
        return result

    def _vendor_names(self, ids: set[str]) -> set[str]:
        names: set[str] = set()
        for sdk_id in ids:
            entry = self.catalog.sdk(sdk_id)
            if entry and entry.vendor:
                names |= organisation_names(entry.vendor.zh, entry.vendor.en)
        return names

    def names_organisation(self, names: set[str], domain: str | None = None) -> list[DeclaredRow]:
        """Declared rows (SDKs or parties) whose company, name or catalog vendor is this organisation, or whose
        SDK's catalog domains share the registrable domain."""
        result = []
        for r in self.rows:
            spelled = organisation_names(r.row.company, r.row.name if r.is_party else None)
            entry = self.catalog.sdk(r.sdk_id) if r.sdk_id else None
            if entry and entry.vendor:
                spelled |= organisation_names(entry.vendor.zh, entry.vendor.en)
            domains = {registrable_domain(d) for d in entry.domains} if entry else set()
            if (names and same_organisation(spelled, names)) or (domain and domain in domains):
                result.append(r)
        return result

    def identifiers_for(self, rows: list[DeclaredRow]) -> set[str]:
        """Identifiers the rows declare, and what those imply; a row that lists none but names a category
        ("设备标识符") declares the identifiers of that category. A row that lists some is held to its list."""
        declared: set[str] = set()
        for r in rows:
            declared |= set(r.row.identifiers) or identifiers_in_phrases(r.row.personal_data)
        return expand_identifiers(declared)

    def first_party_identifiers(self) -> set[str]:
        return expand_identifiers(d.identifier for d in self.table.identifiers) if self.table else set()

    def denied_identifiers(self) -> dict[str, NegativeDeclaration]:
        """Identifiers the policy says are not collected."""
        return {n.identifier: n for n in (self.table.not_declared if self.table else []) if n.identifier}

    def denied_permissions(self) -> dict[str, NegativeDeclaration]:
        """Permissions the policy says are not requested."""
        return {n.permission: n for n in (self.table.not_declared if self.table else []) if n.permission}

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
        """Registrable domains the policy names: linked sites, privacy URLs and the catalog domains of declared SDKs."""
        result: set[str] = set()
        if self.table is None:
            return result
        urls = [link.url for link in self.table.links] + [r.row.privacy_url for r in self.rows]
        for url in urls:
            host = urlsplit(url).hostname if url else None
            if host:
                result.add(registrable_domain(host))
        for r in self.rows:
            entry = self.catalog.sdk(r.sdk_id) if r.sdk_id else None
            for domain in entry.domains if entry else ():
                result.add(registrable_domain(domain))
        return result
