"""What a reader's first visit to a page transfers: every file the browser fetched from the site
while loading it (until its math is typeset and the network is idle), each counted as a server
sends it: text gzip-compressed, fonts and images as stored.

Used by `make bench` (bench/run.py, every page) and by the page-weight budget in
tests/test_browser.py, so the number reported and the number held to the budget are one number.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import unquote, urlparse

STORED_AS_IS = {".woff2", ".woff", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".gz", ".zip"}


def served_bytes(path: Path) -> int:
    data = path.read_bytes()
    if path.suffix in STORED_AS_IS:
        return len(data)
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def site_file(site: Path, base: str, url: str) -> Path | None:
    if not url.startswith(base):
        return None
    rel = unquote(urlparse(url).path)[len(urlparse(base).path) :]
    path = site / rel
    if path.is_dir() or rel.endswith("/") or rel == "":
        path = path / "index.html"
    return path if path.is_file() else None


def first_visit(browser, base: str, site: Path, rel: str) -> dict:
    """Load ``rel`` in a fresh browser profile (empty cache); the files fetched and their bytes."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    urls: list[str] = []
    page.on("requestfinished", lambda request: urls.append(request.url))
    page.goto(base + rel, wait_until="load")
    page.wait_for_function("document.documentElement.dataset.mathTypeset === '1'", timeout=60000)
    page.wait_for_load_state("networkidle")
    files = {}
    for url in urls:
        path = site_file(site, base, url)
        if path is not None:
            files[path.relative_to(site).as_posix()] = served_bytes(path)
    context.close()
    return {"bytes": sum(files.values()), "files": files}
