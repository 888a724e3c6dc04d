# %% [markdown]
# # Lab: optimisation and gradient descent
#
# This page is the executed form of `derivations/gradient_descent.py`. Every result on the
# chapter page *Optimisation and gradient descent* is declared here as a claim and checked by
# the engine; then gradient descent is run on a small least-squares problem with three step
# sizes. Run it yourself with `python -m derivations.gradient_descent`.

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
# in both outputs would need $s \le x$ and $-s \le -x$, that is $s = x$ for every $x$. Turning
# the outputs into one number, for instance $\lVert f(x)\rVert^2 = 2x^2$, gives a problem with a
# solution.

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
# $f(w) = 4w^2 - 4w + 1$: $f'(w) = 8w - 4$ vanishes at $w = 1/2$, $f'' = 8 > 0$, and indeed
# $f = (2w - 1)^2$ has its minimum $0$ there. For $(w - 2)^2(w + 1)$ the critical points are
# $0$ (where $f'' = -6$, a maximum) and $2$ (where $f'' = 6$, a minimum).

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
# $x^2 - 2x + 2y^2 + 12y$ has gradient $(2x - 2,\ 4y + 12)$, zero only at $(1, -3)$, and a
# positive definite Hessian: completing the squares shows it is the minimiser. $x^2 - y^2$ also has gradient zero at the origin, but its Hessian
# $\operatorname{diag}(2, -2)$ is indefinite: along the $y$-axis $f$ goes down. The origin is a
# saddle, not a minimiser.

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
# For a unit vector $d$ the rate of change of $f$ along $d$ is $\nabla f^\top d$. The
# Cauchy–Schwarz gap below is a sum of squares, so $(\nabla f^\top d)^2 \le \lVert\nabla
# f\rVert^2$ for unit $d$, and $d = \nabla f/\lVert\nabla f\rVert$ attains the bound. In two
# dimensions the rate is $\lVert\nabla f\rVert\cos\theta$.

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
# The source's example $f(x, y) = \frac12 x^3 y$ at $(1, 2)$: $\nabla f = (3, \frac12)$,
# $\lVert\nabla f\rVert = \sqrt{37}/2$, so the steepest ascent direction is $(6, 1)/\sqrt{37}$
# with rate $\sqrt{37}/2 \approx 3.04$, and the opposite direction has rate $-\sqrt{37}/2$.

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
# $f(w) = \frac12 w^\top A w - b^\top w$ with $A$ symmetric positive definite has gradient
# $Aw - b$ and Hessian $A$. One step $w \leftarrow w - \eta\nabla f(w)$ changes $f$ by exactly
# $-\eta\lVert g\rVert^2 + \frac{\eta^2}{2}g^\top A g$: a decrease for small $\eta > 0$, an
# increase for $\eta < 0$ or $\eta$ too large.

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
# With $w^*$ the minimiser ($Aw^* = b$) and $e = w - w^*$, one step multiplies the error by
# $I - \eta A$. Along an eigenvector of $A$ with eigenvalue $\lambda$ that is multiplication by
# $1 - \eta\lambda$, and $|1 - \eta\lambda| < 1$ exactly when $0 < \eta < 2/\lambda$. For
# $A = \begin{bmatrix}2 & 1\\1 & 2\end{bmatrix}$ (eigenvalues 3 and 1) the limit is
# $\eta < 2/3$.

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
# \lambda_{\max})$ they are equal and opposite.

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

# %% [markdown]
# ## Running it: a least-squares bowl
#
# Fit a line $y \approx w_1 + w_2 t$ to four points by minimising
# $f(w) = \frac{1}{2m}\lVert Xw - y\rVert^2$, a quadratic with $A = X^\top X/m$ and
# $b = X^\top y/m$. We run gradient descent from the same start with a small step
# $0.25/\lambda_{\max}$, a good step $1/\lambda_{\max}$, and a step $2.1/\lambda_{\max}$ just
# above the limit $2/\lambda_{\max}$.

# %%
from derivations.figures import figure

T_DATA = (-0.5, 0.5, 1.5, 2.5)
Y_DATA = (0.4, 1.6, 2.4, 3.7)
START = (-1.0, 0.0)


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
# The eigenvalues of $A$ give the step-size limit. The error after $k$ steps is
# $(I - \eta A)^k e_0$ exactly (the recursion above); below the limit it shrinks, above it
# grows.

# %%
if __name__ == "__main__":
    import numpy as np

    A_num, b_num, w_star = bowl_problem()
    lo, hi = np.linalg.eigvalsh(A_num)
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
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.2, 4.2))
    draw_trajectories(ax)
    plt.show()
    fig, ax = plt.subplots(figsize=(5.0, 3.4))
    draw_error_curves(ax)
    plt.show()
