"""The batch summary: SDK prevalence, high-severity ranking and SDK x identifier, in HTML, CSV and XLSX."""

from pathlib import Path

import pandas as pd

from reports.batch_summary import summarise, write_batch_summary
from tests.history.factories import finding, scan


def _results() -> list[dict]:
    a = scan(package="com.a", sdks=("umeng", "jpush"), sha="1" * 64)
    b = scan(package="com.b", sdks=("umeng",), sha="2" * 64)
    c = scan(package="com.c", sdks=("umeng", "jpush", "bugly"), sha="3" * 64)
    d = scan(package="com.d", sdks=(), sha="4" * 64)
    return [
        {"path": "a.apk", "sha256": a.sha256, "ok": True, "scan": a.model_dump(mode="json"), "findings": [finding("x", "critical")]},
        {"path": "b.apk", "sha256": b.sha256, "ok": True, "scan": b, "findings": []},
        {"path": "c.apk", "sha256": c.sha256, "ok": True, "scan": c,
         "findings": [finding("y", "high"), finding("z", "high"), finding("w", "low")]},
        {"path": "d.apk", "sha256": d.sha256, "ok": True, "scan": d, "findings": []},
        {"path": "bad.apk", "sha256": "5" * 64, "ok": False, "error": "not a zip file"},
    ]  # fmt: skip


def test_prevalence_ranking_and_identifier_matrix() -> None:
    summary = summarise(_results())
    assert (summary.scanned, summary.failed) == (4, 1)
    prevalence = summary.sdks.set_index("sdk")
    assert prevalence["apps"].to_dict() == {"umeng": 3, "jpush": 2, "bugly": 1}
    assert prevalence.loc["umeng", "share"] == 0.75 and prevalence.loc["bugly", "share"] == 0.25
    ok = summary.apps[summary.apps["ok"]]
    assert list(ok["package"]) == ["com.c", "com.a", "com.b", "com.d"]
    assert list(ok["high_findings"]) == [2, 1, 0, 0]
    matrix = summary.identifiers.set_index("sdk")
    assert matrix["android_id"].to_dict() == {"bugly": 1, "jpush": 2, "umeng": 3}
    assert summary.apps.loc[~summary.apps["ok"], "error"].tolist() == ["not a zip file"]


def test_html_csv_and_xlsx_agree(tmp_path: Path) -> None:
    paths = write_batch_summary(_results(), tmp_path / "out")
    csv = pd.read_csv(paths["sdks_csv"])
    assert dict(zip(csv["sdk"], csv["apps"], strict=True)) == {"umeng": 3, "jpush": 2, "bugly": 1}
    xlsx = pd.read_excel(paths["xlsx"], sheet_name=None)
    assert set(xlsx) == {"SDK prevalence", "Apps", "SDK x identifier"}
    assert xlsx["SDK prevalence"]["apps"].tolist() == [3, 2, 1]
    assert xlsx["Apps"]["package"].tolist()[:2] == ["com.c", "com.a"]
    assert pd.read_csv(paths["identifiers_csv"]).set_index("sdk")["android_id"].to_dict() == {"bugly": 1, "jpush": 2, "umeng": 3}
    html = paths["html"].read_text(encoding="utf-8")
    assert "4 APKs scanned, 1 failed" in html
    assert "75.0%" in html and "50.0%" in html and "25.0%" in html
    assert "not a zip file" in html and "com.c" in html


def test_findings_without_a_policy_assume_nothing_declared() -> None:
    results = [{"path": "a.apk", "sha256": "1" * 64, "ok": True, "scan": scan(package="com.a", sdks=("umeng",))}]
    summary = summarise(results)
    assert summary.apps.loc[0, "findings"] >= 1  # umeng in code, not declared by the (empty) policy
    assert summarise(results, findings_fn=None).apps.loc[0, "findings"] == 0
