"""Build the demo: an example APK, then a full report from the bundled policy, flows and device profile.

    python -m examples.build_demo --out out/demo            # (make demo)
    python -m examples.build_demo --regenerate-flows        # rewrite examples/demo/flows.har

Each stage degrades gracefully: when a part of Candor is missing, it is skipped with a note.
"""

import argparse
import base64
import hashlib
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlencode

import yaml

if TYPE_CHECKING:
    from examples.apk_builder import ApkSpec

DEMO = Path(__file__).resolve().parent / "demo"
PACKAGE = "com.kangyuan.health"
APP_DOMAIN = "kangyuan-health.com"
T0 = datetime(2026, 11, 2, 9, 30, 0, tzinfo=UTC).timestamp()
CONSENT_AT = T0 + 40.0
CONSENT_URL = r"api\.kangyuan-health\.com/v1/privacy/consent"

TM = "Landroid/telephony/TelephonyManager;"
CALLS = {
    "imei": f"{TM}->getDeviceId()Ljava/lang/String;",
    "imei2": f"{TM}->getImei()Ljava/lang/String;",
    "imsi": f"{TM}->getSubscriberId()Ljava/lang/String;",
    "iccid": f"{TM}->getSimSerialNumber()Ljava/lang/String;",
    "mac": "Landroid/net/wifi/WifiInfo;->getMacAddress()Ljava/lang/String;",
    "bssid": "Landroid/net/wifi/WifiInfo;->getBSSID()Ljava/lang/String;",
    "android_id": "Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;",
    "location": "Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;",
    "apps": "Landroid/content/pm/PackageManager;->getInstalledPackages(I)Ljava/util/List;",
}


UMENG_INIT = "Lcom/umeng/commonsdk/UMConfigure;->init(Landroid/content/Context;Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;)V"
BUGLY_INIT = "Lcom/tencent/bugly/crashreport/CrashReport;->initCrashReport(Landroid/content/Context;Ljava/lang/String;Z)V"
TRANSLATE_API = "https://openapi.youdao.com/api"

# The Application subclass: Umeng and Bugly initialised in onCreate, with no privacy dialog anywhere in the APK.
APPLICATION_SMALI = f""".class public Lcom/kangyuan/health/KangyuanApp;
.super Landroid/app/Application;

.method public constructor <init>()V
    .registers 1
    invoke-direct {{p0}}, Landroid/app/Application;-><init>()V
    return-void
.end method

.method public onCreate()V
    .registers 8
    invoke-super {{p0}}, Landroid/app/Application;->onCreate()V
    const-string v1, "5f8e2c1a9b3d4e0012345678"
    const-string v2, "official"
    const/4 v3, 0x1
    const/4 v4, 0x0
    invoke-static {{p0, v1, v2, v3, v4}}, {UMENG_INIT}
    const-string v1, "a1b2c3d4e5"
    const/4 v3, 0x0
    invoke-static {{p0, v1, v3}}, {BUGLY_INIT}
    return-void
.end method
"""

# The launcher activity: asks for the phone and location permissions in onCreate and closes when they are refused.
MAIN_ACTIVITY_SMALI = """.class public Lcom/kangyuan/health/MainActivity;
.super Landroid/app/Activity;

.method public constructor <init>()V
    .registers 1
    invoke-direct {p0}, Landroid/app/Activity;-><init>()V
    return-void
.end method

.method protected onCreate(Landroid/os/Bundle;)V
    .registers 6
    invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V
    const/4 v0, 0x2
    new-array v0, v0, [Ljava/lang/String;
    const/4 v1, 0x0
    const-string v2, "android.permission.READ_PHONE_STATE"
    aput-object v2, v0, v1
    const/4 v1, 0x1
    const-string v2, "android.permission.ACCESS_FINE_LOCATION"
    aput-object v2, v0, v1
    const/16 v1, 0x64
    invoke-virtual {p0, v0, v1}, Lcom/kangyuan/health/MainActivity;->requestPermissions([Ljava/lang/String;I)V
    invoke-virtual {p0}, Lcom/kangyuan/health/MainActivity;->collect()V
    return-void
.end method

.method public onRequestPermissionsResult(I[Ljava/lang/String;[I)V
    .registers 5
    invoke-virtual {p0}, Lcom/kangyuan/health/MainActivity;->finish()V
    return-void
.end method

.method public collect()V
    .registers 4
    invoke-virtual {p0}, Lcom/kangyuan/health/MainActivity;->getContentResolver()Landroid/content/ContentResolver;
    move-result-object v0
    const-string v1, "android_id"
    invoke-static {v0, v1}, ANDROID_ID_API
    return-void
.end method
""".replace("ANDROID_ID_API", CALLS["android_id"])

# The app's own translation feature: posts what the user types to a third-party translation API (no SDK).
TRANSLATE_SMALI = f""".class public Lcom/kangyuan/health/net/TranslateClient;
.super Ljava/lang/Object;

.method public constructor <init>()V
    .registers 1
    invoke-direct {{p0}}, Ljava/lang/Object;-><init>()V
    return-void
.end method

.method public static translate(Ljava/lang/String;)Ljava/net/URLConnection;
    .registers 4
    new-instance v0, Ljava/net/URL;
    const-string v1, "{TRANSLATE_API}"
    invoke-direct {{v0, v1}}, Ljava/net/URL;-><init>(Ljava/lang/String;)V
    invoke-virtual {{v0}}, Ljava/net/URL;->openConnection()Ljava/net/URLConnection;
    move-result-object v2
    return-object v2
.end method
"""


def apk_spec() -> "ApkSpec":
    """康源健康 3.2.0: first-party code plus Umeng, Bugly, JPush, AMap, Getui and Pangle classes reading identifiers.

    At start the Application initialises Umeng and Bugly and the launcher activity asks for two permissions and
    closes on refusal, with no privacy dialog in the APK; the app's own code calls a third-party translation API.
    """
    from examples.apk_builder import ApkSpec, Call, Component, smali_class

    def cls(name: str, *keys: str, strings: list[str] | None = None) -> str:
        calls = [Call(CALLS[k], "static" if k == "android_id" else "virtual") for k in keys]
        return smali_class(name, method="collect", calls=calls, strings=strings)

    classes = [
        APPLICATION_SMALI,
        MAIN_ACTIVITY_SMALI,
        TRANSLATE_SMALI,
        cls("com.kangyuan.health.util.DeviceUtil", "imei2"),
        cls("com.umeng.commonsdk.UMConfigure", "imei", "android_id", strings=["android_id"]),
        cls("com.umeng.analytics.MobclickAgent", "mac"),
        cls("com.tencent.bugly.crashreport.CrashReport", "imei", "android_id", strings=["android_id"]),
        cls("cn.jpush.android.api.JPushInterface", "imei", "imsi", "iccid", "apps"),
        cls("com.amap.api.location.AMapLocationClient", "location", "bssid"),
        cls("com.igexin.sdk.PushManager", "imei", "android_id", strings=["android_id"]),
        cls("com.bytedance.sdk.openadsdk.TTAdSdk", "imei", "apps"),
        cls("com.sensorsdata.analytics.android.sdk.SensorsDataAPI", "android_id", strings=["android_id"]),
    ]
    return ApkSpec(
        package=PACKAGE,
        version_name="3.2.0",
        version_code=320,
        min_sdk=21,
        target_sdk=33,
        app_name="康源健康",
        application="com.kangyuan.health.KangyuanApp",
        permissions=[
            "android.permission.INTERNET",
            "android.permission.ACCESS_NETWORK_STATE",
            "android.permission.ACCESS_WIFI_STATE",
            "android.permission.READ_PHONE_STATE",
            "android.permission.ACCESS_FINE_LOCATION",
            "android.permission.ACCESS_COARSE_LOCATION",
            "android.permission.CAMERA",
            ("android.permission.WRITE_EXTERNAL_STORAGE", 28),
            "android.permission.RECORD_AUDIO",
            "android.permission.READ_CONTACTS",
            "android.permission.QUERY_ALL_PACKAGES",
            "android.permission.RECEIVE_BOOT_COMPLETED",
            "android.intent.action.BOOT_COMPLETED",  # a broadcast action mistaken for a permission
        ],
        meta_data={"UMENG_APPKEY": "5f8e2c1a9b3d4e0012345678", "JPUSH_APPKEY": "a1b2c3d4e5f6a7b8c9d0e1f2", "PUSH_APPID": "kYq3Hn0demo"},
        components=[
            Component(
                "activity",
                "com.kangyuan.health.MainActivity",
                exported=True,
                actions=["android.intent.action.MAIN"],
                categories=["android.intent.category.LAUNCHER"],
            ),
            Component("service", "cn.jpush.android.service.PushService", exported=False),
            Component("service", "com.igexin.sdk.PushService", exported=False),
            Component("service", "com.amap.api.location.APSService", exported=False),
        ],
        dex={"classes.dex": classes[:4], "classes2.dex": classes[4:]},
        uses_cleartext_traffic=True,
    )


# -- flows -------------------------------------------------------------------------------------


def _entry(
    t: float, method: str, url: str, body: str | None = None, mime: str = "application/json", headers: dict[str, str] | None = None
) -> dict:
    request: dict = {
        "method": method,
        "url": url,
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "queryString": [],
        "headersSize": -1,
        "headers": [
            {"name": "User-Agent", "value": "Dalvik/2.1.0 (Linux; U; Android 13; SM-G9910 Build/TP1A)"},
            *({"name": k, "value": v} for k, v in (headers or {}).items()),
        ],
        "bodySize": len(body.encode()) if body else 0,
    }
    if body is not None:
        request["postData"] = {"mimeType": mime, "text": body}
    moment = datetime.fromtimestamp(t, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {
        "startedDateTime": moment,
        "time": 85,
        "request": request,
        "response": {
            "status": 200,
            "statusText": "OK",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [],
            "content": {"size": 2, "mimeType": "application/json", "text": "{}"},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": 2,
        },
        "cache": {},
        "timings": {"send": 1, "wait": 80, "receive": 4},
    }


def make_flows(device: dict) -> dict:
    """A realistic HAR: identifiers in several encodings, some before consent, a burst, cleartext, an unknown tracker."""
    imei, android_id, oaid, imsi = device["imei"], device["android_id"], device["oaid"], device["imsi"]
    lat, lon = device["location"]["lat"], device["location"]["lon"]
    b64 = base64.b64encode(json.dumps({"imei": imei, "aid": android_id}).encode()).decode()
    entries = [
        # before consent (T0 .. T0+40): SDKs initialised in Application.onCreate
        _entry(
            T0 + 2,
            "POST",
            "https://ulogs.umeng.com/unify_logs",
            json.dumps({"header": {"device_id": b64, "appkey": "5f8e2c1a9b3d4e0012345678"}}),
        ),
        _entry(
            T0 + 3, "GET", "https://android.bugly.qq.com/rqd/async?" + urlencode({"aid": android_id, "imei": imei, "model": "SM-G9910"})
        ),
        _entry(
            T0 + 5,
            "POST",
            "https://sdk.open.phone.igexin.com/api.php",
            urlencode({"cid": hashlib.md5(imei.encode()).hexdigest(), "imsi": imsi}),
            mime="application/x-www-form-urlencoded",
        ),
        _entry(
            T0 + 8,
            "POST",
            "http://log.kangyuan-health.com/collect",
            json.dumps({"evt": "launch", "dev": imei}),
            headers={"X-Device": android_id},
        ),
        _entry(
            T0 + 12,
            "GET",
            "https://api-access.pangolin-sdk-toutiao.com/api/ad/union/sdk/get_ads/?"
            + urlencode({"oaid": oaid, "imei_md5": hashlib.md5(imei.encode()).hexdigest()}),
        ),
        # the consent call
        _entry(
            CONSENT_AT, "POST", "https://api.kangyuan-health.com/v1/privacy/consent", json.dumps({"agreed": True, "version": "2026-10-08"})
        ),
        # after consent
        _entry(
            CONSENT_AT + 5, "POST", "https://api.kangyuan-health.com/v1/device/register", json.dumps({"android_id": android_id, "os": "13"})
        ),
        _entry(
            CONSENT_AT + 9,
            "GET",
            "https://apilocate.amap.com/mobile/binary?" + urlencode({"loc": f"{lon:.6f},{lat:.6f}", "bssid": device["wifi_bssid"]}),
        ),
        _entry(
            CONSENT_AT + 12,
            "POST",
            TRANSLATE_API,
            urlencode({"q": "饭后血糖偏高怎么办", "from": "zh-CHS", "to": "en", "appKey": "kangyuan", "deviceId": android_id}),
            mime="application/x-www-form-urlencoded",
        ),
        _entry(CONSENT_AT + 14, "GET", "http://t.adxdata-track.cn/v2/collect?d=" + quote(json.dumps({"aid": android_id, "oaid": oaid}))),
        _entry(
            CONSENT_AT + 16,
            "POST",
            "https://tsis.jpush.cn/v1/report",
            json.dumps({"imsi_sha1": hashlib.sha1(imsi.encode()).hexdigest(), "imei": imei}),
        ),
    ]
    # Umeng sends the OAID every second for 40 seconds (a fixed-frequency burst)
    entries += [
        _entry(CONSENT_AT + 20 + i, "POST", "https://ulogs.umeng.com/unify_logs", json.dumps({"header": {"oaid": oaid, "seq": i}}))
        for i in range(40)
    ]
    entries.sort(key=lambda e: e["startedDateTime"])
    return {"log": {"version": "1.2", "creator": {"name": "candor demo", "version": "1"}, "pages": [], "entries": entries}}


def regenerate_flows() -> Path:
    device = yaml.safe_load((DEMO / "device.yaml").read_text(encoding="utf-8"))
    path = DEMO / "flows.har"
    path.write_text(json.dumps(make_flows(device), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


# -- pipeline ----------------------------------------------------------------------------------


def note(text: str) -> None:
    print(f"  note: {text}")


def build_scan(out: Path) -> Path | None:
    """Build the example APK and scan it; returns scan.json (None when the toolchain or scanner is missing)."""
    try:
        from examples.apk_builder import BuildError, build_apk
    except ImportError as exc:
        note(f"APK builder unavailable ({exc}); continuing without code evidence")
        return None
    apk = out / "kangyuan-health-3.2.0.apk"
    try:
        build_apk(apk_spec(), apk)
    except (BuildError, OSError) as exc:
        note(f"could not build the example APK ({str(exc).splitlines()[0] if str(exc) else exc}); continuing without code evidence")
        return None
    try:
        from apk_scan import scan_apk
    except ImportError as exc:
        note(f"APK scanner unavailable ({exc}); continuing without code evidence")
        return None
    scan = out / "scan.json"
    scan.write_text(scan_apk(apk).model_dump_json(indent=2) + "\n", encoding="utf-8")
    return scan


def build_declared(out: Path) -> Path | None:
    try:
        from declared import dump_yaml, extract_policy
    except ImportError as exc:
        note(f"policy parser unavailable ({exc}); continuing without the policy")
        return None
    path = out / "declared.yaml"
    path.write_text(dump_yaml(extract_policy(DEMO / "policy.md")), encoding="utf-8")
    return path


def build_observations(out: Path) -> Path | None:
    try:
        from addons import analyze_file, load_device_profile
    except ImportError as exc:
        note(f"traffic analyser unavailable ({exc}); continuing without traffic evidence")
        return None
    profile = load_device_profile(DEMO / "device.yaml")
    observations = analyze_file(DEMO / "flows.har", profile=profile, app_domains=(APP_DOMAIN,), consent_url=CONSENT_URL)
    path = out / "observations.jsonl"
    path.write_text("".join(o.model_dump_json() + "\n" for o in observations), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m examples.build_demo", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out/demo"), help="output folder")
    parser.add_argument("--regenerate-flows", action="store_true", help="rewrite examples/demo/flows.har and stop")
    args = parser.parse_args(argv)
    if args.regenerate_flows:
        print(f"wrote {regenerate_flows()}")
        return 0
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    print(f"candor demo -> {out}")
    scan, declared, observations = build_scan(out), build_declared(out), build_observations(out)
    command = ["report"]
    if declared:
        command += ["--declared", str(declared)]
    if scan:
        command += ["--scan", str(scan)]
    if observations:
        command += ["--observations", str(observations), "--consent-at", str(CONSENT_AT)]
    command += [
        "-o",
        str(out / "report.html"),
        "--json",
        str(out / "report.json"),
        "--csv",
        str(out / "findings.csv"),
        "--xlsx",
        str(out / "findings.xlsx"),
        "--sarif",
        str(out / "report.sarif"),
    ]
    from candor.cli.main import main as candor

    print("  $ candor " + " ".join(command))
    code = candor(command)
    if code == 2:
        return 2
    print(f"report: {(out / 'report.html').resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
