"""The compiled-catalog cache: reused across runs, rebuilt when anything it depends on changes, harmless
when its directory is unwritable or its file corrupt."""

import shutil
from pathlib import Path

import pytest

from candor.catalog import cache
from candor.catalog.loader import DATA_DIR, load_from


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """A counting builder over a private copy of the catalog data, with the cache in tmp_path/cache."""
    monkeypatch.setenv("CANDOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CANDOR_NO_CACHE", raising=False)
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    calls: list[Path | None] = []

    def load(trackers: Path | None = None):
        def build():
            calls.append(trackers)
            return load_from(data, trackers)

        return cache.cached_catalog(data, trackers, build)

    return data, calls, load


def test_second_run_reads_the_compiled_catalog(builds):
    _, calls, load = builds
    first = load()
    second = load()
    assert len(calls) == 1
    assert second is not first and sorted(second.sdks) == sorted(first.sdks)
    assert second.sdks["umeng_common"].init_apis == ["com.umeng.commonsdk.UMConfigure.init"]
    assert second.packages.match("com.umeng.commonsdk.UMConfigure") == ("umeng_common", "com.umeng.commonsdk")


def test_a_changed_data_file_or_trackers_file_gives_a_new_catalog(builds, tmp_path: Path):
    data, calls, load = builds
    load()
    crash = data / "sdks" / "crash.yaml"
    crash.write_text(crash.read_text(encoding="utf-8").replace("initCrashReport", "initCrashReportV2"), encoding="utf-8")
    changed = load()
    assert len(calls) == 2
    assert "com.tencent.bugly.crashreport.CrashReport.initCrashReportV2" in changed.sdks["tencent_bugly"].init_apis
    trackers = tmp_path / "trackers.json"
    trackers.write_text('{"trackers": {}}', encoding="utf-8")
    load(trackers)
    assert calls[-1] == trackers and len(calls) == 3


def test_corrupt_cache_file_is_rebuilt(builds):
    data, calls, load = builds
    load()
    (cached,) = (Path(cache.cache_dir()) / f"{cache.PREFIX}{cache.cache_key(data, None)}.pickle",)
    cached.write_bytes(b"not a pickle")
    assert "umeng_common" in load().sdks
    assert len(calls) == 2
    assert cached.read_bytes() != b"not a pickle"


def test_unwritable_cache_dir_still_loads(builds, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    _, calls, load = builds
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("CANDOR_CACHE_DIR", str(blocker / "cache"))
    assert "umeng_common" in load().sdks
    assert "umeng_common" in load().sdks
    assert len(calls) == 2


def test_cache_can_be_switched_off(builds, monkeypatch: pytest.MonkeyPatch):
    _, calls, load = builds
    monkeypatch.setenv("CANDOR_NO_CACHE", "1")
    load()
    load()
    assert len(calls) == 2 and cache.cache_dir() is None
