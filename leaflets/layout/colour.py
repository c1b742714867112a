"""Colours: CMYK for print, and the RGB a screen shows for them in the digital twin."""

from __future__ import annotations

import io
import re
from functools import lru_cache
from typing import cast

from PIL import Image, ImageCms

from ..press.pdfx import PROFILE_FILE

WCAG_AA_CONTRAST = 4.5  # white text on the accent, and accent text on white, in the screen twin
DEVICE_CMYK = re.compile(r"device-cmyk\(\s*([0-9.]+(?:\s+[0-9.]+){3})\s*\)")


def cmyk(fractions) -> str:
    """CSS for a CMYK colour given as ink fractions (0–1)."""
    c, m, y, k = (round(value, 4) for value in fractions)
    return f"device-cmyk({c:g} {m:g} {y:g} {k:g})"


@lru_cache(maxsize=1)
def press_profile() -> bytes:
    """The tool's generic CMYK profile: what DeviceCMYK means in its files."""
    return PROFILE_FILE.read_bytes()


@lru_cache(maxsize=4)
def _to_srgb(profile: bytes) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                                   ImageCms.createProfile("sRGB"), "CMYK", "RGB",
                                   renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)


@lru_cache(maxsize=1024)
def screen_rgb(fractions: tuple[float, ...], profile: bytes | None = None) -> tuple[int, int, int]:
    """The sRGB colour of a CMYK ink mix (four fractions 0–1, clamped) as ``profile`` (the
    tool's generic one unless given) prints it. Greys (black ink only) become neutral greys,
    100 % K pure black, as screens expect text. The one conversion to RGB: the screen twin's
    colours and the RGB office sheets' are the same."""
    c, m, y, k = (min(max(value, 0.0), 1.0) for value in fractions)
    if c == m == y == 0:
        grey = round(255 * (1 - k))
        return grey, grey, grey
    pixel = Image.new("CMYK", (1, 1), tuple(round(v * 255) for v in (c, m, y, k)))
    # getpixel, not tobytes: that would import PIL's file encoders for one pixel.
    rgb = _to_srgb(profile or press_profile()).apply(pixel).getpixel((0, 0))
    return cast(tuple[int, int, int], rgb)  # an RGB image's pixel


def contrast_with_white(rgb: tuple[int, int, int]) -> float:
    """The WCAG 2 contrast ratio of a colour against white."""
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    red, green, blue = (linear(v) for v in rgb)
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


def readable_accent(percentages) -> str:
    """The accent for screens: its printed colour, darkened just enough that white text on it and
    it on white reach WCAG AA contrast (4.5:1)."""
    red, green, blue = screen_rgb(tuple(v / 100 for v in percentages))
    while contrast_with_white((red, green, blue)) < WCAG_AA_CONTRAST:
        red, green, blue = (round(v * 0.95) for v in (red, green, blue))
    return f"rgb({red}, {green}, {blue})"


def to_screen(html: str) -> str:
    """Every ``device-cmyk()`` colour of a rendered page turned into its screen RGB."""
    def replace(match: re.Match) -> str:
        fractions = tuple(float(v) for v in match.group(1).split())
        return "rgb({}, {}, {})".format(*screen_rgb(fractions))
    return DEVICE_CMYK.sub(replace, html)
