"""Release diff: matching by subject, never by list position."""

from candor.model import CallSite, EmbeddedSdk, ManifestPermission
from reports.build import build_report
from reports.diff import diff_reports
from reports.model import AuditReport
from tests.reports.builders import bundle, declared, dsdk, embedded, perm, scan, site


def report_of(sdks: list[EmbeddedSdk], sites: list[CallSite], permissions: list[ManifestPermission], version: str) -> AuditReport:
    return build_report(bundle(declared([dsdk("Bugly", "tencent_bugly", ["android_id"])]), scan(sdks, sites, permissions, version=version)))


def test_new_fixed_persisting_and_stable_under_reordering() -> None:
    old = report_of(
        [embedded("getui", "Getui"), embedded("tencent_bugly", "Bugly")],
        [site("imei")],
        [perm("android.permission.CAMERA"), perm("android.permission.RECORD_AUDIO")],
        "1.0",
    )
    new = report_of(
        [embedded("tencent_bugly", "Bugly"), embedded("pangle", "Pangle")],
        [site("imei")],
        [perm("android.permission.CAMERA"), perm("android.permission.READ_CONTACTS")],
        "1.1",
    )
    diff = diff_reports(old, new)
    status = {(e.finding.kind, e.finding.sdk_id or e.finding.permission or e.finding.identifier): e.status for e in diff.findings}
    assert status[("sdk_in_code_undeclared", "getui")] == "fixed"
    assert status[("sdk_in_code_undeclared", "pangle")] == "new"
    assert status[("app_identifier_undeclared", "imei")] == "persisting"
    assert status[("permission_undeclared", "android.permission.CAMERA")] == "persisting"
    assert status[("permission_undeclared", "android.permission.READ_CONTACTS")] == "new"
    assert diff.sdks_added == ["pangle"] and diff.sdks_removed == ["getui"]
    assert diff.permissions_added == ["android.permission.READ_CONTACTS"]
    assert diff.permissions_removed == ["android.permission.RECORD_AUDIO"]

    shuffled = new.model_copy(update={"findings": list(reversed(new.findings))})
    assert {(e.status, e.finding.id) for e in diff_reports(old, shuffled).findings} == {(e.status, e.finding.id) for e in diff.findings}


def test_a_finding_keeps_its_id_when_its_evidence_changes() -> None:
    """Findings match by id, the fingerprint of their subject: other evidence, order or version do not change it."""
    old = report_of([embedded("getui", "Getui")], [], [], "1.0")
    sdks = [embedded("tencent_bugly", "Bugly"), embedded("getui", "Getui")]
    new = report_of(sdks, [site("imei")], [perm("android.permission.CAMERA")], "2.0")
    [before] = [f for f in old.findings if f.sdk_id == "getui"]
    [after] = [f for f in new.findings if f.sdk_id == "getui" and f.kind == before.kind]
    assert before.id == after.id
    assert [e.status for e in diff_reports(old, new).findings if e.finding.id == before.id] == ["persisting"]
