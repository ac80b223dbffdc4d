"""The report envelopes: `AuditReport` (candor report) and `DiffReport` (candor diff)."""

from typing import Literal

from pydantic import Field

from candor.model.changes import ReleaseChanges
from candor.model.common import SCHEMA_VERSION, InventoryChanges, Model
from candor.model.findings import Finding

Verdict = Literal["non_compliant", "needs_review", "no_findings", "insufficient_evidence"]


class SourceInfo(Model):
    """One evidence source the report used."""

    kind: Literal["policy", "declared", "apk", "scan", "flows", "observations", "device"]
    path: str
    sha256: str | None = None
    items: int = Field(default=0, description="SDKs + permissions declared, SDKs found, or observations.")


class Sources(Model):
    """Which evidence the report had; a null source was not supplied."""

    declared: SourceInfo | None = None
    code: SourceInfo | None = None
    traffic: SourceInfo | None = None
    device: SourceInfo | None = None


class Summary(Model):
    """Counts by severity and the overall verdict."""

    total: int = 0
    by_severity: dict[str, int] = Field(default_factory=dict)
    by_kind: dict[str, int] = Field(default_factory=dict)
    highest: str | None = None
    verdict: Verdict = "no_findings"


class SdkRow(Model):
    """One line of the SDK matrix: declared / in code / in traffic, and identifiers by source."""

    key: str = Field(description="sdk_id, or 'name:<normalised name>' for SDKs not in the catalog.")
    sdk_id: str | None = None
    name: str
    name_zh: str | None = None
    category: str | None = None
    declared: bool = False
    declared_as: list[str] = Field(default_factory=list, description="Policy spellings that cover it.")
    in_code: bool = False
    in_traffic: bool = False
    presence: str | None = Field(default=None, description="embedded, referenced or bundled (from the scan); null when not in the APK.")
    role: str = Field(default="sdk", description="sdk (must be declared) or library (utility code: listed, never a finding).")
    identifiers_declared: list[str] = Field(default_factory=list)
    identifiers_code: list[str] = Field(default_factory=list)
    identifiers_traffic: list[str] = Field(default_factory=list)
    findings: list[str] = Field(default_factory=list, description="Ids of findings about this SDK.")


class PermissionRow(Model):
    """One line of the permission table."""

    permission: str
    protection_level: str
    requested: bool = False
    declared: bool = False
    declared_by: list[str] = Field(default_factory=list, description="'app' or SDK names that declare it.")
    findings: list[str] = Field(default_factory=list)


class TimelineEvent(Model):
    """One identifier transmission, for the timeline against the consent moment."""

    t: float
    flow_id: str
    host: str
    identifier: str
    party: str
    name: str
    sdk_id: str | None = None
    before_consent: bool | None = None
    cleartext: bool = False
    burst: bool = False


class AppInfo(Model):
    """The audited app, as far as the evidence tells."""

    package: str | None = None
    app_name: str | None = None
    version_name: str | None = None
    version_code: str | None = None
    apk_sha256: str | None = None


class AuditReport(Model):
    """Everything `candor report` produced; the JSON form is `report.json`."""

    schema_version: str = SCHEMA_VERSION
    tool: str = "candor"
    tool_version: str
    generated_at: str = Field(description="ISO 8601 UTC.")
    app: AppInfo = Field(default_factory=AppInfo)
    sources: Sources = Field(default_factory=Sources)
    consent_at: float | None = Field(default=None, description="Consent moment, seconds since the epoch.")
    values_masked: bool = True
    summary: Summary = Field(default_factory=Summary)
    findings: list[Finding] = Field(default_factory=list)
    sdks: list[SdkRow] = Field(default_factory=list)
    permissions: list[PermissionRow] = Field(default_factory=list)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    changes: ReleaseChanges | None = None
    warnings: list[str] = Field(default_factory=list)


class DiffEntry(Model):
    """A finding in a diff, with its status between the two releases."""

    status: Literal["new", "fixed", "persisting"]
    finding: Finding
    previous_severity: str | None = None


class DiffReport(InventoryChanges):
    """`candor diff OLD.json NEW.json`: what changed between two releases of the same package."""

    schema_version: str = SCHEMA_VERSION
    tool_version: str
    generated_at: str
    package: str | None = None
    old: AppInfo
    new: AppInfo
    counts: dict[str, int] = Field(default_factory=dict, description="new / fixed / persisting.")
    findings: list[DiffEntry] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
