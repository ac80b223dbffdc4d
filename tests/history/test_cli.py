"""`candor history`: text and JSON output, unknown package and missing store."""

import json
from pathlib import Path

import pytest

from candor.cli.main import main
from candor.history import HistoryStore, record_from_scan
from tests.history.factories import finding, scan


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "h.sqlite"
    with HistoryStore(path) as store:
        v1, v2 = scan(version_name="1.0", version_code="1"), scan(version_name="1.1", version_code="2", sdks=("umeng", "bugly"))
        store.record(record_from_scan(v1, kind="report", findings=[finding("a"), finding("b", "low")]))
        store.record(record_from_scan(v2, kind="report", findings=[finding("a")]))
    return path


def test_text_output(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "com.example.app", "--store", str(store_path)]) == 0
    out = capsys.readouterr().out
    assert "com.example.app: 2 release(s)" in out
    assert "1 high, 1 low" in out and "1 SDKs" in out and "2 SDKs" in out
    assert "1.0 (1) -> 1.1 (2):" in out
    assert "fixed    [low] finding b (b)" in out and "+ SDK    Bugly" in out and "1 findings persist" in out


def test_json_output_and_env_store(store_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANDOR_STORE", str(store_path))
    assert main(["history", "com.example.app", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["version_name"] for r in data["releases"]] == ["1.0", "1.1"]
    assert [f["id"] for f in data["changes"][0]["fixed"]] == ["b"]
    assert main(["history", "--format", "json"]) == 0
    assert [p["package"] for p in json.loads(capsys.readouterr().out)["packages"]] == ["com.example.app"]


def test_unknown_package_and_missing_store_are_one_line_errors(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "com.nope", "--store", str(store_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("candor: error: no releases of com.nope") and "known: com.example.app" in err and err.count("\n") == 1
    missing = store_path.parent / "missing.sqlite"
    assert main(["history", "com.nope", "--store", str(missing)]) == 2
    assert "no history store" in capsys.readouterr().err and not missing.exists()
