"""Specs of the launch-time test APKs: SDK inits from Application.onCreate and the launcher activity, a
consent-gated init, a click-handler init, a permission request at launch, consent-UI strings."""

from examples.apk_builder import ApkSpec, Call, Component, smali_class

LAUNCHER = dict(exported=True, actions=["android.intent.action.MAIN"], categories=["android.intent.category.LAUNCHER"])
CTX = "Landroid/content/Context;"
UMENG = "Lcom/umeng/commonsdk/UMConfigure;"


def _class(name: str, superclass: str, methods: list[str], extra: str = "") -> str:
    """Smali of a class with a default constructor and the given method blocks."""
    return "\n".join([
        f".class public {name}", f".super {superclass}", extra, "",
        ".method public constructor <init>()V", "    .registers 1", f"    invoke-direct {{p0}}, {superclass}-><init>()V",
        "    return-void", ".end method", "", *methods,
    ]) + "\n"  # fmt: skip


def _method(signature: str, registers: int, body: list[str]) -> str:
    return "\n".join([f".method {signature}", f"    .registers {registers}", *(f"    {line}" for line in body), ".end method", ""])


APP = _class("Lcom/example/launch/App;", "Landroid/app/Application;", [_method("public onCreate()V", 4, [
    "invoke-super {p0}, Landroid/app/Application;->onCreate()V",
    'const-string v0, "appkey"',
    'const-string v1, "channel"',
    f"invoke-static {{p0, v0, v1}}, {UMENG}->preInit({CTX}Ljava/lang/String;Ljava/lang/String;)V",
    f"invoke-static {{p0}}, Lcom/tencent/bugly/crashreport/CrashReport;->initCrashReport({CTX})V",
    "return-void",
])])

MAIN = _class("Lcom/example/launch/MainActivity;", "Landroid/app/Activity;", [
    _method("protected onCreate(Landroid/os/Bundle;)V", 4, [
        "invoke-super {p0, p1}, Landroid/app/Activity;->onCreate(Landroid/os/Bundle;)V",
        "invoke-direct {p0}, Lcom/example/launch/MainActivity;->initSdks()V",
        "invoke-direct {p0}, Lcom/example/launch/MainActivity;->askPermissions()V",
        "new-instance v0, Lcom/example/launch/MainActivity$Agree;",
        "invoke-direct {v0, p0}, Lcom/example/launch/MainActivity$Agree;-><init>(Lcom/example/launch/MainActivity;)V",
        "return-void",
    ]),
    _method("private initSdks()V", 4, [
        f"invoke-static {{p0}}, Lcn/jpush/android/api/JPushInterface;->init({CTX})V",
        f"invoke-static {{p0}}, Lcom/example/launch/Prefs;->agreed({CTX})Z",
        "move-result v0",
        f"invoke-static {{p0, v0}}, Lcom/baidu/mapapi/SDKInitializer;->setAgreePrivacy({CTX}Z)V",
        f"invoke-static {{p0}}, Lcom/baidu/mapapi/SDKInitializer;->initialize({CTX})V",
        "const/4 v1, 0x1",
        f"invoke-static {{p0, v1}}, Lcom/amap/api/location/AMapLocationClient;->updatePrivacyAgree({CTX}Z)V",
        'const-string v2, "https://api.example-analytics.com/v1/collect"',
        'const-string v2, "https://graph.%s/v2/"',
        "return-void",
    ]),
    _method("private askPermissions()V", 4, [
        "const/4 v0, 0x2",
        "new-array v0, v0, [Ljava/lang/String;",
        "const/4 v1, 0x0",
        'const-string v2, "android.permission.CAMERA"',
        "aput-object v2, v0, v1",
        "const/4 v1, 0x1",
        'const-string v2, "android.permission.READ_PHONE_STATE"',
        "aput-object v2, v0, v1",
        "const/16 v1, 0x64",
        "invoke-static {p0, v0, v1}, Landroidx/core/app/ActivityCompat;->requestPermissions(Landroid/app/Activity;[Ljava/lang/String;I)V",
        "return-void",
    ]),
    _method("public onRequestPermissionsResult(I[Ljava/lang/String;[I)V", 4, [
        "invoke-virtual {p0}, Lcom/example/launch/MainActivity;->finish()V",
        "return-void",
    ]),
])

AGREE = "\n".join([
    ".class public Lcom/example/launch/MainActivity$Agree;", ".super Ljava/lang/Object;",
    ".implements Landroid/view/View$OnClickListener;", "", ".field final a:Lcom/example/launch/MainActivity;", "",
    _method("public constructor <init>(Lcom/example/launch/MainActivity;)V", 2, [
        "invoke-direct {p0}, Ljava/lang/Object;-><init>()V",
        "iput-object p1, p0, Lcom/example/launch/MainActivity$Agree;->a:Lcom/example/launch/MainActivity;",
        "return-void",
    ]),
    _method("public onClick(Landroid/view/View;)V", 6, [
        "iget-object v0, p0, Lcom/example/launch/MainActivity$Agree;->a:Lcom/example/launch/MainActivity;",
        "const/4 v1, 0x1",
        f"invoke-static {{v0, v1}}, {UMENG}->submitPolicyGrantResult({CTX}Z)V",
        'const-string v2, "appkey"',
        'const-string v3, "channel"',
        'const-string v4, ""',
        f"invoke-static {{v0, v2, v3, v1, v4}}, {UMENG}->init({CTX}Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;)V",
        "return-void",
    ]),
]) + "\n"  # fmt: skip

PREFS = _class("Lcom/example/launch/Prefs;", "Ljava/lang/Object;", [_method(f"public static agreed({CTX})Z", 2, [
    "const/4 v0, 0x0", "return v0",
])])  # fmt: skip

# Umeng's own code calling its init (must not be reported as the app's call) and naming its host.
UMENG_INTERNAL = smali_class("com.umeng.commonsdk.internal.Starter", method="start", strings=["https://ulogs.umeng.com/unify_logs"],
                             calls=[Call(f"{UMENG}->init({CTX}Ljava/lang/String;Ljava/lang/String;ILjava/lang/String;)V", kind="static")])


def launch_app() -> ApkSpec:
    """Inits from Application.onCreate and from the launcher activity through a helper; a consent-gated init;
    an init in a consent dialog's click handler; a permission request at launch whose denial finishes the activity."""
    return ApkSpec(
        package="com.example.launch", app_name="Launch", application="com.example.launch.App", target_sdk=33,
        permissions=["android.permission.CAMERA", "android.permission.READ_PHONE_STATE", "android.permission.INTERNET"],
        components=[Component("activity", ".MainActivity", **LAUNCHER), Component("activity", ".Other", exported=False)],
        dex={"classes.dex": [APP, MAIN, AGREE, PREFS], "classes2.dex": [UMENG_INTERNAL]},
    )


HELPER = _class("Lcom/example/consent/PermissionHelper;", "Ljava/lang/Object;", [_method(
    "public static request(Landroid/app/Activity;[Ljava/lang/String;)V", 3, [
        "const/4 v0, 0x1",
        "invoke-static {p0, p1, v0}, Landroidx/core/app/ActivityCompat;->requestPermissions(Landroid/app/Activity;[Ljava/lang/String;I)V",
        "return-void",
    ])])  # fmt: skip

SPLASH = _class("Lcom/example/consent/Splash;", "Landroid/app/Activity;", [_method("protected onResume()V", 4, [
    "invoke-super {p0}, Landroid/app/Activity;->onResume()V",
    "const/4 v0, 0x1",
    "new-array v0, v0, [Ljava/lang/String;",
    "const/4 v1, 0x0",
    'const-string v2, "android.permission.ACCESS_FINE_LOCATION"',
    "aput-object v2, v0, v1",
    "invoke-static {p0, v0}, Lcom/example/consent/PermissionHelper;->request(Landroid/app/Activity;[Ljava/lang/String;)V",
    "return-void",
])])


def consent_app(with_consent_strings: bool = True) -> ApkSpec:
    """A privacy dialog's texts in string resources (or plain texts only), and a permission request made by a
    helper whose permission names come from the launcher activity's onResume."""
    strings = {"app_title": "示例", "hello": "你好"}
    if with_consent_strings:
        strings |= {"privacy_title": "用户协议与隐私政策", "privacy_body": "请阅读《用户协议》和《隐私政策》",
                    "agree": "同意", "disagree": "不同意"}  # fmt: skip
    return ApkSpec(
        package="com.example.consent", app_name="Consent", target_sdk=33, string_resources=strings,
        components=[Component("activity", ".Splash", **LAUNCHER)],
        dex={"classes.dex": [SPLASH, HELPER]},
    )


def sdk_application_app() -> ApkSpec:
    """The app's Application class extends an SDK's Application subclass: that SDK's start-up code runs at launch."""
    tinker = smali_class("com.tencent.tinker.loader.app.TinkerApplication", superclass="android.app.Application")
    app = smali_class("com.example.tinkered.App", superclass="com.tencent.tinker.loader.app.TinkerApplication")
    return ApkSpec(package="com.example.tinkered", application="com.example.tinkered.App",
                   components=[Component("activity", ".Main", **LAUNCHER)], dex={"classes.dex": [app, tinker]})  # fmt: skip


def provider_app(switch: str | None = None) -> ApkSpec:
    """An SDK that starts itself from its own ContentProvider (no app code calls it); `switch` is the value of the
    manifest meta-data that turns its automatic start off."""
    provider = smali_class("com.facebook.internal.FacebookInitProvider", superclass="android.content.ContentProvider")
    sdk = smali_class("com.facebook.FacebookSdk")
    main = smali_class("com.example.started.Main", superclass="android.app.Activity")
    return ApkSpec(package="com.example.started",
                   components=[Component("activity", ".Main", **LAUNCHER),
                               Component("provider", "com.facebook.internal.FacebookInitProvider", exported=False,
                                         authorities="com.example.started.FacebookInitProvider")],
                   meta_data={"com.facebook.sdk.AutoInitEnabled": switch} if switch else {},
                   dex={"classes.dex": [main, provider, sdk]})  # fmt: skip
