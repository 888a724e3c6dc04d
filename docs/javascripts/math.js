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

  function renderArithmatex(root) {
    root.querySelectorAll(".arithmatex").forEach(function (el) {
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
    });
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
    root.querySelectorAll(".md-content *").forEach(function (el) {
      var style = getComputedStyle(el);
      var scrolls = style.overflowX === "auto" || style.overflowX === "scroll";
      if (scrolls && el.scrollWidth > el.clientWidth + 1 && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        if (!el.getAttribute("role")) el.setAttribute("role", "region");
        if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", "scrollable content");
      }
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

  function typeset() {
    renderArithmatex(document);
    renderNotebooks(document);
    renderNavigation(document);
    accessibilityWhenLaidOut();
    document.documentElement.dataset.mathTypeset = "1";
    window.__mathTypesetMs = performance.now(); // read by `make bench`
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(typeset);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", typeset);
  } else {
    typeset();
  }
})();
