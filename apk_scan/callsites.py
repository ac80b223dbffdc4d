"""Identifier-reading call sites in one DEX, attributed to the SDK owning the calling class."""

from dataclasses import dataclass

from apk_scan.dex.reader import DexFile
from apk_scan.dex.xrefs import find_refs
from apk_scan.owners import Owners
from candor.model.static import CallSite


@dataclass(frozen=True)
class ApiTarget:
    """One catalog API resolved in a DEX."""

    api: str
    identifiers: tuple[tuple[str, str | None], ...]  # (identifier id, required const-string arg)


def descriptor_of(dotted_class: str) -> str:
    return "L" + dotted_class.replace(".", "/") + ";"


def dotted_of(descriptor: str) -> str:
    """`Lcom/a/B$C;` -> `com.a.B$C`."""
    if descriptor.startswith("L") and descriptor.endswith(";"):
        descriptor = descriptor[1:-1]
    return descriptor.replace("/", ".")


def resolve_targets(dex: DexFile, apis: dict[str, list[tuple[str, str | None]]]) -> tuple[dict[int, ApiTarget], dict[int, ApiTarget]]:
    """(method id -> target, field id -> target) for catalog APIs referenced by this DEX."""
    methods: dict[int, ApiTarget] = {}
    fields: dict[int, ApiTarget] = {}
    for api, identifiers in apis.items():
        cls, _, member = api.rpartition(".")
        if not cls:
            continue
        type_idx = dex.find_type(descriptor_of(cls))
        if type_idx is None:
            continue
        name_idx = dex.find_string(member)
        if name_idx is None:
            continue
        target = ApiTarget(api, tuple(identifiers))
        for idx in dex.find_members(dex.methods, type_idx, name_idx).tolist():
            methods[idx] = target
        for idx in dex.find_members(dex.fields, type_idx, name_idx).tolist():
            fields[idx] = target
    return methods, fields


def find_call_sites(dex: DexFile, apis: dict[str, list[tuple[str, str | None]]], owners: Owners, location: str) -> list[CallSite]:
    """Every (caller method, API, identifier) in this DEX; string-argument APIs need the const-string in the caller."""
    method_targets, field_targets = resolve_targets(dex, apis)
    if not method_targets and not field_targets:
        return []
    arg_ids: dict[str, int | None] = {}
    sites: dict[tuple[str, str, str, str], CallSite] = {}
    with_strings = frozenset(i for i, t in method_targets.items() if any(arg for _, arg in t.identifiers))
    for refs in find_refs(dex, set(method_targets), set(field_targets), with_strings):
        caller_desc, caller_method = dex.method_name(refs.method_idx)
        caller = dotted_of(caller_desc)
        sdk_id, name = owners.owner_of_class(caller)
        targets = [method_targets[i] for i in refs.methods] + [field_targets[i] for i in refs.fields]
        for target in targets:
            for identifier, arg in target.identifiers:
                if arg is not None:
                    if arg not in arg_ids:
                        arg_ids[arg] = dex.find_string(arg)
                    if arg_ids[arg] is None or arg_ids[arg] not in refs.strings:
                        continue
                key = (identifier, target.api, caller, caller_method)
                if key not in sites:
                    sites[key] = CallSite(identifier=identifier, api=target.api, caller_class=caller, caller_method=caller_method,
                                          sdk_id=sdk_id, name=name, dex=location)  # fmt: skip
    return list(sites.values())
