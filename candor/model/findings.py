"""Discrepancies between what a policy declares and what the app does."""

from typing import Literal

from pydantic import Field

from candor.model.common import Model, Severity, Source

FindingKind = Literal[
    "sdk_in_code_undeclared",
    "sdk_in_traffic_undeclared",
    "sdk_declared_not_observed",
    "sdk_identifier_undeclared",
    "app_identifier_undeclared",
    "permission_undeclared",
    "permission_declared_not_requested",
    "identifier_before_consent",
    "identifier_over_frequency",
    "identifier_cleartext",
    "data_to_undeclared_domain",
    "third_party_service_undeclared",
    "sdk_init_before_consent",
    "permission_requested_at_launch",
    "policy_missing_section",
    "declared_entry_unresolved",
    "permission_not_platform",
]


class RuleRef(Model):
    """A rule a finding breaks, e.g. a clause of GB/T 35273-2020."""

    code: str
    source: str
    text: str


class Evidence(Model):
    """One piece of evidence behind a finding."""

    kind: Literal["policy", "policy_absent", "code", "manifest", "traffic"]
    summary: str
    source: Source | None = None
    call_site: dict | None = None
    observation: dict | None = None


class Finding(Model):
    """One discrepancy, with severity, the rules it breaks and its evidence."""

    id: str = Field(description="Stable fingerprint: same subject in two releases, same id.")
    kind: FindingKind
    severity: Severity
    title: str
    title_zh: str | None = None
    message: str = ""
    sdk_id: str | None = None
    sdk_name: str | None = None
    identifier: str | None = None
    permission: str | None = None
    domain: str | None = None
    confidence: float = Field(default=1.0, description="From the evidence tier: 1.0 observed in traffic or code.")
    why: str = Field(default="", description="One sentence saying why the finding holds.")
    rules: list[RuleRef] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
