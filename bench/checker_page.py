"""The checker in the page (docs/check.md), in headless Chromium: what the page transfers before
and after the reader presses Check, and the time to the first verdict.

    .venv/bin/python bench/checker_page.py [SITE]    # SITE: a built site (default build/bench-site)

- transfer: every response while the page loads (until the network is idle), then every one
  after the click until the verdict; bytes as served, and as gzip would send them;
- cold: a fresh browser profile, click to verdict (Python, numpy, sympy and the checker load);
- revisit: a new page in the same profile (files from the browser's cache, a fresh worker);
- warm: further checks on the same page (the loaded runtime reused), median of a few.

`make bench` runs it after bench/run.py, on the site that built, and adds the result to
build/bench.json as ``checker_page``; nothing here asserts a time.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import json
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlparse

ROOT = Path(__file__).resolve().parent.parent
CHECK = {"f": "x @ A @ x", "wrt": "x", "claimed": "2 * A @ x", "var": "x=n A=n,n"}
WARM = ["(A + A.T) @ x", "2 * A @ x", "A.T @ x + A @ x"]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _fill_and_run(page, claimed: str) -> float:
    for name, value in {**CHECK, "claimed": claimed}.items():
        page.fill(f"#checker-{name}", value)
    start = time.perf_counter()
    page.click("#checker-run")
    page.wait_for_function("document.getElementById('checker-result').dataset.state === 'done'",
                           timeout=300_000)
    return round(time.perf_counter() - start, 2)


def _sizes(site: Path, urls: list[str]) -> dict:
    raw = packed = 0
    files = {}
    for url in urls:
        path = urlparse(url).path
        local = site / path.lstrip("/")
        if local.is_dir():
            local = local / "index.html"
        if not local.is_file():
            continue
        data = local.read_bytes()
        raw += len(data)
        packed += len(gzip.compress(data, 6))
        files[path.rsplit("/", 1)[-1] or path] = len(data)
    return {"requests": len(urls), "bytes": raw, "gzip_bytes": packed, "files": files}


@contextlib.contextmanager
def served_chromium(site: Path, chromium_path: str = "/usr/bin/chromium"):
    """(base URL of ``site`` served on a free local port, a headless Chromium), closed after."""
    from playwright.sync_api import sync_playwright

    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path,
                                         args=["--headless=new", "--no-sandbox"])
            try:
                yield f"http://127.0.0.1:{server.server_address[1]}/", browser
            finally:
                browser.close()
    finally:
        server.shutdown()


def bench_checker_page(site: Path, chromium_path: str = "/usr/bin/chromium") -> dict:
    out: dict = {}
    with served_chromium(site, chromium_path) as (base, browser):
        url = f"{base}check/"
        context = browser.new_context()
        page = context.new_page()
        seen: list[str] = []
        page.on("request", lambda r: seen.append(r.url))
        page.goto(url, wait_until="networkidle")
        before = list(seen)
        out["cold_seconds"] = _fill_and_run(page, CHECK["claimed"])
        after = seen[len(before):]
        out["verdict"] = page.get_attribute("#checker-result", "data-verdict")
        out["warm_seconds"] = statistics.median(_fill_and_run(page, c) for c in WARM)
        revisit = context.new_page()
        revisit.goto(url, wait_until="networkidle")
        out["revisit_seconds"] = _fill_and_run(revisit, CHECK["claimed"])
    out["before_click"] = _sizes(site, before)
    out["after_click"] = _sizes(site, after)
    out["check"] = "?" + "&".join(f"{k}={quote(v)}" for k, v in CHECK.items())
    return out


def print_report(r: dict) -> None:
    for key in ("before_click", "after_click"):
        t = r[key]
        print(f"checker page {key.replace('_', ' ')}: {t['requests']} requests, "
              f"{t['bytes'] / 1e6:.2f} MB ({t['gzip_bytes'] / 1e6:.2f} MB gzip)")
    print(f"first verdict ({r['verdict']}): cold {r['cold_seconds']} s, revisit (files cached) "
          f"{r['revisit_seconds']} s, warm {r['warm_seconds']} s")


def main() -> None:
    """Measure, print, and add the result to build/bench.json as ``checker_page``."""
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "bench-site"
    report = bench_checker_page(target)
    print_report(report)
    out = ROOT / "build" / "bench.json"
    whole = json.loads(out.read_text()) if out.exists() else {}
    whole["checker_page"] = report
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(whole, indent=1))
    print(f"checker page: added to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
