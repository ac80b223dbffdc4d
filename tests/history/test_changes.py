"""Releases of a package and what changed between them."""

from pathlib import Path

from candor.history import HistoryStore, record_from_scan
from candor.history.changes import changes_between, changes_since_previous, releases
from tests.history.factories import finding, scan


def _store_with_two_releases(path: Path) -> HistoryStore:
    store = HistoryStore(path)
    v1 = scan(version_name="1.0", version_code="10", sdks=("umeng", "jpush"), permissions=("p.INTERNET", "p.READ_PHONE_STATE"))
    v2 = scan(version_name="2.0", version_code="20", sdks=("umeng", "bugly"), permissions=("p.INTERNET", "p.CAMERA"), sha="c" * 64)
    store.record(record_from_scan(v2, kind="report", findings=[finding("keep"), finding("new", "critical")]))  # seen first
    store.record(record_from_scan(v1, kind="report", findings=[finding("keep"), finding("gone", "medium")]))
    store.record(record_from_scan(v1, kind="batch"))  # a rescan of 1.0: same release, the report stands for it
    return store


def test_releases_are_ordered_by_version_code_and_grouped(tmp_path: Path) -> None:
    with _store_with_two_releases(tmp_path / "h.sqlite") as store:
        found = releases(store, "com.example.app")
        assert [(r.version_name, r.runs, r.run_kind) for r in found] == [("1.0", 2, "report"), ("2.0", 1, "report")]
        assert found[0].findings_by_severity == {"high": 1, "medium": 1}
        assert found[1].findings_by_severity == {"critical": 1, "high": 1}


def test_changes_between_consecutive_releases(tmp_path: Path) -> None:
    with _store_with_two_releases(tmp_path / "h.sqlite") as store:
        [change] = changes_between(store, "com.example.app")
        assert (change.previous_version, change.current_version, change.findings_compared) == ("1.0 (10)", "2.0 (20)", True)
        assert [f.id for f in change.new] == ["new"]
        assert [f.id for f in change.fixed] == ["gone"]
        assert [f.id for f in change.persisting] == ["keep"]
        assert (change.sdks_added, change.sdks_removed) == (["Bugly"], ["Jpush"])
        assert (change.permissions_added, change.permissions_removed) == (["p.CAMERA"], ["p.READ_PHONE_STATE"])
        assert (change.identifiers_added, change.identifiers_removed) == (["Bugly -> android_id"], ["Jpush -> android_id"])


def test_changes_since_previous_for_a_new_report(tmp_path: Path) -> None:
    with _store_with_two_releases(tmp_path / "h.sqlite") as store:
        v3_scan = scan(version_name="3.0", version_code="30", sdks=("umeng", "bugly"))
        v3 = record_from_scan(v3_scan, kind="report", findings=[finding("keep")])
        change = changes_since_previous(store, v3)
        assert change is not None and change.previous_version == "2.0 (20)" and change.current_version == "3.0 (30)"
        assert [f.id for f in change.fixed] == ["new"] and change.new == []
        store.record(v3)  # recording it first does not make it its own "previous release"
        assert changes_since_previous(store, v3) == change
        first = record_from_scan(scan(version_name="0.1", version_code="1"), kind="report")
        assert changes_since_previous(store, first) is None  # nothing older in the store
        other = record_from_scan(scan(package="com.other"), kind="report")
        assert changes_since_previous(store, other) is None


def test_findings_are_not_compared_against_a_scan_only_release(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite") as store:
        store.record(record_from_scan(scan(version_code="1"), kind="batch"))
        report = record_from_scan(scan(version_name="1.1", version_code="2"), kind="report", findings=[finding("x")])
        change = changes_since_previous(store, report)
        assert change is not None and not change.findings_compared and change.new == []
