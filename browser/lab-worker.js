// The lab runner's Web Worker (hooks/lab_runner.py): loads Pyodide and the checker's wheels
// from assets/checker/, matplotlib and its Pyodide dependencies beside them, and the whole
// derivations package, then runs a lab's code cells in order in one namespace, as Jupyter
// would, and sends each cell's printed text, figures (PNG, Agg backend) and traceback.
// The page terminates the worker to stop a run.
//
// Messages in:  {type: "run", id, checker, labs, files: {runtime, packages, sources}, cells}
//   checker, labs: the addresses of assets/checker/ and assets/labs/
// Messages out: {type: "progress", id, step, of, text}
//               {type: "cell-start", id, k}       (k counts from 0)
//               {type: "cell", id, k, stdout, stderr, result, images, error}
//               {type: "done", id, ok, loadMs}     (ok false: a cell raised; the run stopped)
//               {type: "failed", id, message}      (Python could not be loaded)
"use strict";

const PYTHON = `
import ast, base64, builtins, contextlib, io, json, linecache, os, sys, traceback, types, warnings

os.environ["MPLBACKEND"] = "Agg"
sys.path.insert(0, "/lab")
warnings.filterwarnings("ignore", message=".*non-interactive.*")  # plt.show() under Agg
# "Matplotlib is building the font cache": every first run in a browser, not the lab's output
__import__("logging").getLogger("matplotlib.font_manager").setLevel("ERROR")


def _ipython_shim():
    """IPython is not loaded in the browser: get_ipython() is None, as in a plain Python
    (derivations.figures.show then draws with matplotlib), and display() prints."""
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: None
    shown = types.ModuleType("IPython.display")

    def display(*objs, **kwargs):
        for obj in objs:
            print(getattr(obj, "data", None) or repr(obj))

    class _Text:
        def __init__(self, data=None, **kwargs):
            self.data = data

    shown.display = display
    shown.Markdown = shown.HTML = shown.Math = shown.Latex = _Text
    ipython.display = shown
    ipython.version_info = (0, 0, 0)
    sys.modules.setdefault("IPython", ipython)
    sys.modules.setdefault("IPython.display", shown)


_ipython_shim()
_namespace = {}


def lab_reset():
    """A fresh namespace, and the lab modules and claims of an earlier run forgotten."""
    global _namespace
    try:
        from derivations.catalogue import TOPICS
        from derivations.engine import REGISTRY
        from derivations.figures import FIGURES

        REGISTRY._claims.clear()
        FIGURES.clear()
        for name in TOPICS:
            sys.modules.pop(name, None)
    except ImportError:
        pass
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")
    _namespace = {"__name__": "__main__", "__builtins__": builtins}


def _figures():
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is None:
        return []
    images = []
    for number in plt.get_fignums():
        buffer = io.BytesIO()
        plt.figure(number).savefig(buffer, format="png", dpi=96, bbox_inches="tight")
        images.append(base64.b64encode(buffer.getvalue()).decode())
    plt.close("all")
    return images


def lab_cell(k, code):
    name = f"<cell {k + 1}>"
    linecache.cache[name] = (len(code), None, code.splitlines(True), name)  # traceback lines
    out, err = io.StringIO(), io.StringIO()
    result, error = None, None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            tree = ast.parse(code, name)
            last = None
            if tree.body and isinstance(tree.body[-1], ast.Expr):  # shown, as Jupyter does
                last = ast.Expression(tree.body.pop().value)
            exec(compile(tree, name, "exec"), _namespace)
            if last is not None:
                value = eval(compile(last, name, "eval"), _namespace)
                if value is not None:
                    result = repr(value)
    except BaseException as exc:  # the reader's code raised: its traceback, without this frame
        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != name:
            tb = tb.tb_next
        error = "".join(traceback.format_exception(type(exc), exc, tb))
    try:
        images = _figures()
    except Exception as exc:
        images, error = [], error or "".join(traceback.format_exception(exc))
    return json.dumps({"stdout": out.getvalue(), "stderr": err.getvalue(), "result": result,
                       "images": images, "error": error})
`;

const SITE = "/lib/python3.12/site-packages"; // where wheels go: .pyc.zip files too
let ready = null; // a promise of {pyodide, loadMs}, once loaded

function label(name) {
  return name.replace(/\.pyc\.zip$|\.whl$|\.zip$/, "").split("-")[0];
}

async function load(msg, progress) {
  const started = performance.now();
  const packages = msg.files.packages;
  const of = packages.length + 3;
  progress(1, of, "Starting Python (Pyodide)");
  importScripts(msg.checker + "pyodide.js");
  const pyodide = await loadPyodide({ indexURL: msg.checker, fullStdLib: false });
  const get = async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url.split("/").pop()}: HTTP ${response.status}`);
    return response.arrayBuffer();
  };
  let step = 2;
  // fetched in parallel, unpacked in order
  const downloads = packages.map((name) => get(msg.checker + name));
  const sources = get(msg.labs + msg.files.sources);
  downloads.forEach((d) => d.catch(() => {})); // reported when awaited below
  sources.catch(() => {});
  for (let k = 0; k < packages.length; k++) {
    const name = packages[k];
    progress(step++, of, `Loading ${label(name)}`);
    const bytes = await downloads[k];
    if (name.endsWith(".whl")) await pyodide.unpackArchive(bytes, "wheel");
    else await pyodide.unpackArchive(bytes, "zip", { extractDir: SITE });
  }
  progress(step++, of, "Loading the lab's sources");
  await pyodide.unpackArchive(await sources, "zip", { extractDir: "/lab" });
  progress(step, of, "Starting the lab");
  pyodide.runPython(PYTHON);
  return { pyodide, loadMs: performance.now() - started };
}

self.onmessage = async (event) => {
  const msg = event.data;
  const post = (data) => self.postMessage({ id: msg.id, ...data });
  const progress = (step, of, text) => post({ type: "progress", step, of, text });
  let pyodide, loadMs;
  try {
    const first = !ready;
    if (first) ready = load(msg, progress);
    ({ pyodide, loadMs } = await ready);
    if (!first) loadMs = 0;
  } catch (error) {
    ready = null;
    post({ type: "failed", message: String((error && error.message) || error) });
    return;
  }
  try {
    const cell = pyodide.globals.get("lab_cell");
    pyodide.globals.get("lab_reset")();
    for (let k = 0; k < msg.cells.length; k++) {
      post({ type: "cell-start", k });
      const out = JSON.parse(cell(k, msg.cells[k]));
      post({ type: "cell", k, ...out });
      if (out.error) {
        post({ type: "done", ok: false, loadMs });
        return;
      }
    }
    post({ type: "done", ok: true, loadMs });
  } catch (error) {
    // Python itself failed (out of memory, a fatal error): this worker is not reused
    ready = null;
    post({ type: "failed", message: String((error && error.message) || error) });
  }
};
