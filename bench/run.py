"""`make bench`: timings and sizes, printed as a table and written to build/bench.json.

Measures (never asserted in tests): claim count and `verify` wall time (total, per-claim median);
cold and warm site builds beside a bare mkdocs-material build of the same Markdown without hooks
and lab pages; page weights; navigation → "math typeset" in headless Chromium (median of several
loads) beside a page without math; checker latency when the checker benchmark exists.
"""

from __future__ import annotations

import functools
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


def page_weights(site: Path) -> dict:
    out = {}
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        out["/" if rel == "." else f"/{rel}/"] = path.stat().st_size
    return out


def bench_typeset(site: Path, pages: list[str], loads: int = 5) -> dict:
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return {"skipped": "chromium not installed"}
    from playwright.sync_api import sync_playwright

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    results = {}
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
            for rel in pages:
                times = []
                for _ in range(loads):
                    page = browser.new_page()
                    page.goto(base + rel)
                    page.wait_for_function("window.__mathTypesetMs !== undefined", timeout=20000)
                    times.append(page.evaluate("window.__mathTypesetMs"))
                    page.close()
                results[rel] = round(statistics.median(times), 1)
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"median_ms_navigation_to_math_typeset": results}


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
    chapter_pages = [p for p in report["page_bytes"] if p.startswith("/chapters/")]
    floor = "/verification/"
    print("timing math typesetting in Chromium ...", flush=True)
    report["typeset"] = bench_typeset(site, [floor, "/conventions/", *chapter_pages])
    checker = ROOT / "build" / "checker_bench.json"
    if (ROOT / "bench" / "checker_latency.py").exists():
        subprocess.run([sys.executable, str(ROOT / "bench" / "checker_latency.py")], cwd=ROOT,
                       env=ENV, check=False, capture_output=True)
    if checker.exists():
        report["checker"] = json.loads(checker.read_text())
    OUT.write_text(json.dumps(report, indent=1))
    print(json.dumps({k: v for k, v in report.items() if k != "page_bytes"}, indent=1))
    print("page bytes (largest 5):")
    for url, size in sorted(report["page_bytes"].items(), key=lambda kv: -kv[1])[:5]:
        print(f"  {size / 1024:8.1f} KB  {url}")
    print(f"written to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
