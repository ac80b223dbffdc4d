"""Hostile inputs for every command, generated in code: bombs, special files, pathological text, damaged stores.

`build_cases(root)` writes the inputs under `root` and returns the `Case`s to run (the fuzz runner in
bench/bench_fuzz.py runs each as a `candor` subprocess). Nothing here is read from a corpus; every input is made
from a few small seeds that Candor itself produces (a built APK, the demo policy, flows and device profile).
"""

import base64
import gzip
import io
import json
import os
import random
import sqlite3
import zipfile
import zlib
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo"
XSS_MARK = "CANDOR_XSS_MARK"
XSS_PAYLOADS = (
    f'<img src=x onerror="window.{XSS_MARK}=1">',
    f'"><script>window.{XSS_MARK}=1</script>',
    f"javascript:window.{XSS_MARK}=1",
    f"'><svg onload=window.{XSS_MARK}=1>",
)
IMEI = "865166023456786"


@dataclass
class Case:
    """One command to run on hostile input; `read_only` files must be byte-identical afterwards (and no file appear beside them)."""

    name: str
    area: str
    argv: list[str]
    read_only: list[Path] = field(default_factory=list)
    html: Path | None = None  # an HTML report to check for executable payloads
    must_write: Path | None = None  # an output that must exist afterwards (a damaged history store never blocks a report)
    dex_bytes: int = 0  # inflated DEX size of an APK input (memory goal: at most 5x)


def _zip(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _repeated(chunk: bytes, count: int, method: str = "zlib") -> bytes:
    """`chunk` repeated `count` times, compressed as it streams (a bomb is never held inflated here)."""
    if method == "zstd":
        import zstandard

        engine = zstandard.ZstdCompressor(level=3).compressobj()
    else:
        engine = zlib.compressobj(9, zlib.DEFLATED, {"zlib": zlib.MAX_WBITS, "gzip": 31}[method])
    parts = [engine.compress(chunk) for _ in range(count)]
    return b"".join(parts) + engine.flush()


def _mutants(seed: bytes, count: int, rng: random.Random) -> list[bytes]:
    """Bit flips, byte runs, truncations and splices of one seed."""
    out = []
    for index in range(count):
        data = bytearray(seed)
        kind = index % 4
        if kind == 0 and data:
            for _ in range(rng.randint(1, 40)):
                position = rng.randrange(len(data))
                data[position] ^= 1 << rng.randrange(8)
        elif kind == 1 and data:
            start = rng.randrange(len(data))
            data[start : start + rng.randint(1, 64)] = bytes([rng.choice((0, 0xFF, 0x7F, 0x41))]) * rng.randint(1, 4096)
        elif kind == 2:
            data = data[: rng.randrange(max(1, len(data)))]
        else:
            start = rng.randrange(max(1, len(data)))
            data = data[:start] + data[rng.randrange(max(1, len(data))) :]
        out.append(bytes(data))
    return out


# -- seeds -------------------------------------------------------------------------------


def build_seed_apk(directory: Path) -> Path | None:
    """A small real APK (Android toolchain via examples.apk_builder), or None when the toolchain is missing."""
    try:
        from examples.apk_builder import ApkSpec, build_apk, smali_class

        spec = ApkSpec(package="com.example.fuzz", permissions=["android.permission.READ_PHONE_STATE"],
                       dex={"classes.dex": [smali_class("com.example.fuzz.Main"), smali_class("com.umeng.commonsdk.UMConfigure")]})
        return build_apk(spec, directory / "seed.apk")
    except Exception:  # no smali/aapt: the APK cases use synthetic archives only
        return None


def _inject(value: object, payloads: list[str], validate: Callable[[object], bool], rng: random.Random) -> object:
    """The JSON value with an XSS payload in every string leaf that the model still accepts."""

    def walk(node: object, root: object, setter: Callable[[object], None]) -> None:
        if isinstance(node, dict):
            for key in list(node):
                walk(node[key], root, lambda v, k=key, n=node: n.__setitem__(k, v))
        elif isinstance(node, list):
            for index in range(len(node)):
                walk(node[index], root, lambda v, i=index, n=node: n.__setitem__(i, v))
        elif isinstance(node, str):
            setter(f"{node}{rng.choice(payloads)}")
            if not validate(root):
                setter(node)

    walk(value, value, lambda v: None)
    return value


# -- cases -------------------------------------------------------------------------------


def apk_cases(root: Path, rng: random.Random, mutants: int) -> list[Case]:
    cases: list[Case] = []
    seed = build_seed_apk(root)

    def add(name: str, data: bytes, dex: int = 0) -> None:
        path = root / f"{name}.apk"
        path.write_bytes(data)
        cases.append(Case(f"apk/{name}", "apk", ["apk", "scan", str(path), "--format", "json"], [path], dex_bytes=dex))

    manifest = b"\x03\x00\x08\x00" + b"\x00" * 60
    if seed is not None:  # a real binary manifest lets the scan reach the nested archives and splits
        with zipfile.ZipFile(seed) as archive:
            manifest = archive.read("AndroidManifest.xml")
    add("empty", b"")
    add("random", os.urandom(300_000))
    add("bomb_member", _zip({"AndroidManifest.xml": manifest, "classes.dex": b"\x00" * (300 << 20)}))
    add("many_members", _zip({f"a/{i}": b"" for i in range(210_000)}, zipfile.ZIP_STORED))
    add("bogus_directory", _zip({"AndroidManifest.xml": manifest})[:-22] + b"PK\x05\x06" + b"\xff" * 18)
    nested = _zip({"classes.dex": b"dex\n035\x00" + b"\x00" * (200 << 20)})
    add("nested_bomb", _zip({"AndroidManifest.xml": manifest, "assets/inner.apk": nested, "assets/inner2.jar": nested}))
    split = _zip({"AndroidManifest.xml": manifest, "res/raw/pad.bin": b"\x00" * (250 << 20)})
    add("split_bundle_bomb", _zip({f"split_{i}.apk": split for i in range(6)} | {"base.apk": split}))
    zero = root / "zero.apk"
    zero.unlink(missing_ok=True)
    zero.symlink_to("/dev/zero")
    cases.append(Case("apk/dev_zero_symlink", "apk", ["apk", "scan", str(zero)]))
    fifo = root / "pipe.apk"
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    cases.append(Case("apk/fifo", "apk", ["apk", "scan", str(fifo)]))
    if seed is not None:
        data = seed.read_bytes()
        with zipfile.ZipFile(seed) as archive:
            dex = sum(i.file_size for i in archive.infolist() if i.filename.endswith(".dex"))
        add("seed", data, dex)
        for index, mutant in enumerate(_mutants(data, mutants, rng)):
            add(f"mutant{index}", mutant, dex)
        with zipfile.ZipFile(seed) as archive:
            entries = {i.filename: archive.read(i) for i in archive.infolist()}
        body = bytearray(entries["classes.dex"])
        body[56:64] = b"\xff\xff\xff\x7f\xff\xff\xff\x7f"  # string_ids size/offset far past the end
        add("dex_huge_counts", _zip({**entries, "classes.dex": bytes(body)}), len(body))
        for index, mutant in enumerate(_mutants(entries["classes.dex"], mutants, rng)):
            add(f"dex_mutant{index}", _zip({**entries, "classes.dex": mutant}), len(mutant))
    return cases


def _docx(body_xml: bytes, extra: dict[str, bytes] | None = None) -> bytes:
    content_types = (b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                     b'wordprocessingml.document.main+xml"/></Types>')
    rels = (b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            b'Target="word/document.xml"/></Relationships>')
    document = (b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                b"<w:body>" + body_xml + b"</w:body></w:document>")
    return _zip({"[Content_Types].xml": content_types, "_rels/.rels": rels, "word/document.xml": document, **(extra or {})})


def _paragraph(text: str) -> bytes:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()


def _pdf(stream: bytes, filters: str = "/FlateDecode") -> bytes:
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length " + str(len(stream)).encode() + b" /Filter " + filters.encode() + b" >>\nstream\n" + stream + b"\nendstream"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def policy_cases(root: Path, rng: random.Random, mutants: int) -> list[Case]:
    cases: list[Case] = []

    def add(name: str, data: bytes, suffix: str) -> None:
        path = root / f"{name}.{suffix}"
        path.write_bytes(data)
        cases.append(Case(f"policy/{name}", "policy", ["policy", "extract", str(path), "--format", "json"], [path]))

    words = "隐私政策 我们收集您的个人信息 SDK 权限 "
    add("brackets_450k", (f"# {words}\n" + "[" * 450_000 + "](" + "http://a.example/" + "x" * 150_000 + ")\n").encode(), "md")
    add("unclosed_links", (f"# {words}\n" + "[a](b" * 150_000 + "\n").encode(), "md")
    add("table_openers", (f"# {words}\n" + "<table><tr><td>" * 60_000 + "\n").encode(), "md")
    add("long_line", (words + "a" * 900_000).encode(), "txt")
    add("tags_unclosed", (f"<html><body><p>{words}</p>" + "<a " * 200_000 + "</body></html>").encode(), "html")
    laughs = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">' for i in range(10)) + "]>"
    add("html_deep", (f"<html><body><p>{words}</p>" + "<div>" * 100_000 + words + "</div>" * 100_000 + "</body></html>").encode(), "html")
    add("billion_laughs", (laughs + f"<html><body><p>{words} &lol9;</p></body></html>").encode(), "html")
    xxe = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    add("docx_xxe", _docx(xxe.encode() + _paragraph(words) + b"<w:p><w:r><w:t>&x;</w:t></w:r></w:p>"), "docx")
    span = (b'<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2000000000"/></w:tcPr>' + _paragraph("SDK名称")
            + b"</w:tc><w:tc>" + _paragraph("收集信息") + b"</w:tc></w:tr></w:tbl>")
    add("docx_gridspan", _docx(_paragraph(words) + span), "docx")
    merge = b'<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr>' + _paragraph("x") + b"</w:tc></w:tr>"
    add("docx_vmerge_chain", _docx(_paragraph(words) + b"<w:tbl>" + merge * 20_000 + b"</w:tbl>"), "docx")
    add("docx_bomb_body", _docx(_paragraph(words) + _paragraph("a") * 8 + b"<w:p>" + b"<w:r/>" * (40 << 20) + b"</w:p>"), "docx")
    add("docx_many_members", _docx(_paragraph(words), {f"word/media/{i}.bin": b"" for i in range(60_000)}), "docx")
    add("pdf_bomb_stream", _pdf(zlib.compress(b"BT /F1 12 Tf (" + b"a" * (200 << 20) + b") Tj ET", 9)), "pdf")
    add("pdf_damaged", _pdf(b"\x00garbage\xff" * 100)[:-40], "pdf")
    add("utf16_garbage", b"\xff\xfe" + os.urandom(200_000), "txt")
    fifo = root / "pipe.html"
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    cases.append(Case("policy/fifo", "policy", ["policy", "extract", str(fifo)]))
    zero = root / "zero.md"
    zero.unlink(missing_ok=True)
    zero.symlink_to("/dev/zero")
    cases.append(Case("policy/dev_zero_symlink", "policy", ["policy", "extract", str(zero)]))
    seed = (DEMO / "policy.md").read_bytes()
    for index, mutant in enumerate(_mutants(seed, mutants, rng)):
        add(f"md_mutant{index}", mutant, "md")
    lines = [line for line in seed.decode("utf-8", "ignore").splitlines()[:200] if "<" not in line and "&" not in line]
    docx = _docx(b"".join(_paragraph(line) for line in lines))
    for index, mutant in enumerate(_mutants(docx, mutants, rng)):
        add(f"docx_mutant{index}", mutant, "docx")
    return cases


def _har(entries: list[dict]) -> bytes:
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "fuzz", "version": "1"}, "entries": entries}}).encode()


def _entry(url: str, headers: list[tuple[str, str]] | None = None, body: bytes = b"", mime: str = "") -> dict:
    post = {"mimeType": mime, "text": base64.b64encode(body).decode(), "encoding": "base64"} if body else None
    request = {"method": "POST" if body else "GET", "url": url, "httpVersion": "HTTP/1.1",
               "headers": [{"name": k, "value": v} for k, v in headers or []], "queryString": [], "cookies": [],
               "headersSize": -1, "bodySize": len(body)}
    if post:
        request["postData"] = post
    return {"startedDateTime": "2026-11-02T09:30:00Z", "time": 1, "request": request,
            "response": {"status": 200, "statusText": "OK", "httpVersion": "HTTP/1.1", "headers": [], "cookies": [],
                         "content": {"size": 0, "mimeType": "text/plain"}, "redirectURL": "", "headersSize": -1, "bodySize": 0},
            "cache": {}, "timings": {"send": 0, "wait": 0, "receive": 0}}


def traffic_cases(root: Path, rng: random.Random, mutants: int) -> list[Case]:
    cases: list[Case] = []
    device = root / "device.yaml"
    device.write_text((DEMO / "device.yaml").read_text())

    def add(name: str, data: bytes, suffix: str = "har", with_device: bool = True) -> None:
        path = root / f"{name}.{suffix}"
        path.write_bytes(data)
        argv = ["traffic", "analyze", str(path), "--format", "json"] + (["--device", str(device)] if with_device else [])
        cases.append(Case(f"traffic/{name}", "traffic", argv, [path, device]))

    url = "https://api.example.com/v1/log"
    zbomb = _repeated(b"\x00" * (1 << 20), 1024, "zstd")
    add("zstd_bomb", _har([_entry(url, [("Content-Encoding", "zstd")], zbomb)]))
    add("gzip_bomb", _har([_entry(url, [("Content-Encoding", "gzip")], _repeated(b"\x00" * (1 << 20), 200, "gzip"))]))
    nested = base64.b64encode(gzip.compress(base64.b64encode(gzip.compress(b"a" * (100 << 20))))).decode()
    add("nested_base64_gzip", _har([_entry(f"{url}?d={nested[:1_000_000]}")]))
    add("zhar_bomb", _repeated(b" " * (1 << 20), 1024), "zhar")
    add("headers_50k_imei", _har([_entry(url, [(f"X-H{i}", IMEI) for i in range(50_000)])]))
    parts = b"".join(b'--b\r\nContent-Disposition: form-data; name="f%d"\r\n\r\n' % i + IMEI.encode() + b"\r\n" for i in range(50_000))
    add("multipart_50k", _har([_entry(url, [("Content-Type", "multipart/form-data; boundary=b")], parts + b"--b--\r\n")]))
    nest = b"".join(b'--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n' % (i, i + 1) for i in range(3000))
    add("multipart_nested", _har([_entry(url, [("Content-Type", "multipart/mixed; boundary=b0")], nest)]))
    add("json_deep", _har([_entry(url, [("Content-Type", "application/json")], b"[" * 200_000 + b"]" * 200_000)]))
    add("json_wide", _har([_entry(url, [("Content-Type", "application/json")], json.dumps([IMEI] * 200_000).encode())]))
    add("entries_100k", _har([_entry(f"{url}?imei={IMEI}&i={i}", [("X-Id", IMEI)]) for i in range(100_000)]))
    add("har_not_json", b"{" * 1_000_000)
    add("har_deep", b'{"log": {"entries": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}")
    long_url = url + "?" + "&".join(f"k{i}={IMEI}" for i in range(100_000))
    add("query_100k", _har([_entry(long_url)]))
    fifo = root / "pipe.har"
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    cases.append(Case("traffic/fifo", "traffic", ["traffic", "analyze", str(fifo)]))
    for name, text in {
        "imei_300k_digits": "imei: " + "9" * 300_000 + "\n",
        "imei_300k_string": 'imei: "' + "9" * 300_000 + '"\n',
        "yaml_aliases": "a: &a [" + ",".join(["x"] * 1000) + "]\nb: &b [" + ",".join(["*a"] * 1000) + "]\nimei: *b\n",
        "yaml_deep": "imei: " + "[" * 50_000 + "]" * 50_000 + "\n",
        "ssid_control": 'wifi_ssid: "\\x00\\x01\\u2028"\n',
    }.items():
        profile = root / f"{name}.yaml"
        profile.write_text(text)
        flows = root / "small.har"
        flows.write_bytes(_har([_entry(f"{url}?imei={IMEI}")]))
        cases.append(Case(f"device/{name}", "device", ["traffic", "analyze", str(flows), "--device", str(profile)], [profile, flows]))
    seed = (DEMO / "flows.har").read_bytes()
    for index, mutant in enumerate(_mutants(seed, mutants, rng)):
        add(f"har_mutant{index}", mutant)
    return cases


def _demo_json(kind: str) -> dict | list:
    """A declared table, scan or observations from the demo inputs, produced by Candor in this process."""
    if kind == "declared":
        from declared import extract_policy

        return extract_policy(DEMO / "policy.md").model_dump(mode="json")
    from addons.engine.analyze import analyze_file
    from addons.engine.device import load_device_profile

    observations = analyze_file(DEMO / "flows.har", load_device_profile(DEMO / "device.yaml"))
    return [o.model_dump(mode="json") for o in observations[:40]]


def report_cases(root: Path, rng: random.Random, seed_apk: Path | None) -> list[Case]:
    from pydantic import ValidationError

    from candor.model import DeclaredTable, TrafficObservation

    cases: list[Case] = []
    payloads = list(XSS_PAYLOADS)

    def valid(model: type) -> Callable[[object], bool]:
        def check(value: object) -> bool:
            try:
                if isinstance(value, list):
                    [model.model_validate(v) for v in value]
                else:
                    model.model_validate(value)
            except ValidationError:
                return False
            return True

        return check

    declared = root / "declared.json"
    declared.write_text(json.dumps(_inject(_demo_json("declared"), payloads, valid(DeclaredTable), rng), ensure_ascii=False))
    observations = root / "observations.jsonl"
    items = _inject(_demo_json("observations"), payloads, valid(TrafficObservation), rng)
    observations.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in items))  # type: ignore[union-attr]
    inputs = [declared, observations]
    code: list[str] = []
    if seed_apk is not None:
        from apk_scan import scan_apk
        from candor.model import StaticScan

        scan = root / "scan.json"
        hostile_scan = _inject(scan_apk(seed_apk).model_dump(mode="json"), payloads, valid(StaticScan), rng)
        scan.write_text(json.dumps(hostile_scan, ensure_ascii=False))
        inputs.append(scan)
        code = ["--scan", str(scan)]
    html = root / "xss_report.html"
    argv = ["report", "--declared", str(declared), *code, "--observations", str(observations),
            "-o", str(html), "--json", str(root / "xss_report.json"), "--no-history"]
    cases.append(Case("report/xss_every_field", "report", argv, inputs, html=html, must_write=html))
    line_sep = root / "u2028.jsonl"
    first = dict(items[0])  # type: ignore[index]
    first["url"] = first["url"] + "?q=a\u2028b\u2029c\u0085d"
    line_sep.write_text(json.dumps(first, ensure_ascii=False) + "\n", encoding="utf-8")
    out = root / "u2028.html"
    cases.append(Case("report/u2028_in_jsonl", "report", ["report", "--declared", str(declared), "--observations", str(line_sep),
                                                         "-o", str(out), "--no-history"], [line_sep, declared], must_write=out))
    for name, text in {"declared_deep": "sdks: " + "[" * 50_000 + "]" * 50_000, "declared_bigint": "sdks: " + "9" * 100_000,
                       "declared_aliases": "a: &a [" + ",".join(["x"] * 500) + "]\nsdks: [" + ",".join(["*a"] * 500) + "]"}.items():
        path = root / f"{name}.yaml"
        path.write_text(text + "\n")
        cases.append(Case(f"report/{name}", "report", ["report", "--declared", str(path), "--no-history"], [path]))
    garbage = root / "scan_garbage.json"
    garbage.write_bytes(b'{"package": ' + b"[" * 100_000)
    cases.append(Case("report/scan_garbage", "report", ["report", "--declared", str(declared), "--scan", str(garbage), "--no-history"],
                      [garbage, declared]))
    cases.append(Case("cli/output_is_a_directory", "cli", ["policy", "extract", str(DEMO / "policy.md"), "-o", str(root)]))
    fifo = root / "flows.fifo"
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    cases.append(Case("report/flows_fifo", "report", ["report", "--declared", str(declared), "--flows", str(fifo), "--no-history"]))
    cases.append(Case("cli/consent_at_-1e18", "cli", ["report", "--declared", str(declared), "--consent-at", "-1e18", "--no-history"]))
    for value in ("-1e18", "1e400", "nan", "9" * 5000):
        cases.append(Case(f"cli/consent_at={value[:8]}", "cli", ["traffic", "analyze", str(DEMO / "flows.har"), f"--consent-at={value}"]))
    cases.append(Case("cli/unknown_option", "cli", ["traffic", "analyze", "--no-such-option"]))
    cases.append(Case("cli/bad_int", "cli", ["report", "--max-per-minute", "lots"]))
    return cases


RUN_SQL = "INSERT INTO runs (kind, package, started_at, evidence, tool_version) VALUES ('report', 'com.example.app', ?, ?, '1')"
FINDING_SQL = "INSERT INTO findings (run_id, finding_id, kind, severity, title, data) VALUES (?, 'f', 'k', 'high', 't', '{\"id\": 5}')"


def _store(path: Path) -> Path:
    from candor.history.store import HistoryStore

    path.unlink(missing_ok=True)
    with HistoryStore(path):
        pass
    return path


def history_cases(root: Path, declared: Path) -> list[Case]:
    cases: list[Case] = []

    def add(name: str, store: Path, report_too: bool = True) -> None:
        cases.append(Case(f"history/{name}", "history", ["history", "--store", str(store)], [store]))
        cases.append(Case(f"history/{name}_package", "history", ["history", "--store", str(store), "com.example.app"], [store]))
        if report_too:
            out = root / f"{name}_report.html"
            cases.append(Case(f"history/{name}_report", "history", ["report", "--declared", str(declared), "--store", str(store),
                                                                    "-o", str(out)], must_write=out))

    foreign = root / "foreign.sqlite"
    foreign.unlink(missing_ok=True)
    with closing(sqlite3.connect(foreign)) as conn, conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.execute("INSERT INTO notes VALUES ('someone else''s data')")
    cases.append(Case("history/foreign_db_read_only", "history", ["history", "--store", str(foreign)], [foreign]))
    cases.append(Case("history/foreign_db_package", "history", ["history", "--store", str(foreign), "com.x"], [foreign]))
    out = root / "foreign_report.html"
    argv = ["report", "--declared", str(declared), "--store", str(foreign), "-o", str(out)]
    cases.append(Case("history/foreign_db_report", "history", argv, [foreign], must_write=out))
    view = _store(root / "recursive_view.sqlite")
    with closing(sqlite3.connect(view)) as conn, conn:
        conn.execute("ALTER TABLE runs RENAME TO runs_old")
        conn.execute("CREATE VIEW runs AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                     "SELECT n AS id, 'com.example.app' AS package, 'x' AS started_at, 'report' AS kind FROM r")
    add("recursive_view", view)
    trigger = _store(root / "trigger.sqlite")
    with closing(sqlite3.connect(trigger)) as conn, conn:
        conn.execute("CREATE TRIGGER t AFTER INSERT ON runs BEGIN DELETE FROM runs; END")
    add("trigger", trigger)
    damaged_row = _store(root / "damaged_row.sqlite")
    with closing(sqlite3.connect(damaged_row)) as conn, conn:
        conn.execute(RUN_SQL, ("x", "{"))
        conn.execute(RUN_SQL, ("y", "{}"))
        conn.execute(FINDING_SQL, (2,))
    add("damaged_row", damaged_row)
    bad_finding = _store(root / "bad_finding.sqlite")
    with closing(sqlite3.connect(bad_finding)) as conn, conn:
        conn.execute(RUN_SQL, ("y", "{}"))
        conn.execute(FINDING_SQL, (1,))
    add("bad_finding", bad_finding)
    garbage = root / "garbage.sqlite"
    garbage.write_bytes(os.urandom(40_000))
    add("garbage", garbage)
    truncated = _store(root / "truncated.sqlite")
    truncated.write_bytes(truncated.read_bytes()[:5000])
    add("truncated", truncated)
    fifo = root / "store.fifo"
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    cases.append(Case("history/fifo", "history", ["history", "--store", str(fifo)]))
    return cases


def build_cases(root: Path, seed: int = 13, mutants: int = 4, areas: tuple[str, ...] = ()) -> list[Case]:
    """Write every hostile input under `root`; the cases of the chosen areas (all when empty)."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    wanted = set(areas)
    cases: list[Case] = []
    if not wanted or "apk" in wanted:
        cases += apk_cases(root / "apk", rng, mutants) if _mkdir(root / "apk") else []
    if not wanted or "policy" in wanted:
        cases += policy_cases(root / "policy", rng, mutants) if _mkdir(root / "policy") else []
    if not wanted & {"traffic", "device"} and wanted:
        pass
    else:
        cases += traffic_cases(root / "traffic", rng, mutants) if _mkdir(root / "traffic") else []
    if not wanted or wanted & {"report", "cli", "history"}:
        _mkdir(root / "report")
        seed_apk = root / "apk" / "seed.apk"
        cases += report_cases(root / "report", rng, seed_apk if seed_apk.exists() else build_seed_apk(root / "report"))
        cases += history_cases(root / "report", root / "report" / "declared.json")
    return [c for c in cases if not wanted or c.area in wanted]


def _mkdir(path: Path) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    return True
