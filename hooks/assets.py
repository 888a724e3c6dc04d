"""Vendor the math renderer into the built site, so no page needs a CDN.

KaTeX is installed from npm at an exact version (package-lock.json) and copied from
node_modules into ``assets/vendor/katex/`` of the site as ordinary MkDocs files.

The offline build (``mkdocs-offline.yml``) lists the ``iframe-worker`` shim, which lets search
run from ``file://``, in ``extra.polyfills``; it is vendored from npm the same way. A polyfill
on another host (Material's offline plugin adds one when none is listed) fails the build.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from derivations.render.whitespace import collapse  # noqa: E402

KATEX = ROOT / "node_modules" / "katex" / "dist"
WANTED = (
    "katex.min.js",
    "katex.min.css",
    "contrib/auto-render.min.js",
    "contrib/copy-tex.min.js",  # copying a typeset formula copies its TeX
)
IFRAME_WORKER = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
IFRAME_WORKER_URI = "assets/vendor/iframe-worker/shim.js"


def on_config(config):
    remote = [str(p) for p in config["extra"].get("polyfills", []) if "//" in str(p)]
    if remote:
        raise PluginError(
            f"extra.polyfills loads {remote} from another host: vendor it "
            f"(the iframe-worker shim is served as {IFRAME_WORKER_URI})"
        )
    return config


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
    if IFRAME_WORKER_URI in [str(p) for p in config["extra"].get("polyfills", [])]:
        if not IFRAME_WORKER.exists():
            raise PluginError(f"iframe-worker is missing at {IFRAME_WORKER}: run `make install`")
        files.append(
            File(
                IFRAME_WORKER.name,
                src_dir=str(IFRAME_WORKER.parent),
                dest_dir=config["site_dir"],
                use_directory_urls=config["use_directory_urls"],
                dest_uri=IFRAME_WORKER_URI,
            )
        )
    return files


def on_post_page(output, page, config):
    """Every page without the theme's indentation (about a tenth of its bytes)."""
    return collapse(output)
