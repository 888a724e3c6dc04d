// Claim box tools: copy a claim's TeX or its BibTeX entry.
//
// Every claim box (div.claim, written by derivations/render/box.py) gets two small buttons in
// its head. "Copy TeX" copies the box's statement as printed: the TeX of its display formula
// (the annotation KaTeX keeps, or the text before it is typeset), nothing retyped. "Copy
// BibTeX" copies the entry the box carries in its evidence (script.claim__bibtex, plain text),
// the claim index's entry for the same claim.
// Copying works on http(s) and from file://: the asynchronous clipboard where the page may use
// it, else a hidden textarea and execCommand("copy"), else the text is shown selected for the
// reader's own Ctrl+C. The result is shown on the button and announced to screen readers.
(function () {
  "use strict";

  var SHOWN_MS = 2000;
  var status = null; // one polite live region for the page

  function bibtexEntry(box) {
    return box.querySelector("script.claim__bibtex").textContent;
  }

  function statementTex(box) {
    var el = box.querySelector(":scope > div.arithmatex");
    if (!el) return "";
    var annotation = el.querySelector('annotation[encoding="application/x-tex"]');
    if (annotation) return annotation.textContent.trim();
    var text = el.textContent.trim();
    if (text.startsWith("\\[") && text.endsWith("\\]")) text = text.slice(2, -2);
    return text.trim();
  }

  function viaTextarea(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.setAttribute("aria-hidden", "true");
    area.tabIndex = -1;
    area.style.cssText = "position:fixed;top:0;left:0;width:1px;height:1px;opacity:0";
    var focused = document.activeElement;
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    document.body.removeChild(area);
    if (focused && focused.focus) focused.focus();
    return copied;
  }

  function copyText(text) {
    if (window.isSecureContext && navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return viaTextarea(text); }
      );
    }
    return Promise.resolve(viaTextarea(text));
  }

  function announce(message) {
    if (!status) {
      status = document.createElement("div");
      status.className = "claim__sr";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      document.body.appendChild(status);
    }
    status.textContent = "";
    // a new text node after a pause, so that the same message twice is read twice
    setTimeout(function () { status.textContent = message; }, 50);
  }

  // Nothing reached the clipboard: the text, selected, for the reader to copy by hand.
  function showForManualCopy(box, what, text) {
    var panel = box.querySelector(":scope > .claim__manual");
    if (!panel) {
      panel = document.createElement("div");
      panel.className = "claim__manual";
      var label = document.createElement("label");
      var area = document.createElement("textarea");
      area.readOnly = true;
      label.appendChild(document.createTextNode(""));
      label.appendChild(area);
      panel.appendChild(label);
      var head = box.querySelector(":scope > .claim__head");
      box.insertBefore(panel, head ? head.nextSibling : box.firstChild);
    }
    var field = panel.querySelector("textarea");
    panel.querySelector("label").firstChild.textContent =
      what + " (copying is blocked here: press Ctrl+C or \u2318C)";
    field.value = text;
    field.rows = Math.min(text.split("\n").length, 8);
    field.focus();
    field.select();
  }

  function makeButton(box, label, what, read) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "claim__copy";
    button.textContent = label;
    var title = box.querySelector(":scope > .claim__head .claim__title");
    if (title) {
      if (!title.id) title.id = box.id + "--title";
      button.setAttribute("aria-describedby", title.id);
    }
    var timer = null;
    button.addEventListener("click", function () {
      var text = read(box);
      copyText(text).then(function (copied) {
        if (!copied) {
          showForManualCopy(box, what, text);
          announce(what + " shown selected: copying is blocked here");
          return;
        }
        button.style.minWidth = button.offsetWidth + "px"; // the shorter word moves nothing
        button.textContent = "Copied";
        button.classList.add("claim__copy--done");
        announce(what + " of " + box.id + " copied");
        clearTimeout(timer);
        timer = setTimeout(function () {
          button.textContent = label;
          button.classList.remove("claim__copy--done");
        }, SHOWN_MS);
      });
    });
    return button;
  }

  function addTools(root) {
    root.querySelectorAll("div.claim").forEach(function (box) {
      var head = box.querySelector(":scope > .claim__head");
      if (!head || !box.querySelector("script.claim__bibtex")) return; // retired, or on paper
      if (head.querySelector(".claim__tools")) return;
      var tools = document.createElement("span");
      tools.className = "claim__tools";
      // the id and the buttons stay together at the right, on the title's line or the next
      var id = head.querySelector(":scope > .claim__id");
      if (id) tools.appendChild(id);
      tools.appendChild(makeButton(box, "Copy TeX", "TeX", statementTex));
      tools.appendChild(makeButton(box, "Copy BibTeX", "BibTeX", bibtexEntry));
      head.appendChild(tools);
    });
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(function () { addTools(document); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { addTools(document); });
  } else {
    addTools(document);
  }
})();
