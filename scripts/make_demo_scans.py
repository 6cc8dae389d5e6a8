#!/usr/bin/env python3
"""Draws the demo exhibition's illustrative "scans": large raster pages worth
zooming into, so the deep-zoom viewer and the IIIF manifests have something
to show.

They are reproductions made for the demo, not photographs of archival
originals, and each one says so in its margin. Every text on them comes from
the item's own transcription (录文) in content/archive/; the rest of a page
is marked as left out. Run from the repository root:

    pip install pillow
    python3 scripts/make_demo_scans.py

Needs the Noto Serif CJK font (Debian: fonts-noto-cjk). Output is
deterministic for a given Pillow and font version (fixed random seeds), and
written as palette PNGs of a few dozen colours so that each stays well under
1.5 MB while being 3000 × 4000 pixels.
"""

import os
import random
import sys

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_PATHS = [
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
]
WIDTH, HEIGHT = 3000, 4000
PAPER = (236, 226, 204)
INK = (48, 38, 30)
RED = (178, 58, 42)
NOTE = "示意复原 · 兰台示例档案馆为本展制作，非档案原件"


def font(size, bold=False):
    path = FONT_PATHS[1 if bold else 0]
    if not os.path.exists(path):
        sys.exit(f"missing font {path}: install Debian's fonts-noto-cjk")
    # index 2 of the collection is Simplified Chinese (SC)
    return ImageFont.truetype(path, size, index=2)


def paper(seed):
    """Aged paper: a low-frequency stain pattern with a few fibres."""
    rng = random.Random(seed)
    small = Image.new("RGB", (30, 40))
    for y in range(40):
        for x in range(30):
            d = rng.randint(-10, 6)
            small.putpixel((x, y), tuple(max(0, min(255, c + d)) for c in PAPER))
    page = small.resize((WIDTH, HEIGHT), Image.BICUBIC).filter(ImageFilter.GaussianBlur(40))
    draw = ImageDraw.Draw(page)
    for _ in range(400):
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        length = rng.randint(8, 40)
        draw.line((x, y, x + rng.randint(-length, length), y + rng.randint(-8, 8)),
                  fill=(200, 188, 165), width=2)
    # darker, foxed edges
    edge = Image.new("L", (WIDTH, HEIGHT), 0)
    ImageDraw.Draw(edge).rectangle((60, 60, WIDTH - 60, HEIGHT - 60), fill=255)
    edge = edge.filter(ImageFilter.GaussianBlur(70))
    dark = Image.new("RGB", (WIDTH, HEIGHT), (190, 170, 135))
    return Image.composite(page, dark, edge)


def vertical_text(draw, text, x, y, size, rng, hand=False, fill=INK, step=None, bold=False):
    """Writes `text` top to bottom from (x, y), the column centred on x.
    `hand` jitters each character like a brush: size, slant and place."""
    step = step or int(size * 1.12)
    f = font(size, bold)
    for ch in text:
        if ch == "\n":
            continue
        if hand:
            s = int(size * rng.uniform(0.9, 1.08))
            glyph = Image.new("L", (s * 2, s * 2), 0)
            ImageDraw.Draw(glyph).text((s // 2, s // 3), ch, font=font(s, bold), fill=255)
            glyph = glyph.rotate(rng.uniform(-5, 5), resample=Image.BICUBIC)
            shade = tuple(max(0, c + rng.randint(-12, 25)) for c in fill)
            ox, oy = rng.randint(-6, 6), rng.randint(-5, 5)
            draw._image.paste(shade, (int(x - s + ox), int(y - s // 3 + oy)), glyph)
        else:
            draw.text((x, y), ch, font=f, fill=fill, anchor="mt")
        y += step
    return y


def columns(draw, lines, right, top, pitch, size, rng, hand=False, bottom=HEIGHT - 400):
    """Lays out `lines` in vertical columns from the right, wrapping long ones."""
    x = right
    per_column = max(1, (bottom - top) // int(size * 1.12))
    for line in lines:
        chunks = [line[i:i + per_column] for i in range(0, len(line), per_column)] or [""]
        for chunk in chunks:
            vertical_text(draw, chunk, x, top, size, rng, hand=hand)
            x -= pitch
    return x


def margin_note(draw):
    draw.text((WIDTH // 2, HEIGHT - 150), NOTE, font=font(54), fill=(110, 90, 70), anchor="mm")


def seal(draw, x, y, text="示意"):
    draw.rectangle((x, y, x + 230, y + 230), fill=RED)
    draw.text((x + 115, y + 115), text, font=font(86, bold=True), fill=PAPER, anchor="mm")


def save(image, path):
    # A palette of a few dozen colours keeps the PNG small; the stains are
    # smooth enough that this shows no banding at normal zoom.
    image.quantize(colors=48, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        path, optimize=True)
    print(f"{path}: {os.path.getsize(path) / 1e6:.2f} MB")


def manuscript():
    """hx-0009: a page of red-ruled manuscript paper (稿纸), written by hand."""
    rng = random.Random(9)
    page = paper(9)
    draw = ImageDraw.Draw(page)
    left, right, top, bottom = 420, 2700, 380, 3560
    pitch = (right - left) / 10
    for i in range(11):
        x = left + i * pitch
        draw.line((x, top, x, bottom), fill=(196, 106, 85), width=5)
    draw.rectangle((left, top, right, bottom), outline=(196, 106, 85), width=10)
    lines = ["共产党宣言", "一个怪物，在欧洲徘徊着，", "这怪物就是共产主义。", "□□□□〔墨迹漫漶〕"]
    x = right - pitch / 2
    for line in lines:
        vertical_text(draw, line, x, top + 90, 170, rng, hand=True, step=200)
        x -= pitch
    vertical_text(draw, "（示意复原，非原稿）", x, top + 90, 120, rng, hand=False, fill=(110, 90, 70), step=150)
    seal(draw, left + 60, bottom - 320)
    margin_note(draw)
    return page


def letter():
    """hx-0013: letter paper (信笺) with the excerpt set in type."""
    rng = random.Random(13)
    page = paper(13)
    draw = ImageDraw.Draw(page)
    left, right, top, bottom = 300, 2700, 420, 3500
    pitch = (right - left) / 12
    for i in range(13):
        x = left + i * pitch
        draw.line((x, top, x, bottom), fill=RED, width=4)
    draw.line((left, top, right, top), fill=RED, width=12)
    draw.line((left, bottom, right, bottom), fill=RED, width=12)
    text = ["〔上略〕", "我以为先要组织党——共产党。", "因为他是革命运动的发动者、宣传者、先锋队、作战部。", "〔下略〕"]
    columns(draw, text, right - pitch / 2, top + 80, pitch, 118, rng, bottom=bottom - 60)
    draw.text(((left + right) / 2, bottom + 120), "据《新民学会会员通信集》排印本节录", font=font(70), fill=INK, anchor="mm")
    margin_note(draw)
    return page


def newspaper():
    """hx-0029: a newspaper page with the school's advertisement boxed."""
    rng = random.Random(29)
    page = paper(29)
    draw = ImageDraw.Draw(page)
    draw.text((WIDTH // 2, 330), "民國日報", font=font(300, bold=True), fill=INK, anchor="mm")
    draw.line((200, 560, WIDTH - 200, 560), fill=INK, width=14)
    draw.text((WIDTH // 2, 620), "中华民国九年九月二十八日（示意版面）", font=font(64), fill=INK, anchor="mt")
    draw.line((200, 740, WIDTH - 200, 740), fill=INK, width=6)
    # the rest of the page: columns that say they are left out
    filler = "此处为当日版面其他内容从略"
    for x in range(2760, 240, -58):
        if 1300 < x < 2420:
            continue
        vertical_text(draw, (filler * 5)[:56], x, 800, 44, rng, step=50, fill=(95, 85, 75))
    ad_left, ad_right, ad_top, ad_bottom = 1320, 2400, 1900, 3560
    for x in range(1340, 2400, 58):
        vertical_text(draw, (filler * 2)[:21], x, 800, 44, rng, step=50, fill=(95, 85, 75))
    draw.rectangle((ad_left, ad_top, ad_right, ad_bottom), fill=PAPER, outline=INK, width=12)
    vertical_text(draw, "外国语学社招生广告", ad_right - 110, ad_top + 60, 110, rng, step=130, bold=True)
    ad = ("本学社拟分设英、法、德、俄、日本语各班，现已成立英、俄、日本语三班，"
          "除星期日外每班每日授课一小时……有志学习外国语者，"
          "请速向法租界霞飞路新渔阳里六号本社报名。")
    columns(draw, [ad], ad_right - 250, ad_top + 80, 92, 74, rng, bottom=ad_bottom - 40)
    margin_note(draw)
    return page


def manifesto_page():
    """hx-0006: the first page of the 1920 translation, in vertical type."""
    rng = random.Random(6)
    page = paper(6)
    draw = ImageDraw.Draw(page)
    draw.rectangle((380, 420, 2620, 3520), outline=INK, width=8)
    vertical_text(draw, "共产党宣言", 2450, 560, 190, rng, step=230, bold=True)
    columns(draw, ["一个怪物，在欧洲徘徊着，这怪物就是共产主义。"], 2150, 560, 200, 140, rng, bottom=3400)
    vertical_text(draw, "（以下正文从略）", 1550, 560, 110, rng, step=140, fill=(110, 90, 70))
    draw.text((WIDTH // 2, 3620), "一", font=font(80), fill=INK, anchor="mm")
    margin_note(draw)
    return page


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "content", "archive")
    scans = {
        "hx-0009/manuscript-scan.png": manuscript,
        "hx-0013/letter-scan.png": letter,
        "hx-0029/page-scan.png": newspaper,
        "hx-0006/page1-scan.png": manifesto_page,
    }
    only = sys.argv[1:]
    for name, draw in scans.items():
        if only and not any(o in name for o in only):
            continue
        save(draw(), os.path.normpath(os.path.join(root, name)))


if __name__ == "__main__":
    main()
