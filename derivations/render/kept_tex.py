"""Printed TeX kept between builds.

Printing a claim's formulas with sympy is a function of the sources alone, and the largest
cost of a warm build after the Markdown itself. A build keeps what it printed in one JSON file
named by the hash of every source file (the same key as the verdicts), and the next build of
the same sources takes it back for the same claims instead of printing again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..engine import latex


def reuse(registry, path: Path) -> int:
    """Take the printings kept in ``path`` for ``registry``'s claims; how many there were."""
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0  # no file, or an unreadable one: print afresh
    if not isinstance(kept, dict):
        return 0
    latex.reuse_printings(registry, kept)
    return sum(len(v) for v in kept.values() if isinstance(v, dict))


def keep(registry, path: Path, known: int) -> None:
    """Write this build's printings to ``path`` when it printed more than it found there."""
    printed = latex.printings(registry)
    if sum(len(v) for v in printed.values()) <= known:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")  # concurrent builds never read half
    partial.write_text(json.dumps(printed, sort_keys=True), encoding="utf-8")
    os.replace(partial, path)
