"""SDK rows: resolve names against the catalog, split rows naming several SDKs, read their fields."""

import re

from candor.catalog.catalog import Catalog, iter_names
from candor.model.declared import DeclaredSdk
from candor.normalize import edit_distance, fuzzy_limit, normalize_name
from declared.headers import classify_header
from declared.mentions import listed_sub_sdks
from declared.nearby import NearIndex
from declared.records import Field, Record
from declared.terms import expand_items, find_identifiers, permission_constants, permissions_for_item, split_items
from declared.textnorm import clean, fold
from declared.vendors import by_vendor, without_product_code

_URL = re.compile(
    r"https?://[^\s)）\]】>\"'，,；;]+|(?<![@\w.])(?:[a-z0-9-]+\.)+(?:com|cn|net|org|io)(?:/[^\s)）\]】，,；;]*)?", re.IGNORECASE
)
_COMPANY_FIX = re.compile(r"[(（]([^()（）]+?)(有限责任公司|股份有限公司|有限公司)[)）]$")
_NOT_A_NAME = re.compile(r"^第三方(SDK)?(类|类别)?(服务商|合作方|提供方)|我们|您|本政策")
_NUMBER_PREFIX = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*[、.．)）]\s*")
# Android permission labels start with a verb: 访问网络状态, 读取外置存储卡, 写入外部存储, ...
_PERMISSION_LABEL = re.compile(
    r"^(访问|读取|读写|写入|获取|修改|拍摄|录制|录音|查看|连接|发送|接收|拨打|控制|更改|关闭|开机|防止|检索|使用|改变|唤醒)"
)
# Words of a sentence, not of a product name: no fuzzy matching for such text.
_PROSE_WORDS = re.compile(r"我们|您|的|在|与|请|基于|如果|以下|情况|期限|信息$")
_YES = ("是", "yes", "y", "√", "✓", "已去标识化", "去标识化")
_NO = ("否", "no", "n", "×", "未")


def resolve(catalog: Catalog, name: str) -> tuple[str | None, float, bool]:
    """(sdk id, confidence, exact) for a policy spelling; tries the name without brackets too."""
    cache: dict[str, tuple[str | None, float, bool]] = catalog.__dict__.setdefault("_declared_resolve", {})
    if name not in cache:
        cache[name] = _resolve(catalog, name)
    return cache[name]


def _resolve(catalog: Catalog, name: str) -> tuple[str | None, float, bool]:
    candidates = [name, re.sub(r"[(（\[【].*?[)）\]】]", "", name), re.sub(r"^(使用|接入|集成)", "", name)]
    for candidate in candidates:
        match = catalog.resolve_sdk(candidate, fuzzy=False)
        if match:
            return match.sdk_id, 1.0, True
    if _PROSE_WORDS.search(name):
        return None, 0.0, False
    for candidate in candidates:
        key = normalize_name(candidate)
        if not 4 <= len(key) <= 24:
            continue
        match = _fuzzy(catalog, key)
        if match and match[1] >= 0.75:
            return match[0], match[1], False
    return None, 0.0, False


def _fuzzy(catalog: Catalog, key: str) -> tuple[str, float] | None:
    """(sdk id, confidence) of the closest catalog name within the catalog's edit limit (bigram-filtered first)."""
    index: NearIndex | None = catalog.__dict__.get("_declared_near_names")
    if index is None:
        index = NearIndex([normalize_name(alias) for _sdk_id, alias in iter_names(catalog.sdks.values())])
        catalog.__dict__["_declared_near_names"] = index
    limit = fuzzy_limit(len(key))
    best: tuple[int, str] | None = None
    for alias in sorted(index.candidates(key, limit)):
        distance = edit_distance(key, alias, limit)
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, alias)
    if best is None:
        return None
    match = catalog.resolve_sdk(best[1], fuzzy=False)
    return (match.sdk_id, round(1 - best[0] / max(len(key), len(best[1])), 3)) if match else None


_PACKAGE = re.compile(r"\b([a-z][a-z0-9_]*(?:\.[a-z0-9_]+){1,6})\b")


def _by_package(catalog: Catalog, record: Record) -> tuple[str | None, float, bool]:
    """The SDK owning a Java package written in the row (`com.umeng.commonsdk`)."""
    texts = [f.text for column in ("package", "name", "other") for f in record.fields.get(column, [])]
    for text in texts:
        for match in _PACKAGE.finditer(text):
            owner = catalog.sdk_for_class(match.group(1))
            if owner:
                return owner.id, 0.95, False
    return None, 0.0, False


def looks_like_sdk(catalog: Catalog, name: str, fuzzy: bool = True) -> bool:
    """A list item name that may be an SDK: says SDK, or the catalog knows it (exactly, or also fuzzily)."""
    if "sdk" in name.lower():
        return True
    if not fuzzy:
        return any(catalog.resolve_sdk(c, fuzzy=False) for c in (name, re.sub(r"[(（\[【].*?[)）\]】]", "", name)))
    return resolve(catalog, name)[0] is not None


def mentioned_sdks(catalog: Catalog, text: str) -> list[tuple[str, str]]:
    """(sdk id, item as written) for every list item of `text` that names a catalog SDK (memoised per catalog)."""
    cache: dict[str, list[tuple[str, str]]] = catalog.__dict__.setdefault("_declared_mentioned", {})
    if text not in cache:
        if len(cache) > 20000:
            cache.clear()
        cache[text] = _mentioned_sdks(catalog, text)
    return list(cache[text])


def _mentioned_sdks(catalog: Catalog, text: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for item in split_items(text):
        sdk_id = catalog.resolve_sdk(item, fuzzy=False)
        hit = sdk_id.sdk_id if sdk_id else _contained(catalog, item)
        if hit and hit not in (f[0] for f in found):
            found.append((hit, item))
    return found


def _contained(catalog: Catalog, item: str) -> str | None:
    """The SDK whose longest alias (>= 2 CJK or >= 4 Latin characters) the item contains."""
    best: tuple[int, str] | None = None
    for sdk_id, alias in catalog.names.contains(item):
        key = normalize_name(alias)
        if len(key) < 2 or (key.isascii() and len(key) < 4):
            continue
        if best is None or len(key) > best[0]:
            best = (len(key), sdk_id)
    return best[1] if best else None


def build_sdks(catalog: Catalog, records: list[Record], warnings: list[str]) -> list[DeclaredSdk]:
    """One DeclaredSdk per SDK named by each record (rows naming several SDKs are split)."""
    out: list[DeclaredSdk] = []
    for record in records:
        name_field = record.first("name")
        if name_field is None or not clean(name_field.text):
            continue
        name = clean(_NUMBER_PREFIX.sub("", name_field.text.replace("\n", " ")))
        if _NOT_A_NAME.search(name) or classify_header(name) == "name":
            continue  # `第三方SDK类服务商`, `SDK名称`: a heading or a key, not an SDK
        sdk_id, confidence, exact = resolve(catalog, name)
        how = ""
        if sdk_id is None:
            sdk_id, confidence, exact = _by_package(catalog, record)
            how = "by_package" if sdk_id else ""
            if sdk_id and re.match(r"^(其他|其它|其余|其他的)", name) and record.first("package"):
                name = clean(re.split(r"[，,、;；]", record.first("package").text)[0])  # `其他基础组件` + `com.facebook.fresco`
        if sdk_id is None and (stripped := without_product_code(name)):
            sdk_id, confidence, _exact = resolve(catalog, stripped)
            confidence, exact, how = min(confidence, 0.9), False, "product_code_prefix" if sdk_id else ""
        purpose = record.text("purpose") or None
        common, row_flags = _row_facts(catalog, record)
        targets: list[tuple[str | None, str, float, list[str]]] = []
        # a sharing row whose name cell is a company or a category names its SDKs in the purpose; a row named as an SDK
        # is split only when its purpose is a plain list of several products (腾讯SDK — 微信登录、微信支付、bugly异常统计)
        mentions = mentioned_sdks(catalog, purpose or "") if purpose else []
        if re.search(r"sdk|kit\b|插件|组件", name, re.IGNORECASE) and (
            len(mentions) < 2 or any(len(item) > 12 or item.endswith("。") for _i, item in mentions)
        ):
            mentions = []  # `微信OpenSDK Android` used for `微信支付与分享`: one product in the purpose does not rename the row
        named = mentioned_sdks(catalog, name) if sdk_id is None else []
        inner = _bracket_members(catalog, name) or _brand_list_members(catalog, name) or _joined_members(catalog, name)
        if len(inner) >= 2:  # 友盟（友盟分享、友盟统计、友盟推送）: an umbrella row listing its members
            named, sdk_id = inner, None
        if len(named) >= 2:  # 小米推送/华为推送/OPPO推送 in one name cell
            mentions = named
        if sdk_id is None and not mentions:  # `华为` + 推送: the vendor's SDK for that purpose
            context = " ".join([name, *(record.text(c, " ") for c in ("category", "purpose", "other", "data"))])
            sdk_id, _brand = by_vendor(catalog, name, fold(context))
            confidence, exact, how = 0.8, False, "by_vendor_purpose" if sdk_id else ""
        if sdk_id is None and mentions:
            for mention_id, item in mentions:
                targets.append((mention_id, item, 0.9, ["split_from_row"]))
        else:
            flags = [] if sdk_id else ["unknown_sdk"]
            if how:
                flags.append(how)
            elif sdk_id and not exact:
                flags.append("fuzzy_name")
            targets.append((sdk_id, name, confidence if sdk_id else 0.5, flags))
        # `附属SDK包括：…` may sit in any cell of the row (purpose, data, note), not only the purpose
        for sub in listed_sub_sdks(catalog, " ".join(record.text(c, " ") for c in record.fields if c != "name")):
            targets.append((resolve(catalog, sub)[0], sub, 0.7, ["sub_sdk"]))
        for target_id, target_name, target_confidence, flags in targets:
            out.append(
                DeclaredSdk(
                    name=target_name,
                    sdk_id=target_id,
                    purpose=purpose,
                    kind=record.kind,
                    confidence=target_confidence,
                    flags=flags + row_flags,
                    source=record.source,
                    **common,
                )
            )
    unknown = list(dict.fromkeys(f"{sdk.name} (line {sdk.source.line})" for sdk in out if sdk.sdk_id is None))
    if unknown:
        warnings.append(
            f"{len(unknown)} declared SDK(s) not in the catalog, kept unresolved (map them in candor/catalog/data/aliases.yaml): "
            + "; ".join(unknown)
        )
    return merge_duplicates(out)


def _bracket_members(catalog: Catalog, name: str) -> list[tuple[str, str]]:
    """(sdk id, member as written) of `Umbrella（A、B、C）` when at least two members are catalog SDKs."""
    match = re.search(r"[(（]([^()（）]+[、,，/][^()（）]+)[)）]", name)
    if not match:
        return []
    members = [(resolve(catalog, item)[0], item) for item in split_items(match.group(1))]
    known = [(sdk_id, item) for sdk_id, item in members if sdk_id]
    return known if len(known) >= 2 else []


def _joined_members(catalog: Catalog, name: str) -> list[tuple[str, str]]:
    """`腾讯bugly与腾讯Tinker（Android版本）` → 腾讯bugly, 腾讯Tinker（Android版本）: two SDKs joined by 与/和/及/&, each known
    to the catalog (a name joined to a plain word, `微信支付与分享`, stays one)."""
    parts = [part.strip() for part in re.split(r"以及|与|和|及|&", name) if part.strip()]
    if len(parts) < 2:
        return []
    members = [(catalog.resolve_sdk(part, fuzzy=False), part) for part in parts]
    resolved = [(match.sdk_id if match else _contained(catalog, part), part) for match, part in members]
    if not all(sdk_id for sdk_id, _part in resolved) or len({sdk_id for sdk_id, _part in resolved}) < len(resolved):
        return []
    return [(sdk_id, part) for sdk_id, part in resolved if sdk_id]


def _brand_list_members(catalog: Catalog, name: str) -> list[tuple[str, str]]:
    """`高德地图、定位、导航以及搜索SDK` → 高德地图SDK, 高德定位SDK, 高德导航SDK, 高德搜索SDK (one brand, several products)."""
    from declared.vendors import brand_known

    body = re.sub(r"\s*sdk$", "", name, flags=re.IGNORECASE)
    if body == name or not re.search(r"[、，,]", body):
        return []
    words = [w for w in re.split(r"[、，,]|以及|及|和|与", body) if w]
    head = words[0]
    brand = next((head[:n] for n in range(len(head) - 2, 1, -1) if brand_known(catalog, head[:n])), None)
    if brand is None or not all(re.fullmatch(r"[\u4e00-\u9fff]{2,4}", w) for w in words[1:]):
        return []
    members = [f"{head}SDK", *(f"{brand}{word}SDK" for word in words[1:])]
    resolved = [(resolve(catalog, member)[0], member) for member in members]
    known = [(sdk_id, member) for sdk_id, member in resolved if sdk_id]
    return known if len(known) >= 2 else []


def _row_facts(catalog: Catalog, record: Record) -> tuple[dict, list[str]]:
    """Company, identifiers, permissions, data phrases, privacy link and de-identification of a row,
    and `fuzzy_permission` when a permission was only matched approximately (OCR damage)."""
    fuzzy = False
    identifiers: list[str] = []
    permissions: list[str] = []
    data_phrases: list[str] = []
    texts = [f for column in ("data", "permission", "purpose", "other") for f in record.fields.get(column, [])]
    for value in texts:
        for hit in find_identifiers(catalog, fold(value.text), prose=False):
            if hit.value not in identifiers:
                identifiers.append(hit.value)
        for permission, confidence, _token in permission_constants(catalog, value.text):
            fuzzy = fuzzy or confidence < 0.97
            if permission not in permissions:
                permissions.append(permission)
    for column in ("permission", "data"):
        for value in record.fields.get(column, []):
            for item in split_items(value.text):
                for part in expand_items(item):
                    label_like = column == "permission" or _PERMISSION_LABEL.match(part)
                    found, confidence = permissions_for_item(catalog, part, fuzzy=True) if label_like else ([], 0.0)
                    fuzzy = fuzzy or (bool(found) and confidence < 0.9)
                    permissions.extend(p for p in found if p not in permissions)
                if column == "data" and item not in data_phrases and len(item) <= 60:
                    data_phrases.append(item)
    facts = {
        "company": _company(record.first("company")),
        "identifiers": identifiers,
        "permissions": permissions,
        "personal_data": data_phrases,
        "privacy_url": _privacy_url(record.fields.get("privacy", [])),
        "deidentified": _yes_no(record.text("deidentified")),
    }
    return facts, ["fuzzy_permission"] if fuzzy else []


def _company(field: Field | None) -> str | None:
    if field is None or not clean(field.text):
        return None
    text = clean(field.text.replace("\n", " ")).rstrip("。；;，,")
    return _COMPANY_FIX.sub(r"(\1)\2", text) if text.count("(") + text.count("（") == 1 else text


def _privacy_url(fields: list[Field]) -> str | None:
    ordered = sorted(fields, key=lambda f: 0 if "隐私" in fold(f.key) or "privacy" in f.key.lower() else 1)
    for field in ordered:
        match = _URL.search(field.text)
        if match:
            return match.group(0).rstrip(".")
    return None


def _yes_no(text: str) -> bool | None:
    value = clean(text).lower()
    if not value:
        return None
    if value.startswith(_NO):
        return False
    if value.startswith(_YES):
        return True
    return None


def merge_duplicates(sdks: list[DeclaredSdk]) -> list[DeclaredSdk]:
    """Rows for the same catalog SDK and spelling, and mentions of an SDK already listed, become one (first row wins,
    lists are united); a row of its own with another spelling stays a row."""
    by_id: dict[str, DeclaredSdk] = {}
    out: list[DeclaredSdk] = []
    for sdk in sdks:
        kept = by_id.get(sdk.sdk_id) if sdk.sdk_id else None
        rows = kept is not None and kept.kind in ("table_row", "list_item") and sdk.kind in ("table_row", "list_item")
        if rows and normalize_name(kept.name) != normalize_name(sdk.name) and kept.source.line != sdk.source.line:  # type: ignore[union-attr]
            kept = None  # its own row with its own spelling (支付宝SDK, then 支付宝支付SDK): both are declared
        if kept is None:
            out.append(sdk)
            if sdk.sdk_id:
                by_id.setdefault(sdk.sdk_id, sdk)
            continue
        kept.identifiers += [i for i in sdk.identifiers if i not in kept.identifiers]
        kept.permissions += [p for p in sdk.permissions if p not in kept.permissions]
        kept.personal_data += [p for p in sdk.personal_data if p not in kept.personal_data]
        for attribute in ("company", "purpose", "privacy_url", "deidentified"):
            if getattr(kept, attribute) is None and getattr(sdk, attribute) is not None:
                setattr(kept, attribute, getattr(sdk, attribute))
    return out
