// Shared helpers for the browser tests: build a site with the lantai binary,
// serve the output on a loopback port, and drive Debian's Chromium.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, extname, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The lantai binary built by test.sh (`cargo build`), or LANTAI_BIN. */
export function lantaiBinary() {
  const bin = process.env.LANTAI_BIN ?? join(repoRoot, 'target', 'debug', 'lantai');
  if (!existsSync(bin)) {
    throw new Error(`no lantai binary at ${bin}: run cargo build first (test.sh does)`);
  }
  return bin;
}

// The folders buildSite made, removed when the test file's process ends.
const built = [];
process.on('exit', () => {
  for (const dir of built) rmSync(dir, { recursive: true, force: true });
});
// Stopped by Ctrl-C or by the test runner: exit, which removes them too.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => process.exit(128 + (signal === 'SIGINT' ? 2 : 15)));
}

/** Builds the site at `root` into a new temporary folder and returns it. */
export function buildSite(root = repoRoot, { baseUrl, drafts = false } = {}) {
  const out = mkdtempSync(join(tmpdir(), 'lantai-browser-'));
  built.push(out);
  const args = ['build', '--root', root, '--output', out];
  if (baseUrl) args.push('--base-url', baseUrl);
  if (drafts) args.push('--drafts');
  execFileSync(lantaiBinary(), args, { stdio: 'pipe' });
  return out;
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

/**
 * Serves `dir` at http://127.0.0.1:PORT`basePath` (the path of base_url).
 * Resolves to { origin, url, requests, close }; `requests` lists every path asked for.
 */
export function serveStatic(dir, basePath = '/') {
  const requests = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(path);
    if (!path.startsWith(basePath)) {
      res.writeHead(404).end();
      return;
    }
    let file = normalize(join(dir, path.slice(basePath.length)));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      const notFound = join(dir, '404.html');
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end(existsSync(notFound) ? readFileSync(notFound) : 'not found');
    }
  });
  return new Promise((resolvePromise) => {
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      resolvePromise({
        origin,
        url: origin + basePath,
        requests,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

/** Launches Debian's headless Chromium with the flags this closed network needs. */
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Records every request a page makes; `foreign()` lists those to any host
 * other than `origin`.
 */
export function watchRequests(page, origin) {
  const seen = [];
  page.on('request', (request) => seen.push(request.url()));
  return {
    all: () => seen,
    foreign: () => seen.filter((u) => !u.startsWith(origin) && !u.startsWith('data:')),
  };
}
