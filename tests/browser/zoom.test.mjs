// The deep-zoom viewer over the static IIIF tiles of the demo's scans: it
// opens without blocking the page, zooms and pans with wheel, keyboard and
// drag, and fetches deeper pyramid levels as the visitor zooms in. Without
// JavaScript the scan is a plain link to its largest derivative.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildSite, serveStatic, launchBrowser, watchRequests } from './helpers.mjs';

const ITEM = 'archive/hx-0009/';
const SCAN = '/iiif/manuscript-scan.png/';

let server;
let browser;

before(async () => {
  const out = buildSite(undefined, { baseUrl: 'http://127.0.0.1:1/exhibitions/' });
  server = await serveStatic(out, '/exhibitions/');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Scale factors of the tiles of the scan requested so far (1 = full resolution). */
function tileScales(requests, width) {
  const scales = new Set();
  for (const path of requests) {
    const at = path.indexOf(SCAN);
    if (at < 0 || !path.endsWith('/0/default.jpg')) continue;
    const [region, size] = path.slice(at + SCAN.length).split('/');
    const regionWidth = region === 'full' ? width : Number(region.split(',')[2]);
    const sizeWidth = size === 'max' ? width : Number(size.split(',')[0]);
    scales.add(Math.round(regionWidth / sizeWidth));
  }
  return scales;
}

async function waitForTiles(page) {
  await page.waitForFunction(() => {
    const tiles = [...document.querySelectorAll('.zoom-viewer img.zoom-tile')].filter(
      (t) => t.style.display !== 'none',
    );
    return tiles.length > 0 && tiles.every((t) => t.complete && t.naturalWidth > 0);
  });
}

test('zooming and panning the viewer fetches deeper tile levels', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const requests = watchRequests(page, server.origin);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(server.url + ITEM);
  const figure = page.locator('figure[data-zoom-info]').first();
  const width = Number(await figure.getAttribute('data-zoom-width'));
  assert.equal(width, 3000);
  // The script is deferred: the image is in the page before it runs.
  assert.equal(await page.locator('script[src$="js/zoom.js"][defer]').count(), 1);

  await figure.locator('button.zoom-open').click();
  const viewer = page.locator('.zoom-viewer');
  await viewer.waitFor();
  await waitForTiles(page);
  const paths = () => requests.all().map((u) => new URL(u).pathname);
  const opened = tileScales(paths(), width);
  assert.ok(opened.size > 0, 'the viewer fetched tiles');
  assert.ok(!opened.has(1), `no full-resolution tiles at first, got scales ${[...opened]}`);
  const startLevel = Number(await viewer.getAttribute('data-level'));

  // Wheel towards the middle of the viewer.
  const box = await viewer.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -300);
  await waitForTiles(page);
  const zoomedLevel = Number(await viewer.getAttribute('data-level'));
  assert.ok(zoomedLevel < startLevel, `level went from ${startLevel} to ${zoomedLevel}`);
  const zoomed = tileScales(paths(), width);
  assert.ok(zoomed.has(1), `full-resolution tiles after zooming in, got scales ${[...zoomed]}`);

  // Drag: new tiles of the same level come in.
  const before = new Set(paths());
  const viewBefore = await viewer.evaluate((v) => v.querySelector('.zoom-tile:not([style*="display: none"])')?.style.left);
  for (let i = 0; i < 3; i++) {
    await page.mouse.move(box.x + box.width - 20, box.y + box.height - 20);
    await page.mouse.down();
    await page.mouse.move(box.x + 20, box.y + 20, { steps: 8 });
    await page.mouse.up();
  }
  const viewAfter = await viewer.evaluate((v) => v.querySelector('.zoom-tile:not([style*="display: none"])')?.style.left);
  assert.notEqual(viewAfter, viewBefore, 'dragging moved the image');
  await waitForTiles(page);
  const fresh = paths().filter((p) => p.includes(SCAN) && !before.has(p));
  assert.ok(fresh.length > 0, 'panning fetched tiles that were off screen');

  // Keyboard: − zooms out to a coarser level, 0 resets to the whole page.
  await viewer.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('-');
  assert.ok(Number(await viewer.getAttribute('data-level')) > zoomedLevel, 'minus zooms out');
  await page.keyboard.press('0');
  assert.equal(Number(await viewer.getAttribute('data-level')), startLevel, '0 resets');
  await page.keyboard.press('+');
  await page.keyboard.press('ArrowRight');

  // Every tile came from this site and none failed.
  assert.deepEqual(requests.foreign(), []);
  const broken = await page.$$eval('.zoom-viewer img.zoom-tile', (tiles) =>
    tiles.filter((t) => t.complete && t.naturalWidth === 0).map((t) => t.src),
  );
  assert.deepEqual(broken, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a two-finger pinch zooms in', async () => {
  const context = await browser.newContext({ hasTouch: true, viewport: { width: 800, height: 900 } });
  const page = await context.newPage();
  await page.goto(server.url + ITEM);
  await page.locator('figure[data-zoom-info] button.zoom-open').first().click();
  const viewer = page.locator('.zoom-viewer');
  await viewer.waitFor();
  await waitForTiles(page);
  const start = Number(await viewer.getAttribute('data-level'));
  const box = await viewer.boundingBox();
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  const cdp = await context.newCDPSession(page);
  const touch = (type, spread) =>
    cdp.send('Input.dispatchTouchEvent', {
      type,
      touchPoints:
        type === 'touchEnd'
          ? []
          : [
              { x: cx - spread, y: cy, id: 1 },
              { x: cx + spread, y: cy, id: 2 },
            ],
    });
  await touch('touchStart', 20);
  for (let spread = 30; spread <= 300; spread += 30) await touch('touchMove', spread);
  await touch('touchEnd', 0);
  await waitForTiles(page);
  const after = Number(await viewer.getAttribute('data-level'));
  assert.ok(after < start, `pinching out zoomed in: level ${start} → ${after}`);
  await context.close();
});

test('full screen and close buttons work', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + ITEM);
  await page.locator('figure[data-zoom-info] button.zoom-open').first().click();
  await page.locator('.zoom-viewer').waitFor();
  await page.locator('.zoom-viewer button.zoom-full').click();
  await page.waitForFunction(() => document.fullscreenElement?.classList.contains('zoom-viewer'));
  await page.locator('.zoom-viewer button.zoom-full').click();
  await page.waitForFunction(() => !document.fullscreenElement);
  await page.locator('.zoom-viewer button.zoom-close').click();
  assert.equal(await page.locator('.zoom-viewer').count(), 0);
  assert.ok(await page.locator('figure[data-zoom-info] .image-link').first().isVisible());
  await page.close();
});

test('without JavaScript the scan links to its largest derivative', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url + ITEM);
  const link = page.locator('figure[data-zoom-info] a.image-link').first();
  const href = await link.getAttribute('href');
  assert.match(href, /\/iiif\/manuscript-scan\.png\/full\/1600,2133\/0\/default\.jpg$/);
  const img = link.locator('img');
  assert.equal(await img.getAttribute('width'), '800');
  assert.equal(await img.getAttribute('height'), '1067');
  const response = await page.goto(new URL(href, server.url).href);
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['content-type'], 'image/jpeg');
  await context.close();
});

test('the item page links its IIIF manifest for drag and drop', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + ITEM);
  const href = await page.locator('.iiif-link a').getAttribute('href');
  const url = new URL(href, server.url);
  assert.ok(url.pathname.endsWith('/archive/hx-0009/manifest.json'));
  assert.equal(url.searchParams.get('manifest'), 'http://127.0.0.1:1/exhibitions/archive/hx-0009/manifest.json');
  const manifest = await (await page.request.get(url.href)).json();
  assert.equal(manifest.type, 'Manifest');
  assert.equal(manifest.items[0].width, 3000);
  await page.close();
});
