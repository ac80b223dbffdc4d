"""Nested DEX, packers and split bundles."""


def test_nested_apk_is_scanned(scans: dict) -> None:
    scan = scans["nested"]
    dex = {d.path: d for d in scan.dex_files}
    assert dex["assets/plugin.apk!classes.dex"].nested and dex["assets/plugin.apk!classes.dex"].container == "assets/plugin.apk"
    assert dex["assets/plugin.apk!classes.dex"].classes == 6
    assert dex["assets/extra.jar!classes.dex"].nested and not dex["classes.dex"].nested
    assert dex["instant-run.zip!slice_0-classes.dex"].nested and dex["instant-run.zip!slice_0-classes.dex"].container == "instant-run.zip"
    mac = next(c for c in scan.call_sites if c.identifier == "mac")
    assert (mac.caller_class, mac.name, mac.dex) == ("com.example.nested.Slice", "app", "instant-run.zip!slice_0-classes.dex")
    analytics = next(s for s in scan.sdks if s.sdk_id == "umeng_analytics")
    assert [(e.kind, e.count, e.location) for e in analytics.evidence] == [("class_prefix", 6, "assets/plugin.apk!classes.dex")]
    site = next(c for c in scan.call_sites if c.identifier == "imei")
    expected = ("com.umeng.analytics.MobclickAgent", "umeng_analytics", "assets/plugin.apk!classes.dex")
    assert (site.caller_class, site.sdk_id, site.dex) == expected


def test_packer_marks_scan_incomplete(scans: dict) -> None:
    scan = scans["packed"]
    assert scan.packers == ["360 Jiagu"]
    assert scan.incomplete and "360 Jiagu" in scan.incomplete_reasons[0]
    assert scans["sdk"].packers == [] and not scans["sdk"].incomplete


def test_split_bundle_merged(scans: dict) -> None:
    scan = scans["bundle"]
    assert scan.package == "com.example.split"
    assert scan.splits == ["split_config.arm64_v8a.apk"]
    assert {d.path for d in scan.dex_files} == {"base.apk!classes.dex", "split_config.arm64_v8a.apk!classes.dex"}
    bugly = next(s for s in scan.sdks if s.sdk_id == "tencent_bugly")
    kinds = {(e.kind, e.location) for e in bugly.evidence}
    assert ("native_lib", "split_config.arm64_v8a.apk!lib/arm64-v8a") in kinds
    assert ("class_prefix", "split_config.arm64_v8a.apk!classes.dex") in kinds
    assert [(c.identifier, c.name) for c in scan.call_sites] == [("imei", "app")]
