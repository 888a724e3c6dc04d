// Byte-compile the pure-Python wheels for the browser's Python, once, at install time.
//
//     node browser/precompile.mjs      (make install, after browser/fetch_wheels.py)
//
// Importing sympy from source takes seconds in the browser, most of it compiling. This runs
// the very Pyodide the site serves (node_modules/pyodide) in Node, unpacks the hash-checked
// sympy and mpmath wheels from .browser-wheels/, compiles every module (.pyc beside where the
// .py was, checked by no timestamp) and writes .browser-wheels/<wheel name>.pyc.zip: the same
// files with .pyc for .py, test directories left out. hooks/browser_checker.py serves these.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "../node_modules/pyodide/pyodide.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dir = path.join(root, ".browser-wheels");
const wheels = fs.readdirSync(dir).filter((n) => /^(sympy|mpmath)-.*\.whl$/.test(n));
const py = await loadPyodide({ stdout: () => {}, stderr: (s) => console.error(s) });
for (const name of wheels) {
  py.FS.writeFile(`/tmp/${name}`, new Uint8Array(fs.readFileSync(path.join(dir, name))));
  const out = `/tmp/${name}.pyc.zip`;
  py.runPython(`
import compileall, py_compile, zipfile, pathlib, shutil
wheel, out, tree = "/tmp/${name}", "${out}", pathlib.Path("/tmp/tree")
shutil.rmtree(tree, ignore_errors=True)
zipfile.ZipFile(wheel).extractall(tree)
assert compileall.compile_dir(str(tree), quiet=2, legacy=True, workers=1,
    invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for p in sorted(tree.rglob("*")):
        rel = p.relative_to(tree).as_posix()
        if p.is_dir() or p.suffix == ".py" or "/tests/" in f"/{rel}":
            continue
        z.writestr(zipfile.ZipInfo(rel, (2020, 1, 1, 0, 0, 0)), p.read_bytes(),
                   compress_type=zipfile.ZIP_DEFLATED)
`);
  fs.writeFileSync(path.join(dir, `${name}.pyc.zip`), py.FS.readFile(out));
  console.log(`precompiled ${name}.pyc.zip`);
}
