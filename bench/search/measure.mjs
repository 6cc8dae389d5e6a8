// Measures search in headless Chromium on a built site: bytes fetched per
// query (raw and gzip) and time to results, for lantai's search page or for
// Pagefind's JS API on the same site; and, with --queries, which queries of
// tests/search/queries.json each engine answers as expected.
//
//   node bench/search/measure.mjs --site DIR --engine lantai|pagefind [--base /exhibitions/]
//        [--query WORD]... [--queries tests/search/queries.json]
//
// Needs the browser tests' node modules (cd tests/browser && npm ci).
// Every query runs in a fresh browser context (cold cache).
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { serveStatic, launchBrowser } from '../../tests/browser/helpers.mjs';

const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
};
const site = option('site');
const engine = option('engine') ?? 'lantai';
const base = option('base') ?? '/';
const queries = args.flatMap((a, i) => (a === '--query' ? [args[i + 1]] : []));
const querySet = option('queries');
if (!site) {
  console.error('usage: measure.mjs --site DIR --engine lantai|pagefind [--base PATH] [--query Q]… [--queries FILE]');
  process.exit(2);
}

const server = await serveStatic(site, base);
const browser = await launchBrowser();

/** Bytes a server sends for a file: gzip at level 6 unless already smaller (Pagefind pre-compresses). */
function sizes(path) {
  const raw = readFileSync(join(site, path));
  return { raw: raw.length, gzip: Math.min(raw.length, gzipSync(raw, { level: 6 }).length) };
}

/** Runs one query; returns { urls, ms, files: [{path, raw, gzip}] }. */
async function run(q, all) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const fetched = [];
  const prefix = engine === 'lantai' ? `${base}search/` : `${base}pagefind/`;
  let counting = false;
  page.on('request', (request) => {
    const path = decodeURIComponent(new URL(request.url()).pathname);
    if (counting && path.startsWith(prefix) && !path.endsWith('/')) fetched.push(path.slice(base.length));
  });
  let urls;
  let ms;
  if (engine === 'lantai') {
    await page.goto(`${server.url}search/`);
    counting = true;
    const started = Date.now();
    await page.locator('#search-page-q').fill(q);
    await page.locator('#search-page-q').press('Enter');
    await page.waitForFunction(() => /结果|没有/.test(document.querySelector('.search-status').textContent));
    await page.waitForFunction(() => !document.querySelector('.search-results').hidden ||
      /没有/.test(document.querySelector('.search-status').textContent));
    ms = Date.now() - started;
    if (all) {
      for (let i = 0; i < 50 && (await page.locator('.search-more').isVisible()); i++) {
        const n = await page.locator('.search-result').count();
        await page.locator('.search-more').click();
        await page.waitForFunction((k) => document.querySelectorAll('.search-result').length > k, n);
      }
    }
    urls = await page.$$eval('.search-result-title', (links) => links.map((a) => a.getAttribute('href')));
  } else {
    await page.goto(`${server.url}404.html`);
    counting = true;
    const result = await page.evaluate(async ([q, base, all]) => {
      const started = performance.now();
      const pagefind = await import(`${base}pagefind/pagefind.js`);
      await pagefind.init();
      const search = await pagefind.search(q);
      const shown = all ? search.results : search.results.slice(0, 10);
      const data = await Promise.all(shown.map((r) => r.data()));
      return { ms: performance.now() - started, urls: data.map((d) => d.url) };
    }, [q, base, all]);
    ms = Math.round(result.ms);
    urls = result.urls;
  }
  await context.close();
  const files = [...new Set(fetched)].map((path) => ({ path, ...sizes(path) }));
  return { urls: urls.map((u) => u.replace(/index\.html$/, '')), ms, files };
}

const kb = (n) => (n / 1024).toFixed(1);
for (const q of queries) {
  const { urls, ms, files } = await run(q, false);
  const total = files.reduce((a, f) => ({ raw: a.raw + f.raw, gzip: a.gzip + f.gzip }), { raw: 0, gzip: 0 });
  const kinds = {};
  for (const f of files) {
    const kind = f.path.split('/').slice(0, 2).join('/').replace(/\.[a-z0-9_]+$/, '');
    kinds[kind] = kinds[kind] ?? { n: 0, gzip: 0 };
    kinds[kind].n += 1;
    kinds[kind].gzip += f.gzip;
  }
  console.log(`${engine} ${JSON.stringify(q)}: ${urls.length} results shown, ${files.length} files, ` +
    `${kb(total.raw)} KB raw, ${kb(total.gzip)} KB gzip, ${ms} ms`);
  for (const [kind, v] of Object.entries(kinds)) console.log(`    ${kind}: ${v.n} files, ${kb(v.gzip)} KB gzip`);
}

if (querySet) {
  const set = JSON.parse(readFileSync(querySet, 'utf8')).queries;
  let good = 0;
  for (const entry of set) {
    const { urls } = await run(entry.q, true);
    const paths = urls.map((u) => u.slice(base.length));
    const problems = [];
    if (entry.top && paths[0] !== entry.top) problems.push(`first ${paths[0] ?? 'nothing'}`);
    const missing = (entry.includes ?? []).filter((p) => !paths.includes(p));
    if (missing.length) problems.push(`misses ${missing.join(' ')}`);
    const leaked = (entry.excludes ?? []).filter((p) => paths.includes(p));
    if (leaked.length) problems.push(`finds ${leaked.join(' ')}`);
    if (!problems.length) good++;
    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${engine} ${entry.q} (${entry.kind}): ${paths.length} results` +
      (problems.length ? ` — ${problems.join('; ')}` : ''));
  }
  console.log(`${engine}: ${good} of ${set.length} queries answered as expected`);
}

await browser.close();
await server.close();
