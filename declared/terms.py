"""Phrase spotting in text: identifiers, personal data, permission phrases and constants."""

import re
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from candor.catalog.catalog import Catalog
from candor.normalize import edit_distance, normalize_name
from declared.lexicon import lexicon, personal_data_phrases, words
from declared.nearby import NearIndex
from declared.textnorm import fold

_SPACE = re.compile(r"[\s\u00a0\u3000]+")
_LATIN = re.compile(r"[a-z0-9]")
_CONSTANT = re.compile(r"(?<![A-Za-z_])(?:android\.permission\.)?([A-Za-z][A-Za-z_]{3,}_[A-Za-z_]{2,})(?![A-Za-z_])")
ITEM_SPLIT = re.compile(r"[、,，;；/\n|]+|(?<=[\u4e00-\u9fff])和(?=[\u4e00-\u9fff])|以及|及(?=[\u4e00-\u9fff])")


@dataclass(frozen=True)
class Hit:
    """A phrase found in a text: [start, end) in the text, the value it stands for, the key matched."""

    start: int
    end: int
    value: str
    key: str


class PhraseMatcher:
    """Longest, non-overlapping phrase matches; Latin phrases only on word boundaries; spaces ignored."""

    def __init__(self, phrases: dict[str, str]) -> None:
        self._automaton = ahocorasick.Automaton()
        for phrase, value in phrases.items():
            key = _SPACE.sub("", phrase.lower())
            if key:
                self._automaton.add_word(key, (key, value))
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Matches in `text` (already folded), positions in `text`."""
        if self._empty or not text:
            return []
        index = [i for i, ch in enumerate(text) if not ch.isspace() and ch not in "\u00a0\u3000"]
        compact = "".join(text[i] for i in index).lower()
        hits: list[tuple[int, int, str, str]] = []
        for end, (key, value) in self._automaton.iter(compact):
            start = end - len(key) + 1
            if _LATIN.match(key[0]) and start > 0 and _LATIN.match(compact[start - 1]):
                continue
            if _LATIN.match(key[-1]) and end + 1 < len(compact) and _LATIN.match(compact[end + 1]):
                continue
            hits.append((start, end + 1, value, key))
        out: list[Hit] = []
        taken = bytearray(len(compact))  # characters of `compact` already covered by a longer phrase
        for start, end, value, key in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0])):
            if any(taken[start:end]):
                continue
            taken[start:end] = b"\x01" * (end - start)
            out.append(Hit(index[start], index[end - 1] + 1, value, key))
        return sorted(out, key=lambda h: h.start)


def _cached(catalog: Catalog, name: str, factory):  # type: ignore[no-untyped-def]
    """A value computed once per catalog object (catalogs are not hashable)."""
    key = f"_declared_{name}"
    value = catalog.__dict__.get(key)
    if value is None:
        value = factory()
        catalog.__dict__[key] = value
    return value


def identifier_matcher(catalog: Catalog) -> PhraseMatcher:
    return _cached(catalog, "identifier_matcher", lambda: _identifier_matcher(catalog))


def _identifier_matcher(catalog: Catalog) -> PhraseMatcher:
    phrases: dict[str, str] = {}
    for entry in catalog.identifiers.values():
        for term in [entry.name.en, *([entry.name.zh] if entry.name.zh else []), *entry.terms]:
            phrases.setdefault(fold(term).lower(), entry.id)
    return PhraseMatcher(phrases)


@lru_cache(maxsize=1)
def personal_data_matcher() -> PhraseMatcher:
    return PhraseMatcher(personal_data_phrases())


def find_identifiers(catalog: Catalog, text: str, prose: bool) -> list[Hit]:
    """Identifier mentions in folded `text`; in prose, vague terms and negative contexts are skipped."""
    hits = identifier_matcher(catalog).find(text)
    if not prose:
        return hits
    vague = set(words("vague_identifier_terms"))
    negatives = {k: [fold(w).lower() for w in v] for k, v in lexicon().get("identifier_negative_context", {}).items()}
    out = []
    lowered = text.lower()
    for hit in hits:
        if hit.key in vague:
            continue
        window = lowered[max(0, hit.start - 4) : hit.end + 8]
        if any(w in window for w in negatives.get(hit.value, [])):
            continue
        out.append(hit)
    return out


def find_personal_data(text: str, prose: bool = False) -> list[Hit]:
    """Personal-data phrases in folded `text`; in prose, phrases in a negative context are skipped."""
    hits = personal_data_matcher().find(text)
    if not prose:
        return hits
    negatives = {k: [fold(w).lower() for w in v] for k, v in lexicon().get("personal_data_negative_context", {}).items()}
    lowered = text.lower()
    return [h for h in hits if not any(w in lowered[max(0, h.start - 6) : h.end + 8] for w in negatives.get(h.value, []))]


_FULL_NAME = re.compile(r"\b((?:android|com\.[a-z0-9_.]+)\.permission\.[A-Za-z_]+)\b")


def permission_constants(catalog: Catalog, text: str, fuzzy: bool = True) -> list[tuple[str, float, str]]:
    """(full permission, confidence, token) for permission constants written in the text (OCR-tolerant unless not `fuzzy`)."""
    out = [(m.group(1), 1.0, m.group(1)) for m in _FULL_NAME.finditer(text) if m.group(1) in catalog.permissions]
    for match in _CONSTANT.finditer(text):
        token = match.group(1)
        full = "android.permission." + token.upper()
        if not fuzzy or full in catalog.permissions:
            if full in catalog.permissions and all(full != o[0] for o in out):
                out.append((full, 1.0 if token.isupper() else 0.98, token))
            continue
        if not _constant_near(catalog).candidates(token.upper(), 2):
            continue  # nothing within two edits: skip the slow matcher
        resolved = catalog.resolve_permission(token)
        if resolved and resolved[1] >= 0.85 and all(resolved[0] != o[0] for o in out):
            out.append((resolved[0], resolved[1], token))
    return out


def _constant_near(catalog: Catalog) -> NearIndex:
    return _cached(catalog, "constant_near", lambda: NearIndex([p.rsplit(".", 1)[-1] for p in catalog.permissions]))


def _phrase_near(catalog: Catalog) -> NearIndex:
    return _cached(catalog, "phrase_near", lambda: NearIndex(list(catalog.phrase_index)))


_ITEM_NOISE = re.compile(r"^(获取|读取|使用|申请|调用|访问|手机|设备)?|(权限|功能|信息)?$")


def permissions_for_item(catalog: Catalog, item: str, fuzzy: bool = True) -> tuple[list[str], float]:
    """Permissions a short phrase such as 读写手机存储 / 获取手机状态 stands for, and how sure."""
    key = normalize_name(item)
    if not key:
        return [], 0.0
    direct = catalog.phrase_index.get(key)
    if direct:
        return list(direct), 1.0
    bare = re.sub(r"\(.*?\)|（.*?）", "", item)
    for variant in (bare, re.sub(r"权限$", "", bare)):
        hit = catalog.phrase_index.get(normalize_name(variant))
        if hit:
            return list(hit), 0.95
    if not fuzzy or len(key) < 5:
        return [], 0.0
    limit = 2 if len(key) >= 8 else 1
    best: tuple[int, int, str] | None = None
    for candidate in _phrase_near(catalog).candidates(key, limit):
        distance = edit_distance(key, candidate, limit)
        if distance > limit:
            continue
        score = (distance, 0 if _is_subsequence(key, candidate) else 1, candidate)
        if best is None or score < best:
            best = score
    if best is None:
        return [], 0.0
    return list(catalog.phrase_index[best[2]]), round(1 - best[0] / len(key), 3)


def _is_subsequence(short: str, long: str) -> bool:
    """`读外部存储` in `读取外部存储`: a word was left out, nothing was changed."""
    remaining = iter(long)
    return all(ch in remaining for ch in short)


def split_items(text: str) -> list[str]:
    """List items of a cell such as `IMEI、MAC地址、IP地址` (brackets kept with their item)."""
    items: list[str] = []
    depth = 0
    current = ""
    for ch in text:
        if ch in "(（〔[【":
            depth += 1
        elif ch in ")）〕]】":
            depth = max(0, depth - 1)
        if depth == 0 and ITEM_SPLIT.fullmatch(ch):
            if current.strip():
                items.append(current.strip())
            current = ""
            continue
        current += ch
    if current.strip():
        items.append(current.strip())
    return [_drop_key(item) for item in items]


def _drop_key(item: str) -> str:
    """`收集的具体信息:访问网络状态` -> `访问网络状态`."""
    match = re.match(r"^[^:：]{1,12}[:：;；]\s*(.+)$", item)
    return match.group(1).strip() if match else item


_BRACKETED = re.compile(r"[(（〔\[【](.*?)[)）〕\]】]")


def expand_items(item: str) -> list[str]:
    """An item and, when it has brackets, its outer part and the items inside: `音视频(录音、摄像头)`."""
    inner = _BRACKETED.findall(item)
    if not inner:
        return [item]
    outer = _BRACKETED.sub("", item).strip()
    out = [item, *([outer] if outer else [])]
    for chunk in inner:
        out.extend(split_items(chunk))
    return out
