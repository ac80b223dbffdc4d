"""Runtime permission requests: which calls ask the user, which permissions they name, and whether the app
quits when the user says no.

Requests are calls to any method named `requestPermissions` that the app does not define itself
(`Activity`, `Fragment`, `ActivityCompat`, `EasyPermissions`…) and the request calls of common permission
libraries. The permissions are the `android.permission.*`-style constants the calling method loads (Java and
Kotlin inline `Manifest.permission.X` as a string constant).
"""

from apk_scan.dex.reader import DexFile
from apk_scan.program import MethodRef, Program

REQUEST_METHOD = "requestPermissions"
# Request calls of permission libraries whose method name is not `requestPermissions` (class.method, dotted).
LIBRARY_REQUESTS = (
    "com.hjq.permissions.XXPermissions.request",  # XXPermissions.with(ctx).permission(...).request(callback)
    "com.permissionx.guolindev.request.PermissionBuilder.request",  # PermissionX.init(activity).permissions(...).request(...)
    "com.tbruyelle.rxpermissions2.RxPermissions.request",
    "com.tbruyelle.rxpermissions2.RxPermissions.requestEach",
    "com.tbruyelle.rxpermissions2.RxPermissions.requestEachCombined",
    "com.tbruyelle.rxpermissions3.RxPermissions.request",
    "com.tbruyelle.rxpermissions3.RxPermissions.requestEach",
    "com.tbruyelle.rxpermissions3.RxPermissions.requestEachCombined",
)
# Code inside these libraries (and the platform) makes the underlying call on the app's behalf: not a request site.
LIBRARY_PREFIXES = (
    "com.hjq.permissions.", "com.permissionx.guolindev.", "com.tbruyelle.rxpermissions", "pub.devrel.easypermissions.",
    "permissions.dispatcher.", "com.karumi.dexter.", "com.yanzhenjie.permission.",
)  # fmt: skip
RESULT_CALLBACK = "onRequestPermissionsResult"
QUIT_CALLS = frozenset({("Ljava/lang/System;", "exit"), ("Landroid/os/Process;", "killProcess")})
QUIT_METHODS = frozenset({"finish", "finishAffinity", "finishAndRemoveTask"})


def is_library_code(dotted_class: str) -> bool:
    return dotted_class.startswith(LIBRARY_PREFIXES)


def permission_strings(dex: DexFile, string_ids: list[int], known: set[str]) -> list[str]:
    """The permission names among a method's string constants, in load order, without repeats."""
    found: list[str] = []
    for idx in string_ids:
        if not 0 <= idx < dex.strings.size:
            continue
        text = dex.string(idx)
        if text in found:
            continue
        if text in known or (text.count(".") >= 2 and ".permission." in text and text.rsplit(".", 1)[-1].isupper()):
            found.append(text)
    return found


def quits_on_denial(program: Program, classes: list[str], follow, hops: int = 2) -> bool | None:
    """True when a class's onRequestPermissionsResult (or app methods it calls, `hops` deep) finishes the
    activity or exits the process; False when the callback exists and does neither; None without a callback.

    Best-effort: which branch (granted or denied) makes the call is not evaluated.
    """
    saw_callback = False
    for descriptor in classes:
        frontier = [MethodRef(descriptor, RESULT_CALLBACK)]
        seen: set[MethodRef] = set()
        for depth in range(hops + 1):
            next_frontier: list[MethodRef] = []
            for ref in frontier:
                if ref in seen:
                    continue
                seen.add(ref)
                for d, body in program.bodies(ref):
                    saw_callback = True
                    for invoke in body.invokes:
                        target = program.method_ref(d, invoke.method_idx)
                        if (target.cls, target.name) in QUIT_CALLS or target.name in QUIT_METHODS:
                            return True
                        if depth < hops and follow(target.cls):
                            next_frontier.append(target)
            frontier = next_frontier
    return False if saw_callback else None
