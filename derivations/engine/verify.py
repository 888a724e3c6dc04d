"""Run every applicable layer on a claim and combine them into one verdict."""

from __future__ import annotations

import time

from . import display, exact, identity, numeric, symbolic
from .claims import Claim
from .concrete import ConcretiseError
from .report import LayerResult, Result, combine
from .sampling import SamplingError


def verify(
    claim: Claim,
    salt: str = "",
    symbolic_result: LayerResult | None = None,
    identity_first: bool = False,
) -> Result:
    """Verdict for ``claim``; ``salt`` changes the random points (the fixed CI seeds use "").

    The symbolic layer draws no random points: a seed sweep computes it once per claim and
    passes it in as ``symbolic_result``.

    ``identity_first`` (the ``check`` command) runs the identity test before anything else: when
    it decides (a pass with its stated error bound, or a rigorous counterexample), the symbolic
    and exact layers, whose cost grows with the size of the expressions, are not run; the
    verdict then costs the same on a busy machine as on a quiet one. Otherwise the layers run
    as below and the identity test's note joins the evidence as skipped.
    """
    start = time.perf_counter()
    note = None
    if identity_first:
        decided = _identity_decides(claim, salt, start)
        if isinstance(decided, Result):
            return decided
        note = decided
    order = [
        ("symbolic", lambda c: symbolic_result or symbolic.check(c)),
        ("exact", lambda c: exact.check(c, salt)),
        ("numeric", lambda c: numeric.check(c, salt)),
    ]
    if identity_first:  # the quick layers first: a counterexample refutes without the symbolic
        order = order[1:] + order[:1]
    layers: list[LayerResult] = []
    for name, layer in order:
        if identity_first and name == "symbolic":
            _confirm_numeric_exactly(claim, layers)  # exact and numeric have run: confirm here
            if combine(layers)[0] == "refuted":
                layers.append(LayerResult(layer=name, status="skipped",
                                          detail="not needed: a counterexample was found"))  # fmt: skip
                continue
        try:
            layers.append(layer(claim))
        except (ConcretiseError, SamplingError, ZeroDivisionError, ValueError, TypeError) as exc:
            layers.append(
                LayerResult(layer=name, status="undecided", detail=f"{type(exc).__name__}: {exc}")
            )
    if not identity_first:  # (with identity_first it ran before the symbolic layer)
        _confirm_numeric_exactly(claim, layers)
    if identity_first and note is not None:
        layers.insert(0, note)
    verdict, reason = combine(layers)
    shown = _display_layer(claim)
    if shown is not None:
        layers.append(shown)
        if shown.status != "pass":
            # the page would show something other than what was checked: never the expected
            # verdict, for a pitfall (expected refuted) as much as for a result
            verdict, reason = "inconclusive", shown.detail
        else:
            reason += "; the display form is proved equal to the checked expression"
    return Result(
        claim_id=claim.id,
        verdict=verdict,
        expected=claim.expected,
        seconds=time.perf_counter() - start,
        layers=layers,
        reason=reason,
    )


def _identity_decides(claim: Claim, salt: str, start: float):
    """The whole Result when the identity test decides, else its layer (as skipped) or None."""
    from .statement import NUMERIC_SIZES, dimension_sets

    sizes = dimension_sets(claim, NUMERIC_SIZES)
    tested = identity.check(claim, sizes, salt)
    if tested.status == "undecided" and "indeterminates" in tested.detail:
        # a difference through exp, log, ...: the same derivative with their true values, in
        # 60-digit arithmetic, refutes at once if the claim is wrong (the large statements
        # whose symbolic and exact layers would take minutes included)
        precise = identity.check(claim, sizes, salt, precise=True)
        # a difference within floating-point tolerance (a decimal standing for π, say) is left
        # to the exact and numeric layers, which prove it and say why floats agree
        if (
            precise.status == "fail"
            and float(precise.counterexample["relative_discrepancy"]) > 1e-6
        ):
            tested = precise
    if tested.status not in ("pass", "fail"):
        if tested.status == "undecided":
            tested.status = "skipped"  # undecided here is no evidence against the claim
        return tested
    layers = [
        tested,
        LayerResult(layer="symbolic", status="skipped", detail="decided by the identity test"),
        LayerResult(
            layer="exact", status="skipped", detail="the identity test computes in exact arithmetic"
        ),
    ]
    if tested.status == "pass":  # an independent check of the same verdict, in floating point
        try:
            layers.append(numeric.check(claim, salt))
        except (ConcretiseError, SamplingError, ZeroDivisionError, ValueError, TypeError) as exc:
            layers.append(LayerResult(layer="numeric", status="undecided",
                                      detail=f"{type(exc).__name__}: {exc}"))  # fmt: skip
        if layers[-1].status == "undecided":
            # floating point could not tell (an ill-conditioned inverse, say): no evidence either
            # way beside an exact proof; a numeric *failure* still makes the verdict inconclusive
            layers[-1].status = "skipped"
            layers[-1].detail = f"no verdict in floating point: {layers[-1].detail}"
    verdict, reason = combine(layers)
    return Result(claim_id=claim.id, verdict=verdict, expected=claim.expected,
                  seconds=time.perf_counter() - start, layers=layers, reason=reason)  # fmt: skip


def _confirm_numeric_exactly(claim: Claim, layers: list[LayerResult]) -> None:
    """When finite differences refute at a point the exact layer's few random points missed,
    that point is checked in exact arithmetic: a difference there replaces the exact layer's
    "pass" with a rigorous counterexample (the verdict is then refuted, not "layers disagree")."""
    by_name = {layer.layer: k for k, layer in enumerate(layers)}
    if "exact" not in by_name or "numeric" not in by_name:
        return
    found, checked = layers[by_name["numeric"]], layers[by_name["exact"]]
    if found.status != "fail" or checked.status != "pass" or not found.counterexample:
        return
    try:
        confirmed = exact.confirm(claim, found.counterexample)
    except (ConcretiseError, SamplingError, ZeroDivisionError, ValueError, TypeError):
        return
    if confirmed is not None:
        layers[by_name["exact"]] = confirmed


def _display_layer(claim: Claim) -> LayerResult | None:
    """The proof that the page's display form equals the checked expression (None without one)."""
    try:
        return display.check(claim)
    except (ConcretiseError, SamplingError, ZeroDivisionError, ValueError, TypeError) as exc:
        return LayerResult(
            layer="display",
            status="undecided",
            detail=f"{display.UNPROVED}: {type(exc).__name__}: {exc}",
        )


def verify_topic(topic: str, registry=None, stored: dict | None = None) -> dict[str, str]:
    """Verify every claim whose id starts with ``topic.``, print one line each, and fail loudly
    (AssertionError, which fails the lab page's build) if a verdict is not the expected one.

    ``stored`` maps claim ids to results a build has already computed for these very sources
    (``Result.to_json()``): those verdicts are reused, the other claims are verified here. The
    engine does not look for them itself: ``derivations.evidence.verify_topic`` finds a build's.
    """
    from .declare import REGISTRY

    claims = [c for c in (registry or REGISTRY) if c.id.startswith(f"{topic}.")]
    assert claims, f"no claims with ids starting {topic}."
    stored = stored or {}
    if any(c.id in stored for c in claims):
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
