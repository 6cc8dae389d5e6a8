// `lantai serve` in a real browser: a page shows an edit of its source file
// by itself, shows the error overlay while the file is broken, and drops it
// when the file is fixed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, lantaiBinary, launchBrowser } from './helpers.mjs';

let site;
let server;
let browser;
let baseUrl;

/** A free loopback port. */
const freePort = () =>
  new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });

let port;

/** Starts `lantai serve` on `port`; resolves to the site's URL. */
function startServer() {
  server = spawn(lantaiBinary(), ['serve', '--root', site, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = server;
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60000);
    started.stdout.on('data', (chunk) => {
      out += chunk;
      const found = out.match(/serving the site at (\S+)/);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
    started.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

/** Stops the server, runs `meanwhile`, and starts it again on the same address. */
async function restartAfter(meanwhile) {
  const stopped = new Promise((resolve) => server.once('exit', resolve));
  server.kill();
  await stopped;
  meanwhile();
  assert.equal(await startServer(), baseUrl);
}

before(async () => {
  site = mkdtempSync(join(tmpdir(), 'lantai-serve-'));
  cpSync(join(repoRoot, 'site.yaml'), join(site, 'site.yaml'));
  cpSync(join(repoRoot, 'content'), join(site, 'content'), { recursive: true });
  port = await freePort();
  baseUrl = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.kill();
  if (site) rmSync(site, { recursive: true, force: true });
});

test('an open page follows its file: edit, break, fix', async () => {
  const file = join(site, 'content/exhibits/birthplace/02-manifesto.md');
  const original = readFileSync(file, 'utf8');
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  // The page listens for changes as soon as it has loaded.
  const listening = page.waitForRequest(/\/__lantai\/events/);
  await page.goto(`${baseUrl}exhibits/birthplace/manifesto/`);
  await listening;
  await page.waitForTimeout(200);
  await page.evaluate(() => window.scrollTo(0, 400));

  writeFileSync(file, original.replace('\ntitle: ', '\ntitle: 浏览器所见·'));
  await page.locator('main h1', { hasText: '浏览器所见·' }).waitFor({ timeout: 10000 });
  // The reload kept the reader's place.
  await page.waitForFunction(() => window.scrollY > 300, null, { timeout: 5000 });

  writeFileSync(file, original.replace('\ntitle: ', '\ntitle: [未闭合\n'));
  const overlay = page.locator('#lantai-errors');
  await overlay.waitFor({ timeout: 10000 });
  const text = await overlay.textContent();
  assert.match(text, /E0202/);
  assert.match(text, /content\/exhibits\/birthplace\/02-manifesto\.md:\d+:\d+/);
  assert.match(text, /help/);
  // The last good page is still underneath.
  assert.match(await page.locator('main h1').first().textContent(), /浏览器所见·/);

  writeFileSync(file, original.replace('\ntitle: ', '\ntitle: 已修正·'));
  await page.locator('main h1', { hasText: '已修正·' }).waitFor({ timeout: 10000 });
  assert.equal(await page.locator('#lantai-errors').count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a stylesheet change is applied without reloading the page', async () => {
  const page = await browser.newPage();
  await page.goto(`${baseUrl}`);
  await page.waitForTimeout(500);
  await page.evaluate(() => { window.__notReloaded = true; });
  const css = join(site, 'static/css/lantai.css');
  const theme = readFileSync(join(repoRoot, 'static/css/lantai.css'), 'utf8');
  cpSync(join(repoRoot, 'static'), join(site, 'static'), { recursive: true });
  // Creating static/ makes the server watch it; give that a moment.
  await page.waitForTimeout(500);
  await page.reload();
  await page.waitForTimeout(500);
  await page.evaluate(() => { window.__notReloaded = true; });
  writeFileSync(css, `${theme}\nbody { outline: 7px solid rgb(1, 2, 3); }\n`);
  await page.waitForFunction(
    () => getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)',
    null,
    { timeout: 10000 },
  );
  assert.equal(await page.evaluate(() => window.__notReloaded), true);
  await page.close();
});

test('an open page reconnects when the server restarts, and shows what changed meanwhile', async () => {
  const file = join(site, 'content/exhibits/birthplace/01-new-culture.md');
  const original = readFileSync(file, 'utf8');
  const page = await browser.newPage();
  const listening = page.waitForRequest(/\/__lantai\/events/);
  await page.goto(`${baseUrl}exhibits/birthplace/new-culture/`);
  await listening;
  await restartAfter(() => writeFileSync(file, original.replace('\ntitle: ', '\ntitle: 重启之后·')));
  await page.locator('main h1', { hasText: '重启之后·' }).waitFor({ timeout: 15000 });
  await page.close();
});

test('a page whose server restarts before it hears from it still shows what changed', async () => {
  // The page's first connection to the event stream never gets through, so
  // the first server it hears from is the restarted one. It must know the
  // server that served it from the page itself, and reload.
  const file = join(site, 'content/exhibits/birthplace/05-south-lake.md');
  const original = readFileSync(file, 'utf8');
  const page = await browser.newPage();
  let blocked = true;
  await page.route(/\/__lantai\/events/, (route) => (blocked ? route.abort() : route.continue()));
  const attempted = page.waitForRequest(/\/__lantai\/events/);
  await page.goto(`${baseUrl}exhibits/birthplace/south-lake/`);
  await attempted;
  await restartAfter(() => writeFileSync(file, original.replace('\ntitle: ', '\ntitle: 未闻其声·')));
  blocked = false;
  await page.locator('main h1', { hasText: '未闻其声·' }).waitFor({ timeout: 15000 });
  await page.close();
});
