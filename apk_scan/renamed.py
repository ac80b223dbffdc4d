"""Owners of obfuscated classes (`a.b.a`, `w6.a`) from the code around them, within one DEX.

Three signals, strongest first:
1. callers: a renamed class whose callers (followed up through other renamed classes, a few levels)
   all belong to one SDK or library belongs to it; any caller of the app's own code keeps it the app's;
2. fingerprints: a renamed class that loads an SDK's endpoint host, or the exact name of its native library, meta-data
   key or manifest component;
3. package: R8 keeps one original package per renamed package, so the unresolved classes of a renamed
   package whose resolved classes all agree get that owner.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from apk_scan.callsites import descriptor_of, dotted_of
from apk_scan.dex.reader import DexFile
from apk_scan.dex.xrefs import find_refs, find_string_users
from apk_scan.owners import APP, Owner, Owners, is_obfuscated
from candor.model.static import CallSite

MAX_DEPTH = 8
MIN_RENAMED_CLASSES = 3  # fingerprinted renamed classes that count as an SDK's own code
MIN_PACKAGE_VOTES = 2  # resolved classes a renamed package needs before its other classes follow them
PACKAGE_SHARE = 0.25  # ... and the share of the package they must be


@dataclass
class RenamedOwners:
    """Resolved renamed classes of one DEX: class -> (owner, how)."""

    owners: dict[str, tuple[Owner, str]] = field(default_factory=dict)

    def sdk_classes(self) -> dict[str, int]:
        """Renamed classes attributed to each SDK by fingerprint or package (its own code, renamed)."""
        counts: dict[str, int] = defaultdict(int)
        for owner, via in self.owners.values():
            if owner.kind == "sdk" and via in ("fingerprint", "package"):
                counts[owner.sdk_id] += 1
        return {sdk: n for sdk, n in counts.items() if n >= MIN_RENAMED_CLASSES}


def _tentative(owners: Owners, dotted: str) -> bool:
    return is_obfuscated(dotted) and owners.of_class(dotted).kind == APP


def _callers(dexes: list[DexFile], classes: set[str], owners: Owners) -> dict[str, set[str]]:
    """Renamed class -> the classes calling its methods in any of `dexes`, following renamed callers up to MAX_DEPTH levels."""
    callers: dict[str, set[str]] = defaultdict(set)
    frontier, seen = set(classes), set()
    for _ in range(MAX_DEPTH):
        seen |= frontier
        for dex in dexes:
            cls_column = dex.methods["cls"]
            types = {t: c for c in frontier if (t := dex.find_type(descriptor_of(c))) is not None}
            if not types:
                continue
            method_ids = np.flatnonzero(np.isin(cls_column, np.fromiter(types, dtype=np.int64)))
            for refs in find_refs(dex, set(method_ids.tolist()), set()):
                caller = dotted_of(dex.method_name(refs.method_idx)[0])
                for m in refs.methods:
                    callee = types[int(cls_column[m])]
                    if caller != callee:
                        callers[callee].add(caller)
        frontier = {c for group in callers.values() for c in group if c not in seen and _tentative(owners, c)}
        if not frontier:
            break
    return callers


def _by_callers(classes: set[str], callers: dict[str, set[str]], owners: Owners) -> dict[str, Owner]:
    """Owner of each renamed class from the named code that reaches it through chains of renamed callers (cycles included).

    The class belongs to an SDK or library when every named caller reached (platform code aside) has that one owner;
    a renamed class on the way with no caller found (reflection, interface dispatch, beyond MAX_DEPTH) leaves it open.
    """
    result: dict[str, Owner] = {}
    for cls in classes:
        seen, stack, named, open_end = {cls}, [cls], {}, False
        while stack and not open_end:
            ups = callers.get(stack.pop())
            if not ups:
                open_end = True
                break
            for caller in ups:
                if _tentative(owners, caller):
                    if caller not in seen:
                        seen.add(caller)
                        stack.append(caller)
                    continue
                owner = owners.of_class(caller)
                if owner.kind != "platform":
                    named[owner.label] = owner
        if not open_end and len(named) == 1:
            owner = next(iter(named.values()))
            if owner.kind in ("sdk", "library", "unknown"):
                result[cls] = owner
    return result


def _string_ids(dex: DexFile, needles: dict[str, str]) -> dict[int, str]:
    """String id -> sdk id for every DEX string containing one of the needles (needle -> sdk id)."""
    data = dex.data
    offsets = dex.strings.astype(np.int64)
    order = np.argsort(offsets)
    ordered = offsets[order]
    found: dict[int, str] = {}
    for needle, sdk_id in needles.items():
        raw = needle.encode()
        pos = data.find(raw)
        while pos >= 0:
            i = int(ordered.searchsorted(pos, side="right")) - 1
            if i >= 0:
                found[int(order[i])] = sdk_id
            pos = data.find(raw, pos + 1)
    return found


def _by_fingerprint(dex: DexFile, hosts: dict[str, str], exact: dict[str, str], owners: Owners) -> dict[str, Owner]:
    """Renamed classes loading an SDK's host string or one of its exact strings (native-library name, meta-data key)."""
    ids = _string_ids(dex, hosts) if hosts else {}
    for name, sdk_id in exact.items():
        idx = dex.find_string(name)
        if idx is not None:
            ids[idx] = sdk_id
    if not ids:
        return {}
    votes: dict[str, set[str]] = defaultdict(set)
    for refs in find_string_users(dex, set(ids)):
        caller = dotted_of(dex.method_name(refs.method_idx)[0])
        if _tentative(owners, caller):
            votes[caller] |= {ids[i] for i in refs.loaded}
    result = {}
    for cls, sdks in votes.items():
        if len(sdks) == 1:
            sdk = owners.catalog.sdks[next(iter(sdks))]
            result[cls] = Owner(sdk.role, sdk.id, sdk.name.en, None)
    return result


def _by_package(defined: list[str], resolved: dict[str, tuple[Owner, str]], owners: Owners) -> dict[str, Owner]:
    """Unresolved renamed classes of a package whose resolved classes all have one owner, when those are at least
    MIN_PACKAGE_VOTES classes and PACKAGE_SHARE of the package (one app class naming an SDK host must not take over
    a package that -repackageclasses filled with the whole app)."""
    votes: dict[str, set[str]] = defaultdict(set)
    voters: dict[str, int] = defaultdict(int)
    owner_of: dict[str, Owner] = {}
    for cls, (owner, _) in resolved.items():
        package = cls.rpartition(".")[0]
        if package:
            votes[package].add(owner.label)
            voters[package] += 1
            owner_of[owner.label] = owner
    sizes: dict[str, int] = defaultdict(int)
    for cls in defined:
        sizes[cls.rpartition(".")[0]] += 1
    agreed = {package: owner_of[next(iter(labels))] for package, labels in votes.items()
              if len(labels) == 1 and voters[package] >= max(MIN_PACKAGE_VOTES, PACKAGE_SHARE * sizes[package])}  # fmt: skip
    return {cls: agreed[package] for cls in defined
            if (package := cls.rpartition(".")[0]) in agreed and cls not in resolved and _tentative(owners, cls)}  # fmt: skip


def resolve_renamed(dex: DexFile, defined: list[str], wanted: set[str], owners: Owners,
                    hosts: dict[str, str], exact: dict[str, str]) -> RenamedOwners:  # fmt: skip
    """Owners of the renamed classes of one DEX: `wanted` (call-site callers) by callers, all by fingerprints and package."""
    result = RenamedOwners()
    renamed = [c for c in defined if is_obfuscated(c)]
    if not renamed:
        return result  # nothing renamed in this DEX: every caller class kept its real name
    wanted = {c for c in wanted if _tentative(owners, c)}
    if wanted:
        for cls, owner in _by_callers(wanted, _callers([dex], wanted, owners), owners).items():
            result.owners[cls] = (owner, "callers")
    if hosts or exact:
        for cls, owner in _by_fingerprint(dex, hosts, exact, owners).items():
            result.owners.setdefault(cls, (owner, "fingerprint"))
    for cls, owner in _by_package(renamed, result.owners, owners).items():
        result.owners[cls] = (owner, "package")
    return result


def apply_renamed(sites: list[CallSite], renamed: RenamedOwners) -> None:
    """Give call sites in renamed classes the owner their surroundings showed."""
    for site in sites:
        hit = renamed.owners.get(site.caller_class)
        if hit is None:
            continue
        owner, via = hit
        site.owner, site.owner_via, site.name = owner.label, via, owner.name
        site.sdk_id = owner.sdk_id if owner.kind in ("sdk", "library") else None


def resolve_across_dex(load_dexes: Callable[[], list[DexFile]], sites: list[CallSite], owners: Owners) -> None:
    """Second chance for renamed call-site classes still charged to the app: their callers in every DEX of a multi-DEX
    app (D8 sorts renamed helpers into other DEX files than the named SDK classes calling them). `load_dexes` is only
    called when such classes exist."""
    wanted = {s.caller_class for s in sites if s.owner_via is None and _tentative(owners, s.caller_class)}
    if not wanted:
        return
    dexes = load_dexes()
    if len(dexes) < 2:
        return
    resolved = _by_callers(wanted, _callers(dexes, wanted, owners), owners)
    apply_renamed(sites, RenamedOwners({cls: (owner, "callers") for cls, owner in resolved.items()}))
