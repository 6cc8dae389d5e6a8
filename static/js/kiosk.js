// Full-screen panel mode for a kiosk in a reading room: hides the site's
// header, navigation and footer, enlarges the panel and asks the browser for
// full screen. The mode lasts across previous/next in the same tab; a kiosk
// can also start in it with `?kiosk` in the URL. Escape or the button leaves it.
(function () {
  'use strict';
  var button = document.getElementById('kiosk-toggle');
  if (!button) return;
  var KEY = 'lantai-kiosk';
  var root = document.documentElement;

  function remember(on) {
    try {
      if (on) sessionStorage.setItem(KEY, '1'); else sessionStorage.removeItem(KEY);
    } catch (e) { /* storage may be disabled; the mode then lasts one page */ }
  }

  function set(on) {
    root.classList.toggle('kiosk', on);
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    button.textContent = on ? '退出全屏展板' : '全屏展板';
    remember(on);
  }

  var stored = false;
  try { stored = sessionStorage.getItem(KEY) === '1'; } catch (e) { /* as above */ }
  set(stored || /[?&]kiosk\b/.test(location.search));
  button.hidden = false;

  button.addEventListener('click', function () {
    var on = !root.classList.contains('kiosk');
    set(on);
    if (on && root.requestFullscreen) root.requestFullscreen().catch(function () {});
    if (!on && document.fullscreenElement) document.exitFullscreen().catch(function () {});
  });
  document.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && root.classList.contains('kiosk')) set(false);
  });
})();
