#!/usr/bin/env python3
"""Render the domain-shift lesson's printed-digits image folder from the fonts Debian installed.

Run with Debian's python3 (it has python3-pil): /usr/bin/python3 scripts/pretrain/printed_digits.py
See scripts/pretrain/README.md. Each image is one digit in one font, dark ink on light paper, the way
a photographed or scanned label might look: seeded small rotations, offsets and scales, ink and paper
colours, uneven lighting and a little blur, RGB, 36 to 56 pixels square (the site build
resizes them to 28x28 and converts them to grayscale). Writes, relative to --out (default: the repository root):
  content/domain-shift/data/printed/<digit>/<nnn>-<font>.png
  content/domain-shift/data/printed.card.json and printed.CARD.md
"""

import argparse
import hashlib
import io
import json
import os
import shutil

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont, features

SEED = 20241214
PER_CLASS = 50
SIZES = (36, 56)          # image side in pixels, inclusive, drawn per image
DIGIT_HEIGHT = (0.55, 0.8)  # the digit's ink height as a fraction of the side
ROTATION = 8.0            # degrees, either way
OFFSET = 0.08             # the digit's centre moves up to this fraction of the side
SUPERSAMPLE = 4           # glyphs are drawn this many times larger, then reduced (smooth edges)

# (file under /usr/share/fonts, short name): upright and slanted, light to bold, serif, sans and mono,
# from the packages fonts-dejavu-core, fonts-liberation2, fonts-freefont-ttf and fonts-urw-base35.
FONTS = [
    ("truetype/dejavu/DejaVuSans.ttf", "dejavu-sans"),
    ("truetype/dejavu/DejaVuSans-Bold.ttf", "dejavu-sans-bold"),
    ("truetype/dejavu/DejaVuSans-Oblique.ttf", "dejavu-sans-oblique"),
    ("truetype/dejavu/DejaVuSansCondensed.ttf", "dejavu-sans-condensed"),
    ("truetype/dejavu/DejaVuSerif.ttf", "dejavu-serif"),
    ("truetype/dejavu/DejaVuSerif-Bold.ttf", "dejavu-serif-bold"),
    ("truetype/dejavu/DejaVuSansMono.ttf", "dejavu-mono"),
    ("truetype/liberation2/LiberationSans-Regular.ttf", "liberation-sans"),
    ("truetype/liberation2/LiberationSans-Bold.ttf", "liberation-sans-bold"),
    ("truetype/liberation2/LiberationSerif-Regular.ttf", "liberation-serif"),
    ("truetype/liberation2/LiberationSerif-Italic.ttf", "liberation-serif-italic"),
    ("truetype/liberation2/LiberationMono-Regular.ttf", "liberation-mono"),
    ("truetype/freefont/FreeSans.ttf", "freesans"),
    ("truetype/freefont/FreeSansBold.ttf", "freesans-bold"),
    ("truetype/freefont/FreeSerif.ttf", "freeserif"),
    ("truetype/freefont/FreeSerifBoldItalic.ttf", "freeserif-bold-italic"),
    ("truetype/freefont/FreeMonoBold.ttf", "freemono-bold"),
    ("opentype/urw-base35/NimbusSans-Regular.otf", "nimbus-sans"),
    ("opentype/urw-base35/NimbusSansNarrow-Bold.otf", "nimbus-sans-narrow-bold"),
    ("opentype/urw-base35/NimbusRoman-Regular.otf", "nimbus-roman"),
    ("opentype/urw-base35/C059-Roman.otf", "c059"),
    ("opentype/urw-base35/C059-Bold.otf", "c059-bold"),
    ("opentype/urw-base35/P052-Roman.otf", "p052"),
    ("opentype/urw-base35/P052-Italic.otf", "p052-italic"),
    ("opentype/urw-base35/URWBookman-Light.otf", "bookman-light"),
    ("opentype/urw-base35/URWBookman-Demi.otf", "bookman-demi"),
    ("opentype/urw-base35/URWGothic-Book.otf", "urw-gothic"),
    ("opentype/urw-base35/URWGothic-Demi.otf", "urw-gothic-demi"),
    ("opentype/urw-base35/NimbusMonoPS-Bold.otf", "nimbus-mono-bold"),
]
FONT_ROOT = "/usr/share/fonts"

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA_DIR = os.path.join("content", "domain-shift", "data")
OUT_DIR = os.path.join(DATA_DIR, "printed")


def glyph_mask(font_path, digit, height_px, angle):
    """The digit's coverage in [0,1], its ink `height_px` tall (before rotation), cropped to the ink."""
    probe = ImageFont.truetype(font_path, 100 * SUPERSAMPLE)
    left, top, right, bottom = probe.getbbox(digit)
    font = ImageFont.truetype(font_path, max(1, round(100 * SUPERSAMPLE * height_px * SUPERSAMPLE / (bottom - top))))
    left, top, right, bottom = font.getbbox(digit)
    pad = SUPERSAMPLE * 4
    canvas = Image.new("L", (right - left + 2 * pad, bottom - top + 2 * pad), 0)
    ImageDraw.Draw(canvas).text((pad - left, pad - top), digit, fill=255, font=font)
    canvas = canvas.rotate(angle, resample=Image.BICUBIC, expand=True)
    return canvas.crop(canvas.getbbox())


def render(digit, font_path, rng):
    side = int(rng.integers(SIZES[0], SIZES[1] + 1))
    height = rng.uniform(*DIGIT_HEIGHT) * side
    angle = rng.uniform(-ROTATION, ROTATION)
    mask = glyph_mask(font_path, digit, height, angle)
    # Reduce the supersampled glyph to its size in the image, then place its centre near the middle.
    w = max(1, round(mask.width / SUPERSAMPLE))
    h = max(1, round(mask.height / SUPERSAMPLE))
    small = mask.resize((w, h), resample=Image.LANCZOS)
    if w > side or h > side:  # a wide glyph at a large size: shrink it to fit
        scale = min(side / w, side / h) * 0.95
        small = small.resize((max(1, round(w * scale)), max(1, round(h * scale))), resample=Image.LANCZOS)
    cx = side / 2 + rng.uniform(-OFFSET, OFFSET) * side
    cy = side / 2 + rng.uniform(-OFFSET, OFFSET) * side
    x0 = int(np.clip(round(cx - small.width / 2), 0, side - small.width))
    y0 = int(np.clip(round(cy - small.height / 2), 0, side - small.height))
    coverage = np.zeros((side, side), np.float64)
    coverage[y0:y0 + small.height, x0:x0 + small.width] = np.asarray(small, np.float64) / 255
    blur = rng.uniform(0.0, 0.7)  # focus: a sharp print to a slightly soft photo
    if blur > 0.2:
        coverage = np.asarray(Image.fromarray(np.uint8(np.round(coverage * 255))).filter(
            ImageFilter.GaussianBlur(blur)), np.float64) / 255

    # Paper: white, cream or grey, lit unevenly (a linear gradient); ink: black, dark blue or brown.
    warmth = rng.uniform(0, 8) if rng.random() < 0.5 else 0.0  # cream: a little less green, less blue
    paper = rng.uniform(215, 255) - warmth * np.array([0, 1, 2.5])
    ink = rng.choice([np.array([25.0, 25, 30]), np.array([20.0, 35, 95]), np.array([70.0, 40, 25])])
    ink = ink + rng.uniform(-15, 25)
    gy, gx = np.mgrid[0:side, 0:side] / (side - 1) - 0.5
    direction = rng.uniform(0, 2 * np.pi)
    light = 1 + rng.uniform(0, 0.18) * (np.cos(direction) * gx + np.sin(direction) * gy)
    rgb = (paper[None, None, :] * (1 - coverage[..., None]) + ink[None, None, :] * coverage[..., None])
    rgb = rgb * light[..., None]
    # No sensor noise: even 1 grey level of it doubled the PNGs' size, and blur, lighting and colours
    # already keep the paper from being a flat 255.
    return np.uint8(np.clip(np.round(rgb), 0, 255))


def png_bytes(rgb):
    buffer = io.BytesIO()
    Image.fromarray(rgb, mode="RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--per-class", type=int, default=PER_CLASS)
    ap.add_argument("--out", default=REPO_ROOT, help="root under which the folder and card are written")
    args = ap.parse_args()

    missing = [path for path, _ in FONTS if not os.path.exists(os.path.join(FONT_ROOT, path))]
    if missing:
        raise SystemExit("missing fonts: " + ", ".join(missing) + "\ninstall them with `apt-get install "
                         "fonts-dejavu-core fonts-liberation2 fonts-freefont-ttf fonts-urw-base35`")
    rng = np.random.default_rng(SEED)
    root = os.path.join(args.out, OUT_DIR)
    if os.path.isdir(root):
        shutil.rmtree(root)  # a rerun with fewer images per class must not leave old ones behind
    files = {}
    fonts_used = {name: 0 for _, name in FONTS}
    for digit in range(10):
        # Every font in turn, in a seeded order per class, so each class has every font about equally often.
        order = rng.permutation(len(FONTS))
        for i in range(args.per_class):
            path, name = FONTS[order[i % len(FONTS)]]
            data = png_bytes(render(str(digit), os.path.join(FONT_ROOT, path), rng))
            rel = f"{digit}/{i:03d}-{name}.png"
            files[rel] = data
            fonts_used[name] += 1
    for rel, data in files.items():
        os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
        with open(os.path.join(root, rel), "wb") as f:
            f.write(data)

    digest = sha256("".join(f"{rel} {sha256(data)}\n" for rel, data in sorted(files.items())).encode("utf-8"))
    card = {
        "name": "printed",
        "description": "Printed digits 0-9 rendered from real fonts, dark ink on light paper, RGB PNG, "
                       f"{SIZES[0]}-{SIZES[1]} px square; one folder per class.",
        "path": OUT_DIR.replace(os.sep, "/"),
        "classes": [str(d) for d in range(10)], "perClass": args.per_class, "files": len(files),
        "bytes": sum(len(b) for b in files.values()), "digest": digest,
        "fonts": [{"file": os.path.join(FONT_ROOT, path), "name": name, "images": fonts_used[name]}
                  for path, name in FONTS],
        "rendering": {
            "seed": SEED, "sidePixels": list(SIZES), "digitHeightFraction": list(DIGIT_HEIGHT),
            "rotationDegrees": ROTATION, "centreOffsetFraction": OFFSET, "supersample": SUPERSAMPLE,
            "blurRadius": "uniform 0-0.7 px, applied above 0.2",
            "paper": "grey level 215-255; half of the sheets cream (green up to 8 and blue up to 20 levels lower)",
            "ink": "near black, dark blue or dark brown, lightened by up to 25 levels",
            "lighting": "linear gradient in a random direction, up to 18% brighter across the image",
                    },
        "environment": {"pillow": Image.__version__, "freetype": features.version("freetype2"),
                        "numpy": np.__version__},
        "reproduce": "apt-get install python3-pil fonts-dejavu-core fonts-liberation2 fonts-freefont-ttf "
                     "fonts-urw-base35 && /usr/bin/python3 scripts/pretrain/printed_digits.py",
    }
    with open(os.path.join(args.out, DATA_DIR, "printed.card.json"), "w") as f:
        f.write(json.dumps(card, indent=1) + "\n")
    with open(os.path.join(args.out, DATA_DIR, "printed.CARD.md"), "w") as f:
        f.write(card_markdown(card))
    print(f"wrote {len(files)} images ({card['bytes']:,} bytes) under {root}")


def card_markdown(card):
    r = card["rendering"]
    lines = [
        "# Data card: printed digits",
        "",
        card["description"],
        "",
        "Generated by `scripts/pretrain/printed_digits.py`; do not edit by hand (machine-readable twin: "
        "`printed.card.json`).",
        "",
        f"- `{card['path']}/<digit>/<nnn>-<font>.png`: {card['perClass']} images per digit, "
        f"{card['files']} in all, {card['bytes']:,} bytes.",
        "- Each class uses every font below about equally often, in a seeded order.",
        f"- Rendering (seed {r['seed']}): the glyph is drawn {r['supersample']}x larger with FreeType and "
        f"reduced (Lanczos); its ink is {r['digitHeightFraction'][0]:.0%}-{r['digitHeightFraction'][1]:.0%} of "
        f"the image's height, rotated up to ±{r['rotationDegrees']:g}°, its centre moved up to "
        f"{r['centreOffsetFraction']:.0%} of the side; blur {r['blurRadius']}; paper {r['paper']}; "
        f"ink {r['ink']}; lighting: {r['lighting']}; no noise (it doubled the files' size).",
        f"- Pillow {card['environment']['pillow']}, FreeType {card['environment']['freetype']}. "
        "Another FreeType may rasterise differently; `digest` in the JSON card is a sha256 over every "
        "file's path and sha256.",
        "",
        "| font | file | images |",
        "|---|---|---:|",
    ]
    for font in card["fonts"]:
        lines.append(f"| {font['name']} | `{font['file']}` | {font['images']} |")
    lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
