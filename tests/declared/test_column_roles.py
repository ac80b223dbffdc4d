"""Column roles chosen from header and cells together: tables whose headers lie are read by what their cells hold,
tables whose headers tell the truth stay as they are. Every policy here is written for the test."""

from pathlib import Path

from declared import extract_policy, extract_text

# A 9-column table: the column headed 功能类型 holds the SDK names, 第三方名称 holds the companies.
LYING_HEADER = ["序号", "功能类型", "第三方名称", "使用目的", "收集个人信息", "共享方式", "隐私政策链接", "系统", "备注"]
LYING_ROWS = [
    ["1", "极光推送SDK", "深圳市和讯华谷信息技术有限公司", "用于消息推送", "IMEI", "SDK采集", "https://jiguang.cn/p", "Android", "无"],
    ["2", "微信开放平台SDK", "深圳市腾讯计算机系统有限公司", "用于微信登录和分享", "设备型号", "SDK采集", "https://qq.com", "安卓", "无"],
    ["3", "某某翻译SDK", "某某智能科技有限公司", "用于文本翻译", "网络状态", "SDK采集", "https://example.com/privacy", "Android", "无"],
]  # fmt: skip
# The same facts under headers that tell the truth.
TRUE_HEADER = ["SDK名称", "第三方公司名称", "使用目的", "收集个人信息", "隐私政策链接"]
TRUE_ROWS = [
    ["极光推送SDK", "深圳市和讯华谷信息技术有限公司", "用于消息推送", "设备标识符、IMEI", "https://www.jiguang.cn/license/privacy"],
    ["某某翻译SDK", "某某智能科技有限公司", "用于文本翻译", "网络状态", "https://example.com/privacy"],
]
EXPECTED = [
    ("极光推送SDK", "jpush", "深圳市和讯华谷信息技术有限公司"),
    ("微信开放平台SDK", "wechat_opensdk", "深圳市腾讯计算机系统有限公司"),
    ("某某翻译SDK", None, "某某智能科技有限公司"),
]


def _rows(table) -> list[tuple[str, str | None, str | None]]:
    return [(s.name, s.sdk_id, s.company) for s in table.sdks]


def _html(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{c}</th>" for c in header)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<html><body><h1>隐私政策</h1><p>第三方SDK清单</p><table><tr>{head}</tr>{body}</table></body></html>"


def _pipe(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "# 隐私政策\n\n第三方SDK清单\n\n" + "\n".join(lines) + "\n"


def test_lying_headers_in_an_html_table_are_read_by_their_cells(tmp_path: Path) -> None:
    path = tmp_path / "policy.html"
    path.write_text(_html(LYING_HEADER, LYING_ROWS), encoding="utf-8")
    table = extract_policy(path)
    assert _rows(table) == EXPECTED
    assert table.sdks[0].purpose == "用于消息推送"


def test_lying_headers_in_a_pipe_table_are_read_by_their_cells(tmp_path: Path) -> None:
    path = tmp_path / "policy.md"
    path.write_text(_pipe(LYING_HEADER, LYING_ROWS), encoding="utf-8")
    assert _rows(extract_policy(path)) == EXPECTED


def test_lying_headers_in_tab_and_space_separated_tables() -> None:
    for separator in ("\t", "  ", "\u3000"):
        text = "隐私政策\n第三方SDK清单\n" + "\n".join(separator.join(r) for r in [LYING_HEADER, *LYING_ROWS]) + "\n"
        assert _rows(extract_text(text)) == EXPECTED, repr(separator)


def test_truthful_headers_stay_as_they_are(tmp_path: Path) -> None:
    html, md = tmp_path / "policy.html", tmp_path / "policy.md"
    html.write_text(_html(TRUE_HEADER, TRUE_ROWS), encoding="utf-8")
    md.write_text(_pipe(TRUE_HEADER, TRUE_ROWS), encoding="utf-8")
    expected = [EXPECTED[0], EXPECTED[2]]
    for path in (html, md):
        table = extract_policy(path)
        assert _rows(table) == expected
        assert [s.purpose for s in table.sdks] == ["用于消息推送", "用于文本翻译"]


def test_lying_headers_in_flattened_tables_one_cell_per_line() -> None:
    header, rows = ["功能类型", "第三方名称", "使用目的", "收集个人信息"], [[r[1], r[2], r[3], r[4]] for r in LYING_ROWS]
    for end in ("", "|"):  # bare cells, and cells each closed by a pipe
        text = "隐私政策\n第三方SDK清单\n" + "\n".join(c + end for row in [header, *rows] for c in row) + "\n\n四、其他\n"
        table = extract_text(text)
        assert _rows(table) == EXPECTED, end
        assert [s.purpose for s in table.sdks] == ["用于消息推送", "用于微信登录和分享", "用于文本翻译"]


def test_a_permission_table_keeps_its_header_roles() -> None:
    text = "隐私政策\n| 权限名称 | 使用目的 |\n|---|---|\n| 相机权限 | 用于扫码 |\n| 位置权限 | 用于推荐附近门店 |\n"
    table = extract_text(text)
    assert table.sdks == []
    assert {p.purpose for p in table.permissions} == {"用于扫码", "用于推荐附近门店"}


def test_a_column_without_a_header_word_takes_the_role_its_cells_share() -> None:
    rows = [["极光推送SDK", "用于消息推送", "深圳市和讯华谷信息技术有限公司"], ["某某翻译SDK", "用于文本翻译", "某某智能科技有限公司"]]
    text = "隐私政策\n| SDK名称 | 使用目的 | 其他 |\n|---|---|---|\n" + "".join(f"| {' | '.join(r)} |\n" for r in rows)
    assert _rows(extract_text(text)) == [EXPECTED[0], EXPECTED[2]]


def test_a_category_column_of_sdk_kinds_does_not_take_the_name_from_true_names() -> None:
    rows = [["OkHttp", "网络请求SDK", "用于网络访问"], ["极光推送", "推送SDK", "用于消息推送"]]
    text = "隐私政策\n| SDK名称 | 功能类型 | 使用目的 |\n|---|---|---|\n" + "".join(f"| {' | '.join(r)} |\n" for r in rows)
    assert [s.name for s in extract_text(text).sdks] == ["OkHttp", "极光推送"]
