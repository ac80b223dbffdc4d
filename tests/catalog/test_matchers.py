"""Catalog matchers over the bundled data: classes, hosts, meta-data keys, libraries, permissions."""

import pytest

from candor.catalog.loader import load_catalog


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.mark.parametrize(
    ("dotted", "expected"),
    [
        ("com.umeng.commonsdk.UMConfigure", "umeng_common"),
        ("com.umeng.analytics.MobclickAgent", "umeng_analytics"),
        ("com.umeng.message.PushAgent", "umeng_push"),
        ("com.umeng.socialize.ShareAction", "umeng_share"),
        ("com.umeng.somethingnew.Foo", "umeng"),  # the umbrella catches the rest
        ("com.tencent.bugly.crashreport.CrashReport", "tencent_bugly"),
        ("com.tencent.bugly.beta.Beta", "tencent_bugly_upgrade"),  # longest prefix wins
        ("com.tencent.mm.opensdk.openapi.WXAPIFactory", "wechat_opensdk"),
        ("com.tencent.mm.sdk.openapi.WXAPIFactory", "wechat_opensdk"),  # the old namespace
        ("com.tencent.mm.opensdk.modelpay.PayReq", "wechat_pay"),
        ("com.tencent.tauth.Tencent", "qq_connect"),
        ("com.huawei.hms.push.HmsMessageService", "huawei_push"),
        ("com.huawei.hms.ads.identifier.AdvertisingIdClient", "huawei_ads_identifier"),
        ("com.huawei.hms.ads.banner.BannerView", "huawei_ads"),
        ("com.huawei.hms.api.HuaweiApiClient", "huawei_hms"),
        ("com.bun.miitmdid.core.MdidSdkHelper", "msa_oaid"),
        ("com.amap.api.location.AMapLocationClient", "amap_location"),
        ("com.amap.api.maps.MapView", "amap_map"),
        ("com.amap.api.services.poisearch.PoiSearch", "amap_search"),
        ("com.google.android.gms.ads.identifier.AdvertisingIdClient", "google_ads_identifier"),
        ("com.google.android.gms.ads.AdView", "google_admob"),
        ("com.google.firebase.messaging.FirebaseMessagingService", "firebase_messaging"),
        ("com.google.firebase.FirebaseApp", "firebase"),
        ("com.facebook.login.LoginManager", "facebook_login"),
        ("com.facebook.ads.AdView", "facebook_audience_network"),
        ("com.alipay.sdk.app.PayTask", "alipay"),
        ("com.alipay.mobile.framework.LauncherApplicationAgent", "alipay_mpaas"),
        ("cn.jpush.android.api.JPushInterface", "jpush"),
        ("cn.jiguang.verifysdk.api.JVerificationInterface", "jverification"),
        ("cn.jiguang.api.JCoreInterface", "jiguang_core"),
        ("com.bytedance.sdk.openadsdk.TTAdSdk", "pangle"),
        ("com.qq.e.ads.splash.SplashAD", "tencent_gdt"),
    ],
)
def test_sdk_for_class_longest_prefix(catalog, dotted: str, expected: str) -> None:
    assert catalog.sdk_for_class(dotted).id == expected


def test_sdk_for_class_respects_segment_boundaries(catalog) -> None:
    assert catalog.sdk_for_class("com.umengx.Foo") is None
    assert catalog.sdk_for_class("com.alipay.mobilesecuritysdk.Foo").id == "alipay"
    assert catalog.sdk_for_class("org.example.App") is None


def test_sdk_for_component(catalog) -> None:
    assert catalog.sdk_for_component("com.tencent.tauth.AuthActivity").id == "qq_connect"
    assert catalog.sdk_for_component("com.heytap.msp.push.service.DataMessageCallbackService").id == "oppo_push"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("umeng.com", "umeng"),
        ("a.b.umeng.com", "umeng"),
        ("alog.umeng.com", "umeng_analytics"),
        ("ulogs.umeng.com", "umeng_common"),
        ("android.bugly.qq.com", "tencent_bugly"),
        ("api.jpush.cn", "jiguang_core"),
        ("sdk.open.talkingdata.com", "talkingdata"),
        ("apilocate.amap.com", "amap_location"),
        ("restapi.amap.com", "amap_search"),
        ("webapi.amap.com", "amap"),
        ("pangolin-sdk-toutiao.com", "pangle"),
        ("mi.gdt.qq.com", "tencent_gdt"),
        ("firebaselogging-pa.googleapis.com", "firebase_analytics"),
        ("inst.app-measurement.com", "firebase_analytics"),
        ("api2.branch.io", "branch_metrics"),
        ("APPSFLYER.COM.", "appsflyer"),
    ],
)
def test_sdk_for_host_subdomains(catalog, host: str, expected: str) -> None:
    assert catalog.sdk_for_host(host).id == expected


def test_sdk_for_host_label_boundary(catalog) -> None:
    assert catalog.sdk_for_host("notumeng.com") is None
    assert catalog.sdk_for_host("qq.com") is None


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("UMENG_APPKEY", "umeng_common"),
        ("UMENG_CHANNEL", "umeng_common"),
        ("UMENG_MESSAGE_SECRET", "umeng_push"),
        ("JPUSH_APPKEY", "jpush"),
        ("com.huawei.hms.client.appid", "huawei_hms"),
        ("com.baidu.lbsapi.API_KEY", "baidu_lbs"),
        ("com.amap.api.v2.apikey", "amap"),
        ("com.vivo.push.app_id", "vivo_push"),
        ("com.hihonor.push.app_id", "honor_push"),
        ("BUGLY_APPID", "tencent_bugly"),
        ("TencentMapSDK", "tencent_map"),
        ("com.google.android.gms.ads.APPLICATION_ID", "google_admob"),
        ("com.facebook.sdk.ApplicationId", "facebook_sdk"),
        ("io.sentry.dsn", "sentry"),
    ],
)
def test_sdk_for_meta_key(catalog, key: str, expected: str) -> None:
    assert catalog.sdk_for_meta_key(key).id == expected


def test_sdk_for_meta_key_unknown(catalog) -> None:
    assert catalog.sdk_for_meta_key("umeng_appkey") is None
    assert catalog.sdk_for_meta_key("MY_OWN_KEY") is None


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("libBugly.so", "tencent_bugly"),
        ("lib/arm64-v8a/libBugly.so", "tencent_bugly"),
        ("libjcore300.so", "jiguang_core"),
        ("libagora-rtc-sdk.so", "agora"),
        ("libagora_ai_denoise_extension.so", "agora"),
        ("libmsaoaidsec.so", "msa_oaid"),
        ("libBaiduMapSDK_base_v7_5_0.so", "baidu_map"),
        ("liblocSDK8b.so", "baidu_location"),
        ("libsgmainso-6.5.so", "alibaba_securityguard"),
        ("libjiagu.so", "qihoo_jiagu"),
    ],
)
def test_sdk_for_library(catalog, filename: str, expected: str) -> None:
    assert catalog.sdk_for_library(filename).id == expected


def test_sdk_for_library_unknown(catalog) -> None:
    assert catalog.sdk_for_library("libmyapp.so") is None


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("YRITE_EXTERNAL_STORAGE", "android.permission.WRITE_EXTERNAL_STORAGE"),
        ("ACCESs_COARSE_LOCATION", "android.permission.ACCESS_COARSE_LOCATION"),
        ("ACCESS_FINE_LOCATION", "android.permission.ACCESS_FINE_LOCATION"),
        ("android.permission.READ_PHONE_STATE", "android.permission.READ_PHONE_STATE"),
    ],
)
def test_resolve_permission_with_ocr_damage(catalog, token: str, expected: str) -> None:
    resolved = catalog.resolve_permission(token)
    assert resolved is not None and resolved[0] == expected
    assert 0.9 <= resolved[1] <= 1.0


def test_permissions_for_phrase(catalog) -> None:
    assert "android.permission.WRITE_EXTERNAL_STORAGE" in catalog.permissions_for_phrase("读写手机存储")


def test_catalog_permissions_are_full_names(catalog) -> None:
    for sdk in catalog.sdks.values():
        for permission in sdk.permissions:
            assert permission in catalog.permissions, (sdk.id, permission)


def test_identifiers_are_from_the_vocabulary(catalog) -> None:
    for sdk in catalog.sdks.values():
        for identifier in sdk.identifiers:
            assert identifier in catalog.identifiers, (sdk.id, identifier)
