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


def verify_topic(topic: str, registry=None) -> dict[str, str]:
    """Verify every claim whose id starts with ``topic.``, print one line each, and fail loudly
    (AssertionError, which fails the lab page's build) if a verdict is not the expected one.

    During a site build, ``DERIVATIONS_VERDICTS`` names the directory where the build has just
    stored the verdicts of these very sources (the file is named by their hash): those are
    reused rather than computed twice. Run by a reader, every claim is verified here.
    """
    from .declare import REGISTRY

    claims = [c for c in (registry or REGISTRY) if c.id.startswith(f"{topic}.")]
    assert claims, f"no claims with ids starting {topic}."
    stored = _build_verdicts() if registry is None else {}
    if stored:
        print("(verdicts of this build's verification run, for these exact sources)")
    width = max(len(c.id) for c in claims) + 2
    verdicts = {}
    for claim in claims:
        verdict = stored[claim.id]["verdict"] if claim.id in stored else verify(claim).verdict
        verdicts[claim.id] = verdict
        print(f"{claim.id:<{width}} {verdict:<12} (expected {claim.expected})")
    unexpected = [c.id for c in claims if verdicts[c.id] != c.expected]
    assert not unexpected, f"unexpected verdicts: {unexpected}"
    return verdicts


def _build_verdicts() -> dict:
    import json
    import os
    from pathlib import Path

    from ..catalogue import source_fingerprint

    directory = os.environ.get("DERIVATIONS_VERDICTS")
    if not directory:
        return {}
    path = Path(directory) / f"{source_fingerprint()}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
