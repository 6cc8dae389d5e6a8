// Instant filters for the archive page: combines the facet selects (type,
// decade, tag, person, place) and the sort order on the cards already in the
// page. Without this script the form stays hidden and the /browse/ pages
// offer the same facets as links.
(function () {
  'use strict';
  var form = document.getElementById('archive-filters');
  var list = document.querySelector('main .cards');
  if (!form || !list) return;
  var cards = Array.prototype.slice.call(list.querySelectorAll('li[data-type]'));
  var selects = Array.prototype.slice.call(form.querySelectorAll('select[data-facet]'));
  var sort = document.getElementById('filter-sort');
  var status = document.getElementById('filter-status');
  var empty = document.getElementById('filter-empty');
  var byTitle = cards.slice().sort(function (a, b) {
    return a.dataset.title.localeCompare(b.dataset.title, 'zh-CN');
  });

  function matches(card) {
    return selects.every(function (select) {
      if (!select.value) return true;
      var values = (card.dataset[select.dataset.facet] || '').split(' ');
      return values.indexOf(select.value) !== -1;
    });
  }

  function update() {
    var order = sort && sort.value === 'title' ? byTitle : cards;
    var shown = 0;
    order.forEach(function (card) {
      var show = matches(card);
      card.hidden = !show;
      if (show) shown += 1;
      list.appendChild(card);
    });
    var filtered = selects.some(function (s) { return s.value; });
    status.textContent = filtered ? '显示 ' + shown + ' 件，共 ' + cards.length + ' 件' : '';
    if (empty) empty.hidden = shown > 0;
  }

  form.addEventListener('change', update);
  form.addEventListener('reset', function () { setTimeout(update, 0); });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  form.hidden = false;
})();
