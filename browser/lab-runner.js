// "Run this lab in your browser" on the lab pages (hooks/lab_runner.py). Nothing else loads
// until the reader clicks: then the page fetches the lab's code cells and the list of runtime
// files, starts a Web Worker (lab-worker.js) that loads Python from this site, and shows each
// cell's output under that cell. Nothing is sent anywhere: the code runs on the reader's machine.
(function () {
  "use strict";
  const script = document.currentScript;
  const base = new URL(".", script.src).href; // .../assets/labs/
  const checker = new URL("../checker/", base).href; // the checker's files, shared
  let worker = null;
  let run = null; // {id, started, timer, cells, loading}
  let counter = 0;
  let panel, runButton, stopButton, bar, status;

  async function json(url) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url.split("/").pop()}: HTTP ${response.status}`);
    return response.json();
  }

  // the k-th code cell of the page is the k-th code cell of the lab's file (checked at build)
  const codeCells = () =>
    [...document.querySelectorAll(".jupyter-wrapper .jp-CodeCell > .jp-Cell-inputWrapper")].map(
      (input) => input.parentElement,
    );

  function seconds() {
    return ((performance.now() - run.started) / 1000).toFixed(1) + " s";
  }

  function say(text) {
    status.textContent = run ? `${text} (${seconds()})` : text;
    status.dataset.text = text;
  }

  function setState(state) {
    panel.dataset.state = state;
    const busy = state === "loading" || state === "running";
    runButton.disabled = busy;
    stopButton.hidden = !busy;
    bar.hidden = !busy;
  }

  function clearOutputs() {
    for (const el of document.querySelectorAll(".lab-runner-output")) el.remove();
    for (const el of document.querySelectorAll(".lab-runner-replaced")) {
      el.classList.remove("lab-runner-replaced");
    }
  }

  function line(parent, tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    parent.appendChild(el);
    return el;
  }

  function showCell(k, out) {
    const cell = codeCells()[k];
    if (!cell) return;
    const built = cell.querySelector(".jp-Cell-outputWrapper");
    const alts = built ? [...built.querySelectorAll("img[alt]")].map((img) => img.alt) : [];
    if (built) built.classList.add("lab-runner-replaced"); // the build's output, set aside
    const box = line(cell, "div", "lab-runner-output");
    box.dataset.cell = String(k);
    line(box, "p", "lab-runner-output__label", "Output from your browser");
    if (out.stdout) line(box, "pre", "lab-runner-output__stdout", out.stdout);
    if (out.stderr) line(box, "pre", "lab-runner-output__stderr", out.stderr);
    if (out.result) line(box, "pre", "lab-runner-output__result", out.result);
    out.images.forEach((png, i) => {
      const img = line(box, "img", "lab-runner-output__figure");
      img.src = "data:image/png;base64," + png;
      img.alt = alts[i] || `Figure ${i + 1} drawn by this cell in your browser`;
    });
    if (out.error) {
      box.classList.add("lab-runner-output--error");
      line(box, "pre", "lab-runner-output__error", out.error);
    }
    if (!out.stdout && !out.stderr && !out.result && !out.images.length && !out.error) {
      box.classList.add("lab-runner-output--empty");
      line(box, "p", "lab-runner-output__none", "(ran, printed nothing)");
    }
  }

  function finish(state, text) {
    if (run) clearInterval(run.timer);
    const elapsed = run ? seconds() : "";
    run = null;
    setState(state);
    say(text.replace("{elapsed}", elapsed));
  }

  function newWorker() {
    const w = new Worker(base + "lab-worker.js");
    w.onmessage = (e) => receive(e.data);
    w.onerror = (e) => {
      e.preventDefault();
      if (run) receive({ type: "failed", id: run.id, message: e.message || "the worker failed" });
    };
    return w;
  }

  async function start() {
    if (run) return;
    const id = ++counter;
    run = { id, started: performance.now(), timer: null, cells: 0 };
    run.timer = setInterval(() => say(status.dataset.text || ""), 200);
    clearOutputs();
    setState("loading");
    say(worker ? "Starting" : "Fetching the lab's cells");
    let lab, files;
    try {
      [lab, files] = await Promise.all([
        json(`${base}cells/${panel.dataset.topic}.json`),
        json(`${base}runtime.json`),
      ]);
    } catch (error) {
      if (run && run.id === id) finish("failed", `Could not fetch the lab: ${error.message}`);
      return;
    }
    if (!run || run.id !== id) return; // stopped meanwhile
    const shown = codeCells().length;
    if (shown !== lab.cells.length) {
      finish("failed", `This page shows ${shown} code cells but the lab has ${lab.cells.length}: reload the page.`);
      return;
    }
    run.cells = lab.cells.length;
    bar.max = 1;
    bar.removeAttribute("value");
    if (!worker) worker = newWorker();
    worker.postMessage({ type: "run", id, checker, labs: base, files, cells: lab.cells });
  }

  function receive(msg) {
    if (!run || msg.id !== run.id) return;
    if (msg.type === "progress") {
      bar.max = msg.of;
      bar.value = msg.step;
      say(`${msg.text} (${msg.step} of ${msg.of})`);
    } else if (msg.type === "cell-start") {
      if (panel.dataset.state !== "running") setState("running");
      bar.max = run.cells;
      bar.value = msg.k;
      say(`Running cell ${msg.k + 1} of ${run.cells}`);
    } else if (msg.type === "cell") {
      showCell(msg.k, msg);
      if (msg.error) run.failedAt = msg.k;
    } else if (msg.type === "done") {
      const load = msg.loadMs ? `, loading Python ${(msg.loadMs / 1000).toFixed(1)} s` : "";
      if (msg.ok) finish("done", `Finished: ${run.cells} cells ran in your browser in {elapsed}${load}.`);
      else {
        const k = run.failedAt;
        finish(
          "error",
          `Stopped at cell ${k + 1} of ${run.cells}: it raised an error (its traceback is under the cell).`,
        );
        const box = document.querySelector(`.lab-runner-output[data-cell="${k}"]`);
        if (box) box.scrollIntoView({ block: "nearest" });
      }
    } else if (msg.type === "failed") {
      if (worker) worker.terminate(); // a worker that failed to load is not reused
      worker = null;
      finish("failed", `Python failed in this page: ${msg.message}. The next run starts a fresh Python.`);
    }
  }

  function stop() {
    if (!run) return;
    if (worker) worker.terminate(); // the only way to interrupt Python in a worker
    worker = null;
    finish("stopped", "Stopped after {elapsed}. The next run starts a fresh Python.");
  }

  function init() {
    panel = document.querySelector(".lab-runner[data-topic]");
    if (!panel) return;
    runButton = panel.querySelector(".lab-runner__run");
    stopButton = panel.querySelector(".lab-runner__stop");
    bar = panel.querySelector(".lab-runner__progress");
    status = panel.querySelector(".lab-runner__status");
    if (typeof Worker === "undefined" || location.protocol === "file:") {
      status.textContent = "This browser cannot run the lab here (it needs Web Workers over http).";
      return;
    }
    runButton.addEventListener("click", start);
    stopButton.addEventListener("click", stop);
    runButton.disabled = false;
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
