"""Verdicts and the evidence behind them, in a form the CLI, the tests and the site all share."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

VERDICTS = ("verified", "refuted", "inconclusive")


@dataclass
class LayerResult:
    """What one layer concluded: pass (agrees), fail (found a counterexample) or undecided."""

    layer: str
    status: str
    checks: int = 0
    dims: list = field(default_factory=list)
    worst_relative_error: float | None = None
    detail: str = ""
    counterexample: dict | None = None
    # how a failure was established beyond doubt ("rational arithmetic", "interval arithmetic");
    # None when it rests on 50-digit values or floating point alone
    proved_by: str | None = None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Result:
    claim_id: str
    verdict: str
    expected: str
    seconds: float
    layers: list[LayerResult]
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.verdict == self.expected

    @property
    def counterexample(self) -> dict | None:
        for layer in self.layers:
            if layer.counterexample is not None:
                return {"layer": layer.layer, **layer.counterexample}
        return None

    @property
    def evidence(self) -> dict:
        numeric = next((x for x in self.layers if x.layer == "numeric"), None)
        dims = sorted({str(d) for x in self.layers for d in x.dims})
        return {
            "layers": {x.layer: x.status for x in self.layers},
            "checks": sum(x.checks for x in self.layers),
            "dimensions": dims,
            "worst_relative_error": numeric.worst_relative_error if numeric else None,
            "reason": self.reason,
            "counterexample": self.counterexample,
            "details": [x.to_json() for x in self.layers],
        }

    def to_json(self) -> dict:
        return {
            "id": self.claim_id,
            "verdict": self.verdict,
            "expected": self.expected,
            "seconds": round(self.seconds, 4),
            "evidence": self.evidence,
        }


def combine(layers: list[LayerResult]) -> tuple[str, str]:
    """One verdict from the layers: verified only if every applicable layer passes.

    A layer that fails is a counterexample; a failure beside a pass is a disagreement, reported as
    inconclusive rather than hidden, unless the failure is proved and the pass cannot see it: a
    difference below the numeric layer's tolerance (``below_tolerance``) or at a size the passing
    layers did not check (``_beyond_every_pass``).
    """
    applicable = [x for x in layers if x.status != "skipped"]
    passed = [x.layer for x in applicable if x.status == "pass"]
    failed = [x.layer for x in applicable if x.status == "fail"]
    undecided = [x.layer for x in applicable if x.status == "undecided"]
    small = below_tolerance(applicable)
    if small is not None:
        return "refuted", below_tolerance_reason(small)
    if failed and passed and _beyond_every_pass(applicable):
        return "refuted", (
            f"counterexample from {', '.join(failed)} at a size that "
            f"{', '.join(passed)} did not check"
        )
    if failed and passed:
        return (
            "inconclusive",
            f"layers disagree: {', '.join(failed)} failed, {', '.join(passed)} passed",
        )
    if failed:
        return "refuted", f"counterexample from {', '.join(failed)}"
    if not applicable:
        return "inconclusive", "no layer applied"
    if undecided:
        details = "; ".join(f"{x.layer}: {x.detail}" for x in applicable if x.status == "undecided")
        return "inconclusive", details
    return "verified", f"every layer agrees ({', '.join(passed)})"


def _beyond_every_pass(layers: list[LayerResult]) -> bool:
    """A pass holds at the sizes its layer checked: a rigorous counterexample (exact rational
    arithmetic) at a size none of the passing layers checked contradicts none of them (the
    symbolic layer proves n = 2, 3, 4; exact arithmetic refutes at n = 11)."""
    covered = {str(d) for x in layers if x.status == "pass" for d in x.dims}
    failures = [x.counterexample for x in layers if x.status == "fail" and x.counterexample]
    rigorous = any(proved(x) for x in layers)  # not rounding, not a kink
    sizes = [cx.get("dims") for cx in failures]
    return rigorous and all(s and s not in covered for s in sizes)


def proved(layer: LayerResult) -> bool:
    """Whether a layer's failure is beyond doubt: a difference in exact rational arithmetic
    (its counterexample says ``exact``) or between interval enclosures that do not overlap. A
    difference seen only in 50-digit values, or in floating point, is not a proof."""
    if layer.status != "fail" or not layer.counterexample:
        return False
    return layer.counterexample.get("exact") is True or layer.proved_by is not None


def below_tolerance(layers: list[LayerResult]) -> LayerResult | None:
    """The layer whose proved failure may overrule a numeric pass (the exact layer, say);
    else None.

    Finite differences cannot see a relative difference below their tolerance of about 1e-6 (a
    decimal 3.14159 written for π is off by 8e-7), so a numeric pass says nothing against a
    difference proved exactly at a point. Only the numeric layer may be overruled this way: a
    symbolic pass beside an exact failure is a real contradiction and stays inconclusive.
    """
    proofs = [x for x in layers if x.layer != "numeric" and proved(x)]
    passed = {x.layer for x in layers if x.status == "pass"}
    if not proofs or passed != {"numeric"}:
        return None
    return proofs[0]


def below_tolerance_reason(exact: LayerResult) -> str:
    size = exact.worst_relative_error
    difference = f"relative difference {size:.1e}, " if size is not None else ""
    return (
        f"exact arithmetic shows a difference ({difference}below floating-point tolerance, so "
        "the numeric layer agrees)"
    )
