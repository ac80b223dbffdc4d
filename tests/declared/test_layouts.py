"""Layouts real policies use, each in a small policy written for the test: run-on entries, numbered entries with
`服务类型：`, Markdown front matter and admonitions, emphasis inside names, app source files, flattened tables with
drifting rows, vendor-only rows, plain-sentence permissions and negation."""

from pathlib import Path

from declared import extract_policy, extract_text


def names(table) -> list[tuple[str, str | None]]:
    return [(s.name, s.sdk_id) for s in table.sdks]


def test_run_on_entries_with_glued_keys_are_read() -> None:
    entries = "".join(
        f"（{n}） 第三方SDK：{name}a.收集个人信息目的/用途：{purpose}。b.收集个人信息类型：设备型号、IP地址。c.需要获取的权限：{perm}。"
        f"d.提供方：{company}。"
        for n, (name, purpose, perm, company) in enumerate(
            [
                ("极光推送SDK", "消息推送", "读取手机状态和身份", "深圳市和讯华谷信息技术有限公司"),
                ("AFNetworking", "访问网络", "无线数据", "开源"),
            ],
            1,
        )
    )
    table = extract_text("隐私政策\n我们接入的第三方SDK包括：" + entries + "二、我们如何使用Cookie。我们不使用Cookie。\n")
    assert names(table) == [("极光推送SDK", "jpush"), ("AFNetworking", None)]
    jpush = table.sdks[0]
    assert jpush.purpose and "消息推送" in jpush.purpose
    assert "android.permission.READ_PHONE_STATE" in jpush.permissions
    assert "深圳市和讯华谷" in (jpush.company or "")
    assert any("AFNetworking" in w for w in table.warnings)  # unresolved names are listed for review


def test_numbered_entries_with_service_type_lines() -> None:
    text = "隐私政策\n第三方SDK\n1.友盟SDK\n服务类型：统计分析\n收集信息：设备信息\n2.某某文本翻译 SDK\n服务类型：翻译\n"
    assert names(extract_text(text)) == [("友盟SDK", "umeng"), ("某某文本翻译 SDK", None)]


def test_numbered_item_whose_first_key_is_the_name() -> None:
    text = "隐私政策\n1、接入的SDK名称：华为推送SDK\n收集的个人信息类型: AAID\n收集及使用的目的: 消息推送服务\n"
    assert names(extract_text(text)) == [("华为推送SDK", "huawei_push")]


def test_markdown_front_matter_admonition_and_emphasis(tmp_path: Path) -> None:
    path = tmp_path / "policy.md"
    path.write_text(
        '---\ntitle: 隐私政策\nlayout: page\n---\n# 隐私政策\n!!! note "第三方SDK"\n    1.极光推送SDK\n    服务类型：消息推送\n\n'
        "我们会申请_相机_权限，用于扫码。\n",
        encoding="utf-8",
    )
    table = extract_policy(path)
    assert names(table) == [("极光推送SDK", "jpush")]
    assert [p.permission for p in table.permissions] == ["android.permission.CAMERA"]
    assert table.sdks[0].source.line == 7  # front matter lines still count


def test_vue_source_file_is_read_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "Privacy.vue"
    path.write_text(
        "<template>\n  <div>\n    <h1>隐私政策</h1>\n    <p>我们会申请相机权限，用于扫码。</p>\n  </div>\n</template>\n<script>\n"
        "// 不是政策内容：友盟SDK\nexport default { data() { return { sdk: '极光推送SDK：用于消息推送' } } }\n</script>\n",
        encoding="utf-8",
    )
    table = extract_policy(path)
    assert [(p.permission, p.source.line) for p in table.permissions] == [("android.permission.CAMERA", 4)]
    assert [(s.sdk_id, s.source.line) for s in table.sdks] == [("jpush", 9)]  # the comment is not read


def test_json_string_values_are_unescaped(tmp_path: Path) -> None:
    path = tmp_path / "policy.json"
    path.write_text(
        '{"title": "隐私政策", "body": "<p>1、录音权限：用于语音输入</p>\\n<p>2、查看WLAN连接：用于检查网络</p>"}', encoding="utf-8"
    )
    permissions = {p.permission for p in extract_policy(path).permissions}
    assert permissions == {"android.permission.RECORD_AUDIO", "android.permission.ACCESS_WIFI_STATE"}


def test_flattened_table_with_drifting_rows_keeps_every_named_row() -> None:
    header = ["功能类型", "第三方SDK名称", "使用场景", "个人信息字段", "第三方机构名称", "第三方链接"]
    rows = [
        ["地图类", "百度地图", "推荐附近医院", "位置信息", "北京百度网讯科技有限公司", "", "官网链接:https://map.baidu.com"],
        ["直播类", "某某直播服务", "直播回放", "设备型号", "某某科技有限公司", "", "官网链接:", "https://example.com"],
        ["推送", "小米", "为用户提供通知推送功能", "设备标识符", "小米科技有限责任公司"],
    ]
    text = (
        "隐私政策\n\n第三方SDK列表如下：\n\n"
        + "\n".join(header)
        + "\n\n\n"
        + "\n\n\n".join("\n".join(r) for r in rows)
        + "\n\n\n四、其他\n"
    )
    table = extract_text(text)
    assert names(table) == [("百度地图", "baidu_map"), ("某某直播服务", None), ("小米", "xiaomi_push")]
    assert "by_vendor_purpose" in table.sdks[2].flags
    assert table.sdks[0].company == "北京百度网讯科技有限公司"


def test_plain_sentence_permissions_and_android_labels() -> None:
    text = (
        "隐私政策\n权限说明\n录制音频：用于记录提醒内容\n读取、修改储存卡内容：用于保存图片\n我们会申请相册（存储）权限。\n"
        "查看WLAN连接：用于检查网络\n"
    )
    permissions = {p.permission for p in extract_text(text).permissions}
    assert permissions == {
        "android.permission.RECORD_AUDIO",
        "android.permission.READ_EXTERNAL_STORAGE",
        "android.permission.WRITE_EXTERNAL_STORAGE",
        "android.permission.ACCESS_WIFI_STATE",
    }


def test_negated_requests_are_negative_declarations_not_declarations() -> None:
    text = (
        "隐私政策\n本应用申请相机权限，用于扫码。\n除上述权限外，本应用不申请定位、通讯录、麦克风等任何敏感权限。\n我们不会收集您的IMEI。\n"
    )
    table = extract_text(text)
    assert [p.permission for p in table.permissions] == ["android.permission.CAMERA"]
    denied = {n.permission for n in table.not_declared if n.permission}
    assert {"android.permission.READ_CONTACTS", "android.permission.RECORD_AUDIO", "android.permission.ACCESS_FINE_LOCATION"} <= denied
    assert "imei" in {n.identifier for n in table.not_declared}
    assert "imei" not in {i.identifier for i in table.identifiers}


def test_a_limitation_is_not_a_negation() -> None:
    table = extract_text("隐私政策\n我们不会收集与服务无关的信息，我们会收集您的IMEI用于安全风控。\n")
    assert "imei" in {i.identifier for i in table.identifiers}
    assert table.not_declared == []


def test_section_summary_for_the_completeness_checks() -> None:
    text = (
        "隐私政策\n更新日期：2024年3月1日\n一、我们收集的信息\n我们会收集您的设备型号、IP地址。\n二、第三方SDK列表\n"
        "| SDK名称 | 使用目的 |\n|---|---|\n| 极光推送SDK | 消息推送 |\n三、联系我们\n联系邮箱：{{运营者邮箱}}\n"
    )
    sections = extract_text(text).sections
    assert sections is not None and sections.is_policy
    assert sections.sdk_list.present and sections.sdk_list.source is not None and sections.sdk_list.source.line == 8
    assert sections.personal_data.present and sections.update_date.present and not sections.update_date.placeholder
    assert sections.contact_channel.present and sections.contact_channel.placeholder  # an unfilled template
    assert not sections.permission_list.present


def test_a_policy_with_nothing_extracted_says_so(capsys) -> None:
    text = "隐私政策\n本政策适用于本应用。我们重视您的隐私，会依法保护。\n本政策的解释权归我们所有。\n联系我们：privacy@example.com\n"
    table = extract_text(text)
    assert table.sdks == [] and table.permissions == []
    assert any("nothing was extracted" in w for w in table.warnings)
    err = capsys.readouterr().err
    assert "nothing was extracted" in err and err.count("\n") == 1
    assert table.sections is not None and table.sections.contact_channel.present and not table.sections.contact_channel.placeholder


def test_a_vendor_named_without_an_sdk_is_a_declared_party() -> None:
    table = extract_text("隐私政策\n为了分析应用使用情况，我们会将设备信息提供给第三方统计服务商百度，用于统计分析。\n")
    assert [(s.name, s.sdk_id, s.kind, s.identifiers) for s in table.sdks] == [("百度", "baidu_mobstat", "party", [])]


def test_product_code_prefix_is_resolved() -> None:
    table = extract_text("隐私政策\nSDK名称：XYZ极光推送SDK\n使用目的：消息推送\n")
    assert [(s.sdk_id, s.flags[:1]) for s in table.sdks] == [("jpush", ["product_code_prefix"])]


def test_html_grid_of_blocks_is_read_as_a_table(tmp_path: Path) -> None:
    path = tmp_path / "policy.html"
    path.write_text(
        '<html><body><h1>隐私政策</h1><div class="table">\n<p class="head"><span>SDK名称</span><span>场景</span>'
        "<span>共享个人信息字段</span></p>\n<p><span>极光推送SDK</span> <span>消息推送</span><span>IMEI、OAID</span></p>\n"
        "<p><span>某某云</span> <span>文件存储</span><span>设备型号</span></p>\n</div></body></html>",
        encoding="utf-8",
    )
    table = extract_policy(path)
    assert [(s.name, s.sdk_id, s.kind) for s in table.sdks] == [("极光推送SDK", "jpush", "table_row"), ("某某云", None, "table_row")]
    assert table.sdks[0].identifiers == ["imei", "oaid"]


def test_one_brand_several_products_before_one_sdk_word() -> None:
    table = extract_text("隐私政策\n第三方SDK\n2、高德地图、定位、导航以及搜索SDK\n公司名称：高德软件有限公司\n")
    assert [s.name for s in table.sdks] == ["高德地图SDK", "高德定位SDK", "高德导航SDK", "高德搜索SDK"]


def test_sub_sdks_listed_in_the_data_cell_of_a_run_on_entry() -> None:
    text = (
        "隐私政策\n平台嵌入的第三方SDK包括：（1） 第三方SDK：某某账号SDKa.收集个人信息目的/用途：为提供登录服务。"
        "b.收集个人信息类型：操作系统、设备序列号。附属SDK包括：某某ssosdk 、甲乙unicom登录服务、丙丁一键登录。"
        "c.需要获取的权限：读取手机状态和身份。d.提供方：某某科技有限公司。（2） 第三方SDK：极光推送SDKa.收集个人信息目的/用途：消息推送。"
        "b.收集个人信息类型：设备型号。c.提供方：深圳市和讯华谷信息技术有限公司。\n"
    )
    written = [s.name for s in extract_text(text).sdks]
    assert {"某某ssosdk", "甲乙unicom登录服务", "丙丁一键登录"} <= set(written)
    assert "极光推送SDK" in written


def test_heading_with_key_lines_and_bullet_values_is_one_entry(tmp_path: Path) -> None:
    path = tmp_path / "policy.md"
    path.write_text(
        "# 隐私政策\n\n## 第三方为您提供的服务\n\n#### 1 星图地图SDK（com.xingtu.map）\n\n"
        "**服务提供商**：星图软件有限公司  \n**功能用途**：\n\n+ 门店位置展示\n+ 周边门店检索\n\n"
        "**隐私政策**：[https://example.com/privacy](https://example.com/privacy)\n\n"
        "#### 2 友盟统计SDK（com.umeng）\n\n**服务提供商**：友盟同欣（北京）科技有限公司  \n**功能用途**：\n\n"
        "+ 活动效果监测\n\n**隐私政策**：[https://example.com/p2](https://example.com/p2)\n",
        encoding="utf-8",
    )
    sdks = extract_policy(path).sdks
    assert len(sdks) == 2 and "星图地图SDK" in sdks[0].name and sdks[1].sdk_id == "umeng_analytics"
    assert sdks[0].purpose == "门店位置展示；周边门店检索"  # the bullets are the value of the empty `功能用途：` key


def test_a_colon_inside_brackets_is_not_a_key(tmp_path: Path) -> None:
    path = tmp_path / "policy.md"
    path.write_text(
        "# 隐私政策\n\n本政策适用于下列产品：\n\n+ 某某安卓端（包名：com.example.app）\n+ 微信小程序（原始ID：wx0123456789abcdef）\n"
        "+ 官网（[http://www.example.com/](http://www.example.com/)）\n",
        encoding="utf-8",
    )
    assert extract_policy(path).sdks == []


def test_prose_naming_a_listed_sdk_again_is_not_a_further_sdk() -> None:
    text = (
        "隐私政策\n一、第三方SDK\n1、友盟+SDK\n使用目的：统计分析\n第三方公司名称：友盟同欣（北京）科技有限公司\n\n二、我们收集的信息\n"
        "我们会收集以下信息。另外，我们使用友盟SDK将会在后台收集您的设备信息。我们还通过极光推送SDK向您推送消息。\n"
    )
    assert [(s.name, s.kind) for s in extract_text(text).sdks] == [("友盟+SDK", "list_item"), ("极光推送SDK", "mention")]


def test_a_heading_naming_a_listed_sdk_again_stays_a_declaration(tmp_path: Path) -> None:
    path = tmp_path / "policy.md"
    path.write_text(
        "# 隐私政策\n\n## 广告功能\n\n**穿山甲广告SDK（com.bytedance）**\n\n为向您展示广告，我们会收集设备型号。\n\n"
        "## 第三方SDK\n\n#### 1 穿山甲SDK（com.bytedance）\n\n**服务提供商**：北京巨量引擎网络技术有限公司  \n"
        "**功能用途**：个性化广告推荐\n",
        encoding="utf-8",
    )
    written = [s.name for s in extract_policy(path).sdks]
    assert any(name.startswith("穿山甲广告SDK") for name in written) and any("穿山甲SDK" in name for name in written)


def test_two_known_sdks_joined_in_one_item_are_two_rows() -> None:
    text = (
        "隐私政策\n第三方SDK\n1、腾讯bugly与腾讯Tinker（Android版本）\n运营主体：腾讯科技有限公司\n"
        "2、微信支付与分享\n运营主体：深圳市腾讯计算机系统有限公司\n"
    )
    assert [(s.name, s.sdk_id) for s in extract_text(text).sdks][:2] == [
        ("腾讯bugly", "tencent_bugly"),
        ("腾讯Tinker（Android版本）", "tencent_tinker"),
    ]
    assert [s.name for s in extract_text(text).sdks][2:] == ["微信支付与分享"]


def test_one_product_in_the_purpose_does_not_rename_an_sdk_row() -> None:
    text = (
        "隐私政策\n本 app 使用了如下第三方 SDK\n| SDK名称 | 开发者 | 收集信息 | 用途 |\n|---|---|---|---|\n"
        "| 微信OpenSDK Android | 深圳市腾讯计算机系统有限公司 | 设备信息 | 微信支付与分享 |\n"
        "| 某某SDK | 某某科技有限公司 | 设备信息 | 微信登录、微信支付、QQ分享 |\n"
    )
    assert [s.name for s in extract_text(text).sdks] == ["微信OpenSDK Android", "微信登录", "微信支付", "QQ分享"]
