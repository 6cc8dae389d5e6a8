#!/usr/bin/env python3
"""Makes a site of large scans for the image benchmark in BENCHMARKS.md:
N archive items, each with one JPEG "scan" of W × H pixels that looks like a
page of vertical text on aged paper. Every scan differs (its number and a
few strokes), so the content-hash cache cannot share work between them.

    pip install pillow
    python3 scripts/make_bench_scans.py /tmp/bench-images 100 6000 8000

Never commit the output: 100 scans of 6000 × 8000 are about half a gigabyte.
"""

import os
import random
import sys

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"
TEXT = "一个怪物在欧洲徘徊着这怪物就是共产主义旧欧洲的一切势力联合起来了"


def base_page(width, height):
    rng = random.Random(1)
    small = Image.new("RGB", (24, 32))
    for y in range(32):
        for x in range(24):
            d = rng.randint(-12, 6)
            small.putpixel((x, y), (236 + d, 226 + d, 204 + d))
    page = small.resize((width, height), Image.BICUBIC).filter(ImageFilter.GaussianBlur(30))
    draw = ImageDraw.Draw(page)
    size = width // 60
    font = ImageFont.truetype(FONT, size, index=2)
    x = width - size * 3
    while x > size * 3:
        y = size * 4
        for i in range((height - size * 8) // int(size * 1.15)):
            draw.text((x, y), TEXT[(x // size + i) % len(TEXT)], font=font, fill=(45, 35, 28), anchor="mt")
            y += int(size * 1.15)
        x -= int(size * 1.6)
    return page


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-images"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    width = int(sys.argv[3]) if len(sys.argv) > 3 else 6000
    height = int(sys.argv[4]) if len(sys.argv) > 4 else 8000
    os.makedirs(os.path.join(out, "content", "archive"), exist_ok=True)
    with open(os.path.join(out, "site.yaml"), "w", encoding="utf-8") as f:
        f.write("title: 图像基准\nbase_url: https://example.org/\ninstitution: 基准档案馆\n")
    with open(os.path.join(out, "content", "_index.md"), "w", encoding="utf-8") as f:
        f.write("---\ntitle: 图像基准\n---\n")
    base = base_page(width, height)
    label = ImageFont.truetype(FONT, width // 40, index=2)
    for n in range(1, count + 1):
        rng = random.Random(n)
        item = f"b-{n:04d}"
        folder = os.path.join(out, "content", "archive", item)
        os.makedirs(folder, exist_ok=True)
        page = base.copy()
        draw = ImageDraw.Draw(page)
        draw.text((width // 2, height - width // 20), f"第 {n} 页", font=label, fill=(90, 30, 20), anchor="mm")
        for _ in range(12):
            x, y = rng.randrange(width), rng.randrange(height)
            draw.line((x, y, x + rng.randint(-300, 300), y + rng.randint(-300, 300)), fill=(120, 90, 70), width=6)
        page.save(os.path.join(folder, "scan.jpg"), quality=85)
        with open(os.path.join(out, "content", "archive", f"{item}.md"), "w", encoding="utf-8") as f:
            f.write(f"---\nref: B-{n}\ntitle: 基准扫描第{n}页\ndate: 1921\ntype: document\n"
                    f"images:\n  - src: scan.jpg\n    alt: 第{n}页扫描\n---\n基准用的第{n}页。\n")
        print(f"{item}/scan.jpg", flush=True)


if __name__ == "__main__":
    main()
