"""Put it together: read the document, recognise tables and lists, extract, assemble a DeclaredTable."""

import hashlib
import sys
from pathlib import Path

from candor.catalog.catalog import Catalog
from candor.catalog.session import current_catalog
from candor.errors import InputError
from candor.inputs import read_bytes
from candor.model.declared import DeclaredTable
from declared import firstparty, markup, reading
from declared.doc import Document, Line
from declared.kvblocks import find_kv_blocks
from declared.lists import find_list_items
from declared.mentions import find_links, find_mentions, find_parties, find_sdk_word_mentions
from declared.prose import sentences
from declared.runon import split_run_on
from declared.sdks import build_sdks, looks_like_sdk, resolve
from declared.sections import silence_warning, summarize
from declared.sourcecode import SOURCE_SUFFIXES, source_lines
from declared.tables import find_tables
from declared.terms import find_identifiers, find_personal_data, permission_constants, permissions_for_item
from declared.textnorm import fold


def extract_policy(path: Path) -> DeclaredTable:
    """The declared tables of a policy file (text, HTML, Markdown, PDF or DOCX; format from content)."""
    name = str(path)
    data = read_bytes(path, reading.MAX_BYTES, "privacy policy")  # regular files only: never a FIFO or /dev/zero
    document = read_document(data, name)
    return assemble(document)


def extract_text(text: str, document: str | None = None) -> DeclaredTable:
    """The declared tables of policy text already in memory (format detected from the content)."""
    data = text.encode("utf-8")
    fmt = reading.detect_format(data)
    reading.check_size(text, fmt, document or "text")
    lines = _lines_for(fmt if fmt in ("html", "markdown") else "text", text)
    reading.check_policy_text(text, document or "text")
    doc = Document(lines=lines, format=fmt, name=document, sha256=hashlib.sha256(data).hexdigest())
    return assemble(doc)


def read_document(data: bytes, name: str) -> Document:
    """Bytes to a Document: refuse non-policies, detect the format, decode, split into lines."""
    if not data.strip():
        raise InputError(f"{name}: empty document")
    binary = reading.sniff_binary(data)
    if binary:
        raise InputError(f"{name}: this is {binary}, not a privacy policy")
    fmt = reading.detect_format(data)
    if fmt in ("text", "html", "markdown") and Path(name).suffix.lower() in SOURCE_SUFFIXES:
        fmt = "source"  # a policy kept in app source: template text and string literals
    notes: list[str] = []
    if fmt == "source":
        text = reading.decode(data, name)
        reading.check_size(text, "text", name)
        lines = source_lines(text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff"))
    elif fmt == "pdf":
        text = markup.pdf_text(data, name, notes)
        lines = markup.text_lines(text)
    elif fmt == "docx":
        lines = markup.docx_lines(data, name, notes)
        text = "\n".join(line.text for line in lines)
    else:
        text = reading.decode(data, name)
        reading.check_size(text, fmt, name)
        try:
            lines = _lines_for(fmt, text)
        except RecursionError:  # e.g. 100,000 nested <div>s
            raise InputError(f"{name}: markup nested too deeply to read") from None
    reading.check_policy_text("\n".join(line.text for line in lines), name)
    return Document(lines=lines, format=fmt, name=name, sha256=hashlib.sha256(data).hexdigest(), warnings=notes)


def _lines_for(fmt: str, text: str) -> list[Line]:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if fmt == "html":
        return markup.html_lines(text)
    if fmt == "markdown":
        return markup.markdown_lines(text)
    return markup.text_lines(text)


def assemble(document: Document, catalog: Catalog | None = None) -> DeclaredTable:
    """Run every recogniser and extractor over a Document."""
    catalog = catalog or current_catalog()
    name = document.name
    lines = split_run_on(document.lines)
    warnings = list(document.warnings)

    memo: dict[tuple[str, str], bool] = {}

    def is_key(kind: str, text: str) -> bool:
        if (kind, text) not in memo:
            memo[kind, text] = _is_key(kind, text)
        return memo[kind, text]

    def _is_key(kind: str, text: str) -> bool:
        if kind == "permission":
            return bool(permissions_for_item(catalog, text)[0] or permission_constants(catalog, text))
        if kind == "sdk":
            return looks_like_sdk(catalog, text, fuzzy=False)
        if kind == "identifier":
            return bool(find_identifiers(catalog, fold(text), prose=False))
        if kind == "data":
            folded = fold(text)
            return bool(find_identifiers(catalog, folded, prose=False) or find_personal_data(folded))
        return False

    records = find_tables(lines, is_key, name)
    used = {k for r in records for k in r.lines}
    records += find_kv_blocks(lines, used, name)
    records += find_list_items(lines, used, lambda text: looks_like_sdk(catalog, text), name)
    used |= {k for r in records for k in r.lines}

    records.sort(key=lambda r: (r.source.line or 0, r.source.offset or 0))
    sdk_records = [r for r in records if r.table == "sdk"]
    sdks = build_sdks(catalog, sdk_records, warnings)
    table_perms = firstparty.table_permissions(catalog, [r for r in records if r.table == "permission"], warnings)

    prose = list(sentences(lines, used))
    links = find_links(prose, name)
    sdks += find_mentions(catalog, prose, {s.sdk_id for s in sdks if s.sdk_id}, name)
    row_ids = {s.sdk_id for s in sdks if s.sdk_id and s.kind != "mention"}
    sdks += find_sdk_word_mentions(catalog, prose, [s.name for s in sdks], name, row_ids)
    sdks += find_parties(catalog, prose, {s.sdk_id for s in sdks if s.sdk_id}, name)
    permissions = firstparty.merge_permissions(table_perms, firstparty.prose_permissions(catalog, prose, name, implied=not table_perms))
    table_ids, table_data = firstparty.data_table_facts(catalog, [r for r in records if r.table == "data"])
    not_declared = firstparty.negative_declarations(catalog, prose, name)
    identifiers = firstparty.dedupe_identifiers(table_ids + firstparty.prose_identifiers(catalog, prose, name))
    personal = firstparty.dedupe_personal_data(table_data + firstparty.prose_personal_data(catalog, prose, name))
    table = DeclaredTable(
        document=name,
        sha256=document.sha256,
        language=_language(lines),
        sdks=sdks,
        permissions=permissions,
        identifiers=identifiers,
        personal_data=personal,
        links=links,
        not_declared=not_declared,
        warnings=warnings,
    )
    table.sections = summarize(lines, table, name)
    silent = silence_warning(table, table.sections)
    if silent:
        table.warnings.append(silent)
        print(f"candor: warning: {silent}", file=sys.stderr)
    return table


def _language(lines: list[Line]) -> str:
    cjk = changed = latin = 0
    for line in lines[:3000]:
        for original, folded in zip(line.text, line.norm, strict=False):
            if "\u4e00" <= original <= "\u9fff":
                cjk += 1
                changed += original != folded
            elif original.isascii() and original.isalpha():
                latin += 1
    if cjk == 0:
        return "en"
    script = "zh-Hant" if changed > cjk * 0.03 else "zh"
    return script if cjk * 2 >= latin else f"{script}+en"


__all__ = ["assemble", "extract_policy", "extract_text", "read_document", "resolve"]
