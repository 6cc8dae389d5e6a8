// The search page in a real browser: the demo's query set answered by the
// page's own script, typing (Chinese, traditional, 档号 prefix, English),
// highlighted snippets, filters, URL state, the keyboard, and the page
// without JavaScript.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSite, serveStatic, launchBrowser, watchRequests, repoRoot } from './helpers.mjs';

const BASE = '/exhibitions/';
const querySet = JSON.parse(readFileSync(join(repoRoot, 'tests', 'search', 'queries.json'), 'utf8')).queries;

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

/** Waits until the status line reports the outcome of a search. */
async function settled(page) {
  await page.waitForFunction(() => {
    const status = document.querySelector('.search-status')?.textContent ?? '';
    return /结果|没有/.test(status);
  });
}

/** Result paths relative to the base path, loading every page of results. */
async function allResults(page) {
  for (let i = 0; i < 20 && (await page.locator('.search-more').isVisible()); i++) {
    const before = await page.locator('.search-result').count();
    await page.locator('.search-more').click();
    await page.waitForFunction((n) => document.querySelectorAll('.search-result').length > n, before);
  }
  const hrefs = await page.$$eval('.search-result-title', (links) => links.map((a) => a.getAttribute('href')));
  return hrefs.map((href) => href.slice(BASE.length));
}

test('the page script answers the demo query set', async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  const failures = [];
  for (const entry of querySet) {
    await page.goto(`${server.url}search/?q=${encodeURIComponent(entry.q)}`);
    await settled(page);
    const paths = await allResults(page);
    if (entry.top && paths[0] !== entry.top) failures.push(`${entry.q}: first ${paths[0]}, want ${entry.top}`);
    for (const want of entry.includes ?? []) {
      if (!paths.includes(want)) failures.push(`${entry.q}: missing ${want}`);
    }
    for (const never of entry.excludes ?? []) {
      if (paths.includes(never)) failures.push(`${entry.q}: must not find ${never}`);
    }
  }
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('typing traditional characters finds the simplified name, highlighted, with the query in the URL', async () => {
  const page = await browser.newPage();
  const requests = watchRequests(page, server.origin);
  await page.goto(`${server.url}search/`);
  await page.locator('#search-page-q').pressSequentially('陳獨秀');
  await settled(page);
  await page.waitForURL((url) => url.searchParams.get('q') === '陳獨秀');
  const first = page.locator('.search-result').first();
  assert.equal(await first.locator('.search-result-title').textContent(), '陈独秀');
  assert.equal(await first.locator('.search-result-kind').textContent(), '人物');
  assert.equal(await first.locator('.search-result-title mark').textContent(), '陈独秀');
  // A later result shows where its text names him.
  const marks = await page.locator('.search-snippet mark').allTextContents();
  assert.ok(marks.length > 0 && marks.every((m) => m === '陈独秀'), `snippet marks: ${marks}`);
  assert.deepEqual(requests.foreign(), []);
  // Only the index files a query needs, never all of them.
  const shards = requests.all().filter((u) => u.includes('/search/terms/'));
  assert.ok(shards.length >= 1 && shards.length < 6, `fetched shards: ${shards}`);
  await page.close();
});

test('a 档号 prefix and an English word find their items', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}search/`);
  await page.locator('#search-page-q').fill('D2-2-1920');
  await settled(page);
  const refs = await page.locator('.search-result-ref').allTextContents();
  assert.ok(refs.length >= 4, `refs: ${refs}`);
  assert.ok(refs.every((r) => r.startsWith('D2-2-1920')), `refs: ${refs}`);
  assert.equal(await page.locator('.search-result-ref mark').first().textContent(), 'D2-2-1920');

  await page.locator('#search-page-q').fill('sneevliet');
  await page.waitForFunction(() => document.querySelector('.search-status').textContent.includes('sneevliet'));
  await settled(page);
  assert.equal(await page.locator('.search-result-title').first().textContent(), '马林');
  assert.equal(await page.locator('.search-snippet mark').first().textContent(), 'Sneevliet');
  await page.close();
});

test('filters narrow the results and live in the URL, and back restores the previous search', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}search/?q=${encodeURIComponent('毛泽东')}`);
  await settled(page);
  const unfiltered = await page.locator('.search-result').count();
  await page.locator('.search-filters summary').click();
  await page.locator('#search-type').selectOption('letter');
  await page.waitForURL((url) => url.searchParams.get('type') === 'letter');
  await page.waitForFunction((n) => document.querySelectorAll('.search-result').length < n, unfiltered);
  const kinds = await page.locator('.search-result-kind').allTextContents();
  assert.ok(kinds.length > 0 && kinds.every((k) => k === '信函'), `kinds: ${kinds}`);

  // Person choices come from the index; with a year range and no query
  // the filters alone list what they select.
  await page.goto(`${server.url}search/?person=dong-biwu&from=1959&to=1964`);
  await settled(page);
  assert.equal(await page.locator('.search-filters').getAttribute('open'), '');
  await page.waitForFunction(() => document.querySelector('#search-person').options.length > 2);
  assert.equal(await page.locator('#search-person').inputValue(), 'dong-biwu');
  assert.equal(await page.locator('#search-from').inputValue(), '1959');
  const paths = await allResults(page);
  assert.deepEqual(paths, ['archive/hx-0021/', 'archive/hx-0023/']);

  // A submitted search is a history entry.
  await page.locator('#search-page-q').fill('南湖');
  await page.locator('.search-query button').click();
  await page.waitForURL((url) => url.searchParams.get('q') === '南湖');
  await settled(page);
  await page.goBack();
  await page.waitForURL((url) => !url.searchParams.has('q'));
  await page.waitForFunction(() => document.querySelector('#search-page-q').value === '');
  await settled(page);
  assert.deepEqual(await allResults(page), ['archive/hx-0021/', 'archive/hx-0023/']);
  await page.close();
});

test('results are reachable with the keyboard and announced', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}search/?q=${encodeURIComponent('南湖')}`);
  await settled(page);
  const status = page.locator('.search-status');
  assert.equal(await status.getAttribute('role'), 'status');
  assert.equal(await status.getAttribute('aria-live'), 'polite');
  await page.locator('#search-page-q').focus();
  await page.keyboard.press('ArrowDown');
  let focused = await page.evaluate(() => document.activeElement.textContent);
  assert.equal(focused, await page.locator('.search-result-title').first().textContent());
  await page.keyboard.press('ArrowDown');
  focused = await page.evaluate(() => document.activeElement.textContent);
  assert.equal(focused, await page.locator('.search-result-title').nth(1).textContent());
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-page-q');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/places\/nanhu\/$/);
  await page.close();
});

test('the search box of any page leads to the results', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}archive/`);
  await page.locator('#search-q').fill('渔阳里');
  await page.locator('#search-q').press('Enter');
  await page.waitForURL(/\/search\/\?q=/);
  await settled(page);
  assert.equal(await page.locator('#search-page-q').inputValue(), '渔阳里');
  assert.ok((await page.locator('.search-result').count()) >= 5);
  await page.close();
});

test('without JavaScript the search page says so and links to the browse pages', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}search/?q=${encodeURIComponent('南湖')}`);
  const notice = page.locator('.search-noscript');
  assert.ok(await notice.isVisible());
  assert.match(await notice.textContent(), /JavaScript/);
  const links = await notice.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['archive/', 'people/', 'places/', 'tags/', 'timeline/'].map((p) => BASE + p));
  await context.close();
});
