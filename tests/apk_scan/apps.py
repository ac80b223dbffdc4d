"""Specs of the APKs the tests build (real toolchain, see examples/apk_builder.py)."""

from pathlib import Path

from examples.apk_builder import ApkSpec, Call, Component, assemble_dex, build_jar, smali_class

GET_DEVICE_ID = Call("Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;")
GET_SUBSCRIBER_ID = Call("Landroid/telephony/TelephonyManager;->getSubscriberId()Ljava/lang/String;", kind="virtual/range")
GET_MAC = Call("Landroid/net/wifi/WifiInfo;->getMacAddress()Ljava/lang/String;")
HW_ADDRESS = Call("Ljava/net/NetworkInterface;->getHardwareAddress()[B")
SECURE_GET_STRING = Call("Landroid/provider/Settings$Secure;->getString"
                         "(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;", kind="static")
INSTALLED = Call("Landroid/content/pm/PackageManager;->getInstalledPackages(I)Ljava/util/List;")
BUILD_MODEL = "Landroid/os/Build;->MODEL:Ljava/lang/String;"


def sdk_app() -> ApkSpec:
    """Umeng in classes2.dex, Bugly in classes3.dex, first-party code in classes.dex, an endpoint-only SDK."""
    umeng = [smali_class("com.umeng.commonsdk.UMConfigure", method="init", calls=[GET_DEVICE_ID],
                         strings=["https://ulogs.umeng.com/unify_logs"])]  # fmt: skip
    umeng += [smali_class(f"com.umeng.commonsdk.internal.C{i}") for i in range(5)]
    bugly = [smali_class("com.tencent.bugly.crashreport.CrashReport", method="initCrashReport", calls=[GET_MAC, HW_ADDRESS]),
             smali_class("com.tencent.bugly.proguard.Z", method="a", calls=[GET_SUBSCRIBER_ID])]  # fmt: skip
    bugly += [smali_class(f"com.tencent.bugly.proguard.P{i}") for i in range(4)]
    app = [
        smali_class("com.example.shop.MainActivity", method="deviceKey", calls=[SECURE_GET_STRING], strings=["android_id"]),
        smali_class("com.example.shop.Settings", method="readSetting", calls=[SECURE_GET_STRING], strings=["font_scale"]),
        smali_class("com.example.shop.Device", method="model", fields=[BUILD_MODEL]),
        smali_class("com.example.shop.Apps", method="list", calls=[INSTALLED], strings=["https://sdk.open.api.igexin.com/api.php"]),
    ]
    return ApkSpec(
        package="com.example.shop", version_name="2.3.1", version_code=231, min_sdk=21, target_sdk=33, app_name="Shop",
        permissions=["android.permission.READ_PHONE_STATE", "android.permission.INTERNET", "android.permission.ACCESS_FINE_LOCATION",
                     ("android.permission.WRITE_EXTERNAL_STORAGE", 28), "com.huawei.android.launcher.permission.CHANGE_BADGE",
                     "com.example.shop.permission.PUSH"],
        custom_permissions=["com.example.shop.permission.PUSH"],
        meta_data={"UMENG_APPKEY": "5f2b3c4d5e6f7a8b9c0d1e2f", "UMENG_CHANNEL": "huawei", "BUGLY_APPID": "a1b2c3d4e5"},
        components=[
            Component("activity", ".MainActivity", exported=True, actions=["android.intent.action.MAIN"]),
            Component("activity", "com.example.shop.Hidden", exported=False),
            Component("service", "com.umeng.message.UmengIntentService", exported=False),
            Component("receiver", "com.tencent.bugly.beta.ui.BetaReceiver", actions=["com.tencent.bugly.ACTION"]),
        ],
        dex={"classes.dex": app, "classes2.dex": umeng, "classes3.dex": bugly},
        native_libs={"lib/arm64-v8a/libBugly.so": None, "lib/armeabi-v7a/libBugly.so": None, "lib/arm64-v8a/libshop.so": None},
        uses_cleartext_traffic=False,
        network_security_config='<?xml version="1.0" encoding="utf-8"?>\n<network-security-config>\n'
        '  <base-config cleartextTrafficPermitted="false"/>\n</network-security-config>\n',
    )  # fmt: skip


def nested_app() -> ApkSpec:
    """The only SDK evidence is in assets/plugin.apk (a nested APK) and assets/extra.jar."""
    plugin_dex = assemble_dex([smali_class("com.umeng.analytics.MobclickAgent", method="onEvent", calls=[GET_DEVICE_ID]),
                               *[smali_class(f"com.umeng.analytics.pro.A{i}") for i in range(5)]])  # fmt: skip
    extra_dex = assemble_dex([smali_class("com.example.plugin.Extra")])
    instant_run = build_jar(assemble_dex([smali_class("com.example.nested.Slice", calls=[HW_ADDRESS])]), name="slice_0-classes.dex")
    return ApkSpec(
        package="com.example.nested", app_name="Nested",
        components=[Component("activity", ".Main", exported=True, actions=["android.intent.action.MAIN"])],
        dex={"classes.dex": [smali_class("com.example.nested.Main")]},
        assets={"plugin.apk": build_jar(plugin_dex), "extra.jar": build_jar(extra_dex)},
        raw_entries={"instant-run.zip": instant_run},
    )


def packed_app() -> ApkSpec:
    """Looks like 360 Jiagu: stub application class, libjiagu.so, an encrypted payload."""
    return ApkSpec(
        package="com.example.packed",
        dex={"classes.dex": [smali_class("com.stub.StubApp", superclass="android.app.Application")]},
        native_libs={"lib/armeabi-v7a/libjiagu.so": None},
        assets={"libjiagu_a64.so": b"\x00" * 512, "classes0.jar": bytes(range(256)) * 8},
    )


def clean_app() -> ApkSpec:
    """No SDK at all: no evidence may be invented."""
    return ApkSpec(
        package="org.example.clean", app_name="Clean", permissions=["android.permission.INTERNET"],
        components=[Component("activity", ".Main", exported=True, actions=["android.intent.action.MAIN"]),
                    Component("provider", ".Files", exported=False, authorities="org.example.clean.files")],
        dex={"classes.dex": [smali_class("org.example.clean.Main", strings=["https://www.example.org/"]),
                             smali_class("org.example.clean.Files")]},
    )  # fmt: skip


def split_base() -> ApkSpec:
    return ApkSpec(package="com.example.split", app_name="Split",
                   dex={"classes.dex": [smali_class("com.example.split.Main", calls=[GET_DEVICE_ID])]})  # fmt: skip


def split_config() -> ApkSpec:
    """A config split: only native libraries and a feature DEX with Bugly classes."""
    return ApkSpec(package="com.example.split", native_libs={"lib/arm64-v8a/libBugly.so": None},
                   dex={"classes.dex": [smali_class(f"com.tencent.bugly.feature.F{i}") for i in range(3)]})  # fmt: skip


def corrupt_dex_app() -> ApkSpec:
    """A signed APK whose classes.dex has a corrupt header (file_size larger than the file)."""
    bad = bytearray(b"dex\n035\x00" + b"\x00" * 0x68)
    bad[0x20:0x24] = (10**9).to_bytes(4, "little")
    bad[0x24:0x28] = (0x70).to_bytes(4, "little")
    bad[0x28:0x2C] = (0x12345678).to_bytes(4, "little")
    return ApkSpec(package="com.example.corrupt", raw_entries={"classes.dex": bytes(bad)})


def write_zip_bomb(source: Path, path: Path, inflated_mb: int = 300) -> Path:
    """A copy of a real APK plus a classes2.dex entry inflating ~1000x (streamed, never held in memory)."""
    import shutil
    import zipfile

    shutil.copyfile(source, path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("classes2.dex")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w", force_zip64=True) as handle:
            chunk = b"\x00" * (1 << 20)
            for _ in range(inflated_mb):
                handle.write(chunk)
    return path


def write_big_asset(source: Path, path: Path, megabytes: int = 40) -> Path:
    """A copy of a real APK plus a stored (uncompressed) `megabytes` MB nested DEX-sized asset."""
    import shutil
    import zipfile

    shutil.copyfile(source, path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as zf:
        zf.writestr("assets/big.dex", b"dex\n035\x00" + b"\x01" * (megabytes << 20))
    return path


def write_bogus_directory(source: Path, path: Path) -> Path:
    """A copy of a real APK whose central directory records point at garbage."""
    data = bytearray(source.read_bytes())
    cd = data.rfind(b"PK\x01\x02", 0, len(data))
    first = data.find(b"PK\x01\x02")
    for pos in range(first, cd + 4, 1):
        if data[pos : pos + 4] == b"PK\x01\x02":
            data[pos + 42 : pos + 46] = (0x7FFFFF00).to_bytes(4, "little")  # local header offset
    path.write_bytes(bytes(data))
    return path
