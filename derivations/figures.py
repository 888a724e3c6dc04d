"""Build-time figures: functions that draw on a matplotlib ``ax``, registered with alt text.

    @figure("gradients.level_sets", alt="Ellipses ... arrows ...", caption="Level sets ...")
    def level_sets(ax): ...

A page shows one with ``{{ figure("gradients.level_sets") }}``; the site hook renders it to SVG
at build time. Registering draws nothing; matplotlib is imported only when rendering.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass


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
