/* Search on demand.
 *
 * Material requests search/search_index.json as soon as a page loads, so every first visit pays
 * for the whole index (about a quarter of a chapter's transfer) although most visits never
 * search. This script runs before Material's bundle and holds that one request back until the
 * reader heads for search: focusing or touching the search box, one of Material's search keys
 * ("/", "s", "f"), or a page opened with ?q= (a search link). Material shows "Initializing
 * search" meanwhile, then behaves as before. Nothing else is delayed; the offline copy loads its
 * index as a script (search_index.js) and is not affected.
 */
(function () {
  "use strict";
  var INDEX = /(^|\/)search\/search_index\.json(\?|$)/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var held = [];
  var wanted = /[?&]q=/.test(window.location.search);

  XMLHttpRequest.prototype.open = function (method, url) {
    this.searchIndexRequest = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    if (this.searchIndexRequest && !wanted) {
      held.push([this, arguments]);
      return undefined;
    }
    return send.apply(this, arguments);
  };

  function release() {
    if (wanted) return;
    wanted = true;
    document.documentElement.dataset.searchIndex = "requested";
    held.splice(0).forEach(function (call) { send.apply(call[0], call[1]); });
  }

  function isSearch(target) {
    return Boolean(target && target.closest &&
      target.closest('[data-md-component="search"], label[for="__search"]'));
  }
  document.addEventListener("focusin", function (event) {
    if (isSearch(event.target)) release();
  }, true);
  document.addEventListener("pointerdown", function (event) {
    if (isSearch(event.target)) release();
  }, true);
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" || event.key === "s" || event.key === "f") release();
  }, true);
})();
