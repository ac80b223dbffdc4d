"""The small parts: header meaning, text folding, pinyin noise, item splitting, permission phrases."""

import pytest

from candor.catalog.session import current_catalog
from declared.headers import classify_header, classify_header_row, table_kind
from declared.records import Field
from declared.sdks import _company
from declared.terms import expand_items, permissions_for_item, split_items
from declared.textnorm import fold, strip_pinyin_noise


@pytest.mark.parametrize(
    ("cell", "column"),
    [
        ("SDK名称", "name"),
        ("第三方SDK名称", "name"),
        ("接入第三方SDK", "name"),
        ("SDK", "name"),
        ("SDK Name", "name"),
        ("使用目的", "purpose"),
        ("调用权限的目的", "purpose"),
        ("对应业务功能", "purpose"),
        ("收集的个人信息", "data"),
        ("個人信息字段", "data"),
        ("Data collected", "data"),
        ("申请的系统权限", "permission"),
        ("设备权限", "permission"),
        ("第三方主体", "company"),
        ("运营方", "company"),
        ("隐私政策链接", "privacy"),
        ("是否询问", "ask"),
        ("可否关闭", "closable"),
        ("数据是否去标识化传输", "deidentified"),
        ("SDK包名", "package"),
        ("BuglySDk", None),
        ("相机", None),
        ("1. 就初如何收集和使用您的个人信息", None),
        ("我们收集的信息", None),
        ("这是一句很长的说明文字，不可能是表头。", None),
    ],
)
def test_header_cells_by_meaning(cell: str, column: str | None) -> None:
    assert classify_header(cell) == column


def test_header_rows_need_a_key_column() -> None:
    assert classify_header_row(["使用目的", "是否询问"]) is None
    columns = classify_header_row(["使用SDK名称", "第三方名称", "使用目的"])
    assert columns == ["name", "company", "purpose"]
    assert table_kind(columns) == "sdk"
    assert table_kind(classify_header_row(["权限", "用途"]) or []) == "permission"
    assert table_kind(classify_header_row(["收集信息", "功能目的", "使用场景"]) or []) == "data"


def test_pinyin_noise_is_stripped_only_when_it_is_noise() -> None:
    assert strip_pinyin_noise("相關(guān)法律法規(guī)") == "相關法律法規"
    assert strip_pinyin_noise("微信(WeChat)登录") == "微信(WeChat)登录"
    assert strip_pinyin_noise("设备信息(de)") == "设备信息(de)"  # no toned pinyin anywhere: left alone


def test_fold_keeps_positions() -> None:
    text = "設備標識符（IMEI），網絡"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "设备标识符(IMEI),网络"


def test_items_keep_their_brackets() -> None:
    assert split_items("设备信息(IMEI、MAC)、IP地址；位置") == ["设备信息(IMEI、MAC)", "IP地址", "位置"]
    assert split_items("收集的具体信息:访问网络状态,读取外置存储卡") == ["访问网络状态", "读取外置存储卡"]
    assert expand_items("音视频(录音、摄像头)") == ["音视频(录音、摄像头)", "音视频", "录音", "摄像头"]


def test_permission_phrases_tolerate_ocr_and_omissions() -> None:
    catalog = current_catalog()
    assert permissions_for_item(catalog, "读取收集状态和身份")[0] == ["android.permission.READ_PHONE_STATE"]
    assert permissions_for_item(catalog, "读外部存储")[0] == ["android.permission.READ_EXTERNAL_STORAGE"]
    assert permissions_for_item(catalog, "今天天气很好")[0] == []


def test_company_bracket_slip_is_repaired() -> None:
    assert _company(Field("腾讯科技(深圳有限公司)", "", 1, 0)) == "腾讯科技(深圳)有限公司"
    assert _company(Field("友盟同欣(北京)科技有限公司", "", 1, 0)) == "友盟同欣(北京)科技有限公司"


def test_phrase_spans_do_not_hide_each_other() -> None:
    from declared.terms import find_identifiers

    text = fold("我们会收集设备型号、操作系统版本、Android ID、IP地址。")
    hits = find_identifiers(current_catalog(), text, prose=True)
    assert [h.value for h in hits] == ["device_model", "os_version", "android_id", "ip"]
    assert [text[h.start : h.end] for h in hits][-2:] == ["Android ID", "IP地址"]


def test_constant_written_in_a_permission_row_is_exact() -> None:
    from declared import extract_text

    table = extract_text("| 权限名称 | 使用目的 |\n|---|---|\n| 位置（android.permission.ACCESS_FINE_LOCATION） | 附近药房 |\n")
    assert [p.permission for p in table.permissions] == ["android.permission.ACCESS_FINE_LOCATION"]


@pytest.mark.parametrize(("sentence", "contacts"), [
    ("我们会收集您的联系人信息（通讯录），用于邀请好友。", True),
    ("我们需要读取您的通讯录联系人姓名和电话号码。", True),
    ("我们会收集您发布的用户名称、公司名称、联系人及联络信息。", False),  # the contact person of a company
    ("为了紧急情况下联系您，我们会收集您的紧急联系人姓名和手机号码。", False),
])
def test_contact_person_is_not_the_address_book(sentence: str, contacts: bool) -> None:
    from declared.assemble import extract_text

    identifiers = {item.identifier for item in extract_text(f"隐私政策\n{sentence}").identifiers}
    assert ("contacts" in identifiers) is contacts
