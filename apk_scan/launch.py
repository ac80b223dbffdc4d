"""What the app does when it starts: SDK initialisation and consent calls, runtime permission requests,
and whether they are reached from the Application class or the launcher activity.

How "at launch" is decided (static, best-effort):

* entry points come from the manifest: the `<application android:name>` class (`onCreate`, `attachBaseContext`)
  and the activity with action MAIN + category LAUNCHER (`onCreate`, `onStart`, `onResume`), inherited
  implementations in the app's own superclasses included;
* from there the app's own calls are followed up to `MAX_DEPTH` hops (never into SDK, library or platform code);
  a class the path instantiates contributes its `run`/`call`/`invoke`/`accept`/`doInBackground`/`handleMessage`
  bodies (threads, handlers, lambdas) but never its click handlers — what the user must tap is not launch;
* an SDK init is *gated* when, on its path (earlier in the same method or in a caller), the app calls that SDK's
  consent API with a value that is not a literal `true`; it then has `gated_by` and no `at_launch`.
  `if` conditions are not evaluated: an init inside `if (agreed)` still counts as reached.
"""

from collections import deque
from dataclasses import dataclass
from typing import Literal, NamedTuple

import numpy as np

from apk_scan.callsites import descriptor_of, dotted_of
from apk_scan.dex.body import boolean_argument
from apk_scan.dex.reader import DexFile
from apk_scan.dex.xrefs import find_refs
from apk_scan.owners import PLATFORM_PREFIXES, Owners
from apk_scan.permission_requests import (
    LIBRARY_REQUESTS,
    REQUEST_METHOD,
    is_library_code,
    permission_strings,
    quits_on_denial,
)
from apk_scan.program import MethodRef, Program
from candor.catalog.catalog import Catalog
from candor.model.static import LaunchFacts, PermissionRequest, SdkInit

Entry = Literal["application", "launcher_activity"]
Gates = frozenset[tuple[str, str]]  # (SDK id, consent API) told a non-literal choice on the path
Hint = tuple[str, ...]  # permission names loaded by the nearest method on the path
ENTRY_METHODS: dict[str, tuple[str, ...]] = {
    "application": ("onCreate", "attachBaseContext"),
    "launcher_activity": ("onCreate", "onStart", "onResume"),
}
ASYNC_BODIES = ("<init>", "run", "call", "invoke", "accept", "doInBackground", "handleMessage")
MAX_DEPTH = 5
MAX_METHODS = 1500
INHERIT = 4


class LaunchApi(NamedTuple):
    """An SDK entry point (init, pre_init, consent) or a permission request API."""

    api: str
    kind: Literal["init", "pre_init", "consent", "permission"]
    sdk_id: str | None = None


@dataclass
class ApiCall:
    """One method calling a launch API."""

    api: LaunchApi
    caller: MethodRef
    dex: int
    strings: list[int]
    grant: bool | None


def launch_apis(catalog: Catalog) -> dict[tuple[str, str], LaunchApi]:
    """(dotted class, method) -> API, from the catalog's SDK entries and the permission libraries."""
    table: dict[tuple[str, str], LaunchApi] = {}
    for sdk in catalog.sdks.values():
        for kind, apis in (("init", sdk.init_apis), ("pre_init", sdk.pre_init_apis), ("consent", sdk.consent_apis)):
            for api in apis:
                cls, _, name = api.rpartition(".")
                table.setdefault((cls, name), LaunchApi(api, kind, sdk.id))
    for api in LIBRARY_REQUESTS:
        cls, _, name = api.rpartition(".")
        table[(cls, name)] = LaunchApi(api, "permission")
    return table


def owner_label(owners: Owners, dotted: str) -> str:
    """sdk:<id>, library:<id>, platform, app or unknown_third_party:<prefix> for a dotted class."""
    return owners.of_class(dotted).label


class LaunchAnalysis:
    """Finds launch API calls in every DEX and walks the launch paths."""

    def __init__(self, program: Program, catalog: Catalog, owners: Owners) -> None:
        self.program = program
        self.catalog = catalog
        self.owners = owners
        self.apis = launch_apis(catalog)
        self.known = set(catalog.permissions)
        self._refs: dict[tuple[int, int], MethodRef] = {}
        self._follow: dict[str, bool] = {}

    # -- ownership --------------------------------------------------------------------------
    def owner(self, dotted: str) -> str:
        return owner_label(self.owners, dotted)

    def follow(self, descriptor: str) -> bool:
        """Whether the walk may enter a class: defined in the APK and the app's own code."""
        hit = self._follow.get(descriptor)
        if hit is None:
            hit = self.program.defines(descriptor) and self.owner(dotted_of(descriptor)) == "app"
            self._follow[descriptor] = hit
        return hit

    def ref(self, d: int, method_idx: int) -> MethodRef:
        key = (d, method_idx)
        if key not in self._refs:
            self._refs[key] = self.program.method_ref(d, method_idx)
        return self._refs[key]

    def api_of(self, ref: MethodRef) -> LaunchApi | None:
        """The launch API a call target is, if any (an app method that merely shares the name is not)."""
        dotted = dotted_of(ref.cls)
        api = self.apis.get((dotted, ref.name))
        if api is not None:
            return api
        if ref.name == REQUEST_METHOD and not self._defined_in_app(ref):
            return LaunchApi(f"{dotted}.{ref.name}", "permission")
        return None

    def _defined_in_app(self, ref: MethodRef) -> bool:
        descriptor: str | None = ref.cls
        for _ in range(INHERIT + 1):
            if descriptor is None or not self.follow(descriptor):
                return False
            if self.program.bodies(MethodRef(descriptor, ref.name)):
                return True
            descriptor = self.program.superclass(descriptor)
        return False

    # -- every call site --------------------------------------------------------------------
    def calls(self) -> list[ApiCall]:
        """Every method in the APK that calls a launch API (library internals excluded)."""
        found: list[ApiCall] = []
        for d, dex in enumerate(self.program.dexes):
            targets = self._targets(dex)
            if not targets:
                continue
            for refs in find_refs(dex, set(targets), set()):
                caller = self.ref(d, refs.method_idx)
                for d2, body in self.program.bodies(caller):
                    if d2 != d:
                        continue
                    for invoke in body.invokes:
                        if invoke.method_idx not in targets:
                            continue
                        api = self.api_of(self.ref(d, invoke.method_idx))
                        if api is None or self._internal(api, caller):
                            continue
                        grant = boolean_argument(dex, invoke) if api.kind == "consent" else None
                        found.append(ApiCall(api, caller, d, body.strings, grant))
        return found

    def _targets(self, dex: DexFile) -> set[int]:
        """Method ids in this DEX that may be launch APIs (confirmed per call by `api_of`)."""
        wanted: list[int] = []
        for cls, name in self.apis:
            type_idx = dex.find_type(descriptor_of(cls))
            name_idx = dex.find_string(name) if type_idx is not None else None
            if type_idx is not None and name_idx is not None:
                wanted.append(type_idx << 32 | name_idx)
        keys = dex.member_keys("methods")
        hits = np.isin(keys, np.array(wanted, dtype=np.int64)) if wanted else np.zeros(keys.size, dtype=bool)
        name_idx = dex.find_string(REQUEST_METHOD)
        if name_idx is not None:
            hits |= dex.methods["name"] == name_idx
        return set(np.flatnonzero(hits).tolist())

    def _internal(self, api: LaunchApi, caller: MethodRef) -> bool:
        """A call made inside the SDK (or permission library, or platform) on its own behalf."""
        dotted = dotted_of(caller.cls)
        if api.kind == "permission":
            return is_library_code(dotted) or dotted.startswith(PLATFORM_PREFIXES)
        if dotted.startswith(api.api.rpartition(".")[0].rpartition(".")[0] + "."):
            return True  # a class of the API's own package
        owner = self.owner(dotted)
        if not owner.startswith("sdk:"):
            return False
        caller_sdk = self.catalog.sdks[owner[4:]]
        api_sdk = self.catalog.sdks[api.sdk_id] if api.sdk_id else None
        return api_sdk is not None and (caller_sdk.id == api_sdk.id or bool(caller_sdk.family and caller_sdk.family == api_sdk.family))

    # -- launch paths -----------------------------------------------------------------------
    def walk(self, entry_class: str, names: tuple[str, ...]) -> dict[tuple[MethodRef, str], tuple[Gates, Hint]]:
        """(caller, api) -> (gates on the way, permission names the nearest method on the path loads) for every
        launch API call reached from the entry methods (the names fill in requests made by a helper)."""
        reached: dict[tuple[MethodRef, str], tuple[Gates, Hint]] = {}
        seen: set[MethodRef] = set()
        queue: deque[tuple[MethodRef, int, Gates, Hint]] = deque()
        for descriptor in self.app_lineage(descriptor_of(entry_class)):
            queue.extend((MethodRef(descriptor, name), 0, frozenset(), ()) for name in names)
        while queue and len(seen) < MAX_METHODS:
            ref, depth, gates, hint = queue.popleft()
            if ref in seen:
                continue
            seen.add(ref)
            for d, body in self.program.bodies(ref):
                dex = self.program.dexes[d]
                local = set(gates)
                here = tuple(permission_strings(dex, body.strings, self.known)) or hint
                for invoke in body.invokes:
                    target = self.ref(d, invoke.method_idx)
                    api = self.api_of(target)
                    if api is not None:
                        reached.setdefault((ref, api.api), (frozenset(local), here))
                        if api.kind == "consent" and api.sdk_id and boolean_argument(dex, invoke) is not True:
                            local.add((api.sdk_id, api.api))
                    elif depth < MAX_DEPTH and self.follow(target.cls):
                        queue.append((target, depth + 1, frozenset(local), here))
                if depth < MAX_DEPTH:
                    for type_idx in body.new_instances:
                        descriptor = dex.type_descriptor(type_idx) if type_idx < dex.types.size else ""
                        if self.follow(descriptor):
                            queue.extend((MethodRef(descriptor, name), depth + 1, frozenset(local), here) for name in ASYNC_BODIES)
        return reached

    def app_lineage(self, descriptor: str) -> list[str]:
        """The class and its superclasses that are app code (inherited onCreate and friends)."""
        lineage: list[str] = []
        current: str | None = descriptor
        while current and self.follow(current) and len(lineage) <= INHERIT:
            lineage.append(current)
            current = self.program.superclass(current)
        return lineage


def sdk_init_order(init: SdkInit) -> tuple:
    """The order of `LaunchFacts.sdk_inits`: inits at launch first, then by SDK, API and caller."""
    return init.at_launch is None, init.sdk_id, init.api, init.caller_class, init.caller_method


def analyse_launch(program: Program, catalog: Catalog, owners: Owners, application_class: str | None,
                   launcher_activity: str | None, locations: list[str]) -> LaunchFacts:  # fmt: skip
    """Launch facts of an app: SDK init/consent calls and permission requests, at launch or not."""
    analysis = LaunchAnalysis(program, catalog, owners)
    calls = analysis.calls()
    at_launch: dict[tuple[MethodRef, str], tuple[Entry, Gates, Hint]] = {}
    for entry, cls in (("application", application_class), ("launcher_activity", launcher_activity)):
        if cls:
            for key, (gates, hint) in analysis.walk(cls, ENTRY_METHODS[entry]).items():
                at_launch.setdefault(key, (entry, gates, hint))  # type: ignore[arg-type]
    inits: dict[tuple[str, str, str], SdkInit] = {}
    sdk_application = _sdk_application(analysis, application_class)
    if sdk_application is not None:
        inits[(sdk_application.caller_class, "onCreate", sdk_application.api)] = sdk_application
    requests: dict[tuple[str, str, str], PermissionRequest] = {}
    for call in calls:
        caller_class = dotted_of(call.caller.cls)
        entry, gates, hint = at_launch.get((call.caller, call.api.api), (None, frozenset(), ()))
        owner = analysis.owner(caller_class)
        if call.api.kind == "permission":
            key = (caller_class, call.caller.name, call.api.api)
            dex = program.dexes[call.dex]
            permissions = permission_strings(dex, call.strings, analysis.known) or list(hint)
            requests.setdefault(key, PermissionRequest(
                permissions=permissions, api=call.api.api, caller_class=caller_class, caller_method=call.caller.name,
                at_launch=entry, owner=owner, dex=locations[call.dex]))  # fmt: skip
            continue
        gate = next((api for sdk_id, api in sorted(gates) if sdk_id == call.api.sdk_id), None) if call.api.kind == "init" else None
        gated = gate is not None
        key = (caller_class, call.caller.name, call.api.api)
        inits.setdefault(key, SdkInit(
            sdk_id=call.api.sdk_id or "", api=call.api.api, caller_class=caller_class, caller_method=call.caller.name,
            consent_api=call.api.kind != "init", at_launch=None if gated else entry, kind=call.api.kind, grant=call.grant,
            gated_by=gate, owner=owner))  # fmt: skip
    launch_requests = [r for r in requests.values() if r.at_launch]
    request_classes = {descriptor_of(r.caller_class) for r in launch_requests}
    lineage = [c for cls in sorted(request_classes) for c in analysis.app_lineage(cls)]
    return LaunchFacts(
        application_class=application_class, launcher_activity=launcher_activity,
        sdk_inits=sorted(inits.values(), key=sdk_init_order),
        permission_requests=sorted(requests.values(), key=lambda r: (r.at_launch is None, r.caller_class, r.caller_method, r.api)),
        quits_on_denial=quits_on_denial(program, lineage, analysis.follow) if launch_requests else None,
    )  # fmt: skip


def _sdk_application(analysis: LaunchAnalysis, application_class: str | None) -> SdkInit | None:
    """The app's Application class is, or extends, an SDK's Application subclass (MobApplication, TinkerApplication…):
    that SDK's own start-up code runs at launch. Reported at the SDK's base class, the last SDK-owned one in the chain."""
    descriptor = descriptor_of(application_class) if application_class else None
    found: str | None = None
    for _ in range(INHERIT + 1):
        if descriptor is None or not analysis.program.defines(descriptor):
            break
        if analysis.owner(dotted_of(descriptor)).startswith("sdk:"):
            found = dotted_of(descriptor)
        descriptor = analysis.program.superclass(descriptor)
    if found is None:
        return None
    owner = analysis.owner(found)
    return SdkInit(sdk_id=owner[4:], api=f"{found}.onCreate", caller_class=found, caller_method="onCreate",
                   at_launch="application", kind="init", owner=owner)  # fmt: skip
