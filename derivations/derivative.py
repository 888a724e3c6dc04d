# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lab: the derivative as a linear approximation
#
# This page is the executed form of `derivations/derivative.py`. Every result on the chapter
# page *The derivative as a linear approximation* is declared here as a claim, from the same
# sympy objects that are rendered there, and checked by the engine.

# %%
# %matplotlib inline
import sympy as sp
from sympy.core.symbol import Str

from derivations.checker.instances import instance
from derivations.engine import claim, scalar
from derivations.engine.concrete import as_scalar, explicit, register_handler
from derivations.engine.functions import FunctionOf
from derivations.engine.written import product_of, sum_of

x, a, c, m = scalar("x"), scalar("a"), scalar("c"), scalar("m")
delta = scalar("delta", nonzero=True)  # a step: the difference quotient divides by it

# %% [markdown]
# ## Arbitrary functions of one variable
#
# The rules of differentiation hold for *every* differentiable $f$ and $g$, so we state them
# with undefined functions. `Fn("f", x)` prints as $f(x)$ and `Prime("f", x)` as $f'(x)$. The
# symbolic layer keeps them undefined (so a proof covers every $f$); the exact and numeric layers
# replace each *label* by its own concrete smooth function, so $f$ and $g$ really differ there
# (with $f = g$ a wrong quotient rule with the sign flipped would slip through).

# %%
_MEMBERS = {
    # family 0: polynomials, so the exact layer can use rational arithmetic
    0: {
        "f": lambda u: 1 + u / 2 + u**3 / 3,
        "g": lambda u: 2 - u + u**2 / 2,  # never 0: its minimum is 3/2
        "h": lambda u: u**2 / 3 - 2 * u / 5 + 1,
    },
    # family 1: transcendental members
    1: {
        "f": lambda u: sp.sin(2 * u / 3) + sp.exp(u / 2),
        "g": lambda u: 2 + sp.cos(u) + u / 5,
        "h": lambda u: sp.exp(-u / 3) + u**3 / 7,
    },
}


class Fn(FunctionOf):
    """An arbitrary differentiable f: ℝ → ℝ applied to a scalar expression."""


class Prime(sp.Function):
    """The k-th derivative of the arbitrary function ``label``, evaluated at ``arg``."""

    nargs = 3
    is_commutative = True
    is_real = True

    def _latex(self, printer, exp=None):
        label, arg, order = self.args
        tex = rf"{label}{chr(39) * int(order)}\left({printer._print(arg)}\right)"
        return f"{tex}^{{{exp}}}" if exp is not None else tex


def f_of(label: str, arg) -> Fn:
    return Fn(Str(label), arg)


def prime(label: str, arg, order: int = 1) -> Prime:
    return Prime(Str(label), arg, order)


def _explicit_fn(expr, ctx):
    arg = as_scalar(explicit(expr.args[1], ctx))
    if ctx.family is None:
        return sp.Function(expr.label)(arg)
    return _MEMBERS[ctx.family % 2][expr.label](arg)


def _explicit_prime(expr, ctx):
    label, order = str(expr.args[0]), int(expr.args[2])
    arg = as_scalar(explicit(expr.args[1], ctx))
    if ctx.family is None:
        return sp.Derivative(sp.Function(label)(arg), arg, order)
    u = sp.Dummy("u", real=True)
    return sp.diff(_MEMBERS[ctx.family % 2][label](u), u, order).subs(u, arg)


register_handler(Fn, _explicit_fn)
register_handler(Prime, _explicit_prime)

f, g = f_of("f", x), f_of("g", x)

# %% [markdown]
# ## The difference quotient
#
# The slope of the secant between $x$ and $x + \delta$ is
# $\frac{f(x+\delta) - f(x)}{\delta}$. For a linear function it does not depend on $x$ or on
# $\delta$: it is the slope everywhere.


# %%
def difference_quotient(shifted, base):
    """(f(x + δ) − f(x)) / δ from the two values, kept unexpanded for display."""
    return sp.Mul(sp.Add(shifted, -base), sp.Pow(delta, -1), evaluate=False)


def times(*factors):
    """A product kept as written: −2(x + δ) instead of −2x − 2δ."""
    return sp.Mul(*factors, evaluate=False)


affine_quotient = claim(
    "derivative.affine_difference_quotient",
    "The difference quotient of a linear function is its slope",
    kind="identity", f=difference_quotient(m * (x + delta) + c, m * x + c), claimed=m,
    display_f=sum_of(m * sum_of(x, delta), -m * x) / delta,
    refs=["S4-02"],
)
minus_two_quotient = claim(
    "derivative.minus_two_x_quotient",
    "Difference quotient of f(x) = −2x",
    kind="identity", f=difference_quotient(times(-2, x + delta), -2 * x), claimed=sp.Integer(-2),
    display_f=sum_of(product_of(-2, sum_of(x, delta)), product_of(-1, -2 * x)) / delta,
    refs=["S4-03", "S4-02"],
)
minus_two_derivative = claim(
    "derivative.minus_two_x",
    "Derivative of f(x) = −2x",
    kind="derivative", f=-2 * x, wrt=x, claimed=sp.Integer(-2),
    refs=["S4-03"],
)

# %% [markdown]
# For a curve the quotient depends on $\delta$; the derivative is its limit as $\delta\to0$.
# For $f(x) = x^2 - 2x + 1$ sympy expands the numerator and the quotient, and the limit of the
# quotient is the claimed derivative (the cell after the claims prints the three results).

# %%
parabola = x**2 - 2 * x + 1
parabola_shifted = sp.Add((x + delta) ** 2, times(-2, x + delta), 1)
assert sp.expand(parabola_shifted - parabola.subs(x, x + delta)) == 0
parabola_dq = difference_quotient(parabola_shifted, parabola)
parabola_numerator = claim(
    "derivative.parabola_numerator",
    "Numerator of the difference quotient of x² − 2x + 1",
    kind="identity", f=sp.Add(parabola_shifted, -parabola),
    claimed=2 * x * delta + delta**2 - 2 * delta,
    display=sp.Add(2 * x * delta, delta**2, -2 * delta, evaluate=False),
    refs=["S4-04", "S4-02"],
)
parabola_quotient = claim(
    "derivative.parabola_quotient",
    "Difference quotient of x² − 2x + 1",
    kind="identity", f=parabola_dq,
    claimed=sp.expand(sp.cancel(sp.expand(parabola_dq.doit()))),
    display_f=sum_of(
        sum_of(sum_of(x, delta) ** 2, product_of(-2, sum_of(x, delta)), 1),
        product_of(-1, sum_of(x**2, -2 * x, 1)),
    ) / delta,
    display=sum_of(2 * x, -2, delta),
    refs=["S4-04", "S4-02"],
)
parabola_derivative = claim(
    "derivative.parabola",
    "Derivative of x² − 2x + 1 as the limit of its quotient",
    kind="derivative", f=parabola, wrt=x,
    claimed=sp.limit(parabola_quotient.claimed, delta, 0),
    refs=["S4-04"],
)
assert parabola_quotient.claimed == 2 * x - 2 + delta

# %%
if __name__ == "__main__":
    print("numerator:", parabola_numerator.claimed, "  quotient:", parabola_quotient.claimed,
          "  derivative:", parabola_derivative.claimed)

# %% [markdown]
# The engine can also take the limit itself. With `by_limit=True` it evaluates
# $\lim_{h\to0}\frac{f(x_0+h)-f(x_0)}{h}$ exactly at the point, instead of differentiating by rules.

# %%
sine_by_limit = claim(
    "derivative.sine_by_limit",
    "The derivative of sin at 7/10 from the limit of difference quotients",
    kind="derivative", f=sp.sin(x), wrt=x, claimed=sp.cos(sp.Rational(7, 10)),
    at={x: sp.Rational(7, 10)}, by_limit=True,
    refs=["S1-01", "S2-02"],
)
exp_quotient = claim(
    "derivative.exp_quotient_factored",
    "The difference quotient of eˣ at 2 has the factor e²",
    kind="identity", f=difference_quotient(sp.exp(2 + delta), sp.exp(2)),
    claimed=sp.exp(2) * (sp.exp(delta) - 1) / delta,
    display=sp.Mul(sp.exp(2), sp.Mul(sp.exp(delta) - 1, sp.Pow(delta, -1)), evaluate=False),
    refs=["S2-02", "S1-01"],
)
exp_at_zero = claim(
    "derivative.exp_at_zero_by_limit",
    "The derivative of exp at 0 from the limit of difference quotients",
    kind="derivative", f=sp.exp(x), wrt=x, claimed=sp.Integer(1), at={x: 0}, by_limit=True,
    refs=["S2-02", "S1-01"],
)
exp_by_limit = claim(
    "derivative.exp_by_limit",
    "The derivative of exp at 2 from the limit of difference quotients",
    kind="derivative", f=sp.exp(x), wrt=x, claimed=sp.exp(2),
    at={x: 2}, by_limit=True,
    refs=["S2-02", "S1-01"],
)

# %% [markdown]
# ## The derivative as a 1×1 linear map
#
# For $f(x) = x^2$ the claims below state the secant slope between $1$ and $1 + \delta$ (the
# figure on the chapter page draws three of them), its limit, and the derivative at $1$ as a
# $1\times1$ matrix: a linear map from a change $\delta$ in the input to a predicted change
# $f'(1)\,\delta$ in the output. The last claim splits the true change from any point $a$ into the
# linear part and what the prediction misses.

# %%
square = x**2
square_secant = claim(
    "derivative.square_secant_slope",
    "Secant slopes of x² at 1",
    kind="identity", f=difference_quotient((1 + delta) ** 2, sp.Integer(1)), claimed=2 + delta,
    display_f=sum_of(sum_of(1, delta) ** 2, -1) / delta, display=sum_of(2, delta),
    refs=["S4-02", "S4-14"],
)
square_slope = claim(
    "derivative.square_at_one",
    "The slope of x² at 1, the limit of its secant slopes",
    kind="derivative", f=square, wrt=x, claimed=sp.Integer(2), at={x: 1}, by_limit=True,
    refs=["S4-02", "S4-14"],
)
square_jacobian = claim(
    "derivative.square_one_by_one",
    "The derivative of x² at 1 is the 1×1 matrix [2]",
    kind="jacobian", f=[square], wrt=(x,), claimed=sp.ImmutableMatrix([[2]]), at={x: 1},
    refs=["S4-13"],
)
square_change = claim(
    "derivative.square_change",
    "Change of x² after a step δ from a: linear part plus δ²",
    kind="identity", f=(a + delta) ** 2 - a**2,
    claimed=sp.Add(2 * a * delta, delta**2, evaluate=False),
    display_f=sum_of((a + delta) ** 2, -(a**2)),
    refs=["S4-07", "S4-14", "S4-13"],
)

# %% [markdown]
# The three steps of the source, from $1$ to $2$, $1.5$ and $1.1$: the first entry is the change
# predicted by the linear map, $[2](x - 1)$, the second the true change $x^2 - 1^2$. The end point
# is given as a `where` definition, so the page prints it under the formula.

# %%
predicted_vs_true = sp.Matrix([sp.Mul(2, x - 1, evaluate=False), x**2 - 1])
steps = {
    "derivative.square_step_to_2": (sp.Integer(2), "from 1 to 2"),
    "derivative.square_step_to_1_5": (sp.Rational(3, 2), "from 1 to 1.5"),
    "derivative.square_step_to_1_1": (sp.Rational(11, 10), "from 1 to 1.1"),
}
step_claims = []
for claim_id, (end, words) in steps.items():
    value = predicted_vs_true.subs(x, end)
    step_claims.append(
        claim(
            claim_id,
            f"Predicted and true change of x² {words}",
            kind="identity", f=sp.ImmutableMatrix(predicted_vs_true), claimed=sp.ImmutableMatrix(value),
            where={x: sp.sympify(end)},  # shown as "where x = 2" under the formula
            refs=["S4-14", "S4-13", "S4-07"],
        )
    )

# %% [markdown]
# ## Rules: sum, product, quotient, chain
#
# Stated for arbitrary differentiable $f$, $g$ (and $g \neq 0$ in the quotient).

# %%
sum_rule = claim(
    "derivative.sum_rule",
    "Sum rule",
    kind="derivative", f=f + g, wrt=x, claimed=prime("f", x) + prime("g", x),
    refs=["S4-10"],
)
product_rule = claim(
    "derivative.product_rule",
    "Product rule",
    kind="derivative", f=f * g, wrt=x, claimed=prime("f", x) * g + f * prime("g", x),
    display=sum_of(product_of(prime("f", x), g), product_of(f, prime("g", x))),
    refs=["S4-08"],
)
quotient_rule = claim(
    "derivative.quotient_rule",
    "Quotient rule",
    kind="derivative", f=f / g, wrt=x,
    claimed=(g * prime("f", x) - f * prime("g", x)) / g**2,
    display=sum_of(product_of(g, prime("f", x)), product_of(-1, f, prime("g", x))) / g**2,
    refs=["S4-09"],
)
quotient_pitfall = claim(
    "derivative.pitfall_quotient_of_derivatives",
    "Pitfall: the derivative of a quotient is the quotient of the derivatives",
    kind="derivative", f=f / g, wrt=x, claimed=prime("f", x) / prime("g", x),
    pitfall=True, corrects="derivative.quotient_rule",
    note="Differentiation does not distribute over division (nor over products): "
    "(f/g)′ = (g f′ − f g′)/g².",
    refs=["S4-09"],
)
instance(quotient_pitfall, f=sp.sin, g=sp.exp)  # the site's check: (sin/exp)′ ≠ cos/exp
chain_rule = claim(
    "derivative.chain_rule",
    "Chain rule",
    kind="derivative", f=f_of("g", f), wrt=x, claimed=prime("g", f) * prime("f", x),
    display=product_of(prime("g", f), prime("f", x)),
    refs=["S4-11", "S2-18"],
)
chain_pitfall = claim(
    "derivative.pitfall_chain_outer_at_x",
    "Pitfall: evaluating the outer derivative at x",
    kind="derivative", f=f_of("g", f), wrt=x, claimed=prime("g", x) * prime("f", x),
    pitfall=True, corrects="derivative.chain_rule",
    note="The outer derivative g′ must be evaluated at the inner value f(x), not at x.",
    refs=["S4-11"],
)
instance(chain_pitfall, f=sp.sin, g=sp.exp)  # the site's check: exp(sin x)′ ≠ exp(x) cos x

# %% [markdown]
# The same rules on the concrete functions of the sources.

# %%
sine_derivative = claim(
    "derivative.sine",
    "The derivative of sin is cos",
    kind="derivative", f=sp.sin(x), wrt=x, claimed=sp.cos(x),
    refs=["S4-11", "S2-18"],
)
u = scalar("u")
outer_derivative = claim(
    "derivative.outer_square_plus_one",
    "The outer function u² + 1 of sin²(x) + 1 and its derivative",
    kind="derivative", f=u**2 + 1, wrt=u, claimed=2 * u,
    refs=["S4-11"],
)
product_example = claim(
    "derivative.product_example",
    "Product rule: sin(x)(x² + 1)",
    kind="derivative", f=sp.sin(x) * (x**2 + 1), wrt=x,
    claimed=sp.cos(x) * (x**2 + 1) + sp.sin(x) * 2 * x,
    refs=["S4-08"],
)
quotient_example = claim(
    "derivative.quotient_example",
    "Quotient rule: sin(x)/(x² + 1)",
    kind="derivative", f=sp.sin(x) / (x**2 + 1), wrt=x,
    claimed=((x**2 + 1) * sp.cos(x) - sp.sin(x) * 2 * x) / (x**2 + 1) ** 2,
    display=sum_of(
        product_of(sum_of(x**2, 1), sp.cos(x)), product_of(-2, x, sp.sin(x))
    ) / sum_of(x**2, 1) ** 2,
    refs=["S4-09"],
)
chain_example = claim(
    "derivative.chain_example_sine_cubic",
    "Chain rule: sin(x³ + 1)",
    kind="derivative", f=sp.sin(x**3 + 1), wrt=x, claimed=sp.cos(x**3 + 1) * 3 * x**2,
    refs=["S2-18"],
)
chain_example_square = claim(
    "derivative.chain_example_sine_squared",
    "Chain rule: sin²(x) + 1",
    kind="derivative", f=sp.sin(x) ** 2 + 1, wrt=x, claimed=2 * sp.sin(x) * sp.cos(x),
    refs=["S4-11"],
)

# %% [markdown]
# ## The second derivative: cup or cap
#
# The second derivative is the derivative of the derivative. The claims below take it for $x^2$
# and for $f(x) = x^3 - 3x$: sympy finds $f'$, the claims check where it vanishes and the sign of
# $f''$ there (positive: a cup, a local minimum; negative: a cap, a local maximum). The cell after
# them prints what sympy found.

# %%
square_first = sp.diff(square, x)
square_first_claim = claim(
    "derivative.square_first_derivative",
    "The first derivative of x²",
    kind="derivative", f=square, wrt=x, claimed=square_first,
    refs=["S1-19"],
)
second_square = claim(
    "derivative.second_derivative_square",
    "The second derivative of x² is the derivative of 2x",
    kind="derivative", f=square_first, wrt=x, claimed=sp.Integer(2),
    refs=["S1-19"],
)
cubic = x**3 - 3 * x
cubic_first = sp.diff(cubic, x)
cubic_first_claim = claim(
    "derivative.cubic_first",
    "First derivative of x³ − 3x",
    kind="derivative", f=cubic, wrt=x, claimed=cubic_first,
    refs=["S1-19", "S1-20"],
)
cubic_flat_right = claim(
    "derivative.cubic_flat_at_one",
    "x³ − 3x has a horizontal tangent at 1",
    kind="derivative", f=cubic, wrt=x, claimed=sp.Integer(0), at={x: 1},
    refs=["S1-20", "S1-19"],
)
cubic_flat_left = claim(
    "derivative.cubic_flat_at_minus_one",
    "x³ − 3x has a horizontal tangent at −1",
    kind="derivative", f=cubic, wrt=x, claimed=sp.Integer(0), at={x: -1},
    refs=["S1-20", "S1-19"],
)
cubic_second = claim(
    "derivative.cubic_second",
    "Second derivative of x³ − 3x",
    kind="derivative", f=cubic_first, wrt=x, claimed=6 * x,
    refs=["S1-19", "S1-20"],
)
cup = claim(
    "derivative.cubic_cup",
    "x³ − 3x has a cup at 1",
    kind="derivative", f=cubic_first, wrt=x, claimed=sp.Integer(6), at={x: 1},
    refs=["S1-20", "S1-19"],
)
cap = claim(
    "derivative.cubic_cap",
    "x³ − 3x has a cap at −1",
    kind="derivative", f=cubic_first, wrt=x, claimed=sp.Integer(-6), at={x: -1},
    refs=["S1-20", "S1-19"],
)

# %%
if __name__ == "__main__":
    print("f'(x) =", cubic_first, "  zeros:", sp.solve(cubic_first, x),
          "  f''(x) =", sp.diff(cubic_first, x))

# %% [markdown]
# Why the sign of $f''$ decides: by Taylor's theorem the gap between a function and its tangent
# line at $a$, $f(a+\delta) - f(a) - f'(a)\,\delta$, is dominated for small $\delta$ by its term
# in $\delta^2$, whose coefficient is half of $f''(a)$. The claims below compute the gap exactly
# for $x^2$ and $-x^2$ at any point and for $x^3 - 3x$ at $1$.


# %%
def tangent_gap(expr, point):
    """f(point + δ) − (f(point) + f′(point) δ): how far f lies above its tangent line."""
    return sp.expand(
        expr.subs(x, point + delta) - expr.subs(x, point) - sp.diff(expr, x).subs(x, point) * delta
    )


gap_square = claim(
    "derivative.tangent_gap_square",
    "x² lies above each of its tangent lines",
    kind="identity",
    f=(a + delta) ** 2 - (a**2 + 2 * a * delta),
    claimed=delta**2,
    display_f=sum_of((a + delta) ** 2, product_of(-1, sum_of(a**2, 2 * a * delta))),
    refs=["S1-20"],
)
gap_negative_square = claim(
    "derivative.tangent_gap_negative_square",
    "−x² lies below each of its tangent lines",
    kind="identity",
    f=-((a + delta) ** 2) - (-(a**2) - 2 * a * delta),
    claimed=-(delta**2),
    display_f=sum_of(-((a + delta) ** 2), product_of(-1, sum_of(-(a**2), -2 * a * delta))),
    refs=["S1-20"],
)
gap_cubic = claim(
    "derivative.tangent_gap_cubic",
    "x³ − 3x above its horizontal tangent at 1",
    kind="identity", f=cubic.subs(x, 1 + delta) - cubic.subs(x, 1), claimed=tangent_gap(cubic, 1),
    display_f=sum_of(sum_of(1, delta) ** 3, product_of(-3, sum_of(1, delta)), 2),
    refs=["S1-20"],
)
assert gap_cubic.claimed == delta**3 + 3 * delta**2

# %% [markdown]
# A zero second derivative decides nothing: the claims below show that $x^4$ (a cup, since it is
# never negative) and $x^3$ (neither a cup nor a cap) have the same second derivative at $0$.

# %%
quartic_first = claim(
    "derivative.quartic_first",
    "The first derivative of x⁴",
    kind="derivative", f=x**4, wrt=x, claimed=4 * x**3,
    refs=["S1-20"],
)
cube_first = claim(
    "derivative.cube_first",
    "The first derivative of x³",
    kind="derivative", f=x**3, wrt=x, claimed=3 * x**2,
    refs=["S1-20"],
)
quartic_nonnegative = claim(
    "derivative.quartic_nonnegative",
    "x⁴ is never below its value 0 at 0",
    kind="property", f=sp.GreaterThan(x**4, 0, evaluate=False), claimed=sp.true,
    refs=["S1-20"],
)
flat_quartic = claim(
    "derivative.second_derivative_quartic_zero",
    "x⁴ has second derivative 0 at 0",
    kind="derivative", f=sp.diff(x**4, x), wrt=x, claimed=sp.Integer(0), at={x: 0},
    refs=["S1-20"],
)
flat_cubic = claim(
    "derivative.second_derivative_cube_zero",
    "x³ has second derivative 0 at 0",
    kind="derivative", f=sp.diff(x**3, x), wrt=x, claimed=sp.Integer(0), at={x: 0},
    refs=["S1-20"],
)

# %% [markdown]
# ## Taylor polynomials
#
# The tangent line is the Taylor polynomial of degree one; the one of degree three is
# $f(a) + f'(a)\delta + \tfrac12 f''(a)\delta^2 + \tfrac16 f'''(a)\delta^3$. For a cubic it is
# exact: sympy builds it from the derivatives of $x^3$ at $a$, and the claim below compares it
# with the cube it came from.

# %%
cube = x**3
taylor_terms = sum(
    sp.diff(cube, x, k).subs(x, a) / sp.factorial(k) * delta**k for k in range(4)
)
taylor_cube = claim(
    "derivative.taylor_cube",
    "The Taylor series of x³ at a ends after four terms",
    kind="identity", f=(a + delta) ** 3, claimed=taylor_terms,
    refs=["S2-32"],
)

# %% [markdown]
# ## Where the derivative fails
#
# At a kink the two one-sided limits of the difference quotient differ, so the (two-sided)
# derivative does not exist. The engine takes one-sided limits with `side="+"` / `side="-"`; a
# two-sided claim at the kink is refuted whatever value it names.

# %%
abs_right = claim(
    "derivative.abs_right",
    "|x| at 0: derivative from the right",
    kind="derivative", f=sp.Abs(x), wrt=x, claimed=sp.Integer(1), at={x: 0}, side="+",
    refs=["S4-06"],
)
abs_left = claim(
    "derivative.abs_left",
    "|x| at 0: derivative from the left",
    kind="derivative", f=sp.Abs(x), wrt=x, claimed=sp.Integer(-1), at={x: 0}, side="-",
    refs=["S4-06"],
)
abs_pitfall = claim(
    "derivative.pitfall_abs_at_zero",
    "Pitfall: |x| has derivative 0 at 0",
    kind="derivative", f=sp.Abs(x), wrt=x, claimed=sp.Integer(0), at={x: 0},
    pitfall=True, corrects="derivative.abs_right",
    note="The one-sided limits are +1 and −1; they differ, so no value is the derivative at 0.",
    refs=["S4-06"],
)
# At the kink ReLU is written max(0, x). Away from it, the same function is written piecewise:
# sympy's limit cannot expand Max in a series at a smooth point, and at the kink it gets the
# left-hand limit of a Piecewise wrong (see the note at the end of this page). The numeric layer
# checks both forms independently of sympy's limit.
relu = sp.Max(0, x)
relu_piecewise = sp.Piecewise((0, x < 0), (x, True))
relu_right = claim(
    "derivative.relu_right",
    "ReLU at 0: derivative from the right",
    kind="derivative", f=relu, wrt=x, claimed=sp.Integer(1), at={x: 0}, side="+",
    refs=["S2-03"],
)
relu_left = claim(
    "derivative.relu_left",
    "ReLU at 0: derivative from the left",
    kind="derivative", f=relu, wrt=x, claimed=sp.Integer(0), at={x: 0}, side="-",
    refs=["S2-03"],
)
relu_positive = claim(
    "derivative.relu_positive",
    "ReLU at a positive point",
    kind="derivative", f=relu_piecewise, wrt=x, claimed=sp.Integer(1), at={x: sp.Rational(4, 5)},
    refs=["S2-03"],
)
relu_negative = claim(
    "derivative.relu_negative",
    "ReLU at a negative point",
    kind="derivative", f=relu_piecewise, wrt=x, claimed=sp.Integer(0),
    at={x: sp.Rational(-13, 10)},
    refs=["S2-03"],
)
relu_pitfall = claim(
    "derivative.pitfall_relu_at_zero",
    "Pitfall: ReLU has derivative 0 at 0",
    kind="derivative", f=relu, wrt=x, claimed=sp.Integer(0), at={x: 0},
    pitfall=True, corrects="derivative.relu_left",
    note="Frameworks use 0 at 0 by convention (a subgradient); the derivative itself does not "
    "exist there, because the one-sided limits are 0 and 1.",
    refs=["S2-03"],
)
x1, x2 = scalar("x_1"), scalar("x_2")
max_pair = sp.Max(x1, x2)
max_pair_piecewise = sp.Piecewise((x1, x1 >= x2), (x2, True))  # the same, for a smooth point
max_tie_right = claim(
    "derivative.max_tie_right",
    "max(x₁, x₂) at a tie: partial in x₁ from the right",
    kind="partial", f=max_pair, wrt=(x1,), claimed=sp.Integer(1),
    at={x1: 1, x2: 1}, side="+",
    refs=["S2-05"],
)
max_tie_left = claim(
    "derivative.max_tie_left",
    "max(x₁, x₂) at a tie: partial in x₁ from the left",
    kind="partial", f=max_pair, wrt=(x1,), claimed=sp.Integer(0),
    at={x1: 1, x2: 1}, side="-",
    refs=["S2-05"],
)
step_size = scalar("delta", positive=True)  # a step of given sign: δ > 0
max_tie_step_right = claim(
    "derivative.max_tie_step_right",
    "max(x₁, x₂) at the tie (1, 1) after a step δ > 0 in x₁",
    kind="identity", f=sp.Max(1 + step_size, 1, evaluate=False), claimed=1 + step_size,
    refs=["S2-05"],
)
max_tie_step_left = claim(
    "derivative.max_tie_step_left",
    "max(x₁, x₂) at the tie (1, 1) after a step −δ < 0 in x₁",
    kind="identity", f=sp.Max(1 - step_size, 1, evaluate=False), claimed=sp.Integer(1),
    refs=["S2-05"],
)
max_unique = claim(
    "derivative.max_unique",
    "max(x₁, x₂) where x₁ is the unique maximum",
    kind="partial", f=max_pair_piecewise, wrt=(x1,), claimed=sp.Integer(1), at={x1: 2, x2: 1},
    refs=["S2-05"],
)

# %% [markdown]
# ## The figure on the chapter page: secants turning into the tangent

# %%
from derivations.figures import figure, show


@figure(
    "derivative.secants",
    alt="The parabola y = x squared near x = 1, with three secant lines from the point (1, 1) "
    "to the points at x = 2, 1.5 and 1.1, and the tangent line at 1. The secants get steeper "
    "less and less and close in on the tangent as the second point approaches 1.",
    caption="Secants of f(x) = x² from 1 to 1 + δ for δ = 1, 0.5, 0.1 have slopes 2 + δ = 3, "
    "2.5, 2.1; they turn into the tangent of slope f′(1) = 2.",
    size=(5.0, 3.8),
)
def draw_secants(ax):
    import numpy as np

    xs = np.linspace(-0.2, 2.3, 300)
    ax.plot(xs, xs**2, color="#1a237e", lw=2, label="$f(x) = x^2$")
    colours = ("#9fa8da", "#5c6bc0", "#303f9f")
    for step, colour in zip((1.0, 0.5, 0.1), colours, strict=True):
        slope = ((1 + step) ** 2 - 1) / step
        ax.plot(xs, 1 + slope * (xs - 1), color=colour, lw=1.2, ls="--",
                label=f"secant, $\\delta = {step:g}$, slope ${slope:g}$")
        ax.plot([1 + step], [(1 + step) ** 2], "o", color=colour, ms=4)
    ax.plot(xs, 1 + 2 * (xs - 1), color="#c2185b", lw=1.6, label="tangent, slope $2$")
    ax.plot([1], [1], "o", color="#c2185b", ms=5)
    ax.set_xlim(-0.2, 2.3)
    ax.set_ylim(-1.0, 5.0)
    ax.set_xlabel("$x$")
    ax.set_ylabel("$y$")
    ax.legend(fontsize=8, loc="upper left", frameon=False)


# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("derivative")


# %% [markdown]
# ## A numeric look: the error of the linear prediction is δ²
#
# Halving the step quarters the error of the prediction $f'(1)\,\delta$ for the change of $x^2$
# at $1$ (the table below): the error is second order, which is what "the best linear
# approximation" means.

# %%
if __name__ == "__main__":
    for step in (1.0, 0.5, 0.1, 0.01):
        predicted, true = 2 * step, (1 + step) ** 2 - 1
        print(f"δ = {step:<5} predicted {predicted:<6.4g} true {true:<8.4g} error {true - predicted:.4g}")

# %%
if __name__ == "__main__":
    show("derivative.secants")

# %% [markdown]
# ## A note on the two ways ReLU is written
#
# In sympy 1.14, `limit(Piecewise((0, h < 0), (1, True)), h, 0, dir="-")` returns the value on
# the right of the breakpoint instead of the one on the left (the last cell prints it), so a
# one-sided limit of a piecewise function at its breakpoint can come out wrong; and
# `limit` cannot expand `Max(0, x)` in a series at a point where it is smooth. The claims above
# therefore use `Max` at the kinks and the piecewise form elsewhere. The numeric layer, which
# does not use sympy's `limit`, checks every one of them as well, so a wrong limit would show as a
# disagreement between the layers rather than a wrong verdict.

# %%
if __name__ == "__main__":
    h = sp.Symbol("h", real=True)
    print("sympy's left limit of Piecewise((0, h < 0), (1, True)) at 0:",
          sp.limit(sp.Piecewise((0, h < 0), (1, True)), h, 0, dir="-"))
