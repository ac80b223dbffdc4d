"""Load rules.yaml: each finding kind's default severity, titles and the rules it cites."""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import get_args

import yaml

from candor.model.findings import FindingKind, RuleRef

RULES_FILE = Path(__file__).with_name("rules.yaml")


@dataclass(frozen=True)
class KindRule:
    """What rules.yaml says about one finding kind."""

    kind: str
    severity: str
    title_en: str
    title_zh: str
    refs: tuple[RuleRef, ...]
    escalate_identifiers: frozenset[str] = frozenset()
    escalate_severity: str | None = None
    severity_by_protection: dict[str, str] = field(default_factory=dict)

    def severity_for(self, identifier: str | None = None, protection: str | None = None) -> str:
        """The severity of one finding of this kind, after escalation rules."""
        if protection is not None and protection in self.severity_by_protection:
            return self.severity_by_protection[protection]
        if identifier is not None and identifier in self.escalate_identifiers and self.escalate_severity:
            return self.escalate_severity
        return self.severity


@cache
def kind_rules() -> dict[str, KindRule]:
    """Finding kind -> its rule entry (every kind of FindingKind is present)."""
    data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
    refs = {key: RuleRef(**value) for key, value in data["refs"].items()}
    rules: dict[str, KindRule] = {}
    for kind, entry in data["kinds"].items():
        escalate = entry.get("escalate") or {}
        rules[kind] = KindRule(
            kind=kind,
            severity=entry["severity"],
            title_en=entry["title"]["en"],
            title_zh=entry["title"]["zh"],
            refs=tuple(refs[key] for key in entry["refs"]),
            escalate_identifiers=frozenset(escalate.get("identifiers", ())),
            escalate_severity=escalate.get("severity"),
            severity_by_protection=dict(entry.get("severity_by_protection") or {}),
        )
    missing = set(get_args(FindingKind)) - set(rules)
    if missing:
        raise RuntimeError(f"rules.yaml lacks finding kinds: {sorted(missing)}")
    return rules
