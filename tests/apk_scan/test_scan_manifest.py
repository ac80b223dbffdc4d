"""Manifest facts of a real built APK: package, versions, permissions with levels, components, meta-data."""

from apk_scan.render import mask, render_scan


def test_package_and_versions(scans: dict) -> None:
    scan = scans["sdk"]
    assert (scan.package, scan.app_name, scan.version_name, scan.version_code) == ("com.example.shop", "Shop", "2.3.1", "231")
    assert (scan.min_sdk, scan.target_sdk) == (21, 33)
    assert len(scan.sha256) == 64 and scan.size > 0


def test_permissions_with_protection_levels(scans: dict) -> None:
    perms = {p.name: p for p in scans["sdk"].permissions}
    assert perms["android.permission.READ_PHONE_STATE"].protection_level == "dangerous"
    assert perms["android.permission.INTERNET"].protection_level == "normal"
    assert perms["android.permission.WRITE_EXTERNAL_STORAGE"].max_sdk_version == 28
    vendor = perms["com.huawei.android.launcher.permission.CHANGE_BADGE"]
    assert vendor.custom and vendor.protection_level == "unknown"
    own = perms["com.example.shop.permission.PUSH"]
    assert own.custom and own.protection_level == "signature"  # declared by the app itself
    assert not perms["android.permission.INTERNET"].custom


def test_components_exported_and_owned(scans: dict) -> None:
    comps = {c.name: c for c in scans["sdk"].components}
    assert comps["com.example.shop.MainActivity"].exported is True  # relative name resolved
    assert comps["com.example.shop.Hidden"].exported is False
    assert comps["com.umeng.message.UmengIntentService"].kind == "service"
    assert comps["com.umeng.message.UmengIntentService"].sdk_id == "umeng_push"
    receiver = comps["com.tencent.bugly.beta.ui.BetaReceiver"]
    assert receiver.exported is True  # no attribute, has an intent filter: the pre-Android-12 default
    clean = {c.name: c for c in scans["clean"].components}
    assert clean["org.example.clean.Files"].kind == "provider" and clean["org.example.clean.Files"].exported is False


def test_meta_data_and_network_config(scans: dict) -> None:
    scan = scans["sdk"]
    meta = {m.name: m for m in scan.meta_data}
    assert meta["UMENG_APPKEY"].value == "5f2b3c4d5e6f7a8b9c0d1e2f"  # JSON keeps the value
    assert meta["UMENG_APPKEY"].sdk_id == "umeng_common"
    assert meta["BUGLY_APPID"].sdk_id == "tencent_bugly"
    assert scan.uses_cleartext_traffic is False
    assert scan.network_security_config == "@xml/network_security_config"
    assert scans["clean"].uses_cleartext_traffic is None


def test_text_output_masks_secret_values(scans: dict) -> None:
    text = render_scan(scans["sdk"])
    assert "5f2b3c4d5e6f7a8b9c0d1e2f" not in text
    assert "UMENG_APPKEY = 5f" in text and "UMENG_CHANNEL = huawei" in text
    assert mask("BUGLY_APPID", "a1b2c3d4e5") == "a1••••••e5"
    assert mask("UMENG_CHANNEL", "huawei") == "huawei"
