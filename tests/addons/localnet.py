"""Local-only network helpers for end-to-end tests and the bench: a self-signed HTTPS server and a mitmdump runner."""

import datetime
import ipaddress
import os
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MITMDUMP = Path(sys.executable).with_name("mitmdump")
SCRIPT = ROOT / "addons" / "candor_addon.py"
RESPONSE_BODY = b'{"status":"ok","data":{"next":"\\u00e9t\\u00e9"}}'
RESPONSE_HEADERS = {"Content-Type": "application/json", "X-Served-By": "fake-sdk"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1/localhost and its key, written as PEM files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "server.pem", directory / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeSdkServer:
    """What the server received, in order."""

    port: int
    received: list[Received] = field(default_factory=list)


@contextmanager
def https_server(directory: Path, record: bool = True) -> Iterator[FakeSdkServer]:
    """An HTTPS server on 127.0.0.1 answering every request with a fixed JSON body."""
    cert, key = self_signed(directory)
    state = FakeSdkServer(port=0)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if record:
                state.received.append(Received(self.command, self.path, dict(self.headers.items()), body))
            self.send_response(200)
            for name, value in RESPONSE_HEADERS.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(RESPONSE_BODY)))
            self.end_headers()
            self.wfile.write(RESPONSE_BODY)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Proxy:
    port: int
    ca: Path
    process: subprocess.Popen
    log: Path


@contextmanager
def mitmdump(directory: Path, *options: str, scripts: tuple[Path, ...] = (), timeout: float = 20.0,
             program: str = "mitmdump") -> Iterator[Proxy]:
    """A real mitmdump (or `program`, e.g. mitmweb) on 127.0.0.1 with its CA in `directory`; stopped (SIGINT, then kill) on exit."""
    port = free_port()
    confdir = directory / "mitm-conf"
    confdir.mkdir(exist_ok=True)
    log = directory / f"{program}-{port}.log"
    command = [str(MITMDUMP.with_name(program)), "--listen-host", "127.0.0.1", "--listen-port", str(port), "--set", f"confdir={confdir}",
               "--set", "ssl_insecure=true"]
    command += ["--set", "flow_detail=0"] if program == "mitmdump" else ["--no-web-open-browser"] if program == "mitmweb" else []
    for script in scripts:
        command += ["-s", str(script)]
    for option in options:
        command += ["--set", option]
    handle = log.open("wb")
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, cwd=directory, env=env)
    proxy = Proxy(port, confdir / "mitmproxy-ca-cert.pem", process, log)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"mitmdump exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise TimeoutError("mitmdump did not open its port") from None
                time.sleep(0.1)
        yield proxy
    finally:
        stop(process)
        handle.close()


def stop(process: subprocess.Popen) -> None:
    """Graceful stop (runs the addons' `done`), then kill if it hangs."""
    if process.poll() is not None:
        return
    process.send_signal(2)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)
