"""One APK's outcome in `candor apk batch`: written by the batch runner, read by the batch summary and history."""

from pydantic import Field

from candor.model.common import Model
from candor.model.findings import Finding
from candor.model.static import StaticScan


class BatchResult(Model):
    """OUT/<sha256>.json for a scanned APK, OUT/errors/<name>.json for one that failed."""

    path: str
    sha256: str | None = Field(default=None, description="None when the file could not be read.")
    ok: bool
    scan: StaticScan | None = None
    error: str | None = Field(default=None, description="Why the scan failed (one line).")
    duration_s: float = 0.0
    findings: list[Finding] | None = Field(default=None, description="Findings already evaluated for this APK, if any.")
