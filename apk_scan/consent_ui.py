"""Does the APK contain any privacy-consent UI at all?

Looked for in the string resources (resources.arsc), compiled layouts (res/layout*), bundled HTML/text
assets and code string constants. Consent UI means a privacy-document name (隐私政策, 用户协议…) together
with a choice (同意 / 不同意 / 拒绝 as a button-sized label, or inside the same text); in English the
privacy word and the choice must share one string ("By tapping Agree you accept our Privacy Policy"),
because "Privacy Policy" and "Accept" alone are everywhere in SDK resources.
"""

import re
from dataclasses import dataclass, field

import numpy as np

from apk_scan.string_pool import StringPool

DOCUMENT_TERMS = (
    "隐私政策", "隐私协议", "隐私权政策", "隐私保护指引", "隐私保护政策", "隐私条款", "隐私声明", "个人信息保护", "用户协议", "服务协议",
    "隱私政策", "隱私權政策",
)  # fmt: skip
CHOICE_TERMS = ("同意", "拒绝", "拒絕")
DOCUMENT_SEEDS = ("隐私", "隱私", "用户协议", "服务协议", "个人信息保护")  # every DOCUMENT_TERMS entry contains one
BUTTON_MAX = 8  # a choice label such as 同意并继续 / 不同意并退出 / 暂不同意
SEPARATORS = re.compile(r"[\"'<>\s;,，。；:：=(){}\[\]（）]+")  # what surrounds a label in markup, scripts and code
ENGLISH = re.compile(r"privacy", re.IGNORECASE)
ENGLISH_CHOICE = re.compile(r"\b(agree|accept|consent)\b", re.IGNORECASE)
ENGLISH_SEED = ("rivacy", "RIVACY")
MAX_EVIDENCE = 6
MAX_ASSET = 2 * 1024 * 1024
MAX_SEED_HITS = 20  # texts taken around one seed in one source
BLOCK = 1 << 20  # bytes compared at a time when looking for seeds


@dataclass
class ConsentUiFinder:
    """Collects candidate strings from every source, then decides."""

    documents: list[tuple[str, str]] = field(default_factory=list)  # (where, text)
    choices: list[tuple[str, str]] = field(default_factory=list)
    english: list[tuple[str, str]] = field(default_factory=list)
    pending: list[tuple[str, bytes]] = field(default_factory=list)  # raw bytes searched only when needed

    def add_texts(self, where: str, texts: list[str]) -> None:
        for text in texts:
            if any(term in text for term in DOCUMENT_TERMS):
                self.documents.append((where, text))
            label = next((part for part in SEPARATORS.split(text) if any(t in part for t in CHOICE_TERMS)), None)
            if label is not None and len(label) <= BUTTON_MAX:
                self.choices.append((where, label))
            if ENGLISH.search(text) and ENGLISH_CHOICE.search(text):
                self.english.append((where, text))

    def add_pool(self, where: str, pool: StringPool) -> None:
        self.add_texts(where, pool.containing(DOCUMENT_TERMS + CHOICE_TERMS + ENGLISH_SEED))

    def add_bytes(self, where: str, data: bytes) -> None:
        """Raw UTF-8 bytes (DEX string data, HTML/text assets), searched only if the other sources do not decide."""
        self.pending.append((where, data))

    def _search_bytes(self, seeds: tuple[str, ...]) -> None:
        """The text around each hit of `seeds` in the pending bytes (at most 20 hits per seed and source)."""
        needles = [seed.encode("utf-8") for seed in seeds]
        for where, data in self.pending:
            for hits in seed_hits(data, needles, MAX_SEED_HITS):
                for pos in hits:
                    nul = data.rfind(b"\x00", max(0, pos - 300), pos)
                    start = max(nul, data.rfind(b"\n", max(0, pos - 300), pos)) + 1
                    if start == nul + 1 and nul >= 0:  # a DEX string: skip its ULEB128 length prefix
                        while start < pos and data[start] & 0x80:
                            start += 1
                        start += 1 if start < pos else 0
                    stop = [p for p in (data.find(b"\x00", pos, pos + 300), data.find(b"\n", pos, pos + 300)) if p >= 0]
                    text = data[start : min(stop) if stop else pos + 60].decode("utf-8", errors="ignore")
                    self.add_texts(where, [text.strip()])

    def _chinese(self) -> bool:
        """A privacy document and a choice label; a text naming both counts too, except in code, where SDK log
        messages do that ("call init after the user agrees to the privacy policy")."""
        return bool(self.documents) and (
            bool(self.choices) or any(not where.endswith(".dex") and any(t in text for t in CHOICE_TERMS) for where, text in self.documents)
        )

    def verdict(self) -> tuple[bool, list[str]]:
        """(consent UI present, evidence lines `where: text`); code and asset bytes are searched last, and for
        choices only once a privacy document was found (most DEX files hold neither)."""
        if not self._chinese() and self.pending:
            self._search_bytes(DOCUMENT_SEEDS)
            if self.documents and not self._chinese():
                self._search_bytes(CHOICE_TERMS)
        self.pending.clear()
        if self._chinese():
            picked = self.documents[:3] + self.choices[:3]
        elif self.english:
            picked = self.english[:MAX_EVIDENCE]
        else:
            return False, []
        return True, list(dict.fromkeys(f"{where}: {_short(text)}" for where, text in picked))[:MAX_EVIDENCE]


def seed_hits(data: bytes, needles: list[bytes], limit: int) -> list[list[int]]:
    """For each needle, the first `limit` offsets that stepping with `bytes.find` past each hit yields: candidates are the
    bytes in the range of the needles' first bytes (CJK lead bytes: rare in code), found in one numpy pass, then checked
    byte by byte."""
    raw = np.frombuffer(data, np.uint8)
    firsts = [needle[0] for needle in needles if needle]
    low, span = min(firsts, default=0), max(firsts, default=0) - min(firsts, default=0)
    near = np.concatenate([np.flatnonzero(np.subtract(raw[at : at + BLOCK], low, dtype=np.uint8) <= span) + at
                           for at in range(0, raw.size, BLOCK)] or [np.zeros(0, np.intp)])  # fmt: skip  # blocks: little memory
    found: list[list[int]] = []
    for needle in needles:
        hits: list[int] = []
        found.append(hits)
        if not needle or len(needle) > raw.size:
            continue
        candidates = near[raw[near] == needle[0]]
        candidates = candidates[candidates <= raw.size - len(needle)]
        for k in range(1, len(needle)):
            candidates = candidates[raw[candidates + k] == needle[k]]
        after = 0
        for pos in candidates.tolist():
            if pos >= after:
                hits.append(pos)
                after = pos + len(needle)
                if len(hits) == limit:
                    break
    return found


def _short(text: str, size: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


def is_ui_entry(name: str) -> bool:
    """Zip entries worth searching besides resources.arsc and DEX: compiled layouts, HTML/text/script assets."""
    lowered = name.lower()
    return (lowered.startswith("res/layout") and lowered.endswith(".xml")) or (
        lowered.startswith("assets/") and lowered.endswith((".html", ".htm", ".txt", ".js", ".bundle", ".json"))
    )  # web views, React Native bundles, uni-app / Cordova pages


def add_entry(finder: ConsentUiFinder, name: str, data: bytes) -> None:
    """Search one zip entry (layout XML: its string pool; assets: raw text)."""
    if name.lower().endswith(".xml"):
        pool_offset = 8  # ResXMLTree_header, then the string pool chunk
        finder.add_pool(name, StringPool(data, pool_offset))
    else:
        finder.add_bytes(name, data[:MAX_ASSET])
