// The checker form on "Check your own derivative" (docs/check.md): fields named as the CLI's
// flags, filled from the query string (?f=...&wrt=...&var=x=n&var=A=n,n&run=1), run in a Web
// Worker (browser/worker.js) started only when the reader asks. Nothing is sent anywhere: every
// file comes from this site, and the check runs on the reader's machine.
(function () {
  "use strict";
  const script = document.currentScript;
  const base = new URL(".", script.src).href; // .../assets/checker/
  const files = JSON.parse(script.dataset.files);
  const FIELDS = ["f", "wrt", "claimed", "var", "kind", "direction", "assume", "at", "side", "seed", "time-limit"];
  const LISTS = ["var", "assume", "at"]; // repeated flags: one text field, entries separated by spaces
  const NativeWorker = self.Worker; // before any polyfill replaces it (see the build hook)
  let worker = null;
  let current = null; // {id, timer, started}
  let counter = 0;

  const $ = (id) => document.getElementById(id);
  const field = (name) => $("checker-" + name);

  // "x=0 v=[1, 2]" -> ["x=0", "v=[1, 2]"]: spaces inside brackets belong to the value
  function entries(text) {
    const out = [];
    let depth = 0;
    let word = "";
    for (const c of text) {
      if (c === "[" || c === "(") depth++;
      else if ((c === "]" || c === ")") && depth > 0) depth--;
      if (/\s/.test(c) && depth === 0) {
        if (word) out.push(word);
        word = "";
      } else word += c;
    }
    if (word) out.push(word);
    return out;
  }

  const valuesOf = (name, value) => (LISTS.includes(name) ? entries(value) : [value]);

  function fromQuery() {
    const query = new URLSearchParams(location.search);
    for (const name of FIELDS) {
      const values = query.getAll(name);
      if (values.length && field(name)) field(name).value = values.join(LISTS.includes(name) ? " " : "");
    }
    return query.get("run") === "1";
  }

  function argv() {
    const out = [];
    for (const name of FIELDS) {
      const value = field(name).value.trim();
      if (!value) continue;
      for (const v of valuesOf(name, value)) out.push(`--${name}=${v}`); // --f=-x: a leading minus stays a value
    }
    return out;
  }

  function shareLink() {
    const query = new URLSearchParams();
    for (const name of FIELDS) {
      const value = field(name).value.trim();
      if (!value || (name === "time-limit" && value === "30")) continue;
      for (const v of valuesOf(name, value)) query.append(name, v);
    }
    query.append("run", "1");
    return location.href.split(/[?#]/)[0] + "?" + query.toString();
  }

  function newWorker() {
    if (files.offline) {
      const source = atob(self.CHECKER_FILES["worker.js"]);
      return new NativeWorker(URL.createObjectURL(new Blob([source], { type: "text/javascript" })));
    }
    return new NativeWorker(base + "worker.js");
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = () => reject(new Error("cannot load " + src));
      document.head.appendChild(tag);
    });
  }

  async function offlineBlobs() {
    // file:// refuses fetch(): each file is a script setting a base64 string (hooks/browser_checker.py)
    const names = [...files.runtime, ...files.packages];
    const blobs = {};
    for (let k = 0; k < names.length; k++) {
      showProgress(k, names.length + 1, "Reading " + names[k]);
      if (!(self.CHECKER_FILES || {})[names[k]]) await loadScript(`${base}offline/${names[k]}.js`);
      const raw = atob(self.CHECKER_FILES[names[k]]);
      const bytes = new Uint8Array(raw.length);
      for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
      blobs[names[k]] = bytes.buffer;
    }
    return blobs;
  }

  function showProgress(step, of, text) {
    const bar = $("checker-progress");
    bar.hidden = false;
    bar.max = of;
    bar.value = step;
    $("checker-status").textContent = text + "…";
  }

  function finish() {
    if (current) clearTimeout(current.timer);
    current = null;
    $("checker-stop").disabled = true;
    $("checker-run").disabled = false;
    $("checker-progress").hidden = true;
    $("checker-status").textContent = "";
  }

  function stop() {
    if (worker) worker.terminate(); // the only way to interrupt Python in a worker
    worker = null;
    finish();
  }

  async function start(event) {
    if (event) event.preventDefault();
    if (current) stop();
    const id = ++counter;
    const limit = Number(field("time-limit").value) || 30;
    const result = $("checker-result");
    result.removeAttribute("data-verdict");
    result.dataset.state = "running";
    result.innerHTML = "";
    $("checker-run").disabled = true;
    $("checker-stop").disabled = false;
    current = { id, started: performance.now(), timer: null };
    const msg = { type: "check", id, argv: argv(), base, files };
    const first = !worker;
    if (first) {
      if (files.offline && !(self.CHECKER_FILES || {})["worker.js"]) {
        await loadScript(`${base}offline/worker.js.js`);
      }
      worker = newWorker();
      worker.onmessage = (e) => receive(e.data);
      worker.onerror = (e) => receive({ type: "failed", id: current && current.id, message: e.message });
      if (files.offline) msg.blobs = await offlineBlobs();
      if (!current || current.id !== id) return; // stopped while reading
    }
    worker.postMessage(msg, msg.blobs ? Object.values(msg.blobs) : []);
    // the time limit counts from the moment the check itself starts (see receive)
    current.limit = limit;
    showProgress(0, 1, first ? "Starting" : "Checking");
  }

  function receive(msg) {
    if (!current || msg.id !== current.id) return;
    const result = $("checker-result");
    if (msg.type === "progress") {
      showProgress(msg.step, msg.of, msg.text);
      if (msg.text === "Checking" && !current.timer) {
        current.checking = performance.now();
        current.timer = setTimeout(() => timeUp(current.limit), current.limit * 1000);
      }
      return;
    }
    const total = (performance.now() - current.started) / 1000;
    if (msg.type === "failed") stop(); // a worker that failed to load is not reused
    else finish();
    result.dataset.state = "done";
    if (msg.type === "failed") {
      render(result, { verdict: "bad-input", error: "the checker could not run: " + msg.message });
      return;
    }
    msg.result.total_seconds = total;
    msg.result.load_seconds = msg.loadMs / 1000;
    render(result, msg.result);
  }

  function timeUp(limit) {
    stop();
    const result = $("checker-result");
    result.dataset.state = "done";
    render(result, {
      verdict: "inconclusive",
      reason: `the time limit of ${limit} s was reached: the check was stopped (raise the time limit to let it run longer)`,
    });
  }

  function onStop() {
    if (!current) return;
    stop();
    const result = $("checker-result");
    result.dataset.state = "stopped";
    result.innerHTML = "<p>Stopped. The next check starts a fresh Python.</p>";
  }

  // ------------------------------------------------------------------ the result, typeset

  function tex(value) {
    if (Array.isArray(value)) {
      const rows = value.map((row) => (Array.isArray(row) ? row.map(tex).join(" & ") : tex(row)));
      return "\\begin{bmatrix}" + rows.join(" \\\\ ") + "\\end{bmatrix}";
    }
    const s = String(value);
    const m = s.match(/^(-?)(\d+)\/(\d+)$/);
    if (m) return `${m[1]}\\frac{${m[2]}}{${m[3]}}`;
    return s.replace(/e([+-]?\d+)$/, "\\times 10^{$1}").replace(/[{}\\]/g, "");
  }

  function math(texSource) {
    const span = document.createElement("span");
    span.className = "checker-math";
    span.dataset.tex = texSource;
    if (window.katex) window.katex.render(texSource, span, { throwOnError: false });
    else span.textContent = texSource;
    return span;
  }

  function line(parent, tag, text) {
    const el = document.createElement(tag);
    if (text !== undefined) el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  function render(el, r) {
    el.dataset.verdict = r.verdict;
    const head = line(el, "p");
    line(head, "strong", r.verdict === "bad-input" ? "bad input" : r.verdict);
    head.appendChild(document.createTextNode(": " + (r.verdict === "bad-input" ? r.error : r.reason)));
    const cx = r.counterexample;
    if (cx) {
      const box = line(el, "div");
      box.className = "checker-counterexample";
      const dims = cx.dimensions ? Object.entries(cx.dimensions).map(([k, v]) => `${k}=${v}`).join(", ") : cx.dims;
      line(box, "p", "Counterexample" + (dims ? ` (size ${dims})` : "") + ":");
      const point = (cx.shown && cx.shown.point) || cx.point;
      if (point && typeof point === "object") {
        const p = line(box, "p");
        Object.entries(point).forEach(([name, value], k) => {
          if (k) p.appendChild(document.createTextNode(", "));
          p.appendChild(math(`${name} = ${tex(value)}`));
        });
      }
      if (cx.entry) {
        const entry = cx.entry.map((i) => `[${i}]`).join("") || "(the value)";
        const p = line(box, "p", `entry ${entry}: claimed `);
        p.appendChild(math(tex((cx.shown && cx.shown.claimed) || cx.claimed)));
        p.appendChild(document.createTextNode(", true "));
        p.appendChild(math(tex((cx.shown && cx.shown.true) || cx.true)));
      } else if (cx.claimed !== undefined && cx.derived !== undefined) {
        const p = line(box, "p", "claimed ");
        p.appendChild(math(tex(cx.claimed)));
        p.appendChild(document.createTextNode(r.kind === "identity" ? ", f " : ", true "));
        p.appendChild(math(tex(cx.derived)));
      }
      if (cx.shape) line(box, "p", "shape: " + cx.shape);
    }
    if (r.layers && r.layers.length) {
      const table = line(el, "table");
      table.className = "checker-layers";
      const head = line(line(table, "thead"), "tr");
      for (const h of ["layer", "status", "evidence"]) line(head, "th", h);
      const body = line(table, "tbody");
      for (const layer of r.layers) {
        const row = line(body, "tr");
        line(row, "td", layer.layer);
        line(row, "td", layer.status);
        line(row, "td", layer.detail + (layer.dims && layer.dims.length ? ` [${layer.dims.join("; ")}]` : ""));
      }
    }
    const times = [];
    if (r.seconds !== undefined) times.push(`check ${r.seconds.toFixed(2)} s`);
    if (r.load_seconds) times.push(`loading Python ${r.load_seconds.toFixed(1)} s`);
    if (times.length) line(el, "p", `seed ${r.seed !== undefined ? r.seed : field("seed").value || 0}; ${times.join(", ")}`).className = "checker-time";
    if (r.text) {
      const details = line(el, "details");
      line(details, "summary", "As the command line prints it");
      line(details, "pre", r.text);
    }
    const share = line(el, "p", "Link to this check: ");
    const a = line(share, "a", "share");
    a.href = shareLink();
    a.id = "checker-share";
  }

  function init() {
    const form = $("checker-form");
    if (!form) return;
    form.addEventListener("submit", start);
    $("checker-stop").addEventListener("click", onStop);
    if (fromQuery()) start();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
