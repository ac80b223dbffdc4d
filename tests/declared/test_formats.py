"""Every input shape and format, on small fixtures written for these tests."""

from pathlib import Path

import pytest

from candor.model.declared import DeclaredTable
from declared import extract_policy, extract_text
from tests.declared.pdfmaker import make_pdf

FIXTURES = Path(__file__).parent / "fixtures"


def sdk(table: DeclaredTable, sdk_id: str | None, name: str | None = None):  # type: ignore[no-untyped-def]
    for item in table.sdks:
        if item.sdk_id == sdk_id and (name is None or item.name == name):
            return item
    raise AssertionError(f"{sdk_id or name} not in {[(s.name, s.sdk_id) for s in table.sdks]}")


def facts(table: DeclaredTable) -> list[dict]:
    """The SDK rows without the document name (which differs between copies of one policy)."""
    rows = [s.model_dump() for s in table.sdks]
    for row in rows:
        row["source"].pop("document")
    return rows


def permissions(table: DeclaredTable) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for p in table.permissions:
        out.setdefault(p.phrase, set()).add(p.permission.rsplit(".", 1)[-1])
    return out


def test_html_tables_with_layout_whitespace() -> None:
    table = extract_policy(FIXTURES / "html_table.html")
    assert [s.sdk_id for s in table.sdks] == ["jpush", "amap_location", None]
    jpush = sdk(table, "jpush")
    assert jpush.company == "深圳市和讯华谷信息技术有限公司"
    assert jpush.purpose == "向用户推送消息"
    assert jpush.identifiers == ["imei", "android_id", "oaid"]
    assert jpush.privacy_url == "https://www.jiguang.cn/license/privacy"
    assert jpush.source.line == 16
    amap = sdk(table, "amap_location")
    assert {"precise_location", "ip"} <= set(amap.identifiers)  # the <br> split cell is read whole
    unknown = sdk(table, None)
    assert unknown.name == "某某快报SDK" and "unknown_sdk" in unknown.flags
    assert permissions(table) == {"相机": {"CAMERA"}, "ACCESS_FINE_LOCATION": {"ACCESS_FINE_LOCATION"}}
    assert [i.identifier for i in table.identifiers] == ["phone_number"]


def test_markdown_pipe_tables() -> None:
    table = extract_policy(FIXTURES / "pipe_table.md")
    umeng = sdk(table, "umeng_analytics")
    assert umeng.company == "友盟同欣（北京）科技有限公司"
    assert umeng.privacy_url == "https://www.umeng.com/page/policy"
    assert set(umeng.identifiers) == {"imei", "mac", "android_id", "ip"}
    assert sdk(table, "getui").identifiers == ["oaid", "installed_apps"]
    assert permissions(table) == {"通讯录": {"READ_CONTACTS"}, "READ_PHONE_STATE": {"READ_PHONE_STATE"}}
    assert next(p for p in table.permissions if p.phrase == "通讯录").purpose == "添加好友"


def test_one_cell_per_line_with_trailing_pipe() -> None:
    table = extract_policy(FIXTURES / "cells_trailing_pipe.txt")
    assert [(s.sdk_id, s.purpose, s.deidentified) for s in table.sdks] == [
        ("getui", "消息推送", True),
        ("tencent_bugly", "崩溃分析", False),
    ]
    assert sdk(table, "tencent_bugly").identifiers == ["device_model", "os_version"]


def test_one_cell_per_line_without_separator_short_rows_and_multiline_cells() -> None:
    table = extract_policy(FIXTURES / "cells_bare.txt")
    # header of 5 columns, rows of 4 cells; an unknown-to-the-phrasebook row would still be kept by width
    assert permissions(table) == {
        "相机": {"CAMERA"},
        "通讯录": {"READ_CONTACTS"},
        "修改系统设置": {"WRITE_SETTINGS"},
        "麦克风": {"RECORD_AUDIO"},
    }
    assert next(p for p in table.permissions if p.phrase == "通讯录").purpose == "添加好友；从通讯录添加好友"
    sensors = sdk(table, "sensors_analytics")
    assert sensors.company == "神策网络科技(北京)有限公司"  # bracket slip repaired
    assert set(sensors.identifiers) == {"device_model", "ip", "android_id"}  # from a cell spread over two lines
    assert len(table.sdks) == 1


def test_numbered_list_with_key_value_lines_and_split_rows() -> None:
    table = extract_policy(FIXTURES / "numbered_list.txt")
    jpush = sdk(table, "jpush")
    assert jpush.kind == "list_item"
    assert {"android.permission.READ_PHONE_STATE", "android.permission.WRITE_EXTERNAL_STORAGE"} <= set(jpush.permissions)
    assert {s.sdk_id for s in table.sdks if "split_from_row" in s.flags} == {"wechat_opensdk", "qq_connect"}
    unknown = sdk(table, None)
    assert unknown.name == "某某客服SDK"
    assert unknown.permissions == ["android.permission.CAMERA", "android.permission.RECORD_AUDIO"]
    assert len(table.sdks) == 4


def test_bold_name_and_key_value_paragraphs() -> None:
    table = extract_policy(FIXTURES / "bold_kv.md")
    umeng = sdk(table, "umeng_analytics")
    assert umeng.company == "友盟同欣（北京）科技有限公司"
    assert umeng.purpose == "统计分析应用使用情况"
    assert umeng.privacy_url == "https://www.umeng.com/page/policy"
    assert set(umeng.identifiers) == {"imei", "oaid", "android_id", "mac"}
    assert sdk(table, "amap_map").identifiers == ["precise_location", "device_model"]


def test_bullet_list_and_prose_mention() -> None:
    table = extract_policy(FIXTURES / "bullets.md")
    assert [(s.sdk_id, s.kind) for s in table.sdks] == [
        ("jpush", "list_item"),
        ("tencent_bugly", "list_item"),
        ("wechat_opensdk", "mention"),
    ]
    assert sdk(table, "jpush").identifiers == ["imei", "android_id"]


def test_traditional_chinese_with_pinyin_noise() -> None:
    table = extract_policy(FIXTURES / "traditional_pinyin.txt")
    jpush = sdk(table, "jpush")
    assert jpush.name == "極光推送SDK"
    assert jpush.purpose == "消息推送"  # `(sòng)` stripped
    assert jpush.identifiers == ["imei"]
    assert "設(shè)備" in jpush.source.text  # quotes keep the original
    assert {d.category for d in table.personal_data} >= {"phone", "email"}
    assert table.language == "zh-Hant"


def test_pdf_text_layer(tmp_path: Path) -> None:
    path = tmp_path / "policy.pdf"
    path.write_bytes(
        make_pdf(["隐私政策", "SDK名称 | 使用目的 | 收集个人信息 |", "极光推送SDK | 消息推送 | IMEI、Android ID |", "相机权限用于扫码。"])
    )
    table = extract_policy(path)
    assert [(s.sdk_id, s.purpose) for s in table.sdks] == [("jpush", "消息推送")]
    assert sdk(table, "jpush").identifiers == ["imei", "android_id"]


def test_docx_paragraphs_and_tables(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("隐私政策")
    document.add_paragraph("我们会收集您的手机号码用于注册。")
    grid = document.add_table(rows=3, cols=3)
    for row, values in zip(
        grid.rows,
        [("SDK名称", "使用目的", "第三方主体"), ("友盟统计SDK", "统计分析", "友盟同欣（北京）科技有限公司"), ("某某SDK", "测试", "某公司")],
        strict=True,
    ):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    path = tmp_path / "policy.bin"  # the format comes from the content, not the name
    document.save(path)
    table = extract_policy(path)
    assert [(s.sdk_id, s.company) for s in table.sdks] == [("umeng_analytics", "友盟同欣（北京）科技有限公司"), (None, "某公司")]
    assert [i.identifier for i in table.identifiers] == ["phone_number"]


@pytest.mark.parametrize("codec", ["gb18030", "gbk", "utf-16", "utf-8-sig"])
def test_simplified_encodings(tmp_path: Path, codec: str) -> None:
    text = (FIXTURES / "numbered_list.txt").read_text(encoding="utf-8")
    path = tmp_path / f"policy.{codec}.txt"
    path.write_bytes(text.encode(codec))
    decoded = facts(extract_policy(path))
    assert decoded == facts(extract_policy(FIXTURES / "numbered_list.txt"))
    assert len(decoded) == 4


@pytest.mark.parametrize("codec", ["big5", "utf-16-le-bom", "utf-16-be-bom"])
def test_traditional_encodings(tmp_path: Path, codec: str) -> None:
    text = (FIXTURES / "traditional_pinyin.txt").read_text(encoding="utf-8")
    if codec == "big5":
        text = text.replace("(guān)", "").replace("(guī)", "").replace("(sòng)", "").replace("(shè)", "")
        text = text.replace("(biāo)", "").replace("(wǎng)", "").replace("(luò)", "")
        data = text.encode("big5")
    elif codec == "utf-16-le-bom":
        data = b"\xff\xfe" + text.encode("utf-16-le")
    else:
        data = b"\xfe\xff" + text.encode("utf-16-be")
    path = tmp_path / "policy.txt"
    path.write_bytes(data)
    table = extract_policy(path)
    assert [(s.sdk_id, s.name, s.purpose) for s in table.sdks] == [("jpush", "極光推送SDK", "消息推送")]


def test_extract_text_matches_extract_policy() -> None:
    path = FIXTURES / "pipe_table.md"
    from_text = extract_text(path.read_text(encoding="utf-8"), document=str(path))
    from_file = extract_policy(path)
    assert from_text.sdks == from_file.sdks
    assert from_text.permissions == from_file.permissions


def test_website_links_are_not_sdks() -> None:
    table = extract_text("隐私政策\n本网站会链接部分第三方服务商，比如微信、京东、淘宝，这些服务商独立运营。\n")
    assert [link.name for link in table.links] == ["微信", "京东", "淘宝"]
    assert table.sdks == []


def test_key_value_blocks_without_list_markers() -> None:
    table = extract_policy(FIXTURES / "kv_blocks.txt")
    assert [(s.sdk_id, s.purpose) for s in table.sdks] == [("jpush", "消息推送"), ("tencent_bugly", "崩溃分析")]
    jpush = sdk(table, "jpush")
    assert jpush.company == "深圳市和讯华谷信息技术有限公司"
    assert jpush.privacy_url == "https://www.jiguang.cn/license/privacy"
    assert jpush.identifiers == ["imei", "android_id"]


def test_vertical_two_column_table_and_english_headers() -> None:
    table = extract_policy(FIXTURES / "vertical_table.html")
    assert [(s.sdk_id, s.kind) for s in table.sdks] == [
        ("amap_location", "list_item"),
        ("firebase_analytics", "table_row"),
        ("facebook_login", "mention"),
    ]
    firebase = sdk(table, "firebase_analytics")
    assert (firebase.company, firebase.purpose, firebase.identifiers) == ("Google LLC", "Usage analytics", ["android_id", "ip"])
    assert table.language == "en+zh" or table.language.startswith("zh")


def test_package_column_and_permission_constants() -> None:
    table = extract_policy(FIXTURES / "package_table.md")
    component = sdk(table, "umeng_analytics")
    assert component.name == "统计组件" and component.flags == ["by_package"]
    assert sdk(table, None).name == "自研组件"
    assert permissions(table) == {
        "android.permission.CAMERA": {"CAMERA"},
        "ACCESS_COARSE_LOCATION": {"ACCESS_COARSE_LOCATION"},
    }


def test_one_name_cell_listing_several_sdks_is_split() -> None:
    text = "第三方SDK\nSDK名称 | 使用目的 | 收集个人信息 |\n小米推送/华为推送、OPPO推送 | 厂商通道推送 | 设备标识符（OAID） |\n"
    table = extract_text(text)
    assert [s.sdk_id for s in table.sdks] == ["xiaomi_push", "huawei_push", "oppo_push"]
    assert all(s.identifiers == ["oaid"] and "split_from_row" in s.flags for s in table.sdks)


def test_demo_policy_declares_exactly_what_its_tables_say() -> None:
    path = Path(__file__).resolve().parents[2] / "examples" / "demo" / "policy.md"
    if not path.exists():
        pytest.skip("examples/demo/policy.md is not present")
    table = extract_policy(path)
    assert [p.permission.rsplit(".", 1)[-1] for p in table.permissions] == [
        "CAMERA",
        "ACCESS_FINE_LOCATION",
        "READ_PHONE_STATE",
        "WRITE_EXTERNAL_STORAGE",
        "READ_CALENDAR",
        "INTERNET",
    ]
    assert [s.sdk_id for s in table.sdks] == ["umeng", "tencent_bugly", "jpush", "amap_location", "wechat_opensdk", None]
    assert "unknown_sdk" in table.sdks[-1].flags  # a named row the catalog does not know is kept, unresolved
    assert [i.identifier for i in table.identifiers] == ["device_model", "os_version", "android_id", "ip", "precise_location"]


def test_tab_separated_rows() -> None:
    table = extract_policy(FIXTURES / "tabbed.txt")
    assert [(s.sdk_id, s.company, s.identifiers) for s in table.sdks] == [
        ("jpush", "深圳市和讯华谷信息技术有限公司", ["imei", "android_id"])
    ]


def test_html_name_paragraphs_and_list_items_without_markers() -> None:
    table = extract_policy(FIXTURES / "strong_paragraphs.html")
    assert [(s.sdk_id, s.purpose) for s in table.sdks] == [("jpush", "消息推送"), ("tencent_bugly", "崩溃上报")]
    assert sdk(table, "jpush").privacy_url == "https://www.jiguang.cn/license/privacy"
    assert table.identifiers == []  # the contact section declares nothing


def test_prose_login_mentions_from_the_issue() -> None:
    table = extract_text("隐私政策\n您可以选择使用微信、QQ、微博账号登录本应用。\n")
    assert [(s.sdk_id, s.kind, s.name) for s in table.sdks] == [
        ("wechat_opensdk", "mention", "微信"),
        ("qq_connect", "mention", "QQ"),
        ("weibo_sdk", "mention", "微博"),
    ]


def test_one_line_item_naming_several_sdks() -> None:
    table = extract_text("第三方SDK\n- 腾讯SDK — 微信登录、微信支付、bugly异常统计\n")
    ids = [s.sdk_id for s in table.sdks]
    assert "wechat_opensdk" in ids and "tencent_bugly" in ids
    assert all(s.kind == "list_item" and "split_from_row" in s.flags for s in table.sdks)


@pytest.mark.parametrize("gap", ["\n", "\n\n"])
def test_bare_table_with_a_title_above_and_unknown_columns(gap: str) -> None:
    cells = ["第三方SDK", "SDK名称", "SDK版本", "使用目的", "收集个人信息", "备注"]
    cells += ["极光推送SDK", "4.2.0", "消息推送", "IMEI、OAID", "无", "友盟统计SDK", "9.3", "统计", "Android ID", "无"]
    text = "隐私政策\n" + "\n\n".join(cells[:1]) + gap + "\n\n".join(cells[1:]) + "\n\n四、我们如何使用Cookie\n"
    table = extract_text(text)
    assert [(s.sdk_id, s.purpose, s.identifiers) for s in table.sdks] == [
        ("jpush", "消息推送", ["imei", "oaid"]),
        ("umeng_analytics", "统计", ["android_id"]),
    ]
