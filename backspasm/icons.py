"""Draw the app's home-screen icons (static/img/icon-*.png) from the favicon's design: `python -m backspasm.icons`.

The PNGs are committed; run this only to change them. Each is full-bleed (the green fills the square) with
the spine drawn inside the middle 60 %, so one image serves as both an "any" and a "maskable" icon.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

GREEN = (0, 112, 60)
WHITE = (255, 255, 255)
OUT = Path(__file__).resolve().parent.parent / "static" / "img"
# The favicon's strokes on its 32-unit grid: the spine, then the five cross-bars.
STROKES = [
    ((16, 5), (16, 27)),
    ((11, 9), (21, 9)),
    ((10, 14), (22, 14)),
    ((11, 19), (21, 19)),
    ((12, 24), (20, 24)),
]


def draw(size: int) -> Image.Image:
    image = Image.new("RGB", (size, size), GREEN)
    pen = ImageDraw.Draw(image)
    # The 32-unit design scaled into the maskable safe zone (the central 60 % of the square).
    scale = size * 0.6 / 22
    offset = size / 2 - 16 * scale
    width = round(2.5 * scale)
    for (x1, y1), (x2, y2) in STROKES:
        start = (offset + x1 * scale, offset + y1 * scale)
        end = (offset + x2 * scale, offset + y2 * scale)
        pen.line([start, end], fill=WHITE, width=width)
        for x, y in (start, end):  # round caps, as in the SVG
            pen.ellipse([x - width / 2, y - width / 2, x + width / 2, y + width / 2], fill=WHITE)
    return image


def main() -> None:
    for size in (192, 512):
        draw(size).save(OUT / f"icon-{size}.png", optimize=True)


if __name__ == "__main__":
    main()
