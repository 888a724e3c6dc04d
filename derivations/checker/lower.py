"""From the typed tree of ``parser.py`` to the abstract sympy objects the engine checks.

Variables become ``MatrixSymbol`` with dimension symbols from ``engine.dim`` (vectors are n×1
columns) or real ``Symbol`` for scalars. numpy semantics are kept: ``*`` between arrays is
elementwise (Hadamard), ``@`` is the matrix product, ``v @ w`` of two vectors is their inner
product, and scalars broadcast. Every sympy constructor is called with ``evaluate=False`` where
it has one, so the statement checked is the one typed.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from ..engine.claims import Claim, Variable, validate
from ..engine.declare import dim
from ..engine.functions import Diag, Norm, SumEntries
from ..engine.symbolic import NON_SMOOTH
from . import shapes as S
from .functions import DiagOf, Elementwise, Entry, Part, ScalarOf, Stack
from .parser import CheckError, Node
from .spec import Problem

CLAIM_ID = "check.user"
POSITIVE_DOMAINS = ("positive", "probability", "unit-interval")

_SCALAR_FUNCTIONS = {
    "exp": sp.exp, "log": sp.log, "sqrt": sp.sqrt, "sin": sp.sin, "cos": sp.cos, "tan": sp.tan,
    "tanh": sp.tanh, "sinh": sp.sinh, "cosh": sp.cosh, "abs": sp.Abs, "sign": sp.sign,
    "square": lambda p: p**2, "maximum": sp.Max, "minimum": sp.Min,
}


_RELATIONS = {"==": sp.Eq, "!=": sp.Ne, "<": sp.Lt, "<=": sp.Le, ">": sp.Gt, ">=": sp.Ge}


class Symbols:
    """The sympy objects standing for the user's names."""

    def __init__(self, problem: Problem):
        self.dims = {d: dim(d) for d in problem.dims}
        self.variables: dict = {}
        for name, shape in problem.variables.items():
            if shape == ():
                positive = problem.domains.get(name) in POSITIVE_DOMAINS
                self.variables[name] = sp.Symbol(name, real=True, positive=positive or None)
            else:
                rows, cols = self.shape2d(shape)
                self.variables[name] = sp.MatrixSymbol(name, rows, cols)

    def size(self, d):
        return self.dims[d] if isinstance(d, str) else sp.Integer(d)

    def shape2d(self, shape: S.Shape):
        rows, cols = S.as2d(shape)
        return self.size(rows), self.size(cols)


def to_claim(problem: Problem) -> Claim:
    """The engine's statement of the user's check (not registered anywhere)."""
    symbols = Symbols(problem)
    f = lower(problem.f, symbols)
    claimed = lower(problem.claimed, symbols)
    numbers = (problem.kind in ("derivative", "partial", "identity")
               and S.scalar_like(problem.f.shape) and S.scalar_like(problem.claimed.shape))
    if numbers and problem.f.shape != ():
        f = ScalarOf(f)  # x @ y used as a number
    if numbers and problem.claimed.shape != ():
        claimed = ScalarOf(claimed)
    for label, expr in (("--f", f), ("--claimed", claimed)):
        if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise CheckError(f"{label} divides by zero")
    variables = tuple(
        Variable(symbol=symbols.variables[name], domain=problem.domains.get(name, "real"))
        for name in problem.variables
    )
    first = problem.variables[problem.wrt_names[0]] if problem.wrt_names else ()
    by_matrix = problem.kind == "gradient" and first != () and not S.is_vector(first)
    if problem.at and (problem.kind in ("jacobian", "hessian") or by_matrix) \
            and f.has(*NON_SMOOTH):
        what = "gradient with respect to a matrix" if by_matrix else problem.kind
        raise CheckError(f"at a point, a {what} of a function with kinks (abs, maximum, "
                         "minimum, sign) cannot be taken from its limit definition; check a "
                         "directional derivative, a partial, a derivative or the gradient "
                         "with respect to a vector there instead")
    wrt = [symbols.variables[name] for name in problem.wrt_names]
    at = {symbols.variables[name]: point_value(name, node, problem.domains.get(name, "real"),
                                               symbols)
          for name, node in problem.at.items()}
    claim = Claim(
        id=CLAIM_ID, title="A user's derivative", kind=problem.kind, f=f, claimed=claimed,
        variables=variables,
        wrt=(sp.Tuple(*wrt) if problem.kind == "partial" or len(wrt) > 1 else wrt[0])
        if wrt else None,
        direction=_stack([symbols.variables[n] for n in problem.direction_names]),
        at=at, side=problem.side, module="derivations.checker",
    )
    validate(claim)
    return claim


def _stack(symbols: list):
    """None, one variable, or a tuple of scalars stacked into a column."""
    if not symbols:
        return None
    return symbols[0] if len(symbols) == 1 else sp.Tuple(*symbols)


def point_value(name: str, node: Node, domain: str, symbols: Symbols):
    """The exact value ``--at name=...`` gives (a number or an explicit matrix), checked
    against the variable's assumption."""
    if node.op == "array":
        rows, cols = node.data
        entries = [lower(e, symbols) for e in node.args]
        value = sp.Matrix(int(rows), int(cols), entries)
    else:
        value = lower(node, symbols)
        if isinstance(value, sp.MatrixBase | sp.MatrixExpr):
            raise CheckError(f"--at {name}: write the value as a number or a list such as "
                             "[1, 2]")
    numbers = list(value) if isinstance(value, sp.MatrixBase) else [value]
    for x in numbers:
        if x.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not x.is_number:
            raise CheckError(f"--at {name}: the value is not a finite number")
        if x.is_real is not True:
            raise CheckError(f"--at {name}: the value is not a real number")
    problem = _against_domain(value, numbers, domain)
    if problem:
        raise CheckError(f"--at {name}: the value breaks --assume {name}={domain}: {problem}")
    return value


def _against_domain(value, numbers: list, domain: str) -> str | None:
    if domain == "positive" and not all(x.is_positive for x in numbers):
        return "an entry is not positive"
    if domain == "nonzero" and all(x.is_zero for x in numbers):
        return "it is zero"
    if domain == "unit-interval" and not all((x > 0) is sp.true and (x < 1) is sp.true
                                             for x in numbers):
        return "an entry is not strictly between 0 and 1"
    if domain == "probability" and (not all(x.is_positive for x in numbers)
                                     or sp.simplify(sum(numbers) - 1) != 0):
        return "the entries must be positive and add up to 1"
    if domain in ("symmetric", "spd") and value != value.T:
        return "it is not symmetric"
    if domain == "spd" and not value.is_positive_definite:
        return "it is not positive definite"
    if domain == "invertible" and sp.simplify(value.det()) == 0:
        return "its determinant is 0"
    return None


def lower(node: Node, symbols: Symbols):
    return _Lowering(symbols).go(node)


class _Lowering:
    def __init__(self, symbols: Symbols):
        self.s = symbols

    def go(self, node: Node):
        return getattr(self, f"op_{node.op}")(node)

    def args(self, node: Node):
        return [self.go(a) for a in node.args]

    # -------------------------------------------------------------- conversions
    def scalar(self, value, shape: S.Shape):
        """A scalar sympy expression for a value of scalar-like ``shape``."""
        return value if shape == () else ScalarOf(value)

    def elementwise(self, func, node: Node, values: list):
        """``func`` applied entry by entry, scalars and 1×1 arrays broadcast."""
        target = node.shape
        if target == ():
            return func(*[self.scalar(v, a.shape) for v, a in zip(values, node.args,
                                                                 strict=True)])
        rows, cols = self.s.shape2d(target)
        operands = []
        for v, a in zip(values, node.args, strict=True):
            if a.shape != () and not S.same(a.shape, target):
                v = self.scalar(v, a.shape)
            operands.append(v)
        placeholders = [sp.Dummy(f"p{i}", real=True) for i in range(len(operands))]
        lam = sp.Lambda(tuple(placeholders), func(*placeholders))
        return Elementwise(lam, operands, rows, cols)

    # -------------------------------------------------------------- leaves
    def op_num(self, node):
        v: Fraction = node.value
        return sp.Rational(v.numerator, v.denominator)

    def op_const(self, node):
        return sp.pi if node.data == "pi" else sp.E

    def op_var(self, node):
        return self.s.variables[node.data]

    def op_dim(self, node):
        return self.s.dims[node.data]

    # -------------------------------------------------------------- operators
    def op_neg(self, node):
        (a,) = self.args(node)
        return -a if node.shape == () else sp.MatMul(sp.Integer(-1), a)

    def _add(self, node, sign: int):
        a, b = self.args(node)
        sa, sb = (x.shape for x in node.args)
        if node.shape == ():
            return a + sign * b
        if sa != () and sb != () and S.same(sa, sb):
            return sp.MatAdd(a, b if sign > 0 else sp.MatMul(sp.Integer(-1), b))
        return self.elementwise(lambda p, q: p + sign * q, node, [a, b])

    def op_add(self, node):
        return self._add(node, 1)

    def op_sub(self, node):
        return self._add(node, -1)

    def op_mul(self, node):
        a, b = self.args(node)
        sa, sb = (x.shape for x in node.args)
        if node.shape == ():
            return a * b
        if sa == ():
            return sp.MatMul(a, b)
        if sb == ():
            return sp.MatMul(b, a)
        if S.same(sa, sb):
            return sp.HadamardProduct(a, b)
        if S.scalar_like(sa):
            return sp.MatMul(self.scalar(a, sa), b)
        return sp.MatMul(self.scalar(b, sb), a)

    def op_div(self, node):
        a, b = self.args(node)
        sa, sb = (x.shape for x in node.args)
        if node.shape == ():
            return a / b
        if S.scalar_like(sb) and not S.scalar_like(sa):
            return sp.MatMul(sp.Pow(self.scalar(b, sb), -1), a)
        return self.elementwise(lambda p, q: p / q, node, [a, b])

    def op_pow(self, node):
        a, b = self.args(node)
        if node.shape == ():
            return sp.Pow(a, b)
        return self.elementwise(lambda p, q: p**q, node, [a, b])

    def op_matmul(self, node):
        a, b = self.args(node)
        sa, sb = (x.shape for x in node.args)
        if len(sa) == 1 and len(sb) == 1:
            return ScalarOf(sp.MatMul(sp.Transpose(a), b))
        if len(sa) == 1 and len(node.shape) == 2:
            return sp.MatMul(a, b)  # column @ row: the outer product
        if len(sa) == 1:
            return sp.MatMul(sp.Transpose(b), a)
        return sp.MatMul(a, b)

    def op_T(self, node):
        (a,) = self.args(node)
        return a if node.shape == () else sp.Transpose(a)

    # -------------------------------------------------------------- functions
    def op_cmp(self, node):
        a, b = (self.scalar(v, x.shape) for v, x in zip(self.args(node), node.args, strict=True))
        return _RELATIONS[node.data](a, b)

    def op_and(self, node):
        return sp.And(*self.args(node))

    def op_or(self, node):
        return sp.Or(*self.args(node))

    def op_fn(self, node):
        name = node.data
        values = self.args(node)
        if name == "where":
            cond, a, b = values
            a, b = (self.scalar(v, x.shape) for v, x in zip((a, b), node.args[1:], strict=True))
            return sp.Piecewise((a, cond), (b, True))
        if name in _SCALAR_FUNCTIONS:
            return self.elementwise(_SCALAR_FUNCTIONS[name], node, values)
        (a,) = values[:1]
        sa = node.args[0].shape
        if name == "sum":
            return a if sa == () else SumEntries(a)
        if name == "norm":
            return sp.Abs(a) if sa == () else Norm(a)
        if name == "trace":
            return sp.Trace(a)
        if name == "det":
            return sp.Determinant(a)
        if name == "inv":
            return sp.Inverse(a)
        if name == "diag":
            return Diag(a)
        if name == "diag_of":
            return DiagOf(a)
        if name == "outer":
            return sp.MatMul(a, sp.Transpose(values[1]))
        raise CheckError(f"internal: no lowering for {name}")  # pragma: no cover

    def op_sum_axis(self, node):
        (a,) = self.args(node)
        rows, cols = self.s.shape2d(node.args[0].shape)
        if node.data == 0:
            return sp.MatMul(sp.Transpose(a), sp.OneMatrix(rows, 1))
        return sp.MatMul(a, sp.OneMatrix(cols, 1))

    def op_eye(self, node):
        return sp.Identity(self.s.size(node.data))

    def op_ones(self, node):
        return sp.OneMatrix(*self.s.shape2d(node.data))

    def op_zeros(self, node):
        return sp.ZeroMatrix(*self.s.shape2d(node.data))

    def op_matpow(self, node):
        (a,) = self.args(node)
        k = node.data
        if k == 0:
            return sp.Identity(self.s.shape2d(node.shape)[0])
        if k < 0:
            return sp.MatPow(sp.Inverse(a), -k)
        return sp.MatPow(a, k)

    def op_slogdet_part(self, node):
        (pair,) = node.args
        det = sp.Determinant(self.go(pair.args[0]))
        if node.data == "sign":
            return sp.sign(det)
        # log|det A| = log(det(A)^2) / 2: smooth wherever det A ≠ 0, with derivative det'/det
        return sp.log(det**2) / 2

    def index(self, spec):
        k, d = spec
        return sp.Integer(k) if d is None else self.s.size(d) + k

    def op_entry(self, node):
        (a,) = self.args(node)
        i, j = node.data
        return Entry(a, self.index(i), self.index(j))

    def op_part(self, node):
        (a,) = self.args(node)
        which, k = node.data
        return Part(a, which, self.index(k))

    def op_array(self, node):
        values = [self.scalar(v, e.shape) for v, e in zip(self.args(node), node.args,
                                                           strict=True)]
        rows, cols = node.data
        return Stack(rows, cols, *values)
