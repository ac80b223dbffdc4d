"""APKs for the who-is-there / who-reads-what failure classes (built with the real toolchain, see examples/apk_builder.py)."""

from examples.apk_builder import ApkSpec, Call, Component, smali_class

GET_DEVICE_ID = Call("Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;")
GET_MAC = Call("Landroid/net/wifi/WifiInfo;->getMacAddress()Ljava/lang/String;")
LAST_LOCATION = Call("Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;")
QUERY_ACTIVITIES = Call("Landroid/content/pm/PackageManager;->queryIntentActivities(Landroid/content/Intent;I)Ljava/util/List;")
HOST_ADDRESS = Call("Ljava/net/InetAddress;->getHostAddress()Ljava/lang/String;")
BY_NAME = Call("Ljava/net/InetAddress;->getByName(Ljava/lang/String;)Ljava/net/InetAddress;", kind="static")
INTERFACES = Call("Ljava/net/NetworkInterface;->getNetworkInterfaces()Ljava/util/Enumeration;", kind="static")
PRIMARY_CLIP = Call("Landroid/content/ClipboardManager;->getPrimaryClip()Landroid/content/ClipData;")
CREATE_WXAPI = Call("Lcom/tencent/mm/opensdk/openapi/WXAPIFactory;->createWXAPI()V", kind="static")
INIT_SHARESDK = Call("Lcn/sharesdk/framework/ShareSDK;->initSDK()V", kind="static")
SDK_INT = "Landroid/os/Build$VERSION;->SDK_INT:I"
RELEASE = "Landroid/os/Build$VERSION;->RELEASE:Ljava/lang/String;"
APP = "com.mob.fanclub"  # the app's own package starts like MobTech's `com.mob` prefix


def ownership_app() -> ApkSpec:
    """Platform code, a renamed SDK helper, a key without code, a share plugin, a bundled payment class, call-site semantics."""
    platform = [smali_class("androidx.appcompat.app.TwilightManager", method="getLastKnownLocation", calls=[LAST_LOCATION])]
    umeng = [smali_class("com.umeng.commonsdk.UMConfigure", method="init", calls=[Call("La/b/a;->c()V", kind="static")]),
             *[smali_class(f"com.umeng.commonsdk.internal.C{i}") for i in range(4)]]  # fmt: skip
    renamed = [
        smali_class("a.b.a", method="c", calls=[GET_DEVICE_ID]),  # only UMConfigure calls it
        smali_class("w6.a", method="b", calls=[GET_MAC], strings=["https://ulogs.umeng.com/unify_logs"]),  # Umeng's host, no caller
        smali_class("a.c.a", calls=[Call("La/c/b;->run()V", kind="static")]),  # a call cycle a.c.a <-> a.c.b, entered from Umeng
        smali_class("a.c.b", calls=[Call("La/c/a;->run()V", kind="static"), GET_DEVICE_ID]),
        smali_class("com.umeng.commonsdk.internal.Loop", calls=[Call("La/c/a;->run()V", kind="static")]),
        smali_class("a.d.a", calls=[GET_MAC]),  # called only from Umeng code in classes2.dex
    ]
    share = [smali_class("cn.sharesdk.framework.ShareSDK", method="initSDK"),
             *[smali_class(f"cn.sharesdk.framework.P{i}") for i in range(4)],
             smali_class("cn.sharesdk.wechat.friends.Wechat", method="authorize", strings=["https://api.weixin.qq.com/sns/oauth2/access_token"]),
             smali_class("cn.sharesdk.tencent.qq.QQ", method="authorize", strings=["https://graph.qq.com/user/get_user_info"])]  # fmt: skip
    wechat = [smali_class("com.tencent.mm.opensdk.openapi.WXAPIFactory", method="createWXAPI"),
              *[smali_class(f"com.tencent.mm.opensdk.openapi.I{i}") for i in range(4)],
              smali_class("com.tencent.mm.opensdk.modelpay.PayReq"), smali_class("com.tencent.mm.opensdk.modelpay.PayResp")]  # fmt: skip
    cross_dex = [smali_class("com.umeng.commonsdk.internal.Remote", calls=[Call("La/d/a;->run()V", kind="static")])]  # a.d.a: classes.dex
    unknown = [smali_class("org.trackco.agent.Collector", method="collect", calls=[GET_DEVICE_ID]),
               *[smali_class(f"org.trackco.agent.U{i}") for i in range(3)]]  # fmt: skip
    app = [
        smali_class(f"{APP}.Main", method="onCreate", calls=[CREATE_WXAPI, INIT_SHARESDK]),
        smali_class(f"{APP}.Compat", method="check", fields=[SDK_INT]),
        smali_class(f"{APP}.About", method="osVersion", fields=[RELEASE]),
        smali_class(f"{APP}.Share", method="resolveShare", calls=[QUERY_ACTIVITIES], strings=["android.intent.action.SEND"]),
        smali_class(f"{APP}.Apps", method="launchers", calls=[QUERY_ACTIVITIES], strings=["android.intent.category.LAUNCHER"]),
        smali_class(f"{APP}.Net", method="resolve", calls=[BY_NAME, HOST_ADDRESS]),
        smali_class(f"{APP}.Ip", method="localIp", calls=[INTERFACES, HOST_ADDRESS]),
        smali_class(f"{APP}.PasteBox", method="onTextContextMenuItem", calls=[PRIMARY_CLIP]),
        smali_class(f"{APP}.Clip", method="readClipboard", calls=[PRIMARY_CLIP]),
    ]
    return ApkSpec(
        package=APP, app_name="Fan club",
        meta_data={"com.amap.api.v2.apikey": "0123456789abcdef0123456789abcdef"},  # a map key, no map code
        components=[Component("activity", f"{APP}.Main", exported=True, actions=["android.intent.action.MAIN"])],
        dex={"classes.dex": app + platform + renamed + umeng, "classes2.dex": share + wechat + unknown + cross_dex},
    )


def renamed_sdk_app() -> ApkSpec:
    """A crash SDK whose every class was renamed (package x7): only its meta-data key, native library and host tell."""
    android_id = Call("Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)"
                      "Ljava/lang/String;", kind="static")  # fmt: skip
    renamed = [
        smali_class("x7.a", method="a", strings=["BUGLY_APPID"], calls=[GET_DEVICE_ID]),
        smali_class("x7.b", method="a", strings=["Bugly"]),  # System.loadLibrary("Bugly")
        smali_class("x7.c", method="a", strings=["https://android.bugly.qq.com/rqd/async"]),
        smali_class("x7.d", method="a", strings=["android_id"], calls=[android_id]),  # no fingerprint, no caller: its package
        smali_class("q1.a", method="a", strings=["com.tencent.bugly.beta.ui.BetaActivity"], calls=[GET_DEVICE_ID]),  # names its component
    ]
    app = [smali_class("com.example.crashy.Main", method="onCreate", calls=[GET_MAC]),
           # the app's own repackaged code (z9): one class names the SDK's host, which must not take the package over
           smali_class("z9.a", method="a", strings=["https://android.bugly.qq.com/rqd/async"]),
           smali_class("z9.b", method="a", strings=["android_id"], calls=[android_id]),
           *[smali_class(f"z9.c{i}") for i in range(4)]]  # fmt: skip
    share = [smali_class("com.umeng.socialize.utils.DeviceConfig", method="getDeviceId", calls=[GET_DEVICE_ID]),  # never called,
             *[smali_class(f"com.umeng.socialize.S{i}") for i in range(4)]]  # but active code: embedded, not bundled  # fmt: skip
    return ApkSpec(package="com.example.crashy", meta_data={"BUGLY_APPID": "a1b2c3d4e5"}, native_libs={"lib/arm64-v8a/libBugly.so": None},
                   components=[Component("activity", "com.example.crashy.Main", exported=True, actions=["android.intent.action.MAIN"]),
                               Component("activity", "com.tencent.bugly.beta.ui.BetaActivity", exported=False)],
                   dex={"classes.dex": app + renamed + share})  # fmt: skip


def false_packer_app() -> ApkSpec:
    """An ordinary app that ships a library whose name a packer also uses, with no packer stub and no payload."""
    return ApkSpec(package="com.example.plain", native_libs={"lib/arm64-v8a/libdemolish.so": None},
                   dex={"classes.dex": [smali_class("com.example.plain.Main", calls=[GET_DEVICE_ID])]})  # fmt: skip
