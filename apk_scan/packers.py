"""Packers (DEX encryptors): a claim needs the packer's stub (its loader class in the DEX or as the application class)
AND its payload (the packer's native library or encrypted asset files). One shared library name alone is not a
packer: ordinary SDKs ship libraries with the same names, and an unpacked APK's code is all visible."""

import fnmatch
from typing import NamedTuple


class PackerRule(NamedTuple):
    """Signatures of one packer: a stub class and a payload (library or asset file) must both match."""

    name: str
    libs: tuple[str, ...] = ()  # fnmatch patterns on file names anywhere in the APK
    classes: tuple[str, ...] = ()  # dotted class names or package prefixes ending with '.'
    files: tuple[str, ...] = ()  # fnmatch patterns on zip paths


RULES: tuple[PackerRule, ...] = (
    PackerRule("360 Jiagu", ("libjiagu*.so", "libprotectClass*.so"), ("com.stub.StubApp", "com.qihoo.util."), ("assets/libjiagu*",)),
    PackerRule("Tencent Legu", ("libshell-super.*.so", "libshella-*.so", "libshellx-*.so", "libtup.so", "liblegudb.so"),
               ("com.tencent.StubShell.", "com.wrapper.proxyapplication.WrapperProxyApplication"),
               ("assets/t86", "assets/tosversion", "assets/0OO00l111l1l")),
    PackerRule("Bangcle/SecNeo", ("libsecexe*.so", "libsecmain*.so", "libSecShell*.so", "libDexHelper*.so"),
               ("com.secneo.apkwrapper.", "com.bangcle."), ("assets/bangcle*", "assets/secData0.jar")),
    PackerRule("ijiami", ("libexec.so", "libexecmain.so", "libijiami*.so"), ("com.shell.SuperApplication", "s.h.e.l.l."),
               ("assets/ijiami.dat", "assets/ijiami.ajm", "assets/ijm_lib/*")),
    PackerRule("Baidu", ("libbaiduprotect*.so",), ("com.baidu.protect.",), ("assets/baiduprotect*",)),
    PackerRule("Alibaba", ("libmobisec*.so", "libdemolish*.so", "libaliutils.so"), ("com.ali.mobisecenginesdk.",)),
    PackerRule("Naga", ("libddog.so", "libfdog.so", "libchaosvmp.so"), ("com.edog.",)),
    PackerRule("NQ Shield", ("libnqshield*.so",), ("com.nqshield.",)),
    PackerRule("Kiwisec", ("libkwscmm.so", "libkwscr.so", "libkwslinker.so"), ("com.kiwisec.",)),
    PackerRule("Dingxiang", ("libx3g.so",), ("com.security.shell.",)),
    PackerRule("Payegis", ("libegis*.so", "libNSaferOnly.so"), ("com.payegis.",)),
    PackerRule("APKProtect", ("libAPKProtect*.so",), ()),
)  # fmt: skip


def detect_packers(names: list[str], classes: set[str], packages: set[str], application_class: str | None) -> list[tuple[str, str]]:
    """(packer name, the signature that matched) for every packer with a match.

    `classes` are dotted class names and `packages` their dotted packages (prefix rules match packages).
    """
    basenames = {name.rsplit("/", 1)[-1]: name for name in names}
    rule_prefixes = [tuple(c for c in rule.classes if c.endswith(".")) for rule in RULES]
    every_prefix = tuple(p for prefixes in rule_prefixes for p in prefixes)
    near = [(p, p + ".") for p in packages if (p + ".").startswith(every_prefix)]  # one pass; the rules look at these
    found: list[tuple[str, str]] = []
    for rule, prefixes in zip(RULES, rule_prefixes, strict=True):
        stub = next((c for c in rule.classes if not c.endswith(".") and (c in classes or c == application_class)), None)
        if stub is None and prefixes:
            stub = next((p + "*" for p, dotted in near if dotted.startswith(prefixes)), None)
        if stub is None:
            continue
        payload = next((path for base, path in basenames.items() if any(fnmatch.fnmatchcase(base, p) for p in rule.libs)), None)
        if payload is None:
            payload = next((n for n in names if any(fnmatch.fnmatchcase(n, p) for p in rule.files)), None)
        if payload is not None:
            found.append((rule.name, f"{stub} + {payload}"))
    return found
