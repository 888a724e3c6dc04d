"""Counterexamples as formulas a reader can check by hand.

The engine stores the values of a counterexample as JSON: numbers and expressions as strings,
vectors as flat lists, matrices as lists of rows, except where a layer flattened a matrix (the
exact layer's claimed/derived values, the numeric layer's direction for a matrix variable) or
printed one as sympy text (``Matrix([[1], [2]])``, the symbolic layer). Both are put back into
their shape here, from the claim's own variables and the sizes the counterexample was found at,
so a matrix always prints as a matrix.
"""

from __future__ import annotations

import functools
import html
import re

import sympy

from ..engine import latex

_LABELS = {
    "dims": "sizes",
    "point": "at the point",
    "direction": "along the direction",
    "second_direction": "and the direction",
    "claimed": "the claim gives",
    "numeric": "finite differences of f give",
    "derived": "the true value is",
    "relative_discrepancy": "relative discrepancy",
    "shape": "shape",
    "limit": "limit",
    "relation": "relation",
    "value": "its truth value there",
    "lhs": "left-hand side",
    "rhs": "right-hand side",
    "entry": "entry",
    "simplifies_to": "which simplifies to",
}
_AS_TEXT = ("dims", "shape", "limit", "entry")
_RELATION_SIGNS = {
    "GreaterThan": r"\ge",
    "StrictGreaterThan": ">",
    "LessThan": r"\le",
    "StrictLessThan": "<",
}
_MATRIX_TEXT = re.compile(r"^\s*(?:Immutable|Mutable)?(?:Dense)?Matrix\(")


def number_tex(value) -> str:
    """One number or expression of engine output (never user input) as LaTeX."""
    text = str(value)
    if isinstance(value, bool) or text in ("True", "False", "true", "false"):
        return r"\text{" + text.lower() + "}"
    return _text_tex(text)


@functools.lru_cache(maxsize=4096)
def _text_tex(text: str) -> str:
    """(Each counterexample is shown in its box and on the pitfalls page: parse it once.)"""
    try:
        parsed = sympy.sympify(text)
        if isinstance(parsed, sympy.MatrixBase):
            return value_tex(_rows(parsed))
        if parsed.is_number:
            parsed = sympy.nsimplify(parsed, rational=False)
        return latex.tex(parsed)
    except (sympy.SympifyError, TypeError, ValueError, AttributeError, SyntaxError):
        pass
    plain = (
        html.escape(text).replace("\\", "").replace("_", r"\_").replace("{", "").replace("}", "")
    )
    return r"\text{" + plain + "}"


def _rows(matrix) -> list[list[str]]:
    return [[str(e) for e in row] for row in matrix.tolist()]


def value_tex(value) -> str:
    """A scalar, a vector (flat list: a column) or a matrix (list of rows) as LaTeX."""
    if isinstance(value, list) and value and isinstance(value[0], list):
        rows = r" \\ ".join(" & ".join(number_tex(v) for v in row) for row in value)
        return r"\begin{bmatrix}" + rows + r"\end{bmatrix}"
    if isinstance(value, list):
        return r"\begin{bmatrix}" + r" \\ ".join(number_tex(v) for v in value) + r"\end{bmatrix}"
    return number_tex(value)


def shaped(value, shape: tuple[int, int] | None):
    """``value`` in the shape it has in the claim: sympy matrix text becomes rows, a flat list
    holding a whole matrix (more than one column) is cut into its rows (row-major, as the
    engine flattens)."""
    if isinstance(value, str) and _MATRIX_TEXT.match(value):
        try:
            parsed = sympy.sympify(value)
        except (sympy.SympifyError, TypeError, ValueError, SyntaxError):
            return value
        if isinstance(parsed, sympy.MatrixBase):
            value = _rows(parsed)
    if shape is None or not isinstance(value, list) or not value:
        return value
    rows, cols = shape
    if isinstance(value[0], list):
        return value
    if cols > 1 and len(value) == rows * cols:
        return [value[k * cols : (k + 1) * cols] for k in range(rows)]
    return value


def dims_of(label) -> dict[str, int]:
    """``"m=2, n=3"`` (the engine's size label) as ``{"m": 2, "n": 3}``."""
    out = {}
    for part in str(label or "").split(","):
        name, _, size = part.partition("=")
        if size.strip().isdigit():
            out[name.strip()] = int(size)
    return out


def _concrete(shape, dims: dict[str, int]) -> tuple[int, int] | None:
    if len(shape) != 2:
        return None
    out = []
    for d in shape:
        d = sympy.sympify(d)
        d = d.subs({s: dims[s.name] for s in d.free_symbols if s.name in dims})
        if not d.is_Integer:
            return None
        out.append(int(d))
    return out[0], out[1]


def value_shapes(claim, cx: dict) -> dict:
    """The concrete shape of every matrix-valued entry of a counterexample of ``claim``."""
    if claim is None:
        return {}
    dims = dims_of(cx.get("dims"))
    variables = {v.name: v for v in claim.variables}
    shapes: dict = {
        "point": {
            name: _concrete(v.shape, dims) for name, v in variables.items() if not v.is_scalar
        }
    }
    moved = claim.direction_symbols if claim.kind == "directional" else claim.wrt_symbols
    if len(moved) == 1 and not claim.variable(moved[0]).is_scalar:
        shapes["direction"] = shapes["second_direction"] = _concrete(moved[0].shape, dims)
    result_shape = getattr(claim.claimed, "shape", None)
    if result_shape is not None:
        for key in ("claimed", "derived", "numeric"):
            shapes[key] = _concrete(result_shape, dims)
    return shapes


def inline_math(tex: str) -> str:
    """Inline math inside raw HTML, where arithmatex does not look: math.js typesets it."""
    return f'<span class="arithmatex">\\({html.escape(tex, quote=False)}\\)</span>'


def counterexample_html(cx: dict, claim=None) -> str:
    """The counterexample as a short list of formulas; with ``claim``, matrices keep their
    shape."""
    shapes = value_shapes(claim, cx)
    items = []
    for key, value in cx.items():
        if key in ("layer", "exact") or value is None:
            continue
        label = _LABELS.get(key, key.replace("_", " "))
        if key == "point" and isinstance(value, dict):
            at = shapes.get("point", {})
            body = ",\\; ".join(
                f"{latex_name(name)} = {value_tex(shaped(v, at.get(name)))}"
                for name, v in value.items()
            )
            items.append(f"<li>{label} {inline_math(body)}</li>")
        elif key == "relation":
            relation = _relation_tex(value)
            shown = inline_math(relation) if relation else html.escape(str(value))
            items.append(f"<li>{label}: {shown}</li>")
        elif key in _AS_TEXT:
            items.append(f"<li>{label}: {html.escape(str(value))}</li>")
        elif key == "relative_discrepancy":
            items.append(f"<li>{label}: {float(value):.3g}</li>")
        else:
            items.append(
                f"<li>{label} {inline_math(value_tex(shaped(value, shapes.get(key))))}</li>"
            )
    exact = " (exact arithmetic)" if cx.get("exact") else ""
    layer = html.escape(str(cx.get("layer", "")))
    return (
        f'<ul class="claim__counterexample"><li>found by the {layer} layer{exact}</li>'
        + "".join(items)
        + "</ul>"
    )


def _relation_tex(text) -> str | None:
    """A relation the engine printed (``x1**2 >= 0``) as LaTeX, or None if it is not one;
    the numeric layer's relation names print as their sign."""
    if str(text) in _RELATION_SIGNS:
        return _RELATION_SIGNS[str(text)]
    try:
        parsed = sympy.sympify(str(text))
    except (sympy.SympifyError, TypeError, ValueError, SyntaxError):
        return None
    if isinstance(parsed, sympy.Symbol) or not isinstance(parsed, sympy.Basic):
        return None
    if not isinstance(parsed, sympy.logic.boolalg.Boolean):
        return None
    return latex.tex(parsed)


def latex_name(name: str) -> str:
    """A variable's name as LaTeX (``x_1`` -> ``x_{1}``), as the claim's formula prints it."""
    try:
        return latex.tex(sympy.Symbol(name))
    except (TypeError, ValueError):
        return name
