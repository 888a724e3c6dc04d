"""Lab pages: the topic modules in ``derivations/`` rendered by mkdocs-jupyter, executed.

* ``on_files`` adds each topic module (``derivations.catalogue.TOPICS``) to the build as a page;
  it runs before mkdocs-jupyter's own ``on_files`` so the plugin picks them up.
* The notebook kernel imports ``derivations`` from the project root (``PYTHONPATH``), wherever
  ``mkdocs`` is started from.
* mkdocs-jupyter's cache key is only the page's own bytes, so its cache directory is keyed here
  on every source file a page can import and the library versions: an edit to the engine
  invalidates every cached lab page.
* Code spans that carry no style (names, spaces) are unwrapped: the same text, lighter pages.
* The JupyterLab CSS the template inlines into every lab page goes into one shared, cached file.
* The notebook template loads MathJax and Mermaid from a CDN; those script tags are removed
  (the site renders math with its own KaTeX; lab pages have no diagrams).
* Lab pages missing from the cache are executed in parallel, one kernel per core, before
  mkdocs-jupyter renders them one by one (it then finds them cached). Their verification cells
  reuse the verdicts the claims hook has just computed for the same sources
  (``DERIVATIONS_VERDICTS``), instead of verifying every claim a second time, and show the
  figures it has just drawn (``DERIVATIONS_FIGURES``) instead of drawing them again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import re
import sys
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from derivations.catalogue import TOPICS, source_fingerprint  # noqa: E402

log = logging.getLogger("mkdocs.hooks.labs")
VERDICTS_DIR = ROOT / ".cache" / "verdicts"  # written by hooks/claims.py
FIGURES_DIR = ROOT / ".cache" / "figures"  # drawn by hooks/claims.py before the labs run

_CDN_SCRIPT = re.compile(
    r"<script[^>]*\bsrc=\"(?:https?:)?//[^\"]*\"[^>]*>\s*</script>"  # any remote script
    r"|<script src=\"\">\s*</script>"  # the MathJax tag left with an empty URL
    r"|<script type=\"module\">(?:(?!</script>).)*?mermaid(?:(?!</script>).)*</script>"
    r"|<script type=\"text/x-mathjax-config\">.*?</script>",
    re.DOTALL,
)


# Pygments wraps every name and every run of spaces in its own span; inside a notebook code
# block (class highlight-ipynb, no Material ".highlight" around it) neither class has a style of
# its own, so the text reads the same unwrapped, and a lab page is about a tenth lighter.
_CODE_BLOCK = re.compile(r'(<div class="highlight-ipynb[^"]*"><pre>)(.*?)(</pre>)', re.DOTALL)
_UNSTYLED_TOKEN = re.compile(r'<span class="(?:n|w)">([^<]*)</span>')


def plain_unstyled_tokens(html: str) -> str:
    """Notebook code blocks without the spans that change nothing on screen."""
    return _CODE_BLOCK.sub(
        lambda m: m.group(1) + _UNSTYLED_TOKEN.sub(r"\1", m.group(2)) + m.group(3), html
    )


_SITE_FIGURE = re.compile(r"<img\b[^>]*\bdata-site-figure\b[^>]*>")


def site_figures_relative(html: str, prefix: str) -> str:
    """A lab's figures point at the build's ``figures/<id>.svg``, relative to the page."""
    return _SITE_FIGURE.sub(
        lambda m: m.group(0).replace('src="figures/', f'src="{prefix}figures/'), html
    )


def lab_paths() -> list[str]:
    return [name.replace(".", "/") + ".py" for name in TOPICS]


def on_config(config):
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    os.environ.pop("MPLBACKEND", None)  # Agg here would make lab plots vanish silently
    plugin = config["plugins"].get("mkdocs-jupyter")
    if plugin is not None and plugin.config.get("cache"):
        base = Path(plugin.config["cache_dir"])
        base = base if base.is_absolute() else ROOT / base
        plugin.config["cache_dir"] = str(base / source_fingerprint())
    return config


@event_priority(100)
def on_files(files, config):
    if not config["extra"].get("lab_pages"):
        return files  # a site that does not ask for the labs (e.g. a test fixture) gets none
    for rel in lab_paths():
        if files.get_file_from_path(rel) is None:
            files.append(
                File(
                    rel,
                    src_dir=str(ROOT),
                    dest_dir=config["site_dir"],
                    use_directory_urls=config["use_directory_urls"],
                )
            )
    execute_uncached_in_parallel(config)
    return files


# the options mkdocs-jupyter passes to nb2html (mkdocs_jupyter/plugin.py, version 0.26)
_NB2HTML_OPTIONS = (
    "kernel_name", "theme", "allow_errors", "show_input", "no_input", "no_prompt",
    "remove_tag_config", "highlight_extra_classes", "include_requirejs", "custom_mathjax_url",
)  # fmt: skip


def execute_uncached_in_parallel(config) -> None:
    plugin = config["plugins"].get("mkdocs-jupyter")
    if plugin is None or not plugin.config.get("cache") or not plugin.config.get("execute"):
        return
    if VERDICTS_DIR.is_dir():
        os.environ["DERIVATIONS_VERDICTS"] = str(VERDICTS_DIR)
    if FIGURES_DIR.is_dir():
        os.environ["DERIVATIONS_FIGURES"] = str(FIGURES_DIR)
    try:
        from mkdocs_jupyter.plugin import (
            _compute_cache_key,
            _get_cache_path,
            _get_nb_toc_tokens,  # noqa: F401 (used by the workers)
        )
    except ImportError as exc:  # strict builds fail on this warning: a version bump must look
        log.warning("labs run one by one: mkdocs-jupyter's cache API moved (%s)", exc)
        return
    tasks = []
    for rel in lab_paths():
        path = str(ROOT / rel)
        key = _compute_cache_key(path, plugin.config, True)
        cache_path = _get_cache_path(plugin.config["cache_dir"], key)
        if not cache_path.exists():
            options = {name: plugin.config[name] for name in _NB2HTML_OPTIONS}
            tasks.append((path, str(cache_path), plugin.config["toc_depth"], options))
    if len(tasks) < 2:
        return  # nothing to gain: mkdocs-jupyter executes the one page itself
    processes = min(os.cpu_count() or 1, len(tasks))
    log.info("executing %d lab pages on %d cores", len(tasks), processes)
    # forked processes, not a Pool: a hook module cannot be pickled by name
    context = multiprocessing.get_context("fork")
    pending, running = list(tasks), []
    while pending or running:
        while pending and len(running) < processes:
            process = context.Process(target=_execute_lab, args=(pending.pop(0),))
            process.start()
            running.append(process)
        multiprocessing.connection.wait([p.sentinel for p in running])
        for process in [p for p in running if not p.is_alive()]:
            process.join()
            running.remove(process)


def _execute_lab(task) -> None:
    """Execute one lab page and store it exactly as mkdocs-jupyter's cache would. On an error,
    nothing is stored: mkdocs-jupyter executes the page again and fails the build with it."""
    path, cache_path, toc_depth, options = task
    try:
        from mkdocs_jupyter import convert
        from mkdocs_jupyter.plugin import _get_nb_toc_tokens

        body = convert.nb2html(path, execute=True, **options)
        toc_tokens, title = _get_nb_toc_tokens(path, toc_depth)
        target = Path(cache_path)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(
            json.dumps({"content": body, "toc_tokens": toc_tokens, "title": title}),
            encoding="utf-8",
        )
        os.replace(partial, target)
    except Exception as exc:  # reported, then re-raised by mkdocs-jupyter's own execution
        log.info("lab %s did not execute here: %s", Path(path).name, type(exc).__name__)


_STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)
_shared_css: dict[str, str] = {}


# Prompts ("In [1]:"), the copy button ("Copied!") and the hidden copy of each cell's source
# would otherwise reach the search index, doubling every snippet with noise.
_SEARCH_NOISE = re.compile(
    r'<div class="((?:jp-InputPrompt|jp-OutputPrompt|zeroclipboard-container|clipboard-copy-txt)'
    r'[^"]*)"'
)


def on_page_content(html, page, config, files):
    if page.file.src_uri not in lab_paths():
        return html
    html = _CDN_SCRIPT.sub("", html)
    html = plain_unstyled_tokens(html)
    html = site_figures_relative(html, "../" * page.url.count("/"))
    html = _SEARCH_NOISE.sub(r'<div class="\1" data-search-exclude', html)
    # The notebook template inlines ~580 KB of JupyterLab CSS into every lab page. Move it into
    # one stylesheet per distinct content, written once and cached by the browser across pages.
    css = "\n".join(m.group(1) for m in _STYLE_BLOCK.finditer(html))
    if not css:
        return html
    name = f"assets/notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    _shared_css[name] = css
    depth = page.url.count("/")
    href = "../" * depth + name
    first = True

    def replace(match):
        nonlocal first
        if first:
            first = False
            return f'<link rel="stylesheet" href="{href}">'
        return ""

    return _STYLE_BLOCK.sub(replace, html)


def on_post_build(config):
    for name, css in _shared_css.items():
        target = Path(config["site_dir"]) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(css, encoding="utf-8")
