"""Domain mutation testing: the mistakes people make, applied to every verified claim.

Generic mutation tools do not touch ``@`` or ``.T``. Here each claimed result is mutated the way
hand derivations go wrong — add or drop a transpose, swap the factors of a matrix product, X⁻¹ ↔
X⁻ᵀ, drop or double a factor 2, flip a sign, drop one term, A + Aᵀ → 2A — and every mutant goes
through the same engine. A mutant the engine *verifies* was proved equal to the original by the
symbolic layer (every verified verdict needs that proof), so it is classified **equivalent** and
excluded; a refuted mutant is **killed**; anything else **survived** and fails ``make mutants``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import sympy as sp

from .engine.claims import Claim
from .engine.verify import verify


@dataclasses.dataclass
class Mutant:
    claim_id: str
    operator: str
    description: str
    claimed: object


def _is_matrix(node) -> bool:
    return isinstance(node, sp.MatrixExpr) and node.shape != (1, 1)


def _nodes(expr):
    seen = []
    for node in sp.preorder_traversal(expr):
        if node not in seen:
            seen.append(node)
    return seen


def mutate(claim: Claim) -> Iterator[Mutant]:
    """Every single mutation of ``claim.claimed`` the operators can make (deduplicated)."""
    original = claim.claimed
    produced: set = {sp.srepr(original)}

    def emit(operator, description, new):
        try:
            key = sp.srepr(new)
        except Exception:
            return None
        if key in produced:
            return None
        produced.add(key)
        return Mutant(claim.id, operator, description, new)

    def replace(node, new):
        return original.xreplace({node: new})

    def attempt(operator, description, build):
        try:
            return emit(operator, description, build())
        except Exception:
            return None

    candidates: list[Mutant | None] = []
    for node in _nodes(original):
        if isinstance(node, sp.Transpose):
            candidates.append(attempt("drop-transpose", f"{node} → {node.arg}",
                                      lambda node=node: replace(node, node.arg)))
        elif _is_matrix(node) and not isinstance(node, sp.Identity | sp.ZeroMatrix | sp.OneMatrix):
            candidates.append(attempt("add-transpose", f"{node} → ({node})ᵀ",
                                      lambda node=node: replace(node, node.T)))
        if isinstance(node, sp.MatMul):
            factors = [a for a in node.args if isinstance(a, sp.MatrixExpr)]
            scalars = [a for a in node.args if not isinstance(a, sp.MatrixExpr)]
            if len(factors) >= 2:
                candidates.append(attempt(
                    "swap-matmul", f"swap the factors of {node}",
                    lambda node=node, s=scalars, f=factors: replace(
                        node, sp.MatMul(*s, *reversed(f))),
                ))
        if isinstance(node, sp.Inverse):
            flipped = (sp.Inverse(node.arg.arg) if isinstance(node.arg, sp.Transpose)
                       else sp.Inverse(node.arg.T))
            candidates.append(attempt("inverse-transpose", f"{node} → {flipped}",
                                      lambda node=node, f=flipped: replace(node, f)))
        if isinstance(node, sp.MatAdd | sp.Add) and len(node.args) >= 2:
            for k, term in enumerate(node.args):
                rest = [a for j, a in enumerate(node.args) if j != k]

                def dropped(node=node, rest=rest):
                    return replace(node, rest[0] if len(rest) == 1 else node.func(*rest))

                def negated(node=node, k=k):
                    args = [(-a if j == k else a) for j, a in enumerate(node.args)]
                    return replace(node, node.func(*args))

                candidates.append(attempt("drop-term", f"drop {term}", dropped))
                candidates.append(attempt("flip-term-sign", f"negate {term}", negated))
            pairs = [(a, b) for a in node.args for b in node.args
                     if isinstance(b, sp.Transpose) and b.arg == a]
            for a, _ in pairs:
                candidates.append(attempt("symmetrise-as-2A", f"{a} + {a}ᵀ → 2{a}",
                                          lambda node=node, a=a: replace(node, 2 * a)))
    coefficient = _coefficient(original)
    if coefficient == 2:
        candidates.append(attempt("drop-factor-2", "drop the factor 2", lambda: original / 2))
    candidates.append(attempt("double", "double the result", lambda: 2 * original))
    candidates.append(attempt("flip-sign", "flip the sign", lambda: -original))
    for m in candidates:
        if m is not None:
            yield m


def _coefficient(expr):
    if isinstance(expr, sp.MatMul | sp.Mul):
        numbers = [a for a in expr.args if a.is_Number]
        return numbers[0] if numbers else 1
    return 1


def classify(claim: Claim, mutant: Mutant) -> dict:
    """killed / survived / equivalent, with the engine's reason."""
    try:
        # the mutant is checked as itself: the original's display form is not its display
        variant = dataclasses.replace(claim, claimed=mutant.claimed, id=claim.id, display=None)
        result = verify(variant)
        verdict, reason = result.verdict, result.reason
    except Exception as exc:
        verdict, reason = "refuted", f"not a valid statement: {type(exc).__name__}: {exc}"
    status = {"refuted": "killed", "verified": "equivalent"}.get(verdict, "survived")
    return {
        "claim": claim.id,
        "operator": mutant.operator,
        "mutation": mutant.description,
        "status": status,
        "reason": reason,
    }
