"""What a table header cell means: name, purpose, data, permission, company, privacy link, ..."""

import re
from functools import lru_cache

from candor.normalize import normalize_name
from declared.textnorm import fold

# Columns that decide what a table is about.
KEY_COLUMNS = frozenset({"name", "permission", "data"})
_PUNCT = re.compile(r"[\s\W_]+")
_NAME_WORDS = frozenset(
    {
        "", "名称", "名字", "第三方", "第三方名称", "接入第三方", "使用", "使用名称", "合作", "合作方", "合作方名称", "合作名称",
        "服务商", "第三方服务商", "服务商名称", "插件", "插件名称", "第三方产品", "第三方产品名称", "服务名称", "第三方服务",
        "第三方服务名称",
        "第三方库", "第三方库名称", "框架", "组件", "组件名称", "软件开发工具包", "第三方软件开发工具包", "接入", "接入名称", "工具包",
        "name", "thirdparty", "thirdpartyname", "library", "partner", "service", "provider",
    }
)  # fmt: skip
_CONTAINS_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("impact", ("影响",)),
    ("deidentified", ("去标识", "匿名化", "deidentif")),
    ("closable", ("关闭", "撤回", "optout")),
    ("ask", ("询问", "是否提示", "弹窗", "授权方式")),
    (
        "privacy",
        ("隐私政策", "隐私协议", "隐私声明", "隐私说明", "隐私权政策", "个人信息保护政策", "链接", "官网", "网址", "privacy", "url"),
    ),
    ("company", ("公司", "主体", "运营方", "运营者", "开发者", "提供方", "提供者", "厂商", "所属机构", "机构名称", "company", "vendor")),
    ("category", ("功能类型", "类别", "分类", "sdk类型", "category")),
    ("package", ("包名", "package", "软件包")),
    ("share", ("共享方式", "传输方式", "处理方式")),
    ("data", ("个人信息", "收集", "字段", "信息类型", "数据类型", "信息名称", "共享信息", "信息内容", "涉及信息", "data", "information")),
)
# Numbered lines, sentences addressed to the reader and table-of-contents entries are not headers.
_NOT_HEADER = re.compile(
    r"^\s*([\d一二三四五六七八九十]{1,3}\s*[.、．)）]|[（(][\d一二三四五六七八九十]{1,3}[)）])|我们|您|如何|本政策|本隐私"
)
# A company name or a permission label is a value: header cells around 权限 only hold words like these.
_VALUE_LIKE = re.compile(r".{4,}(有限公司|有限责任公司|股份公司|集团)$")
_HEADER_FILLER = re.compile(
    r"sdk|android|安卓|ios|app|应用|系统|获取|所需|申请|涉及|使用|调用|敏感|设备|相关|需要|名称|类型|列表|清单|说明|描述|目的|用途|"
    r"功能|场景|时机|业务|对应|请求|必要|可选|个人信息|信息|分组|内容|事项|名|组|项|和|及|与|或|的|/"
)
_NOTE = ("备注", "版本", "说明", "remark", "version", "notes")
_PURPOSE = ("目的", "用途", "作用", "功能", "场景", "业务", "purpose", "usage", "use")


@lru_cache(maxsize=65536)
def classify_header(text: str) -> str | None:
    """The column type a header cell stands for, or None when it is not a header at all."""
    raw = text.strip()
    if not raw or len(raw) > 24 or raw.endswith(("。", ".", "；", ";", "，")) or _NOT_HEADER.search(raw):
        return None
    folded = _PUNCT.sub("", fold(raw).lower())
    if not folded:
        return None
    if _VALUE_LIKE.search(folded) or ("权限" in folded and _HEADER_FILLER.sub("", folded.replace("权限", ""))):
        return None  # 北京某某科技有限公司, 连接网络权限: cell values, not headers
    if folded.endswith(("目的", "用途")) and len(folded) <= 12:
        return "purpose"  # head-final: 收集个人信息目的/用途 is a purpose, not data
    for column, words in _CONTAINS_RULES:
        if any(w in folded for w in words):
            return column
    if "权限" in folded or "permission" in folded:
        return "purpose" if folded.endswith(("目的", "用途", "说明", "功能", "业务", "场景")) else "permission"
    if any(w in folded for w in _PURPOSE):
        return "purpose"
    if folded in ("类型", "sdk类型", "服务类型", "业务类型", "产品", "产品名称", "功能名称", "业务功能", "应用名称", "app名称"):
        return "category"  # the app's own products or features, not third parties
    if len(folded) <= 6 and folded.endswith(("系统", "平台")) and not folded.startswith("操作"):
        return "note"  # 手机系统 / 适用平台: Android / iOS
    if folded.endswith(("列表", "清单")) and "信息" in folded:
        return "data"  # 设备信息获取列表
    bare = normalize_name(raw)
    if bare in _NAME_WORDS or (bare.endswith(("名称", "名字")) and ("sdk" in folded or len(bare) <= 6)):
        return "name"
    if "sdk" in folded and bare in ("", "第三方", "使用", "接入"):
        return "name"
    if any(w in folded for w in _NOTE) and len(folded) <= 8:
        return "note"
    return None


def classify_header_row(cells: list[str]) -> list[str | None] | None:
    """Column types for a header row, or None when the row is not a header of a table we read."""
    columns = [classify_header(c) for c in cells]
    known = [c for c in columns if c]
    if len(known) < 2 or not (set(known) & KEY_COLUMNS):
        return None
    if sum(1 for c in columns if c is None) > max(1, len(columns) // 3):
        return None
    names = [i for i, c in enumerate(columns) if c == "name"]
    if len(names) > 1:  # 使用SDK名称 + 第三方名称: the SDK one is the name, the other the company
        keep = next((i for i in names if "sdk" in cells[i].lower()), names[0])
        for i in names:
            if i != keep:
                columns[i] = "company"
    return columns


def table_kind(columns: list[str | None]) -> str:
    """sdk, permission or data: what the rows of a table with these columns are."""
    if "name" in columns:
        return "sdk"
    if "permission" in columns and (columns[0] == "permission" or "data" not in columns):
        return "permission"
    return "data"
