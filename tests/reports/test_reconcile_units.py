"""Golden tests for what makes a finding true in an auditor's eyes: the unit of a finding, who owns a call,
which permissions matter, third parties without an SDK, launch-time behaviour, policy sections and citations."""

import re
from pathlib import Path

import pytest
import yaml

from reports.reconcile import reconcile
from reports.rules import RULES_FILE
from tests.reports.builders import (
    T0,
    bundle,
    declared,
    denies,
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
    src,
)

BUGLY = "tencent_bugly"
BUGLY_INIT = "com.tencent.bugly.crashreport.CrashReport.initCrashReport"
UMENG_INIT = "com.umeng.commonsdk.UMConfigure.init"
YOUDAO = "https://openapi.youdao.com/api"


def of_kind(b, kind: str) -> list:
    return [f for f in reconcile(b) if f.kind == kind]


def umeng_product(presence: str = "embedded") -> list:
    return [
        embedded(i, n, presence=presence, product_id="umeng", product_name="友盟+")
        for i, n in (("umeng_analytics", "Umeng Analytics"), ("umeng_common", "Umeng Common"))
    ]


# -- the unit: one SDK product, only SDKs that handle personal information ---------------------------------


def test_one_finding_per_product_with_its_components_inside() -> None:
    [finding] = of_kind(bundle(declared(), scan(umeng_product())), "sdk_in_code_undeclared")
    assert finding.sdk_id == "umeng" and finding.sdk_name == "友盟+"
    assert sum("component" in e.summary for e in finding.evidence) == 2
    assert finding.severity == "medium"  # present, but its code reads nothing: a disclosure gap


def test_a_row_naming_one_component_covers_the_product() -> None:
    assert of_kind(bundle(declared([dsdk("友盟统计SDK", "umeng_analytics")]), scan(umeng_product())), "sdk_in_code_undeclared") == []


def test_an_undeclared_sdk_whose_code_collects_is_high_and_cites_third_party_provision() -> None:
    b = bundle(declared(), scan([embedded(BUGLY, "Bugly")], [site("imei", BUGLY, "Bugly", "com.tencent.bugly.A")]))
    [finding] = of_kind(b, "sdk_in_code_undeclared")
    assert finding.severity == "high" and "imei" in finding.why
    assert {"认定方法 二.1", "认定方法 五.1", "PIPL 第23条"} <= {r.code for r in finding.rules}


def test_libraries_and_non_embedded_sdks_are_never_undeclared_sdks() -> None:
    sdks = [embedded("okhttp", "OkHttp"), embedded("gson", "Gson", role="library"), *umeng_product("referenced")]
    sdks.append(embedded("getui", "Getui", presence="bundled"))
    assert of_kind(bundle(declared(), scan(sdks)), "sdk_in_code_undeclared") == []


def test_a_declared_sdk_with_any_trace_in_the_code_is_not_reported_missing() -> None:
    b = bundle(declared([dsdk("友盟+", "umeng")]), scan(umeng_product("referenced")))
    assert of_kind(b, "sdk_declared_not_observed") == []


def test_a_named_vendor_covers_its_sdks_for_presence_but_not_for_data() -> None:
    b = bundle(declared([party("腾讯")]), scan([embedded(BUGLY, "Bugly")], [site("imei", BUGLY, "Bugly", "com.tencent.bugly.A")]))
    assert of_kind(b, "sdk_in_code_undeclared") == []
    assert of_kind(b, "sdk_identifier_undeclared") == []
    b = bundle(declared([party("百度")]), scan([embedded(BUGLY, "Bugly")]))
    assert [f.sdk_id for f in of_kind(b, "sdk_in_code_undeclared")] == [BUGLY]


def test_an_sdk_in_code_and_traffic_is_one_finding() -> None:
    b = bundle(declared(), scan([embedded(BUGLY, "Bugly")]), [obs("imei")])
    assert [f.kind for f in reconcile(b) if f.sdk_id == BUGLY and f.kind.startswith("sdk_in_")] == ["sdk_in_traffic_undeclared"]


# -- who collects: only collecting calls, charged to their owner ------------------------------------------------


def test_library_platform_and_unknown_code_is_never_charged_to_the_app() -> None:
    sites = [
        site("imei", owner="library:okhttp", caller="okhttp3.internal.Platform"),
        site("android_id", owner="platform", caller="android.support.v4.Compat"),
        site("imsi", owner="unknown_third_party:com.obf", caller="com.obf.a"),
        site("os_version", collection=False),
    ]
    assert of_kind(bundle(declared(), scan(call_sites=sites)), "app_identifier_undeclared") == []


def test_sdk_data_beyond_its_declared_row() -> None:
    row = dsdk("友盟统计", "umeng_analytics", ["imei", "mac", "android_id", "idfa", "imsi"])
    iccid = site(
        "iccid", "umeng_analytics", "Umeng Analytics", "com.umeng.analytics.A", api="android.telephony.TelephonyManager.getSimSerialNumber"
    )
    [finding] = of_kind(bundle(declared([row]), scan(umeng_product(), [iccid])), "sdk_identifier_undeclared")
    assert (finding.identifier, finding.severity) == ("iccid", "high")
    assert "android_id, idfa, imei, imsi, mac" in finding.why


def test_policy_saying_it_never_collects_is_contradicted() -> None:
    b = bundle(declared(not_declared=[denies(identifier="imei")]), scan(call_sites=[site("imei")]))
    [finding] = of_kind(b, "app_identifier_undeclared")
    assert finding.severity == "high" and "认定方法 三.9" in {r.code for r in finding.rules}
    assert finding.evidence[0].source.text == "我们不会收集您的imei"
    b = bundle(
        declared(not_declared=[denies(permission="android.permission.READ_CONTACTS")]),
        scan(permissions=[perm("android.permission.READ_CONTACTS")]),
    )
    [finding] = of_kind(b, "permission_undeclared")
    assert finding.severity == "high" and "not requested" in finding.why


# -- third parties without an SDK -------------------------------------------------------------------------------


def test_third_party_service_of_a_known_organisation_from_code_alone() -> None:
    translate = "https://api.fanyi.baidu.com/api/trans/vip/translate"
    b = bundle(declared(), scan(endpoints=[endpoint(translate), endpoint("https://tsn.baidu.com/text2audio")]))
    [finding] = of_kind(b, "third_party_service_undeclared")
    assert (finding.severity, finding.domain, finding.confidence) == ("medium", "baidu.com", 0.6)
    assert "百度" in finding.why and "tsn.baidu.com" in finding.why


def test_unknown_organisation_needs_traffic_it_may_be_the_operators_own_backend() -> None:
    own = endpoint("https://api.rleit-smart.cn/Smart119/report")
    assert of_kind(bundle(declared(), scan(endpoints=[own])), "third_party_service_undeclared") == []
    flow = obs("app_user_id", party="third_party", name="rleit-smart.cn", host="api.rleit-smart.cn")
    assert [f.severity for f in of_kind(bundle(declared(), scan(endpoints=[own]), [flow]), "third_party_service_undeclared")] == ["high"]
    [youdao] = of_kind(bundle(declared(), scan(endpoints=[endpoint(YOUDAO)])), "third_party_service_undeclared")
    assert youdao.domain == "youdao.com" and "网易有道" in youdao.why  # a known public web API
    flow = obs("app_user_id", party="third_party", name="youdao.com", host="openapi.youdao.com")
    b = bundle(declared(), scan(endpoints=[endpoint(YOUDAO)]), [flow])
    [finding] = of_kind(b, "third_party_service_undeclared")
    assert finding.severity == "high" and finding.confidence == 1.0 and "app_user_id" in finding.why
    assert of_kind(b, "data_to_undeclared_domain") == []  # one finding per real problem


@pytest.mark.parametrize(
    "item",
    [
        endpoint("https://api.kangyuan-health.com/v1/translate"),  # the domain of the policy's contact e-mail
        endpoint("http://schemas.android.com/apk/res/android"),
        endpoint("https://www.w3.org/2000/svg/x"),
        endpoint("https://openapi.youdao.com/"),  # a bare host, no API path
        endpoint("https://openapi.youdao.com/help/index.html"),  # a web page
        endpoint(YOUDAO, owner="sdk:tencent_bugly", sdk_id=BUGLY),  # named in an SDK's code
        endpoint("https://10.0.0.2/api/x"),
        endpoint("<html><a href='https://api.fanyi.baidu.com/api/x'>x</a></html>"),  # a URL inside a text, not a call
        endpoint("https://android.bugly.qq.com/rqd/async"),  # an embedded SDK's server
    ],
)
def test_not_a_third_party_service(item) -> None:
    table = declared(summary=sections())
    b = bundle(table, scan([embedded(BUGLY, "Bugly")], endpoints=[item]))
    assert of_kind(b, "third_party_service_undeclared") == []


def test_own_domain_from_package_name() -> None:
    b = bundle(declared(), scan(endpoints=[endpoint("https://api.example-health.cn/v1/user")]))
    assert of_kind(b, "third_party_service_undeclared") == []


def test_a_named_party_covers_its_services() -> None:
    b = bundle(declared([party("腾讯")]), scan(endpoints=[endpoint("https://android.bugly.qq.com/rqd/async")]))
    assert of_kind(b, "third_party_service_undeclared") == []
    b = bundle(declared(), scan(endpoints=[endpoint("https://android.bugly.qq.com/rqd/async")]))
    [finding] = of_kind(b, "third_party_service_undeclared")
    assert "腾讯" in finding.why


# -- launch-time behaviour ----------------------------------------------------------------------------------------


def test_init_with_a_consent_api_call_is_gated() -> None:
    inits = [init("umeng_common", UMENG_INIT), init("umeng_common", "com.umeng.commonsdk.UMConfigure.submitPolicyGrantResult", None, True)]
    assert of_kind(bundle(None, scan(umeng_product(), launch_facts=launch(inits))), "sdk_init_before_consent") == []


def test_a_consent_call_passing_a_literal_true_is_no_gate() -> None:
    grant = init("umeng_common", "com.umeng.commonsdk.UMConfigure.submitPolicyGrantResult", "application", True)
    grant = grant.model_copy(update={"kind": "consent", "grant": True})
    b = bundle(None, scan(umeng_product(), launch_facts=launch([init("umeng_common", UMENG_INIT), grant])))
    assert [f.sdk_id for f in of_kind(b, "sdk_init_before_consent")] == ["umeng"]


def _provider_init(gated_by: str | None = None):
    provider = "com.facebook.internal.FacebookInitProvider"
    started = init("facebook_sdk", f"{provider}.onCreate", None if gated_by else "provider")
    return started.model_copy(update={"caller_class": provider, "gated_by": gated_by, "owner": "sdk:facebook_sdk"})


def test_an_sdk_started_by_its_own_content_provider_is_initialised_before_consent() -> None:
    b = bundle(None, scan([embedded("facebook_sdk", "Facebook SDK")], launch_facts=launch([_provider_init()])))
    [finding] = of_kind(b, "sdk_init_before_consent")
    assert finding.sdk_id == "facebook_sdk" and "ContentProvider at process start" in finding.message
    assert "Android creates it when the app process starts, before Application.onCreate" in finding.evidence[0].summary


def test_a_provider_start_the_manifest_switches_off_is_no_finding() -> None:
    gated = _provider_init("meta-data com.facebook.sdk.AutoInitEnabled=false")
    b = bundle(None, scan([embedded("facebook_sdk", "Facebook SDK")], launch_facts=launch([gated])))
    assert of_kind(b, "sdk_init_before_consent") == []


def test_init_before_consent_is_one_finding_per_product_and_traffic_upgrades_it() -> None:
    inits = [init("umeng_common", UMENG_INIT), init("umeng_analytics", "com.umeng.analytics.MobclickAgent.onResume", "launcher_activity")]
    b = bundle(None, scan(umeng_product(), launch_facts=launch(inits)))
    [finding] = of_kind(b, "sdk_init_before_consent")
    assert finding.sdk_id == "umeng" and finding.confidence == 0.75 and "Application.onCreate" in finding.why
    flow = obs("oaid", sdk_id="umeng_common", name="Umeng", host="ulogs.umeng.com", t=T0)
    b = bundle(None, scan(umeng_product(), launch_facts=launch(inits)), [flow], consent_at=T0 + 10)
    [finding] = of_kind(b, "sdk_init_before_consent")
    assert finding.confidence == 1.0 and "oaid" in finding.why and "认定方法 五.1" in {r.code for r in finding.rules}


def test_init_not_reached_from_launch_or_unknown_consent_ui_is_not_reported() -> None:
    b = bundle(None, scan(launch_facts=launch([init(BUGLY, BUGLY_INIT, at_launch=None)])))
    assert of_kind(b, "sdk_init_before_consent") == []
    b = bundle(None, scan(launch_facts=launch([init(BUGLY, BUGLY_INIT)], consent_ui=None)))
    assert of_kind(b, "sdk_init_before_consent") == []


def test_launch_permission_request_quitting_on_denial_is_high_and_cites_4_2() -> None:
    facts = launch(
        requests=[request("android.permission.READ_PHONE_STATE", "android.permission.ACCESS_FINE_LOCATION")], consent_ui=True, quits=True
    )
    [finding] = of_kind(bundle(None, scan(launch_facts=facts)), "permission_requested_at_launch")
    assert finding.severity == "high" and {"认定方法 四.2", "164号文（二）5"} <= {r.code for r in finding.rules}
    facts = launch(requests=[request("android.permission.READ_PHONE_STATE")], consent_ui=True)
    [finding] = of_kind(bundle(None, scan(launch_facts=facts)), "permission_requested_at_launch")
    assert finding.severity == "medium" and finding.permission == "android.permission.READ_PHONE_STATE"


def test_launch_request_for_notifications_or_normal_permissions_is_not_reported() -> None:
    facts = launch(requests=[request("android.permission.POST_NOTIFICATIONS", "android.permission.INTERNET")])
    assert of_kind(bundle(None, scan(launch_facts=facts)), "permission_requested_at_launch") == []


# -- the policy itself ------------------------------------------------------------------------------------------


def test_unfilled_contact_placeholder() -> None:
    [finding] = of_kind(bundle(declared(summary=sections(placeholder=True)), scan()), "policy_missing_section")
    assert "{{运营者邮箱}}" in finding.why and "认定方法 六.5" in {r.code for r in finding.rules}


def test_missing_sdk_list_only_when_sdks_are_embedded_and_no_row_or_external_list_exists() -> None:
    no_list = sections(sdk_list=False)
    [finding] = of_kind(bundle(declared(summary=no_list), scan([embedded(BUGLY, "Bugly")])), "policy_missing_section")
    assert "Bugly" in finding.why
    assert of_kind(bundle(declared(summary=no_list), scan([embedded("okhttp", "OkHttp", role="library")])), "policy_missing_section") == []
    assert (
        of_kind(bundle(declared([dsdk("Bugly", BUGLY)], summary=no_list), scan([embedded(BUGLY, "Bugly")])), "policy_missing_section") == []
    )
    table = declared(summary=no_list).model_copy(update={"links": declared(links=["https://x.cn/sdk"]).links})
    table.links[0].name = "《第三方SDK共享清单》"
    assert of_kind(bundle(table, scan([embedded(BUGLY, "Bugly")])), "policy_missing_section") == []


def test_missing_permission_list_only_with_personal_data_permissions() -> None:
    no_list = sections(permission_list=False)
    assert (
        of_kind(
            bundle(declared(summary=no_list), scan(permissions=[perm("android.permission.INTERNET", "normal")])), "policy_missing_section"
        )
        == []
    )
    [finding] = of_kind(bundle(declared(summary=no_list), scan(permissions=[perm("android.permission.CAMERA")])), "policy_missing_section")
    assert "CAMERA" in finding.why


def test_hand_written_tables_have_no_section_findings() -> None:
    assert of_kind(bundle(declared(), scan([embedded(BUGLY, "Bugly")])), "policy_missing_section") == []


def test_unresolved_entries_are_one_note_saying_the_checks_did_not_run() -> None:
    b = bundle(declared([dsdk("某某统计SDK", None), dsdk("某某推送", None), dsdk("Bugly", BUGLY)]), scan())
    [finding] = of_kind(b, "declared_entry_unresolved")
    assert "NOT checked" in finding.message and "某某推送" in finding.message and "Bugly" not in finding.message
    b = bundle(declared([dsdk("Acme Stats", None)]), scan([embedded(None, "Acme Stats")]))
    assert of_kind(b, "declared_entry_unresolved") == []


# -- citations --------------------------------------------------------------------------------------------------


def test_citations_are_items_not_categories_and_carry_no_known_wrong_wording() -> None:
    refs = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))["refs"]
    for ref in refs.values():
        if ref["code"].startswith("认定方法"):
            assert re.fullmatch(r"认定方法 [一二三四五六]\.\d", ref["code"]), ref["code"]
        assert ref["code"] != "GB/T 35273-2020 §5" and "高风险" not in ref["text"] and "每隔几秒" not in ref["text"]
        if ref["code"].startswith("GB/T 41391"):
            assert "§" in ref["code"]


def test_verbatim_quotes_are_only_verified_wording(shared_dir: Path) -> None:
    """Text in 「」 must be wording regulations.md marks V (statute text of the PIPL aside)."""
    reference = shared_dir / "reference" / "regulations.md"
    if not reference.is_file():
        pytest.skip("regulations.md is not present")
    text = reference.read_text(encoding="utf-8")
    verified = [line for line in text.splitlines() if line.rstrip().endswith("| V |") or "— V)" in line]
    for ref in yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))["refs"].values():
        if ref["code"].startswith("PIPL"):
            continue
        for quote in re.findall(r"「(.+?)」", ref["text"]):
            assert any(quote in line for line in verified), (ref["code"], quote)


def test_renamed_code_outside_the_app_package_is_not_called_the_app_itself() -> None:
    b = bundle(declared(), scan(call_sites=[site("android_id", caller="a.a.a.a.a.d.a.d")]))
    [finding] = of_kind(b, "app_identifier_undeclared")
    assert finding.message.startswith("Renamed code outside the app's package (a.a.a.a.a.d.a.d)") and finding.confidence == 0.6
    b = bundle(declared(), scan(call_sites=[site("android_id", caller="com.example.health.a.b")]))
    assert of_kind(b, "app_identifier_undeclared")[0].message.startswith("The app itself")


def test_reading_the_device_model_is_not_collection_until_it_is_sent() -> None:
    model = site("device_model", api="android.os.Build.MODEL")
    assert of_kind(bundle(declared(), scan(call_sites=[model])), "app_identifier_undeclared") == []
    sent = obs("device_model", party="first_party", sdk_id=None, name="app", host="api.example-health.cn")
    assert [f.identifier for f in of_kind(bundle(declared(), scan(call_sites=[model]), [sent]), "app_identifier_undeclared")] == [
        "device_model"
    ]
    sdk_model = site("device_model", BUGLY, "Bugly", "com.tencent.bugly.A", api="android.os.Build.MODEL")
    b = bundle(declared([dsdk("Bugly", BUGLY, ["imei"])]), scan([embedded(BUGLY, "Bugly")], [sdk_model]))
    assert of_kind(b, "sdk_identifier_undeclared") == []
    b = bundle(declared([dsdk("Bugly", BUGLY, ["imei"])]), scan([embedded(BUGLY, "Bugly")], [sdk_model]), [obs("device_model")])
    assert [f.identifier for f in of_kind(b, "sdk_identifier_undeclared")] == ["device_model"]


def test_special_permissions_say_they_are_granted_in_settings() -> None:
    [finding] = of_kind(
        bundle(declared(), scan(permissions=[perm("android.permission.SYSTEM_ALERT_WINDOW", "special")])), "permission_undeclared"
    )
    assert "special permission" in finding.why and finding.severity == "medium"


def test_a_declared_name_containing_one_catalog_sdk_resolves_to_it() -> None:
    b = bundle(declared([dsdk("腾讯 Bugly 崩溃上报组件", None)]), scan([embedded(BUGLY, "Bugly")]))
    assert of_kind(b, "sdk_in_code_undeclared") == [] and of_kind(b, "declared_entry_unresolved") == []


def test_report_lists_libraries_and_non_embedded_sdks_without_findings_and_names_unknown_code() -> None:
    from candor.model import UnknownThirdParty
    from reports.build import build_report

    result = scan([embedded(BUGLY, "Bugly"), *umeng_product("referenced")], libraries=[embedded("okhttp", "OkHttp", role="library")])
    result.unknown_third_party.append(UnknownThirdParty(prefix="com.fusion", classes=309, identifiers=["imei"]))
    report = build_report(bundle(declared([dsdk("Bugly", BUGLY)]), result))
    rows = {r.sdk_id: r for r in report.sdks}
    assert (rows["okhttp"].role, rows["okhttp"].findings) == ("library", [])
    assert (rows["umeng_analytics"].presence, rows["umeng_analytics"].in_code) == ("referenced", False)
    assert rows[BUGLY].presence == "embedded" and rows[BUGLY].in_code
    assert any("com.fusion (309 classes)" in w for w in report.warnings)
    assert not [f for f in report.findings if f.sdk_id in ("okhttp", "umeng", "umeng_analytics")]


def test_third_party_domains_need_to_know_the_apps_own() -> None:
    from reports.build import build_report

    own = obs("device_model", party="third_party", name="examplehealth.com", host="api.examplehealth.com")
    b = bundle(declared(), observations=[own])
    assert of_kind(b, "data_to_undeclared_domain") == []
    assert any("pass --app-domain" in w for w in build_report(b).warnings)
    assert of_kind(bundle(declared(), scan(), [own]), "data_to_undeclared_domain") == []  # spells com.example.health
    first = obs("android_id", party="first_party", sdk_id=None, name="app", host="api.kangyuan.cn")
    assert [f.domain for f in of_kind(bundle(declared(), None, [own, first]), "data_to_undeclared_domain")] == ["examplehealth.com"]


def test_a_product_is_named_after_itself_or_its_only_component() -> None:
    msc = [
        embedded("iflytek_msc", "iFlytek MSC", product_id="iflytek_msc"),
        embedded("iflytek_sunflower", "Sunflower", product_id="iflytek_msc"),
    ]
    [finding] = of_kind(bundle(declared(), scan(msc)), "sdk_in_code_undeclared")
    assert finding.sdk_name != "Sunflower" and finding.sdk_id == "iflytek_msc"
    jpush = [embedded("jpush", "JPush", product_id="jiguang_core", product_name="JIGUANG JCore")]
    [finding] = of_kind(bundle(declared(), scan(jpush)), "sdk_in_code_undeclared")
    assert "JPush" in finding.sdk_name


def test_running_processes_and_tasks_are_only_the_callers_own() -> None:
    running = site("installed_apps", BUGLY, "Bugly", "com.tencent.bugly.A", api="android.app.ActivityManager.getRunningAppProcesses")
    tasks = site("installed_apps", api="android.app.ActivityManager.getRunningTasks")
    result = scan([embedded(BUGLY, "Bugly")], [running, tasks], [perm("android.permission.GET_TASKS", "normal")])
    b = bundle(declared([dsdk("Bugly", BUGLY, ["imei"])]), result)
    assert [f for f in reconcile(b) if f.kind in ("sdk_identifier_undeclared", "app_identifier_undeclared", "permission_undeclared")] == []


def test_a_standalone_sdk_or_permission_list_is_not_faulted_for_lacking_policy_sections() -> None:
    table = declared([dsdk("Bugly", BUGLY)], summary=sections(contact=False, permission_list=False))
    table.personal_data.clear()  # says nothing about what the operator itself collects
    assert (
        of_kind(bundle(table, scan([embedded(BUGLY, "Bugly")], permissions=[perm("android.permission.CAMERA")])), "policy_missing_section")
        == []
    )


def test_cloud_storage_and_cdn_hosts_are_the_operators_own() -> None:
    bucket = endpoint("https://kangyuan.oss-cn-hangzhou.aliyuncs.com/upload/log")
    flow = obs("android_id", party="third_party", name="aliyuncs.com", host="kangyuan.oss-cn-hangzhou.aliyuncs.com")
    b = bundle(declared(), scan(endpoints=[bucket]), [flow])
    assert of_kind(b, "third_party_service_undeclared") == [] and of_kind(b, "data_to_undeclared_domain") == []


def test_a_row_named_by_purpose_covers_the_sdk_of_its_company() -> None:
    row = dsdk("统计分析SDK", None, ["imei"], company="深圳市腾讯计算机系统有限公司")
    b = bundle(declared([row]), scan([embedded(BUGLY, "Bugly")], [site("imei", BUGLY, "Bugly", "com.tencent.bugly.A")]))
    assert [
        f.kind for f in reconcile(b) if f.kind in ("sdk_in_code_undeclared", "declared_entry_unresolved", "sdk_identifier_undeclared")
    ] == []


def test_declared_libraries_are_never_reported_missing() -> None:
    b = bundle(declared([dsdk("OkHttp", "okhttp"), dsdk("Glide", "glide")]), scan(libraries=[embedded("okhttp", "OkHttp", role="library")]))
    assert of_kind(b, "sdk_declared_not_observed") == []


def test_issued_ids_going_back_to_their_issuer_are_not_collection() -> None:
    own = obs("install_id", value="a1b2c3d4e5f60718")
    own_user = obs("app_user_id", party="first_party", sdk_id=None, name="app", host="api.example-health.cn", value="10086")
    shared = own.model_copy(update={"issuer": "umeng_common", "value": "b1b2c3d4e5f60718", "flow_id": "x"})
    b = bundle(declared([dsdk("Bugly", BUGLY, ["imei"])]), scan([embedded(BUGLY, "Bugly")]), [own, own_user, shared])
    assert [(f.kind, f.identifier) for f in reconcile(b) if f.kind.endswith("identifier_undeclared")] == [
        ("sdk_identifier_undeclared", "install_id")
    ]


def test_traffic_decides_init_before_consent_when_the_apk_has_a_consent_dialog() -> None:
    facts = launch([init("umeng_common", UMENG_INIT)], consent_ui=True)
    assert of_kind(bundle(None, scan(umeng_product(), launch_facts=facts)), "sdk_init_before_consent") == []
    early = obs("oaid", sdk_id="umeng_common", name="Umeng", host="ulogs.umeng.com", t=T0)
    [finding] = of_kind(bundle(None, scan(umeng_product(), launch_facts=facts), [early], consent_at=T0 + 10), "sdk_init_before_consent")
    assert finding.confidence == 1.0 and "no consent step" not in finding.message
    late = early.model_copy(update={"timestamp": T0 + 20})
    assert of_kind(bundle(None, scan(umeng_product(), launch_facts=facts), [late], consent_at=T0 + 10), "sdk_init_before_consent") == []


def test_a_phrase_standing_for_several_permissions_is_honoured_by_any_of_them() -> None:
    table = declared(permissions=["android.permission.READ_EXTERNAL_STORAGE", "android.permission.MANAGE_EXTERNAL_STORAGE"])
    for item in table.permissions:
        item.phrase, item.source = "存储权限", src("存储权限：保存图片", 9)
    b = bundle(table, scan(permissions=[perm("android.permission.READ_EXTERNAL_STORAGE")]))
    assert of_kind(b, "permission_declared_not_requested") == []


def test_fine_location_discloses_coarse_but_not_the_reverse() -> None:
    fine, coarse = "android.permission.ACCESS_FINE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION"
    assert of_kind(bundle(declared(permissions=[fine]), scan(permissions=[perm(fine), perm(coarse)])), "permission_undeclared") == []
    found = of_kind(bundle(declared(permissions=[coarse]), scan(permissions=[perm(fine), perm(coarse)])), "permission_undeclared")
    assert [f.permission for f in found] == [fine]


def test_a_row_naming_only_a_category_declares_its_identifiers_and_a_listing_row_is_held_to_its_list() -> None:
    imei = site("imei", BUGLY, "Bugly", "com.tencent.bugly.A")
    location = site("precise_location", BUGLY, "Bugly", "com.tencent.bugly.B", api="android.location.Location.getLatitude")
    vague = dsdk("Bugly", BUGLY).model_copy(update={"personal_data": ["设备标识符"]})
    b = bundle(declared([vague]), scan([embedded(BUGLY, "Bugly")], [imei, location]))
    assert [f.identifier for f in of_kind(b, "sdk_identifier_undeclared")] == ["precise_location"]
    listing_row = dsdk("Bugly", BUGLY, ["android_id"]).model_copy(update={"personal_data": ["设备信息（Android ID）"]})
    b = bundle(declared([listing_row]), scan([embedded(BUGLY, "Bugly")], [imei]))
    assert [f.identifier for f in of_kind(b, "sdk_identifier_undeclared")] == ["imei"]
