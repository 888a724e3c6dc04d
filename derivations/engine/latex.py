r"""The one printer every formula on the site goes through.

Transposes print as ``^\top``, determinants as ``\det``, and each kind of claim has one sentence
shape, so all pages look alike.

Term order. A sum or product that sympy built (evaluated) is printed in sympy's ``lex`` order, the
same on every page; printing evaluated nodes in their internal order (``order="none"``) would
show ``-1 + x`` and ``y x^{2}``. A sum or product the author built unevaluated
(``sp.Add(..., evaluate=False)``, ``sp.MatAdd(..., evaluate=False)``, ``sp.Mul(...,
evaluate=False)``), recognised by arguments that differ from what sympy would make of them, is
printed in the order written, and so is every ``sum_of``/``product_of`` node (``written.py``).
A claim's ``display``/``display_f`` use these to show the author's form, which the engine proves
equal to the checked expression (``display.py``).
"""

from __future__ import annotations

import re

import sympy as sp
from sympy.matrices.expressions.matadd import canonicalize
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE

from .claims import Claim
from .functions import SumEntries
from .written import WRITTEN


def written(expr) -> bool:
    """True for a sum or product to print as written: one built with ``sum_of``/``product_of``
    (``engine/written.py``), or one built unevaluated in an order sympy would not keep."""
    if isinstance(expr, WRITTEN):
        return True
    try:
        if isinstance(expr, sp.MatAdd):
            return canonicalize(sp.MatAdd(*expr.args)).args != expr.args
        if isinstance(expr, sp.Add):
            return sp.Add(*expr.args).args != expr.args
        if isinstance(expr, sp.Mul):
            return sp.Mul(*expr.args).args != expr.args
    except (TypeError, ValueError):  # a sum sympy would refuse to rebuild: keep it as it is
        return True
    return False


def _negated(term):
    """``-term`` when ``term`` carries a minus sign, built without evaluating; else None."""
    if isinstance(term, sp.MatMul | sp.Mul) and term.args:
        head, rest = term.args[0], list(term.args[1:])
        negative = head.is_negative if head.is_Number else head.could_extract_minus_sign()
        if not isinstance(head, sp.MatrixExpr) and negative:
            head = -head
            if head == 1:
                return rest[0] if len(rest) == 1 else term.func(*rest, evaluate=False)
            return term.func(head, *rest, evaluate=False)
    return -term if term.could_extract_minus_sign() else None


class ClaimPrinter(LatexPrinter):
    def __init__(self, settings=None):
        base = {"order": "lex", "mat_delim": "", "mat_str": "bmatrix", "mul_symbol": None}
        base.update(settings or {})
        super().__init__(base)
        self._base_order = self._settings["order"]

    def _print_Add(self, expr, order=None):
        if not written(expr):
            return super()._print_Add(expr, order=self._base_order)
        # as written; a term's minus sign is taken off without evaluating it (``-term`` would
        # multiply out an unevaluated product of explicit matrices)
        tex = ""
        for i, term in enumerate(expr.args):
            negated = _negated(term) if i else None
            if negated is not None:
                tex += " - "
                term = negated
            elif i:
                tex += " + "
            term_tex = self._print(term)
            # a − (−2x): a subtracted term that prints with its own sign is bracketed
            if self._needs_add_brackets(term) or (negated is not None and term_tex[:1] == "-"):
                term_tex = rf"\left({term_tex}\right)"
            tex += term_tex
        return tex

    def _print_Mul(self, expr):
        # sympy's _print_Mul orders factors by the printer's ``order``; each product sets it for
        # itself (its factors are printed by nested calls that set their own)
        if isinstance(expr, WRITTEN) and len(expr.args) > 1:
            head, rest = expr.args[0], expr.args[1:]
            if head.is_Rational and head.is_positive and not head.is_Integer:
                # ½ wᵀAw as written, not the fraction (wᵀAw)/2 sympy's printer would make
                body = rest[0] if len(rest) == 1 else type(expr)(*rest, evaluate=False)
                body_tex = self._print(body)
                if self._needs_mul_brackets(body, first=False, last=True):
                    body_tex = rf"\left({body_tex}\right)"
                return rf"{self._print(head)} {body_tex}"
        saved = self._settings["order"]
        self._settings["order"] = "none" if written(expr) else self._base_order
        try:
            return super()._print_Mul(expr)
        finally:
            self._settings["order"] = saved

    def _needs_mul_brackets(self, expr, first=False, last=False) -> bool:
        # 1ᵀy beside another factor reads (1ᵀy) s, as the chapters write it
        if isinstance(expr, SumEntries) and not (first and last):
            return True
        return super()._needs_mul_brackets(expr, first=first, last=last)

    def parenthesize(self, item, level, is_neg=False, strict=False) -> str:
        if isinstance(item, SumEntries) and level >= PRECEDENCE["Mul"]:
            return self._add_parens(self._print(item))
        return super().parenthesize(item, level, is_neg=is_neg, strict=strict)

    def _print_MatMul(self, expr):
        # a leading rational coefficient reads ½ A, not (½) A
        args = list(expr.args)
        if len(args) > 1 and args[0].is_Rational and args[0].is_positive and not args[0].is_Integer:
            rest = sp.MatMul(*args[1:], evaluate=False)
            return rf"{self._print(args[0])} {super()._print_MatMul(rest)}"
        return super()._print_MatMul(expr)

    def _deal_with_super_sub(self, string, style="plain"):
        # a subscript that is an operator's name is set upright: λ_max prints \lambda_{\max}
        tex = super()._deal_with_super_sub(string, style)
        return re.sub(r"_\{(max|min)\}", r"_{\\\1}", tex)

    def _print_OneMatrix(self, expr):
        return r"\mathbf{1}"

    def _print_Transpose(self, expr):
        arg = expr.arg
        tex = self._print(arg)
        if not isinstance(arg, sp.MatrixSymbol):
            tex = rf"\left({tex}\right)"
        return rf"{tex}^\top"

    def _print_Determinant(self, expr):
        return rf"\det\left({self._print(expr.arg)}\right)"

    def _print_Trace(self, expr):
        return rf"\operatorname{{tr}}\left({self._print(expr.arg)}\right)"

    def _print_Inverse(self, expr):
        arg = expr.arg
        tex = self._print(arg)
        if isinstance(arg, sp.Transpose) and isinstance(arg.arg, sp.MatrixSymbol):
            return rf"{self._print(arg.arg)}^{{-\top}}"
        if not isinstance(arg, sp.MatrixSymbol):
            tex = rf"\left({tex}\right)"
        return rf"{tex}^{{-1}}"

    def _print_HadamardPower(self, expr):
        """h ⊙ h for a square (as in the tanh slope 1 − h ⊙ h), h^{∘k} for higher powers."""
        base, exp = expr.base, expr.exp
        tex = self._print(base)
        if not isinstance(base, sp.MatrixSymbol):
            tex = rf"\left({tex}\right)"
        if exp == 2:
            return rf"{tex} \odot {tex}"
        return rf"{tex}^{{\circ {self._print(exp)}}}"

    def _print_Identity(self, expr):
        return "I"

    def _print_MatrixSymbol(self, expr):
        return self._deal_with_super_sub(expr.name)


def tex(expr) -> str:
    """LaTeX of one sympy object, in the site's notation."""
    return ClaimPrinter().doprint(expr)


def _tuple(symbols) -> str:
    if len(symbols) == 1:
        return tex(symbols[0])
    return r"\left(" + ", ".join(tex(x) for x in symbols) + r"\right)"


def _wrt(claim: Claim) -> str:
    return _tuple(claim.wrt_symbols)


def _at(claim: Claim) -> str:
    if not claim.at:
        return ""
    shown = [k for k in claim.at if k not in claim.direction_symbols] or list(claim.at)
    parts = []
    for k in shown:
        v = claim.at[k]
        value = tex(sp.Matrix(v) if isinstance(v, list | tuple) else v)
        parts.append(f"{tex(k)} = {value}")
    return r"\Big|_{" + ",\\ ".join(parts) + "}"


def _partial_operator(claim: Claim) -> str:
    order = claim.wrt_symbols
    if len(order) == 1:
        if claim.side:
            return rf"D^{{{claim.side}}}_{{{tex(order[0])}}}"
        return rf"\frac{{\partial}}{{\partial {tex(order[0])}}}"
    # the last variable acts last, so it is written first: ∂²f/∂y∂x = ∂/∂y(∂f/∂x)
    groups: list[list] = []
    for symbol in reversed(order):
        if groups and groups[-1][0] == symbol:
            groups[-1][1] += 1
        else:
            groups.append([symbol, 1])
    denominator = r"\,".join(
        rf"\partial {tex(s)}" + (f"^{{{k}}}" if k > 1 else "") for s, k in groups
    )
    return rf"\frac{{\partial^{{{len(order)}}}}}{{{denominator}}}"


def shown_f(claim: Claim):
    """What the page shows for ``f``: the author's display form when given (proved equal)."""
    return claim.f if claim.display_f is None else claim.display_f


def shown_claimed(claim: Claim):
    """What the page shows for ``claimed``: the author's display form when given."""
    return claim.claimed if claim.display is None else claim.display


_MEMOS: dict[str, dict[int, tuple]] = {}  # printing name -> {id(claim): (claim, text)}


def _per_claim(render):
    """Remember a printing per claim object: a build prints each claim's statement on its page,
    in its chapter's claim index and in the formula inventory (a third of a warm build's time
    went to printing the same objects again). Keyed by identity, so a claim rebuilt with other
    objects (a test's fixture, a mutant) is printed afresh."""
    memo: dict[int, tuple] = {}
    _MEMOS[render.__name__] = memo

    def printed(claim):
        hit = memo.get(id(claim))
        if hit is not None and hit[0] is claim:
            return hit[1]
        text = render(claim)
        memo[id(claim)] = (claim, text)
        return text

    printed.__doc__ = render.__doc__
    printed.__name__ = render.__name__
    return printed


def printings(claims) -> dict[str, dict[str, str]]:
    """What has been printed for these claim objects, by printing and claim id: a build keeps
    it beside its verdicts, under the same hash of the sources."""
    wanted = {id(c): c for c in claims}
    return {
        name: {c.id: text for key, (c, text) in memo.items() if wanted.get(key) is c}
        for name, memo in _MEMOS.items()
    }


def reuse_printings(claims, kept: dict[str, dict[str, str]]) -> None:
    """Take printings kept by ``printings`` for these exact claim objects. The caller vouches
    that they come from the same sources (the build keys them by the hash of every source
    file); claims built elsewhere from other objects are unaffected (identity, not id)."""
    for name, texts in kept.items():
        memo = _MEMOS.get(name)
        if memo is None:
            continue
        for c in claims:
            text = texts.get(c.id)
            if isinstance(text, str):
                memo[id(c)] = (c, text)


@_per_claim
def rhs(claim: Claim) -> str:
    """The right-hand side alone (the claimed result, in its display form when given)."""
    return tex(shown_claimed(claim))


@_per_claim
def lhs(claim: Claim) -> str:
    """The left-hand side: the derivative being taken, written as the reader would."""
    f = tex(shown_f(claim))
    wrapped = rf"\left({f}\right)"
    kind = claim.kind
    at = _at(claim)
    if kind in ("identity", "property"):
        return f
    if kind == "derivative":
        if claim.side:
            return rf"D^{{{claim.side}}}_{{{_wrt(claim)}}}{wrapped}{at}"
        return rf"\frac{{d}}{{d{_wrt(claim)}}}{wrapped}{at}"
    if kind == "partial":
        return rf"{_partial_operator(claim)}{wrapped}{at}"
    if kind == "gradient":
        if claim.wrt_is_scalar:
            return rf"\frac{{\partial}}{{\partial {_wrt(claim)}}}{wrapped}{at}"
        return rf"\nabla_{{{_wrt(claim)}}}{wrapped}{at}"
    if kind == "jacobian":
        return rf"\frac{{\partial}}{{\partial {_wrt(claim)}}}{wrapped}{at}"
    if kind == "hessian":
        return rf"\nabla^2_{{{_wrt(claim)}}}{wrapped}{at}"
    if kind == "directional":
        direction = _tuple(claim.direction_symbols)
        if claim.at and all(s in claim.at for s in claim.direction_symbols):
            values = [claim.at[s] for s in claim.direction_symbols]
            direction = _tuple(values)
        return rf"D_{{{direction}}}{wrapped}{at}"
    raise ValueError(kind)


@_per_claim
def statement(claim: Claim) -> str:
    """The whole claim as one display formula: left-hand side = claimed result."""
    point = ""
    if claim.kind in ("identity", "property") and claim.at:
        values = ",\\ ".join(f"{tex(k)} = {tex(v)}" for k, v in claim.at.items())
        point = rf"\quad\text{{at }} {values}"
    if claim.kind == "property":
        body = lhs(claim) if claim.claimed == sp.true else rf"\neg\left({lhs(claim)}\right)"
        return body + point
    return rf"{lhs(claim)} = {rhs(claim)}{point}"


def where(claim: Claim) -> list[str]:
    """``symbol = definition`` for each abbreviation the statement uses."""
    return [rf"{tex(k)} = {tex(v)}" for k, v in claim.where.items()]


# how each domain reads after "x ∈ ℝ" (a scalar) and after "x ∈ ℝⁿ" or "X ∈ ℝᵐˣⁿ"
DOMAIN_WORDS = {
    "symmetric": ("", "symmetric"),  # every scalar is symmetric: nothing to say
    "spd": ("positive", "symmetric positive definite"),
    "invertible": ("nonzero", "invertible"),
    "nonzero": ("nonzero", "nonzero"),
    "positive": ("positive", "entrywise positive"),
    "probability": ("equal to 1", "a probability vector"),
    "unit-interval": ("in [0, 1]", "with entries in [0, 1]"),
}


def domain_words(variable) -> str:
    """The words for a variable's domain ("" for an unrestricted one)."""
    if variable.domain == "real":
        return ""
    scalar_words, array_words = DOMAIN_WORDS[variable.domain]
    return scalar_words if variable.is_scalar else array_words


def space(variable) -> str:
    r"""The set a variable lives in: ``\mathbb{R}``, ``\mathbb{R}^{n}``, ``\mathbb{R}^{m \times n}``."""
    if variable.is_scalar:
        return r"\mathbb{R}"
    rows, cols = variable.shape
    if cols == 1:
        return rf"\mathbb{{R}}^{{{tex(rows)}}}"
    return rf"\mathbb{{R}}^{{{tex(rows)} \times {tex(cols)}}}"


def domain(claim: Claim) -> list[str]:
    """Inline LaTeX for each variable: its space and, when restricted, its domain."""
    out = []
    for v in claim.variables:
        text = rf"${tex(v.symbol)} \in {space(v)}$"
        words = domain_words(v)
        if words:
            text += f" {words}"
        out.append(text)
    return out


def show(formula: str) -> None:
    """A formula in a lab: typeset in the notebook (the lab page), plain TeX on a terminal.
    Never sympy's repr (``Matrix([[...]])``), which a reader should not have to decode."""
    try:
        from IPython import get_ipython
        from IPython.display import Math, display
    except ImportError:  # pragma: no cover - IPython is installed with the lab tooling
        get_ipython = None
    if get_ipython is not None and get_ipython() is not None:
        display(Math(formula))
    else:
        print(formula)
