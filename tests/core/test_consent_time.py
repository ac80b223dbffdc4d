"""One consent-time parser: a time without a zone is UTC on every machine, and `traffic analyze` and `report` agree."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from candor.timeparse import parse_time

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo"
CONSENT = "2026-11-02T09:30:50"  # between the demo capture's first and last flows, no zone given


def _candor(*args: str, tz: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": tz}
    return subprocess.run([sys.executable, "-m", "candor.cli.main", *args], capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)


def test_forms_of_one_moment() -> None:
    utc = datetime(2026, 11, 2, 9, 30, 50, tzinfo=UTC).timestamp()
    for text in (CONSENT, CONSENT + "Z", CONSENT + "+00:00", "2026-11-02T17:30:50+08:00", f" {utc} "):
        assert parse_time(text) == utc, text
    for bad in ("yesterday", "nan", "inf", ""):
        with pytest.raises(ValueError):
            parse_time(bad)


def test_a_time_without_a_zone_is_utc_in_shanghai_too(tmp_path: Path) -> None:
    if not (DEMO / "flows.har").exists():
        pytest.skip("demo capture missing")
    common = ("--device", str(DEMO / "device.yaml"), "--consent-at", CONSENT)
    analysed = _candor("traffic", "analyze", str(DEMO / "flows.har"), *common, "--format", "jsonl", tz="Asia/Shanghai")
    assert analysed.returncode == 0, analysed.stderr
    observations = [json.loads(line) for line in analysed.stdout.splitlines() if line.strip()]
    report_json = tmp_path / "report.json"
    reported = _candor("report", "--flows", str(DEMO / "flows.har"), *common, "--json", str(report_json), "--no-history", "-q",
                       tz="Asia/Shanghai")  # fmt: skip
    assert reported.returncode == 0, reported.stderr
    report = json.loads(report_json.read_text(encoding="utf-8"))

    moment = datetime(2026, 11, 2, 9, 30, 50, tzinfo=UTC).timestamp()
    assert report["consent_at"] == moment
    labels = {(o["flow_id"], o["identifier"], o["before_consent"]) for o in observations}
    assert {before for _, _, before in labels} == {True, False}  # consent falls inside the capture, not 8 hours off
    assert all(before == (o["timestamp"] < moment) for o in observations for before in [o["before_consent"]])
    timeline = {(e["flow_id"], e["identifier"], e["before_consent"]) for e in report["timeline"]}
    assert timeline <= labels and timeline


def test_capture_times_without_a_zone_are_utc_too(tmp_path: Path) -> None:
    if not (DEMO / "flows.har").exists():
        pytest.skip("demo capture missing")
    har = json.loads((DEMO / "flows.har").read_text(encoding="utf-8"))
    for entry in har["log"]["entries"]:
        entry["startedDateTime"] = entry["startedDateTime"].removesuffix("Z")
    naive = tmp_path / "naive.har"
    naive.write_text(json.dumps(har), encoding="utf-8")
    times = []
    for flows in (DEMO / "flows.har", naive):
        result = _candor("traffic", "analyze", str(flows), "--device", str(DEMO / "device.yaml"), "--format", "jsonl", tz="Asia/Shanghai")
        assert result.returncode == 0, result.stderr
        times.append(sorted(json.loads(line)["timestamp"] for line in result.stdout.splitlines() if line.strip()))
    assert times[0] and times[0] == times[1]
