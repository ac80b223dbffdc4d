"""Statements of what is NOT collected or requested: `本应用不申请定位、通讯录…权限`, `我们不会收集您的IMEI`.

A term in such a clause is never a declaration; it becomes a negative declaration instead (a later release that
uses it contradicts the policy).
"""

import re

# A negation cue in front of a collection / request verb, or a bare "no need for / does not involve".
_CUE = re.compile(
    r"(不会|不|未|从不|绝不|无需|无须|并不|并未|没有|均不|也不|亦不)\s*(主动|会|再|对外)?\s*"
    r"(收集|申请|获取|采集|读取|调用|使用|请求|索取|访问|开启|共享|上传|记录|存储|保存|涉及|包括|包含|需要)"
)
# A turn after the cue ends its reach: `不会收集X，但会收集Y` / `除非…`.
_TURN = re.compile(r"但|但是|然而|而是|除非|只有|仅在|如果|若|否则|同时|另外|此外")
# `不…以外的` / `不会超出…范围`: a limitation, not a negation of the listed items.
_LIMIT = re.compile(r"以外|之外的|超出|超过|无关|范围外|除此")


def negated(text: str, start: int) -> bool:
    """Whether the term at `start` of the (folded) sentence `text` lies in the reach of a negation cue."""
    head = text[:start]
    cue = next(reversed(list(_CUE.finditer(head))), None)
    if cue is None:
        return False
    between = head[cue.end() :]
    if _TURN.search(between) or re.search(r"[。；;!！?？]", between):
        return False
    return not _LIMIT.search(text[cue.start() : start + 12])


def negation_cue(text: str) -> bool:
    """Whether the sentence holds a negation cue at all (cheap pre-check)."""
    return _CUE.search(text) is not None
