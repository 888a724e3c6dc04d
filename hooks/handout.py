"""The print handout: mkdocs-print-site-plugin's one-page copy of the chapters, made whole.

The plugin flattens every page into ``print_page/`` and prefixes heading ids with the page's key
(``chapters-gradients-...``), but it leaves two kinds of link pointing nowhere:

* claim boxes carry their id on a ``<div>``, which the plugin does not rename, while links to
  them are renamed (``#chapters-gradients-gradients.quadratic_form``): such links are pointed
  back at the (site-wide unique) claim id;
* links to pages left out of the handout (labs, verification, ...) become anchors of sections
  that do not exist: they are pointed at the page itself, relative to the print page.

The plugin renders the print page with the context of ``404.html``, whose ``base_url`` is the
absolute path of ``site_url`` (``/verified/``): Material would look for the search index and keep
its settings there, which fails anywhere else (a local server, ``file://``). The print page gets
the relative base every other page has.

The claim boxes' evidence lists and report links are screen-only: the handout leaves them out.
How the handout (and any chapter page) falls on paper is docs/stylesheets/print.css's: boxes and
formulas kept whole, headings with what follows, no page to itself for the "Chapters" part title;
docs/javascripts/math.js typesets whatever is left when printing starts.

A nav section whose pages are all excluded (the labs) would print as an empty heading; it is
dropped from the handout (not from the site's navigation). A link written in Markdown as
``<a class="print-handout" href="...">`` gets the print page's URL relative to its page, so the
same Markdown works in the served site and in the ``file://`` offline build.
"""

from __future__ import annotations

import copy
import logging
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from derivations.render.whitespace import collapse  # noqa: E402

log = logging.getLogger("mkdocs.hooks.handout")
_state: dict = {"pages": {}}
_HREF = re.compile(r'href="#([^"]*)"')
_ID = re.compile(r"""\bid=["']([^"']+)["']""")
_HANDOUT_LINK = re.compile(r'<a class="print-handout" href="[^"]*"')
# Paper has no use for the evidence drop-down or the report link (both hidden in print by
# claims.css); leaving them out keeps the one-page handout under 600 KB.
# So do the headings' permalink marks and the check marks after inline formulas (links to
# evidence). The verified badge of every box is drawn by claims.css on the handout
# (#print-site-page) instead of repeated 400 times in its HTML.
_SCREEN_ONLY = re.compile(
    r'<details class="claim__evidence">.*?</details>\n?'  # the report link is inside it
    r'|<a class="headerlink" [^>]*>[^<]*</a>'
    r'|<span class="claim__badge claim__badge--verified"[^>]*>[^<]*</span>'
    r'|<sup class="claim-eq__check">.*?</sup>',
    re.DOTALL,
)


def _plugin(config):
    plugin = config["plugins"].get("print-site")
    if plugin is None or not plugin.config.get("enabled"):
        return None
    return plugin


def _prune(items, excluded):
    """The nav items as the handout sees them: sections left with no printed page dropped."""
    from mkdocs_print_site_plugin.exclude import exclude

    out = []
    for item in items:
        if item.is_section:
            children = _prune(item.children, excluded)
            if children:
                section = copy.copy(item)
                section.children = children
                out.append(section)
        elif item.is_page and item.file is not None and exclude(item.file.src_path, excluded):
            continue
        else:
            out.append(item)
    return out


@event_priority(-50)  # after print-site's own on_nav has recorded the items
def on_nav(nav, config, files):
    plugin = _plugin(config)
    if plugin is None:
        return nav
    from mkdocs_print_site_plugin.urls import get_page_key

    excluded = plugin.config.get("exclude", [])
    plugin.renderer.items = _prune(plugin.renderer.items, excluded)
    _state["pages"] = {get_page_key(p.url): p.url for p in nav.pages if p.file is not None}
    return nav


@event_priority(50)  # before print-site keeps a copy of the page's HTML
def on_page_content(html, page, config, files):
    plugin = _plugin(config)
    if plugin is None or 'class="print-handout"' not in html:
        return html
    url = get_relative_url(plugin.print_page.file.url, page.file.url)
    return _HANDOUT_LINK.sub(f'<a class="print-handout" href="{url}"', html)


def fix_links(text: str, pages: dict[str, str], print_url: str) -> tuple[str, list[str]]:
    """Point every in-page link of the print page at an element that exists; return the rest."""
    ids = set(_ID.findall(text))
    keys = sorted(pages, key=len, reverse=True)  # the longest page key that matches wins
    unresolved: list[str] = []

    def target(match: re.Match) -> str:
        anchor = match.group(1)
        if anchor in ids:
            return match.group(0)
        for key in keys:
            if anchor != key and not anchor.startswith(key + "-"):
                continue
            rest = anchor[len(key) + 1 :]
            if rest in ids:  # a claim box: its id was kept as it is
                return f'href="#{rest}"'
            if key not in ids:  # a page that is not in the handout: link to it on the site
                url = get_relative_url(pages[key], print_url)
                return f'href="{url}{"#" + rest if rest else ""}"'
        unresolved.append(anchor)
        return match.group(0)

    return _HREF.sub(target, text), unresolved


@event_priority(50)  # before print-site renders the page with the context it kept
def _relative_base(config):
    plugin = _plugin(config)
    if plugin is None or not plugin.context:
        return
    base = get_relative_url(".", plugin.print_page.file.url)
    plugin.context = {**plugin.context, "base_url": base}  # a copy: 404.html keeps its own


@event_priority(-50)  # after print-site has written the page, before the offline plugin
def _whole_links(config):
    plugin = _plugin(config)
    if plugin is None:
        return
    path = Path(plugin.print_page.file.abs_dest_path)
    if not path.exists():
        raise PluginError(f"the print page {path} was not written")
    text = _SCREEN_ONLY.sub("", path.read_text(encoding="utf-8"))
    text, unresolved = fix_links(text, _state["pages"], plugin.print_page.file.url)
    path.write_text(collapse(text), encoding="utf-8")  # written after on_post_page: squeeze here
    if unresolved:  # a warning, so `--strict` fails the build
        log.warning("print page: links to missing anchors: %s", ", ".join(sorted(set(unresolved))))


on_post_build = CombinedEvent(_relative_base, _whole_links)
