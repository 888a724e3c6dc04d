"""Run every applicable layer on a claim and combine them into one verdict."""

from __future__ import annotations

import time

from . import exact, numeric, symbolic
from .claims import Claim
from .concrete import ConcretiseError
from .report import LayerResult, Result, combine
from .sampling import SamplingError


def verify(claim: Claim, salt: str = "", symbolic_result: LayerResult | None = None) -> Result:
    """Verdict for ``claim``; ``salt`` changes the random points (the fixed CI seeds use "").

    The symbolic layer draws no random points: a seed sweep computes it once per claim and
    passes it in as ``symbolic_result``.
    """
    start = time.perf_counter()
    layers: list[LayerResult] = []
    for name, layer in (
        ("symbolic", lambda c: symbolic_result or symbolic.check(c)),
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


def verify_topic(topic: str, registry=None) -> list[Result]:
    """Verify every claim whose id starts with ``topic.``, print one line each, and fail loudly
    (AssertionError, which fails the lab page's build) if a verdict is not the expected one."""
    from .declare import REGISTRY

    claims = [c for c in (registry or REGISTRY) if c.id.startswith(f"{topic}.")]
    width = max((len(c.id) for c in claims), default=0) + 2
    results = []
    for claim in claims:
        result = verify(claim)
        results.append(result)
        print(f"{claim.id:<{width}} {result.verdict:<12} (expected {claim.expected})")
    unexpected = [r.claim_id for r in results if not r.ok]
    assert claims, f"no claims with ids starting {topic}."
    assert not unexpected, f"unexpected verdicts: {unexpected}"
    return results
