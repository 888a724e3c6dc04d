"""A lab run in the reader's browser ("Run this lab in your browser"), in headless Chromium: what
a lab page transfers before and after the click, and how long the lab takes.

    .venv/bin/python bench/lab_runner.py [SITE] [TOPIC]   # defaults: build/bench-site, hessians

- transfer: every response while the page loads (until the network is idle), then every one
  after the click until the run ends (the worker's too); bytes as served, and as gzip sends them;
- cold: a fresh browser profile, click to the first cell's output and to the end of the run
  (Python, numpy, sympy, mpmath, matplotlib and the derivations package load);
- warm: the same page run again (the loaded Python reused).

`make bench` runs it after bench/checker_page.py and adds the result to build/bench.json as
``lab_runner``; nothing here asserts a time.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from checker_page import ROOT, _sizes, served_chromium

ENDED = "['done', 'error', 'failed', 'stopped'].includes(document.querySelector('.lab-runner')" \
    ".dataset.state)"


def _run(page) -> tuple[float, float, str]:
    """(seconds to the first cell's output, seconds to the end, final state) of one run."""
    start = time.perf_counter()
    page.click(".lab-runner__run")
    page.wait_for_selector(".lab-runner-output", timeout=300_000)
    first = time.perf_counter() - start
    page.wait_for_function(ENDED, timeout=600_000)
    return round(first, 2), round(time.perf_counter() - start, 2), page.get_attribute(
        ".lab-runner", "data-state"
    )


def bench_lab_runner(site: Path, topic: str, chromium_path: str = "/usr/bin/chromium") -> dict:
    out: dict = {"lab": topic}
    with served_chromium(site, chromium_path) as (base, browser):
        url = f"{base}derivations/{topic}/"
        context = browser.new_context()
        seen: list[str] = []
        context.on("request", lambda r: seen.append(r.url))  # the worker's requests too
        page = context.new_page()
        page.goto(url, wait_until="networkidle")
        before = list(seen)
        first, total, state = _run(page)
        after = seen[len(before):]
        out["cold_first_output_seconds"], out["cold_seconds"], out["state"] = first, total, state
        # a second run on the same page: outputs replaced, the loaded Python reused
        _, out["warm_seconds"], _ = _run(page)
    out["before_click"] = _sizes(site, before)
    out["after_click"] = _sizes(site, after)
    return out


def print_report(r: dict) -> None:
    for key in ("before_click", "after_click"):
        t = r[key]
        print(f"lab page ({r['lab']}) {key.replace('_', ' ')}: {t['requests']} requests, "
              f"{t['bytes'] / 1e6:.2f} MB ({t['gzip_bytes'] / 1e6:.2f} MB gzip)")
    print(f"lab run ({r['state']}): first output {r['cold_first_output_seconds']} s, whole lab "
          f"{r['cold_seconds']} s cold, {r['warm_seconds']} s warm")


def main() -> None:
    """Measure, print, and add the result to build/bench.json as ``lab_runner``."""
    site = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "bench-site"
    topic = sys.argv[2] if len(sys.argv) > 2 else "hessians"
    report = bench_lab_runner(site, topic)
    print_report(report)
    out = ROOT / "build" / "bench.json"
    whole = json.loads(out.read_text()) if out.exists() else {}
    whole["lab_runner"] = report
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(whole, indent=1))
    print(f"lab runner: added to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
