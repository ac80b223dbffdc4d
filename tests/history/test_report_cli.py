"""End to end: two releases through `candor report`, then `candor history` (real APKs, real store)."""

import json
import shutil
from pathlib import Path

import pytest

from bench.bench_batch import SDK_POOL
from tests.cli_runner import run_candor

pytestmark = pytest.mark.slow


def _apk(out: Path, version: str, code: int, sdks: list[str]) -> Path:
    from examples.apk_builder import ApkSpec, Call, build_apk, smali_class

    classes = [smali_class("com.hist.demo.Main")]
    classes += [smali_class(SDK_POOL[s][0], method="init", calls=[Call(SDK_POOL[s][1])]) for s in sdks]
    spec = ApkSpec(package="com.hist.demo", version_name=version, version_code=code,
                   permissions=["android.permission.READ_PHONE_STATE"], dex={"classes.dex": classes})  # fmt: skip
    return build_apk(spec, out)


def test_second_release_report_shows_changes_and_history_lists_both(tmp_path: Path) -> None:
    if shutil.which("smali") is None or shutil.which("aapt") is None:
        pytest.skip("APK toolchain missing")
    declared = tmp_path / "declared.yaml"
    declared.write_text("sdks: []\n", encoding="utf-8")
    store = str(tmp_path / "h.sqlite")
    for version, code, sdks in (("1.0", 1, ["getui", "jpush"]), ("2.0", 2, ["getui", "pangle"])):
        apk = _apk(tmp_path / f"v{code}.apk", version, code, sdks)
        result = run_candor("report", "--apk", str(apk), "--declared", str(declared), "--json", str(tmp_path / f"r{code}.json"),
                            "--store", store, "-q")  # fmt: skip
        assert result.returncode == 0, result.stderr
    first = json.loads((tmp_path / "r1.json").read_text(encoding="utf-8"))
    second = json.loads((tmp_path / "r2.json").read_text(encoding="utf-8"))
    assert first["changes"] is None
    changes = second["changes"]
    assert changes["previous_version"] == "1.0 (1)"
    assert (changes["sdks_added"], changes["sdks_removed"]) == (["Pangle (CSJ)"], ["JPush"])
    by_sdk = {f["id"]: f["sdk_id"] for f in [*first["findings"], *second["findings"]]}
    ids = [{f["id"] for f in report["findings"]} for report in (first, second)]
    assert ({f["id"] for f in changes["new"]}, {f["id"] for f in changes["fixed"]}) == (ids[1] - ids[0], ids[0] - ids[1])
    assert [by_sdk[f["id"]] for f in changes["new"]] == ["pangle"]
    assert [by_sdk[f["id"]] for f in changes["fixed"]] in (["jpush"], ["jiguang_core"])  # JPush, or the JIGUANG product it ships in
    assert sorted(by_sdk[f["id"]] for f in changes["persisting"] if by_sdk[f["id"]]) == ["getui"]

    history = run_candor("history", "com.hist.demo", "--store", store, "--format", "json")
    assert history.returncode == 0, history.stderr
    data = json.loads(history.stdout)
    assert [r["version_name"] for r in data["releases"]] == ["1.0", "2.0"]
    assert data["changes"][0]["new"] == changes["new"]
