// What a visitor meets, checked in Chromium: every page type passes axe-core's
// WCAG 2.1 A/AA rules, an exhibit can be read with the keyboard alone, no
// page contacts another host, and the archive's facets work with and
// without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { buildSite, serveStatic, launchBrowser, watchRequests } from './helpers.mjs';

const BASE = '/exhibitions/';
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core'), 'utf8');

/** One page of every type the demo has, relative to the base path. */
export const PAGE_TYPES = {
  home: '',
  exhibits: 'exhibits/',
  exhibit: 'exhibits/birthplace/',
  section: 'exhibits/birthplace/first-congress/',
  archive: 'archive/',
  item: 'archive/hx-0001/',
  people: 'people/',
  person: 'people/li-dazhao/',
  places: 'places/',
  place: 'places/nanhu/',
  tags: 'tags/',
  tag: 'tags/yi-da/',
  timeline: 'timeline/',
  search: 'search/?q=%E5%A4%A7%E4%BC%9A',
  page: 'about/',
  notFound: 'no-such-page/',
  browse: 'browse/',
  facet: 'browse/type/document/',
};

let server;
let browser;

before(async () => {
  const out = buildSite(undefined, { baseUrl: `http://127.0.0.1:1${BASE}` });
  server = await serveStatic(out, BASE);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${n.failureSummary}`),
    }));
  });
}

for (const scheme of ['light', 'dark']) {
  test(`every page type passes axe-core WCAG 2.1 AA (${scheme})`, async () => {
    const context = await browser.newContext({ colorScheme: scheme });
    const failures = {};
    for (const [type, path] of Object.entries(PAGE_TYPES)) {
      const page = await context.newPage();
      await page.goto(server.url + path);
      if (type === 'search') await page.waitForSelector('.search-result');
      const violations = await axe(page);
      // Headings start at h1 and never skip a level (axe counts this as best practice only).
      const levels = await page.locator('h1, h2, h3, h4, h5, h6').evaluateAll((hs) => hs.map((h) => Number(h.tagName[1])));
      const skipped = levels.some((l, i) => l > (i === 0 ? 1 : levels[i - 1] + 1));
      if (skipped) violations.push({ id: 'heading-levels', nodes: [levels.join(' ')] });
      if (violations.length) failures[type] = violations;
      await page.close();
    }
    await context.close();
    assert.deepEqual(failures, {}, JSON.stringify(failures, null, 2));
  });
}

test('no page type requests anything from another host, and each loads only a few files', async () => {
  const counts = {};
  for (const [type, path] of Object.entries(PAGE_TYPES)) {
    const page = await browser.newPage();
    const requests = watchRequests(page, server.origin);
    await page.goto(server.url + path, { waitUntil: 'networkidle' });
    assert.deepEqual(requests.foreign(), [], `${type} contacted another host`);
    counts[type] = requests.all().length;
    await page.close();
  }
  for (const [type, n] of Object.entries(counts)) {
    assert.ok(n > 0 && n < 40, `${type} made ${n} requests`);
  }
});

test('an exhibit can be read with the keyboard alone', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + PAGE_TYPES.exhibit);
  // The first Tab reaches the skip link, which moves focus to the main content.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  assert.ok(await page.locator('.skip-link').isVisible(), 'skip link shows when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  // Tab onward to the first section of the exhibit and open it.
  let href = '';
  for (let i = 0; i < 40 && !/first-congress|early-organization/.test(href); i++) {
    await page.keyboard.press('Tab');
    href = await page.evaluate(() => document.activeElement.getAttribute('href') ?? '');
    // A card shows focus on the whole tile rather than on its link.
    const outline = await page.evaluate(() => {
      const el = document.activeElement;
      const shown = (e) => e && getComputedStyle(e).outlineStyle !== 'none';
      return shown(el) || shown(el.closest('.tile')) ? 'visible' : 'none';
    });
    assert.notEqual(outline, 'none', `focused ${href} has no visible outline`);
  }
  assert.match(href, /exhibits\/birthplace\//);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(page.url(), /exhibits\/birthplace\/[a-z-]+\/$/);
  // From a section, Tab reaches "next section" and Enter follows it.
  const start = page.url();
  let rel = '';
  for (let i = 0; i < 200 && rel !== 'next'; i++) {
    await page.keyboard.press('Tab');
    rel = await page.evaluate(() => document.activeElement.getAttribute('rel') ?? '');
  }
  assert.equal(rel, 'next', 'the next-section link is reachable by Tab');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.notEqual(page.url(), start);
  assert.equal(await page.locator('.panel-toc a[aria-current="page"]').count(), 1);
  await page.close();
});

test('without JavaScript the archive links to pre-rendered facet pages', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(server.url + 'archive/');
  assert.equal(await page.locator('#archive-filters').isVisible(), false);
  await Promise.all([page.waitForNavigation(), page.locator('main a[href$="/browse/"]').first().click()]);
  await Promise.all([page.waitForNavigation(), page.locator('#facet-type ~ ul a, section a[href*="/browse/type/"]').first().click()]);
  assert.match(page.url(), /\/browse\/type\/[a-z]+\/$/);
  const count = await page.locator('main .cards > li').count();
  assert.ok(count > 0);
  const types = await page.locator('main .cards > li').evaluateAll((lis) => lis.map((li) => li.className));
  const slug = page.url().match(/type\/([a-z]+)\//)[1];
  assert.ok(types.every((c) => c.includes(`type-${slug}`)), `${slug} page lists only ${slug}: ${types}`);
  await context.close();
});

test('with JavaScript the archive filters combine instantly and sort by title', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(server.url + 'archive/');
  await page.locator('#archive-filters').waitFor({ state: 'visible' });
  const all = await page.locator('main .cards > li:not([hidden])').count();
  await page.selectOption('#filter-type', 'document');
  const documents = await page.locator('main .cards > li:not([hidden])').count();
  assert.ok(documents > 0 && documents < all, `documents ${documents} of ${all}`);
  assert.equal(await page.locator('main .cards > li:not([hidden]):not(.type-document)').count(), 0);
  // The no-JS facet page agrees with the filter.
  const facet = await browser.newPage();
  await facet.goto(server.url + 'browse/type/document/');
  assert.equal(await facet.locator('main .cards > li').count(), documents);
  await facet.close();
  // A second facet narrows further.
  const decade = await page.locator('#filter-decade option').nth(1).getAttribute('value');
  await page.selectOption('#filter-decade', decade);
  const both = await page.locator('main .cards > li:not([hidden])').count();
  assert.ok(both <= documents);
  assert.match(await page.locator('#filter-status').textContent(), /显示/);
  await page.click('button[type="reset"]');
  await page.waitForFunction((n) => document.querySelectorAll('main .cards > li:not([hidden])').length === n, all);
  await page.selectOption('#filter-sort', 'title');
  const titles = await page.locator('main .cards > li').evaluateAll((lis) => lis.map((li) => li.dataset.title));
  const sorted = [...titles].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  assert.deepEqual(titles, sorted);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a section switches to full-screen panel mode for kiosks and keeps it on the next panel', async () => {
  const page = await browser.newPage();
  await page.goto(server.url + PAGE_TYPES.section);
  const toggle = page.locator('#kiosk-toggle');
  await toggle.waitFor({ state: 'visible' });
  assert.equal(await page.locator('.site-header').isVisible(), true);
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.equal(await page.locator('.site-header').isVisible(), false);
  await Promise.all([page.waitForNavigation(), page.locator('a[rel="next"]').click()]);
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('kiosk')), true);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('.site-header').isVisible(), true);
  await page.close();
  // Without JavaScript the button never shows.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(server.url + PAGE_TYPES.section);
  assert.equal(await plain.locator('#kiosk-toggle').isVisible(), false);
  await context.close();
});

test('editorial marks in a transcription are set apart from the original text', async () => {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.goto(server.url + 'archive/hx-0009/');
  const note = page.locator('.transcription-text .ed-note').first();
  const text = page.locator('.transcription-text p').first();
  assert.match(await note.textContent(), /^〔.*〕$/);
  const font = (l) => l.evaluate((e) => getComputedStyle(e).fontFamily);
  assert.notEqual(await font(note), await font(text), 'notes use another typeface');
  assert.match(await page.locator('.transcription-text .ed-illegible').first().getAttribute('aria-label'), /无法辨识/);
  assert.match(await page.locator('.transcription-key').textContent(), /整理者注/);
  // Beside the scan on a wide screen.
  const scan = await page.locator('.transcription-scans').boundingBox();
  const body = await page.locator('.transcription-text').boundingBox();
  assert.ok(scan.x + scan.width <= body.x, 'the scan is to the left of the text');
  await page.close();
});

/** Gzipped bytes of the HTML, CSS and JS a page loads (images excluded). */
async function pageWeight(page, url) {
  const bodies = [];
  const fonts = [];
  page.on('response', (response) => {
    const type = response.request().resourceType();
    if (type === 'font') fonts.push(response.url());
    if (['document', 'stylesheet', 'script'].includes(type)) bodies.push(response.body().catch(() => Buffer.alloc(0)));
  });
  await page.goto(url, { waitUntil: 'networkidle' });
  const sizes = (await Promise.all(bodies)).map((b) => gzipSync(b, { level: 9 }).length);
  return { gzip: sizes.reduce((a, b) => a + b, 0), files: sizes.length, fonts };
}

test('every section page weighs under 60 KB gzipped before images, with no blocking script and no web font', async () => {
  const index = await browser.newPage();
  await index.goto(server.url + 'exhibits/');
  const exhibits = await index.locator('main a.tile-link').evaluateAll((as) => as.map((a) => a.href));
  const sections = [];
  for (const exhibit of exhibits) {
    await index.goto(exhibit);
    sections.push(...(await index.locator('.section-list a, main ol a[href*="/exhibits/"]').evaluateAll((as) => as.map((a) => a.href))));
  }
  await index.close();
  const unique = [...new Set(sections)].filter((u) => /\/exhibits\/[^/]+\/[^/]+\/$/.test(u));
  assert.ok(unique.length >= 4, `found sections ${unique}`);
  const weights = {};
  for (const url of unique) {
    const page = await browser.newPage();
    const { gzip, fonts } = await pageWeight(page, url);
    weights[url.replace(server.url, '')] = gzip;
    assert.deepEqual(fonts, [], `${url} loads web fonts`);
    const blocking = await page.evaluate(() =>
      [...document.querySelectorAll('script')].filter((s) => !s.defer && !s.async && s.type !== 'module' && (s.src || s.textContent.trim())).map((s) => s.src || 'inline'),
    );
    assert.deepEqual(blocking, [], `${url} has render-blocking scripts`);
    await page.close();
  }
  const largest = Math.max(...Object.values(weights));
  console.log(`# section page weight (HTML+CSS+JS, gzip -9): ${JSON.stringify(weights)}; largest ${largest} bytes`);
  assert.ok(largest < 60 * 1024, `largest section page is ${largest} bytes gzipped`);
});
