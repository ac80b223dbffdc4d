"""One identifier seen leaving the device in one flow."""

from typing import Literal

from pydantic import Field

from candor.model.common import IdentifierId, Model


class TrafficObservation(Model):
    """An identifier found in a request, attributed to a destination party."""

    flow_id: str
    timestamp: float = Field(description="Request time, seconds since the epoch.")
    method: str
    url: str
    scheme: str
    host: str
    registrable_domain: str | None = None
    cleartext: bool = False
    party: Literal["sdk", "first_party", "third_party"]
    sdk_id: str | None = None
    name: str = Field(description="SDK name, 'app' for first party, or the registrable domain.")
    identifier: IdentifierId
    location: Literal["url_path", "query", "header", "cookie", "form", "multipart", "json", "protobuf", "body"]
    field: str | None = Field(default=None, description="Query key, header name or JSON path.")
    encoding: list[str] = Field(default_factory=list, description="Outermost first, e.g. base64, gzip.")
    hash: Literal["md5", "sha1", "sha256"] | None = None
    value: str = Field(description="The matched text as transmitted (mask before display).")
    detection: Literal["profile", "shape", "key", "cross_flow"] = Field(
        default="profile",
        description="profile: a device-profile value; shape: value shape; key: parameter key; cross_flow: "
        "a random-looking id repeated across hosts or requests.",
    )
    issuer: str | None = Field(default=None, description="For install_id: the SDK that issued it, when known.")
    confidence: float = 1.0
    before_consent: bool | None = None
    burst: bool = False
