"""Launch-time facts on smali-built APKs: SDK inits and where they run, consent gating, permission requests,
consent UI and code endpoints."""

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from examples.apk_builder import build_apk
from tests.apk_scan import launch_apps
from tests.apk_scan.conftest import TOOLS

UMENG = "com.umeng.commonsdk.UMConfigure"


@pytest.fixture(scope="module")
def launch_scans(tmp_path_factory: pytest.TempPathFactory) -> dict:
    missing = [t for t in TOOLS if not shutil.which(t)]
    if missing:
        pytest.skip(f"Android toolchain missing: {', '.join(missing)}")
    from apk_scan import scan_apk

    root = tmp_path_factory.mktemp("launch_apks")
    specs = {"launch": launch_apps.launch_app(), "consent": launch_apps.consent_app(), "plain": launch_apps.consent_app(False),
             "tinkered": launch_apps.sdk_application_app(), "provider": launch_apps.provider_app(),
             "provider_off": launch_apps.provider_app("false"), "provider_on": launch_apps.provider_app("true")}  # fmt: skip
    with ThreadPoolExecutor(3) as pool:
        paths = dict(zip(specs, pool.map(lambda item: build_apk(item[1], root / f"{item[0]}.apk"), specs.items()), strict=True))
    return {name: scan_apk(Path(path)) for name, path in paths.items()}


def _init(scan, api: str):
    found = [i for i in scan.launch.sdk_inits if i.api == api]
    assert len(found) == 1, [i.api for i in scan.launch.sdk_inits]
    return found[0]


def test_entry_points_come_from_the_manifest(launch_scans):
    launch = launch_scans["launch"].launch
    assert launch.application_class == "com.example.launch.App"
    assert launch.launcher_activity == "com.example.launch.MainActivity"
    assert launch_scans["consent"].launch.launcher_activity == "com.example.consent.Splash"


def test_init_in_application_on_create(launch_scans):
    bugly = _init(launch_scans["launch"], "com.tencent.bugly.crashreport.CrashReport.initCrashReport")
    assert (bugly.sdk_id, bugly.caller_class, bugly.caller_method) == ("tencent_bugly", "com.example.launch.App", "onCreate")
    assert bugly.at_launch == "application" and bugly.kind == "init" and not bugly.consent_api
    pre = _init(launch_scans["launch"], f"{UMENG}.preInit")
    assert (pre.kind, pre.consent_api, pre.at_launch) == ("pre_init", True, "application")


def test_init_in_launcher_activity_through_a_helper(launch_scans):
    jpush = _init(launch_scans["launch"], "cn.jpush.android.api.JPushInterface.init")
    assert (jpush.sdk_id, jpush.caller_class, jpush.caller_method) == ("jpush", "com.example.launch.MainActivity", "initSdks")
    assert jpush.at_launch == "launcher_activity" and jpush.gated_by is None and jpush.owner == "app"


def test_init_behind_a_stored_consent_choice_is_gated(launch_scans):
    consent = _init(launch_scans["launch"], "com.baidu.mapapi.SDKInitializer.setAgreePrivacy")
    assert (consent.kind, consent.grant, consent.at_launch) == ("consent", None, "launcher_activity")
    init = _init(launch_scans["launch"], "com.baidu.mapapi.SDKInitializer.initialize")
    assert init.at_launch is None and init.gated_by == "com.baidu.mapapi.SDKInitializer.setAgreePrivacy"


def test_literal_true_consent_is_reported_as_such(launch_scans):
    agree = _init(launch_scans["launch"], "com.amap.api.location.AMapLocationClient.updatePrivacyAgree")
    assert (agree.kind, agree.grant, agree.at_launch) == ("consent", True, "launcher_activity")


def test_init_in_a_click_handler_is_not_at_launch(launch_scans):
    init = _init(launch_scans["launch"], f"{UMENG}.init")
    assert init.caller_class == "com.example.launch.MainActivity$Agree" and init.caller_method == "onClick"
    assert init.at_launch is None
    grant = _init(launch_scans["launch"], f"{UMENG}.submitPolicyGrantResult")
    assert grant.grant is True and grant.at_launch is None


def test_an_sdk_calling_its_own_init_is_not_listed(launch_scans):
    assert not [i for i in launch_scans["launch"].launch.sdk_inits if i.caller_class.startswith("com.umeng.")]


def test_permission_request_in_the_launcher_activity(launch_scans):
    launch = launch_scans["launch"].launch
    (request,) = launch.permission_requests
    assert request.api == "androidx.core.app.ActivityCompat.requestPermissions"
    assert (request.caller_class, request.caller_method, request.at_launch) == ("com.example.launch.MainActivity", "askPermissions",
                                                                               "launcher_activity")  # fmt: skip
    assert request.permissions == ["android.permission.CAMERA", "android.permission.READ_PHONE_STATE"]
    assert launch.quits_on_denial is True


def test_permission_names_from_the_caller_of_a_request_helper(launch_scans):
    launch = launch_scans["consent"].launch
    (request,) = launch.permission_requests
    assert request.caller_class == "com.example.consent.PermissionHelper" and request.at_launch == "launcher_activity"
    assert request.permissions == ["android.permission.ACCESS_FINE_LOCATION"]
    assert launch.quits_on_denial is None  # no onRequestPermissionsResult in the requesting class


def test_consent_ui_strings(launch_scans):
    consent, plain = launch_scans["consent"].launch, launch_scans["plain"].launch
    assert consent.consent_ui is True
    assert any("隐私政策" in line and line.startswith("resources.arsc") for line in consent.consent_ui_evidence)
    assert plain.consent_ui is False and plain.consent_ui_evidence == []
    assert launch_scans["launch"].launch.consent_ui is False


def test_code_endpoints_name_the_class_and_its_owner(launch_scans):
    endpoints = {(e.host, e.caller_class): e for e in launch_scans["launch"].endpoints}
    app = endpoints[("api.example-analytics.com", "com.example.launch.MainActivity")]
    assert app.owner == "app" and app.url == "https://api.example-analytics.com/v1/collect" and app.sdk_id is None
    umeng = endpoints[("ulogs.umeng.com", "com.umeng.commonsdk.internal.Starter")]
    assert umeng.owner == "sdk:umeng_common" and umeng.sdk_id == "umeng_common"


def test_a_url_template_names_no_host(launch_scans):
    assert not [e for e in launch_scans["launch"].endpoints if e.host == "graph" or e.url.startswith("https://graph.%s")]


def test_an_sdk_application_class_is_an_init_at_launch(launch_scans):
    (init,) = launch_scans["tinkered"].launch.sdk_inits
    assert (init.sdk_id, init.api, init.at_launch) == ("tencent_tinker", "com.tencent.tinker.loader.app.TinkerApplication.onCreate",
                                                       "application")  # fmt: skip
    assert init.owner == "sdk:tencent_tinker"
    assert not [i for i in launch_scans["launch"].launch.sdk_inits if i.api.endswith("App.onCreate")]


def test_an_sdk_started_by_its_own_content_provider_is_an_init_at_launch(launch_scans):
    (init,) = launch_scans["provider"].launch.sdk_inits
    assert (init.sdk_id, init.api, init.at_launch, init.gated_by) == (
        "facebook_sdk", "com.facebook.internal.FacebookInitProvider.onCreate", "provider", None)
    assert init.owner == "sdk:facebook_sdk" and init.kind == "init"
    (on,) = launch_scans["provider_on"].launch.sdk_inits
    assert on.at_launch == "provider"


def test_the_manifest_switch_that_turns_the_automatic_start_off_gates_it(launch_scans):
    (init,) = launch_scans["provider_off"].launch.sdk_inits
    assert init.at_launch is None and init.gated_by == "meta-data com.facebook.sdk.AutoInitEnabled=false"


def test_the_text_report_shows_what_starts_at_launch_and_the_hosts(launch_scans):
    from apk_scan.render import render_scan

    started = render_scan(launch_scans["provider"])
    assert "privacy-consent UI: none found" in started
    assert "facebook_sdk           own ContentProvider    com.facebook.internal.FacebookInitProvider.onCreate\n" in started
    assert "(by meta-data com.facebook.sdk.AutoInitEnabled=false)" in render_scan(launch_scans["provider_off"])
    text = render_scan(launch_scans["launch"])
    assert "permission request from launcher activity: CAMERA, READ_PHONE_STATE" in text
    assert "api.example-analytics.com" in text.split("Hosts named in code")[1]
