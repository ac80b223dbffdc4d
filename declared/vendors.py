"""Resolve SDK rows the catalog does not know by name: product-code prefixes, and a vendor named with a purpose.

`XYZ腾讯移动分析SDK` → strip the product code; `华为` + `推送通知消息` → the vendor's push SDK; `第三方统计服务商百度` →
a declared party (the vendor's analytics SDK, or the vendor alone when it has several).
"""

import re

from candor.catalog.catalog import Catalog, iter_names
from candor.normalize import normalize_name

# purpose words → catalog categories
PURPOSE_CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("推送", ("push",)),
    ("通知", ("push",)),
    ("消息", ("push", "im")),
    ("统计", ("analytics",)),
    ("分析", ("analytics",)),
    ("埋点", ("analytics",)),
    ("地图", ("map",)),
    ("导航", ("map",)),
    ("定位", ("location", "map")),
    ("位置", ("location", "map")),
    ("支付", ("payment",)),
    ("付款", ("payment",)),
    ("登录", ("auth", "social")),
    ("认证", ("auth",)),
    ("分享", ("social",)),
    ("广告", ("ads",)),
    ("崩溃", ("crash", "apm")),
    ("异常", ("crash", "apm")),
    ("性能", ("apm",)),
    ("客服", ("customer_service",)),
    ("直播", ("rtc", "media")),
    ("视频", ("rtc", "media")),
    ("语音", ("speech",)),
    ("存储", ("storage",)),
    ("风控", ("risk_control",)),
    ("反作弊", ("risk_control",)),
    ("验证", ("risk_control", "auth")),
    ("归因", ("attribution",)),
    ("热修复", ("hotfix",)),
)
_PRODUCT_CODE = re.compile(r"^[A-Za-z0-9]{2,8}[-_ ]?(?=[\u4e00-\u9fff])")
_LATIN_BRAND = re.compile(r"^[a-z]{2,10}$")


def categories_in(text: str) -> list[str]:
    """Catalog categories a purpose text speaks of, in order of appearance."""
    found: list[tuple[int, str]] = []
    for word, categories in PURPOSE_CATEGORIES:
        at = text.find(word)
        if at >= 0:
            found += [(at, c) for c in categories]
    return list(dict.fromkeys(c for _at, c in sorted(found)))


def _brand_index(catalog: Catalog) -> dict[str, set[str]]:
    """Leading brand of every catalog name (`华为推送` → 华为, `vivo Push` → vivo) → SDK ids."""
    index: dict[str, set[str]] | None = catalog.__dict__.get("_declared_brands")
    if index is None:
        index = {}
        for sdk_id, name in iter_names(catalog.sdks.values()):
            key = normalize_name(name)
            cjk = re.match(r"[\u4e00-\u9fff]{2,4}", key)
            latin = re.match(r"[a-z]{2,10}", key)
            for brand in {m.group(0)[:n] for m in (cjk, latin) if m for n in range(2, len(m.group(0)) + 1)}:
                index.setdefault(brand, set()).add(sdk_id)
        catalog.__dict__["_declared_brands"] = index
    return index


def by_vendor(catalog: Catalog, name: str, context: str) -> tuple[str | None, bool]:
    """(sdk id, is a known brand) for a vendor-only name: the brand's one SDK in the context's category, if any."""
    key = normalize_name(name)
    if not key or len(key) > 10 or not (re.fullmatch(r"[\u4e00-\u9fff]{2,6}", key) or _LATIN_BRAND.match(key)):
        return None, False
    ids = _brand_index(catalog).get(key)
    if not ids:
        return None, False
    for category in categories_in(context):
        matching = sorted(i for i in ids if catalog.sdks[i].category == category)
        if len(matching) == 1:
            return matching[0], True
        families = {catalog.sdks[i].family or i for i in matching}
        if len(matching) > 1 and len(families) == 1:
            return min(matching, key=len), True
    return (next(iter(ids)) if len(ids) == 1 else None), True


def without_product_code(name: str) -> str | None:
    """`XYZ腾讯移动分析SDK` → `腾讯移动分析SDK`; None when there is no leading Latin code."""
    match = _PRODUCT_CODE.match(name)
    return name[match.end() :] if match else None


def brand_known(catalog: Catalog, name: str) -> bool:
    """Whether the name starts with a brand of a catalog SDK (`阿里云活体检测` → 阿里云)."""
    key = normalize_name(name)
    index = _brand_index(catalog)
    return any(key[:n] in index for n in range(min(len(key), 6), 1, -1))
