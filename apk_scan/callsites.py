"""Identifier-reading call sites in one DEX: who owns the caller, and whether the read is collection.

Ownership starts from the caller's package (apk_scan.owners). Classes with obfuscated names (`a.b.a`,
`w6.a`) are then given the owner of the code around them (apk_scan.renamed): the SDK all their callers
belong to, or the SDK whose fingerprints (endpoint hosts, native-library names) they hold.
Whether a read is collection follows the catalog's call-site semantics (identifiers.yaml): `SDK_INT`
never is, a launcher-wide intent query is the app list but one explicit intent is not, a host-name
lookup is not the device IP, a widget's paste handler is not clipboard collection.
"""


from typing import NamedTuple

from apk_scan.dex.reader import DexFile
from apk_scan.dex.xrefs import find_refs
from apk_scan.owners import Owner, Owners
from candor.catalog.schema import IdentifierApi
from candor.model.static import CallSite

Reads = dict[str, list[tuple[str, IdentifierApi]]]


class ApiTarget(NamedTuple):
    """One catalog API resolved in a DEX."""

    api: str
    reads: tuple[tuple[str, IdentifierApi], ...]  # (identifier id, catalog entry)


def descriptor_of(dotted_class: str) -> str:
    return "L" + dotted_class.replace(".", "/") + ";"


def dotted_of(descriptor: str) -> str:
    """`Lcom/a/B$C;` -> `com.a.B$C`."""
    if descriptor.startswith("L") and descriptor.endswith(";"):
        descriptor = descriptor[1:-1]
    return descriptor.replace("/", ".")


def resolve_members(dex: DexFile, apis: list[str]) -> tuple[dict[int, str], dict[int, str]]:
    """(method id -> api, field id -> api) for dotted `class.member` names referenced by this DEX."""
    methods: dict[int, str] = {}
    fields: dict[int, str] = {}
    for api in apis:
        cls, _, member = api.rpartition(".")
        if not cls:
            continue
        type_idx = dex.find_type(descriptor_of(cls))
        if type_idx is None:
            continue
        name_idx = dex.find_string(member)
        if name_idx is None:
            continue
        for idx in dex.find_members("methods", type_idx, name_idx).tolist():
            methods[idx] = api
        for idx in dex.find_members("fields", type_idx, name_idx).tolist():
            fields[idx] = api
    return methods, fields


def _needs_strings(reads: tuple[tuple[str, IdentifierApi], ...]) -> bool:
    return any(api.arg is not None or api.collection_if_strings for _, api in reads)


class _Strings:
    """String ids of this DEX, looked up once each."""

    def __init__(self, dex: DexFile) -> None:
        self.dex = dex
        self._ids: dict[str, int | None] = {}

    def id(self, text: str) -> int | None:
        if text not in self._ids:
            self._ids[text] = self.dex.find_string(text)
        return self._ids[text]


def is_collection(api: IdentifierApi, caller_method: str, loaded: set[int], called: set[str], strings: _Strings) -> bool:
    """The catalog's call-site semantics for one read."""
    if not api.collection or caller_method in api.not_collection_in:
        return False
    if api.collection_if_strings and not any(strings.id(s) in loaded for s in api.collection_if_strings):
        return False
    return not api.collection_if_calls or bool(called & set(api.collection_if_calls))


def find_call_sites(dex: DexFile, apis: Reads, owners: Owners, location: str) -> list[CallSite]:
    """Every (caller method, API, identifier) in this DEX; string-argument APIs need the const-string in the caller."""
    method_apis, field_apis = resolve_members(dex, list(apis))
    if not method_apis and not field_apis:
        return []
    context = sorted({c for reads in apis.values() for _, api in reads for c in api.collection_if_calls})
    context_methods, _ = resolve_members(dex, context)
    targets = {api: ApiTarget(api, tuple(apis[api])) for api in {*method_apis.values(), *field_apis.values()}}
    with_strings = frozenset(i for i, api in method_apis.items() if _needs_strings(targets[api].reads))
    strings = _Strings(dex)
    sites: dict[tuple[str, str, str, str], CallSite] = {}
    callers: dict[str, tuple[str, Owner, str | None, str]] = {}  # caller descriptor -> dotted name, owner, sdk id, label
    for refs in find_refs(dex, set(method_apis) | set(context_methods), set(field_apis), with_strings):
        hit = [targets[method_apis[i]] for i in refs.methods if i in method_apis] + [targets[field_apis[i]] for i in refs.fields]
        if not hit:
            continue
        called = {context_methods[i] for i in refs.methods if i in context_methods}
        caller_desc, caller_method = dex.method_name(refs.method_idx)
        known = callers.get(caller_desc)
        if known is None:
            caller = dotted_of(caller_desc)
            owner = owners.of_class(caller)
            known = callers[caller_desc] = (caller, owner, owner.sdk_id if owner.kind in ("sdk", "library") else None, owner.label)
        caller, owner, sdk_id, label = known
        for target in hit:
            for identifier, api in target.reads:
                if api.arg is not None and strings.id(api.arg) not in refs.strings:
                    continue
                key = (identifier, target.api, caller, caller_method)
                if key in sites:
                    continue
                sites[key] = CallSite(
                    identifier=identifier, api=target.api, caller_class=caller, caller_method=caller_method,
                    sdk_id=sdk_id, name=owner.name, owner=label,
                    collection=is_collection(api, caller_method, refs.strings, called, strings), dex=location,
                )  # fmt: skip
    return list(sites.values())
