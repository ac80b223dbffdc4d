"""The neutral request every reader and the mitmproxy addon hand to the detector."""

from dataclasses import dataclass, field
from typing import NamedTuple

MAX_COPIED_BODY = 2 * 1024 * 1024  # never copy more of a body than the detector would scan


class WireRequest(NamedTuple):
    """A request's raw parts exactly as mitmproxy holds them: the cheapest copy to make and to send to another process."""

    flow_id: str
    timestamp: float
    method: bytes
    scheme: bytes
    host: str
    port: int
    path: bytes
    fields: tuple[tuple[bytes, bytes], ...]
    body: bytes


@dataclass(slots=True)
class RequestData:
    """One HTTP request as seen on the wire, independent of where it was read from.

    `body` is the raw body (still content-encoded unless `body_decoded`); cookies are
    parsed from the Cookie header when not given.
    """

    flow_id: str
    timestamp: float
    method: str
    url: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    cookies: list[tuple[str, str]] | None = None
    body_decoded: bool = False

    def header(self, name: str) -> str | None:
        """First value of a header, case-insensitively."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    def cookie_pairs(self) -> list[tuple[str, str]]:
        """Cookies as (name, value): given ones, else parsed from every Cookie header."""
        if self.cookies is not None:
            return self.cookies
        pairs: list[tuple[str, str]] = []
        for key, value in self.headers:
            if key.lower() != "cookie":
                continue
            for part in value.split(";"):
                name, sep, text = part.strip().partition("=")
                if sep and name:
                    pairs.append((name, text))
        return pairs


def from_wire(wire: WireRequest) -> RequestData:
    """Rebuild the request; the URL names the host the client asked for (Host header), as mitmproxy's pretty_url does."""
    flow_id, timestamp, method, scheme, host, port, path, fields, body = wire
    headers = [(name.decode("utf-8", "replace"), value.decode("utf-8", "replace")) for name, value in fields]
    scheme, path = scheme.decode("ascii", "replace"), path.decode("utf-8", "replace")
    authority = next((value for name, value in headers if name.lower() == "host"), "")
    if not authority or path.startswith(("http://", "https://")):
        default = (scheme == "https" and port == 443) or (scheme == "http" and port == 80)
        authority = host if default else f"{host}:{port}"
        if ":" in host and not host.startswith("["):
            authority = f"[{host}]" if default else f"[{host}]:{port}"
    url = path if path.startswith(("http://", "https://")) else f"{scheme}://{authority}{path}"
    return RequestData(flow_id=flow_id, timestamp=timestamp, method=method.decode("ascii", "replace"), url=url, headers=headers, body=body)
