"""Plot helpers shared by lab pages and build-time figures. Each takes an ``ax``; nothing is
drawn at import."""

from __future__ import annotations

import numpy as np


def level_sets_with_gradients(ax, f, grad, extent=2.0, levels=6, arrows=12):
    """Contours of ``f`` on a square and gradient arrows on one of the level sets."""
    g = np.linspace(-extent, extent, 201)
    xx, yy = np.meshgrid(g, g)
    zz = np.array([[f(np.array([a, b])) for a in g] for b in g])
    ax.contour(xx, yy, zz, levels=levels, linewidths=1.0, cmap="viridis")
    angles = np.linspace(0, 2 * np.pi, arrows, endpoint=False)
    target = np.quantile(zz, 0.15)
    for t in angles:
        d = np.array([np.cos(t), np.sin(t)])
        r = np.sqrt(target / f(d))
        p = r * d
        v = grad(p)
        v = 0.35 * v / np.linalg.norm(v)
        ax.annotate("", xy=p + v, xytext=p,
                    arrowprops={"arrowstyle": "->", "color": "#c2185b", "lw": 1.2})
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    return ax
