"""`candor report` and history: the report gets "changes since the previous release" and is recorded."""

from pathlib import Path

from candor.cli.report_history import remember_report
from candor.history import HistoryStore, record_from_scan
from reports.model import AppInfo, AuditReport, PermissionRow, SdkRow
from tests.history.factories import finding, scan


def ids(refs: list) -> list[str]:
    return [r.id for r in refs]


def _report(version: str, code: str, findings: list, sdks: tuple[str, ...]) -> AuditReport:
    return AuditReport(
        tool_version="0.1.0",
        generated_at="2026-01-01T00:00:00+00:00",
        app=AppInfo(package="com.example.app", version_name=version, version_code=code, apk_sha256=code * 64),
        findings=findings,
        sdks=[SdkRow(key=s, sdk_id=s, name=s.title(), in_code=True, identifiers_code=["oaid"]) for s in sdks]
        + [SdkRow(key="declared-only", sdk_id="declared-only", name="Declared Only", declared=True)],
        permissions=[PermissionRow(permission="android.permission.CAMERA", protection_level="dangerous", requested=True)],
    )


def test_second_release_gets_changes_and_both_are_recorded(tmp_path: Path) -> None:
    args = tmp_path / "h.sqlite"
    first = remember_report(_report("1.0", "1", [finding("a"), finding("b")], ("umeng",)), args)
    assert first.changes is None
    second = remember_report(_report("1.1", "2", [finding("b"), finding("c")], ("umeng", "jpush")), args)
    assert second.changes is not None
    assert (second.changes.previous_version, ids(second.changes.new), ids(second.changes.fixed)) == ("1.0 (1)", ["c"], ["a"])
    assert ids(second.changes.persisting) == ["b"] and second.changes.sdks_added == ["Jpush"]
    with HistoryStore(tmp_path / "h.sqlite") as store:
        runs = store.runs("com.example.app")
        assert [r["kind"] for r in runs] == ["report", "report"]
        detail = store.run_detail(runs[1]["id"])
        assert [s["sdk_id"] for s in detail["sdks"]] == ["jpush", "umeng"]  # the declared-only SDK is not "in the release"
        assert {(i["sdk_key"], i["identifier"]) for i in detail["identifiers"]} == {("jpush", "oaid"), ("umeng", "oaid")}
        assert [p["name"] for p in detail["permissions"]] == ["android.permission.CAMERA"]


def test_previous_batch_scan_only_compares_sdks(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    with HistoryStore(path) as store:
        store.record(record_from_scan(scan(version_name="1.0", version_code="1", sdks=("umeng", "bugly"))))
    report = remember_report(_report("1.1", "2", [finding("a")], ("umeng",)), path)
    assert report.changes is not None and report.changes.new == [] and report.changes.sdks_removed == ["Bugly"]
    assert any("only scanned" in w for w in report.warnings)


def test_no_history_records_nothing(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite"
    report = remember_report(_report("1.0", "1", [], ()), None)
    assert report.changes is None and not path.exists()

