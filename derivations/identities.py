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
# # Lab: matrix-calculus identities in both layouts
#
# This page is the executed form of `derivations/identities.py`. Every identity on the chapter
# page *Matrix-calculus identities* is declared here twice: once in our layout (gradients have
# the shape of the variable, Jacobians are $m\times n$) and once in the other layout, built by a
# small helper from the very same object, so the two columns of the reference cannot drift
# apart.

# %%
# %matplotlib inline
import numpy as np
import sympy as sp

from derivations.checker.instances import StandIn, instance
from derivations.engine import (
    REGISTRY,
    Applied,
    AsScalar,
    Diag,
    GradientOf,
    JacobianOf,
    LogSumExp,
    Norm,
    Softmax,
    VectorFunctionOf,
    claim,
    dim,
    fn,
    matrix,
    scalar,
    vector,
)
from derivations.engine.claims import Claim
from derivations.engine.functions import ScalarOfMatrix
from derivations.engine.written import product_of, sum_of


class Bracketed(AsScalar):
    """A 1×1 product such as aᵀx used as a scalar, printed in brackets: (aᵀx)."""

    def _latex_body(self, printer):
        return rf"\left({printer._print(self.args[0])}\right)"


m, n, p = dim("m"), dim("n"), dim("p")
x, a, b = vector("x", n), vector("a", n), vector("b", n)
c = vector("c", m)  # a weight on the m outputs of a map ℝⁿ → ℝᵐ
u = vector("u", m)
A = matrix("A", n, n)
B = matrix("B", m, n)
X, V = matrix("X", n, n), matrix("V", n, n)

# %% [markdown]
# ## Two layouts from one object
#
# For a **scalar** $f$ our gradient is the denominator-layout derivative (a column for a vector
# variable, the shape of $X$ for a matrix variable). The numerator layout writes the transpose:
# the row $\partial f/\partial x = \nabla f^\top$, and for a matrix variable the matrix $N$ with
# $D_V f(X) = \operatorname{tr}(NV)$. For a **vector-valued** $f$ our Jacobian is the
# numerator-layout one ($m\times n$); the denominator layout writes its transpose $J^\top$, the
# matrix that turns a weight $u$ on the outputs into the gradient of $u^\top f$ (the claim after
# the helpers).
#
# The helpers below take a verified claim and declare the other-layout statement from the same
# expressions: a transposed `claimed`, checked again by the engine (not assumed).


# %%
def transposed(expr):
    """The transpose of a matrix expression, written the way a person would: factors of a
    product reversed and transposed one by one, a sum kept in brackets, ``Xᵀ`` for a symbol."""
    if isinstance(expr, sp.MatMul):
        scalars = [f for f in expr.args if not getattr(f, "is_Matrix", False)]
        factors = [transposed(f) for f in reversed(expr.args) if getattr(f, "is_Matrix", False)]
        return sp.MatMul(*scalars, *factors)
    if isinstance(expr, sp.MatAdd):
        return expr if expr == expr.T else sp.Transpose(expr)
    return expr.T


def numerator_form(ours: Claim, direction=None) -> Claim:
    """The numerator-layout twin of a gradient claim: a row, or tr(N V) for a matrix variable."""
    wrt = ours.wrt
    domains = {v.symbol: v.domain for v in ours.variables if v.domain != "real"}
    common = {
        "refs": list(ours.refs),
        "where": dict(ours.where),
        "dims": dict(ours.dims),
        "note": "Numerator layout: the transpose of the gradient.",
    }
    title = f"{ours.title}, numerator layout"
    if wrt.shape[1] == 1:
        return claim(
            f"{ours.id}_numerator",
            title,
            kind="jacobian",
            f=ours.f,
            wrt=wrt,
            claimed=transposed(ours.claimed),
            domains=domains,
            **common,
        )
    return claim(
        f"{ours.id}_numerator",
        title,
        kind="directional",
        f=ours.f,
        wrt=wrt,
        direction=direction,
        claimed=sp.Trace(transposed(ours.claimed) @ direction),
        domains=domains,
        **common,
    )


def denominator_form(ours: Claim, weight) -> Claim:
    """The denominator-layout twin of a Jacobian claim: ∇ₓ(uᵀf) = Jᵀu for every weight u."""
    domains = {v.symbol: v.domain for v in ours.variables if v.domain != "real"}
    return claim(
        f"{ours.id}_denominator",
        f"{ours.title}, denominator layout",
        kind="gradient",
        f=weight.T @ ours.f,
        wrt=ours.wrt,
        claimed=transposed(ours.claimed) @ weight,
        domains=domains,
        where=dict(ours.where),
        dims=dict(ours.dims),
        refs=list(ours.refs),
        note="Denominator layout: the transpose of our Jacobian, read through ∇ₓ(uᵀf) = Jᵀu.",
    )


# %% [markdown]
# The reading used by every denominator-layout twin, for an arbitrary map $f$ of $x$: the
# gradient of the weighted sum of outputs is the transposed Jacobian times the weights.

# %%
claim(
    "identities.weighted_outputs_gradient",
    "The gradient of a weighted sum of outputs is the transposed Jacobian times the weights",
    kind="gradient",
    f=u.T @ VectorFunctionOf("f", x, m),
    wrt=x,
    claimed=JacobianOf(VectorFunctionOf("f", x, m)).T @ u,
    refs=["S3-24"],
)


# %% [markdown]
# ## Linear and quadratic functions of a vector

# %%
linear_ax = claim(
    "identities.linear_ax",
    "Gradient of aᵀx",
    kind="gradient",
    f=a.T @ x,
    wrt=x,
    claimed=a,
    refs=["MC-69", "S4-42", "S1-13"],
)
numerator_form(linear_ax)
# The gradient of xᵀa (the same, a) is gradients.linear_form_x_first.
quadratic = claim(
    "identities.quadratic_form",
    "Gradient of xᵀAx",
    kind="gradient",
    f=x.T @ A @ x,
    wrt=x,
    claimed=(A + A.T) @ x,
    refs=["MC-81", "S4-44"],
)
numerator_form(quadratic)
claim(
    "identities.quadratic_form_symmetric",
    "Gradient of xᵀAx, A symmetric",
    kind="gradient",
    f=x.T @ A @ x,
    wrt=x,
    claimed=2 * A @ x,
    domains={A: "symmetric"},
    refs=["MC-81"],
)
claim(
    "identities.pitfall_quadratic_form_2ax",
    "Pitfall: 2Ax when A is not symmetric",
    kind="gradient",
    f=x.T @ A @ x,
    wrt=x,
    claimed=2 * A @ x,
    pitfall=True,
    corrects="identities.quadratic_form",
    note="2Ax is right only for symmetric A; in general the gradient is (A + Aᵀ)x.",
    refs=["MC-81"],
)
claim(
    "identities.quadratic_form_hessian",
    "Hessian of xᵀAx",
    kind="hessian",
    f=x.T @ A @ x,
    wrt=x,
    claimed=A + A.T,
    refs=["MC-81"],
)

# %% [markdown]
# The steps of the worked example "the quadratic form from first principles", for a step
# $\Delta$: the expansion, a scalar equal to its transpose, and the part linear in $\Delta$.

# %%
step = matrix("Delta", n, 1)
claim(
    "identities.quadratic_form_expansion",
    "Expanding the quadratic form at x + Δ",
    kind="identity",
    f=(x + step).T @ A @ (x + step),
    claimed=x.T @ A @ x + step.T @ A @ x + x.T @ A @ step + step.T @ A @ step,
    display_f=product_of(sp.Transpose(sum_of(x, step)), A, sum_of(x, step)),
    display=sum_of(x.T @ A @ x, step.T @ A @ x, x.T @ A @ step, step.T @ A @ step),
    refs=["MC-81", "S4-44"],
)
claim(
    "identities.scalar_transpose_step",
    "A 1 × 1 product equals its transpose: ΔᵀAx = xᵀAᵀΔ",
    kind="identity",
    f=step.T @ A @ x,
    claimed=x.T @ A.T @ step,
    refs=["MC-81"],
)
claim(
    "identities.quadratic_form_first_order_part",
    "The part of the expansion linear in Δ",
    kind="identity",
    f=step.T @ A @ x + x.T @ A @ step,
    claimed=x.T @ (A + A.T) @ step,
    display_f=sum_of(step.T @ A @ x, x.T @ A @ step),
    refs=["MC-81", "S4-44"],
)
squared_norm = claim(
    "identities.squared_norm",
    "Gradient of ‖x‖²",
    kind="gradient",
    f=Norm(x) ** 2,
    wrt=x,
    claimed=2 * x,
    refs=["MC-131", "S1-15"],
)
numerator_form(squared_norm)
claim(
    "identities.squared_norm_hessian",
    "Hessian of ‖x‖²",
    kind="hessian",
    f=Norm(x) ** 2,
    wrt=x,
    claimed=2 * sp.Identity(n),
    refs=["MC-131", "S3-10"],
)
norm = claim(
    "identities.norm",
    "Gradient of ‖x‖ (x ≠ 0)",
    kind="gradient",
    f=Norm(x),
    wrt=x,
    claimed=x / Norm(x),
    domains={x: "nonzero"},
    refs=["MC-129"],
)
numerator_form(norm)

# %% [markdown]
# ## Least squares, bilinear forms and products of linear forms
#
# $B$ is $m\times n$, so $Bx - c$ lives in $\mathbb{R}^m$ while the gradient lives in
# $\mathbb{R}^n$: the transpose $B^\top$ carries the residual back.

# %%
least_squares = claim(
    "identities.least_squares",
    "Gradient of ‖Bx − c‖²",
    kind="gradient",
    f=Norm(B @ x - c) ** 2,
    wrt=x,
    claimed=2 * B.T @ (B @ x - c),
    refs=["S2-23", "S4-60"],
)
numerator_form(least_squares)
claim(
    "identities.least_squares_hessian",
    "Hessian of ‖Bx − c‖²",
    kind="hessian",
    f=Norm(B @ x - c) ** 2,
    wrt=x,
    claimed=2 * B.T @ B,
    refs=["S4-63"],
)
bilinear_x = claim(
    "identities.bilinear_in_x",
    "Gradient of cᵀBx in x",
    kind="gradient",
    f=c.T @ B @ x,
    wrt=x,
    claimed=B.T @ c,
    refs=["S1-14"],
)
numerator_form(bilinear_x)
bilinear_matrix = claim(
    "identities.bilinear_in_matrix",
    "Gradient of cᵀBx in the matrix B",
    kind="gradient",
    f=c.T @ B @ x,
    wrt=B,
    claimed=c @ x.T,
    refs=["MC-70"],
)
W_dir = matrix("V", m, n)
numerator_form(bilinear_matrix, direction=W_dir)
product_linear = claim(
    "identities.product_of_linear",
    "Gradient of (aᵀx)(bᵀx)",
    kind="gradient",
    f=Bracketed(a.T @ x) * Bracketed(b.T @ x),
    wrt=x,
    claimed=Bracketed(b.T @ x) * a + Bracketed(a.T @ x) * b,
    refs=["MC-78"],
)
numerator_form(product_linear)
claim(
    "identities.product_of_linear_hessian",
    "Hessian of (aᵀx)(bᵀx)",
    kind="hessian",
    f=Bracketed(a.T @ x) * Bracketed(b.T @ x),
    wrt=x,
    claimed=a @ b.T + b @ a.T,
    refs=["MC-78"],
)

# %% [markdown]
# ## The Jacobian of a linear map, and the transposed mistake

# %%
linear_map = claim(
    "identities.linear_map_jacobian",
    "Jacobian of Bx",
    kind="jacobian",
    f=B @ x,
    wrt=x,
    claimed=B,
    refs=["S4-43", "S3-07", "S0-08"],
)
denominator_form(linear_map, u)
# The mistake "the Jacobian of Ax is Aᵀ" is jacobians.pitfall_linear_map_transposed.

# %% [markdown]
# ## Scalar functions of a matrix: linear forms and traces
#
# For a matrix variable the gradient has the shape of the matrix; the numerator-layout twin is
# read off the directional derivative $D_V f(X) = \operatorname{tr}(NV)$.

# %%
linear_in_matrix = claim(
    "identities.linear_in_matrix",
    "Gradient of aᵀXb in X",
    kind="gradient",
    f=a.T @ X @ b,
    wrt=X,
    claimed=a @ b.T,
    refs=["MC-70"],
)
numerator_form(linear_in_matrix, direction=V)
trace_ax = claim(
    "identities.trace_ax",
    "Gradient of tr(AX)",
    kind="gradient",
    f=sp.Trace(A @ X),
    wrt=X,
    claimed=A.T,
    refs=["MC-100"],
)
numerator_form(trace_ax, direction=V)
trace_xta = claim(
    "identities.trace_xta",
    "Gradient of tr(XᵀA)",
    kind="gradient",
    f=sp.Trace(X.T @ A),
    wrt=X,
    claimed=A,
    refs=["MC-103"],
)
numerator_form(trace_xta, direction=V)
# tr(CYD) with a rectangular Y: C is p×m, Y is m×n, D is n×p
C_left, Y, D_right = matrix("C", p, m), matrix("Y", m, n), matrix("D", n, p)
trace_axb = claim(
    "identities.trace_axb",
    "Gradient of tr(CYD) in Y",
    kind="gradient",
    f=sp.Trace(C_left @ Y @ D_right),
    wrt=Y,
    claimed=C_left.T @ D_right.T,
    refs=["MC-101"],
)
numerator_form(trace_axb, direction=W_dir)
trace_xtax = claim(
    "identities.trace_xtax",
    "Gradient of tr(YᵀAY) in Y",
    kind="gradient",
    f=sp.Trace(matrix("Y", n, m).T @ A @ matrix("Y", n, m)),
    wrt=matrix("Y", n, m),
    claimed=(A + A.T) @ matrix("Y", n, m),
    refs=["MC-108"],
)
numerator_form(trace_xtax, direction=matrix("V", n, m))

# %% [markdown]
# ## Determinants and inverses
#
# $\log\lvert\det X\rvert$ is written with a small named function whose explicit form is
# $\tfrac12\log(\det X)^2$, equal to it wherever $\det X \neq 0$: sympy differentiates
# $\lvert\cdot\rvert$ into a sign function it cannot cancel against $\lvert\det X\rvert$, so the
# symbolic layer could not close the proof with `sp.Abs`.


# %%
class LogAbsDet(ScalarOfMatrix):
    """log |det X| for an invertible X."""

    def _latex_body(self, printer):
        return rf"\log\left\lvert\det {printer._print(self.args[0])}\right\rvert"

    @classmethod
    def explicit(cls, arg):
        return sp.log(arg.det(method="berkowitz") ** 2) / 2

    @staticmethod
    def numeric(arg):  # the numeric layer's fast path (engine/fastnum.py)
        return float(np.linalg.slogdet(np.atleast_2d(arg))[1])


log_abs_det = claim(
    "identities.log_abs_det",
    "Gradient of log ∣det X∣",
    kind="gradient",
    f=LogAbsDet(X),
    wrt=X,
    claimed=sp.Inverse(X).T,
    domains={X: "invertible"},
    refs=["MC-57"],
)
numerator_form(log_abs_det, direction=V)
claim(
    "identities.pitfall_log_det_inverse",
    "Pitfall: X⁻¹ as the gradient of log ∣det X∣",
    kind="gradient",
    f=LogAbsDet(X),
    wrt=X,
    claimed=sp.Inverse(X),
    domains={X: "invertible"},
    pitfall=True,
    corrects="identities.log_abs_det",
    note="X⁻¹ is the numerator-layout derivative; as a gradient (shape of X, entry ∂f/∂Xᵢⱼ) it "
    "is X⁻ᵀ. The two agree only for symmetric X.",
    refs=["MC-57"],
)
claim(
    "identities.log_det_spd",
    "Gradient of log det X, X symmetric positive definite",
    kind="gradient",
    f=sp.log(sp.Determinant(X)),
    wrt=X,
    claimed=sp.Inverse(X),
    domains={X: "spd"},
    refs=["MC-57"],
)
det_gradient = claim(
    "identities.det",
    "Gradient of det X",
    kind="gradient",
    f=sp.Determinant(X),
    wrt=X,
    claimed=sp.Determinant(X) * sp.Inverse(X).T,
    domains={X: "invertible"},
    refs=["MC-49"],
)
numerator_form(det_gradient, direction=V)
claim(
    "identities.inverse_directional",
    "Directional derivative of X⁻¹",
    kind="directional",
    f=sp.Inverse(X),
    wrt=X,
    direction=V,
    claimed=-sp.Inverse(X) @ V @ sp.Inverse(X),
    domains={X: "invertible"},
    dims={n: (2, 3)},
    refs=["MC-59", "S1-02"],
)
claim(
    "identities.pitfall_inverse_scalar_rule",
    "Pitfall: the scalar rule −X⁻²V for X⁻¹",
    kind="directional",
    f=sp.Inverse(X),
    wrt=X,
    direction=V,
    claimed=-sp.Inverse(X) @ sp.Inverse(X) @ V,
    domains={X: "invertible"},
    dims={n: (2, 3)},
    pitfall=True,
    corrects="identities.inverse_directional",
    note="(1/x)' = −x⁻² does not carry over: matrices do not commute, and V must sit between "
    "the two inverses.",
    refs=["MC-59"],
)

# %% [markdown]
# Two steps of the worked example "log ∣det X∣ through a directional derivative": factor the
# step out of $X + tV$, then use that the determinant is multiplicative.

# %%
t = scalar("t")
claim(
    "identities.step_factored",
    "Factoring X out of X + tV",
    kind="identity",
    f=X + t * V,
    claimed=X @ (sp.Identity(n) + t * sp.Inverse(X) @ V),
    display_f=sum_of(X, t * V),
    display=product_of(X, sum_of(sp.Identity(n), product_of(t, sp.Inverse(X), V))),
    domains={X: "invertible"},
    refs=["MC-57"],
)
claim(
    "identities.det_of_step",
    "The determinant of X + tV, factored",
    kind="identity",
    f=sp.Determinant(X + t * V),
    claimed=sp.Determinant(X) * sp.Determinant(sp.Identity(n) + t * sp.Inverse(X) @ V),
    display_f=sp.Determinant(sum_of(X, t * V)),
    display=product_of(
        sp.Determinant(X), sp.Determinant(sum_of(sp.Identity(n), product_of(t, sp.Inverse(X), V)))
    ),
    domains={X: "invertible"},
    dims={n: (2,)},
    refs=["MC-57", "MC-49"],
)

# %% [markdown]
# ## Hadamard products and functions applied entry by entry

# %%
hadamard_jac = claim(
    "identities.hadamard_jacobian",
    "Jacobian of a ∘ x",
    kind="jacobian",
    f=sp.HadamardProduct(a, x),
    wrt=x,
    claimed=Diag(a),
    refs=["S3-02"],
)
denominator_form(hadamard_jac, vector("u", n))
claim(
    "identities.hadamard_gradient",
    "Gradient of bᵀ(a ∘ x)",
    kind="gradient",
    f=b.T @ sp.HadamardProduct(a, x),
    wrt=x,
    claimed=sp.HadamardProduct(a, b),
    refs=["S3-02"],
)
# The Jacobian of x ∘ x, 2 diag(x), is jacobians.entrywise_square.

# %% [markdown]
# A scalar function applied entry by entry has a diagonal Jacobian, the derivatives on the
# diagonal; the same holds for $\exp$ and $\sigma$ on the ML building blocks page.

# %%
log_x = Applied("log", x)
elementwise = claim(
    "identities.elementwise_log_jacobian",
    "Jacobian of log applied entry by entry",
    kind="jacobian",
    f=log_x,
    wrt=x,
    claimed=sp.Inverse(Diag(x)),
    domains={x: "positive"},
    dims={n: (2, 3)},
    refs=["S2-29"],
)
denominator_form(elementwise, vector("u", n))
claim(
    "identities.elementwise_exp_gradient",
    "Gradient of aᵀexp(x)",
    kind="gradient",
    f=a.T @ Applied("exp", x),
    wrt=x,
    claimed=sp.HadamardProduct(a, Applied("exp", x)),
    refs=["S2-29"],
)


# %% [markdown]
# ## Log-sum-exp and softmax
#
# The gradient of $\operatorname{lse}$ is softmax (shown with the ML building blocks), so its
# Hessian is the softmax Jacobian (the first claim below). That matrix is symmetric (the second
# claim), so here the two layouts agree.

# %%
z, s = vector("z", n), vector("s", n)
claim(
    "identities.log_sum_exp_hessian",
    "Hessian of log-sum-exp",
    kind="hessian",
    f=LogSumExp(z),
    wrt=z,
    claimed=Diag(s) - s @ s.T,
    where={s: Softmax(z)},
    refs=["S2-31"],
)
claim(
    "identities.softmax_jacobian_symmetric",
    "The softmax Jacobian is symmetric: both layouts agree",
    kind="identity",
    f=sp.Transpose(Diag(s) - s @ s.T),
    claimed=Diag(s) - s @ s.T,
    where={s: Softmax(z)},
    refs=["S2-31"],
)

# %% [markdown]
# ## Exercises on the chapter page
#
# The answers, and two steps used in them: the Jacobian of the shift $x - a$, and the expansion of
# $(X + tV)^2$.

# %%
claim(
    "identities.shift_jacobian",
    "The Jacobian of x − a is the identity",
    kind="jacobian",
    f=x - a,
    wrt=x,
    claimed=sp.Identity(n),
    display_f=sum_of(x, -a),
    refs=["MC-81"],
)
claim(
    "identities.square_expansion",
    "Expanding (X + tV)²",
    kind="identity",
    f=(X + t * V) @ (X + t * V),
    claimed=X @ X + t * (X @ V + V @ X) + t**2 * V @ V,
    display_f=sp.MatPow(sum_of(X, t * V), 2, evaluate=False),
    display=sum_of(X @ X, product_of(t, sum_of(X @ V, V @ X)), t**2 * V @ V),
    refs=["S1-02"],
)
claim(
    "identities.exercise_shifted_quadratic",
    "Gradient of (x − a)ᵀA(x − a)",
    kind="gradient",
    f=(x - a).T @ A @ (x - a),
    wrt=x,
    claimed=(A + A.T) @ (x - a),
    display_f=product_of(sp.Transpose(sum_of(x, -a)), A, sum_of(x, -a)),
    display=product_of(A + A.T, sum_of(x, -a)),
    refs=["MC-81"],
)
claim(
    "identities.exercise_frobenius_norm",
    "Gradient of the squared Frobenius norm",
    kind="gradient",
    f=Norm(B) ** 2,
    wrt=B,
    claimed=2 * B,
    refs=["S1-15"],
)
claim(
    "identities.exercise_square_directional",
    "Directional derivative of X²",
    kind="directional",
    f=X @ X,
    wrt=X,
    direction=V,
    claimed=X @ V + V @ X,
    refs=["S1-02"],
)
claim(
    "identities.exercise_quadratic_in_matrix",
    "Gradient of xᵀAx in the matrix A",
    kind="gradient",
    f=x.T @ A @ x,
    wrt=A,
    claimed=x @ x.T,
    refs=["MC-72"],
)


# %% [markdown]
# ## The Frobenius least-squares loss
#
# $W$ is $m\times n$, the data $X$ is $n\times p$ (one column per sample) and the targets $Y$ are
# $m\times p$. The residual $WX - Y$ is pulled back through $X^\top$.

# %%
W = matrix("W", m, n)
Xd, Yd = matrix("X", n, p), matrix("Y", m, p)
frobenius = claim(
    "identities.frobenius_least_squares",
    "Gradient of ‖WX − Y‖² (Frobenius) in W",
    kind="gradient",
    f=Norm(W @ Xd - Yd) ** 2,
    wrt=W,
    claimed=sp.MatMul(2, W @ Xd - Yd, Xd.T),
    dims={m: (2, 3), n: (3, 2), p: (2,)},
    refs=["S2-23"],
)
numerator_form(frobenius, direction=W_dir)

# %% [markdown]
# ## Symmetric matrices: the gradient trap
#
# When $S$ is restricted to symmetric matrices, only symmetric steps $E$ are allowed. With $G$
# the ordinary gradient, the rate of change along $E$ is $D_E f = \operatorname{tr}(G^\top E)$, and
# for a symmetric $E$ only the symmetric part $\operatorname{sym}(G) = \tfrac12(G+G^\top)$ of $G$
# counts (the first claim below): the gradient on the space of symmetric matrices is
# $\operatorname{sym}(G)$. A formula found in many references, $G + G^\top - G\circ I$, counts
# every off-diagonal entry twice; it predicts the wrong rate of change.

# %%
S, E = matrix("S", n, n), matrix("E", n, n)
G_any = matrix("G", n, n)
claim(
    "identities.trace_symmetric_part",
    "Against a symmetric E, a matrix acts only through its symmetric part",
    kind="identity",
    f=sp.Trace(G_any.T @ E),
    claimed=sp.Trace(((G_any + G_any.T) / 2).T @ E),
    display=sp.Trace(
        product_of(sp.Transpose(product_of(sp.Rational(1, 2), sum_of(G_any, G_any.T))), E)
    ),
    domains={E: "symmetric"},
    refs=["S1-02"],
)
f_S = fn("f", S)
G = GradientOf(f_S)
# The numeric layer draws its own (non-symmetric) step for a directional claim unless the point
# fixes the direction, so the general statement is made at one symmetric point and step; the
# symbolic layer still proves it for every differentiable f there.
sym_point = {S: sp.Matrix([[2, 1], [1, 3]]), E: sp.Matrix([[1, -2], [-2, 1]])}
claim(
    "identities.symmetric_gradient",
    "On symmetric matrices the gradient is sym(G)",
    kind="directional",
    f=f_S,
    wrt=S,
    direction=E,
    claimed=sp.Trace(((G + G.T) / 2).T @ E),
    domains={S: "symmetric", E: "symmetric"},
    at=sym_point,
    dims={n: (2,)},
    refs=["S1-02"],
)
claim(
    "identities.pitfall_symmetric_gradient",
    "Pitfall: G + Gᵀ − G∘I as the symmetric gradient",
    kind="directional",
    f=f_S,
    wrt=S,
    direction=E,
    claimed=sp.Trace((G + G.T - sp.HadamardProduct(G, sp.Identity(n))).T @ E),
    domains={S: "symmetric", E: "symmetric"},
    at=sym_point,
    dims={n: (2,)},
    pitfall=True,
    corrects="identities.symmetric_gradient",
    note="Used as a gradient in the Frobenius inner product, G + Gᵀ − G∘I doubles the "
    "off-diagonal part: the rate of change it predicts along a symmetric step is wrong.",
    refs=["S1-02"],
)
# the site's check: f(S) = log det S, whose gradient S⁻ᵀ is not diagonal at the point
instance(
    "identities.pitfall_symmetric_gradient",
    f=StandIn(lambda S: sp.log(sp.Determinant(S)), lambda S: sp.Inverse(S).T),
)
claim(
    "identities.symmetric_log_det",
    "log det on symmetric positive definite matrices",
    kind="directional",
    f=sp.log(sp.Determinant(S)),
    wrt=S,
    direction=E,
    claimed=sp.Trace(sp.Inverse(S) @ E),
    domains={S: "spd", E: "symmetric"},
    dims={n: (2, 3)},
    refs=["MC-57", "S1-02"],
)
claim(
    "identities.pitfall_symmetric_log_det",
    "Pitfall: 2S⁻¹ − S⁻¹∘I for log det S",
    kind="directional",
    f=sp.log(sp.Determinant(S)),
    wrt=S,
    direction=E,
    claimed=sp.Trace((2 * sp.Inverse(S) - sp.HadamardProduct(sp.Inverse(S), sp.Identity(n))) @ E),
    domains={S: "spd", E: "symmetric"},
    dims={n: (2, 3)},
    pitfall=True,
    corrects="identities.symmetric_log_det",
    note="The 'symmetric' gradient 2S⁻¹ − S⁻¹∘I gives the wrong directional derivative; "
    "S⁻¹ = sym(S⁻ᵀ) is right.",
    refs=["MC-57", "S1-02"],
)

# %% [markdown]
# ## Small facts for the conventions page
#
# The conventions page illustrates its notation with two small results: the three partial
# derivatives of a linear function of $(x, y, z)$ form a list (the gradient), not a chain of
# equalities, and a partial derivative of the Euclidean norm of $(x, y)$.

# %%
xs, ys, zs = scalar("x"), scalar("y"), scalar("z")
claim(
    "identities.linear_xyz_gradient",
    "The partial derivatives of x + 2y + 3z are 1, 2 and 3",
    kind="gradient",
    f=xs + 2 * ys + 3 * zs,
    wrt=(xs, ys, zs),
    claimed=[1, 2, 3],
    refs=["S1-06"],
)
claim(
    "identities.partial_of_euclidean_norm",
    "Partial derivative of √(x² + y²) in x",
    kind="partial",
    f=sp.sqrt(xs**2 + ys**2),
    wrt=(xs,),
    claimed=xs / sp.sqrt(xs**2 + ys**2),
    refs=["S2-37"],
)

# %% [markdown]
# ## The figure on the chapter page: the symmetric trap, measured
#
# For $f(S) = \log\det S$ at one positive definite $S$, take the symmetric unit steps
# $E(\theta)$ with diagonal $(\cos\theta, -\cos\theta)$ and off-diagonal $\sin\theta/\sqrt2$,
# measure the rate of change by central differences, and compare with the two predictions.

# %%
from derivations.figures import figure, show

TRAP_POINT = ((2.0, 0.8), (0.8, 1.0))


def symmetric_trap_curves(thetas):
    """Finite-difference rate of change of log det along E(θ), and the two predicted rates."""
    import numpy as np

    S0 = np.array(TRAP_POINT)
    inverse = np.linalg.inv(S0)
    wrong = 2 * inverse - inverse * np.eye(2)
    measured, right, mistaken = [], [], []
    for th in thetas:
        off = np.sin(th) / np.sqrt(2)
        step = np.array([[np.cos(th), off], [off, -np.cos(th)]])
        h = 1e-6
        rate = (np.log(np.linalg.det(S0 + h * step)) - np.log(np.linalg.det(S0 - h * step))) / (
            2 * h
        )
        measured.append(rate)
        right.append(np.trace(inverse @ step))
        mistaken.append(np.trace(wrong @ step))
    return np.array(measured), np.array(right), np.array(mistaken)


@figure(
    "identities.symmetric_trap",
    alt="Three curves against the angle of a symmetric step. A solid line of measured rates of "
    "change and a dotted line predicted by the inverse coincide; a dashed line predicted by the "
    "formula 2S inverse minus its diagonal departs from them wherever the step has an "
    "off-diagonal part.",
    caption="Rate of change of log det S along symmetric unit steps E(θ): finite differences "
    "(solid) agree with tr(S⁻¹E) (dotted), not with the 'symmetric gradient' 2S⁻¹ − S⁻¹∘I "
    "(dashed), which doubles the off-diagonal contribution.",
    size=(5.2, 3.4),
)
def draw_symmetric_trap(ax):
    import numpy as np

    thetas = np.linspace(0, 2 * np.pi, 181)
    measured, right, mistaken = symmetric_trap_curves(thetas)
    ax.plot(thetas, measured, color="#3949ab", lw=2.4, label="finite differences")
    ax.plot(thetas, right, color="#fdd835", lw=1.2, ls=":", label="tr(S⁻¹E)")
    ax.plot(thetas, mistaken, color="#c2185b", lw=1.4, ls="--", label="tr((2S⁻¹ − S⁻¹∘I)E)")
    ax.set_xlabel("angle θ of the symmetric step")
    ax.set_ylabel("rate of change")
    ax.legend(frameon=False, fontsize=8)


# %% [markdown]
# ## Jacobian–vector and vector–Jacobian products
#
# Automatic differentiation never builds a Jacobian $J$: forward mode pushes a direction $v$
# through it (the JVP $Jv$, the directional derivative of the map), reverse mode pulls a weight
# $u$ on the outputs back (the VJP $u^\top J$, the row derivative of the weighted sum $u^\top f$,
# whose transpose is the denominator-layout twin above). The helper below declares both from a
# verified Jacobian claim's own objects; the engine checks each again. For a matrix-valued map
# $F(X)$ the JVP is the directional derivative $D_V F(X)$ and the VJP is the gradient of the trace
# pairing $\operatorname{tr}(U^\top F(X))$, which is typed out for each map.


# %%
def products_of(ours: Claim, direction, weight, prefix: str | None = None) -> tuple[Claim, Claim]:
    """The JVP v ↦ Jv (a directional claim) and the VJP u ↦ uᵀJ (the row derivative of uᵀf) of
    a Jacobian claim, declared from its f, wrt and claimed (ids ``<base>_jvp``, ``<base>_vjp``;
    ``prefix`` puts them in another module)."""
    base = ours.id if prefix is None else f"{prefix}.{ours.id.split('.', 1)[1]}"
    shown = ours.display if ours.display is not None else ours.claimed
    domains = {v.symbol: v.domain for v in ours.variables if v.domain != "real"}
    common = {
        "domains": domains,
        "where": dict(ours.where),
        "dims": dict(ours.dims),
        "refs": list(ours.refs),
    }
    jvp = claim(
        f"{base}_jvp",
        f"{ours.title}: Jacobian–vector product",
        kind="directional",
        f=ours.f,
        wrt=ours.wrt,
        direction=direction,
        claimed=sp.MatMul(ours.claimed, direction),
        display_f=ours.display_f,
        display=product_of(shown, direction),
        note="Forward mode: the directional derivative along v is Jv.",
        **common,
    )
    vjp = claim(
        f"{base}_vjp",
        f"{ours.title}: vector–Jacobian product",
        kind="jacobian",
        f=weight.T @ ours.f,
        wrt=ours.wrt,
        claimed=sp.MatMul(weight.T, ours.claimed),
        display_f=product_of(weight.T, ours.display_f) if ours.display_f is not None else None,
        display=product_of(weight.T, shown),
        note="Reverse mode: the row derivative of the weighted sum uᵀf is uᵀJ; its transpose "
        "Jᵀu is the gradient (the denominator layout).",
        **common,
    )
    return jvp, vjp


def matrix_vjp(ours: Claim, weight, claimed, display=None) -> Claim:
    """The VJP of a matrix-valued map F whose directional derivative ``ours`` states the JVP:
    the gradient of the trace pairing tr(Uᵀ F(X)), typed out and checked."""
    domains = {v.symbol: v.domain for v in ours.variables if v.domain != "real"}
    domains.pop(ours.direction, None)
    return claim(
        f"{ours.id}_vjp",
        f"{ours.title}: vector–Jacobian product",
        kind="gradient",
        f=sp.Trace(weight.T @ ours.f),
        wrt=ours.wrt,
        claimed=claimed,
        display=display,
        domains=domains,
        dims=dict(ours.dims),
        refs=list(ours.refs),
        note="Reverse mode for a matrix-valued map: the gradient of tr(UᵀF(X)).",
    )


# %% [markdown]
# The products of the Jacobian identities on this page ($v$ a direction in the input space, $u$ a
# weight on the outputs, $V$ and $U$ their matrix counterparts).

# %%
v_n, u_n = vector("v", n), vector("u", n)
products_of(linear_map, v_n, u)
products_of(hadamard_jac, v_n, u_n)
products_of(elementwise, v_n, u_n)
products_of(REGISTRY["identities.shift_jacobian"], v_n, u_n)
U = matrix("U", n, n)
matrix_vjp(
    REGISTRY["identities.inverse_directional"],
    U,
    -sp.Inverse(X).T @ U @ sp.Inverse(X).T,
)
matrix_vjp(REGISTRY["identities.exercise_square_directional"], U, U @ X.T + X.T @ U)

# %% [markdown]
# The other-layout twins of the identities above that were first stated in one layout only:
# the same helpers, the same objects, checked again.

# %%
for one_layout in ("weighted_outputs_gradient", "hadamard_gradient", "elementwise_exp_gradient"):
    numerator_form(REGISTRY[f"identities.{one_layout}"])
claim(
    "identities.quadratic_form_symmetric_numerator",
    "Gradient of xᵀAx, A symmetric, numerator layout",
    kind="jacobian",
    f=x.T @ A @ x,
    wrt=x,
    claimed=2 * x.T @ A.T,
    display=2 * x.T @ A,  # equal to the transpose of 2Ax because A is symmetric
    domains={A: "symmetric"},
    refs=["MC-81"],
    note="Numerator layout: the transpose of the gradient.",
)
claim(
    "identities.log_det_spd_numerator",
    "Derivative of log det S, S positive definite, numerator layout",
    kind="directional",
    f=REGISTRY["identities.log_det_spd"].f,
    wrt=REGISTRY["identities.log_det_spd"].wrt,
    direction=V,
    claimed=sp.Trace(sp.Inverse(REGISTRY["identities.log_det_spd"].wrt) @ V),
    domains={REGISTRY["identities.log_det_spd"].wrt: "spd"},
    refs=list(REGISTRY["identities.log_det_spd"].refs),
    note="Numerator layout: the matrix N with D_V f = tr(NV); for a symmetric S it is S⁻¹.",
)
claim(
    "identities.shift_jacobian_denominator",
    "The Jacobian of x − a is the identity, denominator layout",
    kind="gradient",
    f=u_n.T @ (x - a),
    wrt=x,
    claimed=u_n,
    display_f=u_n.T @ sum_of(x, -a),
    refs=["MC-81"],
    note="Denominator layout: the transpose of our Jacobian, read through ∇ₓ(uᵀf) = Jᵀu.",
)


# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("identities")


# %% [markdown]
# ## A numeric check and the picture
#
# The largest gap between measured rates and each prediction, then the figure.

# %%
if __name__ == "__main__":
    import numpy as np

    measured, right, mistaken = symmetric_trap_curves(np.linspace(0, 2 * np.pi, 37))
    print("max |measured − tr(S⁻¹E)|          =", np.abs(measured - right).max())
    print("max |measured − tr((2S⁻¹ − S⁻¹∘I)E)| =", np.abs(measured - mistaken).max())
    show("identities.symmetric_trap")
