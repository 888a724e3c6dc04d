"""Run every applicable layer on a claim and combine them into one verdict."""

from __future__ import annotations

import time

from . import exact, numeric, symbolic
from .claims import Claim
from .concrete import ConcretiseError
from .report import LayerResult, Result, combine
from .sampling import SamplingError


def verify(claim: Claim, salt: str = "") -> Result:
    """Verdict for ``claim``; ``salt`` changes the random points (the fixed CI seeds use "")."""
    start = time.perf_counter()
    layers: list[LayerResult] = []
    for name, layer in (
        ("symbolic", lambda c: symbolic.check(c)),
        ("exact", lambda c: exact.check(c, salt)),
        ("numeric", lambda c: numeric.check(c, salt)),
    ):
        try:
            layers.append(layer(claim))
        except (ConcretiseError, SamplingError, ZeroDivisionError, ValueError, TypeError) as exc:
            layers.append(
                LayerResult(layer=name, status="undecided", detail=f"{type(exc).__name__}: {exc}")
            )
    verdict, reason = combine(layers)
    return Result(
        claim_id=claim.id,
        verdict=verdict,
        expected=claim.expected,
        seconds=time.perf_counter() - start,
        layers=layers,
        reason=reason,
    )
