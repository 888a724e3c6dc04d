"""Sums and products kept as the author writes them, for display forms.

sympy sorts the terms of a sum and the factors of a product, and the site's printer prints an
evaluated sum in one fixed (``lex``) order, so ``1 − σ(t)`` would show as ``−σ(t) + 1``. The
nodes built here keep their arguments as given and the printer prints them in that order:

    sum_of(AsScalar(w.T @ x), b)             wᵀx + b
    product_of(2, A.T, sum_of(A @ x, -b))     2Aᵀ(Ax − b)

They are for a claim's ``display`` / ``display_f`` only; ``unwrap`` turns them back into ordinary
sympy expressions before the engine compares a display form with what it stands for.
"""

from __future__ import annotations

import sympy as sp


class WrittenSum(sp.Add):
    """A scalar sum printed in the order of its terms."""


class WrittenProduct(sp.Mul):
    """A scalar product printed in the order of its factors."""


class WrittenMatSum(sp.MatAdd):
    """A matrix sum printed in the order of its terms."""


WRITTEN = (WrittenSum, WrittenProduct, WrittenMatSum)


def sum_of(*terms):
    """``t₁ + t₂ + …`` in the order given (a matrix sum when a term is a matrix)."""
    terms = [sp.sympify(t) for t in terms]
    if any(isinstance(t, sp.MatrixExpr) for t in terms):
        return WrittenMatSum(*terms, evaluate=False)
    return WrittenSum(*terms, evaluate=False)


def product_of(*factors):
    """``f₁ f₂ …`` in the order given (a matrix product when a factor is a matrix)."""
    factors = [sp.sympify(f) for f in factors]
    if any(isinstance(f, sp.MatrixExpr) for f in factors):
        return sp.MatMul(*factors, evaluate=False)  # sympy keeps a matrix product's order
    return WrittenProduct(*factors, evaluate=False)


_PLAIN = {WrittenSum: sp.Add, WrittenProduct: sp.Mul, WrittenMatSum: sp.MatAdd}


def unwrap(expr):
    """``expr`` as an ordinary sympy expression: written nodes and ``UnevaluatedExpr`` markers
    replaced by what they stand for (the value is unchanged, only the order is lost)."""
    expr = sp.sympify(expr)
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(unwrap)
    if isinstance(expr, sp.UnevaluatedExpr):
        return unwrap(expr.args[0])
    if not expr.args or isinstance(expr, sp.Atom):
        return expr
    args = [unwrap(a) for a in expr.args]
    plain = _PLAIN.get(type(expr))
    if plain is sp.MatAdd:
        return sp.MatAdd(*args).doit(deep=False)
    if plain is not None:
        return plain(*args)
    if all(a is b for a, b in zip(args, expr.args, strict=True)):
        return expr
    return expr.func(*args)
