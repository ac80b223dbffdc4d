"""What one run puts into the history store, and how to build it from a scan or findings."""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import Field

from candor import __version__
from candor.model.common import Model, SdkRef, sdk_key
from candor.model.findings import Finding
from candor.model.static import ManifestPermission, StaticScan
from candor.unique import unique_by

RunKind = Literal["report", "batch"]


class IdentifierRow(Model):
    """An identifier read by an SDK (sdk_key) or by the app itself (sdk_key 'app')."""

    sdk_key: str
    identifier: str


class RunRecord(Model):
    """Everything one `candor report` or one APK of `candor apk batch` records."""

    kind: RunKind
    package: str | None = None
    version_name: str | None = None
    version_code: str | None = None
    apk_sha256: str | None = None
    started_at: str = Field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="microseconds"))
    evidence: dict[str, Any] = Field(default_factory=dict, description="Which inputs the run used.")
    tool_version: str = __version__
    findings: list[Finding] = Field(default_factory=list)
    sdks: list[SdkRef] = Field(default_factory=list)
    permissions: list[ManifestPermission] = Field(default_factory=list)
    identifiers: list[IdentifierRow] = Field(default_factory=list)


def scan_rows(scan: StaticScan) -> dict[str, list]:
    """SDKs, permissions and identifier readers of a static scan, de-duplicated."""
    sdks = unique_by((SdkRef(sdk_id=s.sdk_id, name=s.name) for s in scan.sdks), lambda r: r.key)
    permissions = unique_by(scan.permissions, lambda p: p.name)
    identifiers = unique_by(
        (IdentifierRow(sdk_key=sdk_key(c.sdk_id, c.name), identifier=c.identifier) for c in scan.call_sites),
        lambda r: (r.sdk_key, r.identifier),
    )
    return {"sdks": sdks, "permissions": permissions, "identifiers": identifiers}


def record_from_scan(
    scan: StaticScan,
    kind: RunKind = "batch",
    findings: Iterable[Finding] = (),
    evidence: dict[str, Any] | None = None,
) -> RunRecord:
    """A run record for one scanned APK (plus findings, when a report evaluated them)."""
    return RunRecord(
        kind=kind,
        package=scan.package,
        version_name=scan.version_name,
        version_code=scan.version_code,
        apk_sha256=scan.sha256,
        evidence=evidence if evidence is not None else {"apk": scan.file},
        findings=unique_by(findings, lambda f: f.id),
        **scan_rows(scan),
    )
