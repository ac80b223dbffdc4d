"""`candor apk batch --executor dask://...` on a real LocalCluster equals the local executor, and the summary is right."""

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from bench.bench_batch import build_corpus, corpus_sdks
from candor.history import HistoryStore
from reports.batch_summary import load_batch_results, write_batch_summary
from tests.cli_runner import assert_one_line_error, run_candor

pytestmark = pytest.mark.slow
CORPUS = 5
TOOLS = ("smali", "aapt", "zipalign", "apksigner", "keytool", "zip")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        pytest.skip(f"APK toolchain missing: {', '.join(missing)}")
    directory = tmp_path_factory.mktemp("corpus")
    build_corpus(directory, CORPUS)
    (directory / "broken.apk").write_bytes(b"PK\x03\x04 this is not really a zip")
    return directory


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=":0") as local:
        yield local.scheduler_address.removeprefix("tcp://")


@pytest.fixture(autouse=True)
def private_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Batch runs record into history: keep that out of the user's data directory."""
    path = tmp_path / "history.sqlite"
    monkeypatch.setenv("CANDOR_STORE", str(path))
    return path


def _results(out: Path) -> dict[str, dict]:
    """Per-APK results keyed by sha256, without timings."""
    results = {}
    for path in [*out.glob("*.json"), *out.glob("errors/*.json")]:
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("duration_s", None)
        if data.get("scan"):
            data["scan"].pop("duration_s", None)
        results[data["sha256"]] = data
    return results


def _batch(corpus: Path, out: Path, executor: str, *options: str) -> None:
    result = run_candor(*options, "apk", "batch", str(corpus), "-o", str(out), "--executor", executor, "--no-progress", timeout=240)
    assert result.returncode == 0, result.stderr
    assert f"{CORPUS} scanned, 0 skipped (already done), 1 failed" in result.stdout


def test_dask_results_equal_local_results(corpus: Path, cluster: str, tmp_path: Path) -> None:
    _batch(corpus, tmp_path / "local", "local")
    _batch(corpus, tmp_path / "dask", f"dask://{cluster}")
    local, dask = _results(tmp_path / "local"), _results(tmp_path / "dask")
    assert len(dask) == CORPUS + 1
    assert dask == local
    [broken] = [r for r in dask.values() if not r["ok"]]
    assert broken["path"].endswith("broken.apk") and "not a valid APK" in broken["error"]
    packages = sorted(r["scan"]["package"] for r in dask.values() if r["ok"])
    assert packages == [f"com.corpus.app{i:03d}" for i in range(CORPUS)]


def test_workers_use_the_clients_trackers_file(corpus: Path, cluster: str, tmp_path: Path) -> None:
    trackers = tmp_path / "trackers.json"  # on shared storage: the workers load it too
    trackers.write_text(json.dumps({"trackers": [{"id": 999, "name": "Corpus Kit", "code_signature": "com.corpus.common."}]}))
    _batch(corpus, tmp_path / "local", "local", "--trackers", str(trackers))
    _batch(corpus, tmp_path / "dask", f"dask://{cluster}", "--trackers", str(trackers))
    local, dask = _results(tmp_path / "local"), _results(tmp_path / "dask")
    assert dask == local
    assert all("exodus_999" in {s["sdk_id"] for s in r["scan"]["sdks"]} for r in dask.values() if r["ok"])
    _batch(corpus, tmp_path / "plain", f"dask://{cluster}")  # the next batch on the same cluster, without --trackers
    assert all("exodus_999" not in {s["sdk_id"] for s in r["scan"]["sdks"]} for r in _results(tmp_path / "plain").values() if r["ok"])


def test_summary_and_history_of_the_dask_batch(corpus: Path, cluster: str, tmp_path: Path, private_store: Path) -> None:
    out = tmp_path / "dask"
    _batch(corpus, out, f"dask://{cluster}")
    expected = Counter(s for i in range(CORPUS) for s in corpus_sdks(i))
    sdks = pd.read_csv(out / "batch_summary_sdks.csv")
    assert dict(zip(sdks["sdk"], sdks["apps"], strict=True)) == dict(expected)
    assert dict(zip(sdks["sdk"], sdks["share"], strict=True)) == {k: round(v / CORPUS, 4) for k, v in expected.items()}
    sheets = pd.read_excel(out / "batch_summary.xlsx", sheet_name=None)
    assert sheets["SDK prevalence"]["apps"].sum() == sum(expected.values())
    assert sheets["Apps"]["ok"].tolist().count(False) == 1
    readers = pd.read_csv(out / "batch_summary_identifiers.csv").set_index("sdk")
    assert readers.loc["getui", "imei"] == expected["getui"]  # getui's code reads the IMEI in every app that embeds it
    top = max(expected, key=lambda k: (expected[k], k))
    assert f"{expected[top] / CORPUS * 100:.1f}%" in (out / "batch_summary.html").read_text(encoding="utf-8")
    again = write_batch_summary(load_batch_results(out), tmp_path / "again")
    assert again["sdks_csv"].read_text() == (out / "batch_summary_sdks.csv").read_text()

    with HistoryStore(private_store) as store:  # every scanned APK was recorded as a batch run, the broken one not
        runs = [r for p in store.packages() for r in store.runs(p["package"])]
        assert sorted(r["package"] for r in runs) == [f"com.corpus.app{i:03d}" for i in range(CORPUS)]
        assert {r["kind"] for r in runs} == {"batch"} and all(store.is_complete(r["id"]) for r in runs)
        app0 = store.run_detail(store.runs("com.corpus.app000")[0]["id"])
        assert sorted(s["sdk_id"] for s in app0["sdks"]) == corpus_sdks(0)


def test_unreachable_scheduler_is_a_one_line_error(corpus: Path, tmp_path: Path) -> None:
    result = run_candor("apk", "batch", str(corpus), "-o", str(tmp_path / "o"), "--executor", "dask://127.0.0.1:1", "--no-progress")
    assert_one_line_error(result)
    assert "cannot reach the Dask scheduler" in result.stderr
