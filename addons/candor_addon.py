"""mitmproxy script: `mitmdump -s addons/candor_addon.py --set candor_device=device.yaml --set candor_out=obs.jsonl`.

Works from any directory: the `addons` package is imported from the installed
(editable) Candor, or from the checkout this file lives in when it is not installed.
"""

import sys
from pathlib import Path

_here = str(Path(__file__).resolve().parent)
# mitmproxy puts the script's folder on sys.path; our module names must not shadow anything.
sys.path[:] = [p for p in sys.path if p and str(Path(p).resolve()) != _here]
try:
    import addons.proxy.addon as _candor
except ImportError:  # not installed: use the checkout this file lives in
    sys.path.append(str(Path(_here).parent))
    import addons.proxy.addon as _candor

addons = [_candor.Candor()]
