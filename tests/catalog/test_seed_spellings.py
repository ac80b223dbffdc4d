"""Every SDK named in the seed policies (and the sample SDK lists) resolves by its exact spelling."""

import json

import pytest

from candor.catalog.loader import load_catalog
from candor.cli.main import main
from tests.cli_runner import run_candor

# Spelling exactly as the document writes it -> expected catalog id.
SEED_SPELLINGS: dict[str, str] = {
    # seeds/001: third-party SDK table
    "小米推送SDK": "xiaomi_push",
    "华为推送SDK": "huawei_push",
    "oppo推送SDK": "oppo_push",
    "vivo推送SDK": "vivo_push",
    "荣耀推送SDK": "honor_push",
    "阿里云移动推送SDK": "aliyun_push",
    "微信SDK": "wechat_opensdk",
    # seeds/003: numbered SDK list
    "阿里云推送SDK": "aliyun_push",
    "阿里热修复SDK": "aliyun_sophix",
    "阿里云对象存储SDK": "aliyun_oss",
    "支付宝支付SDK": "alipay",
    "bugly异常统计": "tencent_bugly",
    "友盟社会化分享SDK": "umeng_share",
    "友盟+SDK": "umeng",
    "百度统计": "baidu_mobstat",
    "声网视频互动直播SDK": "agora",
    "科大讯飞语音听写SDK": "iflytek_msc",
    "微信支付": "wechat_pay",
    # seeds/004: SDK table (OCR text)
    "BuglySDk": "tencent_bugly",
    "友盟推送": "umeng_push",
    # policies/jiamai_hope_sdklist.md
    "支付宝客户端 SDK": "alipay",
    "极光推送SDK": "jpush",
    "华为联运SDK": "huawei_iap",
    "小米联运SDK": "xiaomi_union",
    "vivo联运SDK": "vivo_union",
    "华为通道SDK": "huawei_push",
    "小米通道SDK": "xiaomi_push",
    "vivo通道SDK": "vivo_push",
    "OPPO通道SDK": "oppo_push",
    "魅族通道SDK": "meizu_push",
    "荣耀通道SDK": "honor_push",
    "GSON": "gson",
    "chromium": "chromium",
    "Protobuf 编解码": "protobuf",
    # policies/xuexiqiangguo_third_party_sdk_list.md
    "OPPO推送SDK": "oppo_push",
    "VIVO推送SDK": "vivo_push",
    "新浪微博开放平台": "weibo_sdk",
    "腾讯开放平台": "qq_connect",
    "钉钉开放平台": "dingtalk_share",
    "高德地图": "amap_map",
    "支付宝SDK": "alipay",
    "UC浏览、崩溃信息上报及视频播放SDK": "uc_webview",
    "网证SDK": "wangzheng",
    "阿里云OSS SDK": "aliyun_oss",
    "阿里云播放器SDK": "aliyun_player",
    # reference/dcloud_uniapp_android_sdk_disclosure_table.md
    "阿里weexSDK": "alibaba_weex",
    "Fresco图库": "fresco",
    "glide图库": "glide",
    "gif-drawable": "gif_drawable",
    "fastjson": "fastjson",
    "移动安全联盟 OAID": "msa_oaid",
    "个推·消息推送": "getui",
    "华为 HMS push": "huawei_push",
    "友盟统计": "umeng_analytics",
    "微信开放平台": "wechat_opensdk",
    "新浪开放平台": "weibo_sdk",
    "QQ开放平台": "qq_connect",
    "支付宝开放平台": "alipay",
    "个验一键登录": "getui_onelogin",
    "百度语音识别": "baidu_speech",
    "高德开放平台": "amap",
    "百度开放平台": "baidu_lbs",
    "uni-ad": "uni_ad",
    "快手": "kuaishou_ads",
    "快手内容联盟": "kuaishou_ads",
    "优量汇": "tencent_gdt",
    "穿山甲": "pangle",
    "Sigmob": "sigmob",
    "腾讯浏览服务SDK": "tencent_x5",
    "友盟+": "umeng",
    "阿里云移动推送": "aliyun_push",
    "阿里云OSS": "aliyun_oss",
    "阿里云对象存储": "aliyun_oss",
    "支付宝": "alipay",
    "科大讯飞": "iflytek_msc",
    "讯飞语音": "iflytek_msc",
    "OPPO推送": "oppo_push",
    "Bugly": "tencent_bugly",
}

# Further spellings real policies use for the same SDKs (not in the five seeds).
OTHER_SPELLINGS: dict[str, str] = {
    "阿里推送": "aliyun_push",
    "阿里云热修复": "aliyun_sophix",
    "Sophix": "aliyun_sophix",
    "WeChat OpenSDK": "wechat_opensdk",
    "微信OpenSDK": "wechat_opensdk",
    "友盟分享": "umeng_share",
    "友盟基础组件库(common)": "umeng_common",
    "友盟APM": "umeng_apm",
    "百度移动统计": "baidu_mobstat",
    "百度统计(mobstat)": "baidu_mobstat",
    "声网Agora": "agora",
    "极光认证": "jverification",
    "个推": "getui",
    "信鸽": "tencent_tpns",
    "腾讯移动分析": "tencent_mta",
    "QQ互联": "qq_connect",
    "银联": "unionpay",
    "腾讯浏览服务": "tencent_x5",
    "移动安全联盟": "msa_oaid",
    "网易云信": "netease_yunxin",
    "融云": "rongcloud",
    "环信": "easemob",
    "网易七鱼": "qiyu",
    "神策": "sensors_analytics",
    "数美": "shumei",
    "同盾": "tongdun",
    "网易易盾": "netease_yidun",
    "顶象": "dingxiang",
    "中国移动一键登录": "cmic_auth",
    "阿里云号码认证": "aliyun_number_auth",
    "友盟U-Verify": "umeng_verify",
    "腾讯云COS": "tencent_cos",
    "七牛云": "qiniu",
    "Tinker": "tencent_tinker",
    "Firebase Crashlytics": "firebase_crashlytics",
    "Google AdMob": "google_admob",
}
ALL_SPELLINGS = {**SEED_SPELLINGS, **OTHER_SPELLINGS}

# A sample run through the real CLI in a subprocess (slower: one process each).
CLI_SAMPLE = ["友盟推送", "BuglySDk", "oppo推送SDK", "友盟+", "阿里云移动推送SDK", "WeChat OpenSDK"]


@pytest.mark.parametrize(("spelling", "expected"), sorted(ALL_SPELLINGS.items()))
def test_resolve_sdk_exact_spelling(spelling: str, expected: str) -> None:
    catalog = load_catalog()
    match = catalog.resolve_sdk(spelling)
    assert match is not None, spelling
    assert (match.sdk_id, match.exact) == (expected, True)


@pytest.mark.parametrize(("spelling", "expected"), sorted(ALL_SPELLINGS.items()))
def test_cli_search_first_hit(spelling: str, expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalog", "search", spelling, "--format", "json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["id"] == expected
    assert hits[0]["score"] == 1.0


@pytest.mark.parametrize("spelling", CLI_SAMPLE)
def test_cli_search_subprocess(spelling: str) -> None:
    result = run_candor("catalog", "search", spelling, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] == ALL_SPELLINGS[spelling]


def test_seed_spellings_appear_in_the_documents(shared_dir) -> None:
    """Guard the table itself: the spellings above really are in the shared documents."""
    texts = "".join(
        path.read_text(encoding="utf-8")
        for folder in ("seeds", "policies", "reference")
        for path in sorted((shared_dir / folder).glob("*"))
        if path.suffix in {".txt", ".md"}
    )
    missing = [spelling for spelling in SEED_SPELLINGS if spelling not in texts]
    assert not missing
