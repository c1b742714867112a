"""QR codes, drawn as inline vector SVG for print.

A code is one SVG path of dark modules, 100 % K, with a light quiet zone of 4 modules, sized in mm
by the template. Nothing is called ready until the page has been rasterised at 300 dpi and the code
read back to exactly its intended payload (preflight.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import qrcode
import qrcode.constants
from markupsafe import Markup, escape

QUIET_ZONE_MODULES = 4
ERROR_CORRECTION = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}
DECODE_DPI = 300
DARK = "device-cmyk(0 0 0 1)"  # 100 % K: no registration trouble on press
LIGHT = "device-cmyk(0 0 0 0)"


@dataclass(frozen=True)
class QrCode:
    payload: str
    modules: int  # per side, quiet zone included
    svg: Markup


def make_qr(payload: str, error_correction: str, label: str) -> QrCode:
    """The smallest QR code (never Micro QR) holding ``payload`` at the given level."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION[error_correction],
                         border=QUIET_ZONE_MODULES)
    code.add_data(payload.encode("utf-8"), optimize=0)
    code.make(fit=True)
    matrix = code.get_matrix()  # quiet zone included
    size = len(matrix)
    # One path: each horizontal run of dark modules is one rectangle, so the file stays small.
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < size:
            if row[x]:
                start = x
                while x < size and row[x]:
                    x += 1
                runs.append(f"M{start} {y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    svg = Markup(
        f'<svg class="qr-code" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'role="img" aria-label="{escape(label)}" shape-rendering="crispEdges">'
        f'<title>{escape(label)}</title><rect fill="{LIGHT}" width="{size}" height="{size}"/>'
        f'<path fill="{DARK}" d="{"".join(runs)}"/></svg>')
    return QrCode(payload, size, svg)
