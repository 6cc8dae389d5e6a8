// Screenshots for a reviewer: home, exhibit, section, item and search of the
// demo at 360, 768 and 1440 px wide (full page, light scheme), plus the
// section in kiosk mode and the item in print.
//
//   node tests/browser/screenshots.mjs OUTDIR
//
// OUTDIR is created if needed; do not commit it.
import { mkdirSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { buildSite, serveStatic, launchBrowser } from './helpers.mjs';

const outDir = process.argv[2];
if (!outDir) {
  console.error('usage: node tests/browser/screenshots.mjs OUTDIR');
  process.exit(2);
}
mkdirSync(resolve(outDir), { recursive: true });

const BASE = '/exhibitions/';
const PAGES = {
  home: '',
  exhibit: 'exhibits/birthplace/',
  section: 'exhibits/birthplace/first-congress/',
  item: 'archive/hx-0009/',
  search: 'search/?q=%E5%A4%A7%E4%BC%9A',
};
const WIDTHS = [360, 768, 1440];

const site = buildSite(undefined, { baseUrl: `http://127.0.0.1:1${BASE}` });
const server = await serveStatic(site, BASE);
const browser = await launchBrowser();
try {
  for (const width of WIDTHS) {
    const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    for (const [name, path] of Object.entries(PAGES)) {
      await page.goto(server.url + path, { waitUntil: 'networkidle' });
      if (name === 'search') await page.waitForSelector('.search-result');
      // Scroll through once so lazily loaded images are in the picture.
      await page.evaluate(async () => {
        for (let y = 0; y < document.body.scrollHeight; y += 600) {
          window.scrollTo(0, y);
          await new Promise((r) => setTimeout(r, 40));
        }
        window.scrollTo(0, 0);
      });
      await page.waitForLoadState('networkidle');
      const file = join(resolve(outDir), `${name}-${width}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
    await context.close();
  }
  const kiosk = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await kiosk.goto(server.url + PAGES.section + '?kiosk');
  await kiosk.waitForSelector('html.kiosk');
  await kiosk.screenshot({ path: join(resolve(outDir), 'section-kiosk-1920.png') });
  await kiosk.emulateMedia({ media: 'print' });
  await kiosk.goto(server.url + PAGES.item);
  await kiosk.screenshot({ path: join(resolve(outDir), 'item-print.png'), fullPage: true });
  console.log(join(resolve(outDir), 'section-kiosk-1920.png'));
} finally {
  await browser.close();
  await server.close();
}
