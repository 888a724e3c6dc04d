"""Named functions of matrix arguments, so statements read like the textbook.

Each class knows its LaTeX (``_latex``) and how to become explicit once its argument is an explicit
matrix (``explicit``). The printer calls the first, the verification layers the second.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.symbol import Str
from sympy.matrices.exceptions import ShapeError


def sigmoid(x):
    """The logistic function 1 / (1 + e^(-x)) on a scalar sympy expression."""
    return 1 / (1 + sp.exp(-x))


# name -> (scalar sympy function, LaTeX of its name)
ELEMENTWISE = {
    "sigma": (sigmoid, r"\sigma"),
    "exp": (sp.exp, r"\exp"),
    "log": (sp.log, r"\log"),
    "tanh": (sp.tanh, r"\tanh"),
    "sin": (sp.sin, r"\sin"),
}


class ScalarOfMatrix(sp.Function):
    """A scalar-valued function of one matrix or vector argument."""

    nargs = 1
    latex_name = ""
    is_commutative = True
    is_real = True

    # a body that is a product (qᵀv, 1ᵀx) needs brackets under a power: (qᵀv)², not qᵀv²
    bracket_powers = False

    def _latex(self, printer, exp=None):
        tex = self._latex_body(printer)
        if exp is None:
            return tex
        if self.bracket_powers:
            tex = rf"\left({tex}\right)"
        return f"{tex}^{{{exp}}}"

    def _latex_body(self, printer):
        return rf"\operatorname{{{self.latex_name}}}\left({printer._print(self.args[0])}\right)"

    @classmethod
    def explicit(cls, arg: sp.Matrix):
        raise NotImplementedError


class Norm(ScalarOfMatrix):
    """Euclidean norm of a vector, Frobenius norm of a matrix."""

    def _latex_body(self, printer):
        return rf"\lVert {printer._print(self.args[0])} \rVert"

    @classmethod
    def explicit(cls, arg):
        return sp.sqrt(sum(e**2 for e in arg))


class AsScalar(ScalarOfMatrix):
    """A 1×1 matrix expression (such as vᵀAv) used as the scalar it is, printed unchanged."""

    bracket_powers = True

    def _latex_body(self, printer):
        return printer._print(self.args[0])

    @classmethod
    def explicit(cls, arg):
        if arg.shape != (1, 1):
            raise ShapeError(f"AsScalar needs a 1×1 matrix, got {arg.shape}")
        return arg[0, 0]


class LogSumExp(ScalarOfMatrix):
    """log Σ exp(z_i)."""

    latex_name = "lse"

    @classmethod
    def explicit(cls, arg):
        return sp.log(sum(sp.exp(e) for e in arg))


class SumEntries(ScalarOfMatrix):
    """Σ_i z_i, written 1ᵀz."""

    bracket_powers = True

    def _latex_body(self, printer):
        return rf"\mathbf{{1}}^\top {printer._print(self.args[0])}"

    @classmethod
    def explicit(cls, arg):
        return sum(arg)


class Applied(sp.MatrixExpr):
    """A scalar function applied entry by entry: ``Applied("sigma", z)`` is σ(z)."""

    def __new__(cls, name, arg):
        name = str(name)
        if name not in ELEMENTWISE:
            raise ValueError(f"unknown elementwise function {name!r}")
        return sp.Basic.__new__(cls, Str(name), arg)

    @property
    def name(self) -> str:
        return str(self.args[0])

    @property
    def shape(self):
        return self.args[1].shape

    def _latex(self, printer, exp=None):
        tex = rf"{ELEMENTWISE[self.name][1]}\left({printer._print(self.args[1])}\right)"
        return f"{tex}^{{{exp}}}" if exp is not None else tex

    def explicit(self, arg: sp.Matrix):
        return arg.applyfunc(ELEMENTWISE[self.name][0])


class Softmax(sp.MatrixExpr):
    """softmax(z) = exp(z) / Σ exp(z_j), a vector of the shape of z."""

    def __new__(cls, arg):
        return sp.Basic.__new__(cls, arg)

    @property
    def shape(self):
        return self.args[0].shape

    def _latex(self, printer, exp=None):
        return rf"\operatorname{{softmax}}\left({printer._print(self.args[0])}\right)"

    def explicit(self, arg: sp.Matrix):
        e = arg.applyfunc(sp.exp)
        return e / sum(e)


class Diag(sp.MatrixExpr):
    """diag(v): the square matrix with the vector v on its diagonal."""

    def __new__(cls, arg):
        return sp.Basic.__new__(cls, arg)

    @property
    def shape(self):
        return (self.args[0].shape[0], self.args[0].shape[0])

    def _latex(self, printer, exp=None):
        return rf"\operatorname{{diag}}\left({printer._print(self.args[0])}\right)"

    def explicit(self, arg: sp.Matrix):
        return sp.diag(*list(arg))


class FunctionOf(sp.Function):
    """An arbitrary differentiable scalar function of a vector, such as f in g(w) = f(w) w.

    ``FunctionOf(Str("f"), w)`` prints as f(w). The symbolic layer makes it an undefined sympy
    function of the entries (so a result is proved for every f); the numeric and exact layers use
    concrete members of ``TEST_FAMILY``.
    """

    nargs = 2
    is_commutative = True
    is_real = True

    @property
    def label(self) -> str:
        return str(self.args[0])

    def _latex(self, printer, exp=None):
        tex = rf"{self.label}\left({printer._print(self.args[1])}\right)"
        return f"{tex}^{{{exp}}}" if exp is not None else tex


class GradientOf(sp.MatrixExpr):
    """∇f(w) of a ``FunctionOf``: a column of the shape of w."""

    def __new__(cls, func: FunctionOf):
        return sp.Basic.__new__(cls, func)

    @property
    def shape(self):
        return self.args[0].args[1].shape

    def _latex(self, printer, exp=None):
        return rf"\nabla {printer._print(self.args[0])}"


class VectorFunctionOf(sp.MatrixExpr):
    """An arbitrary differentiable map q: ℝⁿ → ℝᵐ, such as z = q(x) in a chain rule."""

    def __new__(cls, label: str, arg, rows):
        return sp.Basic.__new__(cls, Str(str(label)), arg, sp.sympify(rows))

    @property
    def label(self) -> str:
        return str(self.args[0])

    @property
    def shape(self):
        return (self.args[2], 1)

    def _latex(self, printer, exp=None):
        return rf"{self.label}\left({printer._print(self.args[1])}\right)"


class JacobianOf(sp.MatrixExpr):
    """∂q/∂x of a ``VectorFunctionOf``: m×n, rows are outputs."""

    def __new__(cls, func: VectorFunctionOf):
        return sp.Basic.__new__(cls, func)

    @property
    def shape(self):
        return (self.args[0].shape[0], self.args[0].args[1].shape[0])

    def _latex(self, printer, exp=None):
        q = self.args[0]
        return rf"\frac{{\partial {q.label}}}{{\partial {printer._print(q.args[1])}}}"


def fn(label: str, arg) -> FunctionOf:
    return FunctionOf(Str(label), arg)


def round_half_up(value, digits: int):
    """``value`` rounded half up to ``digits`` decimals, exactly: what a page's decimal such as
    0.93624 is checked against, instead of being typed in by hand."""
    scale = sp.Integer(10) ** int(digits)
    return sp.floor(scale * value + sp.Rational(1, 2)) / scale
