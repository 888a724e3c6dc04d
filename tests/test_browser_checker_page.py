"""The checker in the page, in headless Chromium: the form, shared links, Stop and the time
limit, the same verdicts as the command line on a corpus, the offline copy from file://, and
no request to any other host (every one is blocked and counted).

One page runs most checks (Python loads once, as for a reader); Stop and the time limit
discard it, so they come last.
"""

from __future__ import annotations

import contextlib
import io
import json
from urllib.parse import quote, urlparse

import pytest

from derivations import cli

from .checker_corpus import KINDS_TRUE, KINDS_WRONG, TRUE, WRONG, Case

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIELDS = (
    "f",
    "wrt",
    "claimed",
    "var",
    "kind",
    "direction",
    "assume",
    "at",
    "side",
    "seed",
    "time-limit",
)
COLD = 180_000  # ms: starting Python on a busy 2-core machine
RUNAWAY = dict(
    f="np.sum(np.exp(np.sin(np.linalg.matrix_power(np.tanh(A), 16))))",
    wrt="A",
    claimed="A",
    var="A=8,8",
)  # minutes in the symbolic layer
CORPUS = TRUE[::6] + WRONG[::5] + KINDS_TRUE[::3] + KINDS_WRONG[::3]
RUNTIME = ("pyodide", ".whl", "derivations.zip", "worker.js", "python_stdlib")


def block_outside(context) -> list[str]:
    """Abort every request to another host; return the list they are recorded in."""
    outside: list[str] = []

    def route(r):
        url = r.request.url
        if urlparse(url).hostname in ("127.0.0.1", None) or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            outside.append(url)
            r.abort()

    context.route("**/*", route)
    return outside


def link(base: str, run: bool = True, **fields) -> str:
    query = "&".join(
        f"{k}={quote(v, safe='=,')}"
        for k, vs in fields.items()
        for v in (vs if isinstance(vs, list | tuple) else [vs])
    )
    return f"{base}check/?{query}" + ("&run=1" if run else "")


def fill(page, **fields) -> None:
    defaults = {
        "var": "",
        "direction": "",
        "assume": "",
        "at": "",
        "side": "",
        "seed": "0",
        "time-limit": "30",
        "kind": "gradient",
    }
    for name in FIELDS:
        value = fields.get(name.replace("-", "_"), defaults.get(name, ""))
        if name in ("kind", "side"):
            page.select_option(f"#checker-{name}", value)
        else:
            page.fill(f"#checker-{name}", value)


def run(page, timeout=COLD) -> dict:
    page.click("#checker-run")
    page.wait_for_function(
        "['done', 'stopped'].includes(document.getElementById('checker-result').dataset.state)",
        timeout=timeout,
    )
    result = page.locator("#checker-result")
    return {"verdict": result.get_attribute("data-verdict"), "text": result.inner_text()}


def native(case: Case) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        cli.main([*case.argv(), "--json"])
    return json.loads(out.getvalue())["verdict"]


@pytest.fixture(scope="module")
def session(chromium, served_site):
    base, _ = served_site
    context = chromium.new_context()
    outside = block_outside(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    yield {"base": base, "page": page, "outside": outside, "errors": errors, "requests": requests}
    context.close()


def test_outside_requests_are_blocked_and_counted(chromium, served_site):
    """The guard itself: a request to another host is refused and recorded."""
    context = chromium.new_context()
    outside = block_outside(context)
    page = context.new_page()
    page.goto(served_site[0] + "check/")
    failed = page.evaluate("fetch('https://example.org/x').then(() => false, () => true)")
    context.close()
    assert failed and outside == ["https://example.org/x"]


def test_a_pitfalls_link_runs_at_once_and_nothing_loads_before_the_click(session):
    page, requests = session["page"], session["requests"]
    page.goto(
        link(
            session["base"],
            run=False,
            f="x @ A @ x",
            wrt="x",
            claimed="2 * A @ x",
            var=["x=n", "A=n,n"],
            assume="A=symmetric",
        ),
        wait_until="networkidle",
    )
    assert page.input_value("#checker-var") == "x=n A=n,n"
    assert page.input_value("#checker-assume") == "A=symmetric"
    page.wait_for_timeout(500)
    assert not [u for u in requests if any(r in u for r in RUNTIME)]
    assert page.get_attribute("#checker-result", "data-verdict") is None

    # a pitfall's own link, as its box on the chapter page gives it
    page.goto(session["base"] + "chapters/identities/")
    page.locator("#identities\\.pitfall_quadratic_form_2ax .claim__check a").click()
    page.wait_for_selector("#checker-result[data-verdict]", timeout=COLD)
    assert page.get_attribute("#checker-result", "data-verdict") == "refuted"
    assert page.input_value("#checker-claimed") == "2 * A @ x"
    loaded = [u.rsplit("/", 1)[-1] for u in requests if any(r in u for r in RUNTIME)]
    assert "pyodide.asm.wasm" in loaded and "derivations.zip" in loaded  # the click loads them
    assert "loading Python" in page.inner_text("#checker-result")
    share = page.get_attribute("#checker-share", "href")
    assert "var=A%3Dn%2Cn" in share and share.endswith("&run=1")


def test_an_instance_link_checks_its_stand_ins_in_the_browser(session):
    """A pitfall about abstract maps q, h links to its instance q(x) = Ax, h(z) = Bz."""
    page = session["page"]
    page.goto(session["base"] + "chapters/chain-rule/")
    box = page.locator("#chain_rule\\.pitfall_jacobian_product_reversed .claim__check")
    assert "Run an instance of this check" in box.inner_text()
    box.locator("a").click()
    page.wait_for_selector("#checker-result[data-verdict]", timeout=COLD)
    assert page.get_attribute("#checker-result", "data-verdict") == "refuted"
    assert page.input_value("#checker-claimed") == "A @ B"
    assert page.input_value("#checker-var") == "x=n A=n,n B=n,n"


def test_right_and_wrong_answers_through_the_form(session):
    page = session["page"]
    fill(page, f="x @ A @ x", wrt="x", claimed="(A + A.T) @ x", var="x=n A=n,n")
    right = run(page)
    assert right["verdict"] == "verified", right["text"]
    assert "loading Python" not in right["text"]  # the second check reuses the runtime
    assert "identity" in right["text"] and "numeric" in right["text"]

    fill(page, f="x @ A @ x", wrt="x", claimed="2 * A @ x", var="x=n A=n,n")
    wrong = run(page)
    assert wrong["verdict"] == "refuted", wrong["text"]
    assert "Counterexample" in wrong["text"]
    typeset = page.locator(".checker-counterexample .katex")
    assert typeset.count() >= 3  # the point and the two values, typeset by the site's KaTeX
    assert page.locator(".checker-counterexample .katex-error").count() == 0


def test_a_point_and_a_side_round_trip_through_the_address(session):
    """--at values with spaces inside brackets, --side and a partial's --wrt x,y: the link
    fills the form, the check runs with the CLI's flags, and the shared link gives them back."""
    page = session["page"]
    at = ["x=1", "y=[1, 2]"]
    page.goto(
        link(
            session["base"],
            f="np.maximum(x, y @ y - 4)",
            wrt="x",
            claimed="1",
            var=["x=scalar", "y=2"],
            kind="partial",
            at=at,
            side="+",
        )
    )
    page.wait_for_selector("#checker-result[data-verdict]", timeout=COLD)
    result = page.get_attribute("#checker-result", "data-verdict")
    assert result == "verified", page.inner_text("#checker-result")
    assert page.input_value("#checker-at") == "x=1 y=[1, 2]"
    assert page.input_value("#checker-side") == "+"
    share = page.get_attribute("#checker-share", "href")
    assert "at=x%3D1&at=y%3D%5B1%2C+2%5D" in share and "side=%2B" in share
    page.goto(share.replace("&run=1", ""))
    assert page.input_value("#checker-at") == "x=1 y=[1, 2]"
    fill(page, f="np.abs(x)", wrt="x", claimed="1", var="x=scalar", kind="derivative", at="x=0")
    both = run(page)
    assert both["verdict"] == "refuted", both["text"]  # no two-sided derivative at the kink


def test_hostile_input_is_bad_input_with_a_clear_message(session):
    page = session["page"]
    fill(page, f="__import__('os').system('ls')", wrt="x", claimed="x", var="x=n")
    hostile = run(page)
    assert hostile["verdict"] == "bad-input"
    assert "bad input:" in hostile["text"] and "__import__" in hostile["text"]
    assert "Traceback" not in hostile["text"]
    fill(page, f="<img src=x onerror=document.title='owned'>", wrt="x", claimed="x", var="x=n")
    markup = run(page)
    assert markup["verdict"] == "bad-input" and "--f at column 1" in markup["text"]
    assert page.locator("#checker-result img").count() == 0 and page.title() != "owned"
    fill(page, f="x @ A", wrt="x", claimed="A", var="x=n A=m,n")
    shapes = run(page)
    assert shapes["verdict"] == "bad-input" and "shape" in shapes["text"].lower()


def test_same_verdicts_as_the_command_line_on_a_corpus(session):
    page = session["page"]
    assert len(CORPUS) >= 20
    differ = []
    for case in CORPUS:
        fill(
            page,
            f=case.f,
            wrt=case.wrt,
            claimed=case.claimed,
            var=" ".join(case.vars),
            kind=case.kind,
            direction=case.direction or "",
            assume=" ".join(case.assume),
            at=" ".join(case.at),
            side=case.side or "",
        )
        got = run(page)["verdict"]
        expected = native(case)
        if got != expected:
            differ.append(f"{case.name}: browser {got}, command line {expected}")
    assert not differ
    assert {native(c) for c in CORPUS} == {"verified", "refuted"}


def test_the_time_limit_and_stop_end_a_runaway_check(session):
    page = session["page"]
    fill(page, **RUNAWAY, time_limit="3")
    timed_out = run(page)
    assert timed_out["verdict"] == "inconclusive"
    assert "time limit of 3 s" in timed_out["text"]

    fill(page, **RUNAWAY)
    page.click("#checker-run")
    page.wait_for_function(
        "document.getElementById('checker-status').textContent === 'Checking…'", timeout=COLD
    )
    page.wait_for_timeout(1000)
    page.click("#checker-stop")
    result = page.locator("#checker-result")
    assert result.get_attribute("data-state") == "stopped"
    assert result.get_attribute("data-verdict") is None

    fill(page, f="np.sum(x ** 2)", wrt="x", claimed="2 * x", var="x=n")
    after = run(page)  # a fresh worker: Python loads again
    assert after["verdict"] == "verified" and "loading Python" in after["text"]


def test_no_request_left_the_site(session):
    assert session["outside"] == []
    assert session["errors"] == []


def test_the_offline_copy_checks_from_file_urls(chromium, offline_site):
    context = chromium.new_context()
    outside = block_outside(context)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(
        link(
            offline_site.as_uri() + "/",
            f="x @ A @ x",
            wrt="x",
            claimed="2 * A @ x",
            var=["x=n", "A=n,n"],
        ).replace("check/?", "check.html?")
    )
    page.wait_for_selector("#checker-result[data-verdict]", timeout=COLD)
    verdict = page.get_attribute("#checker-result", "data-verdict")
    text = page.inner_text("#checker-result")
    context.close()
    assert verdict == "refuted", text
    assert outside == [] and errors == []
