"""What the user asked: variables and shapes, assumptions, kind, and the parsed expressions.

Everything here is validated before any sympy object is built: a problem raises ``CheckError``
with one line naming the option and what is wrong. A claimed expression of the wrong shape is not
bad input but a wrong answer: it is recorded in ``Problem.shape_error`` and reported as refuted.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field

from . import shapes as S
from .parser import RESERVED, CheckError, Declared, Node, ShapeError, parse

KINDS = ("gradient", "jacobian", "hessian", "directional", "derivative", "partial", "identity")
DERIVATIVE_KINDS = KINDS[:-1]
SIDES = ("+", "-")
MAX_PARTIALS = 4
ASSUMPTIONS = (
    "real", "symmetric", "spd", "invertible", "nonzero", "positive", "probability", "unit-interval",
)
SQUARE_ONLY = ("symmetric", "spd", "invertible")
NON_SMOOTH = ("maximum", "minimum", "abs", "sign", "where")
MAX_VARIABLES = 8
MAX_DIM_NAMES = 4
MAX_FIXED_DIM = 8
MAX_OPTION_CHARS = 200
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,23}$")
SCALAR_WORDS = ("", "scalar", "()", "1x1")


@dataclass
class Problem:
    """A parsed request: names, shapes, domains and the two typed expression trees."""

    f: Node
    claimed: Node | None  # None when the claimed expression is not defined for these shapes
    wrt: str
    kind: str
    direction: str | None
    variables: dict  # name -> shape (in declaration order)
    domains: dict  # name -> domain
    dims: list  # dimension names, in order of first appearance
    required: S.Shape  # the shape the claimed expression must have
    shape_error: str | None = None
    claimed_text: str = ""
    wrt_names: tuple = ()  # the differentiated variables, in order (several for a partial)
    at: dict = field(default_factory=dict)  # name -> constant Node: the point of the claim
    side: str | None = None  # "+" or "-": a one-sided derivative at the point
    at_text: dict = field(default_factory=dict)  # name -> the value as typed
    direction_names: tuple = ()  # one variable, or scalars matching stacked --wrt scalars

    def kinks(self) -> list[str]:
        """The functions with kinks (maximum, abs...) that f or the claim uses."""
        found: set = set()
        stack = [n for n in (self.f, self.claimed) if n is not None]
        while stack:
            node = stack.pop()
            if node.op == "fn" and node.data in NON_SMOOTH:
                found.add(node.data)
            stack.extend(node.args)
        return sorted(found)

    def decimals(self) -> list[str]:
        """The decimal literals of f and the claim as typed (``3.14159``, ``1e-3``), in order
        and without repeats: when exact arithmetic alone sees a difference, a decimal written
        for an exact constant is the likely cause."""
        found: list[str] = []
        for root in (self.f, self.claimed):
            stack = [root] if root is not None else []
            while stack:
                node = stack.pop()
                if node.op == "num" and _is_decimal(node.src) and node.src not in found:
                    found.append(node.src)
                stack.extend(reversed(node.args))
        return found


def _is_decimal(literal: str) -> bool:
    """``0.5``, ``3.``, ``1e-3``: a literal with a decimal point or an exponent (not ``0xE``)."""
    text = literal.lower()
    return "." in text or ("e" in text and not text.startswith("0x"))


def _name(text: str, what: str) -> str:
    if not _NAME.match(text):
        raise CheckError(f"{what} {text[:40]!r} is not a valid name (a letter, then letters, "
                         "digits or _; at most 24 characters)")
    if keyword.iskeyword(text) or text in RESERVED or "__" in text:
        raise CheckError(f"{what} {text!r} is a reserved word; choose another name")
    return text


def parse_var(text: str) -> tuple[str, S.Shape]:
    """``x=n`` → ("x", ("n",)); ``A=m,n``; ``B=3,3``; ``t=scalar`` (or ``t=``) → ("t", ())."""
    if len(text) > MAX_OPTION_CHARS:
        raise CheckError(f"--var is {len(text)} characters long; the limit is {MAX_OPTION_CHARS}")
    if "=" not in text:
        raise CheckError(f"--var {text!r}: expected NAME=SHAPE, e.g. x=n, A=m,n or t=scalar")
    name, _, shape_text = text.partition("=")
    name = _name(name.strip(), "--var: the variable name")
    raw = shape_text.strip()
    if raw.startswith("(") and raw.endswith(")"):
        raw = raw[1:-1].strip()
    if raw.lower() in SCALAR_WORDS:
        return name, ()
    parts = [p.strip() for p in raw.split(",")]
    if parts and parts[-1] == "" and len(parts) > 1:
        parts = parts[:-1]
    if not 1 <= len(parts) <= 2:
        raise CheckError(f"--var {name}: a shape has one dimension (a vector, n) or two "
                         f"(a matrix, m,n); got {shape_text.strip()!r}")
    dims: list = []
    for p in parts:
        if re.fullmatch(r"[+-]?\d+", p):
            value = int(p)
            if not 1 <= value <= MAX_FIXED_DIM:
                raise CheckError(f"--var {name}: the size {p} is out of range; fixed sizes are "
                                 f"1 to {MAX_FIXED_DIM} (use a name such as n for any size)")
            dims.append(value)
        else:
            dims.append(_name(p, f"--var {name}: the dimension"))
    return name, tuple(dims)


def parse_assume(text: str) -> tuple[str, str]:
    if len(text) > MAX_OPTION_CHARS or "=" not in text:
        raise CheckError(f"--assume {text[:40]!r}: expected NAME=ASSUMPTION, e.g. A=symmetric")
    name, _, domain = (p.strip() for p in text.partition("="))
    if domain not in ASSUMPTIONS:
        raise CheckError(f"--assume {name}: unknown assumption {domain[:40]!r}; expected one of "
                         f"{', '.join(ASSUMPTIONS[1:])}")
    return name, domain


def build(f: str, claimed: str, wrt: str | None, var: list, kind: str = "gradient",
          direction: str | None = None, assume: list | None = None, at: list | None = None,
          side: str | None = None) -> Problem:
    """Validate every option and parse both expressions (no sympy involved)."""
    if kind not in KINDS:
        raise CheckError(f"--kind: unknown kind {str(kind)[:40]!r}; expected one of "
                         f"{', '.join(KINDS)}")
    if not var:
        raise CheckError("declare every variable with --var NAME=SHAPE (e.g. --var x=n)")
    if len(var) > MAX_VARIABLES:
        raise CheckError(f"{len(var)} variables declared; the limit is {MAX_VARIABLES}")
    variables: dict = {}
    dims: list = []
    for text in var:
        name, shape = parse_var(text)
        if name in variables:
            raise CheckError(f"--var {name} is declared twice")
        variables[name] = shape
        for d in S.dims_in(shape):
            if d not in dims:
                dims.append(d)
    for d in dims:
        if d in variables:
            raise CheckError(f"{d!r} is both a variable and a dimension name")
    if len(dims) > MAX_DIM_NAMES:
        raise CheckError(f"{len(dims)} dimension names ({', '.join(dims)}); the limit is "
                         f"{MAX_DIM_NAMES}")
    names = sorted(variables)
    for a in names:
        for b in names:
            if a != b and b.startswith(a) and b[len(a):].isdigit():
                raise CheckError(f"the variable names {a!r} and {b!r} would be confused (the "
                                 f"entries of {a} are named {a}1, {a}2, ...); rename {b}")
    domains: dict = {}
    for text in assume or []:
        name, domain = parse_assume(text)
        if name not in variables:
            raise CheckError(f"--assume {name}: {name!r} is not a declared variable")
        if name in domains:
            raise CheckError(f"--assume {name} is given twice")
        shape = variables[name]
        if domain in SQUARE_ONLY and not S.is_square(shape):
            raise CheckError(f"--assume {name}={domain} needs a square matrix; {name} is "
                             f"{S.describe(shape)}")
        if domain == "probability" and shape == ():
            raise CheckError(f"--assume {name}=probability needs a vector or matrix")
        if domain != "real":
            domains[name] = domain
    wrt_names = _wrt(wrt, kind, variables)
    wrt = ",".join(wrt_names)
    direction_names = _direction(direction, kind, wrt_names, variables, domains)
    direction = ",".join(direction_names) or None

    declared = Declared(variables=dict(variables), dims=frozenset(dims))
    point = _point(at or [], variables, domains)
    if side is not None:
        side = str(side).strip()
        if side not in SIDES:
            raise CheckError(f"--side {side[:40]!r}: expected + (from the right) or - (from "
                             "the left)")
        if kind not in ("derivative", "partial"):
            raise CheckError("--side is only used with --kind derivative or partial")
        if not point:
            raise CheckError("--side needs the point: give every variable a value with --at")
    f_node = parse(f, declared, "--f")
    wrt_shape = (len(wrt_names),) if len(wrt_names) > 1 and kind != "partial" else \
        variables[wrt_names[0]] if wrt_names else ()
    required = _required_shape(f_node, wrt, wrt_shape, kind, direction_names)
    problem = Problem(f=f_node, claimed=None, wrt=wrt, kind=kind, direction=direction,
                      variables=variables, domains=domains, dims=dims, required=required,
                      claimed_text=claimed, wrt_names=wrt_names, at=point, side=side,
                      direction_names=direction_names,
                      at_text={name: parse_at(t)[1] for t in at or []
                               for name in [parse_at(t)[0]]})
    try:
        problem.claimed = parse(claimed, declared, "--claimed")
    except ShapeError as exc:
        problem.shape_error = f"the claimed expression is not defined for these shapes: {exc}"
    else:
        problem.shape_error = _shape_error(problem)
    return problem


DIRECTION_DOMAINS = ("symmetric",)


def _wrt(wrt, kind: str, variables: dict) -> tuple:
    """The differentiated variables: none for an identity, one, or several for a partial."""
    text = wrt.strip() if isinstance(wrt, str) else ""
    if kind == "identity":
        if text:
            raise CheckError("--wrt is not used with --kind identity (it compares f with the "
                             "claimed expression)")
        return ()
    if not text:
        raise CheckError(f"--kind {kind} needs --wrt NAME, a declared variable")
    if len(text) > MAX_OPTION_CHARS:
        raise CheckError(f"--wrt is {len(text)} characters long; the limit is "
                         f"{MAX_OPTION_CHARS}")
    names = tuple(p.strip() for p in text.split(",")) if kind != "derivative" else (text,)
    if not 1 <= len(names) <= MAX_PARTIALS:
        raise CheckError(f"--wrt names {len(names)} variables; a partial derivative takes 1 to "
                         f"{MAX_PARTIALS}, in order (x,y is the derivative in y of the "
                         "derivative in x)" if kind == "partial" else
                         f"--wrt names {len(names)} variables; at most {MAX_PARTIALS} scalars "
                         "can be stacked into a vector")
    for name in names:
        if name not in variables:
            raise CheckError(f"--wrt {name[:40]!r} is not a declared variable (declared: "
                             f"{', '.join(variables)})")
        if kind in ("derivative", "partial") and variables[name] != ():
            raise CheckError(f"--kind {kind} is taken with respect to scalars; {name} is "
                             f"{S.describe(variables[name])} (use --kind gradient, jacobian or "
                             "directional)")
        if len(names) > 1 and kind != "partial" and variables[name] != ():
            raise CheckError(f"--wrt {text[:40]}: the variables are stacked into a vector, so "
                             f"each must be a scalar; {name} is {S.describe(variables[name])}")
    if kind != "partial" and len(set(names)) != len(names):
        raise CheckError(f"--wrt {text[:40]}: a variable is named twice")
    return names


def _direction(direction, kind: str, wrt_names: tuple, variables: dict, domains: dict) -> tuple:
    """The direction: a variable of the shape of --wrt, or scalars matching stacked ones."""
    if kind != "directional":
        if direction:
            raise CheckError("--direction is only used with --kind directional")
        return ()
    text = direction.strip() if isinstance(direction, str) else ""
    if not text:
        raise CheckError("--kind directional needs --direction NAME, a declared variable "
                         "of the shape of the --wrt variable")
    names = tuple(p.strip() for p in text.split(","))
    if len(names) != len(wrt_names):
        raise CheckError(f"--direction names {len(names)} variables but --wrt names "
                         f"{len(wrt_names)}; they must match one to one")
    for name, wrt in zip(names, wrt_names, strict=True):
        if name not in variables:
            raise CheckError(f"--direction {name[:40]!r} is not a declared variable")
        if name in wrt_names:
            raise CheckError("--direction must be a different variable from --wrt")
        if not S.same(variables[name], variables[wrt]):
            raise CheckError(f"--direction {name} is {S.describe(variables[name])} "
                             f"but {wrt} is {S.describe(variables[wrt])}; they must match")
        if name in domains and (domains[name] not in DIRECTION_DOMAINS or len(names) > 1):
            raise CheckError(f"--assume {name}={domains[name]}: a direction can only "
                             f"be restricted to {' or '.join(DIRECTION_DOMAINS)} matrices")
    if len(set(names)) != len(names):
        raise CheckError(f"--direction {text[:40]}: a variable is named twice")
    return names


def parse_at(text: str) -> tuple[str, str]:
    if len(text) > MAX_OPTION_CHARS * 2 or "=" not in text:
        raise CheckError(f"--at {text[:40]!r}: expected NAME=VALUE, e.g. x=0, t=1/2 or "
                         "v=[1, 2]")
    name, _, value = (p.strip() for p in text.partition("="))
    return name, value


def _point(at: list, variables: dict, domains: dict) -> dict:
    """``--at x=0 --at v=[1, 2]``: a constant value of the declared shape for every variable."""
    if not at:
        return {}
    point: dict = {}
    for text in at:
        name, value = parse_at(text)
        if name not in variables:
            raise CheckError(f"--at {name[:40]!r} is not a declared variable")
        if name in point:
            raise CheckError(f"--at {name} is given twice")
        if not value:
            raise CheckError(f"--at {name}: no value given")
        source = f"np.array({value})" if value.startswith("[") else value
        node = parse(source, Declared(variables={}, dims=frozenset()), f"--at {name}")
        if not node.const:
            raise CheckError(f"--at {name}: the value must be a number or an array of numbers")
        shape = variables[name]
        if S.dims_in(shape):
            raise CheckError(f"--at {name}: {name} has the size {S.fmt(shape)}; give it a fixed "
                             f"size to check at a point (e.g. --var {name}="
                             f"{','.join('2' if isinstance(d, str) else str(d) for d in shape)})")
        if not (S.same(node.shape, shape) or (shape == () and S.scalar_like(node.shape))):
            raise CheckError(f"--at {name}: the value is {S.describe(node.shape)} but {name} is "
                             f"{S.describe(shape)}")
        point[name] = node
    missing = [n for n in variables if n not in point]
    if missing:
        raise CheckError(f"--at gives a point: give every variable a value (missing "
                         f"{', '.join(missing)})")
    return point


def _required_shape(f: Node, wrt: str, wrt_shape: S.Shape, kind: str, directions) -> S.Shape:
    def length(shape, what):
        if shape == ():
            return 1
        if not S.is_vector(shape):
            raise CheckError(f"a {kind} is taken with respect to a vector; {what} is "
                             f"{S.describe(shape)} (use --kind gradient or directional)")
        return shape[0]

    if kind == "identity":
        return f.shape
    if kind in ("derivative", "partial"):
        if not S.scalar_like(f.shape):
            raise CheckError(f"--f is {S.describe(f.shape)}; --kind {kind} needs a scalar f "
                             "(use --kind jacobian or directional for an array-valued f)")
        return ()
    if kind == "gradient":
        if not S.scalar_like(f.shape):
            raise CheckError(f"--f is {S.describe(f.shape)}; a gradient needs a scalar f (use "
                             "--kind jacobian for a vector f, directional for a matrix)")
        return wrt_shape
    if kind == "hessian":
        if not S.scalar_like(f.shape):
            raise CheckError(f"--f is {S.describe(f.shape)}; a Hessian needs a scalar f")
        n = length(wrt_shape, wrt)
        return (n, n)
    if kind == "jacobian":
        n = length(wrt_shape, wrt)
        if S.scalar_like(f.shape):
            return (1, n)
        if not S.is_vector(f.shape):
            raise CheckError(f"--f is {S.describe(f.shape)}; a Jacobian needs a vector f (a "
                             "column; use --kind directional for a matrix-valued f)")
        return (f.shape[0], n)
    for direction in directions:
        if direction in f.names:
            raise CheckError(f"--f uses the direction {direction}; f must not depend on it")
    return f.shape


def _shape_error(problem: Problem) -> str | None:
    got, need = problem.claimed.shape, problem.required
    if S.same(got, need) or (S.scalar_like(got) and S.scalar_like(need)):
        return None
    if problem.kind == "identity":
        return f"the claimed expression is {S.describe(got)} but f is {S.describe(need)}"
    what = {"gradient": "gradient", "jacobian": "Jacobian", "hessian": "Hessian",
            "directional": "directional derivative", "derivative": "derivative",
            "partial": "partial derivative"}[problem.kind]
    message = (f"the claimed {what} is {S.describe(got)} but the {what} of f with respect to "
               f"{problem.wrt} is {S.describe(need)}")
    if S.same(S.transpose(got), need):
        rule = {
            "gradient": "a gradient has the shape of its variable",
            "jacobian": "a Jacobian has one row per output of f",
        }.get(problem.kind, "")
        message += f" (its transpose has the right shape{': ' + rule if rule else ''})"
    return message
