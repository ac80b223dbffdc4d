"""SDK evidence and identifier call sites on real multi-DEX APKs."""


def _sdk(scan, sdk_id):
    return next(s for s in scan.sdks if s.sdk_id == sdk_id)


def test_every_dex_listed(scans: dict) -> None:
    dex = {d.path: d for d in scans["sdk"].dex_files}
    assert set(dex) == {"classes.dex", "classes2.dex", "classes3.dex"}
    assert (dex["classes.dex"].classes, dex["classes2.dex"].classes, dex["classes3.dex"].classes) == (4, 6, 6)
    assert not any(d.nested for d in dex.values())


def test_sdk_evidence_kinds_and_locations(scans: dict) -> None:
    scan = scans["sdk"]
    umeng = _sdk(scan, "umeng_common")
    kinds = {(e.kind, e.value, e.location): e.count for e in umeng.evidence}
    assert kinds[("class_prefix", "com.umeng.commonsdk", "classes2.dex")] == 6
    assert ("meta_data", "UMENG_APPKEY", "AndroidManifest.xml") in kinds
    assert ("endpoint", "ulogs.umeng.com", "classes2.dex") in kinds
    bugly = _sdk(scan, "tencent_bugly")
    bugly_kinds = {(e.kind, e.value, e.location) for e in bugly.evidence}
    assert ("native_lib", "libBugly.so", "lib/arm64-v8a") in bugly_kinds
    assert ("class_prefix", "com.tencent.bugly", "classes3.dex") in bugly_kinds
    assert umeng.confidence >= 0.9 and bugly.confidence >= 0.9
    assert _sdk(scan, "umeng_push").evidence[0].kind == "component"


def test_endpoint_only_sdk_is_low_confidence(scans: dict) -> None:
    getui = _sdk(scans["sdk"], "getui")
    assert [e.kind for e in getui.evidence] == ["endpoint"]
    assert getui.confidence == 0.3


def test_unknown_native_lib_is_not_an_sdk(scans: dict) -> None:
    values = {e.value for s in scans["sdk"].sdks for e in s.evidence}
    assert "libshop.so" not in values


def test_call_sites_attributed_to_sdks(scans: dict) -> None:
    sites = {(c.identifier, c.api, c.caller_class, c.caller_method): c for c in scans["sdk"].call_sites}
    imei = sites[("imei", "android.telephony.TelephonyManager.getDeviceId", "com.umeng.commonsdk.UMConfigure", "init")]
    assert (imei.sdk_id, imei.dex) == ("umeng_common", "classes2.dex") and imei.name != "app"
    report = ("com.tencent.bugly.crashreport.CrashReport", "initCrashReport")
    assert sites[("mac", "android.net.wifi.WifiInfo.getMacAddress", *report)].sdk_id == "tencent_bugly"
    assert ("mac", "java.net.NetworkInterface.getHardwareAddress", *report) in sites
    # invoke-virtual/range is decoded too
    imsi = sites[("imsi", "android.telephony.TelephonyManager.getSubscriberId", "com.tencent.bugly.proguard.Z", "a")]
    assert imsi.sdk_id == "tencent_bugly"
    # a static field read (sget-object Build.MODEL) by first-party code
    model = sites[("device_model", "android.os.Build.MODEL", "com.example.shop.Device", "model")]
    assert (model.sdk_id, model.name) == (None, "app")
    assert ("installed_apps", "android.content.pm.PackageManager.getInstalledPackages", "com.example.shop.Apps", "list") in sites


def test_android_id_needs_the_constant(scans: dict) -> None:
    android_id = [c for c in scans["sdk"].call_sites if c.identifier == "android_id"]
    assert [(c.caller_class, c.caller_method, c.name) for c in android_id] == [("com.example.shop.MainActivity", "deviceKey", "app")]


def test_clean_app_has_no_sdk(scans: dict) -> None:
    clean = scans["clean"]
    assert clean.sdks == [] and clean.call_sites == [] and clean.packers == []
    assert not clean.incomplete and [d.classes for d in clean.dex_files] == [2]
