// The demo exhibition in a real browser: pages render, navigation works
// without JavaScript, and nothing is requested from another host.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { buildSite, serveStatic, launchBrowser, watchRequests } from './helpers.mjs';

let server;
let browser;

before(async () => {
  // Built for a sub-path, as the demo's base_url has one.
  const out = buildSite(undefined, { baseUrl: 'http://127.0.0.1:1/exhibitions/' });
  server = await serveStatic(out, '/exhibitions/');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('home page renders in Chinese with the exhibits and no foreign requests', async () => {
  const page = await browser.newPage();
  const requests = watchRequests(page, server.origin);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  const response = await page.goto(server.url);
  assert.equal(response.status(), 200);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await page.title(), /红色档案/);
  const exhibitLinks = await page.locator('main a[href*="/exhibits/"]').count();
  assert.ok(exhibitLinks >= 2, `expected links to both exhibits, found ${exhibitLinks}`);
  assert.deepEqual(requests.foreign(), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a visitor can read an exhibit section by section with JavaScript off', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${server.url}exhibits/birthplace/`);
  await page.locator('main a[href$="/exhibits/birthplace/new-culture/"]').first().click();
  await page.waitForURL(/new-culture\/$/);
  assert.equal(await page.locator('a[rel="prev"]').count(), 0, 'first section has no previous');
  await page.locator('a[rel="next"]').first().click();
  await page.waitForURL(/manifesto\/$/);
  const heading = await page.locator('main h1').first().textContent();
  assert.match(heading, /共产党宣言/);
  await context.close();
});

test('an item figure in a section leads to the item page with its metadata', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.url}exhibits/birthplace/first-congress/`);
  const figureLink = page.locator('main a[href*="/archive/hx-"]').first();
  await figureLink.click();
  await page.waitForURL(/\/archive\/hx-\d+\/$/);
  const labels = await page.locator('table.metadata th').allTextContents();
  for (const label of ['档号', '题名', '日期', '类别']) {
    assert.ok(labels.some((l) => l.includes(label)), `metadata table lacks ${label}`);
  }
  await page.close();
});
