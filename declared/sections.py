"""Which sections a policy has (SDK list, permission list, personal data, contact channel, update date), for the
report's completeness checks, and whether the document reads as a privacy policy at all."""

import re

from candor.model.common import Source
from candor.model.declared import DeclaredTable, PolicySection, PolicySections
from declared.doc import Line

_POLICY_TITLE = re.compile(r"隐私政策|隐私权政策|隐私协议|隐私声明|隐私保护指引|个人信息保护政策|个人信息保护指引|privacy\s*policy", re.I)
_POLICY_WORDS = re.compile(r"个人信息|收集|第三方|SDK|权限|共享|我们|您", re.I)
_SDK_HEADING = re.compile(r"第三方\s*SDK|SDK\s*(目录|列表|清单|说明)|第三方(信息)?共享清单|合作方(目录|清单|列表)|接入的第三方", re.I)
_PERMISSION_HEADING = re.compile(
    r"(系统|设备|应用|敏感)?权限(说明|列表|清单|调用|申请|使用|目录)|申请(的)?(系统|设备)?权限|调用(的)?(系统|设备)权限"
)
_CONTACT_HEADING = re.compile(r"联系我们|联系方式|如何联系|投诉|contact\s*us", re.I)
# Linear on long words: a local part starts only at a word boundary and is at most 64 characters.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]+(\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(400-?\d{3}-?\d{4}|0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|\d{3,4}-\d{3,4}-\d{3,4})(?!\d)")
_CONTACT_KEY = re.compile(r"(邮箱|电子邮件|e-?mail|电话|客服|联系人|地址|在线客服|反馈)[：:]?", re.I)
_PLACEHOLDER = re.compile(
    # bracket contents hold no opening bracket, so a run of '[' or '【' is scanned once, not once per bracket
    r"\{\{[^{}]*\}\}|\$\{[^{}]*\}|【[^【】]*(填写|填入|名称|邮箱|电话|地址)[^【】]*】|[xX＊*]{3,}|_{4,}|\[[^\[\]]*(填写|邮箱|电话|名称)[^\[\]]*\]"
)
_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(\s*\d{1,2}\s*日)?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}")
_UPDATE = re.compile(r"(更新|生效|发布|修订|版本)(日期|时间)?|last\s+updated|effective", re.I)


def summarize(lines: list[Line], table: DeclaredTable, document: str | None) -> PolicySections:
    """The section summary of a document whose declarations are already extracted."""
    text_head = "\n".join(line.norm for line in lines[:400])
    policy_words = len(_POLICY_WORDS.findall(text_head))
    listed = [s for s in table.sdks if s.kind in ("table_row", "list_item")]
    is_policy = bool(_POLICY_TITLE.search(text_head)) or bool(listed) or bool(table.permissions) or policy_words >= 12
    sections = PolicySections(is_policy=is_policy)
    sections.sdk_list = _first(listed[0].source if listed else None) or _heading(lines, _SDK_HEADING, document)
    table_permissions = [p for p in table.permissions if p.purpose]
    sections.permission_list = _first(table_permissions[0].source if table_permissions else None) or _heading(
        lines, _PERMISSION_HEADING, document
    )
    data_source = next((i.source for i in [*table.identifiers, *table.personal_data]), None)
    sections.personal_data = _first(data_source) or PolicySection()
    sections.contact_channel = _contact(lines, document)
    sections.update_date = _update_date(lines, document)
    return sections


def _first(source: Source | None) -> PolicySection | None:
    return PolicySection(present=True, source=source) if source else None


def _heading(lines: list[Line], pattern: re.Pattern[str], document: str | None) -> PolicySection:
    for line in lines:
        if line.text and len(line.text) <= 40 and pattern.search(line.norm):
            return PolicySection(present=True, source=line.source(document))
    return PolicySection()


def _contact(lines: list[Line], document: str | None) -> PolicySection:
    """A real e-mail address or phone number (preferably under a contact heading); an unfilled template says so."""
    placeholder: Line | None = None
    in_contact = False
    fallback: Line | None = None
    for line in lines:
        norm = line.norm
        if not norm:
            continue
        if len(norm) <= 30 and _CONTACT_HEADING.search(norm):
            in_contact = True
        has_key = bool(_CONTACT_KEY.search(norm))
        if has_key and _PLACEHOLDER.search(line.text):
            placeholder = placeholder or line
            continue
        if _EMAIL.search(norm) or (_PHONE.search(norm) and (has_key or in_contact)):
            if in_contact or has_key:
                return PolicySection(present=True, source=line.source(document))
            fallback = fallback or line
    if fallback:
        return PolicySection(present=True, source=fallback.source(document))
    if placeholder:
        return PolicySection(present=True, placeholder=True, source=placeholder.source(document))
    return PolicySection()


def _update_date(lines: list[Line], document: str | None) -> PolicySection:
    for line in lines:
        norm = line.norm
        if norm and _UPDATE.search(norm):
            if _DATE.search(norm):
                return PolicySection(present=True, source=line.source(document))
            if _PLACEHOLDER.search(line.text):
                return PolicySection(present=True, placeholder=True, source=line.source(document))
    return PolicySection()


def silence_warning(table: DeclaredTable, sections: PolicySections) -> str | None:
    """The warning for a policy from which nothing was extracted (never silently empty)."""
    if not sections.is_policy or table.sdks or table.permissions or table.identifiers or table.personal_data:
        return None
    name = table.document or "the document"
    return (
        f"{name}: reads as a privacy policy but nothing was extracted — looked for SDK tables and lists (名称/SDK headers, "
        "numbered or bulleted SDK entries, key：value blocks), permission lists (权限 tables, android.permission constants, "
        "X权限 phrases) and identifier / personal-data phrases in collection sentences; check the layout or write declared.yaml by hand"
    )
