"""`scan_apk`: manifest, DEX files (also nested), SDK evidence, identifier call sites, packers."""

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np

from apk_scan.archive import Budget, SafeZip, is_zip
from apk_scan.bundle import MANIFEST, ApkPart, open_app
from apk_scan.callsites import dotted_of, find_call_sites
from apk_scan.dex.reader import DexError, DexFile
from apk_scan.endpoints import sdk_hosts
from apk_scan.evidence import EvidenceCollector
from apk_scan.launch import sdk_init_order
from apk_scan.launch_collect import LaunchCollector
from apk_scan.limits import DEFAULT_LIMITS, Limits
from apk_scan.manifest import ManifestInfo, parse_manifest
from apk_scan.owners import Owners, unknown_third_party
from apk_scan.packers import detect_packers
from apk_scan.provider_inits import provider_inits
from apk_scan.renamed import apply_renamed, resolve_across_dex, resolve_renamed
from apk_scan.resources import ResourceTable
from apk_scan.usage import called_by_app, feature_sdks
from candor.catalog.catalog import Catalog
from candor.errors import InputError
from candor.hashing import file_sha256
from candor.inputs import regular_file
from candor.model.static import CallSite, DexInfo, Endpoint, LaunchFacts, StaticScan

ACC_INTERFACE = 0x200
FIRST_PARTY = frozenset({"app", "unknown"})  # owner kinds of code that is neither a catalog SDK's nor the platform's
CATALOG_KINDS = frozenset({"sdk", "library"})
RESOURCE_CLASS = re.compile(r"R(\$\w+)?|BuildConfig")  # generated, not an SDK's code
PRIMARY_DEX = re.compile(r"classes\d*\.dex")
NATIVE_LIB = re.compile(r"lib/([^/]+)/([^/]+\.so)")
NESTED_ARCHIVE = re.compile(r"(assets/.+\.(apk|jar|zip|dex)|instant-run\.zip|res/raw/.+\.(apk|jar|dex))", re.IGNORECASE)


@dataclass
class ScanState:
    """What the scan accumulates across DEX files and APK parts."""

    catalog: Catalog
    owners: Owners
    evidence: EvidenceCollector = field(default_factory=EvidenceCollector)
    launch: LaunchCollector = field(default_factory=LaunchCollector)  # launch facts, code endpoints, consent UI
    dex_files: list[DexInfo] = field(default_factory=list)
    call_sites: list[CallSite] = field(default_factory=list)
    classes: set[str] = field(default_factory=set)
    packages: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    package_classes: Counter[str] = field(default_factory=Counter)
    fingerprints: dict[str, str] = field(default_factory=dict)  # exact string -> sdk id: loadLibrary names, meta keys, components
    sub_products: dict[str, list[str]] = field(default_factory=dict)  # login/share/pay SDK -> its packages
    used_sub_products: set[str] = field(default_factory=set)  # called by the app's own code


def scan_apk(path: Path, catalog: Catalog | None = None, limits: Limits = DEFAULT_LIMITS) -> StaticScan:
    """Scan an APK or split bundle; hostile or non-APK input raises InputError."""
    started = time.perf_counter()
    path = regular_file(Path(path))
    if not is_zip(path):
        raise InputError(f"{path.name}: not an APK (not a zip archive)")
    if catalog is None:
        from candor.catalog.session import current_catalog

        catalog = current_catalog()
    budget = Budget(limits)
    parts, splits = open_app(path, budget)
    try:
        base = parts[0]
        info = parse_manifest(base.zip.read(MANIFEST, limits.max_manifest), catalog, f"{path.name}!{MANIFEST}")
        app_classes = tuple(c for c in (info.application_class, getattr(info, "launcher_activity", None)) if c)
        state = ScanState(catalog, Owners(catalog, info.package, app_classes), sub_products=feature_sdks(catalog))
        _manifest_evidence(info, state)
        for part in parts:
            _scan_part(part, state, budget, limits)
            state.launch.add_ui_entries(part.zip, part.prefix)
        _renamed_across_dex(parts, state)
        arsc = _maybe_read(base.zip, "resources.arsc")
        resources = ResourceTable(arsc)
        state.launch.add_resources(arsc)
        packers = detect_packers([p.prefix + n for p in parts for n in p.zip.names], state.classes, state.packages, info.application_class)
    finally:
        for part in parts:
            part.zip.close()
    launch, endpoints = _launch_facts(state, info)
    for name, signature in packers:
        state.incomplete.append(f"packed with {name} ({signature}): the real DEX is encrypted; SDKs and call sites in it are not visible")
    if not state.dex_files:
        state.warnings.append("no DEX file found: the app's code is not in the APK")
    collecting = {site.sdk_id for site in state.call_sites if site.collection and site.owner.startswith("sdk:")}
    bundled = {s for s in state.sub_products if not state.evidence.has(s, "component")} - state.used_sub_products - collecting
    sdks, libraries = state.evidence.build(catalog, bundled)
    embedded = {sdk.sdk_id for sdk in sdks if sdk.sdk_id and sdk.presence == "embedded"}
    by_providers = provider_inits(catalog, info.components, info.meta_data, state.classes, embedded)
    if by_providers:
        launch.sdk_inits = sorted([*launch.sdk_inits, *by_providers], key=sdk_init_order)
    return StaticScan(
        file=str(path), sha256=file_sha256(path), size=path.stat().st_size,
        package=info.package, app_name=resources.string(info.label), version_name=info.version_name, version_code=info.version_code,
        min_sdk=info.min_sdk, target_sdk=info.target_sdk, permissions=info.permissions, components=info.components,
        meta_data=info.meta_data,
        uses_cleartext_traffic=info.uses_cleartext_traffic, network_security_config=resources.xml_name(info.network_security_config),
        dex_files=state.dex_files, sdks=sdks, libraries=libraries, call_sites=_sorted_sites(state.call_sites),
        unknown_third_party=unknown_third_party(state.package_classes, state.call_sites, state.owners),
        packers=[name for name, _ in packers], splits=splits, incomplete=bool(state.incomplete), incomplete_reasons=state.incomplete,
        endpoints=endpoints, launch=launch,
        warnings=state.warnings, duration_s=round(time.perf_counter() - started, 3),
    )  # fmt: skip


def _launch_facts(state: ScanState, info: ManifestInfo) -> tuple[LaunchFacts, list[Endpoint]]:
    """Launch facts and code endpoints; a DEX the launch walk cannot read leaves them partial, with a warning."""
    try:
        return state.launch.finish(state.catalog, state.owners, info.application_class, info.launcher_activity)
    except (DexError, IndexError, ValueError, OverflowError) as exc:
        state.warnings.append(f"launch analysis incomplete: {exc}")
        return LaunchFacts(application_class=info.application_class, launcher_activity=info.launcher_activity), state.launch.endpoints


def _maybe_read(zf: SafeZip, name: str) -> bytes | None:
    if name not in zf.infos:
        return None
    try:
        return zf.read(name)
    except InputError:
        return None


def _sorted_sites(sites: list[CallSite]) -> list[CallSite]:
    return sorted(sites, key=lambda s: (s.name == "app", s.name, s.identifier, s.caller_class, s.caller_method, s.api))


def _renamed_across_dex(parts: list[ApkPart], state: ScanState) -> None:
    """Renamed call-site classes no caller in their own DEX explained: look for callers in every primary DEX."""

    def load() -> list[DexFile]:
        names = [(part, name) for part in parts for name in part.zip.names if PRIMARY_DEX.fullmatch(name)]
        if len(names) < 2:
            return []
        return [DexFile(part.zip.read(name), part.prefix + name) for part, name in names]

    try:
        resolve_across_dex(load, state.call_sites, state.owners)
    except (InputError, DexError, IndexError, ValueError, OverflowError) as exc:
        state.warnings.append(f"renamed classes were not followed across DEX files: {exc}")


def _manifest_evidence(info: ManifestInfo, state: ScanState) -> None:
    for component in info.components:
        if component.sdk_id and state.owners.of_class(component.name).kind == "app":
            component.sdk_id = None  # the app's own class in a namespace that starts like a vendor's prefix
        if component.sdk_id:
            state.evidence.add(component.sdk_id, "component", component.name, location="AndroidManifest.xml")
            state.fingerprints[component.name] = component.sdk_id  # renamed SDK code names its own components
    for entry in info.meta_data:
        if entry.sdk_id and "CHANNEL" not in entry.name.upper():  # the SDK's code reads its own key (apps read channels too)
            state.fingerprints[entry.name] = entry.sdk_id
        if entry.sdk_id:
            state.evidence.add(entry.sdk_id, "meta_data", entry.name, location="AndroidManifest.xml")


def _scan_part(part: ApkPart, state: ScanState, budget: Budget, limits: Limits) -> None:
    """DEX files, nested archives and native libraries of one APK."""
    for name in part.zip.names:
        lib = NATIVE_LIB.fullmatch(name)
        if lib:
            sdk = state.catalog.sdk_for_library(lib.group(2))
            if sdk:
                state.evidence.add(sdk.id, "native_lib", lib.group(2), location=f"{part.prefix}lib/{lib.group(1)}")
                state.fingerprints[lib.group(2).removeprefix("lib").removesuffix(".so")] = sdk.id
    for name in part.zip.names:
        if PRIMARY_DEX.fullmatch(name):
            _scan_dex(part.zip.read(name), part.prefix + name, state, primary=True)
    for name in part.zip.names:
        if PRIMARY_DEX.fullmatch(name) or not (NESTED_ARCHIVE.fullmatch(name) or name.endswith(".dex")):
            continue
        try:
            _scan_nested(part.zip, name, part.prefix + name, state, budget, limits.max_nesting)
        except InputError as exc:
            state.warnings.append(f"nested {part.prefix}{name} skipped: {exc}")


def _scan_nested(zf: SafeZip, name: str, label: str, state: ScanState, budget: Budget, depth: int) -> None:
    """A DEX or archive stored inside an APK: inflated to a temporary file, so only the DEX files it holds are
    ever in memory, one at a time (peak memory follows the largest DEX, not the archive)."""
    with zf.spool(name, budget.limits.max_entry) as spooled:
        head = spooled.read(4)
        spooled.seek(0)
        if head == b"dex\n":
            _scan_dex(spooled.read(), label, state, container=label.rsplit("!", 1)[0] if "!" in label else None)
        elif head == b"PK\x03\x04" and depth > 0:  # otherwise encrypted payloads (packers) or too deep
            _scan_nested_zip(spooled, label, state, budget, depth)


def _scan_nested_zip(spooled: BinaryIO, label: str, state: ScanState, budget: Budget, depth: int) -> None:
    with SafeZip(spooled, label, budget) as inner:
        for inner_name in inner.names:
            if inner_name.endswith(".dex"):
                _scan_dex(inner.read(inner_name), f"{label}!{inner_name}", state, container=label)
            elif inner_name.lower().endswith((".apk", ".jar", ".zip")):
                _scan_nested(inner, inner_name, f"{label}!{inner_name}", state, budget, depth - 1)


def _scan_dex(data: bytes, location: str, state: ScanState, primary: bool = False, container: str | None = None) -> None:
    """Classes, class-prefix evidence, endpoints and call sites of one DEX."""
    try:
        dex = DexFile(data, location)
    except DexError as exc:
        if primary:
            raise InputError(f"corrupt DEX: {exc}") from None
        state.warnings.append(f"corrupt nested DEX skipped: {exc}")
        return
    try:
        state.launch.add_dex(dex, location, state.catalog, state.owners)
        defined = [dotted_of(d) for d in dex.class_descriptors]
        owners = state.owners.of_classes(defined)
        state.classes.update(defined)
        packages = Counter(dotted.rpartition(".")[0] for dotted in defined)
        per_prefix: Counter[tuple[str, str]] = Counter()
        first_party = [owner.kind in FIRST_PARTY for owner in owners]  # their calls decide whether a login/share/pay SDK is used
        flags = dex.class_defs["flags"].tolist()
        for i, owner in enumerate(owners):
            if owner.kind in CATALOG_KINDS and owner.prefix:
                per_prefix[(owner.sdk_id, owner.prefix)] += 1
                if not flags[i] & ACC_INTERFACE and not RESOURCE_CLASS.fullmatch(defined[i].rpartition(".")[2]):
                    state.evidence.concrete[owner.sdk_id] += 1
        state.packages.update(packages)
        state.package_classes.update(packages)
        for (sdk_id, prefix), count in per_prefix.items():
            state.evidence.add(sdk_id, "class_prefix", prefix, count, location)
        hosts: dict[str, str] = {}
        for sdk_id, host, count in sdk_hosts(dex, state.catalog):
            state.evidence.add(sdk_id, "endpoint", host, count, location)
            hosts[host] = sdk_id
        sites = find_call_sites(dex, state.catalog.identifier_api_entries, state.owners, location)
        renamed = resolve_renamed(dex, defined, {s.caller_class for s in sites}, state.owners, hosts, state.fingerprints)
        apply_renamed(sites, renamed)
        for sdk_id, count in renamed.sdk_classes().items():
            state.evidence.add(sdk_id, "renamed_classes", "obfuscated classes", count, location)
        state.call_sites.extend(sites)
        unused = {sdk_id: state.sub_products[sdk_id] for sdk_id in set(state.sub_products) - state.used_sub_products}
        app_types = dex.class_defs["cls"][np.array(first_party, dtype=bool)] if first_party else dex.class_defs["cls"][:0]
        state.used_sub_products |= called_by_app(dex, unused, app_types)  # the caller may sit in another DEX
    except (DexError, IndexError, ValueError, OverflowError) as exc:
        state.warnings.append(f"{location}: DEX partly unreadable ({exc})")
        state.incomplete.append(f"{location} could not be fully parsed")
    state.dex_files.append(DexInfo(path=location, nested=not primary, container=container, size=len(data), classes=len(dex.class_defs)))
