"""The reconciler's view of one evidence bundle, shared by every rule module."""

from collections import defaultdict
from dataclasses import dataclass, field

from candor.catalog.catalog import Catalog
from candor.model import CallSite, TrafficObservation
from candor.model.static import EmbeddedSdk
from reports.evidence import EvidenceBundle
from reports.reconcile.common import ReconcileConfig
from reports.reconcile.entities import APP, Declarations, DeclaredRow, registrable_domain, sdk_key
from reports.rules import code_alone_not_collection, not_collection_apis


def site_owner(site: CallSite) -> tuple[str, str | None]:
    """(kind, id) of who owns a call site: app, sdk, library, platform or unknown_third_party.

    Scans written before ownership existed say only `sdk_id`/`name`; those count as the SDK's or the app's.
    """
    kind, _, ident = site.owner.partition(":")
    if kind == "app" and (site.sdk_id or site.name.strip().lower() not in ("app", "")):
        return "sdk", site.sdk_id
    if kind == "sdk" and not ident:
        return "sdk", site.sdk_id
    return kind, ident or None


def collects(site: CallSite) -> bool:
    """The call collects: the scan says so, rules.yaml does not list its API as returning only the caller's own data,
    and its identifier is not one that code reads for compatibility (device model, OS version: charged when sent)."""
    return site.collection and site.api not in not_collection_apis() and site.identifier not in code_alone_not_collection()


def is_first_party_site(site: CallSite) -> bool:
    """A collecting call in the app's own code."""
    return collects(site) and site_owner(site)[0] == "app"


def is_sdk_site(site: CallSite) -> bool:
    """A collecting call in an SDK's code (libraries, the platform and unknown code are never charged)."""
    return collects(site) and site_owner(site)[0] == "sdk"


def party_key(obs: TrafficObservation) -> str:
    """Who received the data: an SDK key, 'app', or 'domain:<registrable domain>'."""
    if obs.party == "first_party":
        return APP
    if obs.party == "sdk":
        return sdk_key(obs.sdk_id, obs.name)
    return "domain:" + obs_domain(obs)


def obs_domain(obs: TrafficObservation) -> str:
    return obs.registrable_domain or registrable_domain(obs.host)


@dataclass
class Context:
    """Evidence bundle + the catalog it is read against + indexed declarations + config."""

    bundle: EvidenceBundle
    config: ReconcileConfig
    catalog: Catalog
    decl: Declarations = field(init=False)
    observations: list[TrafficObservation] = field(init=False)

    def __post_init__(self) -> None:
        self.decl = Declarations.build(self.bundle.declared, self.catalog)
        self.observations = mark_bursts(list(self.bundle.observations or []), self.config.max_per_minute)

    @property
    def package(self) -> str | None:
        return self.bundle.package

    @property
    def document(self) -> str | None:
        table = self.bundle.declared
        return table.document if table else None

    @property
    def has_code(self) -> bool:
        return self.bundle.scan is not None

    @property
    def has_traffic(self) -> bool:
        return self.bundle.observations is not None

    def embedded_sdks(self) -> list[EmbeddedSdk]:
        """SDKs whose own code ships in the APK and that handle personal information (libraries excluded)."""
        return [s for s in self.all_sdks() if s.presence == "embedded" and not self.is_library(s)]

    def all_sdks(self) -> list[EmbeddedSdk]:
        """Every SDK the scan found, at every presence tier."""
        return list(self.bundle.scan.sdks) if self.bundle.scan else []

    def is_library(self, sdk: EmbeddedSdk) -> bool:
        """Utility code: the scan or the catalog says role library."""
        entry = self.catalog.sdk(sdk.sdk_id) if sdk.sdk_id else None
        return sdk.role == "library" or (entry is not None and getattr(entry, "role", "sdk") == "library")

    def product_of(self, sdk_id: str | None, name: str) -> tuple[str, str | None, str]:
        """(key, catalog id, display name) of the product a policy would name for an SDK."""
        for sdk in self.all_sdks():
            if sdk.product_id and (sdk.sdk_id == sdk_id if sdk_id else sdk.name == name):
                entry = self.catalog.sdk(sdk.product_id)
                label = self._product_label(sdk.product_id, sdk.product_name or (entry.name.en if entry else sdk.product_id))
                return sdk.product_id, sdk.product_id if entry else sdk_id, label
        entry = self.catalog.sdk(sdk_id) if sdk_id else None
        family = entry.family if entry else None
        if family and any(s.product_id == family for s in self.all_sdks()):
            return self.product_of(next(s.sdk_id for s in self.all_sdks() if s.product_id == family), name)
        return sdk_key(sdk_id, name), sdk_id, entry.name.en if entry else name

    def _product_label(self, product_id: str, fallback: str) -> str:
        """A product without a name of its own: its only embedded component's name (JPush, not the JCore umbrella)."""
        members = [s for s in self.embedded_sdks() if s.product_id == product_id]
        if len(members) == 1 and members[0].sdk_id and members[0].sdk_id != product_id:
            entry = self.catalog.sdk(members[0].sdk_id)
            return entry.name.en if entry else members[0].name
        return fallback

    def products(self) -> dict[str, tuple[str | None, str, list[EmbeddedSdk]]]:
        """Product key -> (catalog id, display name, its embedded components)."""
        result: dict[str, tuple[str | None, str, list[EmbeddedSdk]]] = {}
        for sdk in self.embedded_sdks():
            key, product_id, label = self.product_of(sdk.sdk_id, sdk.name)
            result.setdefault(key, (product_id, label, []))[2].append(sdk)
        return result

    def covering_product(self, key: str, sdk_id: str | None, name: str) -> list[DeclaredRow]:
        """Declared rows covering a product (by its id, any component or their families, or the vendor as party)."""
        product_id, label, members = self.products().get(key, (sdk_id, name, []))
        return self.decl.covering(product_id, label, [i for i in (sdk_id, *(m.sdk_id for m in members)) if i])

    def call_sites(self) -> list[CallSite]:
        return list(self.bundle.scan.call_sites) if self.bundle.scan else []

    def sdk_call_sites(self) -> dict[str, list[CallSite]]:
        """Product key -> the collecting call sites in its SDKs' code (app, library, platform and unknown code excluded)."""
        result: dict[str, list[CallSite]] = defaultdict(list)
        for site in self.call_sites():
            if is_sdk_site(site):
                sdk_id = site_owner(site)[1] or site.sdk_id
                result[self.product_of(sdk_id, site.name)[0]].append(site)
        return result

    def sdk_observations(self) -> dict[str, list[TrafficObservation]]:
        """Product key -> observations of data sent to its SDKs."""
        result: dict[str, list[TrafficObservation]] = defaultdict(list)
        for obs in self.observations:
            if obs.party == "sdk":
                result[self.product_of(obs.sdk_id, obs.name)[0]].append(obs)
        return result


def mark_bursts(observations: list[TrafficObservation], max_per_minute: int | None) -> list[TrafficObservation]:
    """With a configured rate, mark every send that exceeds N per 60 s for one (party, identifier)."""
    if not max_per_minute:
        return observations
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, obs in enumerate(observations):
        groups[(party_key(obs), obs.identifier)].append(index)
    result = list(observations)
    for indexes in groups.values():
        indexes.sort(key=lambda i: observations[i].timestamp)
        start = 0
        for end, index in enumerate(indexes):
            while observations[index].timestamp - observations[indexes[start]].timestamp >= 60.0:
                start += 1
            if end - start + 1 > max_per_minute:
                for burst_index in indexes[start : end + 1]:
                    result[burst_index] = result[burst_index].model_copy(update={"burst": True})
    return result
