"""Prose that names SDKs (`使用微信、QQ、微博账号登录`) and links to other companies' websites (not SDKs)."""

import re

from candor.catalog.catalog import Catalog
from candor.model.common import Source
from candor.model.declared import DeclaredLink, DeclaredSdk
from declared.lexicon import lexicon, words
from declared.prose import Sentence
from declared.terms import split_items
from declared.textnorm import clean, fold

_SEPARATORS = re.compile(r"[、,，/和及与或]+")
_STOP = re.compile(r"[，,。；;：:]|等|这些|这类|的")


def is_link_sentence(sentence: Sentence) -> bool:
    norm = sentence.norm.lower()
    return any(v in norm for v in words("link_verbs")) and any(o in norm for o in words("link_objects"))


def find_links(sentences: list[Sentence], document: str | None) -> list[DeclaredLink]:
    """Named companies/sites the policy says it links to: kept apart from SDKs."""
    out: list[DeclaredLink] = []
    openers = sorted(words("list_openers"), key=len, reverse=True)
    for sentence in sentences:
        if not is_link_sentence(sentence):
            continue
        norm = sentence.norm
        verb_at = min((norm.find(v) for v in words("link_verbs") if v in norm), default=0)
        for opener in openers:
            at = norm.find(opener, verb_at)
            if at < 0:
                continue
            start = at + len(opener)
            stop = _STOP.search(norm, start)
            end = stop.start() if stop else len(norm)
            cursor = start
            for part in _SEPARATORS.split(norm[start:end]):
                offset = norm.find(part, cursor)
                cursor = offset + len(part)
                name = clean(sentence.text[offset : offset + len(part)])
                if name and len(name) <= 12:
                    out.append(DeclaredLink(name=name, url=None, source=_source(sentence, document)))
            break
    return out


def find_mentions(catalog: Catalog, sentences: list[Sentence], known: set[str], document: str | None) -> list[DeclaredSdk]:
    """SDKs only named in prose, in a login/share/pay context, not already declared elsewhere."""
    contexts: dict[str, list[str]] = lexicon().get("mention_contexts", {})
    platforms = sorted({fold(p) for p in lexicon().get("platforms", [])}, key=len, reverse=True)
    out: list[DeclaredSdk] = []
    seen = set(known)
    for sentence in sentences:
        norm = sentence.norm
        active = [c for c in contexts if fold(c) in norm]
        if not active or is_link_sentence(sentence):
            continue
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, DeclaredSdk]] = []
        for platform in platforms:
            for match in re.finditer(re.escape(platform), norm, re.IGNORECASE):
                span = (match.start(), match.end())
                if any(not (span[1] <= a or span[0] >= b) for a, b in taken):
                    continue
                taken.append(span)
                sdk_id, context = _resolve_platform(catalog, platform, active, contexts)
                if sdk_id is None or sdk_id in seen:
                    continue
                seen.add(sdk_id)
                written = sentence.text[span[0] : span[1]]
                found.append(
                    (
                        span[0],
                        DeclaredSdk(
                            name=written,
                            sdk_id=sdk_id,
                            purpose=context,
                            kind="mention",
                            confidence=0.7,
                            flags=["prose_mention"],
                            source=_source(sentence, document),
                        ),
                    )
                )
        out.extend(item for _start, item in sorted(found, key=lambda f: f[0]))
    return out


def _resolve_platform(catalog: Catalog, platform: str, active: list[str], contexts: dict[str, list[str]]) -> tuple[str | None, str | None]:
    for context in active:
        for suffix in contexts[context]:
            match = catalog.resolve_sdk(platform + suffix, fuzzy=False)
            if match:
                return match.sdk_id, context
    return None, None


def _source(sentence: Sentence, document: str | None) -> Source:
    line = sentence.line
    return Source(text=clean(sentence.text), line=line.line, offset=line.offset + sentence.start, document=document)


# `…我们通过360QDAS埋点统计SDK记录…`, `集成并使用了 GrowingIO SDK`: an SDK named in a sentence by the word "SDK".
_SDK_WORD = re.compile(r"([A-Za-z0-9\u4e00-\u9fff+][A-Za-z0-9\u4e00-\u9fff+\-. ]{0,24}?)\s*(?:SDK|sdk|Sdk)(?:\s*[（(][^）)]{1,12}[）)])?")
_MENTION_LEAD = re.compile(
    r"^.*(?:通过|使用了|使用|集成了|集成|接入了|接入|嵌入了|嵌入|包括|包含|采用|调用|借助|基于|以及|或者|或|和|与|及|、|，|的|了|为|由|在|将|会|：|:)\s*"
)
_GENERIC = re.compile(
    r"^(第三方|该|此|上述|前述|以下|相关|部分|其他|其它|这些|那些|各|本|所有|各类|合作方|外部|外部第三方|该类|此类|这类|某|任何|对应|不同|多个|个别|"
    r"我们|您|你|提供方|服务商|厂商|平台|开发|开源|合作|外部的|第三方的|使用的|接入的|集成的)$",
)


_SDK_LISTING = re.compile(r"(?:附属|内置|包含的|集成的|子)SDK\s*(?:包括|包含|有|如下)\s*[:：]?\s*([^。；;]{2,200})", re.I)
# A bare domain starts only where a word starts: from inside a 900k-letter word it would rescan the rest each time.
_SLASH_LIST = re.compile(r"((?:[A-Za-z0-9\u4e00-\u9fff+]{2,10}/)+)$")
_URL_TOKEN = re.compile(r"(?:https?://|www\.)[^\s，。；）)]+|(?<![\w.-])[\w.-]+\.(?:com|cn|net|org|io|html?)(?:/[^\s，。；]*)?", re.I)
_GENERIC_END = re.compile(r"(第三方|外部|如下|以下|上述|前述|相关|该|此|这些|其他|其它|任何|多个|对应|部分|各类|各个|所有|\d)$")
_SENTENCE_WORDS = re.compile(r"详见|请|如您|如果|本政策|我们|您|是否|可以|需要|例如|比如|名称|类型|描述|列表|清单|服务商")
_ENGLISH_FILLER = frozenset(
    {"some", "third", "party", "these", "those", "apis", "api", "and", "or", "the", "other", "any", "all", "such", "of"}
)


_ACTION = re.compile(r"启动|初始化|打开|关闭|采集|同意|收集|调用|说明|明确|仅|是|还是|来|再|重新|方法|线程|默认|获取|处理|集成|接入|使用")
_PLATFORM_WORDS = re.compile(
    r"^(android|ios|java|kotlin|flutter|web|h5|js|app|api|the|an?|our|this|third[- ]?party|these|those|such|other|any|following|"
    r"all|some|each|relevant|mobile|native|client|server)$",
    re.I,
)
_PRODUCT_NOUN = re.compile(
    r"(推送|统计|分享|地图|定位|支付|登录|认证|检测|识别|OCR|广告|监测|推荐|播放器?|直播|IM|云|客服|验证|风控|加固|翻译|语音|人脸|活体|扫码)$",
    re.I,
)


def _product_like(catalog: Catalog, name: str) -> bool:
    """A product name rather than a phrase: Latin letters, or a catalog brand, or a brand-like word before a product noun."""
    from declared.vendors import brand_known

    if _ACTION.search(name) or _PLATFORM_WORDS.match(name):
        return False
    if any(token in _ENGLISH_FILLER for token in re.split(r"[\s\-]+", name.lower())):
        return False  # `some third-party SDK`, `APIs and SDK`
    if re.search(r"[A-Za-z]{2,}|\d[A-Za-z]|[A-Za-z]\d", name):
        return True
    if brand_known(catalog, name):
        return True
    return bool(_PRODUCT_NOUN.search(name)) and len(name) >= 3 and not _PRODUCT_NOUN.fullmatch(name)


def listed_sub_sdks(catalog: Catalog, text: str) -> list[str]:
    """Names listed after `附属SDK包括：` / `内置SDK有：` (product-like or known to the catalog)."""
    from declared.sdks import resolve

    names: list[str] = []
    for listing in _SDK_LISTING.finditer(text):
        for raw in split_items(listing.group(1)):
            item = clean(raw)
            plausible = 2 <= len(item) <= 30 and not _SENTENCE_WORDS.search(item)
            if plausible and (_product_like(catalog, item) or resolve(catalog, item)[0]):
                names.append(item)
    return names


def _name_alone(written: str, sentence: Sentence) -> bool:
    """True when the sentence is only the name (a heading such as `**穿山甲广告SDK（com.bytedance）**`), not running text."""
    rest = clean(sentence.text).replace(written, "", 1)
    return not re.sub(r"[（(][^）)]*[）)]|[*#_\s:：]", "", rest)


def find_sdk_word_mentions(
    catalog: Catalog, sentences: list[Sentence], known: list[str], document: str | None, row_ids: frozenset[str] | set[str] = frozenset()
) -> list[DeclaredSdk]:
    """SDKs a sentence names with the word SDK, or lists after `附属SDK包括：`, not already declared elsewhere (one per name).

    A mention inside running text that the catalog resolves to an SDK a table row or list item (`row_ids`) already
    declares is that row's SDK named again (`我们使用友盟SDK…` under a row `友盟+SDK`), not a further one; a heading
    that is only the name stays its own declaration."""
    from declared.sdks import resolve

    seen = {re.sub(r"\s+", "", k).lower() for k in known}
    out: list[DeclaredSdk] = []

    def keep(written: str, sentence: Sentence) -> None:
        key = re.sub(r"\s+", "", written).lower()
        if any(key in k or k in key for k in seen):
            return
        seen.add(key)
        sdk_id = resolve(catalog, written)[0]
        if sdk_id and sdk_id in row_ids and not _name_alone(written, sentence):
            return
        out.append(
            DeclaredSdk(
                name=written,
                sdk_id=sdk_id,
                kind="mention",
                confidence=0.6 if sdk_id else 0.4,
                flags=["prose_mention", *([] if sdk_id else ["unknown_sdk"])],
                source=_source(sentence, document),
            )
        )

    for sentence in sentences:
        text = sentence.text
        if "sdk" not in text.lower():
            continue
        for item in listed_sub_sdks(catalog, text):
            keep(item, sentence)
        urls = [m.span() for m in _URL_TOKEN.finditer(text)]
        for match in _SDK_WORD.finditer(text):
            if any(a <= match.start() < b or a < match.end() <= b for a, b in urls):
                continue  # `…/third-app-sdk/index.html` is a link, not a name
            raw = match.group(1)
            name = clean(_MENTION_LEAD.sub("", raw))
            if name.startswith("第三方") and _PRODUCT_NOUN.fullmatch(name[3:]):
                continue  # 第三方定位SDK: a kind of SDK, not one
            if len(name) < 2 or _GENERIC.match(name) or _GENERIC_END.search(name) or _SENTENCE_WORDS.search(name):
                continue
            if not _product_like(catalog, name):
                continue
            keep(clean(text[match.start(1) + raw.find(name) : match.end()]), sentence)
            slashed = _SLASH_LIST.search(text, 0, match.start(1))  # `百度/友盟/广点通/穿山甲SDK`: one SDK word for several
            if slashed and slashed.end() == match.start(1):
                for item in slashed.group(1).split("/"):
                    item = _MENTION_LEAD.sub("", item).removeprefix("第三方")
                    if item and _product_like(catalog, item):
                        keep(item, sentence)
    return out


# `第三方统计服务商百度`, `推送服务提供商：极光`: a vendor named with the service it provides, but no SDK name.
_PARTY = re.compile(
    r"(统计|分析|数据分析|推送|消息推送|广告|支付|地图|定位|登录|一键登录|分享|崩溃|性能监控|云存储|短信|认证|客服|直播|音视频)"
    r"(?:服务)?(?:服务商|服务提供商|服务提供方|提供商|合作方|合作伙伴)\s*(?:为|是|：|:)?\s*"
    r"([A-Za-z][A-Za-z0-9]{1,15}|[\u4e00-\u9fff]{2,6})"
)


def find_parties(catalog: Catalog, sentences: list[Sentence], known_ids: set[str], document: str | None) -> list[DeclaredSdk]:
    """Vendors a sentence names only with the service they provide: declared parties (they cover the vendor's SDK
    for presence; no data types are declared for them)."""
    from declared.vendors import brand_known, by_vendor

    out: list[DeclaredSdk] = []
    seen: set[str] = set()
    for sentence in sentences:
        for match in _PARTY.finditer(sentence.text):
            service, written = match.group(1), match.group(2)
            vendor = next((written[:n] for n in range(len(written), 1, -1) if brand_known(catalog, written[:n])), None)
            if vendor is None or vendor in seen:
                continue
            sdk_id, _brand = by_vendor(catalog, vendor, fold(service))
            if sdk_id in known_ids:
                continue
            seen.add(vendor)
            out.append(
                DeclaredSdk(
                    name=vendor,
                    sdk_id=sdk_id,
                    purpose=service,
                    kind="party",
                    confidence=0.6 if sdk_id else 0.4,
                    flags=["vendor_only", *([] if sdk_id else ["unknown_sdk"])],
                    source=_source(sentence, document),
                )
            )
    return out
