"""Turn bytes into text: refuse what is not a policy, detect the format from content, decode."""

import codecs
import re

from candor.errors import InputError

MAX_BYTES = 20 * 1024 * 1024
MAX_CHARS = 1_000_000  # the longest real policies are around a hundred thousand characters
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"RIFF", "a RIFF media file"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-zip archive"),
    (b"dex\n", "an Android DEX file"),
    (b"\xca\xfe\xba\xbe", "a Java class file"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML_TAG = re.compile(rb"<(!doctype html|html|head|body|meta|p|div|table|span|section|article)[\s>/]", re.IGNORECASE)
_MARKDOWN = re.compile(r"^(#{1,6}\s|\|[\s:-]*-{3,}|\*\*[^*]+\*\*\s*$|[-*+]\s+\S|>\s)|\]\(https?://|<table", re.MULTILINE)
_POLICY_WORDS = re.compile(
    r"隐私|隱私|个人信息|個人信息|個人資料|政策|权限|權限|收集|信息|SDK|privacy|personal|policy|data|permission|cookie",
    re.IGNORECASE,
)


def sniff_binary(data: bytes) -> str | None:
    """What kind of non-policy file the bytes are, or None when they may be a policy."""
    if data.startswith(b"PK\x03\x04"):
        return None if b"word/document.xml" in data[:65536] or b"word/" in data else "a ZIP archive (not a DOCX)"
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return None


def detect_format(data: bytes) -> str:
    """pdf, docx, html, markdown or text, judged from the content."""
    head = data[:4096]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    text_head = _decode_head(head)
    stripped = text_head.lstrip()
    if stripped.startswith("<") and _HTML_TAG.search(text_head.encode("utf-8", "ignore")):
        return "html"
    if _MARKDOWN.search(_decode_head(data[:65536])):
        return "markdown"
    if _HTML_TAG.search(head) and head.count(b"<") > 10:
        return "html"
    return "text"


def _decode_head(head: bytes) -> str:
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return head.decode(codec, errors="ignore")
    return head.decode("utf-8", errors="ignore")


def decode(data: bytes, name: str) -> str:
    """Text from bytes: BOM first, then UTF-8, then the best of GB18030 / Big5 / UTF-16."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec), name)
            except UnicodeDecodeError:
                raise InputError(f"{name}: damaged {codec.upper()} text") from None
    if b"\x00" in data[:8192]:
        for codec in ("utf-16-le", "utf-16-be"):
            try:
                return _checked(data.decode(codec), name)
            except (UnicodeDecodeError, InputError):
                continue
        raise InputError(f"{name}: binary data, not a privacy policy")
    try:
        return _checked(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    return _checked(_decode_cjk(data, name), name)


def _decode_cjk(data: bytes, name: str) -> str:
    candidates: list[tuple[float, str]] = []
    for codec in ("gb18030", "big5"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text, codec), text))
    if not candidates:
        raise InputError(f"{name}: unreadable text (not UTF-8, GB18030/GBK, Big5 or UTF-16)")
    return max(candidates, key=lambda c: c[0])[1]


def _plausibility(text: str, codec: str) -> float:
    """How much the decoded text looks like real Chinese: common characters, few rare ones."""
    sample = text[:20000]
    common = sum(1 for ch in sample if ch in _COMMON)
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff") or 1
    return common / cjk + (0.01 if codec == "gb18030" else 0.0)


# Frequent characters of privacy policies, in both scripts.
_COMMON = frozenset(
    "的一是在不了有和人这中大为上个我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所"
    "民得经之进着等部度家电力里如化高自理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政那社义事平"
    "形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系很情者最立代想已通并提直"
    "题程展果料象员革位入常文总次品式活设及管特件长求头基资边流路级少图统接知较将组见计别手角期根论运农指几区强放决被干做必"
    "战先回则任取据处给色光门即保治北造百规热领海口东导器压志世金增争济阶思术极交受联什认共权收证改清己美再采转更单风切打白"
    "教速花带安场身车例真务具万每目至达走积示议声报斗完类离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林"
    "律叫且究观越织装影算低持音众书布复容须际商非验连断深难近千周委素技备半办青省列习响约支般史感劳便团往历市克何除消构府称"
    "太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁"
    "價嚴這對們來個說為會時國發動過後麼當點從業還與關開間樣數現實體機經進將應種無問題義務權條處於隱資訊們護"
)


def _checked(text: str, name: str) -> str:
    """Refuse text that is mostly control characters or has nothing a policy would say."""
    sample = text[:200000]
    if not sample.strip():
        raise InputError(f"{name}: empty document")
    controls = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n\f\v") or 0xE000 <= ord(ch) <= 0xF8FF or ch == "\ufffd")
    if controls > max(8, len(sample) // 50):
        raise InputError(f"{name}: binary data, not a privacy policy")
    return text


def check_size(text: str, fmt: str, name: str) -> None:
    """Refuse text far longer than any policy before the expensive work (markup may triple it)."""
    limit = MAX_CHARS * (3 if fmt == "html" else 1)
    if len(text) > limit:
        raise InputError(f"{name}: {len(text):,} characters is too long for a privacy policy (limit {limit:,})")


def check_policy_text(text: str, name: str) -> None:
    """A last check once markup is gone: there must be readable words a policy would use."""
    if not text.strip():
        raise InputError(f"{name}: no readable text")
    if len(text) > MAX_CHARS:
        raise InputError(f"{name}: {len(text):,} characters is too long for a privacy policy (limit {MAX_CHARS:,})")
    if not _POLICY_WORDS.search(text[:500000]):
        raise InputError(f"{name}: does not look like a privacy policy (no policy vocabulary found)")
