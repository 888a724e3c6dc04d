"""Shared fixtures: the project root, the real built site, and throwaway fixture sites."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
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


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The real site, built once per test session with ``mkdocs build --strict``."""
    site = tmp_path_factory.mktemp("site")
    proc = run_mkdocs_build(ROOT / "mkdocs.yml", site)
    assert proc.returncode == 0, f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}"
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
