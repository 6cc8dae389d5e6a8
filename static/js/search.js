// Lantai's search page: queries the index that `lantai build` writes under
// search/ (see src/search/ and docs/search.md). It follows the ranking rules
// of src/search/query.rs; the constants come from the index's manifest.
// It fetches only files of this site: the manifest, the few term shards a
// query needs, and the document chunks of the results it shows.
(() => {
  'use strict';
  const app = document.querySelector('.search-app');
  if (!app || !window.fetch || !window.TextDecoder) return;

  const PAGE = 10;
  const SNIPPET = 90; // characters around the best match
  const FORMAT = 1;
  const indexUrl = app.dataset.index;
  const base = indexUrl.slice(0, indexUrl.lastIndexOf('/') + 1);
  const form = app.querySelector('form');
  const input = form.elements.q;
  const filterNames = ['type', 'from', 'to', 'tag', 'person', 'place'];
  const details = app.querySelector('.search-filters');
  const statusLine = app.querySelector('.search-status');
  const list = app.querySelector('.search-results');
  const more = app.querySelector('.search-more');

  // ---------------------------------------------------------------- index files
  let manifest = null;
  let fold = new Map();
  let scoreOf = null;
  const shards = new Map();
  const chunks = new Map();

  function fail(response) {
    if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
    return response;
  }

  function loadManifest() {
    if (!manifest) {
      manifest = fetch(indexUrl, { cache: 'no-cache' })
        .then(fail)
        .then((r) => r.json())
        .then((m) => {
          if (m.format !== FORMAT) throw new Error(`index format ${m.format}`);
          const pairs = Array.from(m.fold);
          for (let i = 0; i + 1 < pairs.length; i += 2) fold.set(pairs[i], pairs[i + 1]);
          const scale = Math.log1p(m.max_score) / 255;
          scoreOf = Float64Array.from({ length: 256 }, (_, q) => Math.expm1(q * scale));
          return m;
        });
      manifest.catch(() => { manifest = null; });
    }
    return manifest;
  }

  const versioned = (path) => `${base}${path}?v=${encodeURIComponent(manifestValue.version)}`;
  let manifestValue = null;

  function readVarint(bytes, at) {
    let value = 0;
    let shift = 0;
    for (;;) {
      const byte = bytes[at.i++];
      if (byte === undefined) throw new Error('truncated shard');
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
    }
  }

  // A shard: term → { count, start, end, bytes } (postings decoded on demand).
  function parseShard(buffer) {
    const bytes = new Uint8Array(buffer);
    if (String.fromCharCode(...bytes.subarray(0, 4)) !== 'LTS1') throw new Error('not a shard');
    const utf8 = new TextDecoder();
    const at = { i: 4 };
    const n = readVarint(bytes, at);
    const heads = [];
    let previous = new Uint8Array(0);
    for (let k = 0; k < n; k++) {
      const shared = readVarint(bytes, at);
      const suffix = readVarint(bytes, at);
      const term = new Uint8Array(shared + suffix);
      term.set(previous.subarray(0, shared));
      term.set(bytes.subarray(at.i, at.i + suffix), shared);
      at.i += suffix;
      const count = readVarint(bytes, at);
      const length = readVarint(bytes, at);
      heads.push([utf8.decode(term), count, length]);
      previous = term;
    }
    const terms = new Map();
    let offset = at.i;
    for (const [term, count, length] of heads) {
      terms.set(term, { count, start: offset, end: offset + length, bytes });
      offset += length;
    }
    return terms;
  }

  function loadShard(n) {
    if (!shards.has(n)) {
      const shard = fetch(versioned(`terms/${n}.bin`))
        .then(fail)
        .then((r) => r.arrayBuffer())
        .then(parseShard);
      shard.catch(() => shards.delete(n));
      shards.set(n, shard);
    }
    return shards.get(n);
  }

  function decodePostings(entry) {
    if (!entry.documents) {
      const at = { i: entry.start };
      const documents = new Uint32Array(entry.count);
      let document = 0;
      for (let k = 0; k < entry.count; k++) {
        document += readVarint(entry.bytes, at);
        documents[k] = document;
      }
      entry.documents = documents;
      entry.impacts = entry.bytes.subarray(at.i, at.i + entry.count);
    }
    return entry;
  }

  // The shard whose first term is the last one not after `term`.
  function shardFor(term) {
    const fences = manifestValue.shards;
    let lo = 0;
    let hi = fences.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (fences[mid] <= term) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  async function lookup(term) {
    const shard = await loadShard(shardFor(term));
    const entry = shard.get(term);
    return entry ? decodePostings(entry) : null;
  }

  // Postings of the terms that start with `prefix` (not `prefix` itself), in order.
  async function lookupPrefix(prefix, limit) {
    const fences = manifestValue.shards;
    const found = [];
    for (let s = shardFor(prefix); s < fences.length; s++) {
      if (s > shardFor(prefix) && !fences[s].startsWith(prefix)) break;
      const shard = await loadShard(s);
      const terms = [...shard.keys()].filter((t) => t !== prefix && t.startsWith(prefix)).sort();
      for (const term of terms) {
        if (found.length >= limit) return found;
        found.push([term, decodePostings(shard.get(term))]);
      }
    }
    return found;
  }

  function loadChunk(n) {
    if (!chunks.has(n)) {
      const chunk = fetch(versioned(`docs/${n}.json`)).then(fail).then((r) => r.json());
      chunk.catch(() => chunks.delete(n));
      chunks.set(n, chunk);
    }
    return chunks.get(n);
  }

  async function storedDocument(n) {
    const chunk = await loadChunk(Math.floor(n / manifestValue.chunk_size));
    return chunk[n % manifestValue.chunk_size];
  }

  // ---------------------------------------------------------------- text (tokenize.rs)
  function foldChar(c) {
    const code = c.codePointAt(0);
    if (code >= 0xff01 && code <= 0xff5e) c = String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) c = ' ';
    if (c < '\x80') return c.toLowerCase();
    const lower = c.toLowerCase();
    if (lower !== c && Array.from(lower).length === 1) return lower;
    return fold.get(c) || c;
  }

  function isCjk(c) {
    const u = c.codePointAt(0);
    return u === 0x3007 || (u >= 0x3040 && u <= 0x30ff) || (u >= 0x3400 && u <= 0x4dbf) ||
      (u >= 0x4e00 && u <= 0x9fff) || (u >= 0xac00 && u <= 0xd7af) ||
      (u >= 0xf900 && u <= 0xfaff) || (u >= 0x20000 && u <= 0x3134f);
  }
  const isWordChar = (c) => /[\p{L}\p{N}]/u.test(c) && !isCjk(c);
  const isJoiner = (c) => '-/._:'.includes(c);
  const isDigit = (c) => c >= '0' && c <= '9';

  // Folded pieces of a text: { cjk: [chars] } or { word, kind }.
  function pieces(text) {
    const out = [];
    let run = [];
    let word = '';
    const flushWord = () => {
      const w = word.replace(/[-/._:]+$/, '');
      word = '';
      const emit = (text, kind) => { if (Array.from(text).length <= 40) out.push({ word: text, kind }); };
      const chars = Array.from(w);
      if (!w) return;
      if (chars.every(isDigit)) emit(w, 'number');
      else if (chars.some(isDigit)) emit(w, 'code');
      else for (const part of w.split(/[-/._:]/)) if (part) emit(part, 'word');
    };
    for (const raw of text) {
      const c = foldChar(raw);
      if (isCjk(c)) {
        if (word) flushWord();
        run.push(c);
        continue;
      }
      if (run.length) { out.push({ cjk: run }); run = []; }
      if (isWordChar(c)) word += c;
      else if (isJoiner(c) && word && isWordChar(Array.from(word).pop())) word += c;
      else if (word) flushWord();
    }
    if (word) flushWord();
    if (run.length) out.push({ cjk: run });
    return out;
  }

  // Required terms, then the optional pairs joining CJK runs typed apart.
  function queryTerms(text) {
    const terms = [];
    const joins = [];
    const push = (term, prefix, required = true) => {
      if (!terms.some((t) => t.term === term)) terms.push({ term, prefix, required });
    };
    let lastOfRun = null;
    for (const piece of pieces(text)) {
      if (piece.cjk) {
        if (lastOfRun) joins.push(lastOfRun + piece.cjk[0]);
        lastOfRun = piece.cjk[piece.cjk.length - 1];
        if (piece.cjk.length === 1) push(piece.cjk[0], false);
        for (let i = 1; i < piece.cjk.length; i++) push(piece.cjk[i - 1] + piece.cjk[i], false);
      } else {
        lastOfRun = null;
        push(piece.word, piece.kind !== 'word' || Array.from(piece.word).length >= 3);
      }
    }
    for (const join of joins) push(join, false, false);
    return terms;
  }

  const exactKey = (text) => Array.from(text).map(foldChar).filter((c) => /[\p{L}\p{N}]/u.test(c)).join('');

  // ---------------------------------------------------------------- ranking (query.rs)
  async function allowedDocuments(filters, n) {
    const sets = [];
    for (const name of ['type', 'tag', 'person', 'place']) {
      if (filters[name]) sets.push([await lookup(`~${name}:${filters[name]}`)]);
    }
    if (filters.from || filters.to) {
      const from = filters.from ? Number(filters.from) : -Infinity;
      const to = filters.to ? Number(filters.to) : Infinity;
      const years = await lookupPrefix('~year:', Infinity);
      sets.push(years.filter(([t]) => {
        const year = Number(t.slice(6));
        return year >= from && year <= to;
      }).map(([, p]) => p));
    }
    if (!sets.length) return null;
    const hits = new Uint8Array(n);
    for (const set of sets) {
      const seen = new Uint8Array(n);
      for (const postings of set) if (postings) for (const d of postings.documents) seen[d] = 1;
      for (let d = 0; d < n; d++) hits[d] += seen[d];
    }
    return hits.map((h) => (h === sets.length ? 1 : 0));
  }

  async function search(text, filters) {
    const m = await loadManifest();
    manifestValue = m;
    const n = m.documents;
    const terms = queryTerms(text);
    const allowed = await allowedDocuments(filters, n);
    if (!terms.length) {
      if (!allowed) return { hits: [], partial: false, terms };
      const hits = [];
      for (let d = 0; d < n; d++) if (allowed[d]) hits.push({ document: d, score: 0 });
      return { hits, partial: false, terms };
    }
    const count = new Uint8Array(n);
    const score = new Float64Array(n);
    const touched = [];
    const required = terms.filter((t) => t.required).length;
    const lists = await Promise.all(terms.map(async (t) => [
      t,
      await lookup(t.term),
      t.prefix ? await lookupPrefix(t.term, m.prefix_terms) : [],
    ]));
    const termScores = ([, exact, longer]) => {
      const scores = new Map();
      if (exact) {
        for (let k = 0; k < exact.count; k++) scores.set(exact.documents[k], scoreOf[exact.impacts[k]]);
      }
      for (const [, postings] of longer) {
        for (let k = 0; k < postings.count; k++) {
          const d = postings.documents[k];
          const s = scoreOf[postings.impacts[k]] * m.prefix_weight;
          if (!(scores.get(d) >= s)) scores.set(d, s);
        }
      }
      return scores;
    };
    for (const list of lists.filter(([t]) => t.required)) {
      for (const [d, s] of termScores(list)) {
        if (allowed && !allowed[d]) continue;
        if (count[d] === 0) touched.push(d);
        count[d]++;
        score[d] += s;
      }
    }
    const partial = !touched.some((d) => count[d] === required);
    const candidates = partial ? touched : touched.filter((d) => count[d] === required);
    // Optional pairs only add to documents already found.
    for (const list of lists.filter(([t]) => !t.required)) {
      for (const [d, s] of termScores(list)) if (count[d]) score[d] += s;
    }
    const key = exactKey(text);
    const exact = key ? await lookup(`=${key}`) : null;
    if (exact) for (const d of exact.documents) score[d] += m.exact_bonus;
    const hits = candidates.map((d) => ({ document: d, count: count[d], score: score[d] }));
    hits.sort((a, b) => b.count - a.count || b.score - a.score || a.document - b.document);
    return { hits, partial, terms };
  }

  // ---------------------------------------------------------------- snippets
  // What to highlight: each CJK run of the query (its pairs when the run is
  // not in the text as a whole) and each word (as a prefix of text words).
  function needles(text) {
    return pieces(text).map((p) => (p.cjk ? p.cjk : Array.from(p.word)));
  }

  function findAll(haystack, needle) {
    const found = [];
    outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
      for (let k = 0; k < needle.length; k++) if (haystack[i + k] !== needle[k]) continue outer;
      found.push(i);
    }
    return found;
  }

  // Matches in `chars` (folded) as [start, end, needle, weight] ranges, in
  // order and merged where they overlap; a run found only pair by pair
  // weighs less than one found whole.
  function matches(chars, wanted) {
    const ranges = [];
    wanted.forEach((needle, index) => {
      const found = findAll(chars, needle);
      if (!found.length && needle.length > 2 && isCjk(needle[0])) {
        for (let i = 1; i < needle.length; i++) {
          for (const start of findAll(chars, [needle[i - 1], needle[i]])) ranges.push([start, start + 2, index, 1]);
        }
      }
      for (const start of found) ranges.push([start, start + needle.length, index, 2]);
    });
    ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const merged = [];
    for (const range of ranges) {
      const last = merged[merged.length - 1];
      if (last && range[0] <= last[1] && range[2] === last[2]) last[1] = Math.max(last[1], range[1]);
      else merged.push(range.slice());
    }
    return merged;
  }

  // Appends `chars[from..to]` to `parent`, wrapping matched ranges in <mark>.
  function appendMarked(parent, chars, ranges, from, to) {
    let at = from;
    for (const [start, end] of ranges) {
      if (end <= at || start >= to) continue; // outside, or inside a mark already made
      const s = Math.max(start, at);
      if (s > at) parent.append(chars.slice(at, s).join(''));
      const mark = document.createElement('mark');
      mark.textContent = chars.slice(s, Math.min(end, to)).join('');
      parent.append(mark);
      at = Math.min(end, to);
    }
    if (at < to) parent.append(chars.slice(at, to).join(''));
  }

  function marked(element, text, wanted) {
    const chars = Array.from(text);
    appendMarked(element, chars, matches(chars.map(foldChar), wanted), 0, chars.length);
  }

  // Where a snippet before a match at `start` begins: after the nearest
  // clause-ending mark or space in the 30 characters before it, else 20
  // characters before it but not inside a number or Latin word.
  function windowStart(chars, start) {
    for (let i = start - 1; i >= Math.max(0, start - 30); i--) {
      if (/[\s。，、；：！？,;:!?]/.test(chars[i])) return i + 1;
    }
    let from = Math.max(0, start - 20);
    while (from > 0 && from < start && isWordChar(chars[from - 1]) && isWordChar(chars[from])) from++;
    return from;
  }

  // The window of the texts where the query's words weigh most.
  function snippet(element, texts, wanted) {
    let best = null;
    texts.forEach((text, t) => {
      const chars = Array.from(text.replace(/\s+/g, ' '));
      const ranges = matches(chars.map(foldChar), wanted);
      for (const [start] of ranges) {
        const from = windowStart(chars, start);
        const weights = new Map();
        for (const [s, e, needle, w] of ranges) {
          if (s >= from && e <= from + SNIPPET) weights.set(needle, Math.max(w, weights.get(needle) || 0));
        }
        let weight = 0;
        for (const w of weights.values()) weight += w;
        if (!best || weight > best.weight) best = { weight, chars, ranges, from };
      }
      if (!best && t === texts.length - 1) {
        const first = Array.from(texts[0].replace(/\s+/g, ' '));
        best = { weight: 0, chars: first, ranges: [], from: 0 };
      }
    });
    if (!best) return;
    const to = Math.min(best.chars.length, best.from + SNIPPET);
    if (best.from > 0) element.append('…');
    appendMarked(element, best.chars, best.ranges, best.from, to);
    if (to < best.chars.length) element.append('…');
  }

  // ---------------------------------------------------------------- page
  let current = null; // { text, filters, results, shown }
  let runId = 0;

  function readUrl() {
    const params = new URLSearchParams(location.search);
    const filters = {};
    for (const name of filterNames) filters[name] = (params.get(name) || '').trim();
    return { text: (params.get('q') || '').trim(), filters };
  }

  function formState() {
    const filters = {};
    for (const name of filterNames) filters[name] = (form.elements[name].value || '').trim();
    return { text: input.value.trim(), filters };
  }

  function urlFor(state) {
    const params = new URLSearchParams();
    if (state.text) params.set('q', state.text);
    for (const name of filterNames) if (state.filters[name]) params.set(name, state.filters[name]);
    const query = params.toString();
    return location.pathname + (query ? `?${query}` : '');
  }

  function say(message) {
    statusLine.textContent = message;
  }

  async function run(state) {
    const id = ++runId;
    const filtering = filterNames.some((name) => state.filters[name]);
    if (!state.text && !filtering) {
      current = null;
      list.replaceChildren();
      list.hidden = true;
      more.hidden = true;
      say('');
      return;
    }
    say('正在检索…');
    let results;
    try {
      results = await search(state.text, state.filters);
    } catch (error) {
      if (id === runId) say('检索索引未能加载，请稍后重试，或浏览档案、人物、地点与主题页面。');
      return;
    }
    if (id !== runId) return;
    current = { ...state, results, wanted: needles(state.text), shown: 0 };
    list.replaceChildren();
    await showMore(false);
    if (id !== runId) return;
    const total = results.hits.length;
    const what = state.text ? `“${state.text}”` : '所选条件';
    if (!total) say(`没有找到与${what}相关的结果。`);
    else if (results.partial) say(`没有同时包含全部检索词的结果；以下 ${total} 条包含部分检索词。`);
    else say(`找到 ${total} 条与${what}相关的结果。`);
  }

  async function showMore(focusFirst) {
    const { results, wanted } = current;
    const page = results.hits.slice(current.shown, current.shown + PAGE);
    const id = runId;
    const stored = await Promise.all(page.map((hit) => storedDocument(hit.document)));
    if (id !== runId) return;
    const items = stored.map((doc) => resultItem(doc, wanted));
    list.append(...items);
    current.shown += page.length;
    list.hidden = current.shown === 0;
    more.hidden = current.shown >= results.hits.length;
    if (focusFirst && items[0]) items[0].querySelector('a').focus();
  }

  function resultItem(doc, wanted) {
    const item = document.createElement('li');
    item.className = 'search-result';
    const link = document.createElement('a');
    link.href = doc.u;
    link.className = 'search-result-title';
    marked(link, doc.t, wanted);
    const heading = document.createElement('h2');
    heading.append(link);
    const meta = document.createElement('p');
    meta.className = 'search-result-meta';
    const kind = document.createElement('span');
    kind.className = 'search-result-kind';
    kind.textContent = doc.l;
    meta.append(kind);
    if (doc.d) meta.append(` · ${doc.d}`);
    if (doc.r) {
      meta.append(' · 档号 ');
      const ref = document.createElement('span');
      ref.className = 'search-result-ref';
      marked(ref, doc.r, wanted);
      meta.append(ref);
    }
    item.append(heading, meta);
    const text = document.createElement('p');
    text.className = 'search-snippet';
    snippet(text, doc.x || [], wanted);
    if (text.childNodes.length) item.append(text);
    return item;
  }

  function fillForm(state) {
    input.value = state.text;
    const header = document.getElementById('search-q');
    if (header) header.value = state.text;
    for (const name of filterNames) {
      const field = form.elements[name];
      if (field.tagName === 'SELECT' && state.filters[name] &&
          ![...field.options].some((o) => o.value === state.filters[name])) {
        field.add(new Option(state.filters[name], state.filters[name]));
      }
      field.value = state.filters[name];
    }
    if (['from', 'to', 'tag', 'person', 'place', 'type'].some((n) => state.filters[n])) details.open = true;
  }

  // The tag, person and place choices, fetched when the filters are opened.
  let facetsLoaded = null;
  function loadFacets() {
    if (!facetsLoaded) {
      facetsLoaded = loadManifest()
        .then((m) => { manifestValue = m; return fetch(versioned('facets.json')); })
        .then(fail)
        .then((r) => r.json())
        .then((facets) => {
          for (const [name, choices] of [['tag', facets.tags], ['person', facets.people], ['place', facets.places]]) {
            const select = form.elements[name];
            const chosen = select.value;
            select.replaceChildren(new Option('全部', ''));
            for (const c of choices) select.add(new Option(`${c.label}（${c.count}）`, c.value));
            select.value = chosen;
          }
          if (manifestValue.years) {
            const [min, max] = manifestValue.years;
            for (const name of ['from', 'to']) {
              form.elements[name].min = min;
              form.elements[name].max = max;
            }
          }
        });
      facetsLoaded.catch(() => { facetsLoaded = null; });
    }
    return facetsLoaded;
  }

  let typing = 0;
  input.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      const state = formState();
      history.replaceState(null, '', urlFor(state));
      run(state);
    }, 200);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(typing);
    const state = formState();
    history.pushState(null, '', urlFor(state));
    run(state);
  });

  form.addEventListener('change', (event) => {
    if (event.target === input) return;
    const state = formState();
    history.replaceState(null, '', urlFor(state));
    run(state);
  });

  details.addEventListener('toggle', () => {
    if (details.open) loadFacets();
  });

  more.addEventListener('click', () => {
    if (current) showMore(true);
  });

  // Arrow keys move between the query and the results; Escape clears the query.
  app.addEventListener('keydown', (event) => {
    const links = [...list.querySelectorAll('.search-result-title')];
    const at = links.indexOf(document.activeElement);
    if (event.key === 'ArrowDown' && (document.activeElement === input || at >= 0)) {
      const next = links[at + 1];
      if (next) { event.preventDefault(); next.focus(); }
    } else if (event.key === 'ArrowUp' && at >= 0) {
      event.preventDefault();
      (links[at - 1] || input).focus();
    } else if (event.key === 'Escape' && document.activeElement === input && input.value) {
      input.value = '';
      input.dispatchEvent(new Event('input'));
    }
  });

  window.addEventListener('popstate', () => {
    const state = readUrl();
    fillForm(state);
    run(state);
  });

  const initial = readUrl();
  fillForm(initial);
  if (details.open) loadFacets();
  run(initial);
})();
