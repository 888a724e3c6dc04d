"""Search: what the site's search index holds and how it ranks.

Material's search plugin reads each page's HTML in ``on_page_context`` and writes
``search/search_index.json`` in ``on_post_build`` (priority 0); with ``mkdocs-offline.yml`` its
offline plugin then copies that file into ``search/search_index.js`` (``on_post_build``,
priority -100). So everything here happens in between, and reaches both builds:

* ``on_page_context`` (after the search plugin, priority -10): the entries it has just made for
  the page are made again from ``search_terms.clean_html(page.content)``: no claim boxes (each
  claim has its own entry, below), no lab code cells or outputs, no evidence lists or report
  links, formulas as plain text instead of TeX. The page the reader gets is unchanged. A lab
  page keeps the first paragraph of each section and ranks low (``LAB_BOOST``), so a topic
  search finds its chapter first; the pitfalls page and the claim index, which repeat the
  chapters, rank a little lower than a chapter. The changelog keeps its introduction and version
  titles, the sources page its descriptions (not the item lists that repeat claim titles), the
  claim index its introductions (not the tables).
* ``on_post_build``, before the search plugin writes (priority 10): one entry per claim,
  ``page#claim-id``, from ``search_terms.claim_entry``: the claim's title, its statement as
  text, and a ``keys`` field (indexed, not shown) with its id, the formula's spellings and
  curated keywords. A claim id typed in the search box lands on the claim.
* ``on_post_build``, after it wrote (priority -50): the index as UTF-8 instead of ``\\uXXXX``.
* ``javascripts/search-query.js`` (``search_terms.QUERY_SCRIPT``) rewrites what the reader types
  before Material's search worker reads it: "x^T A x", "x'Ax" become ``xTAx``.

Words are split as mkdocs.yml's ``search: separator`` says (not at ``.`` or ``_``, so a claim
id stays one word); the index is budgeted (tests/test_search.py) because every page's first
visit downloads it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

from mkdocs.plugins import CombinedEvent, event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from derivations import catalogue, lock  # noqa: E402
from derivations.engine import latex  # noqa: E402
from derivations.render import search_terms  # noqa: E402

QUERY_SCRIPT_URI = "javascripts/search-query.js"
LAB_BOOST = 0.2  # a lab's prose is found, below the chapter it accompanies
# pages that repeat what the chapters say: the pitfall boxes, the claim index
BOOSTS = {"pitfalls.md": 0.3, "claims.md": 0.3, "reference.md": 0.3}
PITFALL_BOOST = 0.5  # a wrong formula ranks below the right one it is confused with
KEYS_FIELD = {"boost": 1000.0}  # the claims' spellings weigh as much as a title
# what some pages keep: "intro" only the text before their first section; "drop" elements left
# out of their entries (search_terms.clean_html)
PAGE_RULES: dict[str, dict] = {
    "changelog.md": {"intro": True},  # per version, every claim id added: the claims' own entries
    "sources.md": {"drop": frozenset({"ul"})},  # the item lists repeat claim titles
    "claims.md": {"drop": frozenset({"table"})},  # the claims' own entries supersede the index
    "pitfalls.md": {"drop": frozenset({"div.arithmatex"})},  # each formula is its claim's entry
}
_state: dict = {"urls": {}}


def _search_plugin(config):
    """Material's search plugin, when the site has it enabled."""
    for name in ("material/search", "search"):
        plugin = config["plugins"].get(name)
        if plugin is not None and hasattr(plugin, "search_index"):
            return plugin if plugin.config.get("enabled", True) else None
    return None


def on_config(config):
    _state["urls"] = {}
    if "search" in config["plugins"] or "material/search" in config["plugins"]:
        scripts = [str(s) for s in config["extra_javascript"]]
        if QUERY_SCRIPT_URI not in scripts:
            config["extra_javascript"].append(QUERY_SCRIPT_URI)
    return config


def on_files(files, config):
    wanted = QUERY_SCRIPT_URI in [str(s) for s in config["extra_javascript"]]
    if wanted and files.get_file_from_path(QUERY_SCRIPT_URI) is None:
        files.append(File.generated(config, QUERY_SCRIPT_URI, content=search_terms.QUERY_SCRIPT))
    return files


def _on_page(location: str, url: str) -> bool:
    return location == url or location.startswith(url + "#")


def _is_lab(src: str) -> bool:
    return src.endswith((".py", ".ipynb"))  # an executed notebook (mkdocs-jupyter)


def _kind(src: str) -> str:
    """The key of a page in ``PAGE_RULES`` and ``BOOSTS``: a chapter's claim index page is the
    claim index, and each page of the identity reference is the reference."""
    if src.startswith("claims/"):
        return "claims.md"
    # the identity reference lists what the chapters teach: a chapter first, the list after it
    return "reference.md" if src.startswith("reference/") else src


@event_priority(-10)  # after the search plugin has indexed the page
def on_page_context(context, page, config, nav):
    src = page.file.src_uri
    _state["urls"][src] = page.url
    plugin = _search_plugin(config)
    if plugin is None or (page.meta.get("search") or {}).get("exclude"):
        return context
    index = plugin.search_index
    index.entries = [e for e in index.entries if not _on_page(e["location"], page.url)]
    first = len(index.entries)
    rules = PAGE_RULES.get(_kind(src), {})
    lab = _is_lab(src)
    cleaned = search_terms.clean_html(
        page.content or "", rules.get("drop", frozenset()), flatten=lab
    )
    index.add_entry_from_context(
        SimpleNamespace(
            content=cleaned, toc=page.toc, url=page.url, meta=page.meta, title=page.title
        )
    )
    boost = LAB_BOOST if lab else BOOSTS.get(_kind(src))
    for entry in index.entries[first:]:
        if boost is not None:
            entry.setdefault("boost", boost)
        if rules.get("intro") and "#" in entry["location"]:
            entry["text"] = ""
    if lab:  # the lab's prose, shortly: a section of only code is no result
        for entry in index.entries[first:]:
            entry["text"] = search_terms.first_paragraph(entry["text"])
        index.entries[first:] = [
            e for e in index.entries[first:] if e["text"] or "#" not in e["location"]
        ]
    return context


@event_priority(10)  # before the search plugin writes the index
def _add_claims(config):
    plugin = _search_plugin(config)
    if plugin is None:
        return
    index = plugin.search_index
    index.config["fields"].setdefault("keys", dict(KEYS_FIELD))
    index.entries.extend(claim_entries(config))


@event_priority(-50)  # after the search plugin has written the index, before offline copies it
def _unescaped(config):
    """The index as UTF-8 (Material writes ∇ as \\u2207: 6 bytes for 3, 1 KB gzip)."""
    if _search_plugin(config) is None:
        return
    path = Path(config["site_dir"]) / "search" / "search_index.json"
    if path.exists():
        data = json.loads(path.read_text(encoding="utf-8"))
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        path.write_text(text, encoding="utf-8")


on_post_build = CombinedEvent(_add_claims, _unescaped)


def claim_entries(config) -> list[dict]:
    """One index entry per claim shown on a built page, at ``page#claim-id``; one per retired
    id, at the note its old page keeps."""
    registry = catalogue.load_claims()
    pages = catalogue.claim_pages(Path(config["docs_dir"]))
    entries = []
    for claim in registry:
        url = _state["urls"].get(pages.get(claim.id, ""))
        if url is None:
            continue  # not on any page this build made (a fixture site)
        entry = search_terms.claim_entry(claim, latex.statement(claim), f"{url}#{claim.id}")
        if claim.pitfall:
            entry["boost"] = PITFALL_BOOST
        elif _kind(pages[claim.id]) in BOOSTS:
            entry["boost"] = BOOSTS[_kind(pages[claim.id])]  # a claim listed in the reference
        entries.append(entry)
    for claim_id, retired in lock.read().get("retired", {}).items():
        url = _state["urls"].get(retired.get("page", ""))
        if url is not None:
            entries.append(search_terms.retired_entry(claim_id, retired, f"{url}#{claim_id}"))
    return entries
