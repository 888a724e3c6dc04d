// Typeset math with the KaTeX shipped inside the site (no CDN).
// Scope: arithmatex output (.arithmatex) and executed notebook pages (.jupyter-wrapper);
// hidden copy-button text is ignored so formulas never render twice.
// Printing (the print dialog, or a PDF) typesets whatever is left at once, in the light palette.
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

  // Typesetting in slices of time, not of a fixed number of formulas: each slice ends in a new
  // layout of the page (and Material's observers of its size), so fewer, longer slices finish
  // the 3,400-formula handout sooner (all typeset 6.0 s after load with 40 formulas a batch,
  // 3.6 s with 40 ms slices; 16 ms: 5.4 s, 100 ms: 3.6 s). A slice takes what the browser says
  // is idle, at least SLICE_MS: the page still answers within a few frames.
  var SLICE_MS = 40;

  function later(fn) {
    return window.requestIdleCallback ? requestIdleCallback(fn, { timeout: 100 }) : setTimeout(fn, 1);
  }

  function renderSlice(rest, deadline) {
    var idle = deadline && !deadline.didTimeout ? deadline.timeRemaining() : 0;
    var until = performance.now() + Math.max(idle, SLICE_MS);
    var i = 0;
    while (i < rest.length && (i === 0 || performance.now() < until)) renderOne(rest[i++]);
    rest.splice(0, i);
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
    // A formula's own parts never scroll: skipping them leaves a tenth of the elements to measure
    // (on the 3,000-formula handout, seconds less before the page counts as typeset).
    var wide = [];
    root.querySelectorAll(".md-content *:not(.katex *, svg *)").forEach(function (el) {
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

  var job = null; // this page's formulas still to typeset, and whether it has finished

  function finish(printing) {
    if (!job || job.finished) return;
    job.finished = true;
    renderNotebooks(document);
    renderNavigation(document);
    // measuring every element's width would delay the print preview: measure after printing
    if (printing) window.addEventListener("afterprint", accessibilityWhenLaidOut, { once: true });
    else accessibilityWhenLaidOut();
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
    var current = (job = { rest: parts.far, finished: false });
    var scrolled = window.scrollY;
    function batch(deadline) {
      if (current.finished) return;
      renderSlice(current.rest, deadline);
      if (current.rest.length) return later(batch);
      finish(false);
      // formulas typeset above a linked claim moved it: bring it back unless the reader scrolled
      if (anchor && window.scrollY === scrolled) anchor.scrollIntoView();
    }
    if (current.rest.length) later(batch); else finish(false);
  }

  // Printing needs every formula now. Chromium fires beforeprint both for the print dialog and
  // for a PDF made by DevTools (page.pdf), before it lays out the pages; a browser that only
  // switches to the print media gets the same through matchMedia.
  function typesetAllNow() {
    renderArithmatex(document);
    if (job) {
      job.rest.length = 0;
      finish(true);
    }
  }
  window.addEventListener("beforeprint", typesetAllNow);
  if (window.matchMedia) {
    var printMedia = window.matchMedia("print");
    var onChange = function (event) { if (event.matches) typesetAllNow(); };
    if (printMedia.addEventListener) printMedia.addEventListener("change", onChange);
    else if (printMedia.addListener) printMedia.addListener(onChange);
  }

  // Paper is light: a reader in dark mode prints the light palette (light grey text on white
  // paper, or a dark page, otherwise). Material keeps the scheme on <body>; it comes back after.
  var schemeOnScreen = null;
  window.addEventListener("beforeprint", function () {
    var body = document.body;
    if (!body || body.getAttribute("data-md-color-scheme") !== "slate") return;
    schemeOnScreen = "slate";
    body.setAttribute("data-md-color-scheme", "default");
  });
  window.addEventListener("afterprint", function () {
    if (schemeOnScreen) document.body.setAttribute("data-md-color-scheme", schemeOnScreen);
    schemeOnScreen = null;
  });

  if (typeof document$ !== "undefined") {
    document$.subscribe(typeset);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", typeset);
  } else {
    typeset();
  }
})();
