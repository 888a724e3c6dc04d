"""Claims as Markdown/HTML for the site, with nothing of the site generator in it.

    ctx = Context(registry, result, pages, ...)   # what the build knows (context.py)
    claim_box(ctx, "gradients.quadratic_form", "chapters/gradients.md")
    eq(ctx, "gradients.quadratic_form", "chapters/gradients.md", "rhs")

Modules: ``context`` (the build's view, ``RenderError``, links), ``box`` (claim boxes, retired
claims, figures), ``inline`` (``ref`` and ``eq``), ``values`` (counterexamples), ``sources``
(source codes in words, the Sources page), ``blocks`` (admonitions holding boxes, as HTML),
``pages`` (claim index, pitfalls, changelog, BibTeX).
The hook in ``hooks/claims.py`` finds the markers and turns ``RenderError`` into a build error.
"""

from .blocks import claim_containers_as_html
from .box import claim_box, figure_block, retired_notes
from .context import Context, RenderError
from .inline import FORMS, eq, ref
from .pages import bibtex, changelog, claim_index, claim_index_pages, pitfalls
from .sources import sources_page
from .values import counterexample_html

__all__ = [
    "FORMS",
    "Context",
    "RenderError",
    "bibtex",
    "changelog",
    "claim_box",
    "claim_containers_as_html",
    "claim_index",
    "claim_index_pages",
    "counterexample_html",
    "eq",
    "figure_block",
    "pitfalls",
    "ref",
    "retired_notes",
    "sources_page",
]
