// lantai deep zoom: a small pan-and-zoom viewer over the static IIIF
// level-0 tiles that `lantai build` cuts from each item image.
//
// It enhances every <figure data-zoom-info="…/info.json"> of the page: a
// "放大查看" button (and a click on the image) opens the viewer in place.
// Mouse wheel, drag, pinch, double click, keyboard (+ − arrows 0) and
// buttons zoom and pan; full screen uses the Fullscreen API. Only the tiles
// on screen are fetched, from the pyramid level that matches the zoom, so
// a very large scan opens fast on a phone. Without JavaScript the image
// stays a plain link to its largest derivative.
(function () {
  'use strict';

  var MAX_ZOOM = 4; // screen pixels per image pixel at most
  var KEY_PAN = 0.15; // share of the view an arrow key moves
  var KEEP_TILES = 400; // tile elements kept before old ones are dropped

  function tilePath(info, scale, x, y, w, h) {
    // Canonical IIIF Image API 3.0 paths, as `lantai build` writes them and
    // as OpenSeadragon asks for them.
    var full = x === 0 && y === 0 && w === info.width && h === info.height;
    var sw = Math.ceil(w / scale);
    var sh = Math.ceil(h / scale);
    var size = sw === info.width && sh === info.height ? 'max' : sw + ',' + sh;
    return (full ? 'full' : [x, y, w, h].join(',')) + '/' + size + '/0/default.jpg';
  }

  function Viewer(figure, info, base) {
    this.figure = figure;
    this.info = info;
    this.base = base;
    var tiles = (info.tiles && info.tiles[0]) || { width: info.width, scaleFactors: [1] };
    this.tileSize = tiles.width;
    this.scaleFactors = tiles.scaleFactors.slice().sort(function (a, b) { return a - b; });
    this.elements = new Map();
    this.pointers = new Map();
    this.build();
    this.fit();
  }

  Viewer.prototype.build = function () {
    var self = this;
    var root = document.createElement('div');
    root.className = 'zoom-viewer';
    root.tabIndex = 0;
    root.setAttribute('role', 'application');
    root.setAttribute('aria-roledescription', '图像缩放查看器');
    root.setAttribute('aria-label', '图像缩放查看器：滚轮或加减键缩放，拖动或方向键平移，0 复位');
    var stage = document.createElement('div');
    stage.className = 'zoom-stage';
    root.appendChild(stage);
    var bar = document.createElement('div');
    bar.className = 'zoom-toolbar';
    [
      ['zoom-in', '放大', '+', function () { self.zoomBy(1.6); }],
      ['zoom-out', '缩小', '−', function () { self.zoomBy(1 / 1.6); }],
      ['zoom-reset', '复位', '复位', function () { self.fit(); }],
      ['zoom-full', '全屏', '全屏', function () { self.toggleFullscreen(); }],
      ['zoom-close', '关闭查看器', '×', function () { self.close(); }],
    ].forEach(function (b) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = b[0];
      button.title = b[1];
      button.setAttribute('aria-label', b[1]);
      button.textContent = b[2];
      button.addEventListener('click', function (e) { e.stopPropagation(); b[3](); root.focus({ preventScroll: true }); });
      bar.appendChild(button);
    });
    root.appendChild(bar);
    this.root = root;
    this.stage = stage;

    root.addEventListener('wheel', function (e) {
      e.preventDefault();
      var p = self.local(e);
      self.zoomAt(Math.pow(1.0015, -e.deltaY * (e.deltaMode === 1 ? 16 : 1)), p.x, p.y);
    }, { passive: false });
    root.addEventListener('pointerdown', function (e) {
      if (e.target.closest('button')) return;
      try {
        root.setPointerCapture(e.pointerId);
      } catch (err) {
        // Synthetic or already released pointers cannot be captured.
      }
      self.pointers.set(e.pointerId, self.local(e));
      root.classList.add('is-dragging');
    });
    root.addEventListener('pointermove', function (e) { self.move(e); });
    var lift = function (e) {
      self.pointers.delete(e.pointerId);
      self.pinch = null;
      if (!self.pointers.size) root.classList.remove('is-dragging');
    };
    root.addEventListener('pointerup', lift);
    root.addEventListener('pointercancel', lift);
    root.addEventListener('dblclick', function (e) {
      var p = self.local(e);
      self.zoomAt(e.shiftKey ? 0.5 : 2, p.x, p.y);
    });
    root.addEventListener('keydown', function (e) { self.key(e); });
    if (window.ResizeObserver) {
      new ResizeObserver(function () { self.render(); }).observe(root);
    }
    document.addEventListener('fullscreenchange', function () { self.render(); });
  };

  Viewer.prototype.local = function (e) {
    var r = this.root.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };

  Viewer.prototype.move = function (e) {
    if (!this.pointers.has(e.pointerId)) return;
    var p = this.local(e);
    var prev = this.pointers.get(e.pointerId);
    this.pointers.set(e.pointerId, p);
    if (this.pointers.size >= 2) {
      // Pinch: zoom by the change of distance around the midpoint.
      var pts = Array.from(this.pointers.values()).slice(0, 2);
      var d = Math.hypot(pts[0].x - pts[1].x, pts[0].y - pts[1].y);
      var mx = (pts[0].x + pts[1].x) / 2;
      var my = (pts[0].y + pts[1].y) / 2;
      if (this.pinch) {
        this.view.x += mx - this.pinch.x;
        this.view.y += my - this.pinch.y;
        this.zoomAt(d / this.pinch.d, mx, my);
      }
      this.pinch = { d: d, x: mx, y: my };
      return;
    }
    this.panBy(p.x - prev.x, p.y - prev.y);
  };

  Viewer.prototype.key = function (e) {
    var w = this.root.clientWidth;
    var h = this.root.clientHeight;
    var handled = true;
    switch (e.key) {
      case '+': case '=': this.zoomBy(1.6); break;
      case '-': case '_': case '−': this.zoomBy(1 / 1.6); break;
      case 'ArrowLeft': this.panBy(w * KEY_PAN, 0); break;
      case 'ArrowRight': this.panBy(-w * KEY_PAN, 0); break;
      case 'ArrowUp': this.panBy(0, h * KEY_PAN); break;
      case 'ArrowDown': this.panBy(0, -h * KEY_PAN); break;
      case '0': case 'Home': this.fit(); break;
      case 'Escape':
        if (document.fullscreenElement) { handled = false; } else { this.close(); }
        break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  };

  Viewer.prototype.fitScale = function () {
    var w = this.root.clientWidth || 1;
    var h = this.root.clientHeight || 1;
    return Math.min(w / this.info.width, h / this.info.height);
  };

  Viewer.prototype.fit = function () {
    var s = this.fitScale();
    this.view = {
      scale: s,
      x: ((this.root.clientWidth || 0) - this.info.width * s) / 2,
      y: ((this.root.clientHeight || 0) - this.info.height * s) / 2,
    };
    this.render();
  };

  Viewer.prototype.zoomBy = function (factor) {
    this.zoomAt(factor, this.root.clientWidth / 2, this.root.clientHeight / 2);
  };

  Viewer.prototype.zoomAt = function (factor, px, py) {
    var v = this.view;
    var min = this.fitScale() * 0.5;
    var next = Math.min(MAX_ZOOM, Math.max(min, v.scale * factor));
    var k = next / v.scale;
    v.x = px - (px - v.x) * k;
    v.y = py - (py - v.y) * k;
    v.scale = next;
    this.render();
  };

  Viewer.prototype.panBy = function (dx, dy) {
    this.view.x += dx;
    this.view.y += dy;
    this.render();
  };

  // Keeps at least a third of the view on the image.
  Viewer.prototype.clamp = function () {
    var v = this.view;
    var w = this.root.clientWidth;
    var h = this.root.clientHeight;
    var iw = this.info.width * v.scale;
    var ih = this.info.height * v.scale;
    v.x = Math.min(w * 2 / 3, Math.max(w / 3 - iw, v.x));
    v.y = Math.min(h * 2 / 3, Math.max(h / 3 - ih, v.y));
  };

  // The coarsest level whose pixels are still no larger than a device pixel.
  Viewer.prototype.level = function () {
    var ratio = this.view.scale * (window.devicePixelRatio || 1);
    var chosen = this.scaleFactors[0];
    for (var i = 0; i < this.scaleFactors.length; i++) {
      if (this.scaleFactors[i] * ratio <= 1.01) chosen = this.scaleFactors[i];
    }
    return chosen;
  };

  Viewer.prototype.render = function () {
    if (!this.view) return;
    this.clamp();
    var v = this.view;
    var w = this.root.clientWidth;
    var h = this.root.clientHeight;
    var coarsest = this.scaleFactors[this.scaleFactors.length - 1];
    var wanted = new Set();
    // The whole image at the coarsest level stays underneath, so panning
    // never shows holes while sharper tiles load.
    this.place(coarsest, 0, 0, wanted, 0);
    var scale = this.level();
    if (scale !== coarsest) {
      var span = this.tileSize * scale;
      var x0 = Math.max(0, Math.floor(-v.x / v.scale / span));
      var y0 = Math.max(0, Math.floor(-v.y / v.scale / span));
      var x1 = Math.min(Math.ceil(this.info.width / span), Math.ceil((w - v.x) / v.scale / span));
      var y1 = Math.min(Math.ceil(this.info.height / span), Math.ceil((h - v.y) / v.scale / span));
      for (var ty = y0; ty < y1; ty++) {
        for (var tx = x0; tx < x1; tx++) this.place(scale, tx, ty, wanted, 1);
      }
    }
    this.elements.forEach(function (el, url) {
      el.style.display = wanted.has(url) ? '' : 'none';
    });
    this.prune(wanted);
    this.root.dataset.level = String(scale);
  };

  Viewer.prototype.place = function (scale, tx, ty, wanted, layer) {
    var info = this.info;
    var span = this.tileSize * scale;
    var levelW = Math.ceil(info.width / scale);
    var levelH = Math.ceil(info.height / scale);
    var x, y, rw, rh, path;
    if (levelW < this.tileSize && levelH < this.tileSize) {
      x = 0; y = 0; rw = info.width; rh = info.height;
      path = 'full/' + (scale === 1 ? 'max' : levelW + ',' + levelH) + '/0/default.jpg';
    } else {
      x = tx * span; y = ty * span;
      rw = Math.min(span, info.width - x);
      rh = Math.min(span, info.height - y);
      path = tilePath(info, scale, x, y, rw, rh);
    }
    var url = this.base + path;
    wanted.add(url);
    var el = this.elements.get(url);
    if (!el) {
      el = document.createElement('img');
      el.alt = '';
      el.draggable = false;
      el.decoding = 'async';
      el.className = 'zoom-tile';
      el.style.zIndex = String(layer);
      el.src = url;
      this.stage.appendChild(el);
      this.elements.set(url, el);
    } else {
      // Most recently used last, for pruning.
      this.elements.delete(url);
      this.elements.set(url, el);
    }
    var v = this.view;
    // Whole pixels on the left/top edges, so neighbouring tiles meet.
    var left = Math.floor(v.x + x * v.scale);
    var top = Math.floor(v.y + y * v.scale);
    el.style.left = left + 'px';
    el.style.top = top + 'px';
    el.style.width = Math.ceil(v.x + (x + rw) * v.scale) - left + 'px';
    el.style.height = Math.ceil(v.y + (y + rh) * v.scale) - top + 'px';
  };

  Viewer.prototype.prune = function (wanted) {
    var excess = this.elements.size - KEEP_TILES;
    if (excess <= 0) return;
    var self = this;
    Array.from(this.elements.keys()).some(function (url) {
      if (excess <= 0) return true;
      if (!wanted.has(url)) {
        self.elements.get(url).remove();
        self.elements.delete(url);
        excess--;
      }
      return false;
    });
  };

  Viewer.prototype.toggleFullscreen = function () {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (this.root.requestFullscreen) {
      this.root.requestFullscreen().catch(function () {});
    }
  };

  Viewer.prototype.close = function () {
    if (document.fullscreenElement === this.root) document.exitFullscreen();
    this.root.remove();
    this.figure.classList.remove('is-zooming');
    if (this.opener) this.opener.focus();
  };

  function open(figure, opener) {
    if (figure.zoomViewer && figure.zoomViewer.root.isConnected) {
      figure.zoomViewer.root.focus({ preventScroll: true });
      return;
    }
    var infoUrl = figure.getAttribute('data-zoom-info');
    var base = infoUrl.replace(/info\.json$/, '');
    figure.classList.add('is-loading');
    fetch(infoUrl)
      .then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (info) {
        figure.classList.remove('is-loading');
        figure.classList.add('is-zooming');
        var link = figure.querySelector('.image-link');
        var viewer = new Viewer(figure, info, base);
        viewer.opener = opener;
        figure.insertBefore(viewer.root, link);
        figure.zoomViewer = viewer;
        viewer.fit();
        viewer.root.focus({ preventScroll: true });
      })
      .catch(function () {
        // The tiles are unreachable: follow the plain link instead.
        figure.classList.remove('is-loading');
        var link = figure.querySelector('.image-link');
        if (link) window.location.href = link.href;
      });
  }

  function enhance(figure) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'zoom-open';
    button.textContent = '放大查看';
    button.addEventListener('click', function () { open(figure, button); });
    var link = figure.querySelector('.image-link');
    if (link) {
      link.addEventListener('click', function (e) {
        if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        open(figure, button);
      });
    }
    (figure.querySelector('figcaption') || figure).appendChild(button);
  }

  function start() {
    document.querySelectorAll('figure[data-zoom-info]').forEach(enhance);
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
