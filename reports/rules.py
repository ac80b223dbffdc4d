"""Load rules.yaml: each finding kind's severity, titles, cited rules and `why`, plus the reconciler's rule settings."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, get_args

import yaml

from candor.catalog.schema import LocalName
from candor.model.common import SEVERITY_ORDER
from candor.model.findings import FindingKind, RuleRef

RULES_FILE = Path(__file__).with_name("rules.yaml")


@dataclass(frozen=True)
class Variant:
    """A refinement of one finding kind: its severity, the references it adds and its own `why`."""

    severity: str | None = None
    refs: tuple[RuleRef, ...] = ()
    why: str | None = None


@dataclass(frozen=True)
class KindRule:
    """What rules.yaml says about one finding kind."""

    kind: str
    severity: str
    title_en: str
    title_zh: str
    refs: tuple[RuleRef, ...]
    why: str = ""
    escalate_identifiers: frozenset[str] = frozenset()
    escalate_severity: str | None = None
    escalate_refs: tuple[RuleRef, ...] = ()
    variants: dict[str, Variant] = field(default_factory=dict)

    def severity_for(self, identifier: str | None = None, variant: str | None = None) -> str:
        """The severity of one finding of this kind, after its variant and identifier escalation."""
        chosen = self.variants[variant].severity if variant else None
        severity = chosen or self.severity
        if identifier is not None and identifier in self.escalate_identifiers and self.escalate_severity:
            severity = max(severity, self.escalate_severity, key=SEVERITY_ORDER.__getitem__)
        return severity

    def refs_for(self, identifier: str | None = None, variant: str | None = None) -> list[RuleRef]:
        """The kind's references, plus those its variant and identifier escalation add (no duplicates)."""
        result = list(self.refs)
        if variant:
            result += self.variants[variant].refs
        if identifier is not None and identifier in self.escalate_identifiers:
            result += self.escalate_refs
        unique: dict[str, RuleRef] = {}
        for ref in result:
            unique.setdefault(ref.code, ref)
        return list(unique.values())

    def why_for(self, facts: Mapping[str, object], variant: str | None = None) -> str:
        """The one-sentence reason, with the rule's facts filled in (a missing fact prints as '?')."""
        template = (self.variants[variant].why if variant else None) or self.why
        return template.format_map(_Facts(facts))


class _Facts(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _load() -> dict[str, Any]:
    return yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))


@cache
def kind_rules() -> dict[str, KindRule]:
    """Finding kind -> its rule entry (every kind of FindingKind is present)."""
    data = _load()
    refs = {key: RuleRef(**value) for key, value in data["refs"].items()}
    rules: dict[str, KindRule] = {}
    for kind, entry in data["kinds"].items():
        escalate = entry.get("escalate") or {}
        variants = {
            name: Variant(severity=v.get("severity"), refs=tuple(refs[key] for key in v.get("refs", ())), why=v.get("why"))
            for name, v in (entry.get("variants") or {}).items()
        }
        rules[kind] = KindRule(
            kind=kind,
            severity=entry["severity"],
            title_en=entry["title"]["en"],
            title_zh=entry["title"]["zh"],
            refs=tuple(refs[key] for key in entry["refs"]),
            why=entry.get("why", ""),
            escalate_identifiers=frozenset(escalate.get("identifiers", ())),
            escalate_severity=escalate.get("severity"),
            escalate_refs=tuple(refs[key] for key in escalate.get("refs", ())),
            variants=variants,
        )
    missing = set(get_args(FindingKind)) - set(rules)
    if missing:
        raise RuntimeError(f"rules.yaml lacks finding kinds: {sorted(missing)}")
    return rules


@dataclass(frozen=True)
class PermissionPolicy:
    """Which requested permissions a policy must declare (rules.yaml `permissions`)."""

    disclosure_levels: frozenset[str]
    no_personal_data: frozenset[str]
    gates_personal_data: dict[str, tuple[str, ...]]
    disclosure_expected: dict[str, str]
    launch_exempt: frozenset[str]
    implies: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def disclosed(self, declared: set[str]) -> set[str]:
        """Declared permissions plus those they imply."""
        return declared | {implied for name in declared for implied in self.implies.get(name, ())}


@cache
def permission_policy() -> PermissionPolicy:
    data = _load()["permissions"]
    return PermissionPolicy(
        disclosure_levels=frozenset(data["disclosure_levels"]),
        no_personal_data=frozenset(data.get("no_personal_data", ())),
        gates_personal_data={name: tuple(apis) for name, apis in data["gates_personal_data"].items()},
        disclosure_expected=dict(data["disclosure_expected"]),
        launch_exempt=frozenset(data.get("launch_exempt", ())),
        implies={name: tuple(others) for name, others in (data.get("implies") or {}).items()},
    )


@cache
def confidence_tiers() -> dict[str, float]:
    """Evidence tier -> the confidence of a finding resting on it."""
    return {tier: float(value) for tier, value in _load()["confidence"].items()}


@cache
def code_alone_not_collection() -> frozenset[str]:
    """Identifiers code reads for compatibility or display: charged to the app or an SDK only when sent."""
    return frozenset(_load().get("code_alone_not_collection", ()))


@cache
def category_phrases() -> tuple[tuple[tuple[str, ...], frozenset[str]], ...]:
    """(phrases, identifiers they disclose) for the category words policies use instead of listing identifiers."""
    return tuple(
        (tuple(p.lower() for p in entry["phrases"]), frozenset(entry["identifiers"])) for entry in _load().get("category_phrases", ())
    )


def identifiers_in_phrases(phrases: Iterable[str]) -> set[str]:
    """The identifiers that category words in these phrases disclose (设备标识符 -> the device IDs)."""
    text = " ".join(phrases).lower()
    return {i for words, identifiers in category_phrases() if any(w in text for w in words) for i in identifiers}


@cache
def issued_identifiers() -> frozenset[str]:
    """Identifiers a party issues itself: no collection when they go back to their issuer."""
    return frozenset(_load().get("issued_identifiers", ()))


@cache
def not_collection_apis() -> frozenset[str]:
    """APIs that return only the caller's own data on current Android: never collection, whoever calls them."""
    return frozenset(_load().get("not_collection_apis", ()))


@cache
def ignored_domains() -> frozenset[str]:
    """Registrable domains named in code that never receive personal data (namespaces, specs, licences)."""
    return frozenset(_load()["third_parties"]["ignore_domains"])


@cache
def service_organisations() -> dict[str, LocalName]:
    """Registrable domain -> the organisation running a public web API there (not an SDK)."""
    services = _load()["third_parties"].get("services") or {}
    return {domain: LocalName(**name) for domain, name in services.items()}


@cache
def hosting_domains() -> frozenset[str]:
    """Cloud storage, hosting and CDN registrable domains: their hosts serve the operator's own content."""
    return frozenset(_load()["third_parties"].get("hosting_domains", ()))


@cache
def ignored_hosts() -> frozenset[str]:
    """Hosts named in code that are web pages, never an API receiving personal data (app stores, documentation)."""
    return frozenset(_load()["third_parties"].get("ignore_hosts", ()))
