"""Shared pieces of the reconciler: config, stable finding ids, finding and evidence builders."""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from candor.masking import mask_value
from candor.model import CallSite, Evidence, Finding, Source, TrafficObservation
from candor.model.static import EmbeddedSdk
from reports.rules import confidence_tiers, kind_rules


@dataclass(frozen=True)
class ReconcileConfig:
    """Knobs of the reconciler."""

    show_values: bool = False
    max_per_minute: int | None = None  # recompute bursts: more than N sends of one identifier per 60 s
    max_evidence: int = 25  # flows / call sites listed per finding (the rest are counted)


def finding_id(kind: str, package: str | None, sdk: str | None, identifier: str | None, permission: str | None, domain: str | None) -> str:
    """Stable fingerprint of a finding's subject: same subject in two releases, same id."""
    key = "|".join((kind, package or "", sdk or "", identifier or "", permission or "", domain or ""))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def make_finding(
    kind: str,
    *,
    package: str | None,
    message: str,
    evidence: list[Evidence],
    tier: str,
    facts: Mapping[str, object] | None = None,
    variant: str | None = None,
    confidence: float | None = None,
    sdk_key: str | None = None,
    sdk_id: str | None = None,
    sdk_name: str | None = None,
    identifier: str | None = None,
    permission: str | None = None,
    domain: str | None = None,
) -> Finding:
    """A finding with its severity, titles, rules and `why` taken from rules.yaml.

    `tier` is the strongest evidence tier behind it (rules.yaml `confidence`); `confidence` overrides it when the
    evidence carries its own (a traffic detection by value shape). `facts` fill the `why` template.
    """
    rule = kind_rules()[kind]
    values = {"name": sdk_name, "identifier": identifier, "permission": permission, "domain": domain}
    values.update(facts or {})
    return Finding(
        id=finding_id(kind, package, sdk_key or sdk_id, identifier, permission, domain),
        kind=kind,  # type: ignore[arg-type]
        severity=rule.severity_for(identifier=identifier, variant=variant),  # type: ignore[arg-type]
        title=rule.title_en,
        title_zh=rule.title_zh,
        message=message,
        sdk_id=sdk_id,
        sdk_name=sdk_name,
        identifier=identifier,
        permission=permission,
        domain=domain,
        confidence=round(confidence_tiers()[tier] if confidence is None else confidence, 2),
        why=rule.why_for(values, variant),
        rules=rule.refs_for(identifier=identifier, variant=variant),
        evidence=evidence,
    )


def traffic_confidence(flows: list[TrafficObservation]) -> float:
    """A traffic finding is as sure as its surest detection (profile values 1.0, shapes and keys lower)."""
    return max((o.confidence for o in flows), default=confidence_tiers()["traffic"])


def listing(values: Iterable[str], limit: int = 8) -> str:
    """'a, b, c' (sorted, unique), or 'a, b, … (+N more)' past the limit."""
    items = sorted(set(values))
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f", … (+{len(items) - limit} more)"


def iso(t: float) -> str:
    return datetime.fromtimestamp(t, UTC).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3] + "Z"


def policy_evidence(name: str, source: Source, detail: str = "") -> Evidence:
    summary = f"Policy declares “{name}”" + (f": {detail}" if detail else "")
    return Evidence(kind="policy", summary=summary, source=source)


def policy_absent(what: str, document: str | None) -> Evidence:
    where = f" ({document})" if document else ""
    return Evidence(kind="policy_absent", summary=f"The policy{where} does not declare {what}.")


def not_found_evidence(checked: str) -> Evidence:
    """The absence of an SDK from the code and/or the traffic, as evidence."""
    return Evidence(kind="code" if "code" in checked else "traffic", summary=f"Not found in {checked.replace(' nor ', ' or ')}.")


def call_site_evidence(site: CallSite) -> Evidence:
    return Evidence(
        kind="code",
        summary=f"{site.caller_class}.{site.caller_method} calls {site.api} ({site.identifier})",
        call_site=site.model_dump(mode="json"),
    )


def sdk_presence_evidence(sdk: EmbeddedSdk, limit: int) -> list[Evidence]:
    result = []
    for item in sdk.evidence[:limit]:
        where = f" in {item.location}" if item.location else ""
        count = f" ×{item.count}" if item.count > 1 else ""
        result.append(
            Evidence(
                kind="manifest" if item.kind in ("component", "meta_data", "permission") else "code",
                summary=f"{item.kind.replace('_', ' ')} {item.value}{count}{where}",
                call_site={"evidence": item.kind, "value": item.value, "count": item.count, "location": item.location},
            )
        )
    return result


def flow_evidence(obs: TrafficObservation, show_values: bool) -> Evidence:
    """A flow as evidence: time, host, URL, where in the request, encoding; value masked unless asked."""
    data = obs.model_dump(mode="json")
    if not show_values:
        data["value"] = mask_value(obs.value)
    data["time"] = iso(obs.timestamp)
    where = obs.location + (f" “{obs.field}”" if obs.field else "")
    encoding = " → ".join(obs.encoding) if obs.encoding else "plain"
    if obs.hash:
        encoding += f", {obs.hash}"
    consent = " before consent" if obs.before_consent else ""
    summary = f"{data['time']} {obs.method} {obs.host}: {obs.identifier} in {where} ({encoding}){consent}"
    return Evidence(kind="traffic", summary=summary, observation=data)


def capped(items: list[Evidence], limit: int, total: int | None = None) -> list[Evidence]:
    """The first `limit` items, and a note of how many were left out."""
    total = len(items) if total is None else total
    if total <= limit:
        return items
    kept = items[:limit]
    kind = kept[-1].kind if kept else "traffic"
    return [*kept, Evidence(kind=kind, summary=f"… and {total - limit} more")]
