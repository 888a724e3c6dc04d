// The checker's Web Worker: loads Pyodide, numpy, sympy, mpmath and the project's checker
// (all from this site), then runs the unchanged `derivations.cli.main(["check", ...])` for
// each message. The page terminates the worker to stop a check (Stop, time limit).
//
// Messages in:  {type: "check", id, argv, base, files: {runtime, packages}, blobs?}
//   blobs (offline copy only): {name: ArrayBuffer} for every file, since file:// allows no fetch
// Messages out: {type: "progress", id, step, of, text}, {type: "result", id, result, loadMs}
//               {type: "failed", id, message}
"use strict";

const PYTHON = `
import contextlib, io, json, sys
sys.path.insert(0, "/checker")
from derivations import cli
from derivations.checker.command import format_text

def run_check(argv_json):
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["check", *json.loads(argv_json), "--json"])
    except SystemExit as exc:  # argparse on a malformed option
        code = exc.code if isinstance(exc.code, int) else 2
    try:
        result = json.loads(out.getvalue())
    except ValueError:
        lines = (err.getvalue() or out.getvalue()).strip().splitlines()
        result = {"verdict": "bad-input", "error": lines[-1] if lines else "cannot read this input"}
    if result.get("verdict") == "bad-input":
        result["error"] = result.get("error", "").removeprefix("error: ")
    else:
        result["text"] = format_text(result)
    result["exit_status"] = code
    return json.dumps(result, default=str)
`;

const SITE = "/lib/python3.12/site-packages"; // where wheels go: .pyc.zip files too
let ready = null; // a promise of the Python function run_check, once loaded

function offlineFetch(blobs) {
  // file://: every URL is answered from the bytes the page handed over, by file name
  return async (url) => {
    const name = String(url).split("/").pop().split("?")[0];
    if (!(name in blobs)) throw new Error(`not shipped with the page: ${name}`);
    const type = name.endsWith(".wasm") ? "application/wasm" : "application/octet-stream";
    return new Response(blobs[name], { headers: { "Content-Type": type } });
  };
}

async function load(msg, progress) {
  const started = performance.now();
  const of = 3 + msg.files.packages.length;
  let get = (name) => fetch(msg.base + name);
  let indexURL = msg.base;
  progress(1, of, "Starting Python (Pyodide)");
  if (msg.blobs) {
    self.fetch = offlineFetch(msg.blobs);
    get = (name) => self.fetch(name);
    indexURL = "https://offline.invalid/"; // never requested: fetch is answered locally
    const text = (name) => new TextDecoder().decode(msg.blobs[name]);
    (0, eval)(text("pyodide.asm.js")); // defines _createPyodideModule, so it is not loaded
    (0, eval)(text("pyodide.js"));
  } else {
    importScripts(msg.base + "pyodide.js");
  }
  const pyodide = await loadPyodide({ indexURL, fullStdLib: false });
  let step = 2;
  for (const name of msg.files.packages) {
    progress(step++, of, `Loading ${name.split("-")[0].replace(".zip", "")}`);
    const response = await get(name);
    if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
    const bytes = await response.arrayBuffer();
    if (name.endsWith(".whl")) pyodide.unpackArchive(bytes, "wheel");
    else if (name.endsWith(".pyc.zip")) pyodide.unpackArchive(bytes, "zip", { extractDir: SITE });
    else pyodide.unpackArchive(bytes, "zip", { extractDir: "/checker" });
  }
  progress(step, of, "Importing numpy, sympy and the checker");
  pyodide.runPython(PYTHON);
  return { run: pyodide.globals.get("run_check"), loadMs: performance.now() - started };
}

self.onmessage = async (event) => {
  const msg = event.data;
  const progress = (step, of, text) =>
    self.postMessage({ type: "progress", id: msg.id, step, of, text });
  try {
    const first = !ready;
    if (first) ready = load(msg, progress);
    const { run, loadMs } = await ready;
    progress(1, 1, "Checking");
    const started = performance.now();
    const result = JSON.parse(run(JSON.stringify(msg.argv)));
    result.browser_seconds = (performance.now() - started) / 1000;
    self.postMessage({ type: "result", id: msg.id, result, loadMs: first ? loadMs : 0 });
  } catch (error) {
    ready = null;
    self.postMessage({ type: "failed", id: msg.id, message: String(error && error.message || error) });
  }
};
