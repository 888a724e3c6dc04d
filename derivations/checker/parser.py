"""Safe parsing of numpy-style expressions into a small typed tree (pure Python, no sympy).

The text goes through ``ast.parse(text, mode="eval")`` and nothing else: the tree is walked
against a whitelist (numbers, declared variables and dimensions, ``+ - * / ** @``, unary minus,
``.T``, integer indexing, ``np.array([...])`` and a fixed set of functions, with or without the
``np.`` / ``np.linalg.`` prefixes). Nothing is ever evaluated, executed or compiled. Every node
gets a shape (``shapes.py``); any problem raises ``CheckError`` naming the sub-expression and its
column.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass, field
from fractions import Fraction

from . import shapes as S

MAX_CHARS = 10_000
MAX_NODES = 2_000
MAX_DEPTH = 100
MAX_EXPONENT = 16
MAX_LITERAL = 1e6
MAX_CONSTANT = Fraction(10) ** 12
MAX_DENOMINATOR = 10**80  # two 30-digit decimals multiplied, with room to spare
MAX_SIGNIFICANT = 30
MIN_LITERAL = Fraction(1, 10**30)
MAX_DEGREE = 64
MAX_ARRAY = 8
FIXED_INDEX_FLOOR = 2  # dimension names are drawn from 2 upwards, so indices 0, 1, -1, -2 exist

MODULES = ("np", "numpy")
SUBMODULES = ("linalg",)

# name -> (min args, max args, allowed keywords)
ELEMENTWISE_1 = (
    "exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sinh", "cosh", "abs", "sign", "square",
)
FUNCTIONS: dict[str, tuple[int, int, tuple[str, ...]]] = {
    **{name: (1, 1, ()) for name in ELEMENTWISE_1},
    "maximum": (2, 2, ()),
    "minimum": (2, 2, ()),
    "sum": (1, 2, ("axis",)),
    "trace": (1, 1, ()),
    "det": (1, 1, ()),
    "inv": (1, 1, ()),
    "slogdet": (1, 1, ()),
    "diag": (1, 1, ()),
    "outer": (2, 2, ()),
    "eye": (1, 1, ()),
    "ones": (1, 1, ()),
    "zeros": (1, 1, ()),
    "norm": (1, 2, ("ord",)),
    "matrix_power": (2, 2, ()),
    "dot": (2, 2, ()),
    "matmul": (2, 2, ()),
    "transpose": (1, 1, ()),
    "where": (3, 3, ()),
    "array": (1, 1, ()),
}
ALIASES = {"absolute": "abs", "identity": "eye", "asarray": "array"}
CONSTANTS = ("pi", "e")
RESERVED = frozenset(FUNCTIONS) | frozenset(ALIASES) | frozenset(MODULES) | frozenset(
    SUBMODULES) | {"T", "inf", "nan", "True", "False", "None"}


class CheckError(ValueError):
    """Bad input: one line saying what is wrong and where (exit status 2)."""


class ShapeError(CheckError):
    """Shapes that do not fit together (``A @ b`` with the wrong inner dimensions...).

    In f this is bad input; in the claimed derivative it is a wrong answer (a dropped transpose
    on a rectangular matrix) and is reported as a refutation.
    """


@dataclass
class Node:
    """One typed node: ``op`` names the operation, ``shape`` is numpy's shape of its value.

    ``value`` is the exact value of a constant scalar built from number literals (for exponents
    and division by zero); ``const`` says the node involves no variable and no dimension.
    """

    op: str
    args: tuple = ()
    shape: S.Shape = ()
    data: object = None
    value: Fraction | None = None
    const: bool = False
    degree: int = 0
    col: int = 0
    src: str = ""
    names: frozenset = field(default_factory=frozenset)


@dataclass(frozen=True)
class Declared:
    """What a name in an expression may refer to: declared variables (name → shape) and
    dimension names."""

    variables: dict
    dims: frozenset


def parse(text: str, declared: Declared, label: str) -> Node:
    """Parse and shape-check ``text``; ``label`` (``--f``) prefixes every error message."""
    if not isinstance(text, str):
        raise CheckError(f"{label}: expected an expression")
    if len(text) > MAX_CHARS:
        raise CheckError(f"{label} is {len(text)} characters long; the limit is {MAX_CHARS}")
    if not text.strip():
        raise CheckError(f"{label} is empty")
    bad = next((c for c in text if (ord(c) < 32 and c not in "\t\n") or ord(c) == 127), None)
    if bad is not None:
        raise CheckError(f"{label} contains the control character {bad!r}")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        where = f" at column {exc.offset}" if exc.offset else ""
        message = str(exc.msg)
        if "integer string conversion" in message:
            message = "an integer literal with thousands of digits"
        raise CheckError(f"{label}{where}: syntax error: {message[:120]}") from None
    except (ValueError, MemoryError, RecursionError, OverflowError) as exc:
        raise CheckError(f"{label}: cannot parse this expression ({type(exc).__name__})") from None
    count, depth = _size(tree)
    if count > MAX_NODES:
        raise CheckError(f"{label} has more than {MAX_NODES} syntax nodes (the limit)")
    if depth > MAX_DEPTH:
        raise CheckError(f"{label} is nested {depth} levels deep; the limit is {MAX_DEPTH}")
    return _Walker(text, declared, label).value_of(tree.body)


def _size(tree) -> tuple[int, int]:
    count, deepest = 0, 0
    stack = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        count += 1
        deepest = max(deepest, depth)
        if count > MAX_NODES:
            break
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return count, deepest


_FORBIDDEN = {
    "Compare": "comparisons (<, ==, ...)",
    "BoolOp": "and/or",
    "IfExp": "conditional expressions (a if c else b)",
    "Lambda": "lambda",
    "ListComp": "comprehensions",
    "SetComp": "comprehensions",
    "DictComp": "comprehensions",
    "GeneratorExp": "generator expressions",
    "Dict": "dicts",
    "Set": "sets",
    "JoinedStr": "f-strings",
    "FormattedValue": "f-strings",
    "NamedExpr": "assignment expressions (:=)",
    "Starred": "*-unpacking",
    "Await": "await",
    "Yield": "yield",
    "YieldFrom": "yield",
    "Slice": "slices (only A[:, j] and A[i, :] are supported)",
    "Tuple": "tuples (only inside np.ones((m, n)) or np.zeros((m, n)))",
    "List": "lists outside np.array([...])",
}

_COMPARISONS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
                ast.GtE: ">="}
_BINOPS = {
    ast.Add: "add", ast.Sub: "sub", ast.Mult: "mul", ast.Div: "div", ast.Pow: "pow",
    ast.MatMult: "matmul",
}
_OPERATOR_TEXT = {
    "FloorDiv": "//", "Mod": "%", "LShift": "<<", "RShift": ">>", "BitOr": "|", "BitXor": "^",
    "BitAnd": "&", "Invert": "~", "Not": "not",
}


class _Walker:
    def __init__(self, text: str, declared: Declared, label: str):
        self.text = text
        self.declared = declared
        self.label = label

    # ------------------------------------------------------------------ errors and helpers
    def error(self, node, message: str, cls=CheckError) -> CheckError:
        line = getattr(node, "lineno", 1)
        col = getattr(node, "col_offset", 0) + 1
        where = f"line {line}, column {col}" if "\n" in self.text else f"column {col}"
        snippet = ast.get_source_segment(self.text, node) or ""
        snippet = " ".join(snippet.split())
        if len(snippet) > 40:
            snippet = snippet[:37] + "..."
        return cls(f"in {self.label} at {where}: `{snippet}`: {message}")

    def make(self, ast_node, op, args=(), shape=(), names=frozenset(), **kw) -> Node:
        names = frozenset(names).union(*(a.names for a in args))
        node = Node(op=op, args=tuple(args), shape=shape, col=ast_node.col_offset + 1,
                    src=ast.get_source_segment(self.text, ast_node) or "", names=names, **kw)
        if node.degree > MAX_DEGREE:
            raise self.error(ast_node, f"the polynomial degree here exceeds {MAX_DEGREE}")
        return node

    def visit(self, node) -> Node:
        kind = type(node).__name__
        method = getattr(self, f"v_{kind}", None)
        if method is None:
            what = _FORBIDDEN.get(kind) or _OPERATOR_TEXT.get(kind) or kind
            raise self.error(node, f"{what} not allowed")
        return method(node)

    def value_of(self, node) -> Node:
        """Visit a node that must be an array or scalar (not the pair slogdet returns)."""
        out = self.visit(node)
        if out.op == "slogdet":
            raise self.error(node, "slogdet returns the pair (sign, log|det|); index it: "
                                   "np.linalg.slogdet(A)[1]")
        return out

    # ------------------------------------------------------------------ leaves
    def v_Constant(self, node) -> Node:
        v = node.value
        if isinstance(v, bool) or v is None or v is Ellipsis:
            raise self.error(node, f"{v!r} not allowed; expected a number")
        if isinstance(v, str | bytes):
            raise self.error(node, "strings not allowed")
        if isinstance(v, complex):
            raise self.error(node, "complex numbers not allowed")
        if not isinstance(v, int | float):
            raise self.error(node, "unsupported constant")
        if isinstance(v, float) and not math.isfinite(v):
            raise self.error(node, "number is not finite")
        if abs(v) > MAX_LITERAL:
            raise self.error(node, f"number larger than {MAX_LITERAL:g} in magnitude")
        value = Fraction(v) if isinstance(v, int) else self.decimal_value(node)
        return self.make(node, "num", value=value, const=True)

    def decimal_value(self, node) -> Fraction:
        """The exact value of a decimal literal as typed (``0.7978845608`` is 7978845608/10¹⁰,
        not the nearest double), so the exact layer compares what the user wrote.

        The text is read, not the parsed float: a literal with more digits than a double holds
        keeps them all. A literal with more than ``MAX_SIGNIFICANT`` significant digits, or
        smaller than ``MIN_LITERAL`` (where a double would round it to 0 while the exact value
        is not), is refused with the reason.
        """
        text = (ast.get_source_segment(self.text, node) or repr(node.value)).replace("_", "")
        try:
            value = Fraction(text)
        except (ValueError, ZeroDivisionError):
            value = Fraction(repr(node.value))
        digits = _significant_digits(text)
        if digits > MAX_SIGNIFICANT:
            raise self.error(node, f"number has {digits} significant digits; the limit is "
                                   f"{MAX_SIGNIFICANT}")
        if value and abs(value) < MIN_LITERAL:
            raise self.error(node, f"number smaller than {float(MIN_LITERAL):g} in magnitude "
                                   "(write 0 or a larger number)")
        return value

    def v_Name(self, node) -> Node:
        name = node.id
        if name in self.declared.variables:
            shape = self.declared.variables[name]
            return self.make(node, "var", data=name, shape=shape, degree=1,
                             names=frozenset([name]))
        if name in self.declared.dims:
            return self.make(node, "dim", data=name)
        if name in CONSTANTS:  # only when no declared variable or dimension has this name
            return self.make(node, "const", data=name, const=True)
        if name in MODULES or name in SUBMODULES:
            raise self.error(node, f"{name} is a module, not a value")
        if name in FUNCTIONS or name in ALIASES:
            raise self.error(node, f"the function {name} must be called, as in {name}(x)")
        known = sorted(self.declared.variables) + sorted(self.declared.dims)
        hint = f" (declared: {', '.join(known)})" if known else ""
        raise self.error(node, f"unknown name {name!r}; declare variables with --var{hint}")

    # ------------------------------------------------------------------ attributes and calls
    def v_Attribute(self, node) -> Node:
        attr = node.attr
        if attr.startswith("_"):
            raise self.error(node, f"the attribute .{attr} is not allowed")
        if attr == "T":
            return self.transpose(node, self.value_of(node.value))
        qualified = self.qualified(node)
        if qualified is None:
            raise self.error(node, f"the attribute .{attr} is not allowed; only .T is")
        if qualified in CONSTANTS:
            return self.make(node, "const", data=qualified, const=True)
        if qualified in FUNCTIONS or qualified in ALIASES:
            raise self.error(node, f"the function {qualified} must be called")
        raise self.error(node, f"unknown numpy name {qualified!r}")

    def qualified(self, node) -> str | None:
        """``np.linalg.inv`` → ``"inv"``; None when the chain does not start at np/numpy."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(node.id)
        parts.reverse()
        if parts[0] not in MODULES and parts[0] not in SUBMODULES:
            return None
        middle = parts[1:-1]
        if parts[0] in SUBMODULES:
            middle = parts[:-1]
        if any(p not in SUBMODULES for p in middle) or len(middle) > 1:
            return None
        return parts[-1]

    def function_name(self, func) -> str:
        if isinstance(func, ast.Name):
            name = func.id
            if name in self.declared.variables:
                raise self.error(func, f"{name} is a variable, not a function")
        elif isinstance(func, ast.Attribute):
            if func.attr.startswith("_"):
                raise self.error(func, f"the attribute .{func.attr} is not allowed")
            name = self.qualified(func)
            if name is None:
                raise self.error(func, "only numpy functions can be called (no methods)")
        else:
            raise self.error(func, "only numpy functions can be called")
        name = ALIASES.get(name, name)
        if name not in FUNCTIONS:
            raise self.error(func, f"unknown function {name!r}; available: "
                                   f"{', '.join(sorted(FUNCTIONS))}")
        return name

    def v_Call(self, node) -> Node:
        name = self.function_name(node.func)
        low, high, keywords = FUNCTIONS[name]
        for a in node.args:
            if isinstance(a, ast.Starred):
                raise self.error(a, "*-unpacking not allowed")
        for k in node.keywords:
            if k.arg is None:
                raise self.error(node, "**-unpacking not allowed")
            if k.arg not in keywords:
                raise self.error(node, f"{name}() takes no keyword {k.arg!r}")
        given = len(node.args) + len(node.keywords)
        if not low <= given <= high:
            expected = str(low) if low == high else f"{low} to {high}"
            raise self.error(node, f"{name}() takes {expected} argument(s), {given} given")
        return getattr(self, f"fn_{name}", self.fn_elementwise)(node, name)

    # ------------------------------------------------------------------ operators
    def v_UnaryOp(self, node) -> Node:
        if isinstance(node.op, ast.UAdd):
            return self.value_of(node.operand)
        if not isinstance(node.op, ast.USub):
            raise self.error(node, f"the operator {_OPERATOR_TEXT.get(type(node.op).__name__)} "
                                   "not allowed")
        a = self.value_of(node.operand)
        value = -a.value if a.value is not None else None
        return self.make(node, "neg", (a,), a.shape, value=value, const=a.const, degree=a.degree)

    def v_BinOp(self, node) -> Node:
        op = _BINOPS.get(type(node.op))
        if op is None:
            text = _OPERATOR_TEXT.get(type(node.op).__name__, type(node.op).__name__)
            raise self.error(node, f"the operator {text} not allowed")
        a, b = self.value_of(node.left), self.value_of(node.right)
        return getattr(self, f"op_{op}")(node, a, b)

    def elementwise_shape(self, node, a: Node, b: Node, verb: str) -> S.Shape:
        shape = S.broadcast(a.shape, b.shape)
        if shape is None:
            hint = ""
            if S.same(S.transpose(a.shape), b.shape) or S.same(a.shape, S.transpose(b.shape)):
                hint = " (one is the transpose of the other: add .T)"
            raise self.error(node, f"cannot {verb} {S.describe(a.shape)} and "
                                   f"{S.describe(b.shape)}{hint}", ShapeError)
        return shape

    def folded(self, node, value: Fraction | None) -> Fraction | None:
        """A folded constant, refused when it grows past the limits (``1e6 ** 16``, or a
        product of many long decimals)."""
        if value is not None and abs(value) > MAX_CONSTANT:
            raise self.error(node, "constant too large")
        if value is not None and value.denominator > MAX_DENOMINATOR:
            raise self.error(node, "constant has too many digits after the decimal point")
        return value

    def op_add(self, node, a, b):
        shape = self.elementwise_shape(node, a, b, "add")
        value = a.value + b.value if a.value is not None and b.value is not None else None
        return self.make(node, "add", (a, b), shape, value=self.folded(node, value),
                         const=a.const and b.const, degree=max(a.degree, b.degree))

    def op_sub(self, node, a, b):
        shape = self.elementwise_shape(node, a, b, "subtract")
        value = a.value - b.value if a.value is not None and b.value is not None else None
        return self.make(node, "sub", (a, b), shape, value=self.folded(node, value),
                         const=a.const and b.const, degree=max(a.degree, b.degree))

    def op_mul(self, node, a, b):
        shape = self.elementwise_shape(node, a, b, "multiply (elementwise, *)")
        value = a.value * b.value if a.value is not None and b.value is not None else None
        return self.make(node, "mul", (a, b), shape, value=self.folded(node, value),
                         const=a.const and b.const, degree=a.degree + b.degree)

    def op_div(self, node, a, b):
        shape = self.elementwise_shape(node, a, b, "divide")
        if b.value == 0:
            raise self.error(node, "division by zero")
        value = a.value / b.value if a.value is not None and b.value is not None else None
        return self.make(node, "div", (a, b), shape, value=self.folded(node, value),
                         const=a.const and b.const, degree=a.degree + b.degree)

    def op_matmul(self, node, a, b):
        shape = S.matmul(a.shape, b.shape)
        if isinstance(shape, str):
            raise self.error(node, f"cannot compute {S.describe(a.shape)} @ "
                                   f"{S.describe(b.shape)}: {shape}", ShapeError)
        return self.make(node, "matmul", (a, b), shape, const=a.const and b.const,
                         degree=a.degree + b.degree)

    def op_pow(self, node, a, b):
        shape = self.elementwise_shape(node, a, b, "raise to a power")
        k = b.value
        if k is None and b.const:
            raise self.error(node.right, "the exponent must be a rational number (2, -1, 0.5) "
                                         "or an expression of the variables")
        if k is not None:
            if abs(k) > MAX_EXPONENT:
                raise self.error(node.right, f"exponent {k} exceeds {MAX_EXPONENT} in magnitude")
            if k.denominator > MAX_EXPONENT:
                raise self.error(node.right, "fractional exponents need a denominator of at "
                                             f"most {MAX_EXPONENT}")
            if a.value is not None:
                if a.value == 0 and k < 0:
                    raise self.error(node, "division by zero (0 to a negative power)")
                if a.value < 0 and k.denominator != 1:
                    raise self.error(node, "a negative number to a fractional power")
            degree = a.degree * math.ceil(abs(k))
        else:
            degree = a.degree + b.degree
        value = None
        if a.value is not None and k is not None and k.denominator == 1:
            value = self.folded(node, a.value ** int(k))
        return self.make(node, "pow", (a, b), shape, value=value, const=a.const and b.const,
                         degree=degree)

    def transpose(self, node, a: Node) -> Node:
        return self.make(node, "T", (a,), S.transpose(a.shape), value=a.value, const=a.const,
                         degree=a.degree)

    # ------------------------------------------------------------------ indexing
    def v_Subscript(self, node) -> Node:
        base = self.visit(node.value)
        idx = node.slice
        if base.op == "slogdet":
            k = self.int_index(idx)
            if k not in (0, 1, -1, -2):
                raise self.error(node, "slogdet(A) has two parts: [0] the sign, [1] log|det A|")
            part = "sign" if k in (0, -2) else "logabsdet"
            degree = base.degree
            return self.make(node, "slogdet_part", (base,), (), data=part, degree=degree)
        if base.shape == ():
            raise self.error(node, "cannot index a scalar")
        items = list(idx.elts) if isinstance(idx, ast.Tuple) else [idx]
        if len(items) > len(base.shape):
            raise self.error(node, f"too many indices for {S.describe(base.shape)}", ShapeError)
        if len(base.shape) == 1:
            i = self.checked_index(items[0], base.shape[0])
            return self.make(node, "entry", (base,), (), data=(i, (0, None)), degree=base.degree)
        rows, cols = base.shape
        if len(items) == 1:
            i = self.checked_index(items[0], rows)
            return self.make(node, "part", (base,), (cols,), data=("row", i), degree=base.degree)
        first, second = items
        if _full_slice(first) and _full_slice(second):
            raise self.error(node, "A[:, :] is A")
        if _full_slice(first):
            j = self.checked_index(second, cols)
            return self.make(node, "part", (base,), (rows,), data=("col", j), degree=base.degree)
        if _full_slice(second):
            i = self.checked_index(first, rows)
            return self.make(node, "part", (base,), (cols,), data=("row", i), degree=base.degree)
        i, j = self.checked_index(first, rows), self.checked_index(second, cols)
        return self.make(node, "entry", (base,), (), data=(i, j), degree=base.degree)

    def int_index(self, node) -> int:
        sign = 1
        inner = node
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            sign, inner = -1, node.operand
        if isinstance(inner, ast.Constant) and type(inner.value) is int:
            return sign * inner.value
        if isinstance(inner, ast.Slice):
            raise self.error(node, "slices not allowed (only A[:, j] and A[i, :])")
        raise self.error(node, "an index must be an integer literal such as 0 or -1")

    def checked_index(self, node, dim) -> tuple:
        """An index valid for every size the dimension can take: (offset, dimension or None)."""
        k = self.int_index(node)
        if isinstance(dim, int):
            if not -dim <= k < dim:
                raise self.error(node, f"index {k} is out of range for a dimension of {dim}")
            return (k % dim, None)
        if not -FIXED_INDEX_FLOOR <= k < FIXED_INDEX_FLOOR:
            raise self.error(node, f"index {k} may be out of range: {dim} is drawn from "
                                   f"{FIXED_INDEX_FLOOR} upwards (give a fixed size to index "
                                   "further, e.g. --var x=4)")
        return (k, dim) if k < 0 else (k, None)

    # ------------------------------------------------------------------ functions
    def args_of(self, node) -> list[Node]:
        return [self.value_of(a) for a in node.args]

    def fn_elementwise(self, node, name):
        (a,) = self.args_of(node)
        if name == "square":
            degree = 2 * a.degree
        elif name in ("abs", "sign"):
            degree = a.degree
        else:
            degree = max(a.degree, 1 if not a.const else 0)
        return self.make(node, "fn", (a,), a.shape, data=name, const=a.const, degree=degree)

    def fn_maximum(self, node, name):
        a, b = self.args_of(node)
        shape = self.elementwise_shape(node, a, b, f"take the {name} of")
        return self.make(node, "fn", (a, b), shape, data=name, const=a.const and b.const,
                         degree=max(a.degree, b.degree))

    fn_minimum = fn_maximum

    def fn_where(self, node, name):
        """``np.where(condition, a, b)`` of scalars: a function defined piecewise, such as
        ``np.where((x == 0) & (y == 0), 0, x * y / (x ** 2 + y ** 2))``."""
        cond = self.condition(node.args[0])
        a, b = (self.value_of(arg) for arg in node.args[1:])
        for part in (a, b):
            if not S.scalar_like(part.shape):
                raise self.error(node, "np.where takes scalar values here; this one is "
                                       f"{S.describe(part.shape)}")
        return self.make(node, "fn", (cond, a, b), (), data=name,
                         const=cond.const and a.const and b.const,
                         degree=max(cond.degree, a.degree, b.degree))

    def condition(self, node) -> Node:
        """A comparison of two scalars (``x == 0``, ``x < y``), or several joined by ``&``
        and ``|``: only as the first argument of np.where."""
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitAnd | ast.BitOr):
            a, b = self.condition(node.left), self.condition(node.right)
            op = "and" if isinstance(node.op, ast.BitAnd) else "or"
            return self.make(node, op, (a, b), (), const=a.const and b.const,
                             degree=max(a.degree, b.degree))
        if isinstance(node, ast.Compare):
            if len(node.ops) != 1:
                raise self.error(node, "chained comparisons are not allowed; join them with & "
                                       "as in (a < x) & (x < b)")
            op = _COMPARISONS.get(type(node.ops[0]))
            if op is None:
                raise self.error(node, "this comparison is not allowed; use == != < <= > >=")
            a, b = self.value_of(node.left), self.value_of(node.comparators[0])
            for part in (a, b):
                if not S.scalar_like(part.shape):
                    raise self.error(node, "a condition compares scalars; this side is "
                                           f"{S.describe(part.shape)}")
            return self.make(node, "cmp", (a, b), (), data=op, const=a.const and b.const,
                             degree=max(a.degree, b.degree))
        raise self.error(node, "np.where needs a condition such as x == 0 or "
                               "(x == 0) & (y == 0)")

    def fn_sum(self, node, name):
        a = self.value_of(node.args[0])
        axis_node = node.args[1] if len(node.args) > 1 else next(
            (k.value for k in node.keywords if k.arg == "axis"), None)
        if axis_node is None or (isinstance(axis_node, ast.Constant) and axis_node.value is None):
            return self.make(node, "fn", (a,), (), data="sum", const=a.const, degree=a.degree)
        axis = self.int_index(axis_node)
        ndim = len(a.shape)
        if ndim == 0 or not -ndim <= axis < ndim:
            raise self.error(node, f"axis {axis} is out of range for {S.describe(a.shape)}",
                             ShapeError)
        axis %= ndim
        if ndim == 1:
            return self.make(node, "fn", (a,), (), data="sum", const=a.const, degree=a.degree)
        shape = (a.shape[1],) if axis == 0 else (a.shape[0],)
        return self.make(node, "sum_axis", (a,), shape, data=axis, const=a.const,
                         degree=a.degree)

    def square(self, node, a: Node, name: str):
        if not S.is_square(a.shape):
            raise self.error(node, f"{name} needs a square matrix; the argument is "
                                   f"{S.describe(a.shape)}", ShapeError)

    def fn_trace(self, node, name):
        (a,) = self.args_of(node)
        self.square(node, a, name)
        return self.make(node, "fn", (a,), (), data=name, const=a.const, degree=a.degree)

    def fn_det(self, node, name):
        (a,) = self.args_of(node)
        self.square(node, a, name)
        size = a.shape[0] if isinstance(a.shape[0], int) else 3
        return self.make(node, "fn", (a,), (), data=name, const=a.const,
                         degree=a.degree * size)

    def fn_inv(self, node, name):
        (a,) = self.args_of(node)
        self.square(node, a, name)
        return self.make(node, "fn", (a,), a.shape, data=name, const=a.const, degree=a.degree)

    def fn_slogdet(self, node, name):
        (a,) = self.args_of(node)
        self.square(node, a, name)
        return self.make(node, "slogdet", (a,), None, const=a.const, degree=a.degree)

    def fn_diag(self, node, name):
        (a,) = self.args_of(node)
        if len(a.shape) == 1:
            return self.make(node, "fn", (a,), (a.shape[0], a.shape[0]), data="diag",
                             const=a.const, degree=a.degree)
        if S.is_square(a.shape):
            return self.make(node, "fn", (a,), (a.shape[0],), data="diag_of", const=a.const,
                             degree=a.degree)
        raise self.error(node, f"diag needs a vector or a square matrix; the argument is "
                               f"{S.describe(a.shape)}", ShapeError)

    def fn_outer(self, node, name):
        a, b = self.args_of(node)
        for arg, x in ((node.args[0], a), (node.args[1], b)):
            if len(x.shape) != 1:
                raise self.error(arg, f"outer needs two vectors; this is {S.describe(x.shape)}",
                                 ShapeError)
        return self.make(node, "fn", (a, b), (a.shape[0], b.shape[0]), data="outer",
                         const=a.const and b.const, degree=a.degree + b.degree)

    def size_arg(self, node) -> S.Dim:
        if isinstance(node, ast.Name) and node.id in self.declared.dims:
            return node.id
        if isinstance(node, ast.Constant) and type(node.value) is int:
            if not 1 <= node.value <= MAX_ARRAY:
                raise self.error(node, f"a fixed size must be between 1 and {MAX_ARRAY}")
            return node.value
        raise self.error(node, "a size must be a dimension name (n) or a small integer")

    def fn_eye(self, node, name):
        d = self.size_arg(node.args[0])
        return self.make(node, "eye", (), (d, d), data=d, const=isinstance(d, int))

    def fn_ones(self, node, name):
        arg = node.args[0]
        if isinstance(arg, ast.Tuple | ast.List):
            if not 1 <= len(arg.elts) <= 2:
                raise self.error(arg, "a shape has one or two dimensions")
            shape = tuple(self.size_arg(e) for e in arg.elts)
        else:
            shape = (self.size_arg(arg),)
        return self.make(node, name, (), shape, data=shape,
                         const=all(isinstance(d, int) for d in shape))

    fn_zeros = fn_ones

    def fn_norm(self, node, name):
        a = self.value_of(node.args[0])
        order = node.args[1] if len(node.args) > 1 else next(
            (k.value for k in node.keywords if k.arg == "ord"), None)
        if order is not None and not (isinstance(order, ast.Constant) and order.value is None):
            k = self.int_index(order)
            if k != 2 or len(a.shape) != 1:
                raise self.error(node, "only the Euclidean norm of a vector (ord=2) and the "
                                       "default norm (Frobenius for a matrix) are supported")
        return self.make(node, "fn", (a,), (), data="norm", const=a.const, degree=a.degree)

    def fn_matrix_power(self, node, name):
        a = self.value_of(node.args[0])
        self.square(node, a, name)
        k = self.int_index(node.args[1])
        if abs(k) > MAX_EXPONENT:
            raise self.error(node.args[1], f"exponent {k} exceeds {MAX_EXPONENT} in magnitude")
        return self.make(node, "matpow", (a,), a.shape, data=k, const=a.const,
                         degree=a.degree * max(abs(k), 1))

    def fn_dot(self, node, name):
        a, b = self.args_of(node)
        if a.shape == () or b.shape == ():
            return self.op_mul(node, a, b)
        return self.op_matmul(node, a, b)

    def fn_matmul(self, node, name):
        a, b = self.args_of(node)
        return self.op_matmul(node, a, b)

    def fn_transpose(self, node, name):
        (a,) = self.args_of(node)
        return self.transpose(node, a)

    def fn_array(self, node, name):
        arg = node.args[0]
        if not isinstance(arg, ast.List | ast.Tuple) or not arg.elts:
            raise self.error(arg, "np.array needs a non-empty list such as [a, b] or "
                                  "[[a, b], [c, d]]")
        rows = arg.elts
        nested = [isinstance(r, ast.List | ast.Tuple) for r in rows]
        if any(nested) and not all(nested):
            raise self.error(arg, "mix of numbers and lists in np.array")
        if len(rows) > MAX_ARRAY:
            raise self.error(arg, f"np.array literals have at most {MAX_ARRAY} rows")
        if not any(nested):
            entries = [self.scalar_entry(e) for e in rows]
            shape = (len(entries),)
        else:
            width = len(rows[0].elts)
            if not 1 <= width <= MAX_ARRAY or any(len(r.elts) != width for r in rows):
                raise self.error(arg, f"np.array rows must all have the same length (1 to "
                                      f"{MAX_ARRAY})")
            entries = [self.scalar_entry(e) for r in rows for e in r.elts]
            shape = (len(rows), width)
        return self.make(node, "array", tuple(entries), shape, data=S.as2d(shape),
                         const=all(e.const for e in entries),
                         degree=max(e.degree for e in entries))

    def scalar_entry(self, node) -> Node:
        if isinstance(node, ast.List | ast.Tuple):
            raise self.error(node, "np.array literals have at most two levels of lists")
        out = self.value_of(node)
        if not S.scalar_like(out.shape):
            raise self.error(node, f"np.array entries must be scalars; this is "
                                   f"{S.describe(out.shape)}")
        return out


def _significant_digits(literal: str) -> int:
    """Significant digits of a decimal literal (``0.044715`` → 5, ``1.50e-3`` → 2): leading
    and trailing zeros of the mantissa do not count, since they do not change the value."""
    mantissa = literal.lower().partition("e")[0].replace(".", "").lstrip("+-")
    return len(mantissa.strip("0"))


def _full_slice(node) -> bool:
    return isinstance(node, ast.Slice) and node.lower is None and node.upper is None and \
        node.step is None
