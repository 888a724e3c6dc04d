"""`make bench`: timings and sizes, printed as a table and written to build/bench.json.

Measures (never asserted in tests): claim count and `verify` wall time (total, per-claim median);
cold and warm site builds beside a bare mkdocs-material build of the same Markdown without hooks
and lab pages; page weights; navigation → "math typeset" in headless Chromium (median of several
loads) beside a page without math; each page's first-visit transfer (bench/transfer.py);
checker latency when the checker benchmark exists.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / "build" / "bench.json"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def timed(cmd: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, env=ENV, capture_output=True, **kwargs)
    return time.perf_counter() - start


def bench_verify() -> dict:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "derivations", "verify", "--json"], cwd=ROOT,
                          env=ENV, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    data = json.loads(proc.stdout)
    seconds = [c["seconds"] for c in data["claims"]]
    return {
        "claims": len(seconds),
        "all_as_expected": proc.returncode == 0,
        "wall_seconds": round(wall, 2),
        # the verification alone (no interpreter start), per claim: the number issue 15 holds
        "verify_ms_per_claim": round(1000 * data["summary"]["seconds"] / len(seconds), 1),
        "per_claim_median_seconds": round(statistics.median(seconds), 4),
        "per_claim_max_seconds": round(max(seconds), 3),
    }


def bench_site(site: Path) -> dict:
    shutil.rmtree(ROOT / ".cache", ignore_errors=True)
    cold = timed([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site)])
    warm = timed([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(site)])
    bare = bare_build()
    return {"cold_build_seconds": round(cold, 2), "warm_build_seconds": round(warm, 2),
            "bare_material_build_seconds": round(bare, 2),
            "warm_over_bare": round(warm / bare, 1) if bare else None}


def bare_build() -> float:
    """The same Markdown, markers removed, plain mkdocs-material: the floor for our overhead."""
    with tempfile.TemporaryDirectory() as tmp:
        docs = Path(tmp) / "docs"
        shutil.copytree(ROOT / "docs", docs)
        for md in docs.rglob("*.md"):
            md.write_text(re.sub(r"\{\{[^}]*\}\}", "", md.read_text(encoding="utf-8")))
        config = Path(tmp) / "mkdocs.yml"
        config.write_text(f"site_name: bare\ndocs_dir: {docs}\ntheme:\n  name: material\n  font: false\n"
                          "markdown_extensions:\n  - admonition\n  - pymdownx.details\n"
                          "  - pymdownx.superfences\n  - pymdownx.arithmatex:\n      generic: true\n"
                          "  - md_in_html\n  - attr_list\n")
        return timed([str(BIN / "mkdocs"), "build", "-q", "-f", str(config), "--site-dir",
                      str(Path(tmp) / "site")])


def page_weights(site: Path, compress: bool = False) -> dict:
    """Bytes of each page's HTML, as stored or gzip-compressed (as a server sends it)."""
    out = {}
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        data = path.read_bytes()
        size = len(gzip.compress(data, mtime=0)) if compress else len(data)
        out["/" if rel == "." else f"/{rel}/"] = size
    return out


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def local_server(site: Path) -> http.server.ThreadingHTTPServer:
    """The built site on a free local port, served from a background thread."""
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def bench_typeset(site: Path, pages: list[str], loads: int = 5) -> dict:
    """Per page, medians over ``loads`` loads in one browser profile (shared assets cached, as
    for a reader moving through the site): navigation → first screen typeset (the formulas a
    reader sees; the rest are typeset in idle batches), → every formula typeset, and the KaTeX
    work of the first screen alone."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return {"skipped": "chromium not installed"}
    from playwright.sync_api import sync_playwright

    server = local_server(site)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    probe = """() => ({
        first_screen_ms: window.__mathTypesetMs,
        complete_ms: window.__mathCompleteMs,
        first_screen_render_ms: window.__mathRenderMs,
        dom_content_loaded_ms: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
        formulas: document.querySelectorAll('.arithmatex').length,
    })"""
    results = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            warm = context.new_page()
            warm.goto(base + pages[0])  # fills the cache with the shared CSS, JS and fonts
            warm.close()
            for rel in pages:
                rows = []
                for _ in range(loads):
                    page = context.new_page()
                    page.goto(base + rel)
                    page.wait_for_function("document.documentElement.dataset.mathTypeset === '1'",
                                           timeout=60000)
                    rows.append(page.evaluate(probe))
                    page.close()
                results[rel] = {key: round(statistics.median(r[key] for r in rows), 1)
                                for key in rows[0] if key != "formulas"}
                results[rel]["formulas"] = rows[0]["formulas"]
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    floor = results[pages[0]]["first_screen_ms"]
    math_pages = [v for k, v in results.items() if k != pages[0]]
    return {
        "floor_page": pages[0],
        "pages": results,
        "median_first_screen_ms": round(statistics.median(v["first_screen_ms"] for v in math_pages), 1),
        "median_complete_ms": round(statistics.median(v["complete_ms"] for v in math_pages), 1),
        "median_first_screen_over_floor_ms": round(
            statistics.median(v["first_screen_ms"] for v in math_pages) - floor, 1),
        "loads_per_page": loads,
    }


def bench_first_visit(site: Path, budget: int = 400 * 1024) -> dict:
    """Per page, what a first visit with an empty cache transfers (bench/transfer.py)."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return {"skipped": "chromium not installed"}
    sys.path.insert(0, str(ROOT / "bench"))
    from playwright.sync_api import sync_playwright
    from transfer import first_visit

    server = local_server(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pages = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            for path in sorted(site.rglob("index.html")):
                rel = path.parent.relative_to(site).as_posix()
                rel = "" if rel == "." else rel + "/"
                if rel == "print_page/":
                    continue  # the whole book, printed, not a page one visits first
                pages["/" + rel] = first_visit(browser, base, site, rel)["bytes"]
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    worst = max(pages, key=pages.get)
    return {"gzip_bytes": pages, "max_page": worst, "max_bytes": pages[worst],
            "budget_bytes": budget, "pages_over_budget": [p for p, b in pages.items() if b > budget]}


def main() -> int:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "machine": {"cores": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform(),
                    "versions": {d: metadata.version(d) for d in
                                 ("sympy", "numpy", "mkdocs", "mkdocs-material", "mkdocs-jupyter")}},
    }
    print("verifying every claim ...", flush=True)
    report["verify"] = bench_verify()
    site = ROOT / "build" / "bench-site"
    print("building the site cold, warm, and bare ...", flush=True)
    report["site"] = bench_site(site)
    report["page_bytes"] = page_weights(site)
    report["page_gzip_bytes"] = page_weights(site, compress=True)
    chapter_pages = [p for p in report["page_bytes"] if p.startswith("/chapters/")]
    floor = "/cite/"  # no formulas: the cost of the page and theme alone
    print("timing math typesetting in Chromium ...", flush=True)
    report["typeset"] = bench_typeset(site, [floor, "/conventions/", *chapter_pages, "/claims/"])
    print("measuring each page's first-visit transfer in Chromium ...", flush=True)
    report["first_visit"] = bench_first_visit(site)
    checker = ROOT / "build" / "checker_bench.json"
    if (ROOT / "bench" / "checker_latency.py").exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "checker_latency.py")], cwd=ROOT,
                       env=ENV, check=False, capture_output=True)
    if checker.exists():
        report["checker"] = json.loads(checker.read_text())
    OUT.write_text(json.dumps(report, indent=1))
    hidden = ("page_bytes", "page_gzip_bytes", "first_visit")
    print(json.dumps({k: v for k, v in report.items() if k not in hidden}, indent=1))
    typeset = report["typeset"]
    if "pages" in typeset:
        print(f"{'page':<34} {'first screen':>12} {'complete':>9} {'KaTeX':>7} {'formulas':>8}")
        for url, row in typeset["pages"].items():
            print(f"{url:<34} {row['first_screen_ms']:>10.0f}ms {row['complete_ms']:>7.0f}ms "
                  f"{row['first_screen_render_ms']:>5.0f}ms {row['formulas']:>8}")
    print("page bytes (largest 5):")
    for url, size in sorted(report["page_bytes"].items(), key=lambda kv: -kv[1])[:5]:
        print(f"  {size / 1024:8.1f} KB  ({report['page_gzip_bytes'][url] / 1024:.1f} KB gzip)  {url}")
    visits = report["first_visit"]
    if "gzip_bytes" in visits:
        print("first visit, everything fetched, gzip (largest 5; budget "
              f"{visits['budget_bytes'] / 1024:.0f} KB):")
        for url, size in sorted(visits["gzip_bytes"].items(), key=lambda kv: -kv[1])[:5]:
            print(f"  {size / 1024:8.1f} KB  {url}")
    print(f"written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
