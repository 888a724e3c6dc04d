"""Vendor the math renderer into the built site, so no page needs a CDN.

KaTeX is installed from npm at an exact version (package-lock.json) and copied from
node_modules into ``assets/vendor/katex/`` of the site as ordinary MkDocs files.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
KATEX = ROOT / "node_modules" / "katex" / "dist"
WANTED = ("katex.min.js", "katex.min.css", "contrib/auto-render.min.js")


def on_files(files, config):
    if not (KATEX / "katex.min.js").exists():
        raise PluginError(f"KaTeX is missing at {KATEX}: run `make install` (npm ci) first")
    paths = list(WANTED) + [
        p.relative_to(KATEX).as_posix() for p in sorted((KATEX / "fonts").glob("*.woff2"))
    ]
    for rel in paths:
        files.append(
            File(
                rel,
                src_dir=str(KATEX),
                dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"],
                dest_uri=f"assets/vendor/katex/{rel}",
            )
        )
    return files
