"""Prose that names SDKs (`使用微信、QQ、微博账号登录`) and links to other companies' websites (not SDKs)."""

import re

from candor.catalog.catalog import Catalog
from candor.model.common import Source
from candor.model.declared import DeclaredLink, DeclaredSdk
from declared.lexicon import lexicon, words
from declared.prose import Sentence
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
