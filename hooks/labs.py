"""Lab pages: the topic modules in ``derivations/`` rendered by mkdocs-jupyter, executed.

* ``on_files`` adds each topic module (``derivations.catalogue.TOPICS``) to the build as a page;
  it runs before mkdocs-jupyter's own ``on_files`` so the plugin picks them up.
* The notebook kernel imports ``derivations`` from the project root (``PYTHONPATH``), wherever
  ``mkdocs`` is started from.
* mkdocs-jupyter's cache key is only the page's own bytes, so its cache directory is keyed here
  on every source file a page can import and the library versions: an edit to the engine
  invalidates every cached lab page.
* Code spans that carry no style (names, spaces) are unwrapped: the same text, lighter pages.
* The JupyterLab CSS the template inlines into every lab page (590 KB, the whole of JupyterLab's
  stylesheet) is cut down to the rules whose selectors can match the page's own markup and the
  custom properties those rules use (``trim_notebook_css``): about 13 KB (2.4 KB gzip), the same
  computed styles (tests/test_lab_pages.py compares them in Chromium). It goes into a file named
  by its content, shared by the pages that need the same rules, and is cached in .cache/lab-css.
* Each lab page gets a box, right after its introduction, that links its ``.py`` source (published
  next to the page by mkdocs-jupyter's ``include_source``) and the file in the repository
  (``repo_url``, when set), and says how to run it (``run_box``).
* The table of contents mkdocs-jupyter builds for a notebook drops code spans from headings, so
  "Agreement with `numpy.linalg.lstsq`" pointed at ``#agreement-with`` while the heading's id is
  ``agreement-with-numpylinalglstsq``: ``repair_toc`` points every entry at the heading it names.
* The notebook template loads MathJax and Mermaid from a CDN; those script tags are removed
  (the site renders math with its own KaTeX; lab pages have no diagrams).
* Lab pages missing from the cache are executed in parallel, one kernel per core, before
  mkdocs-jupyter renders them one by one (it then finds them cached). Their verification cells
  reuse the verdicts the claims hook has just computed for the same sources
  (``DERIVATIONS_VERDICTS``), instead of verifying every claim a second time, and show the
  figures it has just drawn (``DERIVATIONS_FIGURES``) instead of drawing them again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import multiprocessing
import multiprocessing.connection
import os
import re
import sys
from html import escape
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
    html = insert_run_box(html, run_box(page.file.src_uri, config))
    repair_toc(page.toc, html)
    # The notebook template inlines JupyterLab's whole stylesheet into every lab page. Keep the
    # rules this page can use, in a file named by its content (cached by the browser, shared by
    # the pages that need the same rules).
    css = "\n".join(m.group(1) for m in _STYLE_BLOCK.finditer(html))
    if not css:
        return html
    css = trimmed_notebook_css(css, _STYLE_BLOCK.sub("", html), _other_css_variables(config))
    name = f"assets/notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    _shared_css[name] = css
    href = "../" * page.url.count("/") + name
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


# ── How to run a lab ────────────────────────────────────────────────────────


def repository_file_url(config, rel: str) -> str | None:
    """The file's page in the repository, or None when mkdocs.yml has no ``repo_url``."""
    repo = (config.get("repo_url") or "").rstrip("/")
    if not repo:
        return None
    branch = re.match(r"(?:edit|blob|tree)/([^/]+)/", (config.get("edit_uri") or "").lstrip("/"))
    return f"{repo}/blob/{branch.group(1) if branch else 'main'}/{rel}"


def run_box(rel: str, config) -> str:
    """A lab's source and the commands that run it, as a box (left out of the search index)."""
    name = rel.rsplit("/", 1)[-1]
    module = rel.removesuffix(".py").replace("/", ".")
    plugin = config["plugins"].get("mkdocs-jupyter")
    links = []
    if plugin is None or plugin.config.get("include_source"):
        links.append(f'<a href="{name}"><code>{name}</code></a>')  # published next to the page
    repo_file = repository_file_url(config, rel)
    if repo_file:
        links.append(f'<a href="{escape(repo_file)}">in the repository</a>')
    repo = (config.get("repo_url") or "").rstrip("/")
    clone = f"git clone {escape(repo)}.git\ncd {escape(repo.rsplit('/', 1)[-1])}\n" if repo else ""
    where = "a clone of the repository" if repo else "a copy of the project"
    source = f"The code of this page: {' · '.join(links)}. " if links else ""
    return (
        '<div class="admonition example lab-run" data-search-exclude>\n'
        '<p class="admonition-title">Run this lab yourself</p>\n'
        f"<p>{source}It uses the project's checking engine, so run it in {where} "
        "(Python 3.11 and npm):</p>\n"
        # long lines wrap, on a phone too: the file name at the end is the part that matters
        f'<pre><code style="white-space: pre-wrap; overflow-wrap: anywhere">{clone}make install\n'
        f".venv/bin/jupytext --to notebook --execute {rel}</code></pre>\n"
        f"<p>That writes the executed notebook <code>{rel.removesuffix('.py')}.ipynb</code>, to "
        f"open in Jupyter; <code>.venv/bin/python -m {module}</code> runs the file as a plain "
        "script and prints every claim's verdict.</p>\n"
        "</div>\n"
    )


_FIRST_PARAGRAPH = re.compile(r"</h1>.*?</p>", re.DOTALL)
_FIRST_HEADING = re.compile(r"</h1>")


def insert_run_box(html: str, box: str) -> str:
    """The box after the lab's introduction (its first paragraph), or after its title."""
    for pattern in (_FIRST_PARAGRAPH, _FIRST_HEADING):
        match = pattern.search(html)
        if match:
            return html[: match.end()] + "\n" + box + html[match.end() :]
    return box + html


# ── The table of contents ───────────────────────────────────────────────────

_HEADING = re.compile(r'<h([1-6])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def _heading_text(inner: str) -> str:
    inner = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", inner, flags=re.DOTALL)
    return " ".join(_TAG.sub("", inner).split())


def repair_toc(toc, html: str) -> None:
    """Point each table-of-contents entry whose id is on no heading at the next heading of its
    level that starts with its title, and give it that heading's whole text.

    mkdocs-jupyter reads a notebook's headings through Python-Markdown, which leaves code spans
    out of the title and so of the slug; nbconvert's ids keep them."""
    headings = [
        (int(level), ident, _heading_text(inner)) for level, ident, inner in _HEADING.findall(html)
    ]
    ids = {ident for _, ident, _ in headings}
    position = 0

    def visit(items):
        nonlocal position
        for item in items:
            title = " ".join(_TAG.sub("", item.title).split())
            for index in range(position, len(headings)):
                level, ident, text = headings[index]
                if ident == item.id or (
                    item.id not in ids and level == item.level and text.startswith(title)
                ):
                    if ident != item.id:
                        item.id, item.title = ident, text
                    position = index + 1
                    break
            visit(item.children)

    visit(toc or [])


# ── The notebook stylesheet, cut to what a page uses ────────────────────────
#
# A rule is kept when one of its selectors matches an element of the page. Selectors are matched
# without what depends on the moment (":hover", ":focus", ...) and the pseudo-elements ("::before",
# "::-webkit-scrollbar"), which only widens the match; Material's colour scheme attribute matches
# whatever its value. Custom properties are kept when a kept declaration, the site's other
# stylesheets or the page's inline styles use them, directly or through another one.

_DYNAMIC = (
    r"(?:hover|focus|focus-visible|focus-within|active|visited|link|any-link|target|checked|"
    r"disabled|enabled|indeterminate|default|valid|invalid|in-range|out-of-range|required|"
    r"optional|placeholder-shown|autofill|read-only|read-write|fullscreen|popover-open|"
    r"horizontal|vertical|-[a-z-]+)"
)
_ARGS = r"(?:\((?:[^()]|\([^()]*\))*\))"
_PSEUDO_ELEMENT = re.compile(
    r"::?(?:before|after|first-line|first-letter|selection|placeholder|marker|backdrop|"
    r"file-selector-button|-[a-z-]+)(?![\w-])" + _ARGS + r"?(?::[\w-]+" + _ARGS + r"?)*"
)
_NOT_DYNAMIC = re.compile(r":not\((?:[^()]|\([^()]*\))*:" + _DYNAMIC + r"(?![\w-])[^()]*\)")
_DYNAMIC_PSEUDO = re.compile(r":" + _DYNAMIC + r"(?![\w-])" + _ARGS + "?")
_MATERIAL_ATTRIBUTE = re.compile(r"\[(data-md-color-[\w-]+)\s*[~|^$*]?=[^\]]*\]")
_VAR = re.compile(r"var\(\s*(--[\w-]+)")
_ANIMATION = ("animation", "animation-name", "-webkit-animation", "-webkit-animation-name")
_MATCH_SHELL = (
    '<html><body data-md-color-scheme="default" data-md-color-primary="indigo" '
    'data-md-color-accent="indigo"><div class="md-container"><main class="md-main">'
    '<div class="md-content"><article class="md-content__inner md-typeset">{}</article></div>'
    "</main></div></body></html>"
)
# Material wraps a content table in these two divs when the page loads.
_TABLE = re.compile(r"<table\b(?![^>]*\bclass=)[^>]*>.*?</table>", re.DOTALL)


def _selectors(prelude: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in prelude:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [" ".join(part.split()) for part in parts]


def _matchable(selector: str) -> str:
    selector = _PSEUDO_ELEMENT.sub("", selector)
    selector = _NOT_DYNAMIC.sub("", selector)
    selector = _DYNAMIC_PSEUDO.sub("", selector)
    selector = _MATERIAL_ATTRIBUTE.sub(r"[\1]", selector)
    # a compound left empty ("a > :hover" -> "a > ") stands for any element
    selector = re.sub(r"([>+~])\s*(?=$|[>+~])", r"\1 * ", selector).strip()
    return re.sub(r"^([>+~])", r"* \1", selector) or "*"


def _required_names(selector: str) -> set[str] | None:
    """Classes, ids, attributes and tags an element must carry for the selector to match (None:
    not worked out, escapes)."""
    if "\\" in selector:
        return None
    while True:  # arguments of :not(), :is(), :nth-child() ... require nothing for sure
        reduced = re.sub(r"\([^()]*\)", "", selector)
        if reduced == selector:
            break
        selector = reduced
    selector = re.sub(r"\[([\w-]+)[^\]]*\]", r"[\1 ", selector)
    names = {"." + c for c in re.findall(r"\.([\w-]+)", selector)}
    names |= {"#" + c for c in re.findall(r"#([\w-]+)", selector)}
    names |= {"[" + a.lower() for a in re.findall(r"\[([\w-]+)", selector)}
    names |= {t.lower() for t in re.findall(r"(?:^|[\s>+~])([a-zA-Z][\w-]*)", selector)}
    return names


def _last_compound(selector: str) -> str:
    """``.a > .b:not(.c d) .e.f`` -> ``.e.f``: the part the matched element itself must meet."""
    depth, start = 0, 0
    for index, char in enumerate(selector):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0 and char in " >+~":
            start = index + 1
    return selector[start:]


class _Page:
    """A page's markup, parsed once, for matching selectors."""

    def __init__(self, html: str):
        from bs4 import BeautifulSoup

        html = _TABLE.sub(
            lambda m: (
                '<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
                + m.group(0)
                + "</div></div>"
            ),
            html,
        )
        self.soup = BeautifulSoup(_MATCH_SHELL.format(html), "html.parser")
        self.inline_variables: set[str] = set()
        # the elements that carry each class, tag, attribute and id ("." "" "[" "#" + name)
        self.carriers: dict[str, list] = {}
        for element in self.soup.find_all(True):
            names = {element.name.lower()}
            names.update("." + c for c in element.get("class", []))
            names.update("[" + a.lower() for a in element.attrs)
            if element.get("id"):
                names.add("#" + element["id"])
            for name in names:
                self.carriers.setdefault(name, []).append(element)
            if element.get("style"):
                self.inline_variables.update(_VAR.findall(element["style"]))
        self.names = set(self.carriers)
        self._seen: dict[str, bool] = {}

    def can_match(self, selector: str) -> bool:
        if selector not in self._seen:
            self._seen[selector] = self._match(selector)
        return self._seen[selector]

    def _match(self, selector: str) -> bool:
        import soupsieve

        selector = _matchable(selector)
        required = _required_names(selector)
        if required is not None and not required <= self.names:
            return False
        try:
            compiled = soupsieve.compile(selector)
        except (soupsieve.SelectorSyntaxError, NotImplementedError, ValueError):
            return True  # a selector soupsieve does not know: keep its rule
        # only the elements that carry what the last compound asks for can be the subject
        subject = _required_names(_last_compound(selector)) if required is not None else None
        if subject:
            candidates = min((self.carriers[name] for name in subject), key=len)
            return any(compiled.match(element) for element in candidates)
        return compiled.select_one(self.soup) is not None


def _trim_rules(rules, page: _Page) -> list:
    """[(prelude, declarations or nested list or raw rule, kind)] of the rules that can match."""
    import tinycss2

    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = _selectors(tinycss2.serialize(rule.prelude))
            matching = [s for s in selectors if page.can_match(s)]
            if not matching:
                continue
            # A list with a vendor pseudo-class ("::-moz-selection") is dropped whole by the other
            # browsers: keep such a list whole, so that it stays dropped.
            prelude = ",".join(selectors if any(":-" in s for s in selectors) else matching)
            body = tinycss2.parse_blocks_contents(
                rule.content, skip_comments=True, skip_whitespace=True
            )
            if all(item.type == "declaration" for item in body):
                kept.append(("rule", prelude, body))
            else:  # nested rules: kept as written
                kept.append(("raw", prelude, tinycss2.serialize(rule.content)))
        elif rule.type == "at-rule":
            keyword = rule.lower_at_keyword
            head = f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude).rstrip()}"
            if keyword in ("media", "supports", "container", "layer") and rule.content:
                inner = tinycss2.parse_blocks_contents(
                    rule.content, skip_comments=True, skip_whitespace=True
                )
                nested = _trim_rules(inner, page)
                if nested:
                    kept.append(("block", head, nested))
            elif keyword.endswith("keyframes"):
                kept.append(("keyframes", tinycss2.serialize(rule.prelude).strip(), rule))
            elif keyword != "charset":
                kept.append(("at", head, rule))
    return kept


def _walk(kept):
    for kind, head, body in kept:
        if kind == "block":
            yield from _walk(body)
        else:
            yield kind, head, body


def trim_notebook_css(css: str, html: str, other_variables: frozenset[str] = frozenset()) -> str:
    """The rules of ``css`` that can apply to ``html`` (a page's content), minified; the custom
    properties they (or ``other_variables``' users) need; the keyframes their animations name."""
    import tinycss2

    page = _Page(html)
    kept = _trim_rules(_parsed_stylesheet(css), page)

    definitions: dict[str, list[str]] = {}
    wanted = set(other_variables) | page.inline_variables
    animations: set[str] = set()
    for kind, _, body in _walk(kept):
        if kind == "rule":
            for declaration in body:
                value = tinycss2.serialize(declaration.value)
                if declaration.name.startswith("--"):
                    definitions.setdefault(declaration.name, []).append(value)
                else:
                    wanted.update(_VAR.findall(value))
                    if declaration.lower_name in _ANIMATION:
                        animations.update(re.findall(r"[\w-]+", value))
        elif kind == "raw":
            wanted.update(_VAR.findall(body))
    live, pending = set(), list(wanted)
    while pending:
        name = pending.pop()
        if name not in live:
            live.add(name)
            for value in definitions.get(name, []):
                pending.extend(_VAR.findall(value))

    def serialize(kept) -> list[str]:
        out = []
        for kind, head, body in kept:
            if kind == "rule":
                declarations = [
                    f"{d.name}:{tinycss2.serialize(d.value).strip()}"
                    + ("!important" if d.important else "")
                    for d in body
                    if not d.name.startswith("--") or d.name in live
                ]
                if declarations:
                    out.append(f"{head}{{{';'.join(declarations)}}}")
            elif kind == "raw":
                out.append(f"{head}{{{body}}}")
            elif kind == "block":
                inner = serialize(body)
                if inner:
                    out.append(f"{head}{{{''.join(inner)}}}")
            elif kind == "keyframes":
                if head in animations:
                    out.append(tinycss2.serialize([body]))
            else:
                out.append(tinycss2.serialize([body]))
        return out

    rules = serialize(kept)
    # a rule written again later, word for word, is the one that counts: drop the earlier copy
    last = {rule: index for index, rule in enumerate(rules)}
    text = "\n".join(rule for index, rule in enumerate(rules) if last[rule] == index) + "\n"
    return ('@charset "UTF-8";\n' + text) if not text.isascii() else text


@functools.lru_cache(maxsize=2)
def _parsed_stylesheet(css: str) -> tuple:
    import tinycss2

    return tuple(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True))


TRIMMED_DIR = ROOT / ".cache" / "lab-css"
TRIMMED_KEEP = 64  # cached stylesheets kept, the most recently used


def trimmed_notebook_css(css: str, html: str, other_variables: frozenset[str]) -> str:
    """``trim_notebook_css``, cached on disk by everything it reads (this file included): a
    warm build does not match thousands of selectors against every lab page again."""
    key = hashlib.sha256()
    for part in (Path(__file__).read_bytes(), css.encode(), html.encode()):
        key.update(hashlib.sha256(part).digest())
    key.update(" ".join(sorted(other_variables)).encode())
    path = TRIMMED_DIR / f"{key.hexdigest()[:32]}.css"
    try:
        text = path.read_text(encoding="utf-8")
        os.utime(path)
        return text
    except OSError:
        pass
    text = trim_notebook_css(css, html, other_variables)
    try:
        TRIMMED_DIR.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
        cached = sorted(TRIMMED_DIR.glob("*.css"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in cached[TRIMMED_KEEP:]:
            old.unlink(missing_ok=True)
    except OSError as exc:  # a cache that cannot be written costs time, not the build
        log.info("lab stylesheet not cached: %s", exc)
    return text


_other_variables: dict[str, frozenset[str]] = {}


def _other_css_variables(config) -> frozenset[str]:
    """Custom properties used by the theme's stylesheets and ``extra_css``: a definition in the
    notebook CSS they read must stay."""
    key = str(config.get("config_file_path"))
    if key not in _other_variables:
        paths = []
        for folder in config["theme"].dirs:
            paths += Path(folder, "assets", "stylesheets").glob("*.css")
        docs = Path(config["docs_dir"])
        for entry in config.get("extra_css") or []:
            paths.append(docs / str(entry))
        names: set[str] = set()
        for path in paths:
            if path.is_file():
                names.update(_VAR.findall(path.read_text(encoding="utf-8", errors="replace")))
        _other_variables[key] = frozenset(names)
    return _other_variables[key]
