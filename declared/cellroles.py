"""What a table cell holds, judged from its content: an SDK name, a company, a permission, data, a purpose, a link.

Headers lie (a column headed 功能类型 holding SDK names, 第三方名称 holding companies); cells do not. The
scores here let the table readers check or replace header roles, and place cells of rows whose columns
drifted.
"""

import re
from collections.abc import Callable

KeyTest = Callable[[str, str], bool]

COMPANY = re.compile(
    r"(有限公司|有限责任公司|股份公司|集团|公司|研究院|(?:co\.?,?\s*)?ltd\.?|inc\.?|llc|gmbh|corporation|limited)\s*[)）]?$", re.I
)
URL = re.compile(r"https?://|www\.|\.(com|cn|net|org|io)(/|$)", re.I)
PRIVACY = re.compile(r"隐私政策|隐私协议|隐私声明|隐私权政策|个人信息保护政策|privacy", re.I)
PERMISSION_CONSTANT = re.compile(r"android\.permission\.|^[A-Z][A-Z_]{3,}_[A-Z_]{2,}$")
SDK_WORDS = re.compile(r"(sdk|kit|api|组件|插件|框架|开放平台|[a-z]{3,})\s*$|^[A-Za-z][A-Za-z0-9.+_-]{2,}(\s[A-Za-z0-9.+_-]+){0,2}$", re.I)
PURPOSE = re.compile(r"^(用于|为了|为|提供|实现|帮助|支持|便于|进行|保障|统计|推送|分享|登录|支付|定位|识别|检测|分析)|用于|目的")
SENTENCE = re.compile(r"[。；;]|我们|您")
PLATFORM = re.compile(r"^(android|ios|安卓|苹果|harmonyos|鸿蒙)([、/,，\s]+(android|ios|安卓|苹果))*$", re.I)


def cell_roles(text: str, is_key: KeyTest) -> dict[str, float]:
    """Scores (0..1) of each role the cell may play; several may be non-zero."""
    first = text.strip().split("\n")[0].strip()
    scores: dict[str, float] = {}
    if not first:
        return scores
    if PLATFORM.match(first):
        return {"note": 1.0}
    if URL.search(first) or PRIVACY.search(first):
        scores["privacy"] = 1.0
    if COMPANY.search(first) and len(first) <= 40:
        scores["company"] = 1.0
    if PERMISSION_CONSTANT.search(first) or is_key("permission", first):
        scores["permission"] = 0.9
    if is_key("identifier", first) or ("sdk" in first.lower() and re.search(r"日志|版本|信息", first)):
        scores["data"] = 0.8  # 设备型号, SDK运行日志: data items, never names
    elif is_key("data", first):  # one short phrase (`直播回放`) is weaker evidence than a list of data items
        scores["data"] = 0.8 if re.search(r"[、,，;；/]", first) or len(first) > 8 else 0.4
    if len(first) <= 40 and not SENTENCE.search(first):
        if is_key("sdk", first) and "company" not in scores:
            scores["name"] = 1.0
        elif SDK_WORDS.search(first) and "company" not in scores and "permission" not in scores:
            scores["name"] = 0.6
    if PURPOSE.search(first):
        scores["purpose"] = 0.7
    return scores


def best_role(text: str, is_key: KeyTest, default: str = "other") -> str:
    """The most likely role of a cell from its content alone."""
    scores = cell_roles(text, is_key)
    return max(scores, key=lambda role: scores[role]) if scores else default


def column_profile(cells: list[str], is_key: KeyTest, sample: int = 24) -> dict[str, float]:
    """Mean score of each role over a column's non-empty cells (the first `sample` of them)."""
    texts = [c for c in cells if c and c.strip()][:sample]
    totals: dict[str, float] = {}
    for text in texts:
        for role, score in cell_roles(text, is_key).items():
            totals[role] = totals.get(role, 0.0) + score
    return {role: total / len(texts) for role, total in totals.items()} if texts else {}


# Header roles whose column may turn out to hold the names; key columns of other tables (permission, data) never do.
_MAY_HOLD_NAMES = frozenset({None, "name", "category", "purpose", "company", "note", "other"})
HEADER_WEIGHT = 0.5  # what a header word counts for against the mean content score of its cells (0..1)


def _name_fit(role: str | None, profile: dict[str, float]) -> float:
    """How well a column fits the name role: its header, plus names in its cells, minus companies, permissions and data."""
    against = max(profile.get("company", 0.0), profile.get("permission", 0.0), profile.get("data", 0.0), profile.get("privacy", 0.0))
    return (HEADER_WEIGHT if role == "name" else 0.0) + profile.get("name", 0.0) - against


def _unheaded_role(profile: dict[str, float]) -> str | None:
    """A column whose header says nothing takes the role its cells clearly share (companies, links, data, purposes)."""
    role, score = max(((r, v) for r, v in profile.items() if r in _UNHEADED_ROLES), key=lambda rv: rv[1], default=(None, 0.0))
    return role if score >= 0.6 else None


_UNHEADED_ROLES = ("company", "privacy", "data", "purpose")


def fit_columns(columns: list[str | None], body: list[list[str]], is_key: KeyTest) -> list[str | None]:
    """Column roles that fit header and cells together.

    The name column is the one whose header and cells best read as names; when the cells of another column read
    as names clearly better than those under the name header (功能类型 holding SDK names, 第三方名称 holding
    companies), the roles move: that column becomes the name, the old one a company (or a category).
    Tables without a name header keep their roles: what they list (permissions, data) comes from the header.
    """
    if "name" not in columns or not body:
        return columns
    width = len(columns)
    profiles = [column_profile([row[i] for row in body if i < len(row)], is_key) for i in range(width)]
    columns = [role if role is not None else _unheaded_role(profile) for role, profile in zip(columns, profiles, strict=True)]
    fits = [_name_fit(role, profile) if role in _MAY_HOLD_NAMES else float("-inf") for role, profile in zip(columns, profiles, strict=True)]
    current = columns.index("name")
    best = max(range(width), key=lambda i: fits[i])
    if best == current or profiles[best].get("name", 0.0) < 0.5 or fits[best] < fits[current] + HEADER_WEIGHT:
        return columns
    fitted = list(columns)
    fitted[best] = "name"
    fitted[current] = "company" if profiles[current].get("company", 0.0) >= 0.5 else "category"
    return fitted
