// Typeset math with the KaTeX shipped inside the site (no CDN).
// Scope: arithmatex output (.arithmatex) and executed notebook pages (.jupyter-wrapper);
// hidden copy-button text is ignored so formulas never render twice.
(function () {
  "use strict";

  function stripDelimiters(text) {
    var t = text.trim();
    var pairs = [["\\[", "\\]", true], ["\\(", "\\)", false], ["$$", "$$", true], ["$", "$", false]];
    for (var i = 0; i < pairs.length; i++) {
      var p = pairs[i];
      if (t.startsWith(p[0]) && t.endsWith(p[1]) && t.length >= p[0].length + p[1].length) {
        return { tex: t.slice(p[0].length, t.length - p[1].length), display: p[2] };
      }
    }
    return { tex: t, display: false };
  }

  function renderOne(el) {
    if (el.dataset.typeset === "1") return;
    var parsed = stripDelimiters(el.textContent);
    var display = el.tagName === "DIV" || parsed.display;
    katex.render(parsed.tex, el, {
      displayMode: display,
      throwOnError: false,
      output: "htmlAndMathml",
      strict: "ignore",
    });
    el.dataset.typeset = "1";
  }

  function renderArithmatex(root) {
    root.querySelectorAll(".arithmatex").forEach(renderOne);
  }

  // The first formulas of the page (or of a linked claim onward) are typeset at once; the rest
  // in small batches while the browser is idle, so a page with 400 formulas reads at once. The
  // split goes by document order: measuring positions would force a layout of the whole page.
  var FIRST_SCREEN = 40;

  function splitFirstScreen(elements, anchor) {
    var start = 0;
    if (anchor) {
      while (start < elements.length &&
             anchor.compareDocumentPosition(elements[start]) & Node.DOCUMENT_POSITION_PRECEDING) {
        start++;
      }
    }
    var near = elements.slice(start, start + FIRST_SCREEN);
    var far = elements.slice(start + FIRST_SCREEN).concat(elements.slice(0, start));
    return { near: near, far: far };
  }

  function later(fn) {
    return window.requestIdleCallback ? requestIdleCallback(fn, { timeout: 50 }) : setTimeout(fn, 1);
  }

  function renderNotebooks(root) {
    if (typeof renderMathInElement !== "function") return;
    root.querySelectorAll(".jupyter-wrapper").forEach(function (el) {
      renderMathInElement(el, {
        delimiters: [
          { left: "$$", right: "$$", display: true },
          { left: "\\[", right: "\\]", display: true },
          { left: "\\(", right: "\\)", display: false },
          { left: "$", right: "$", display: false },
        ],
        ignoredClasses: ["clipboard-copy-txt", "highlight-ipynb", "jp-InputArea-editor"],
        ignoredTags: ["script", "noscript", "style", "textarea", "pre", "code", "option"],
        throwOnError: false,
        output: "htmlAndMathml",
      });
    });
  }

  // Headings with math reach the table of contents as raw TeX: typeset the nav links too.
  function renderNavigation(root) {
    if (typeof renderMathInElement !== "function") return;
    root.querySelectorAll(".md-nav__link").forEach(function (el) {
      if (el.textContent.indexOf("\\(") === -1) return;
      renderMathInElement(el, {
        delimiters: [{ left: "\\(", right: "\\)", display: false }],
        throwOnError: false,
        output: "htmlAndMathml",
      });
    });
  }

  // Accessibility touches the theme leaves out: a name for the search dialog, and keyboard
  // access to regions that scroll sideways (wide formulas, code cells).
  function accessibility(root) {
    root.querySelectorAll('.md-search[role="dialog"]').forEach(function (el) {
      if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", "Search");
    });
    // Read everything first, then write: a write between reads forces a new layout each time.
    var wide = [];
    root.querySelectorAll(".md-content *").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) wide.push(el);
    });
    wide = wide.filter(function (el) {
      var overflow = getComputedStyle(el).overflowX;
      return overflow === "auto" || overflow === "scroll";
    });
    wide.forEach(function (el) {
      el.setAttribute("tabindex", "0");
      if (!el.getAttribute("role")) el.setAttribute("role", "region");
      if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", "scrollable content");
    });
  }

  // Widths are final only once fonts have loaded: look again then.
  function accessibilityWhenLaidOut() {
    accessibility(document);
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(function () { accessibility(document); });
    }
    window.addEventListener("load", function () { accessibility(document); });
  }

  function finish() {
    renderNotebooks(document);
    renderNavigation(document);
    accessibilityWhenLaidOut();
    window.__mathCompleteMs = performance.now(); // every formula on the page typeset
    document.documentElement.dataset.mathTypeset = "1";
  }

  function typeset() {
    var start = performance.now();
    var anchor = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    var formulas = Array.prototype.slice.call(document.querySelectorAll(".arithmatex"));
    var parts = splitFirstScreen(formulas, anchor); // a cited claim: its screen comes first
    parts.near.forEach(renderOne);
    window.__mathTypesetMs = performance.now(); // the first screen is typeset: read by `make bench`
    window.__mathRenderMs = window.__mathTypesetMs - start;
    var rest = parts.far;
    var scrolled = window.scrollY;
    function batch() {
      rest.splice(0, 40).forEach(renderOne);
      if (rest.length) return later(batch);
      finish();
      // formulas typeset above a linked claim moved it: bring it back unless the reader scrolled
      if (anchor && window.scrollY === scrolled) anchor.scrollIntoView();
    }
    if (rest.length) later(batch); else finish();
  }

  // printing (or saving as PDF) needs every formula now
  window.addEventListener("beforeprint", function () { renderArithmatex(document); });

  if (typeof document$ !== "undefined") {
    document$.subscribe(typeset);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", typeset);
  } else {
    typeset();
  }
})();
