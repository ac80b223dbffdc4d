"""What the app itself declares: permissions (tables and prose), identifiers, personal data."""

import re
from bisect import bisect_right

from candor.catalog.catalog import Catalog
from candor.model.common import Source
from candor.model.declared import DeclaredIdentifier, DeclaredPermission, NegativeDeclaration, PersonalDataItem
from candor.unique import unique_by
from declared.lexicon import words
from declared.negation import negated, negation_cue
from declared.prose import Sentence
from declared.records import Record
from declared.terms import find_identifiers, find_personal_data, permission_constants, permissions_for_item, split_items
from declared.textnorm import clean, fold

_BEFORE_PERMISSION = re.compile(r"([\u4e00-\u9fffA-Za-z]{1,10})权限")
_LISTED_PERMISSIONS = re.compile(r"([^，,。；;:：]{2,80}?)等[\u4e00-\u9fff]{0,6}权限")
_LISTED_TAIL = re.compile(r"等[\u4e00-\u9fff]{0,6}权限")  # where a listed-permissions match can end
_QUALIFIED_PERMISSION = re.compile(r"([\u4e00-\u9fffA-Za-z/、]{2,24}?)的?(?:系统|设备|相关|访问|使用)权限")
_PERMISSIONS_SUCH_AS = re.compile(r"权限[，,]?(?:例如|比如|包括|如|：|:)\s*([^。；;]{2,80}?)(?:等|。|；|$)")
_BRACKET_PERMISSION = re.compile(r"[(（]([\u4e00-\u9fffA-Za-z]{1,10})[)）]\s*权限")
# `录制音频：用于…`, `**相机** 用于拍照`: a short phrase opening a line or item, then what it is used for.
# Possessive runs keep it linear: `(?:[#*]+\s*)*` could split a run of '#' exponentially many ways, and
# `\s*(?:\s+)\s*` a run of spaces cubically many ways, before failing.
_LEADING_PHRASE = re.compile(
    r"^\s*+(?:[#>*\-+•·●]++\s*+|[（(]?\d{1,2}[)）.、．]\s*+)*([^：:，,。；;\s]{2,20})(?:\s*+[：:]|\s++|\s*+\*\*)\s*+(?:用于|用来|用以)"
)
_WHOLE_ITEM = re.compile(r"^\s*(?:\d{1,2}[.、．)]|[-*•·●])\s*([^，,。；;：:]{2,24}?)\s*$")
_BOLD_HEAD = re.compile(r"^\s*(?:#{1,6}\s*)?(?:[-*+]\s+|\d{1,2}[.、．)]\s*)?(?:\*\*|__)([^*_]{2,20})(?:\*\*|__)")
_EMPHASIS = re.compile(r"[*_`]+|权限$")
# `不申请定位、通讯录、麦克风…等任何敏感权限`: the list a negation cue governs.
_NEGATED_LIST = re.compile(r"(不会|不|未|无需)(申请|获取|收集|调用|使用|访问)([^。；;]{2,120}?)(等|这些|任何|权限)")
_OPENERS = re.compile(r"^(例如|比如|譬如|诸如|包括|如|像)")


def table_permissions(catalog: Catalog, records: list[Record], warnings: list[str]) -> list[DeclaredPermission]:
    """One DeclaredPermission per Android permission each permission-table row stands for."""
    out: list[DeclaredPermission] = []
    for record in records:
        key = record.first("permission") or next(iter(record.fields.get("other", [])), None)
        if key is None or not clean(key.text):
            continue
        phrase = clean(key.text.replace("\n", " "))
        # A constant written in the row (相机（android.permission.CAMERA）) is what is declared, exactly.
        constants = permission_constants(catalog, phrase)
        exact = catalog.resolve_permission(phrase) if phrase.isascii() and " " not in phrase else None
        if constants:
            found, confidence = [p for p, _c, _t in constants], min(c for _p, c, _t in constants)
        elif exact and exact[1] >= 0.85:
            found, confidence = [exact[0]], exact[1]
        else:
            found, confidence = permissions_for_item(catalog, phrase)
        purpose = record.text("purpose") or None
        if not found:
            warnings.append(f"line {record.source.line}: permission '{phrase}' maps to no Android permission")
        for permission in found:
            out.append(
                DeclaredPermission(permission=permission, phrase=phrase, purpose=purpose, confidence=confidence, source=record.source)
            )
    return out


def prose_permissions(catalog: Catalog, sentences: list[Sentence], document: str | None, implied: bool = True) -> list[DeclaredPermission]:
    """Permissions named in prose (`短信权限`, `例如通知、相册、相机等访问权限`) or, when `implied`, by location collection."""
    out: list[DeclaredPermission] = []
    location_terms = words("location_terms")
    collect = words("collect_verbs")
    for sentence in sentences:
        norm = sentence.norm
        named = _sentence_permissions(catalog, sentence)
        found = [(perms, phrase, confidence) for perms, phrase, confidence, at in named if not negated(norm, at)]
        lowered = norm.lower()
        if implied and any(t in lowered for t in location_terms) and any(v in lowered for v in collect) and not _location_negated(lowered):
            term = next(t for t in location_terms if t in lowered)
            start = lowered.find(term)
            precise = any(w in lowered[max(0, start - 2) : start + len(term)] for w in ("精确", "精准", "gps", "经纬度"))
            found.append((catalog.permissions_for_phrase("精确位置" if precise else "位置"), sentence.text[start : start + len(term)], 0.7))
        for permissions, phrase, confidence in found:
            for permission in permissions:
                out.append(
                    DeclaredPermission(
                        permission=permission,
                        phrase=phrase,
                        purpose=None,
                        confidence=confidence,
                        source=_sentence_source(sentence, document),
                    )
                )
    return out


def _location_negated(lowered: str) -> bool:
    at = min((lowered.find(t) for t in words("location_terms") if t in lowered), default=-1)
    return at >= 0 and negated(lowered, at)


def _listed_matches(norm: str) -> list[re.Match[str]]:
    """_LISTED_PERMISSIONS.finditer(norm), scanned only near a `等…权限` tail (81 characters before, 9 after).

    The same matches in linear time: the lazy 80-character group would otherwise be tried from every position
    of a long sentence.
    """
    windows: list[list[int]] = []
    for tail in _LISTED_TAIL.finditer(norm):
        low, high = max(0, tail.start() - 81), tail.end() + 9
        if windows and low <= windows[-1][1]:
            windows[-1][1] = high
        else:
            windows.append([low, high])
    return [match for low, high in windows for match in _LISTED_PERMISSIONS.finditer(norm, low, min(high, len(norm)))]


def _sentence_permissions(catalog: Catalog, sentence: Sentence) -> list[tuple[list[str], str, float, int]]:
    """(permissions, phrase, confidence, position) of every permission a sentence names.

    `X权限` / `X（Y）权限`, listed `A、B等权限`, full constants (`android.permission.CAMERA`), and a leading
    `X：用于…` / `X 用于…` whose X is a permission phrase (Android's own labels included).
    """
    norm = sentence.norm
    found: list[tuple[list[str], str, float, int]] = []
    if "权限" in norm:
        for match in _BEFORE_PERMISSION.finditer(norm):
            hit = _longest_suffix_phrase(catalog, match.group(1))
            if hit:
                found.append((hit[0], sentence.text[match.start() : match.end()], 0.9, match.start()))
        for match in _QUALIFIED_PERMISSION.finditer(norm):  # `麦克风或/和相机的系统权限`
            for item in re.split(r"或/和|和/或|或|和|与|及|、|/", match.group(1)):
                hit = _longest_suffix_phrase(catalog, item) if item else None
                if hit:
                    found.append((hit[0], item, 0.85, match.start(1) + match.group(1).find(item)))
        for match in _PERMISSIONS_SUCH_AS.finditer(norm):  # `敏感权限例如摄像头、麦克风等`
            for item in split_items(match.group(1)):
                hit = permissions_for_item(catalog, item.strip("等 "), fuzzy=False)[0]
                if hit:
                    found.append((hit, item, 0.85, match.start(1) + match.group(1).find(item)))
        for match in _BRACKET_PERMISSION.finditer(norm):
            hit = _longest_suffix_phrase(catalog, match.group(1))
            if hit:
                found.append((hit[0], sentence.text[match.start() : match.end()], 0.9, match.start()))
        for match in _listed_matches(norm):
            for item in split_items(_OPENERS.sub("", match.group(1).strip())):
                hit = _longest_suffix_phrase(catalog, item)
                if hit:
                    at = match.start(1) + max(0, match.group(1).find(item)) + len(item) - len(hit[1])
                    found.append((hit[0], item, 0.85, at))
    for permission, confidence, token in permission_constants(catalog, sentence.text, fuzzy=False):
        if "." in token or token.isupper():
            found.append(([permission], token, min(confidence, 0.95), max(0, sentence.text.find(token))))
    item = _WHOLE_ITEM.match(sentence.line.text) if sentence.start == 0 else None
    if item:  # `4.查看 Wi-Fi 连接`: a numbered item that is a permission label and nothing else
        phrase = clean(item.group(1))
        permissions, confidence = permissions_for_item(catalog, phrase, fuzzy=False)
        if permissions:
            found.append((permissions, phrase, 0.85 * confidence, 0))
    bold = _BOLD_HEAD.match(sentence.line.raw) if sentence.start == 0 else None
    if bold:  # `1. **读取电话状态** 在…`: a permission list item named in bold
        phrase = clean(bold.group(1))
        permissions, confidence = permissions_for_item(catalog, phrase, fuzzy=False)
        if permissions:
            found.append((permissions, phrase, 0.85 * confidence, 0))
    head = _LEADING_PHRASE.match(norm)
    if head:
        phrase = _EMPHASIS.sub("", head.group(1)).strip()
        permissions, confidence = permissions_for_item(catalog, phrase, fuzzy=False) if not phrase.endswith("信息") else ([], 0.0)
        if permissions:
            found.append((permissions, phrase, 0.85 * confidence, head.start(1)))
    return found


def negative_declarations(catalog: Catalog, sentences: list[Sentence], document: str | None) -> list[NegativeDeclaration]:
    """Permissions and identifiers a sentence says are NOT requested or collected."""
    out: list[NegativeDeclaration] = []
    seen: set[tuple[str | None, str | None]] = set()
    for sentence in sentences:
        norm = sentence.norm
        if not negation_cue(norm):
            continue
        items: list[tuple[str | None, str | None, str]] = []
        for permissions, phrase, _confidence, at in _sentence_permissions(catalog, sentence):
            if negated(norm, at):
                items += [(p, None, phrase) for p in permissions]
        for match in _NEGATED_LIST.finditer(norm):
            for item in split_items(match.group(3)):
                permissions, _c = permissions_for_item(catalog, item, fuzzy=False)
                items += [(p, None, item) for p in permissions]
        for hit in find_identifiers(catalog, norm, prose=False):
            if negated(norm, hit.start):
                items.append((None, hit.value, sentence.text[hit.start : hit.end]))
        for permission, identifier, phrase in items:
            if (permission, identifier) in seen:
                continue
            seen.add((permission, identifier))
            out.append(
                NegativeDeclaration(
                    permission=permission, identifier=identifier, phrase=phrase, source=_sentence_source(sentence, document)  # type: ignore[arg-type]
                )
            )
    return out


def _longest_suffix_phrase(catalog: Catalog, text: str) -> tuple[list[str], str] | None:
    for start in range(len(text) - 1):
        candidate = text[start:]
        found, _confidence = permissions_for_item(catalog, candidate, fuzzy=False)
        if found:
            return found, candidate
    return None


def _sentence_source(sentence: Sentence, document: str | None) -> Source:
    line = sentence.line
    return Source(
        text=clean(line.text[sentence.start : sentence.end]), line=line.line, offset=line.offset + sentence.start, document=document
    )


def prose_identifiers(catalog: Catalog, sentences: list[Sentence], document: str | None) -> list[DeclaredIdentifier]:
    """Identifiers the app says it collects (collection contexts only)."""
    out: list[DeclaredIdentifier] = []
    seen: set[str] = set()
    for sentence in sentences:
        if not sentence.collecting:
            continue
        for hit in find_identifiers(catalog, sentence.norm, prose=True):
            if hit.value in seen or negated(sentence.norm, hit.start):
                continue
            seen.add(hit.value)
            out.append(
                DeclaredIdentifier(
                    identifier=hit.value,  # type: ignore[arg-type]
                    phrase=sentence.text[hit.start : hit.end],
                    confidence=0.9,
                    source=_sentence_source(sentence, document),
                )
            )
    return out


def prose_personal_data(catalog: Catalog, sentences: list[Sentence], document: str | None) -> list[PersonalDataItem]:
    """Personal data the app says it collects; phrases inside an identifier (地址 of IP地址) do not count."""
    out: list[PersonalDataItem] = []
    seen: set[tuple[str, str]] = set()
    for sentence in sentences:
        if not sentence.collecting:
            continue
        starts = [(i.start, i.end) for i in find_identifiers(catalog, sentence.norm, prose=False)]
        for hit in find_personal_data(sentence.norm, prose=True):
            key = (hit.value, sentence.norm[hit.start : hit.end].lower())
            if key in seen or _inside_longer(starts, hit.start, hit.end):
                continue
            seen.add(key)
            out.append(
                PersonalDataItem(category=hit.value, phrase=sentence.text[hit.start : hit.end], source=_sentence_source(sentence, document))
            )
    return out


def _inside_longer(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether [start, end) lies inside a longer span of `spans` (sorted, non-overlapping)."""
    at = bisect_right(spans, (start, float("inf"))) - 1
    return at >= 0 and spans[at][0] <= start and end <= spans[at][1] and spans[at][1] - spans[at][0] > end - start


def data_table_facts(catalog: Catalog, records: list[Record]) -> tuple[list[DeclaredIdentifier], list[PersonalDataItem]]:
    """Identifiers and personal data from first-party data tables (收集信息 | 目的 | 场景)."""
    identifiers: list[DeclaredIdentifier] = []
    data: list[PersonalDataItem] = []
    for record in records:
        purpose = record.text("purpose") or None
        for value in record.fields.get("data", []):
            for item in split_items(value.text):
                folded = fold(item)
                hits = find_personal_data(folded)
                category = hits[0].value if hits else "other"
                data.append(PersonalDataItem(category=category, phrase=item, source=record.source))
                for hit in find_identifiers(catalog, folded, prose=True):
                    identifiers.append(
                        DeclaredIdentifier(identifier=hit.value, phrase=item[hit.start : hit.end], purpose=purpose, source=record.source)  # type: ignore[arg-type]
                    )
    return identifiers, data


def merge_permissions(table: list[DeclaredPermission], prose: list[DeclaredPermission]) -> list[DeclaredPermission]:
    """Every (permission, phrase) of the tables, then prose permissions not declared there yet."""
    seen_pairs: set[tuple[str, str]] = set()
    out = []
    for item in table:
        if (item.permission, item.phrase) not in seen_pairs:
            seen_pairs.add((item.permission, item.phrase))
            out.append(item)
    known = {item.permission for item in out}
    for item in prose:
        if item.permission not in known:
            known.add(item.permission)
            out.append(item)
    return out


def dedupe_identifiers(items: list[DeclaredIdentifier]) -> list[DeclaredIdentifier]:
    """The first mention of each identifier."""
    return unique_by(items, lambda item: item.identifier)


def dedupe_personal_data(items: list[PersonalDataItem]) -> list[PersonalDataItem]:
    """The first mention of each (category, phrase)."""
    return unique_by(items, lambda item: (item.category, fold(item.phrase).lower()))
