"""Shared test material: a device profile with realistic values and request builders."""

import time

from addons.engine.detect import Detector
from addons.engine.device import DeviceProfile
from addons.engine.request import RequestData
from candor.catalog.session import current_catalog

IMEI = "865166023456786"  # Luhn-valid, TAC prefix 86
IMSI = "460011234567890"
ICCID = "89860112345678901237"
MAC = "3c:28:6d:9a:41:7e"
ANDROID_ID = "9774d56d682e549c"
OAID = "0f8e1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
GAID = "1209d0b9-b959-42e6-b921-aa5d9d08c1af"
SERIAL = "R58M12ABCDE"
PHONE = "13812345678"
BSSID = "f4:83:cd:12:ab:90"
SSID = "TP-LINK_5G_办公室"
LAT, LON = 39.9042, 116.4074

PROFILE = DeviceProfile(
    imei=IMEI, imsi=IMSI, iccid=ICCID, mac=MAC, android_id=ANDROID_ID, oaid=OAID, gaid=GAID, serial=SERIAL,
    phone_number=PHONE, wifi_bssid=BSSID, wifi_ssid=SSID, location={"lat": LAT, "lon": LON},
)


def request(url: str = "https://api.example.com/v1/log", body: bytes = b"", headers: list[tuple[str, str]] | None = None,
            method: str | None = None, timestamp: float | None = None) -> RequestData:
    when = time.time() if timestamp is None else timestamp
    return RequestData(flow_id="t1", timestamp=when, method=method or ("POST" if body else "GET"), url=url,
                       headers=headers or [], body=body)


def profile_detector(**kwargs) -> Detector:
    return Detector(PROFILE, current_catalog(), **kwargs)


def shape_detector(**kwargs) -> Detector:
    return Detector(None, current_catalog(), **kwargs)
