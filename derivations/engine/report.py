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
    inconclusive rather than hidden.
    """
    applicable = [x for x in layers if x.status != "skipped"]
    passed = [x.layer for x in applicable if x.status == "pass"]
    failed = [x.layer for x in applicable if x.status == "fail"]
    undecided = [x.layer for x in applicable if x.status == "undecided"]
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
    rigorous = any(cx.get("exact") is True for cx in failures)  # not rounding, not a kink
    sizes = [cx.get("dims") for cx in failures]
    return rigorous and all(s and s not in covered for s in sizes)
