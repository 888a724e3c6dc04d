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
# # Lab: partial and directional derivatives
#
# This page is the executed form of `derivations/partial_directional.py`. Every result on the
# chapter page *Partial and directional derivatives* is declared here as a claim and checked by
# the engine.

# %%
# %matplotlib inline
import sympy as sp

from derivations.engine import (
    AsScalar,
    GradientOf,
    claim,
    dim,
    fn,
    scalar,
    vector,
)
from derivations.engine.written import product_of, sum_of

x, y, z = scalar("x"), scalar("y"), scalar("z")
a, b = scalar("a"), scalar("b")  # entries of a direction v = (a, b)
t = scalar("t")
n = dim("n")

# %% [markdown]
# ## Partial derivatives: hold the others constant
#
# $\partial f/\partial x$ is the ordinary derivative in $x$ with every other variable frozen.
# For $f = x^2 - y^2$ the frozen $-y^2$ is a constant, so only $x^2$ contributes to
# $\partial f/\partial x$; the claims below state both partial derivatives and the slice.

# %%
saddle = x**2 - y**2
saddle_x = claim(
    "partial_directional.saddle_dx",
    "∂/∂x of x² − y²",
    kind="partial", f=saddle, wrt=(x,), claimed=2 * x,
    refs=["S1-07"],
)
saddle_y = claim(
    "partial_directional.saddle_dy",
    "∂/∂y of x² − y²",
    kind="partial", f=saddle, wrt=(y,), claimed=-2 * y,
    refs=["S1-07"],
)
# the slice g(t) = f(x + t, y): an ordinary function of t whose derivative at t = 0 is ∂f/∂x
saddle_slice = claim(
    "partial_directional.saddle_slice",
    "The slice g(t) = f(x + t, y) of x² − y²",
    kind="derivative", f=saddle.subs(x, x + t), wrt=t, claimed=2 * (x + t),
    refs=["S1-07", "S1-03"],
)

# %% [markdown]
# The partial derivative is a limit, exactly like the one-variable derivative. With
# `by_limit=True` the engine evaluates $\lim_{h\to0}(f(x_0 + h e_i) - f(x_0))/h$ at the point.
# For $f = x^3 + x^2y + y^2$ at $(1, 2)$:

# %%
poly = x**3 + x**2 * y + y**2
poly_dx = claim(
    "partial_directional.poly_dx",
    "∂/∂x of x³ + x²y + y²",
    kind="partial", f=poly, wrt=(x,), claimed=3 * x**2 + 2 * x * y,
    refs=["S4-18", "S4-17"],
)
poly_dy = claim(
    "partial_directional.poly_dy",
    "∂/∂y of x³ + x²y + y²",
    kind="partial", f=poly, wrt=(y,), claimed=x**2 + 2 * y,
    refs=["S4-18", "S4-17"],
)
poly_dx_at = claim(
    "partial_directional.poly_dx_limit",
    "∂f/∂x at (1, 2) from the limit definition",
    kind="partial", f=poly, wrt=(x,), claimed=poly_dx.claimed.subs({x: 1, y: 2}),
    at={x: 1, y: 2}, by_limit=True,
    refs=["S4-18", "S2-04", "S4-17"],
)
poly_dy_at = claim(
    "partial_directional.poly_dy_limit",
    "∂f/∂y at (1, 2) from the limit definition",
    kind="partial", f=poly, wrt=(y,), claimed=poly_dy.claimed.subs({x: 1, y: 2}),
    at={x: 1, y: 2}, by_limit=True,
    refs=["S4-18", "S2-04", "S4-17"],
)
assert (poly_dx_at.claimed, poly_dy_at.claimed) == (7, 5)

# %% [markdown]
# A partial derivative is the directional derivative along a coordinate axis: along
# $e_1 = (1, 0)$ and $e_2 = (0, 1)$ the claims below get back the two values above.

# %%
poly_e1 = claim(
    "partial_directional.poly_along_e1",
    "Directional derivative along e₁ is ∂f/∂x",
    kind="directional", f=poly, wrt=(x, y), direction=(a, b), claimed=sp.Integer(7),
    at={x: 1, y: 2, a: 1, b: 0}, by_limit=True,
    refs=["S1-05", "S4-15", "S4-17"],
)
poly_e2 = claim(
    "partial_directional.poly_along_e2",
    "Directional derivative along e₂ is ∂f/∂y",
    kind="directional", f=poly, wrt=(x, y), direction=(a, b), claimed=sp.Integer(5),
    at={x: 1, y: 2, a: 0, b: 1}, by_limit=True,
    refs=["S1-05", "S4-15"],
)

# %% [markdown]
# ## Inner derivatives: $(x + 2y - 3z)^2$
#
# Freezing two variables leaves a square of a linear function of the third; the chain rule
# multiplies the outer derivative by the coefficient of that variable.

# %%
inner = x + 2 * y - 3 * z
square_of_inner = inner**2


def times(*factors):
    """A product kept as written, so the inner derivative stays visible."""
    return sp.Mul(*factors, evaluate=False)


inner_x = claim(
    "partial_directional.square_linear_dx",
    "∂/∂x of (x + 2y − 3z)²",
    kind="partial", f=square_of_inner, wrt=(x,), claimed=times(2, inner),
    refs=["S1-08"],
)
inner_y = claim(
    "partial_directional.square_linear_dy",
    "∂/∂y of (x + 2y − 3z)²",
    kind="partial", f=square_of_inner, wrt=(y,), claimed=times(4, inner),
    refs=["S1-08"],
)
inner_z = claim(
    "partial_directional.square_linear_dz",
    "∂/∂z of (x + 2y − 3z)²",
    kind="partial", f=square_of_inner, wrt=(z,), claimed=times(-6, inner),
    refs=["S1-09", "S1-08"],
)
inner_z_pitfall = claim(
    "partial_directional.pitfall_square_linear_dz",
    "Pitfall: ∂/∂z of (x + 2y − 3z)² with inner derivative −3z",
    kind="partial", f=square_of_inner, wrt=(z,), claimed=times(2, inner, -3 * z),
    pitfall=True, corrects="partial_directional.square_linear_dz",
    note="The inner derivative of −3z with respect to z is −3, not −3z (a slip in the source "
    "slides; their gradient slide has −3).",
    refs=["S1-09"],
)

# %% [markdown]
# ## More worked examples
#
# $x^2 + xy + y^2$; the vector-valued $(x^2y, \cos y)$, whose partial derivative in one variable
# is a vector (a column of its Jacobian); and the sigmoid of a linear model in its bias $b$.

# %%
bowl = x**2 + x * y + y**2
bowl_x = claim(
    "partial_directional.bowl_dx",
    "∂/∂x of x² + xy + y²",
    kind="partial", f=bowl, wrt=(x,), claimed=2 * x + y,
    refs=["S2-06"],
)
bowl_y = claim(
    "partial_directional.bowl_dy",
    "∂/∂y of x² + xy + y²",
    kind="partial", f=bowl, wrt=(y,), claimed=x + 2 * y,
    refs=["S2-06"],
)
pair = [x**2 * y, sp.cos(y)]
pair_dx = claim(
    "partial_directional.pair_dx",
    "∂/∂x of (x²y, cos y) at (1, 2)",
    kind="jacobian", f=pair, wrt=(x,), claimed=sp.ImmutableMatrix([[4], [0]]),
    at={x: 1, y: 2},
    refs=["S4-19"],
)
pair_dy = claim(
    "partial_directional.pair_dy",
    "∂/∂y of (x²y, cos y) at (1, 2)",
    kind="jacobian", f=pair, wrt=(y,), claimed=sp.ImmutableMatrix([[1], [-sp.sin(2)]]),
    at={x: 1, y: 2},
    refs=["S4-19"],
)
# The whole Jacobian at (π, π) is the Jacobians chapter's worked example,
# jacobians.two_by_two_example_at_pi.
w, xi = vector("w", n), vector("x", n)
bias = scalar("b")
s = scalar("s")
sigmoid_of_model = 1 / (1 + sp.exp(-(AsScalar(w.T @ xi) + bias)))
sigmoid_bias = claim(
    "partial_directional.sigmoid_bias",
    "∂/∂b of the sigmoid of a linear model",
    kind="partial", f=s, wrt=(bias,), claimed=s * (1 - s), where={s: sigmoid_of_model},
    display=product_of(s, sum_of(1, -s)),
    refs=["S1-10"],
)

# %% [markdown]
# ## Directional derivatives
#
# $D_v f(x_0) = \lim_{t\to0}\frac{f(x_0 + tv) - f(x_0)}{t}$; equivalently, the ordinary
# derivative at $0$ of the slice $g(t) = f(x_0 + tv)$. For $f = x^2y + e^y$ at $(1, \tfrac12)$ and
# $v = (2, -1)$ the claims below take the limit and $g'(0)$, and find the same number; the
# gradient route of exercise 4 on the chapter page gives it a third time.

# %%
wavy = x**2 * y + sp.exp(y)
x0 = {x: 1, y: sp.Rational(1, 2)}
v0 = {a: 2, b: -1}
wavy_limit = claim(
    "partial_directional.directional_by_limit",
    "A directional derivative from its limit definition",
    kind="directional", f=wavy, wrt=(x, y), direction=(a, b),
    claimed=1 - sp.exp(sp.Rational(1, 2)), at={**x0, **v0}, by_limit=True,
    refs=["S1-02", "S4-16"],
)
wavy_slice = wavy.subs({x: 1 + 2 * t, y: sp.Rational(1, 2) - t}, simultaneous=True)
wavy_slice_claim = claim(
    "partial_directional.directional_as_slice",
    "The same directional derivative as g′(0) for g(t) = f(x₀ + tv)",
    kind="derivative", f=wavy_slice, wrt=t, claimed=1 - sp.exp(sp.Rational(1, 2)), at={t: 0},
    refs=["S1-03", "S1-02"],
)
# the gradient route gives the same number for this smooth f (exercise 4 on the chapter page)
wavy_gradient = sp.Matrix([sp.diff(wavy, x), sp.diff(wavy, y)]).subs(x0)
assert sp.simplify((wavy_gradient.T * sp.Matrix([2, -1]))[0] - (1 - sp.exp(sp.Rational(1, 2)))) == 0
wavy_gradient_formula = claim(
    "partial_directional.wavy_gradient",
    "Gradient of x²y + eʸ",
    kind="gradient", f=wavy, wrt=(x, y), claimed=[2 * x * y, x**2 + sp.exp(y)],
    refs=["S4-28", "S1-02"],
)
wavy_gradient_claim = claim(
    "partial_directional.wavy_gradient_at_point",
    "Gradient of x²y + eʸ at (1, 1/2)",
    kind="gradient", f=wavy, wrt=(x, y), claimed=list(wavy_gradient), at=x0,
    refs=["S4-28", "S1-02"],
)
half_e = sp.exp(sp.Rational(1, 2))
wavy_inner_product = claim(
    "partial_directional.wavy_gradient_times_v",
    "The gradient of x²y + eʸ at (1, 1/2) times v = (2, −1)",
    kind="identity",
    f=sp.Add(sp.Mul(1, 2, evaluate=False), sp.Mul(sp.Add(1, half_e, evaluate=False), -1,
                                                   evaluate=False), evaluate=False),
    claimed=1 - half_e,
    display=sum_of(1, -half_e),
    refs=["S4-28", "S1-02"],
)

# %% [markdown]
# For a vector-valued $f$ the directional derivative is a vector: the claims below compute it for
# $(x^2y, \cos y)$ at $(1, 2)$ along $v = (2, -1)$, and its first entry from the limit definition.

# %%
pair_direction = claim(
    "partial_directional.pair_directional",
    "Directional derivative of (x²y, cos y) at (1, 2) along (2, −1)",
    kind="directional", f=pair, wrt=(x, y), direction=(a, b),
    claimed=sp.ImmutableMatrix([[7], [sp.sin(2)]]), at={x: 1, y: 2, a: 2, b: -1},
    refs=["S4-16", "S4-28"],
)
pair_first_component_limit = claim(
    "partial_directional.pair_directional_first_by_limit",
    "Its first component from the limit definition",
    kind="directional", f=pair[0], wrt=(x, y), direction=(a, b), claimed=sp.Integer(7),
    at={x: 1, y: 2, a: 2, b: -1}, by_limit=True,
    refs=["S4-16"],
)

# %% [markdown]
# ## Directional derivatives from the gradient, for differentiable $f$
#
# When $f$ is differentiable, every directional derivative comes from the gradient by one inner
# product. The symbolic layer proves it for an arbitrary differentiable $f$.

# %%
p, v = vector("p", n), vector("v", n)
f_p = fn("f", p)
directional_gradient = claim(
    "partial_directional.directional_from_gradient",
    "Directional derivative of a differentiable function",
    kind="directional", f=f_p, wrt=p, direction=v, claimed=AsScalar(GradientOf(f_p).T @ v),
    refs=["S4-28", "S1-18", "S4-15", "S4-27"],
)

# %% [markdown]
# Without differentiability the formula can fail even though both partial derivatives exist.
# Take $f(x,y) = x^2y/(x^2+y^2)$ with $f(0,0) = 0$. The claims below compute both partials at
# the origin, the slice along $v = (1, 1)$ and its slope, which is not the inner product of the
# gradient with $v$.

# %%
origin = sp.And(sp.Eq(x, 0), sp.Eq(y, 0))
peano = sp.Piecewise((0, origin), (x**2 * y / (x**2 + y**2), True))
at_origin = {x: 0, y: 0}
peano_dx = claim(
    "partial_directional.peano_dx",
    "x²y/(x² + y²): ∂f/∂x at the origin",
    kind="partial", f=peano, wrt=(x,), claimed=sp.Integer(0), at=at_origin,
    refs=["S1-18"],
)
peano_dy = claim(
    "partial_directional.peano_dy",
    "x²y/(x² + y²): ∂f/∂y at the origin",
    kind="partial", f=peano, wrt=(y,), claimed=sp.Integer(0), at=at_origin,
    refs=["S1-18"],
)
peano_diagonal = claim(
    "partial_directional.peano_diagonal",
    "x²y/(x² + y²): directional derivative along (1, 1) at the origin",
    kind="directional", f=peano, wrt=(x, y), direction=(a, b), claimed=sp.Rational(1, 2),
    at={**at_origin, a: 1, b: 1},
    refs=["S1-18", "S4-67"],
)
# on the diagonal the quotient is t³/(2t²), written out so the page shows the substitution
peano_on_diagonal = claim(
    "partial_directional.peano_on_diagonal",
    "x²y/(x² + y²) on the diagonal x = y = t",
    kind="identity",
    f=sp.Mul(t**2 * t, sp.Pow(sp.Add(t**2, t**2, evaluate=False), -1), evaluate=False),
    display_f=sp.Mul(product_of(t**2, t), sp.Pow(sum_of(t**2, t**2), -1), evaluate=False),
    claimed=t / 2, domains={t: "nonzero"},
    refs=["S1-18", "S4-67"],
)
peano_pitfall = claim(
    "partial_directional.pitfall_directional_without_differentiability",
    "Pitfall: D_v f = ∇f(0)ᵀv = 0 for f = x²y/(x² + y²)",
    kind="directional", f=peano, wrt=(x, y), direction=(a, b),
    claimed=sp.Integer(0) * a + sp.Integer(0) * b, at={**at_origin, a: 1, b: 1},
    pitfall=True, corrects="partial_directional.directional_from_gradient",
    note="Both partials are 0 at the origin, so ∇f(0)ᵀv = 0, but the directional derivative "
    "along (1, 1) is 1/2: f is not differentiable at 0, and D_v f = ∇fᵀv needs differentiability.",
    refs=["S1-18"],
)

# %% [markdown]
# ## Approach directions
#
# On the line a point is approached from two directions only; in the plane from infinitely many.
# For $xy/(x^2+y^2)$ the first claim below gives the value on the line $y = mx$: the same at every
# point of the line, so it is the limit along that line, and it depends on the slope. Lines of
# different slopes see different limits (the diagonal value differs from the value on the axes),
# but not every slope sees a limit of its own: the last claim shows that the slopes $m$ and $1/m$
# see the same one.

# %%
m = scalar("m")
along_line = claim(
    "partial_directional.approach_along_line",
    "xy/(x² + y²) on the line y = mx",
    kind="identity", f=(x * y / (x**2 + y**2)).subs({x: t, y: m * t}, simultaneous=True),
    claimed=m / (1 + m**2), domains={t: "nonzero"},
    refs=["S4-67"],
)
# not every slope sees its own limit: m and 1/m see the same one
reciprocal_slope = claim(
    "partial_directional.approach_reciprocal_slope",
    "Slopes m and 1/m see the same value of xy/(x² + y²)",
    kind="identity", f=along_line.claimed.subs(m, 1 / m), claimed=along_line.claimed,
    domains={m: "nonzero"},
    refs=["S4-67"],
)
diagonal_value = claim(
    "partial_directional.approach_diagonal_value",
    "xy/(x² + y²) on the diagonal x = y = t",
    kind="identity",
    f=sp.Mul(t * t, sp.Pow(sp.Add(t**2, t**2, evaluate=False), -1), evaluate=False),
    claimed=sp.Rational(1, 2), domains={t: "nonzero"},
    refs=["S4-67"],
)

# %% [markdown]
# ## Steepest ascent
#
# For a unit direction $v$ at angle $\theta$ to the gradient, the rate $\nabla f^\top v$ is the
# norm of the gradient times $\cos\theta$. Write the gradient as $r(\cos\alpha, \sin\alpha)$ and
# $v = (\cos\phi, \sin\phi)$: the first claim collapses the inner product, the second says how far
# it falls short of $r$ (never below zero, and zero only along the gradient).

# %%
r = scalar("r", positive=True)
alpha, phi = scalar("alpha"), scalar("phi")
cosine_form = claim(
    "partial_directional.steepest_cosine",
    "The rate of change along a unit direction is ‖∇f‖ cos θ",
    kind="identity",
    f=r * sp.cos(alpha) * sp.cos(phi) + r * sp.sin(alpha) * sp.sin(phi),
    claimed=r * sp.cos(alpha - phi),
    refs=["S4-29"],
)
shortfall = claim(
    "partial_directional.steepest_shortfall",
    "How far the rate along a unit direction falls short of ‖∇f‖",
    kind="identity", f=r - r * sp.cos(alpha - phi),
    claimed=2 * r * sp.sin((alpha - phi) / 2) ** 2,
    display_f=sum_of(r, -r * sp.cos(alpha - phi)),
    refs=["S4-29"],
)
half_cubic = x**3 * y / 2
grad_half_cubic = sp.Matrix([sp.diff(half_cubic, x), sp.diff(half_cubic, y)]).subs({x: 1, y: 2})
rate = sp.sqrt(sum(e**2 for e in grad_half_cubic))
unit = grad_half_cubic / rate
gradient_norm = claim(
    "partial_directional.steepest_gradient_norm",
    "The norm of the gradient (3, 1/2) of ½x³y at (1, 2)",
    kind="identity",
    f=sp.sqrt(sp.Add(sp.Pow(3, 2, evaluate=False), sp.Pow(sp.Rational(1, 2), 2, evaluate=False),
                     evaluate=False), evaluate=False),
    claimed=rate,
    refs=["S4-29", "S4-30"],
)
assert list(grad_half_cubic) == [3, sp.Rational(1, 2)]
steepest = claim(
    "partial_directional.steepest_rate",
    "½x³y at (1, 2): the rate along the unit gradient direction is ‖∇f‖",
    kind="directional", f=half_cubic, wrt=(x, y), direction=(a, b), claimed=rate,
    at={x: 1, y: 2, a: unit[0], b: unit[1]},
    refs=["S4-29", "S4-30"],
)

# %% [markdown]
# ## Differentiability and the total derivative: the wrap-up example
#
# $\mathbf f(x,y) = (\tfrac12x^3y,\ 2x^2y^2,\ xy)$ has polynomial partial derivatives, which are
# continuous, so $\mathbf f$ is $C^1$ (indeed $C^\infty$): it is differentiable and its total
# derivative is its Jacobian.

# %%
wrap = [x**3 * y / 2, 2 * x**2 * y**2, x * y]
wrap_jacobian_formula = sp.ImmutableMatrix(sp.Matrix(wrap).jacobian([x, y]))
wrap_jacobian = claim(
    "partial_directional.wrapup_jacobian",
    "Jacobian of the wrap-up example",
    kind="jacobian", f=wrap, wrt=(x, y), claimed=wrap_jacobian_formula,
    refs=["S4-26", "S4-27", "S4-34", "S4-35", "S4-23"],
)
wrap_total_10 = claim(
    "partial_directional.wrapup_total_derivative_1_0",
    "Total derivative of the wrap-up example at (1, 0)",
    kind="jacobian", f=wrap, wrt=(x, y),
    claimed=sp.ImmutableMatrix(wrap_jacobian_formula.subs({x: 1, y: 0})), at={x: 1, y: 0},
    refs=["S4-36", "S4-15"],
)
assert wrap_total_10.claimed == sp.ImmutableMatrix([[0, sp.Rational(1, 2)], [0, 0], [0, 1]])

# %% [markdown]
# The definition of the total derivative asks that the remainder
# $\mathbf f(x_0 + \delta) - \mathbf f(x_0) - J\delta$ vanish faster than $\lVert\delta\rVert$. At
# $(1, 0)$ it is a polynomial in $\delta = (d_1, d_2)$ whose terms all have degree at least two
# (the assertion after the claim checks the degrees), hence divided by $\lVert\delta\rVert$ it
# tends to zero.

# %%
d1, d2 = scalar("d_1"), scalar("d_2")
f_wrap = sp.Matrix(wrap)
step = {x: 1 + d1, y: d2}
remainder = (
    f_wrap.subs(step, simultaneous=True)
    - f_wrap.subs({x: 1, y: 0})
    - wrap_total_10.claimed * sp.Matrix([d1, d2])
)
remainder_claim = claim(
    "partial_directional.wrapup_remainder",
    "The remainder of the linear approximation at (1, 0) is of second order",
    kind="identity", f=sp.ImmutableMatrix(remainder),
    claimed=sp.ImmutableMatrix(remainder.applyfunc(sp.expand)),
    refs=["S4-25", "S4-36"],
)
assert all(
    min(sp.Poly(e, d1, d2).total_degree() for e in sp.Add.make_args(entry)) >= 2
    for entry in remainder.applyfunc(sp.expand)
)

# %% [markdown]
# Directional derivatives of the wrap-up example are matrix-vector products $J v$: at $(1, 0)$
# along $v = (1, 1)$ and along $e_1$, and the same at $(1, 2)$.

# %%
direction_cases = {
    "partial_directional.wrapup_direction_1_0_v": ((1, 0), (1, 1)),
    "partial_directional.wrapup_direction_1_0_e1": ((1, 0), (1, 0)),
    "partial_directional.wrapup_direction_1_2_v": ((1, 2), (1, 1)),
    "partial_directional.wrapup_direction_1_2_e1": ((1, 2), (1, 0)),
}
wrap_directionals = []
for claim_id, ((px, py), (va, vb)) in direction_cases.items():
    value = wrap_jacobian_formula.subs({x: px, y: py}) * sp.Matrix([va, vb])
    wrap_directionals.append(
        claim(
            claim_id,
            f"Wrap-up example at ({px}, {py}) along ({va}, {vb})",
            kind="directional", f=wrap, wrt=(x, y), direction=(a, b),
            claimed=sp.ImmutableMatrix(value), at={x: px, y: py, a: va, b: vb},
            refs=["S4-37", "S4-28", "S4-15"],
        )
    )

# %% [markdown]
# ## Second derivatives: when is the Hessian symmetric?
#
# For $C^2$ functions the mixed partials agree. Each component of the wrap-up example is a
# polynomial, hence $C^2$, and its Hessian is symmetric.

# %%
component_hessians = []
for k, component in enumerate(wrap, start=1):
    hess = sp.ImmutableMatrix(sp.hessian(component, (x, y)))
    assert hess == hess.T
    component_hessians.append(
        claim(
            f"partial_directional.wrapup_hessian_{k}",
            f"Hessian of component {k} of the wrap-up example",
            kind="hessian", f=component, wrt=(x, y), claimed=hess,
            refs=["S4-33", "S4-34"],
        )
    )

# %% [markdown]
# The hypothesis matters. For $f(x,y) = xy(x^2-y^2)/(x^2+y^2)$ with $f(0,0) = 0$ the first
# partials exist everywhere, but the claims below find different mixed second partials at the
# origin: the second partials are not continuous there. The cell after them prints the first
# partials on the axes, from the limit of difference quotients.

# %%
schwarz = sp.Piecewise((0, origin), (x * y * (x**2 - y**2) / (x**2 + y**2), True))
mixed_xy = claim(
    "partial_directional.mixed_partial_x_then_y",
    "Mixed partial ∂/∂y(∂f/∂x) of the classical counterexample at 0",
    kind="partial", f=schwarz, wrt=(x, y), claimed=sp.Integer(-1), at=at_origin,
    refs=["S1-22", "S4-33"],
)
mixed_yx = claim(
    "partial_directional.mixed_partial_y_then_x",
    "Mixed partial ∂/∂x(∂f/∂y) of the classical counterexample at 0",
    kind="partial", f=schwarz, wrt=(y, x), claimed=sp.Integer(1), at=at_origin,
    refs=["S1-22", "S4-33"],
)
symmetric_pitfall = claim(
    "partial_directional.pitfall_hessian_always_symmetric",
    "Pitfall: the Hessian is always symmetric (mixed partials agree at 0)",
    kind="partial", f=schwarz, wrt=(x, y), claimed=mixed_yx.claimed, at=at_origin,
    pitfall=True, corrects="partial_directional.mixed_partial_x_then_y",
    note="Equality of mixed partials (Schwarz) needs f in C²; here ∂²f/∂y∂x(0) = −1 but "
    "∂²f/∂x∂y(0) = +1.",
    refs=["S1-22"],
)

# %%
if __name__ == "__main__":
    h = scalar("h")
    schwarz_formula = x * y * (x**2 - y**2) / (x**2 + y**2)
    # on the axes f is 0, so the difference quotient at (0, y) is f(h, y)/h, at (x, 0) f(x, h)/h
    print("∂f/∂x at (0, y), y ≠ 0:", sp.limit(schwarz_formula.subs(x, h) / h, h, 0))
    print("∂f/∂y at (x, 0), x ≠ 0:", sp.limit(schwarz_formula.subs(y, h) / h, h, 0))

# %% [markdown]
# ## The figure on the chapter page: slices and their slopes

# %%
from derivations.figures import figure, show


@figure(
    "partial_directional.slices",
    alt="Three curves through the same point: the values of f(x, y) = x cubed plus x squared y "
    "plus y squared along lines through (1, 2) in the directions e1, e2 and the unit diagonal, "
    "plotted against the distance t along the line. At t = 0 each curve has a straight tangent "
    "line; the slopes are 7, 5 and about 8.49.",
    caption="Slices g(t) = f(x₀ + t v) of f = x³ + x²y + y² through x₀ = (1, 2), with their "
    "tangents at t = 0: slope ∂f/∂x = 7 along e₁, ∂f/∂y = 5 along e₂, and ∇fᵀv = 6√2 ≈ 8.49 "
    "along the unit diagonal v = (1, 1)/√2.",
    size=(5.0, 3.8),
)
def draw_slices(ax):
    import numpy as np

    def f(px, py):
        return px**3 + px**2 * py + py**2

    x0_, grad = np.array([1.0, 2.0]), np.array([7.0, 5.0])
    ts = np.linspace(-0.6, 0.6, 200)
    directions = {
        "$e_1$": (np.array([1.0, 0.0]), "#3949ab"),
        "$e_2$": (np.array([0.0, 1.0]), "#00897b"),
        "$(1,1)/\\sqrt{2}$": (np.array([1.0, 1.0]) / np.sqrt(2), "#c2185b"),
    }
    for label, (v_, colour) in directions.items():
        values = f(x0_[0] + ts * v_[0], x0_[1] + ts * v_[1])
        slope = float(grad @ v_)
        ax.plot(ts, values, color=colour, lw=2, label=f"along {label}: slope {slope:.2f}")
        ax.plot(ts, f(*x0_) + slope * ts, color=colour, lw=1, ls="--")
    ax.plot([0], [f(*x0_)], "o", color="black", ms=4)
    ax.set_xlabel("$t$ (distance along the direction)")
    ax.set_ylabel("$g(t) = f(x_0 + t v)$")
    ax.legend(fontsize=8, loc="upper left", frameon=False)


# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("partial_directional")


# %% [markdown]
# ## A numeric look at the counterexample
#
# The cell below prints difference quotients of $x^2y/(x^2+y^2)$ at the origin along $(1, 1)$ for
# shrinking steps, next to the slope that the gradient built from the two partials predicts.

# %%
if __name__ == "__main__":
    def peano_num(px, py):
        return 0.0 if px == py == 0 else px**2 * py / (px**2 + py**2)

    predicted = float(peano_dx.claimed + peano_dy.claimed)  # ∇f(0)ᵀv with v = (1, 1)
    for h in (1e-1, 1e-3, 1e-6):
        print(f"h = {h:g}: (f(h, h) − f(0, 0)) / h = {(peano_num(h, h) - 0.0) / h:.6f}"
              f"   gradient predicts {predicted:.6f}")

# %%
if __name__ == "__main__":
    show("partial_directional.slices")
