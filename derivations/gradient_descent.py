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
# # Lab: optimisation and gradient descent
#
# This page is the executed form of `derivations/gradient_descent.py`. Every result on the
# chapter page *Optimisation and gradient descent* is declared here as a claim and checked by
# the engine; then gradient descent is run on a small least-squares problem with three step
# sizes.

# %%
# %matplotlib inline
import sympy as sp

from derivations.engine import AsScalar, Norm, claim, dim, matrix, scalar, vector
from derivations.engine.written import product_of, sum_of

R = sp.Rational
x, y, w = scalar("x"), scalar("y"), scalar("w")

# %% [markdown]
# ## An optimisation problem needs a scalar objective
#
# "Minimise $f(x) = (x, -x)$" has no answer: a point $s$ that is at least as good as every $x$
# in both outputs would have to be no larger than every $x$ (first output) and no smaller than
# every $x$ (second output). The claims below say it with the two amounts $a_1$, $a_2$ by which
# $s$ is worse than $x$: they are opposite, so one of them is positive unless $s$ is $x$. Turning
# the outputs into one number, for instance the squared norm, gives a problem with a solution.

# %%
s = scalar("s")
# how much worse s is than x in each output; s minimises both if neither is ever positive
worse_1, worse_2 = sp.Symbol("a_1", real=True), sp.Symbol("a_2", real=True)
vector_minimiser_pitfall = claim(
    "gradient_descent.pitfall_vector_objective_minimiser",
    "Pitfall: a point that minimises both outputs of f(x) = (x, −x)",
    kind="identity",
    f=sp.Max(0, worse_1, worse_2),
    claimed=0,
    where={worse_1: s - x, worse_2: -s - (-x)},
    pitfall=True,
    corrects="gradient_descent.scalarised_objective",
    note="a₁ and a₂ are how much worse s is than x in each output; s would minimise both if "
    "neither were ever positive. But a₂ = −a₁, so one of them is positive whenever x ≠ s: ℝ² "
    "has no order in which one vector is simply smaller. Minimise a scalar such as ‖f(x)‖².",
    refs=["S2-42"],
)
worse_opposite = claim(
    "gradient_descent.worse_amounts_opposite",
    "The two amounts by which s is worse than x are opposite",
    kind="identity",
    f=worse_2,
    claimed=-worse_1,
    where={worse_1: s - x, worse_2: -s - (-x)},
    refs=["S2-42"],
)
scalarised_value = claim(
    "gradient_descent.scalarised_value",
    "The squared norm of f(x) = (x, −x)",
    kind="identity",
    f=Norm(sp.ImmutableMatrix([x, -x])) ** 2,
    claimed=2 * x**2,
    refs=["S2-42"],
)
scalarised = claim(
    "gradient_descent.scalarised_objective",
    "A scalar objective built from f(x) = (x, −x)",
    kind="derivative",
    f=Norm(sp.ImmutableMatrix([x, -x])) ** 2,
    wrt=x,
    claimed=4 * x,
    refs=["S2-42", "S4-01"],
)

# %% [markdown]
# ## Stationary points: first and second derivative tests
#
# The parabola $f(w) = 4w^2 - 4w + 1$: its derivative, its critical point, its second
# derivative, its value there and its form as a square. The second derivatives of $w^4$ and $w^3$
# at zero, where one has a minimum and the other none. The cubic $(w - 2)^2(w + 1)$ of exercise 1:
# its derivative and its second derivative, in general and at the two critical points.

# %%
parabola = 4 * w**2 - 4 * w + 1
parabola_derivative = claim(
    "gradient_descent.parabola_derivative",
    "Derivative of 4w² − 4w + 1",
    kind="derivative",
    f=parabola,
    wrt=w,
    claimed=8 * w - 4,
    refs=["S4-54", "S4-53"],
)
parabola_stationary = claim(
    "gradient_descent.parabola_stationary_point",
    "The derivative vanishes at w = 1/2",
    kind="derivative",
    f=parabola,
    wrt=w,
    claimed=0,
    at={w: R(1, 2)},
    refs=["S4-54"],
)
parabola_curvature = claim(
    "gradient_descent.parabola_second_derivative",
    "Second derivative of 4w² − 4w + 1",
    kind="partial",
    f=parabola,
    wrt=(w, w),
    claimed=8,
    refs=["S4-54", "S4-53"],
)
parabola_square = claim(
    "gradient_descent.parabola_as_square",
    "4w² − 4w + 1 is a perfect square",
    kind="identity",
    f=parabola,
    claimed=(2 * w - 1) ** 2,
    refs=["S4-54"],
)
parabola_minimum = claim(
    "gradient_descent.parabola_minimum_value",
    "The value of 4w² − 4w + 1 at w = 1/2",
    kind="identity",
    f=parabola,
    claimed=0,
    at={w: R(1, 2)},
    refs=["S4-54"],
)
quartic_flat = claim(
    "gradient_descent.quartic_second_derivative_at_0",
    "w⁴ has a zero second derivative at its minimiser 0",
    kind="partial",
    f=w**4,
    wrt=(w, w),
    claimed=0,
    at={w: 0},
    refs=["S4-53"],
)
cube_flat = claim(
    "gradient_descent.cube_second_derivative_at_0",
    "w³ has a zero second derivative at 0, which is no extremum",
    kind="partial",
    f=w**3,
    wrt=(w, w),
    claimed=0,
    at={w: 0},
    refs=["S4-53"],
)
cubic = (w - 2) ** 2 * (w + 1)
cubic_derivative = claim(
    "gradient_descent.cubic_derivative",
    "Derivative of (w − 2)²(w + 1)",
    kind="derivative",
    f=cubic,
    wrt=w,
    claimed=3 * w * (w - 2),
    refs=["S4-53"],
)
cubic_curvature = claim(
    "gradient_descent.cubic_second_derivative",
    "Second derivative of (w − 2)²(w + 1)",
    kind="partial",
    f=cubic,
    wrt=(w, w),
    claimed=6 * w - 6,
    refs=["S4-53"],
)
cubic_max = claim(
    "gradient_descent.cubic_second_derivative_at_0",
    "Second derivative at the critical point 0: a maximum",
    kind="partial",
    f=cubic,
    wrt=(w, w),
    claimed=-6,
    at={w: 0},
    refs=["S4-53"],
)
cubic_min = claim(
    "gradient_descent.cubic_second_derivative_at_2",
    "Second derivative at the critical point 2: a minimum",
    kind="partial",
    f=cubic,
    wrt=(w, w),
    claimed=6,
    at={w: 2},
    refs=["S4-53"],
)

# %% [markdown]
# ## Several variables: ∇f = 0 is necessary, not sufficient
#
# The bowl $x^2 - 2x + 2y^2 + 12y$: its gradient, its one stationary point, its positive
# definite Hessian, and completing the squares, which shows that the stationary point is the
# global minimiser, with its minimum value. The saddle $x^2 - y^2$ also has a zero gradient at the
# origin, but its Hessian (`hessians.saddle`, in the Hessians chapter) is indefinite: along the
# $y$-axis $f$ goes down. The origin is a saddle, not a minimiser.

# %%
bowl = x**2 - 2 * x + 2 * y**2 + 12 * y
bowl_gradient = claim(
    "gradient_descent.bowl_gradient",
    "Gradient of x² − 2x + 2y² + 12y",
    kind="gradient",
    f=bowl,
    wrt=(x, y),
    claimed=[2 * x - 2, 4 * y + 12],
    refs=["S2-01"],
)
bowl_stationary = claim(
    "gradient_descent.bowl_stationary_point",
    "The gradient vanishes at (1, −3)",
    kind="gradient",
    f=bowl,
    wrt=(x, y),
    claimed=[0, 0],
    at={x: 1, y: -3},
    refs=["S2-01", "S4-01"],
)
bowl_hessian = claim(
    "gradient_descent.bowl_hessian",
    "Hessian of x² − 2x + 2y² + 12y",
    kind="hessian",
    f=bowl,
    wrt=(x, y),
    claimed=sp.ImmutableMatrix([[2, 0], [0, 4]]),
    refs=["S2-01"],
)
bowl_squares = claim(
    "gradient_descent.bowl_completed_squares",
    "Completing the squares: the minimum is at (1, −3)",
    kind="identity",
    f=bowl,
    claimed=(x - 1) ** 2 + 2 * (y + 3) ** 2 - 19,
    refs=["S2-01", "S4-01"],
)
bowl_minimum = claim(
    "gradient_descent.bowl_minimum_value",
    "The minimum value of x² − 2x + 2y² + 12y",
    kind="identity",
    f=bowl,
    claimed=-19,
    at={x: 1, y: -3},
    refs=["S2-01"],
)
# The Hessian of x² − y², diag(2, −2), is hessians.saddle (the Hessians chapter).
saddle_pitfall = claim(
    "gradient_descent.pitfall_stationary_point_is_minimiser",
    "Pitfall: the stationary point (0, 0) of x² − y² is a minimiser",
    kind="identity",
    f=sp.Min(0, x**2 - y**2),
    claimed=0,
    where={x: sp.Integer(0)},
    pitfall=True,
    corrects="hessians.saddle",
    note="A minimiser at the origin would make min(0, f(0, y) − f(0, 0)) = 0 for every y. But "
    "on the y-axis f(0, y) = −y² < 0 for y ≠ 0. A zero gradient only says the first-order "
    "change vanishes; the Hessian decides.",
    refs=["S2-01"],
)

# %% [markdown]
# ## The gradient is the direction of steepest ascent
#
# For a unit vector $d$ the rate of change of $f$ along $d$ is the inner product of the gradient
# $g$ with $d$. The Cauchy–Schwarz gap below is half a squared norm, never negative, so for a
# unit $d$ the rate is at most the length of $g$; the normalised gradient $u$ attains the bound.
# In two dimensions the rate is the length of the gradient times the cosine of the angle.

# %%
n = dim("n")
gv, dv = vector("g", n), vector("d", n)
p = sp.Symbol("p", real=True)
cauchy_schwarz = claim(
    "gradient_descent.cauchy_schwarz_gap",
    "The Cauchy–Schwarz gap is a sum of squares",
    kind="identity",
    f=Norm(gv) ** 2 * Norm(dv) ** 2 - p**2,
    claimed=Norm(gv @ dv.T - dv @ gv.T) ** 2 / 2,
    display_f=sum_of(product_of(Norm(gv) ** 2, Norm(dv) ** 2), -(p**2)),
    display=product_of(R(1, 2), Norm(sum_of(gv @ dv.T, -dv @ gv.T)) ** 2),
    where={p: AsScalar(gv.T @ dv)},
    refs=["S2-39", "S4-29"],
)
unit = vector("u", n)
attains = claim(
    "gradient_descent.gradient_direction_attains_norm",
    "Along the normalised gradient the rate is ‖∇f‖",
    kind="identity",
    f=AsScalar(gv.T @ unit),
    claimed=Norm(gv),
    where={unit: gv / Norm(gv)},
    domains={gv: "nonzero"},
    refs=["S2-39", "S4-29"],
)
r, alpha, theta = scalar("r", positive=True), scalar("alpha"), scalar("theta")
g2, v2 = vector("g", 2), vector("v", 2)
angle_form = claim(
    "gradient_descent.rate_is_norm_times_cosine",
    "The rate along a unit vector at angle θ to the gradient",
    kind="identity",
    f=AsScalar(g2.T @ v2),
    claimed=r * sp.cos(theta),
    where={
        g2: sp.ImmutableMatrix([r * sp.cos(alpha), r * sp.sin(alpha)]),
        v2: sp.ImmutableMatrix([sp.cos(alpha + theta), sp.sin(alpha + theta)]),
    },
    domains={r: "positive"},
    refs=["S4-29"],
)

# %% [markdown]
# The source's example $f(x, y) = \frac12 x^3 y$ at $(1, 2)$: the gradient, its value at the
# point and its length, and the rate along the negative normalised gradient. (The rate along the
# normalised gradient itself is `partial_directional.steepest_rate`.)

# %%
d1, d2 = scalar("d_1"), scalar("d_2")
cubic_example = x**3 * y / 2
example_gradient = claim(
    "gradient_descent.example_gradient",
    "Gradient of x³y/2",
    kind="gradient",
    f=cubic_example,
    wrt=(x, y),
    claimed=[R(3, 2) * x**2 * y, x**3 / 2],
    refs=["S4-30"],
)
# The rate √37/2 along the normalised gradient is partial_directional.steepest_rate, the same
# worked example in the chapter on directional derivatives.
# Its value (3, 1/2) at (1, 2) is jacobians.three_outputs_first_gradient (one claim, one place).
example_gradient_length = claim(
    "gradient_descent.example_gradient_length",
    "Length of the gradient (3, 1/2)",
    kind="identity",
    f=Norm(sp.ImmutableMatrix([3, R(1, 2)])),
    claimed=sp.sqrt(37) / 2,
    refs=["S4-30"],
)
descent = claim(
    "gradient_descent.example_steepest_descent_rate",
    "Rate along the negative normalised gradient: −‖∇f‖",
    kind="directional",
    f=cubic_example,
    wrt=(x, y),
    direction=(d1, d2),
    claimed=-sp.sqrt(37) / 2,
    at={x: 1, y: 2, d1: -6 / sp.sqrt(37), d2: -1 / sp.sqrt(37)},
    refs=["S2-39", "S4-30"],
)

# %% [markdown]
# ## Gradient descent on a quadratic
#
# $f(w) = \frac12 w^\top A w - b^\top w$ with $A$ symmetric positive definite: its gradient, its
# Hessian, and the exact value after one step $w \leftarrow w - \eta\nabla f(w)$. Then $x^2$: the
# exact change after one step, where a too-large step lands, and two pitfalls (the first-order
# prediction trusted for every step size, and a negative step size).

# %%
wv, bv, ws = vector("w", n), vector("b", n), vector("w^*", n)
A = matrix("A", n, n)
eta = sp.Symbol("eta", real=True)
gq = vector("g", n)


def quadratic(z):
    return AsScalar(z.T @ A @ z) / 2 - AsScalar(bv.T @ z)


def quadratic_shown(z):
    """½ zᵀAz − bᵀz as written (z may be a written sum such as w − ηg)."""
    zt = z.T if isinstance(z, sp.MatrixSymbol) else sp.Transpose(z)
    return sum_of(
        product_of(R(1, 2), AsScalar(product_of(zt, A, z))), -AsScalar(product_of(bv.T, z))
    )


quadratic_gradient = claim(
    "gradient_descent.quadratic_gradient",
    "Gradient of ½wᵀAw − bᵀw",
    kind="gradient",
    f=quadratic(wv),
    wrt=wv,
    claimed=A @ wv - bv,
    display_f=quadratic_shown(wv),
    domains={A: "symmetric"},
    refs=["S4-01", "S4-66"],
)
quadratic_hessian = claim(
    "gradient_descent.quadratic_hessian",
    "Hessian of ½wᵀAw − bᵀw",
    kind="hessian",
    f=quadratic(wv),
    wrt=wv,
    claimed=A,
    display_f=quadratic_shown(wv),
    domains={A: "symmetric"},
    refs=["S4-01"],
)
step_change = claim(
    "gradient_descent.step_change_quadratic",
    "Exact change of a quadratic after one gradient step",
    kind="identity",
    f=quadratic(wv - eta * gq),
    claimed=quadratic(wv) - eta * Norm(gq) ** 2 + eta**2 / 2 * AsScalar(gq.T @ A @ gq),
    display_f=quadratic_shown(sum_of(wv, -eta * gq)),
    display=sum_of(
        *quadratic_shown(wv).args, -eta * Norm(gq) ** 2,
        product_of(eta**2 / 2, AsScalar(gq.T @ A @ gq)),
    ),
    where={gq: A @ wv - bv},
    domains={A: "symmetric"},
    refs=["S2-41", "S4-66"],
)
big_step = sp.Symbol("eta", real=True)
too_large_pitfall = claim(
    "gradient_descent.pitfall_any_step_decreases",
    "Pitfall: the first-order prediction of the change holds for any step size",
    kind="identity",
    f=(x - big_step * 2 * x) ** 2 - x**2,
    claimed=-big_step * (2 * x) ** 2,
    display_f=sum_of(sum_of(x, -2 * big_step * x) ** 2, -(x**2)),
    where={big_step: R(3, 2)},
    pitfall=True,
    corrects="gradient_descent.step_change_quadratic",
    note="The first-order prediction of the change, −η f'(x)², says every step goes down. With "
    "η = 3/2 the step from x = 1 lands at 1 − 3 = −2, where f = 4 > 1: the change is +3, not "
    "−6. Only small enough steps are guaranteed to go down (here 0 < η < 1).",
    refs=["S2-41"],
)
square_step_change = claim(
    "gradient_descent.square_step_change",
    "Exact change of x² after one gradient step",
    kind="identity",
    f=(x - big_step * 2 * x) ** 2 - x**2,
    claimed=-4 * big_step * x**2 + 4 * big_step**2 * x**2,
    display_f=sum_of(sum_of(x, -2 * big_step * x) ** 2, -(x**2)),
    display=sum_of(-4 * big_step * x**2, 4 * big_step**2 * x**2),
    refs=["S2-41"],
)
square_step_lands = claim(
    "gradient_descent.square_step_lands",
    "With η = 3/2 the step from x = 1 lands at −2, where x² = 4",
    kind="identity",
    f=[x - big_step * 2 * x, (x - big_step * 2 * x) ** 2],
    claimed=[-2, 4],
    display_f=sp.ImmutableMatrix(
        [sum_of(x, -2 * big_step * x), sum_of(x, -2 * big_step * x) ** 2]
    ),
    at={x: 1, big_step: R(3, 2)},
    refs=["S2-41"],
)
s_pos = scalar("s", positive=True)
negative_step_pitfall = claim(
    "gradient_descent.pitfall_negative_step_size",
    "Pitfall: any real step size η will do",
    kind="identity",
    f=sp.Max(0, (x - big_step * 2 * x) ** 2 - x**2),
    claimed=0,
    where={big_step: -s_pos},
    domains={s_pos: "positive"},
    pitfall=True,
    corrects="gradient_descent.step_change_quadratic",
    note="If every step size worked, the increase max(0, f(x − η f'(x)) − f(x)) would be 0. A "
    "negative η moves along +∇f: gradient ascent, and on f(x) = x² every such step increases f "
    "(for x ≠ 0). The step size must be positive.",
    refs=["S4-66"],
)

# %% [markdown]
# ## The error recursion and the step-size limit
#
# With $w^*$ the minimiser (the solution of $Aw^* = b$) and the error $e = w - w^*$: the gradient is
# $A$ times the error, one step multiplies the error by $I - \eta A$, and along an eigenvector of
# $A$ with eigenvalue $\lambda$ that is multiplication by the number $1 - \eta\lambda$ (checked
# for a symmetric $2\times 2$ matrix written with its eigenvectors). The square of that number is
# below 1 for step sizes between 0 and $2/\lambda$, and above 1 outside. Then the matrix
# $A = \begin{bmatrix}2 & 1\\1 & 2\end{bmatrix}$ of exercise 2: its factors and its window.

# %%
error_recursion = claim(
    "gradient_descent.error_recursion",
    "One gradient step multiplies the error by I − ηA",
    kind="identity",
    f=wv - eta * (A @ wv - bv) - ws,
    claimed=(sp.Identity(n) - eta * A) @ (wv - ws),
    display_f=sum_of(wv, product_of(-eta, sum_of(A @ wv, -bv)), -ws),
    display=product_of(sum_of(sp.Identity(n), -eta * A), sum_of(wv, -ws)),
    where={bv: A @ ws},
    refs=["S4-66", "S2-41"],
)
gradient_of_error = claim(
    "gradient_descent.gradient_is_a_times_error",
    "On the quadratic, the gradient is A times the error",
    kind="identity",
    f=A @ wv - bv,
    claimed=A @ (wv - ws),
    where={bv: A @ ws},
    refs=["S4-66"],
)
# a symmetric 2×2 matrix with eigenvalues λ, μ and unit eigenvectors at angles φ and φ + π/2
l1, l2, phi = scalar("lambda"), scalar("mu"), scalar("phi")
Q = sp.ImmutableMatrix([[sp.cos(phi), -sp.sin(phi)], [sp.sin(phi), sp.cos(phi)]])
A_22, v_22 = matrix("A", 2, 2), vector("v", 2)
eigenvector_factor = claim(
    "gradient_descent.eigenvector_factor",
    "Along an eigenvector of A, I − ηA multiplies by 1 − ηλ",
    kind="identity",
    f=(sp.Identity(2) - eta * A_22) @ v_22,
    claimed=(1 - eta * l1) * v_22,
    display_f=product_of(sum_of(sp.Identity(2), -eta * A_22), v_22),
    display=product_of(sum_of(1, -eta * l1), v_22),
    where={A_22: Q * sp.diag(l1, l2) * Q.T, v_22: Q[:, 0]},
    refs=["S4-66"],
)
A2, V = matrix("A", 2, 2), matrix("V", 2, 2)
eigen_factors = claim(
    "gradient_descent.contraction_factors_example",
    "Contraction factors of I − ηA along the eigenvectors of A",
    kind="identity",
    f=(sp.Identity(2) - eta * A2) @ V,
    claimed=V @ sp.ImmutableMatrix([[1 - 3 * eta, 0], [0, 1 - eta]]),
    display_f=product_of(sum_of(sp.Identity(2), -eta * A2), V),
    display=product_of(
        V, sp.ImmutableMatrix([[sum_of(1, -3 * eta), 0], [0, sum_of(1, -eta)]])
    ),
    where={A2: sp.ImmutableMatrix([[2, 1], [1, 2]]), V: sp.ImmutableMatrix([[1, 1], [1, -1]])},
    refs=["S4-66"],
)
lam = scalar("lambda")
contraction_gap = claim(
    "gradient_descent.contraction_condition",
    "When |1 − ηλ| < 1: the factor 1 − (1 − ηλ)²",
    kind="identity",
    f=1 - (1 - eta * lam) ** 2,
    claimed=eta * lam * (2 - eta * lam),
    display_f=sum_of(1, -(sum_of(1, -eta * lam) ** 2)),
    display=product_of(eta, lam, sum_of(2, -eta * lam)),
    refs=["S4-66"],
)
lam_pos = scalar("lambda", positive=True)
factor_gap = eta * lam_pos * (2 - eta * lam_pos)
factor_square = (1 - eta * lam_pos) ** 2
# as the chapter writes them: ηλ(2 − ηλ) and (1 − ηλ)²
written_gap = product_of(eta, lam_pos, sum_of(2, -eta * lam_pos))
written_square = sum_of(1, -eta * lam_pos) ** 2
inside_window = claim(
    "gradient_descent.factor_inside_window",
    "For 0 < η < 2/λ the factor 1 − ηλ has square below 1",
    kind="property",
    f=sp.Implies(
        sp.And(sp.StrictLessThan(0, eta), sp.StrictLessThan(eta, 2 / lam_pos)),
        sp.StrictGreaterThan(factor_gap, 0),
    ),
    display_f=sp.Implies(
        sp.And(sp.StrictLessThan(0, eta), sp.StrictLessThan(eta, 2 / lam_pos)),
        sp.StrictGreaterThan(written_gap, 0),
    ),
    claimed=sp.true,
    where={eta: 2 / (lam_pos * (1 + s_pos))},
    domains={lam_pos: "positive", s_pos: "positive"},
    refs=["S4-66"],
)
above_window = claim(
    "gradient_descent.factor_above_window",
    "For η > 2/λ the factor 1 − ηλ has square above 1",
    kind="property",
    f=sp.Implies(sp.StrictGreaterThan(eta, 2 / lam_pos), sp.StrictGreaterThan(factor_square, 1)),
    display_f=sp.Implies(
        sp.StrictGreaterThan(eta, 2 / lam_pos), sp.StrictGreaterThan(written_square, 1)
    ),
    claimed=sp.true,
    where={eta: 2 / lam_pos + s_pos},
    domains={lam_pos: "positive", s_pos: "positive"},
    refs=["S4-66"],
)
below_window = claim(
    "gradient_descent.factor_negative_step",
    "For η < 0 the factor 1 − ηλ has square above 1",
    kind="property",
    f=sp.Implies(sp.StrictLessThan(eta, 0), sp.StrictGreaterThan(factor_square, 1)),
    display_f=sp.Implies(sp.StrictLessThan(eta, 0), sp.StrictGreaterThan(written_square, 1)),
    claimed=sp.true,
    where={eta: -s_pos},
    domains={lam_pos: "positive", s_pos: "positive"},
    refs=["S4-66"],
)
example_window = claim(
    "gradient_descent.example_step_window",
    "For A with eigenvalues 3 and 1, both factors are below 1 in size exactly when 0 < η < 2/3",
    kind="property",
    f=sp.Equivalent(
        sp.And(sp.StrictLessThan(sp.Abs(1 - 3 * eta), 1), sp.StrictLessThan(sp.Abs(1 - eta), 1)),
        sp.And(sp.StrictLessThan(0, eta), sp.StrictLessThan(eta, R(2, 3))),
    ),
    claimed=sp.true,
    refs=["S4-66"],
)
divergence = claim(
    "gradient_descent.divergence_above_limit",
    "Above η = 2/3 the error along (1, 1) grows",
    kind="property",
    f=sp.StrictGreaterThan((1 - 3 * eta) ** 2, 1),
    claimed=sp.true,
    display_f=sp.StrictGreaterThan(sum_of(1, -3 * eta) ** 2, 1),
    where={eta: R(2, 3) + s_pos},
    domains={s_pos: "positive"},
    refs=["S4-66"],
)

# %% [markdown]
# The fastest fixed step balances the two extreme factors: at $\eta = 2/(\lambda_{\min} +
# \lambda_{\max})$ they are equal and opposite, and smaller in size than the factor of the step
# $1/\lambda_{\max}$.

# %%
lam_min, lam_max = scalar("lambda_min", positive=True), scalar("lambda_max", positive=True)
balanced = claim(
    "gradient_descent.balanced_step_factors",
    "The step 2/(λmin + λmax) balances the extreme contraction factors",
    kind="identity",
    f=[1 - eta * lam_min, 1 - eta * lam_max],
    claimed=[
        (lam_max - lam_min) / (lam_max + lam_min),
        -(lam_max - lam_min) / (lam_max + lam_min),
    ],
    display_f=[sum_of(1, -eta * lam_min), sum_of(1, -eta * lam_max)],
    display=[
        sum_of(lam_max, -lam_min) / sum_of(lam_max, lam_min),
        product_of(-1, sum_of(lam_max, -lam_min) / sum_of(lam_max, lam_min)),
    ],
    where={eta: 2 / (lam_min + lam_max)},
    domains={lam_min: "positive", lam_max: "positive"},
    refs=["S4-66"],
)
good_step = claim(
    "gradient_descent.good_step_factors",
    "The step 1/λmax: the extreme contraction factors",
    kind="identity",
    f=[1 - eta * lam_min, 1 - eta * lam_max],
    claimed=[1 - lam_min / lam_max, 0],
    display_f=[sum_of(1, -eta * lam_min), sum_of(1, -eta * lam_max)],
    display=[sum_of(1, -lam_min / lam_max), 0],
    where={eta: 1 / lam_max},
    domains={lam_min: "positive", lam_max: "positive"},
    refs=["S4-66"],
)
gap_between = scalar("delta", positive=True)
balanced_beats_good = claim(
    "gradient_descent.balanced_beats_good_step",
    "The balanced factor is smaller than the good step's",
    kind="property",
    f=sp.StrictGreaterThan(1 - lam_min / lam_max - (lam_max - lam_min) / (lam_max + lam_min), 0),
    claimed=sp.true,
    display_f=sp.StrictGreaterThan(
        sum_of(
            1, -lam_min / lam_max,
            product_of(-1, sum_of(lam_max, -lam_min) / sum_of(lam_max, lam_min)),
        ),
        0,
    ),
    where={lam_max: lam_min + gap_between},
    domains={lam_min: "positive", gap_between: "positive"},
    refs=["S4-66"],
)

# %% [markdown]
# ## Running it: a least-squares bowl
#
# Fit a line $y \approx w_1 + w_2 t$ to four points by minimising
# $f(w) = \frac{1}{2m}\lVert Xw - y\rVert^2$, the quadratic with $A = X^\top X/m$ and
# $b = X^\top y/m$ (up to a constant). The claims below check, from the same data, its Hessian
# $A$, the eigenvalues of $A$ and the step-size limit. We run gradient descent from the same start
# with a small step $0.25/\lambda_{\max}$, a good step $1/\lambda_{\max}$, and a step
# $2.1/\lambda_{\max}$ just above the limit $2/\lambda_{\max}$.

# %%
from derivations.figures import figure, show

T_DATA = (-0.5, 0.5, 1.5, 2.5)
Y_DATA = (0.4, 1.6, 2.4, 3.7)
START = (-1.0, 0.0)

# The same data, exactly: the Hessian of the bowl, its eigenvalues and the step-size limit.
m_fig = len(T_DATA)
X_fig, y_fig, w_fig = matrix("X", m_fig, 2), vector("y", m_fig), vector("w", 2)
w1, w2 = scalar("w_1"), scalar("w_2")
fig_data = {
    X_fig: sp.ImmutableMatrix([[1, R(str(t))] for t in T_DATA]),
    y_fig: sp.ImmutableMatrix([R(str(v)) for v in Y_DATA]),
    w_fig: sp.ImmutableMatrix([w1, w2]),
}
A_fig = sp.ImmutableMatrix([[1, 1], [1, R(9, 4)]])
figure_hessian = claim(
    "gradient_descent.figure_hessian",
    "The Hessian of the least-squares bowl in the figures",
    kind="hessian",
    f=Norm(X_fig @ w_fig - y_fig) ** 2 / (2 * m_fig),
    wrt=(w1, w2),
    claimed=A_fig,
    where=fig_data,
    refs=["S4-66", "S4-63"],
)
A_fig_sym, lam_fig = matrix("A", 2, 2), scalar("lambda")
lam_lo, lam_hi = (13 - sp.sqrt(89)) / 8, (13 + sp.sqrt(89)) / 8
figure_eigenvalues = claim(
    "gradient_descent.figure_eigenvalues",
    "The eigenvalues of the bowl's Hessian: (13 ∓ √89)/8",
    kind="identity",
    f=sp.Determinant(A_fig_sym - lam_fig * sp.Identity(2)),
    claimed=(lam_fig - lam_lo) * (lam_fig - lam_hi),
    display_f=sp.Determinant(sum_of(A_fig_sym, -lam_fig * sp.Identity(2))),
    display=product_of(
        sum_of(lam_fig, -R(13, 8), sp.sqrt(89) / 8), sum_of(lam_fig, -R(13, 8), -sp.sqrt(89) / 8)
    ),
    where={A_fig_sym: A_fig},
    refs=["S4-66"],
)
lam_max_fig = scalar("lambda_max", positive=True)
figure_step_limit = claim(
    "gradient_descent.figure_step_limit",
    "The step-size limit of the bowl: 2/λmax = (13 − √89)/5",
    kind="identity",
    f=2 / lam_max_fig,
    claimed=(13 - sp.sqrt(89)) / 5,
    display=sp.Mul(sum_of(13, -sp.sqrt(89)), sp.Pow(5, -1, evaluate=False), evaluate=False),
    where={lam_max_fig: lam_hi},
    refs=["S4-66"],
)


def bowl_problem():
    """(A, b, w*) of the least-squares bowl."""
    import numpy as np

    X = np.column_stack([np.ones(len(T_DATA)), np.asarray(T_DATA)])
    yv = np.asarray(Y_DATA)
    m = len(T_DATA)
    A_num = X.T @ X / m
    b_num = X.T @ yv / m
    return A_num, b_num, np.linalg.solve(A_num, b_num)


def step_sizes():
    """Small, good and too-large step sizes, named, from the eigenvalues of A."""
    import numpy as np

    A_num, _, _ = bowl_problem()
    hi = np.linalg.eigvalsh(A_num)[-1]
    return {
        "small": 0.25 / hi,
        "good": 1 / hi,
        "too large": 2.1 / hi,
    }


def descend(step_size, iterations=30):
    """The iterates w₀, w₁, ... of gradient descent on the bowl."""
    import numpy as np

    A_num, b_num, _ = bowl_problem()
    iterate = np.asarray(START, dtype=float)
    path = [iterate]
    for _ in range(iterations):
        iterate = iterate - step_size * (A_num @ iterate - b_num)
        path.append(iterate)
    return np.asarray(path)


COLOURS = {"small": "#3949ab", "good": "#2e7d32", "too large": "#c2185b"}


@figure(
    "gradient_descent.trajectories",
    alt="Elliptical contour lines of a least-squares bowl, elongated along a diagonal, with three "
    "gradient descent paths from the same start: a blue path with a small step creeping slowly "
    "towards the minimum, a green path with a good step reaching the marked minimum, and a pink "
    "path with a too-large step zig-zagging across the valley and moving outwards.",
    caption="Gradient descent on f(w) = ‖Xw − y‖²/(2m) for a line fit to four points, with "
    "steps 0.25/λmax (small), 1/λmax (good) and 2.1/λmax (too large, above the limit 2/λmax); "
    "the cross is the minimiser.",
    size=(5.2, 4.2),
)
def draw_trajectories(ax):
    import numpy as np

    A_num, b_num, w_star = bowl_problem()
    g1, g2_ = np.meshgrid(np.linspace(-1.8, 3.8, 241), np.linspace(-2.2, 4.2, 241))
    pts = np.stack([g1, g2_], axis=-1)
    values = 0.5 * np.einsum("...i,ij,...j->...", pts, A_num, pts) - pts @ b_num
    values = values - values.min()
    ax.contour(g1, g2_, values, levels=np.geomspace(0.01, 12, 12), colors="#9e9e9e", linewidths=0.7)
    for name, step_size in step_sizes().items():
        path = descend(step_size, iterations=5 if name == "too large" else 30)
        ax.plot(
            path[:, 0],
            path[:, 1],
            "o-",
            ms=2.5,
            lw=1.1,
            color=COLOURS[name],
            label=f"{name}: η = {step_size:.3f}",
        )
    ax.plot(*w_star, "x", color="black", ms=8, mew=2)
    ax.set_xlim(-1.8, 3.8)
    ax.set_ylim(-2.2, 4.2)
    ax.set_xlabel("$w_1$ (intercept)")
    ax.set_ylabel("$w_2$ (slope)")
    ax.legend(frameon=False, fontsize=8, loc="lower right")


@figure(
    "gradient_descent.error_curves",
    alt="Semi-logarithmic plot of the distance to the minimiser against the iteration number: "
    "the good step falls fastest, the small step falls slowly, and the too-large step rises.",
    caption="Distance ‖w_k − w*‖ to the minimiser for the three step sizes (log scale).",
    size=(5.0, 3.4),
)
def draw_error_curves(ax):
    import numpy as np

    _, _, w_star = bowl_problem()
    for name, step_size in step_sizes().items():
        path = descend(step_size, iterations=40)
        ax.semilogy(
            np.linalg.norm(path - w_star, axis=1),
            color=COLOURS[name],
            label=f"{name}: η = {step_size:.3f}",
        )
    ax.set_xlabel("iteration k")
    ax.set_ylabel("distance to the minimiser")
    ax.legend(frameon=False, fontsize=8)


# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("gradient_descent")


# %% [markdown]
# ## The numbers behind the figures
#
# The eigenvalues of $A$ give the step-size limit. The cell asserts that the error after 40 steps
# is the 40th power of $I - \eta A$ applied to the first error (the recursion above); below the
# limit it shrinks, above it grows.

# %%
if __name__ == "__main__":
    import numpy as np

    A_num, b_num, w_star = bowl_problem()
    lo, hi = np.linalg.eigvalsh(A_num)
    # the exact values of the claims figure_eigenvalues and figure_step_limit
    assert np.allclose([lo, hi], [float(lam_lo), float(lam_hi)])
    assert np.isclose(2 / hi, float((13 - sp.sqrt(89)) / 5))
    assert np.allclose(A_num, np.array(A_fig, dtype=float))
    print(f"eigenvalues of A: {lo:.4f}, {hi:.4f};  limit 2/λmax = {2 / hi:.4f}")
    for name, step_size in step_sizes().items():
        path = descend(step_size, iterations=40)
        e0, e40 = path[0] - w_star, path[-1] - w_star
        predicted = np.linalg.matrix_power(np.eye(2) - step_size * A_num, 40) @ e0
        assert np.allclose(e40, predicted)
        print(
            f"{name:>9}: η = {step_size:.4f}, ‖e₀‖ = {np.linalg.norm(e0):.3f}, "
            f"‖e₄₀‖ = {np.linalg.norm(e40):.3e}"
        )
    sizes = step_sizes()
    radius = {k: float(max(abs(1 - v * lo), abs(1 - v * hi))) for k, v in sizes.items()}
    print("spectral radius of I − ηA:", {k: round(v, 4) for k, v in radius.items()})
    assert radius["small"] < 1 and radius["good"] < 1 < radius["too large"]
    distance = {k: np.linalg.norm(descend(v, 40)[-1] - w_star) for k, v in sizes.items()}
    assert distance["good"] < distance["small"] < np.linalg.norm(np.asarray(START) - w_star)
    assert distance["too large"] > np.linalg.norm(np.asarray(START) - w_star)
    balanced_step = 2 / (lo + hi)
    distance_balanced = np.linalg.norm(descend(balanced_step, 40)[-1] - w_star)
    print(f"balanced step η = {balanced_step:.4f}: ‖e₄₀‖ = {distance_balanced:.3e}")
    assert distance_balanced < distance["good"]


# %% [markdown]
# ## Trajectories and error curves

# %%
if __name__ == "__main__":
    show("gradient_descent.trajectories")
    show("gradient_descent.error_curves")
