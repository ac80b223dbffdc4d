"""The history store: round trip, schema migrations, bad files."""

import sqlite3
from pathlib import Path

import pytest

from candor.errors import InputError
from candor.history import HistoryStore, record_from_scan
from candor.history.migrations import LATEST_VERSION, MIGRATIONS
from tests.history.factories import finding, scan


def test_round_trip_of_a_scan_with_findings(tmp_path: Path) -> None:
    with HistoryStore(tmp_path / "h.sqlite") as store:
        record = record_from_scan(scan(sdks=("umeng", "jpush")), kind="report", findings=[finding("f1"), finding("f2", "low")])
        run_id = store.record(record)
        detail = store.run_detail(run_id)
        assert detail is not None
        assert (detail["kind"], detail["package"], detail["version_name"]) == ("report", "com.example.app", "1.0")
        assert detail["version_code"] == "1"
        assert detail["apk_sha256"] == "a" * 64
        assert [f["id"] for f in detail["findings"]] == ["f1", "f2"]
        assert [s["sdk_id"] for s in detail["sdks"]] == ["jpush", "umeng"]
        assert [p["name"] for p in detail["permissions"]] == ["android.permission.INTERNET"]
        assert {(i["sdk_key"], i["identifier"]) for i in detail["identifiers"]} == {("umeng", "android_id"), ("jpush", "android_id")}
        assert detail["evidence"] == {"apk": "/apks/com.example.app-1.0.apk"}
        assert store.is_complete(run_id)
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_failing_run_leaves_nothing(tmp_path: Path) -> None:
    record = record_from_scan(scan(), findings=[finding("dup")])
    record.findings.append(finding("dup"))  # violates the findings primary key mid-transaction
    with HistoryStore(tmp_path / "h.sqlite") as store:
        with pytest.raises(sqlite3.IntegrityError):
            store.record(record)
        assert store.run_ids() == []
        assert store.conn.execute("SELECT COUNT(*) FROM run_sdks").fetchone()[0] == 0


def test_migrates_an_older_schema_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.executescript("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);")
    conn.execute(
        "INSERT INTO runs (kind, package, version_name, version_code, started_at, tool_version, n_sdks) "
        "VALUES ('batch', 'com.old', '0.9', '9', '2025-01-01T00:00:00+00:00', '0.0.1', 1)"
    )
    conn.execute("INSERT INTO run_sdks (run_id, sdk_key, sdk_id, name) VALUES (1, 'umeng', 'umeng', 'Umeng')")
    conn.commit()
    conn.close()

    with HistoryStore(path) as store:
        assert store.schema_version() == LATEST_VERSION == 2
        old = store.run_detail(1)
        assert old is not None and old["package"] == "com.old" and old["n_identifiers"] == 0 and store.is_complete(1)
        new_id = store.record(record_from_scan(scan(package="com.old", version_code="10")))
        assert store.run_detail(new_id)["identifiers"] == [{"sdk_key": "umeng", "identifier": "android_id"}]
        assert store.integrity_check() == "ok"


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    HistoryStore(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(InputError, match="newer than this Candor"):
        HistoryStore(path)


def test_not_a_database_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(InputError, match="not a Candor history store") as info:
        HistoryStore(path)
    assert "\n" not in str(info.value)


def test_reading_a_missing_store_does_not_create_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no history store"):
        HistoryStore(tmp_path / "absent.sqlite", create=False)
    assert not (tmp_path / "absent.sqlite").exists()
