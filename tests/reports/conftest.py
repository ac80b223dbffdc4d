"""Fixtures: a sample report with every section filled (and hostile text), and files for the CLI."""

import json
from pathlib import Path

import pytest

from candor.model import Source
from reports.build import build_report
from reports.evidence import EvidenceBundle
from reports.model import AuditReport
from reports.reconcile import ReconcileConfig
from tests.reports.builders import T0, bundle, declared, dsdk, embedded, obs, perm, scan, site

XSS_SCRIPT = "<script>window.__pwned=1</script>"
XSS_IMG = '<img src=x onerror="window.__pwned=1">'
XSS_LINK = "javascript:window.__pwned=1"


def sample_bundle() -> EvidenceBundle:
    hostile = dsdk(f"Evil {XSS_SCRIPT} SDK", None)
    bugly = dsdk("Bugly", "tencent_bugly", ["android_id"])
    bugly = bugly.model_copy(update={"source": Source(text=f"Bugly {XSS_IMG} {XSS_LINK}", line=12, document="policy.md")})
    table = declared(
        [bugly, dsdk("极光推送", "jpush", ["imei"]), hostile], permissions=["android.permission.READ_CALENDAR"], identifiers=["android_id"]
    )
    result = scan(
        [embedded("tencent_bugly", "Tencent Bugly"), embedded("getui", "Getui Push"), embedded(None, f"Ads {XSS_IMG}")],
        [site("imei"), site("imei", "tencent_bugly", "Tencent Bugly", "com.tencent.bugly.CrashReport")],
        [perm("android.permission.READ_PHONE_STATE"), perm("android.permission.INTERNET", "normal")],
    )
    flows = [obs("imei", t=T0 + i * 5, value="866123456789012") for i in range(6)]
    flows += [
        obs(
            "android_id",
            party="third_party",
            sdk_id=None,
            name="adx.cn",
            host="t.adx.cn",
            scheme="http",
            t=T0 + 40,
            value="9774d56d682e549c",
        )
    ]
    flows += [obs("oaid", t=T0 + 50 + i, burst=True, value="6d2f7b4a91c34e58") for i in range(3)]
    hostile_flow = obs("imei", t=T0 + 60, value="866123456789012").model_copy(update={"url": f"{XSS_LINK}//{XSS_SCRIPT}"})
    return bundle(table, result, [*flows, hostile_flow], consent_at=T0 + 12)


def make_report(show_values: bool = False) -> AuditReport:
    return build_report(sample_bundle(), ReconcileConfig(show_values=show_values))


@pytest.fixture(scope="session")
def sample_report() -> AuditReport:
    return make_report()


@pytest.fixture
def cli_inputs(tmp_path: Path, sample_report: AuditReport) -> dict[str, Path]:
    """declared.yaml, scan.json and observations.jsonl on disk, from the sample bundle."""
    import yaml

    b = sample_bundle()
    paths = {"declared": tmp_path / "declared.yaml", "scan": tmp_path / "scan.json", "observations": tmp_path / "obs.jsonl"}
    paths["declared"].write_text(yaml.safe_dump(b.declared.model_dump(mode="json"), allow_unicode=True), encoding="utf-8")
    paths["scan"].write_text(b.scan.model_dump_json(), encoding="utf-8")
    paths["observations"].write_text("".join(json.dumps(o.model_dump(mode="json")) + "\n" for o in b.observations), encoding="utf-8")
    return paths
