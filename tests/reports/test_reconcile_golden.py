"""Golden tests: for every finding kind, one minimal input that must produce it and one that must not."""

import pytest

from reports.reconcile import ReconcileConfig, reconcile
from tests.reports.builders import (
    T0,
    bundle,
    declared,
    dsdk,
    embedded,
    endpoint,
    init,
    launch,
    obs,
    party,
    perm,
    request,
    scan,
    sections,
    site,
)

BUGLY = "tencent_bugly"
UMENG_PUSH_SITE = {"sdk_id": "umeng_push", "name": "Umeng Push", "caller": "com.umeng.message.PushAgent"}
BUGLY_INIT = "com.tencent.bugly.crashreport.CrashReport.initCrashReport"
TRANSLATE = "https://api.fanyi.baidu.com/api/trans/vip/translate"
NOTES = {"declared_entry_unresolved", "permission_not_platform"}  # notes about coverage and manifest hygiene: no rule broken


def kinds(b, config: ReconcileConfig | None = None) -> list[tuple]:
    return [(f.kind, f.sdk_id, f.identifier, f.permission, f.domain) for f in reconcile(b, config)]


def of_kind(b, kind: str, config: ReconcileConfig | None = None) -> list:
    return [f for f in reconcile(b, config) if f.kind == kind]


CASES = {
    # kind: (must produce, must not produce)
    "sdk_in_code_undeclared": (
        lambda: bundle(declared([dsdk("Bugly", BUGLY)]), scan([embedded("getui", "Getui Push")])),
        lambda: bundle(declared([dsdk("个推", "getui")]), scan([embedded("getui", "Getui Push")])),
    ),
    "sdk_in_traffic_undeclared": (
        lambda: bundle(declared(), observations=[obs("imei")]),
        lambda: bundle(declared([dsdk("Bugly", BUGLY, ["imei"])]), observations=[obs("imei")]),
    ),
    "sdk_declared_not_observed": (
        lambda: bundle(declared([dsdk("极光推送", "jpush")]), scan([embedded(BUGLY, "Bugly")])),
        lambda: bundle(declared([dsdk("极光推送", "jpush")]), scan([embedded("jpush", "JPush")])),
    ),
    "sdk_identifier_undeclared": (
        lambda: bundle(declared([dsdk("Bugly", BUGLY, ["android_id"])]), observations=[obs("imei")]),
        lambda: bundle(declared([dsdk("Bugly", BUGLY, ["android_id", "imei"])]), observations=[obs("imei")]),
    ),
    "app_identifier_undeclared": (
        lambda: bundle(declared(identifiers=["android_id"]), scan(call_sites=[site("imei")])),
        lambda: bundle(declared(identifiers=["imei"]), scan(call_sites=[site("imei")])),
    ),
    "permission_undeclared": (
        lambda: bundle(declared(), scan(permissions=[perm("android.permission.CAMERA")])),
        lambda: bundle(declared(permissions=["android.permission.CAMERA"]), scan(permissions=[perm("android.permission.CAMERA")])),
    ),
    "permission_declared_not_requested": (
        lambda: bundle(declared(permissions=["android.permission.READ_CALENDAR"]), scan()),
        lambda: bundle(
            declared(permissions=["android.permission.READ_CALENDAR"]), scan(permissions=[perm("android.permission.READ_CALENDAR")])
        ),
    ),
    "identifier_before_consent": (
        lambda: bundle(observations=[obs("imei", t=T0)], consent_at=T0 + 10),
        lambda: bundle(observations=[obs("imei", t=T0 + 20)], consent_at=T0 + 10),
    ),
    "identifier_over_frequency": (
        lambda: bundle(observations=[obs("oaid", t=T0, burst=True)]),
        lambda: bundle(observations=[obs("oaid", t=T0)]),
    ),
    "identifier_cleartext": (
        lambda: bundle(observations=[obs("imei", scheme="http")]),
        lambda: bundle(observations=[obs("imei", scheme="https")]),
    ),
    "data_to_undeclared_domain": (
        lambda: bundle(declared(), scan(), observations=[obs("android_id", party="third_party", name="adx.cn", host="t.adx.cn")]),
        lambda: bundle(
            declared(links=["https://www.adx.cn/privacy"]),
            scan(),
            observations=[obs("android_id", party="third_party", name="adx.cn", host="t.adx.cn")],
        ),
    ),
    "third_party_service_undeclared": (
        lambda: bundle(declared(), scan(endpoints=[endpoint(TRANSLATE)])),
        lambda: bundle(declared([party("百度")]), scan(endpoints=[endpoint(TRANSLATE)])),
    ),
    "sdk_init_before_consent": (
        lambda: bundle(declared(), scan([embedded(BUGLY, "Bugly")], launch_facts=launch([init(BUGLY, BUGLY_INIT)]))),
        lambda: bundle(declared(), scan([embedded(BUGLY, "Bugly")], launch_facts=launch([init(BUGLY, BUGLY_INIT)], consent_ui=True))),
    ),
    "permission_requested_at_launch": (
        lambda: bundle(declared(), scan(launch_facts=launch(requests=[request("android.permission.READ_PHONE_STATE")]))),
        lambda: bundle(declared(), scan(launch_facts=launch(requests=[request("android.permission.READ_PHONE_STATE", at_launch=None)]))),
    ),
    "policy_missing_section": (
        lambda: bundle(declared(summary=sections(contact=False)), scan()),
        lambda: bundle(declared(summary=sections()), scan()),
    ),
    "declared_entry_unresolved": (
        lambda: bundle(declared([dsdk("某某统计SDK", None)]), scan()),
        lambda: bundle(declared([dsdk("Bugly", BUGLY)]), scan()),
    ),
    "permission_not_platform": (
        lambda: bundle(declared(), scan(permissions=[perm("android.intent.action.BOOT_COMPLETED", "unknown")])),
        lambda: bundle(declared(), scan(permissions=[perm("com.huawei.android.launcher.permission.CHANGE_BADGE", "unknown")])),
    ),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_must_produce(kind: str) -> None:
    findings = of_kind(CASES[kind][0](), kind)
    assert len(findings) == 1, kinds(CASES[kind][0]())
    finding = findings[0]
    assert finding.rules or kind in NOTES, "every finding but a coverage note cites rules"
    assert finding.why.endswith(".") and "?" not in finding.why, finding.why
    assert 0 < finding.confidence <= 1
    assert finding.evidence, "every finding carries evidence"
    assert finding.title and finding.title_zh


@pytest.mark.parametrize("kind", sorted(CASES))
def test_must_not_produce(kind: str) -> None:
    assert of_kind(CASES[kind][1](), kind) == []


def test_every_kind_has_a_case() -> None:
    from typing import get_args

    from candor.model.findings import FindingKind

    assert set(CASES) == set(get_args(FindingKind))


# -- entity sensitivity and coverage semantics -----------------------------------------------


def test_identifier_declared_for_one_sdk_does_not_cover_another() -> None:
    b = bundle(
        declared([dsdk("Bugly", BUGLY, ["imei"]), dsdk("友盟推送", "umeng_push", ["oaid"])]),
        scan([embedded(BUGLY, "Bugly"), embedded("umeng_push", "Umeng Push")], [site("imei", **UMENG_PUSH_SITE)]),
    )
    found = of_kind(b, "sdk_identifier_undeclared")
    assert [(f.sdk_id, f.identifier) for f in found] == [("umeng_push", "imei")]


def test_app_declaration_does_not_cover_sdk_and_sdk_declaration_does_not_cover_app() -> None:
    b = bundle(
        declared([dsdk("Bugly", BUGLY, ["android_id"])], identifiers=["imei"]),
        scan([embedded(BUGLY, "Bugly")], [site("imei", BUGLY, "Bugly", "com.tencent.bugly.A"), site("android_id")]),
    )
    assert [(f.sdk_id, f.identifier) for f in of_kind(b, "sdk_identifier_undeclared")] == [(BUGLY, "imei")]
    assert [f.identifier for f in of_kind(b, "app_identifier_undeclared")] == ["android_id"]


def test_family_umbrella_covers_children_for_presence_but_identifiers_are_per_row() -> None:
    b = bundle(
        declared([dsdk("友盟+", "umeng", ["oaid"])]), scan([embedded("umeng_push", "Umeng Push")], [site("imei", **UMENG_PUSH_SITE)])
    )
    assert of_kind(b, "sdk_in_code_undeclared") == []
    assert [(f.sdk_id, f.identifier) for f in of_kind(b, "sdk_identifier_undeclared")] == [("umeng_push", "imei")]


def test_child_does_not_cover_sibling() -> None:
    b = bundle(declared([dsdk("友盟推送", "umeng_push")]), scan([embedded("umeng_analytics", "Umeng Analytics")]))
    assert [f.sdk_id for f in of_kind(b, "sdk_in_code_undeclared")] == ["umeng_analytics"]


def test_precise_location_covers_coarse_location() -> None:
    b = bundle(
        declared([dsdk("高德定位", "amap_location", ["precise_location"])]),
        observations=[obs("coarse_location", sdk_id="amap_location", name="AMap", host="apilocate.amap.com")],
    )
    assert of_kind(b, "sdk_identifier_undeclared") == []
    b = bundle(
        declared([dsdk("高德定位", "amap_location", ["coarse_location"])]),
        observations=[obs("precise_location", sdk_id="amap_location", name="AMap", host="apilocate.amap.com")],
    )
    assert [f.identifier for f in of_kind(b, "sdk_identifier_undeclared")] == ["precise_location"]


def test_sdk_permissions_count_as_declared() -> None:
    b = bundle(
        declared([dsdk("Bugly", BUGLY, permissions=["android.permission.READ_PHONE_STATE"])]),
        scan(permissions=[perm("android.permission.READ_PHONE_STATE")]),
    )
    assert of_kind(b, "permission_undeclared") == []


def test_dangerous_permission_is_a_disclosure_gap_normal_ones_without_personal_data_are_not_findings() -> None:
    quiet = ["INTERNET", "VIBRATE", "WAKE_LOCK", "ACCESS_NETWORK_STATE", "FOREGROUND_SERVICE", "ACCESS_WIFI_STATE", "QUERY_ALL_PACKAGES"]
    requested = [perm("android.permission.CAMERA"), *(perm(f"android.permission.{p}", "normal") for p in quiet)]
    requested += [perm("com.android.alarm.permission.SET_ALARM", "normal"), perm("android.permission.SYSTEM_ALERT_WINDOW", "special")]
    b = bundle(declared(), scan(permissions=requested))
    severities = {f.permission: f.severity for f in of_kind(b, "permission_undeclared")}
    assert severities == {"android.permission.CAMERA": "medium", "android.permission.SYSTEM_ALERT_WINDOW": "medium"}


def test_normal_permission_counts_when_the_code_reads_the_data_it_gates() -> None:
    mac = site("mac", BUGLY, "Bugly", "com.tencent.bugly.A", api="android.net.wifi.WifiInfo.getMacAddress")
    apps = site("installed_apps", api="android.content.pm.PackageManager.getInstalledPackages")
    platform = site("mac", owner="platform", api="android.net.wifi.WifiInfo.getMacAddress")
    wifi, packages = "android.permission.ACCESS_WIFI_STATE", "android.permission.QUERY_ALL_PACKAGES"
    b = bundle(declared(), scan(call_sites=[mac, apps], permissions=[perm(wifi, "normal"), perm(packages, "normal")]))
    found = {f.permission: f for f in of_kind(b, "permission_undeclared")}
    assert set(found) == {wifi, packages}
    assert "mac" in found[wifi].why and "installed_apps" in found[packages].why
    b = bundle(declared(), scan(call_sites=[platform], permissions=[perm(wifi, "normal")]))
    assert of_kind(b, "permission_undeclared") == []


def test_boot_completed_is_an_info_note_about_auto_start() -> None:
    b = bundle(declared(), scan(permissions=[perm("android.permission.RECEIVE_BOOT_COMPLETED", "normal")]))
    [finding] = of_kind(b, "permission_undeclared")
    assert finding.severity == "info" and "自启动" in finding.why
    assert "164号文（二）6" in {r.code for r in finding.rules}


def test_non_platform_permissions_are_never_discrepancies() -> None:
    b = bundle(
        declared(), scan(permissions=[perm("android.intent.action.BOOT_COMPLETED", "unknown"), perm("com.x.permission.PUSH", "unknown")])
    )
    assert of_kind(b, "permission_undeclared") == []
    assert [(f.permission, f.severity) for f in of_kind(b, "permission_not_platform")] == [("android.intent.action.BOOT_COMPLETED", "info")]


def test_non_resettable_identifier_escalates() -> None:
    b = bundle(declared([dsdk("Bugly", BUGLY)]), observations=[obs("imei"), obs("os_version", t=T0 + 1)])
    severities = {f.identifier: f.severity for f in of_kind(b, "sdk_identifier_undeclared")}
    assert severities == {"imei": "high", "os_version": "medium"}


def test_declaration_checks_need_a_policy() -> None:
    b = bundle(None, scan([embedded("getui", "Getui")], [site("imei")], [perm("android.permission.CAMERA")]), [obs("imei", scheme="http")])
    assert {f.kind for f in reconcile(b)} == {"identifier_cleartext"}


def test_configured_rate_marks_bursts() -> None:
    flows = [obs("oaid", t=T0 + i) for i in range(10)]
    b = bundle(observations=flows)
    assert of_kind(b, "identifier_over_frequency") == []
    found = of_kind(b, "identifier_over_frequency", ReconcileConfig(max_per_minute=5))
    assert len(found) == 1 and found[0].identifier == "oaid"


def test_values_masked_unless_asked() -> None:
    b = bundle(observations=[obs("imei", scheme="http", value="866123456789012")])
    masked = of_kind(b, "identifier_cleartext")[0].evidence[0].observation
    shown = of_kind(b, "identifier_cleartext", ReconcileConfig(show_values=True))[0].evidence[0].observation
    assert masked["value"] == "86" + "•" * 11 + "12"
    assert shown["value"] == "866123456789012"


def test_ids_are_stable_and_independent_of_order() -> None:
    flows = [obs("imei", scheme="http"), obs("android_id", scheme="http", t=T0 + 5)]
    first = {f.id for f in reconcile(bundle(observations=flows))}
    second = {f.id for f in reconcile(bundle(observations=list(reversed(flows))))}
    assert first == second and len(first) == 2
