"""The checker in the page: ``python -m derivations check`` run by the reader's browser.

The "Check your own derivative" page (``check.md``) gets one small script, ``checker.js``; when
the reader asks for a check it starts a Web Worker (``worker.js``) that loads Pyodide and the
wheels below and runs the unchanged ``derivations.cli.main(["check", ...])``. Every file is
served from the site itself under ``assets/checker/``, and only that page refers to them:

- the Pyodide runtime, from npm (``node_modules/pyodide``, pinned in package-lock.json);
- numpy (wasm), sympy and mpmath wheels, fetched by ``make install`` with pip's
  ``--require-hashes`` into ``.browser-wheels/`` (``browser/fetch_wheels.py``);
- ``derivations.zip``: the part of this repository that ``check`` imports, zipped at build time.

The offline build (``mkdocs-offline.yml``, opened from ``file://``) cannot fetch files nor start
a worker from a file, so there each file is served instead as a script that sets a base64 string
(``assets/checker/offline/<name>.js``), which the page loads with script tags and hands to a
worker made from a Blob.
"""

from __future__ import annotations

import base64
import json
import re
import sys
import tempfile
import zipfile
from html import escape
from pathlib import Path
from urllib.parse import quote, urlencode

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from derivations import catalogue  # noqa: E402
from derivations.checker import instances  # noqa: E402
from derivations.checker.as_command import fields, instance_text  # noqa: E402

PAGE = "check.md"
URI = "assets/checker"
PYODIDE = ROOT / "node_modules" / "pyodide"
RUNTIME = (
    "pyodide.js",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
WHEELS = ROOT / ".browser-wheels"
PACKAGES = ("numpy", "mpmath", "sympy")  # loaded in this order
SCRIPTS = ROOT / "browser"
# what `derivations.cli.main(["check", ...])` imports (tests/test_browser_checker.py checks it)
CHECKER_SOURCES = (
    "__init__.py",
    "__main__.py",
    "catalogue.py",
    "cli.py",
    "checker/*.py",
    "engine/*.py",
)

_state: dict = {}


def wheel_files() -> list[Path]:
    found = []
    for name in PACKAGES:
        wheels = sorted(WHEELS.glob(f"{name}-*.whl"))
        if len(wheels) != 1:
            raise PluginError(f"{len(wheels)} {name} wheels in {WHEELS}: run `make install`")
        compiled = wheels[0].with_name(wheels[0].name + ".pyc.zip")  # browser/precompile.mjs
        found.append(compiled if compiled.exists() else wheels[0])
    return found


def checker_zip(target: Path) -> Path:
    """The checker's sources as a zip with fixed dates (same sources, same bytes)."""
    package = ROOT / "derivations"
    return write_zip(
        target, sorted({p for pattern in CHECKER_SOURCES for p in package.glob(pattern)})
    )


def write_zip(target: Path, paths: list[Path]) -> Path:
    """``paths`` (under the repository) zipped with fixed dates: same files, same bytes."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for path in paths:
            info = zipfile.ZipInfo(path.relative_to(ROOT).as_posix(), (2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, path.read_bytes())
    return target


def offline(config) -> bool:
    plugin = config["plugins"].get("material/offline") or config["plugins"].get("offline")
    return bool(plugin and plugin.config.enabled)


def on_config(config):
    _state["tmp"] = tempfile.TemporaryDirectory(prefix="checker-")
    _state["offline"] = offline(config)
    return config


def on_files(files, config):
    missing = [n for n in RUNTIME if not (PYODIDE / n).exists()]
    if missing:
        raise PluginError(f"Pyodide is missing {missing} at {PYODIDE}: run `make install`")
    tmp = Path(_state["tmp"].name)
    payload = [PYODIDE / n for n in RUNTIME] + wheel_files()
    payload.append(checker_zip(tmp / "derivations.zip"))
    _state["packages"] = [p.name for p in payload[len(RUNTIME) :]]
    served = [SCRIPTS / "checker.js", SCRIPTS / "checker.css"]
    if _state["offline"]:
        # file://: every file as a script that sets a string, the worker's source included
        for path in [*payload, SCRIPTS / "worker.js"]:
            target = tmp / "offline" / f"{path.name}.js"
            target.parent.mkdir(exist_ok=True)
            data = base64.b64encode(path.read_bytes()).decode()
            target.write_text(
                f"(self.CHECKER_FILES = self.CHECKER_FILES || {{}})"
                f"[{json.dumps(path.name)}] = {json.dumps(data)};\n"
            )
            served.append(target)
    else:
        served += [SCRIPTS / "worker.js", *payload]
    for path in served:
        sub = "offline/" if path.parent.name == "offline" else ""
        files.append(
            File(
                path.name,
                src_dir=str(path.parent),
                dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"],
                dest_uri=f"{URI}/{sub}{path.name}",
            )
        )
    return files


PITFALL_BOX = re.compile(r'<div class="claim claim--pitfall" id="([^"]+)">')
EVIDENCE = '<details class="claim__evidence">'


def check_query(claim, instance=None) -> str | None:
    """``f=...&wrt=...&run=1`` for the checker page, when the checker can state the claim
    (a claim about abstract functions: with the stand-ins of ``instance`` or its own)."""
    options = fields(claim, instance)
    if options is None:
        return None
    pairs = [(k, v) for k, vs in options.items() for v in (vs if isinstance(vs, list) else [vs])]
    return urlencode([*pairs, ("run", "1")], quote_via=quote, safe="=,")


def check_link(claim, href: str) -> str:
    """The link under a pitfall; for a pitfall about abstract functions it names the concrete
    functions standing in for them (``instances.py``)."""
    instance = instances.of(claim)
    if instance is None:
        return (
            f'<p class="claim__check"><a href="{href}">Run this check in your browser</a> '
            "(the checker on this site, with the mistake as your answer)</p>"
        )
    shown = ", ".join(f"<code>{escape(part)}</code>" for part in instance_text(claim, instance))
    return (
        f'<p class="claim__check"><a href="{href}">Run an instance of this check in your '
        f"browser</a> ({shown}; the mistake as your answer)</p>"
    )


def on_page_content(html, page, config, files):
    """Each pitfall the checker can state links to a prefilled check of itself."""
    boxes = list(PITFALL_BOX.finditer(html))
    if not boxes:
        return html
    claims = catalogue.load_claims()
    target = files.get_file_from_path(PAGE).url_relative_to(page.file)
    for box in reversed(boxes):
        query = check_query(claims[box.group(1)]) if box.group(1) in claims else None
        at = html.find(EVIDENCE, box.end())
        if query is None or at < 0:
            continue
        link = check_link(claims[box.group(1)], f"{target}?{query}")
        html = html[:at] + link + html[at:]
    return html


def on_post_page(output, page, config):
    """The checker's script on its page only, with the names of the files it may load."""
    if page.file.src_uri != PAGE:
        return output
    files = {"runtime": list(RUNTIME), "packages": _state["packages"], "offline": _state["offline"]}
    up = "../" * page.url.count("/")
    css = f'<link rel="stylesheet" href="{up}{URI}/checker.css">'
    js = f"<script src=\"{up}{URI}/checker.js\" data-files='{json.dumps(files)}'></script>"
    # first in <head>: the offline build's iframe-worker polyfill replaces window.Worker with
    # one that runs on the page's own thread (no Stop); checker.js keeps the real one first
    return output.replace("<head>", "<head>" + js, 1).replace("</head>", css + "</head>", 1)


def on_post_build(config):
    _state.pop("tmp").cleanup()
