"""Build-time figures: functions that draw on a matplotlib ``ax``, registered with alt text.

    @figure("gradients.level_sets", alt="Ellipses ... arrows ...", caption="Level sets ...")
    def level_sets(ax): ...

A page shows one with ``{{ figure("gradients.level_sets") }}``; the site hook renders it to SVG
at build time. Registering draws nothing; matplotlib is imported only when rendering.
"""

from __future__ import annotations

import html
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Figure:
    id: str
    draw: Callable
    alt: str
    caption: str
    size: tuple[float, float] = (5.0, 3.6)


FIGURES: dict[str, Figure] = {}


def figure(fig_id: str, *, alt: str, caption: str, size: tuple[float, float] = (5.0, 3.6)):
    """Register ``draw(ax)`` (or ``draw(fig)`` when it takes a figure) under ``fig_id``."""
    if not alt.strip():
        raise ValueError(f"figure {fig_id!r} needs alt text")

    def register(draw: Callable) -> Callable:
        existing = FIGURES.get(fig_id)
        if existing is not None and existing.draw.__qualname__ != draw.__qualname__:
            raise ValueError(f"figure id {fig_id!r} is registered twice")
        FIGURES[fig_id] = Figure(fig_id, draw, alt.strip(), caption.strip(), size)
        return draw

    return register


def render_svg(fig_id: str) -> str:
    """Draw the figure and return deterministic SVG text (fixed hash salt, no date)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    spec = FIGURES[fig_id]
    with matplotlib.rc_context({"svg.hashsalt": fig_id, "svg.fonttype": "path", "font.size": 10}):
        fig, ax = plt.subplots(figsize=spec.size, layout="constrained")
        try:
            spec.draw(ax)
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", metadata={"Date": None}, transparent=True)
        finally:
            plt.close(fig)
    return buffer.getvalue()


def _drawn_by_the_build(fig_id: str) -> bool:
    """Has a site build just drawn this figure for these exact sources (False outside one)?

    The build names its figure directory in ``DERIVATIONS_FIGURES`` (hooks/labs.py), one
    subdirectory per hash of every source (``catalogue.source_fingerprint``)."""
    directory = os.environ.get("DERIVATIONS_FIGURES")
    if not directory:
        return False
    from .catalogue import source_fingerprint

    return (Path(directory) / source_fingerprint() / f"{fig_id}.svg").is_file()


def figure_html(fig_id: str) -> str:
    """The figure for a lab page, with its alt text and caption.

    In a site build the lab shows the file the build has drawn for the chapter
    (``figures/<id>.svg``, one download for both pages; the labs hook makes the address
    relative to the page, and the browser fetches it when it scrolls near); anywhere else (a
    reader's Jupyter) it is inline SVG.
    """
    spec = FIGURES[fig_id]
    alt = html.escape(spec.alt, quote=True)
    caption = f"<figcaption>{html.escape(spec.caption)}</figcaption>"
    if _drawn_by_the_build(fig_id):
        return (
            f'<figure class="lab-figure"><img data-site-figure src="figures/{fig_id}.svg" '
            f'alt="{alt}" loading="lazy">{caption}</figure>'
        )
    svg = render_svg(fig_id)
    svg = svg[svg.index("<svg") :]  # no XML declaration or DOCTYPE inside HTML
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{alt}" ', 1)
    return f'<figure class="lab-figure">{svg}{caption}</figure>'


class _LabFigure:
    def __init__(self, fig_id: str):
        self.id = fig_id

    def _repr_html_(self) -> str:
        return figure_html(self.id)

    def __repr__(self) -> str:
        return f"[figure {self.id}: {FIGURES[self.id].alt}]"


def show(*fig_ids: str) -> None:
    """Show registered figures: inline SVG in a notebook (and on the lab page), a matplotlib
    window when the lab runs as a script."""
    for fig_id in fig_ids:
        if fig_id not in FIGURES:
            raise KeyError(f"unknown figure id {fig_id!r}; known: {', '.join(sorted(FIGURES))}")
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # a plain Python without IPython
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        for fig_id in fig_ids:
            display(_LabFigure(fig_id))
        return
    import matplotlib.pyplot as plt

    for fig_id in fig_ids:
        spec = FIGURES[fig_id]
        _, ax = plt.subplots(figsize=spec.size, layout="constrained")
        spec.draw(ax)
    plt.show()
