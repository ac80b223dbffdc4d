"""Traffic analysis: which SDK sent which device identifier where, before or after consent.

Two parts share one engine:
- `addons.engine`: the pure traffic engine (requests, decoding, detection, attribution, consent,
  frequency, summaries, capture-file reading). No mitmproxy imports except `engine.flowfile`, which
  reads mitmproxy dumps and copies live flows.
- `addons.proxy`: the mitmproxy glue (the addon, its background detector process and their messages).
  The script to load is `mitmdump -s addons/candor_addon.py`; `addons/cli.py` is `candor traffic analyze`.

Public API: `load_device_profile`, `analyze_file`, `load_observations`, `DeviceProfile`, and the
detector core `addons.engine.detect.Detector` (over the neutral `addons.engine.request.RequestData`).
Imports are lazy so `candor --help` stays fast.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from addons.engine.analyze import analyze_file
    from addons.engine.device import DeviceProfile, load_device_profile
    from addons.engine.sink import load_observations

__all__ = ["DeviceProfile", "analyze_file", "load_device_profile", "load_observations"]
_HOMES = {"analyze_file": "addons.engine.analyze", "DeviceProfile": "addons.engine.device", "load_device_profile": "addons.engine.device",
          "load_observations": "addons.engine.sink"}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        import importlib

        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module 'addons' has no attribute {name!r}")
