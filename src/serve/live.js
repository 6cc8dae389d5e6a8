// lantai serve: live reload. Added to pages by the server only, never to
// what `lantai build` writes.
(() => {
  'use strict';
  const here = location.pathname;
  const scrollKey = 'lantai-scroll:' + here;
  const saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    // Put the page back where the reader was before the reload.
    sessionStorage.removeItem(scrollKey);
    const [x, y] = saved.split(',').map(Number);
    const restore = () => window.scrollTo(x, y);
    restore();
    window.addEventListener('load', restore, { once: true });
  }

  const reload = () => {
    sessionStorage.setItem(scrollKey, `${window.scrollX},${window.scrollY}`);
    location.reload();
  };

  const swapStylesheets = () => {
    const stamp = Date.now();
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set('lantai', stamp);
      // Load the new sheet beside the old one, then drop the old, so the
      // page never shows unstyled.
      const fresh = link.cloneNode();
      fresh.href = url.href;
      fresh.addEventListener('load', () => link.remove(), { once: true });
      fresh.addEventListener('error', () => fresh.remove(), { once: true });
      link.after(fresh);
    }
  };

  const OVERLAY_ID = 'lantai-errors';
  const removeOverlay = () => document.getElementById(OVERLAY_ID)?.remove();
  const element = (tag, style, text) => {
    const node = document.createElement(tag);
    if (style) node.style.cssText = style;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const showOverlay = (report) => {
    removeOverlay();
    const overlay = element('div',
      'position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;' +
      'background:rgba(20,10,10,.92);color:#f5f0e8;font:15px/1.5 system-ui,sans-serif');
    overlay.id = OVERLAY_ID;
    overlay.setAttribute('role', 'alertdialog');
    overlay.setAttribute('aria-labelledby', OVERLAY_ID + '-title');
    const box = element('div', 'max-width:60rem;margin:0 auto');
    const title = element('h2', 'margin:0 0 .25rem;font-size:1.4rem;color:#ff8a80',
      `内容有错误 · ${report.summary}`);
    title.id = OVERLAY_ID + '-title';
    const note = element('p', 'margin:0 0 1.5rem;opacity:.85',
      'The last good build is still served. Fix the file and save: this page reloads by itself. ' +
      '仍在显示上一次成功生成的版本；修正并保存文件后页面会自动刷新。');
    const close = element('button',
      'float:right;font:inherit;padding:.2rem .8rem;cursor:pointer', '关闭 Close');
    close.type = 'button';
    close.addEventListener('click', removeOverlay);
    box.append(close, title, note);
    for (const d of report.diagnostics) {
      const item = element('section', 'margin:0 0 1.25rem;padding:1rem;border-radius:6px;background:#2a1616');
      item.className = 'lantai-diagnostic';
      const head = element('p', 'margin:0 0 .5rem;font-weight:600');
      head.append(
        element('span', d.severity === 'error' ? 'color:#ff8a80' : 'color:#ffd180',
          `${d.severity}[${d.code}]`),
        document.createTextNode(`: ${d.message}`));
      item.append(head);
      if (d.place) item.append(element('p', 'margin:0 0 .5rem;font-family:monospace', d.place));
      item.append(element('pre',
        'margin:0;white-space:pre-wrap;font:13px/1.45 ui-monospace,monospace;color:#e8e0d0', d.text));
      box.append(item);
    }
    overlay.append(box);
    document.body.append(overlay);
  };

  // The server process that served this page. Known from the page itself,
  // not from the first hello: a server that restarts before that hello
  // arrives would otherwise be taken for the one that served the page.
  const server = '__SERVER_ID__';
  const connect = () => {
    const source = new EventSource(`__EVENTS_PATH__?page=${encodeURIComponent(here)}`);
    source.addEventListener('hello', (event) => {
      const hello = JSON.parse(event.data);
      // A new server process may serve a different site: show it.
      if (hello.server !== server) reload();
    });
    source.addEventListener('reload', (event) => {
      const message = JSON.parse(event.data);
      if (message.all || message.pages.includes(here)) reload();
    });
    source.addEventListener('css', swapStylesheets);
    source.addEventListener('errors', (event) => showOverlay(JSON.parse(event.data)));
    source.addEventListener('fixed', () => {
      removeOverlay();
      reload();
    });
    // EventSource reconnects by itself while the server is away.
  };
  connect();
})();
