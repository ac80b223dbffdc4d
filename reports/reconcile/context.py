"""The reconciler's view of one evidence bundle, shared by every rule module."""

from collections import defaultdict
from dataclasses import dataclass, field

from candor.model import CallSite, TrafficObservation
from candor.model.static import EmbeddedSdk
from reports.evidence import EvidenceBundle
from reports.reconcile.common import ReconcileConfig
from reports.reconcile.entities import APP, Declarations, registrable_domain, sdk_key


def is_first_party_site(site: CallSite) -> bool:
    return site.sdk_id is None and site.name.strip().lower() in ("app", "")


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
    """Evidence bundle + indexed declarations + config."""

    bundle: EvidenceBundle
    config: ReconcileConfig
    decl: Declarations = field(init=False)
    observations: list[TrafficObservation] = field(init=False)

    def __post_init__(self) -> None:
        self.decl = Declarations.build(self.bundle.declared)
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
        return list(self.bundle.scan.sdks) if self.bundle.scan else []

    def call_sites(self) -> list[CallSite]:
        return list(self.bundle.scan.call_sites) if self.bundle.scan else []

    def sdk_call_sites(self) -> dict[str, list[CallSite]]:
        """SDK key -> its identifier-reading call sites (first-party sites excluded)."""
        result: dict[str, list[CallSite]] = defaultdict(list)
        for site in self.call_sites():
            if not is_first_party_site(site):
                result[sdk_key(site.sdk_id, site.name)].append(site)
        return result

    def sdk_observations(self) -> dict[str, list[TrafficObservation]]:
        """SDK key -> observations of data sent to it."""
        result: dict[str, list[TrafficObservation]] = defaultdict(list)
        for obs in self.observations:
            if obs.party == "sdk":
                result[sdk_key(obs.sdk_id, obs.name)].append(obs)
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
