"""Traffic analysis (issue #5): which SDK sent which device identifier where, before or after consent.

Public API: `load_device_profile`, `analyze_file`, `load_observations`, `DeviceProfile`, and the
detector core `addons.detect.Detector` (over the neutral `addons.request.RequestData`). The
mitmproxy addon script is `addons/candor_addon.py`. Imports are lazy so `candor --help` stays fast.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from addons.analyze import analyze_file
    from addons.device import DeviceProfile, load_device_profile
    from addons.sink import load_observations

__all__ = ["DeviceProfile", "analyze_file", "load_device_profile", "load_observations"]
_HOMES = {"analyze_file": "addons.analyze", "DeviceProfile": "addons.device", "load_device_profile": "addons.device",
          "load_observations": "addons.sink"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'addons' has no attribute {name!r}")
