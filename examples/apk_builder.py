"""Build real, signed APKs from a small spec, with Debian's Android toolchain.

Pipeline: smali sources -> ``smali a`` (one run per DEX) -> ``aapt package -I framework-res.apk``
(binary manifest, optional res/xml) -> add DEX, native libs, assets and raw entries with ``zip`` ->
``zipalign`` -> ``apksigner`` with a throwaway ``keytool`` key (created once, cached).

Needs: smali, aapt, android-framework-res, zipalign, apksigner, keytool (Java), zip; gcc for real ELF
native libraries (falls back to a minimal hand-written ELF header when gcc is missing).

Stable API::

    from examples.apk_builder import ApkSpec, Component, Call, smali_class, build_apk, assemble_dex, build_jar

    spec = ApkSpec(
        package="com.example.demo",
        version_name="1.2", version_code=12, min_sdk=21, target_sdk=33,
        app_name="Demo",
        permissions=["android.permission.READ_PHONE_STATE", ("android.permission.WRITE_EXTERNAL_STORAGE", 28)],
        meta_data={"UMENG_APPKEY": "5f1234567890abcdef"},
        components=[Component("activity", "com.example.demo.Main", exported=True, actions=["android.intent.action.MAIN"]),
                    Component("service", "com.umeng.message.UmengService", exported=False)],
        dex={"classes.dex": [smali_class("com.example.demo.Main")],
             "classes2.dex": [smali_class("com.umeng.commonsdk.UMConfigure", method="init", calls=[
                 Call("Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;")])]},
        native_libs={"lib/arm64-v8a/libumeng.so": None},      # None = a real tiny ELF built by gcc
        assets={"plugin.jar": build_jar(assemble_dex([smali_class("com.x.Plugin")]))},
        uses_cleartext_traffic=True,
    )
    build_apk(spec, Path("demo.apk"))

* ``Call(ref, kind)``: ``kind`` is ``virtual`` (default), ``static``, ``direct``, ``interface`` or ``super``,
  optionally with ``/range`` (``virtual/range`` emits ``invoke-virtual/range``);
  ``ref`` is a smali method reference. ``smali_class(..., fields=[...])`` reads static fields with sget
  (e.g. ``"Landroid/os/Build;->MODEL:Ljava/lang/String;"``) and ``strings=[...]`` adds const-string.
* ``raw_entries`` puts arbitrary bytes at any zip path (e.g. ``instant-run.zip``, ``assets/libjiagu.so``), e.g.
  a DEX assembled once with ``assemble_dex``; ``stored`` lists zip paths to keep uncompressed.
* ``string_resources``: ``res/values/strings.xml`` entries (name -> text), compiled into resources.arsc.
* ``network_security_config``: XML text stored as ``res/xml/network_security_config.xml`` and referenced
  from the manifest.
* ``build_apk`` returns the output path; it raises ``BuildError`` (with the tool's stderr) on failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

FRAMEWORK_RES = Path("/usr/share/android-framework-res/framework-res.apk")
KEY_PASS = "android"
KEY_ALIAS = "candor"


class BuildError(RuntimeError):
    """A toolchain step failed."""


@dataclass
class Component:
    """A manifest component; ``exported=None`` leaves the attribute out."""

    kind: str  # activity, activity-alias, service, receiver, provider
    name: str
    exported: bool | None = None
    actions: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)  # intent-filter categories, e.g. android.intent.category.LAUNCHER
    authorities: str | None = None  # providers
    target_activity: str | None = None  # activity-alias


@dataclass
class Call:
    """One invoke instruction: a smali method reference and the invoke kind."""

    ref: str
    kind: str = "virtual"


@dataclass
class ApkSpec:
    """Everything an APK built by ``build_apk`` contains."""

    package: str
    version_name: str = "1.0"
    version_code: int = 1
    min_sdk: int = 21
    target_sdk: int = 30
    app_name: str | None = None
    application: str | None = None  # <application android:name>: the Application subclass run at start
    permissions: list[str | tuple[str, int]] = field(default_factory=list)
    meta_data: dict[str, str] = field(default_factory=dict)
    components: list[Component] = field(default_factory=list)
    dex: dict[str, list[str]] = field(default_factory=dict)  # dex file name -> smali sources
    native_libs: dict[str, bytes | None] = field(default_factory=dict)  # zip path -> bytes (None = tiny ELF)
    assets: dict[str, bytes] = field(default_factory=dict)  # path under assets/ -> bytes
    raw_entries: dict[str, bytes] = field(default_factory=dict)  # any zip path -> bytes
    uses_cleartext_traffic: bool | None = None
    network_security_config: str | None = None
    string_resources: dict[str, str] = field(default_factory=dict)  # res/values/strings.xml: name -> text
    custom_permissions: list[str] = field(default_factory=list)  # <permission> declarations
    stored: list[str] = field(default_factory=list)  # zip paths stored uncompressed (e.g. DEX, as AGP does for API 28+)


# -- smali -------------------------------------------------------------------------------


def _descriptor(dotted: str) -> str:
    return "L" + dotted.replace(".", "/") + ";"


def _param_registers(ref: str) -> int:
    """Registers the parameters of a method reference take (J and D take two)."""
    params = ref[ref.index("(") + 1 : ref.index(")")]
    count, i = 0, 0
    while i < len(params):
        array = params[i] == "["
        while params[i] == "[":
            i += 1
        if params[i] == "L":
            i = params.index(";", i)
        count += 2 if params[i] in "JD" and not array else 1
        i += 1
    return count


def _invoke(call: Call) -> str:
    count = _param_registers(call.ref) + (0 if call.kind.startswith("static") else 1)
    if call.kind.endswith("/range"):
        return f"    invoke-{call.kind} {{v0 .. v{max(count, 1) - 1}}}, {call.ref}"
    regs = ", ".join(f"v{i}" for i in range(count))
    return f"    invoke-{call.kind} {{{regs}}}, {call.ref}"


def smali_class(
    name: str,
    method: str = "run",
    calls: list[Call] | None = None,
    strings: list[str] | None = None,
    fields: list[str] | None = None,
    superclass: str = "java.lang.Object",
    extra_methods: int = 0,
) -> str:
    """Smali source of a public class with a constructor and one static method ``method``.

    The method contains ``const-string`` for each of ``strings``, ``sget`` for each static field
    reference in ``fields`` and one invoke per ``Call``. ``extra_methods`` adds filler methods.
    """
    body: list[str] = [f'    const-string v0, "{s}"' for s in (strings or [])]
    for ref in fields or []:
        kind = ref.rsplit(":", 1)[1]
        op = "sget-object" if kind[0] in "L[" else ("sget-wide" if kind in ("J", "D") else "sget")
        body.append(f"    {op} v0, {ref}")
    body.extend(_invoke(c) for c in calls or [])
    lines = [
        f".class public {_descriptor(name)}",
        f".super {_descriptor(superclass)}",
        "",
        ".method public constructor <init>()V",
        "    .registers 1",
        f"    invoke-direct {{p0}}, {_descriptor(superclass)}-><init>()V",
        "    return-void",
        ".end method",
        "",
        f".method public static {method}()V",
        "    .registers 16",
        *body,
        "    return-void",
        ".end method",
    ]
    for i in range(extra_methods):
        lines += ["", f".method public static filler{i}(I)I", "    .registers 2", "    add-int/lit8 v0, p0, 1", "    return v0",
                  ".end method"]  # fmt: skip
    return "\n".join(lines) + "\n"


# -- tools -------------------------------------------------------------------------------


def _run(cmd: list[str], cwd: Path | None = None) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(f"{' '.join(cmd[:3])}… failed ({proc.returncode}): {proc.stderr.strip()[:2000]}")


def _cache_dir() -> Path:
    path = Path(os.environ.get("CANDOR_APK_BUILDER_CACHE", Path(tempfile.gettempdir()) / "candor_apk_builder"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def keystore() -> Path:
    """The cached throwaway signing key (created on first use)."""
    path = _cache_dir() / "debug.p12"
    if not path.exists():
        tmp = path.with_name(f"debug.{os.getpid()}.p12")
        tmp.unlink(missing_ok=True)
        _run(["keytool", "-genkeypair", "-keystore", str(tmp), "-storetype", "PKCS12", "-alias", KEY_ALIAS,
              "-keyalg", "RSA", "-keysize", "2048", "-validity", "10000", "-dname", "CN=Candor Test",
              "-storepass", KEY_PASS, "-keypass", KEY_PASS])  # fmt: skip
        os.replace(tmp, path)
    return path


def tiny_elf() -> bytes:
    """A real tiny shared object (gcc), cached; a bare ELF header when gcc is missing."""
    path = _cache_dir() / "libtiny.so"
    if not path.exists():
        if shutil.which("gcc"):
            with tempfile.TemporaryDirectory() as tmp:
                src = Path(tmp) / "tiny.c"
                src.write_text("int candor_tiny(void) { return 42; }\n")
                out = Path(tmp) / "libtiny.so"
                _run(["gcc", "-shared", "-fPIC", "-O2", "-s", "-o", str(out), str(src)])
                os.replace(out, path)
        else:
            path.write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + b"\x03\x00\xb7\x00" + b"\x00" * 44)
    return path.read_bytes()


def assemble_dex(sources: list[str], out: Path | None = None, api: int = 21) -> bytes:
    """Assemble smali sources into one DEX (``smali a``); returns its bytes (and writes ``out``)."""
    with tempfile.TemporaryDirectory(prefix="candor_smali_") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for i, text in enumerate(sources):
            (src / f"c{i}.smali").write_text(text, encoding="utf-8")
        target = Path(tmp) / "classes.dex"
        _run(["smali", "a", "--api", str(api), "-j", str(min(8, os.cpu_count() or 1)), "-o", str(target), str(src)])
        data = target.read_bytes()
    if out is not None:
        out.write_bytes(data)
    return data


def build_jar(dex: bytes, name: str = "classes.dex") -> bytes:
    """A zip (JAR/APK-like) holding one DEX, as bytes."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.jar"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(name, dex)
        return path.read_bytes()


# -- manifest ----------------------------------------------------------------------------


def _bool(value: bool) -> str:
    return "true" if value else "false"


def manifest_xml(spec: ApkSpec) -> str:
    """The AndroidManifest.xml text for a spec."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<manifest xmlns:android="http://schemas.android.com/apk/res/android"'
        f' package={quoteattr(spec.package)} android:versionCode="{spec.version_code}"'
        f" android:versionName={quoteattr(spec.version_name)}>",
        f'  <uses-sdk android:minSdkVersion="{spec.min_sdk}" android:targetSdkVersion="{spec.target_sdk}"/>',
    ]
    for perm in spec.custom_permissions:
        out.append(f'  <permission android:name={quoteattr(perm)} android:protectionLevel="signature"/>')
    for perm in spec.permissions:
        if isinstance(perm, tuple):
            out.append(f'  <uses-permission android:name={quoteattr(perm[0])} android:maxSdkVersion="{perm[1]}"/>')
        else:
            out.append(f"  <uses-permission android:name={quoteattr(perm)}/>")
    app = ["  <application"]
    if spec.application:
        app.append(f" android:name={quoteattr(spec.application)}")
    if spec.app_name:
        app.append(f" android:label={quoteattr(spec.app_name)}")
    if spec.uses_cleartext_traffic is not None:
        app.append(f' android:usesCleartextTraffic="{_bool(spec.uses_cleartext_traffic)}"')
    if spec.network_security_config:
        app.append(' android:networkSecurityConfig="@xml/network_security_config"')
    out.append("".join(app) + ">")
    for key, value in spec.meta_data.items():
        out.append(f"    <meta-data android:name={quoteattr(key)} android:value={quoteattr(value)}/>")
    for comp in spec.components:
        attrs = f" android:name={quoteattr(comp.name)}"
        if comp.exported is not None:
            attrs += f' android:exported="{_bool(comp.exported)}"'
        if comp.authorities:
            attrs += f" android:authorities={quoteattr(comp.authorities)}"
        if comp.kind == "activity-alias":
            attrs += f" android:targetActivity={quoteattr(comp.target_activity or spec.components[0].name)}"
        if comp.actions:
            filters = "".join(f'<action android:name="{escape(a)}"/>' for a in comp.actions)
            filters += "".join(f'<category android:name="{escape(c)}"/>' for c in comp.categories)
            out.append(f"    <{comp.kind}{attrs}><intent-filter>{filters}</intent-filter></{comp.kind}>")
        else:
            out.append(f"    <{comp.kind}{attrs}/>")
    out += ["  </application>", "</manifest>"]
    return "\n".join(out) + "\n"


# -- APK ---------------------------------------------------------------------------------


def build_apk(spec: ApkSpec, out: Path) -> Path:
    """Build, align and sign the APK described by ``spec`` at ``out``; returns ``out``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="candor_apk_") as tmp_name:
        tmp = Path(tmp_name)
        (tmp / "AndroidManifest.xml").write_text(manifest_xml(spec), encoding="utf-8")
        unsigned = tmp / "unsigned.apk"
        cmd = ["aapt", "package", "-f", "-M", str(tmp / "AndroidManifest.xml"), "-I", str(FRAMEWORK_RES), "-F", str(unsigned)]
        if spec.network_security_config:
            res = tmp / "res" / "xml"
            res.mkdir(parents=True)
            (res / "network_security_config.xml").write_text(spec.network_security_config, encoding="utf-8")
        if spec.string_resources:
            values = tmp / "res" / "values"
            values.mkdir(parents=True)
            items = "".join(f"  <string name={quoteattr(k)}>{escape(v)}</string>\n" for k, v in spec.string_resources.items())
            xml = f'<?xml version="1.0" encoding="utf-8"?>\n<resources>\n{items}</resources>\n'
            (values / "strings.xml").write_text(xml, encoding="utf-8")
        if spec.network_security_config or spec.string_resources:
            cmd += ["-S", str(tmp / "res")]
        _run(cmd)
        files = tmp / "files"
        entries: dict[str, bytes] = {}
        for name, sources in spec.dex.items():
            entries[name] = assemble_dex(sources)
        for path, data in spec.native_libs.items():
            entries[path] = tiny_elf() if data is None else data
        for path, data in spec.assets.items():
            entries["assets/" + path] = data
        entries.update(spec.raw_entries)
        names = []
        for rel, data in entries.items():
            target = files / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            names.append(rel)
        stored = [n for n in names if n in spec.stored]
        deflated = [n for n in names if n not in spec.stored]
        if deflated:
            _run(["zip", "-q", "-X", str(unsigned), *deflated], cwd=files)
        if stored:
            _run(["zip", "-q", "-X", "-0", str(unsigned), *stored], cwd=files)
        aligned = tmp / "aligned.apk"
        _run(["zipalign", "-f", "-p", "4", str(unsigned), str(aligned)])
        signed = tmp / "signed.apk"
        _run(["apksigner", "sign", "--ks", str(keystore()), "--ks-pass", f"pass:{KEY_PASS}", "--key-pass", f"pass:{KEY_PASS}",
              "--ks-key-alias", KEY_ALIAS, "--min-sdk-version", str(spec.min_sdk), "--out", str(signed), str(aligned)])  # fmt: skip
        shutil.move(str(signed), out)
    return out


def build_split_bundle(base: Path, splits: dict[str, Path], out: Path) -> Path:
    """A ``.apks``/``.xapk``-style bundle: a zip holding ``base.apk`` and the split APKs."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        zf.write(base, "base.apk")
        for name, path in splits.items():
            zf.write(path, name)
    return out


if __name__ == "__main__":  # smoke test: python -m examples.apk_builder OUT.apk
    import sys

    demo = ApkSpec(
        package="com.example.demo",
        app_name="Demo",
        permissions=["android.permission.READ_PHONE_STATE", "android.permission.INTERNET"],
        meta_data={"UMENG_APPKEY": "5f1234567890abcdef"},
        components=[Component("activity", "com.example.demo.Main", exported=True, actions=["android.intent.action.MAIN"])],
        dex={"classes.dex": [smali_class("com.example.demo.Main")],
             "classes2.dex": [smali_class("com.umeng.commonsdk.UMConfigure", method="init",
                                          calls=[Call("Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;")])]},
        native_libs={"lib/arm64-v8a/libumeng-native.so": None},
        uses_cleartext_traffic=True,
    )  # fmt: skip
    print(build_apk(demo, Path(sys.argv[1] if len(sys.argv) > 1 else "demo.apk")))
