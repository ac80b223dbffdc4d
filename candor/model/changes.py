"""What changed between two releases of one package: the one matching rule and the one change model.

Findings are matched by `Finding.id`, the fingerprint of their subject (kind, package, SDK key, identifier,
permission, domain), so wording, evidence, severity and list order never matter. SDKs, permissions and
identifier readers are compared as sets of keys. `candor report` (changes since the previous release),
`candor history` and `candor diff` all use these.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from pydantic import Field

from candor.model.common import SEVERITY_ORDER, InventoryChanges, Model
from candor.model.findings import Finding


class FindingRef(Model):
    """A finding named in a change list."""

    id: str
    kind: str
    severity: str
    title: str

    @classmethod
    def of(cls, finding: Finding) -> "FindingRef":
        return cls(id=finding.id, kind=finding.kind, severity=finding.severity, title=finding.title)


class ReleaseChanges(InventoryChanges):
    """What changed from the previous release to the current one; findings only compared when both were reported."""

    package: str | None = None
    previous_version: str | None = Field(default=None, description="The previous release, as 'versionName (versionCode)'.")
    current_version: str | None = None
    previous_run_id: int | None = Field(default=None, description="The history run that stands for the previous release.")
    findings_compared: bool = True
    new: list[FindingRef] = Field(default_factory=list, description="Findings new in this release.")
    fixed: list[FindingRef] = Field(default_factory=list)
    persisting: list[FindingRef] = Field(default_factory=list)
    identifiers_added: list[str] = Field(default_factory=list, description="'sdk -> identifier' readers new in this release.")
    identifiers_removed: list[str] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        lists = (self.new, self.fixed, self.sdks_added, self.sdks_removed, self.permissions_added, self.permissions_removed,
                 self.identifiers_added, self.identifiers_removed)  # fmt: skip
        return not any(lists)


@dataclass
class FindingMatch:
    """Findings of two releases, paired by id."""

    new: list[Finding] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    persisting: list[tuple[Finding, Finding]] = field(default_factory=list, repr=False)  # (previous, current)


def match_findings(previous: Iterable[Finding], current: Iterable[Finding]) -> FindingMatch:
    """New, fixed and persisting findings between two releases (matched by `Finding.id`)."""
    old = {f.id: f for f in previous}
    new = {f.id: f for f in current}
    return FindingMatch(
        new=[f for key, f in new.items() if key not in old],
        fixed=[f for key, f in old.items() if key not in new],
        persisting=[(old[key], f) for key, f in new.items() if key in old],
    )


def added_removed(previous: Iterable[str], current: Iterable[str]) -> tuple[list[str], list[str]]:
    """(sorted added, sorted removed) between two collections of keys."""
    old, new = set(previous), set(current)
    return sorted(new - old), sorted(old - new)


def by_severity(findings: Iterable[Finding]) -> list[FindingRef]:
    """Finding references, most severe first (then kind and id)."""
    refs = [FindingRef.of(f) for f in findings]
    return sorted(refs, key=lambda f: (-SEVERITY_ORDER.get(f.severity, 0), f.kind, f.id))
