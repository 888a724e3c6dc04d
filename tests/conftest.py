"""Shared fixtures: the project root, the real built site (and a local server for it),
headless Chromium, and throwaway fixture sites."""

from __future__ import annotations

import functools
import http.server
import importlib.util
import os
import secrets
import shutil
import subprocess
import sys
import textwrap
import threading
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def mkdocs_env() -> dict:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def run_mkdocs_build(config: Path, site_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "-f", str(config), "--site-dir", str(site_dir)],
        cwd=ROOT,
        env=mkdocs_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def load_hook(name: str):
    """A fresh copy of ``hooks/<name>.py`` (hooks are loaded by path, not as a package)."""
    spec = importlib.util.spec_from_file_location(
        f"{name}_hook_under_test", ROOT / "hooks" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per test session with ``mkdocs build --strict``."""
    site = tmp_path_factory.mktemp("site")
    proc = run_mkdocs_build(ROOT / "mkdocs.yml", site)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
    return site


@pytest.fixture(scope="session")
def offline_site(tmp_path_factory) -> Path:
    """``mkdocs build --strict -f mkdocs-offline.yml`` (reuses .cache/ of the normal build)."""
    site = tmp_path_factory.mktemp("site-offline")
    proc = run_mkdocs_build(ROOT / "mkdocs-offline.yml", site)
    assert proc.returncode == 0, f"offline build failed:\n{proc.stdout}\n{proc.stderr}"
    return site


def write_fixture_site(
    tmp: Path,
    pages: dict[str, str],
    *,
    extra_hooks: tuple[str, ...] = (),
    labs: dict[str, str] | None = None,
) -> Path:
    """A minimal site using the project's real hooks; returns its mkdocs.yml."""
    docs = tmp / "docs"
    docs.mkdir()
    for name, text in pages.items():
        (docs / name).write_text(textwrap.dedent(text), encoding="utf-8")
    for name, text in (labs or {}).items():
        target = docs / "derivations" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    hooks = [str(ROOT / "hooks" / h) for h in ("assets.py", "labs.py", "claims.py")]
    hooks += [str(Path(h)) for h in extra_hooks]
    hook_lines = "\n".join(f"  - {h}" for h in hooks)
    config = tmp / "mkdocs.yml"
    config.write_text(
        textwrap.dedent(
            f"""\
            site_name: fixture
            docs_dir: {docs}
            strict: true
            theme:
              name: material
              font: false
            plugins:
              - mkdocs-jupyter:
                  include: ["derivations/*.py"]
                  execute: true
                  allow_errors: false
                  cache: false
            markdown_extensions:
              - md_in_html
              - attr_list
              - pymdownx.arithmatex:
                  generic: true
            validation:
              omitted_files: info
              anchors: warn
              unrecognized_links: warn
            hooks:
            """
        )
        + hook_lines
        + "\n",
        encoding="utf-8",
    )
    return config


@pytest.fixture
def fixture_site(tmp_path):
    def build(pages, **kwargs):
        config = write_fixture_site(tmp_path, pages, **kwargs)
        site = tmp_path / "site"
        return run_mkdocs_build(config, site), site

    return build


def chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session (Playwright's sync API allows one per thread)."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is required under CI=true (apt-get install chromium)")
        pytest.skip("Chromium not installed (CI installs it and runs this test)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def served_site(built_site):
    token = secrets.token_hex(8)
    (built_site / "server-token.txt").write_text(token)
    handler = functools.partial(_Quiet, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with urllib.request.urlopen(base + "server-token.txt", timeout=10) as response:
        assert response.read().decode() == token, "another server answers on our port"
    yield base, built_site
    server.shutdown()
    server.server_close()
