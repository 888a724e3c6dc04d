"""Run this lab in your browser: the lab pages' code cells, run by the reader's own browser.

Each lab page (``derivations/<topic>.py``, made by hooks/labs.py) gets, at its top, a button and
one small script and stylesheet (``assets/labs/lab-runner.{js,css}``); nothing else loads before
the reader clicks. On a click the script fetches

- ``assets/labs/cells/<topic>.json``: the page's code cells, read from the jupytext file;
- ``assets/labs/runtime.json``: the names of the files below;

and starts a Web Worker (``assets/labs/lab-worker.js``) that loads the in-browser checker's own
files (Pyodide, numpy, sympy, mpmath: ``assets/checker/``, served by hooks/browser_checker.py,
not copied), matplotlib with the packages Pyodide's lock file says it depends on (fetched and
hash-checked by browser/fetch_wheels.py, served beside them), and ``derivations-labs.zip``, the
whole ``derivations`` package zipped here with fixed dates. It runs the cells in order in one
namespace and the page shows each cell's output and figures under that cell.

The offline build (``mkdocs-offline.yml``, opened from ``file://``) cannot fetch files nor start
a worker from a file: there the button is one sentence saying where the lab runs instead.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import tempfile
from html import escape
from pathlib import Path

import jupytext
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from derivations.catalogue import TOPICS  # noqa: E402


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# the checker's files and helpers, used as they are (its module state is its own)
checker = _load("browser_checker_for_lab_runner", ROOT / "hooks" / "browser_checker.py")
fetch_wheels = _load("fetch_wheels_for_lab_runner", ROOT / "browser" / "fetch_wheels.py")

URI = "assets/labs"
SCRIPTS = ROOT / "browser"
SOURCES_ZIP = "derivations-labs.zip"
OFFLINE_NOTE = (
    '<p class="lab-runner lab-runner--offline" data-search-exclude>This lab can also run in '
    "your browser: open it on the online site, or from <code>make serve</code> (this offline copy "
    "cannot start Python in the page).</p>"
)

_state: dict = {}


def lab_topics() -> dict[str, str]:
    """Lab page source path (``derivations/hessians.py``) → topic (``hessians``)."""
    return {name.replace(".", "/") + ".py": name.rsplit(".", 1)[-1] for name in TOPICS}


def lab_wheels() -> list[Path]:
    """matplotlib and what it depends on in Pyodide's lock file, dependencies first; numpy is
    left out (the checker's files have it)."""
    names = [name for pkg, (name, _) in fetch_wheels.official(("matplotlib",)).items()]
    numpy, _ = fetch_wheels.official_numpy()
    paths = [checker.WHEELS / name for name in names if name != numpy]
    missing = [p.name for p in paths if not p.exists()]
    if missing:
        raise PluginError(f"{missing} missing from {checker.WHEELS}: run `make install`")
    return paths


def sources_zip(target: Path) -> Path:
    """The whole ``derivations`` package's Python sources, with fixed dates (same sources, same
    bytes), in the manner of the checker's ``checker_zip``."""
    package = ROOT / "derivations"
    paths = sorted(p for p in package.rglob("*.py") if "__pycache__" not in p.parts)
    return checker.write_zip(target, paths)


_MAGIC = re.compile(r"^(\s*)([%!])", re.MULTILINE)


def code_cells(path: Path) -> list[str]:
    """The code cells of a jupytext file, in order, as Python (an IPython magic such as
    ``%matplotlib inline`` becomes a comment: the page draws figures itself)."""
    notebook = jupytext.read(path)
    return [_MAGIC.sub(r"\1# \2", c.source) for c in notebook.cells if c.cell_type == "code"]


def on_config(config):
    _state["megabytes"] = None
    _state["tmp"] = tempfile.TemporaryDirectory(prefix="lab-runner-")
    _state["offline"] = checker.offline(config)
    _state["enabled"] = bool(config["extra"].get("lab_pages"))
    _state["cells"] = {}
    return config


def _add(files, config, path: Path, dest_uri: str) -> None:
    files.append(
        File(
            path.name,
            src_dir=str(path.parent),
            dest_dir=config["site_dir"],
            use_directory_urls=config["use_directory_urls"],
            dest_uri=dest_uri,
        )
    )


def on_files(files, config):
    if not _state["enabled"] or _state["offline"]:
        return files
    tmp = Path(_state["tmp"].name)
    wheels = lab_wheels()
    for wheel in wheels:  # beside the checker's files: one base address for the runtime
        _add(files, config, wheel, f"{checker.URI}/{wheel.name}")
    checker_packages = [p.name for p in checker.wheel_files()]
    runtime = {
        "runtime": list(checker.RUNTIME),
        "packages": checker_packages + [w.name for w in wheels],
        "sources": SOURCES_ZIP,
    }
    (tmp / "runtime.json").write_text(json.dumps(runtime, indent=1), encoding="utf-8")
    first_run = [checker.PYODIDE / n for n in checker.RUNTIME] + checker.wheel_files() + wheels
    _add(files, config, tmp / "runtime.json", f"{URI}/runtime.json")
    _add(files, config, sources_zip(tmp / SOURCES_ZIP), f"{URI}/{SOURCES_ZIP}")
    first_run.append(tmp / SOURCES_ZIP)
    _state["megabytes"] = round(sum(p.stat().st_size for p in first_run) / 1e6)
    (tmp / "cells").mkdir()
    for rel, topic in lab_topics().items():
        cells = code_cells(ROOT / rel)
        _state["cells"][rel] = len(cells)
        target = tmp / "cells" / f"{topic}.json"
        target.write_text(json.dumps({"topic": topic, "cells": cells}), encoding="utf-8")
        _add(files, config, target, f"{URI}/cells/{topic}.json")
    for name in ("lab-runner.js", "lab-runner.css", "lab-worker.js"):
        _add(files, config, SCRIPTS / name, f"{URI}/{name}")
    return files


def panel(topic: str) -> str:
    return (
        f'<div class="lab-runner" data-topic="{escape(topic)}" data-state="idle" '
        "data-search-exclude>\n"
        '<p class="lab-runner__buttons">'
        '<button type="button" class="md-button md-button--primary lab-runner__run" disabled>'
        "Run this lab in your browser</button> "
        '<button type="button" class="md-button lab-runner__stop" hidden>Stop</button> '
        '<progress class="lab-runner__progress" hidden></progress> '
        '<span class="lab-runner__status" role="status" aria-live="polite"></span></p>\n'
        '<p class="lab-runner__note">Python runs on your computer, inside this page (Pyodide, '
        "served by this site); the code is not sent anywhere. The first run downloads about "
        f"{_state['megabytes']} MB (later runs reuse it), and only when you click.</p>\n"
        "</div>\n"
    )


_AFTER_TITLE = re.compile(r"</h1>")


def on_page_content(html, page, config, files):
    rel = page.file.src_uri
    topics = lab_topics()
    if not _state["enabled"] or rel not in topics:
        return html
    box = OFFLINE_NOTE if _state["offline"] else panel(topics[rel])
    match = _AFTER_TITLE.search(html)
    at = match.end() if match else 0
    if not _state["offline"]:
        # the page's k-th code cell is the JSON's k-th cell (mkdocs-jupyter nests each cell
        # in a second div of the same classes: the inner one has the id)
        shown = len(re.findall(r'<div class="jp-Cell jp-CodeCell[^"]*" id="', html))
        if shown != _state["cells"].get(rel):
            raise PluginError(
                f"{rel}: {shown} code cells on the page, {_state['cells'][rel]} in the file"
            )
    return html[:at] + "\n" + box + html[at:]


def on_post_page(output, page, config):
    """The runner's script and stylesheet on the lab pages only (not in the offline copy)."""
    if not _state["enabled"] or _state["offline"] or page.file.src_uri not in lab_topics():
        return output
    up = "../" * page.url.count("/")
    css = f'<link rel="stylesheet" href="{up}{URI}/lab-runner.css">'
    js = f'<script src="{up}{URI}/lab-runner.js" defer></script>'
    return output.replace("</head>", css + js + "</head>", 1)


def on_post_build(config):
    _state.pop("tmp").cleanup()
