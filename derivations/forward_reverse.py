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
# # Lab: forward and reverse mode
#
# This page is the executed form of `derivations/forward_reverse.py`. It declares every result
# boxed on the chapter page *Forward and reverse mode* as a claim checked by the engine: what a
# Jacobian–vector product (forward mode) and a vector–Jacobian product (reverse mode) are, how
# each mode applies the chain rule, and the two products for the maps a network is built from.
# Then it computes both products in numpy for a small two-layer map, checks them against each
# other and against finite differences, and counts the multiply-adds it takes to get the whole
# gradient of a scalar loss in each mode.
#
# For a differentiable map $f:\mathbb{R}^n\to\mathbb{R}^m$ with Jacobian $J$ at $x$, the
# *Jacobian–vector product* (JVP, or pushforward) sends a direction $v\in\mathbb{R}^n$ to
# $Jv\in\mathbb{R}^m$, and the *vector–Jacobian product* (VJP, or pullback) sends a weight
# $u\in\mathbb{R}^m$ on the outputs to $J^\top u\in\mathbb{R}^n$.

# %%
# %matplotlib inline
import sympy as sp

from derivations.chain_rule import OuterJacobianOf
from derivations.checker.instances import instance, linear_map
from derivations.engine import (
    Applied,
    AsScalar,
    GradientOf,
    JacobianOf,
    Softmax,
    VectorFunctionOf,
    claim,
    dim,
    fn,
    matrix,
    scalar,
    vector,
)
from derivations.engine.written import product_of, sum_of

n, m, k = dim("n"), dim("m"), dim("k")
p, q = dim("p"), dim("q")
x, v = vector("x", n), vector("v", n)
u = vector("u", m)

# %% [markdown]
# ## The two products
#
# The JVP is the directional derivative of $f$ along $v$ (the claim below, about an arbitrary
# differentiable map $f$: the engine checks it for an undefined function of the entries, so for
# every $f$). The VJP is the gradient of the scalar $u^\top f$, the claim
# `identities.weighted_outputs_gradient` of the identities chapter.

# %%
f_map = VectorFunctionOf("f", x, m)
claim(
    "forward_reverse.jvp_is_directional",
    "A Jacobian–vector product is a directional derivative",
    kind="directional",
    f=f_map,
    wrt=x,
    direction=v,
    claimed=JacobianOf(f_map) @ v,
    dims={n: (2,), m: (2,)},
    refs=["S4-28", "S4-16", "S1-02"],
)

# %% [markdown]
# The two products meet in one number: the scalar $u^\top(Jv)$ can be computed from the JVP
# or from the VJP (the claim below). This is what makes a VJP checkable with JVPs, and the
# other way round (the lab does it numerically below).

# %%
J = matrix("J", m, n)
claim(
    "forward_reverse.pairing",
    "The JVP and the VJP pair to the same number",
    kind="identity",
    f=AsScalar(u.T @ (J @ v)),
    claimed=AsScalar((J.T @ u).T @ v),
    display_f=AsScalar(sp.MatMul(u.T, sp.MatMul(J, v, evaluate=False), evaluate=False)),
    display=AsScalar(sp.MatMul(sp.Transpose(J.T @ u), v, evaluate=False)),
    refs=["S3-26"],
)

# %% [markdown]
# A scalar loss $L:\mathbb{R}^n\to\mathbb{R}$ has a $1\times n$ Jacobian, the row
# $\nabla L^\top$ (`jacobians.scalar_function_row`). Its VJP with a weight $u\in\mathbb{R}$ is
# the gradient of $uL$; with $u = 1$ it is the gradient itself.

# %%
L_fn = fn("L", x)
u_scalar = scalar("u")
claim(
    "forward_reverse.scalar_loss_vjp",
    "The VJP of a scalar loss with weight u is u∇L",
    kind="gradient",
    f=u_scalar * L_fn,
    wrt=x,
    claimed=u_scalar * GradientOf(L_fn),
    refs=["S2-15", "S3-20"],
)

# %% [markdown]
# ## A worked example: a Jacobian by columns or by rows
#
# For $g(x_1, x_2, x_3) = (x_1x_2x_3,\; x_1 + x_2^2)$ at $(1, 2, 3)$ the Jacobian is $2\times 3$.
# One JVP along a unit vector $e_j$ gives column $j$ (three forward passes for the whole
# matrix); one VJP with a unit vector $e_i$ on the outputs gives row $i$ (two reverse passes).

# %%
x_1, x_2, x_3 = scalar("x_1"), scalar("x_2"), scalar("x_3")
v_1, v_2, v_3 = scalar("v_1"), scalar("v_2"), scalar("v_3")
u_1, u_2 = scalar("u_1"), scalar("u_2")
g_example = sp.Matrix([x_1 * x_2 * x_3, x_1 + x_2**2])
example_point = {x_1: 1, x_2: 2, x_3: 3}
claim(
    "forward_reverse.example_jacobian",
    "Jacobian of g(x) = (x₁x₂x₃, x₁ + x₂²) at (1, 2, 3)",
    kind="jacobian",
    f=g_example,
    wrt=(x_1, x_2, x_3),
    claimed=sp.Matrix([[6, 3, 2], [1, 4, 0]]),
    at=example_point,
    refs=["S2-12"],
)
claim(
    "forward_reverse.example_jvp_e2",
    "The JVP of g at (1, 2, 3) along e₂ is column 2 of the Jacobian",
    kind="directional",
    f=g_example,
    wrt=(x_1, x_2, x_3),
    direction=(v_1, v_2, v_3),
    claimed=sp.Matrix([3, 4]),
    at={**example_point, v_1: 0, v_2: 1, v_3: 0},
    refs=["S4-17", "S4-28"],
)
claim(
    "forward_reverse.example_vjp_e1",
    "The VJP of g at (1, 2, 3) with u = e₁ is row 1 of the Jacobian, as a column",
    kind="gradient",
    f=u_1 * g_example[0] + u_2 * g_example[1],
    wrt=(x_1, x_2, x_3),
    claimed=sp.Matrix([6, 3, 2]),
    at={**example_point, u_1: 1, u_2: 0},
    refs=["S3-26", "S2-17"],
)
claim(
    "forward_reverse.exercise_vjp_e2",
    "The VJP of g at (1, 2, 3) with u = e₂",
    kind="gradient",
    f=u_1 * g_example[0] + u_2 * g_example[1],
    wrt=(x_1, x_2, x_3),
    claimed=sp.Matrix([1, 4, 0]),
    at={**example_point, u_1: 0, u_2: 1},
    refs=["S3-26", "S2-17"],
)

# %% [markdown]
# ## The chain rule in each mode
#
# For $z = q(x)$ with $q:\mathbb{R}^n\to\mathbb{R}^m$ and an outer map
# $h:\mathbb{R}^m\to\mathbb{R}^k$, the Jacobian of $h\circ q$ is the product of the two Jacobians
# (`chain_rule.jacobian_product`). Applied to a vector, the product can be evaluated from the
# right or from the left. Forward mode pushes $v$ through $q$ first, then through $h$; reverse
# mode pulls $u$ back through $h$ first, then through $q$.

# %%
z = vector("z", m)
q_map = VectorFunctionOf("q", x, m)
h_map = VectorFunctionOf("h", z, k)
u_k = vector("u", k)
chain_sizes = {n: (2,), m: (2,), k: (2,)}
claim(
    "forward_reverse.jvp_chain",
    "Forward mode: the JVP of a composition is the JVP of h applied to the JVP of q",
    kind="directional",
    f=h_map,
    wrt=x,
    direction=v,
    claimed=OuterJacobianOf(h_map) @ (JacobianOf(q_map) @ v),
    where={z: q_map},
    dims=chain_sizes,
    refs=["S2-19", "S3-25"],
)
claim(
    "forward_reverse.vjp_chain",
    "Reverse mode: the VJP of a composition is the VJP of q applied to the VJP of h",
    kind="gradient",
    f=AsScalar(u_k.T @ h_map),
    wrt=x,
    claimed=JacobianOf(q_map).T @ (OuterJacobianOf(h_map).T @ u_k),
    where={z: q_map},
    dims=chain_sizes,
    refs=["S2-19", "S3-26"],
)
# the forward-order mistake is only defined when k = m = n
z_sq = vector("z", n)
q_sq = VectorFunctionOf("q", x, n)
h_sq = VectorFunctionOf("h", z_sq, n)
u_sq = vector("u", n)
# the site's check: q(x) = Ax, h(z) = Bz, whose Jacobians A, B do not commute
instance("forward_reverse.pitfall_vjp_forward_order", q=linear_map("A"), h=linear_map("B"))
claim(
    "forward_reverse.pitfall_vjp_forward_order",
    "Pitfall: pulling u back through q first, then through h",
    kind="gradient",
    f=AsScalar(u_sq.T @ h_sq),
    wrt=x,
    claimed=OuterJacobianOf(h_sq).T @ (JacobianOf(q_sq).T @ u_sq),
    where={z_sq: q_sq},
    dims={n: (2,)},
    pitfall=True,
    corrects="forward_reverse.vjp_chain",
    note="Reverse mode visits the maps in reverse order: u is a weight on the outputs of h, so "
    "h's transposed Jacobian must act on it first. With k, m, n all different the forward order "
    "is not even defined; with all equal (as here) it runs and is wrong.",
    refs=["S2-19", "S2-20"],
)

# %% [markdown]
# ## The products of standard maps
#
# Each map below gets its JVP (a directional derivative, as above) and its VJP. For a map whose
# output is a matrix $F(X)$, the weight $U$ has the shape of the output and the VJP is the
# gradient of the pairing $\operatorname{tr}(U^\top F(X))$, the sum of the products of
# matching entries of $U$ and $F(X)$; it has the shape of $X$.
#
# **A linear map** $x\mapsto Ax$ with $A$ of size $m\times n$.

# %%
A = matrix("A", m, n)
claim(
    "forward_reverse.linear_jvp",
    "JVP of x ↦ Ax",
    kind="directional",
    f=A @ x,
    wrt=x,
    direction=v,
    claimed=A @ v,
    refs=["S2-16", "S1-02"],
)
claim(
    "forward_reverse.linear_vjp",
    "VJP of x ↦ Ax",
    kind="gradient",
    f=AsScalar(u.T @ A @ x),
    wrt=x,
    claimed=A.T @ u,
    refs=["S2-16", "S3-26"],
)

# %% [markdown]
# **Multiplying on both sides**, $X\mapsto AXB$ with $A$ of size $p\times m$, $X$ of size
# $m\times n$ and $B$ of size $n\times q$: the output is $p\times q$, and so is $U$.

# %%
A_left, B_right = matrix("A", p, m), matrix("B", n, q)
X_mn, V_mn = matrix("X", m, n), matrix("V", m, n)
U_pq = matrix("U", p, q)
axb_sizes = {p: (2,), m: (3,), n: (2,), q: (3,)}
claim(
    "forward_reverse.axb_jvp",
    "JVP of X ↦ AXB",
    kind="directional",
    f=A_left @ X_mn @ B_right,
    wrt=X_mn,
    direction=V_mn,
    claimed=A_left @ V_mn @ B_right,
    dims=axb_sizes,
    refs=["MC-101", "S1-02"],
)
claim(
    "forward_reverse.axb_vjp",
    "VJP of X ↦ AXB",
    kind="gradient",
    f=sp.Trace(U_pq.T @ A_left @ X_mn @ B_right),
    wrt=X_mn,
    claimed=A_left.T @ U_pq @ B_right.T,
    dims=axb_sizes,
    refs=["MC-101"],
)
# without the transposes the shapes only match when every size is the same
A_sq, B_sq, X_sq, U_sq = (matrix(name, n, n) for name in ("A", "B", "X", "U"))
claim(
    "forward_reverse.pitfall_axb_vjp_untransposed",
    "Pitfall: the VJP of X ↦ AXB is U ↦ AUB",
    kind="gradient",
    f=sp.Trace(U_sq.T @ A_sq @ X_sq @ B_sq),
    wrt=X_sq,
    claimed=A_sq @ U_sq @ B_sq,
    dims={n: (2,)},
    pitfall=True,
    corrects="forward_reverse.axb_vjp",
    note="The JVP multiplies the direction by A and B; the VJP multiplies the weight by their "
    "transposes, Aᵀ on the left and Bᵀ on the right. With rectangular A and B the untransposed "
    "product does not have the shape of X; with square ones it has, and it is wrong.",
    refs=["MC-101"],
)

# %% [markdown]
# **The product of two matrices** $(X, Y)\mapsto XY$, with $X$ of size $m\times n$ and $Y$ of
# size $n\times q$: the JVP in $X$ alone, and the VJP in each factor. The JVP along a step
# $(V, W)$ of both is the sum of the two one-factor JVPs (the product rule).

# %%
Y_nq, W_nq = matrix("Y", n, q), matrix("W", n, q)
U_mq = matrix("U", m, q)
product_sizes = {m: (2,), n: (3,), q: (2,)}
claim(
    "forward_reverse.product_jvp_first",
    "JVP of (X, Y) ↦ XY in X",
    kind="directional",
    f=X_mn @ Y_nq,
    wrt=X_mn,
    direction=V_mn,
    claimed=V_mn @ Y_nq,
    dims=product_sizes,
    refs=["S1-02"],
)
claim(
    "forward_reverse.product_jvp_second",
    "JVP of (X, Y) ↦ XY in Y",
    kind="directional",
    f=X_mn @ Y_nq,
    wrt=Y_nq,
    direction=W_nq,
    claimed=X_mn @ W_nq,
    dims=product_sizes,
    refs=["S1-02"],
)
claim(
    "forward_reverse.product_vjp_first",
    "VJP of (X, Y) ↦ XY in X",
    kind="gradient",
    f=sp.Trace(U_mq.T @ X_mn @ Y_nq),
    wrt=X_mn,
    claimed=U_mq @ Y_nq.T,
    dims=product_sizes,
    refs=["MC-101"],
)
claim(
    "forward_reverse.product_vjp_second",
    "VJP of (X, Y) ↦ XY in Y",
    kind="gradient",
    f=sp.Trace(U_mq.T @ X_mn @ Y_nq),
    wrt=Y_nq,
    claimed=X_mn.T @ U_mq,
    dims=product_sizes,
    refs=["MC-101"],
)

# %% [markdown]
# **The inverse** $X\mapsto X^{-1}$ of an invertible $n\times n$ matrix. The JVP is the
# directional derivative of the inverse, the claim `identities.inverse_directional`; the VJP
# has the transposed inverses.

# %%
X_inv = sp.Inverse(X_sq)

# %% [markdown]
# **The Gram map** $X\mapsto X^\top X$ of an $m\times n$ matrix: the output is $n\times n$, and so
# is $U$. $U$ need not be symmetric, which is why the VJP holds $U$ and $U^\top$.

# %%
U_nn = matrix("U", n, n)
gram_sizes = {m: (3,), n: (2,)}
claim(
    "forward_reverse.gram_jvp",
    "JVP of X ↦ XᵀX",
    kind="directional",
    f=X_mn.T @ X_mn,
    wrt=X_mn,
    direction=V_mn,
    claimed=V_mn.T @ X_mn + X_mn.T @ V_mn,
    display=sum_of(V_mn.T @ X_mn, X_mn.T @ V_mn),
    dims=gram_sizes,
    refs=["S1-02", "S3-24"],
)
claim(
    "forward_reverse.gram_vjp",
    "VJP of X ↦ XᵀX",
    kind="gradient",
    f=sp.Trace(U_nn.T @ X_mn.T @ X_mn),
    wrt=X_mn,
    claimed=X_mn @ (U_nn + U_nn.T),
    display=product_of(X_mn, sum_of(U_nn, U_nn.T)),
    dims=gram_sizes,
    refs=["MC-108", "S3-24"],
)
claim(
    "forward_reverse.gram_vjp_symmetric_weight",
    "VJP of X ↦ XᵀX for a symmetric weight U",
    kind="gradient",
    f=sp.Trace(U_nn.T @ X_mn.T @ X_mn),
    wrt=X_mn,
    claimed=2 * X_mn @ U_nn,
    display=product_of(2, X_mn, U_nn),
    domains={U_nn: "symmetric"},
    dims=gram_sizes,
    refs=["MC-108"],
)
claim(
    "forward_reverse.pitfall_gram_vjp_symmetric",
    "Pitfall: the VJP of X ↦ XᵀX is U ↦ 2XU",
    kind="gradient",
    f=sp.Trace(U_nn.T @ X_mn.T @ X_mn),
    wrt=X_mn,
    claimed=2 * X_mn @ U_nn,
    display=product_of(2, X_mn, U_nn),
    dims=gram_sizes,
    pitfall=True,
    corrects="forward_reverse.gram_vjp",
    note="2XU is right only for a symmetric weight U. The output XᵀX is symmetric, but the "
    "weight that arrives from the next map need not be, and the VJP must use its symmetric part "
    "twice: X(U + Uᵀ).",
    refs=["MC-108"],
)

# %% [markdown]
# **An elementwise map** $x\mapsto\sigma(x)$, the sigmoid applied entry by entry. Its Jacobian is
# diagonal (`activations.sigmoid_elementwise_jacobian`), so both products multiply entry by
# entry by the slopes of the sigmoid, and they are the same.

# %%
ones_n = sp.OneMatrix(n, 1)
sigma_x = Applied("sigma", x)
slope = sp.HadamardProduct(sigma_x, ones_n - sigma_x)
slope_shown = sp.HadamardProduct(sigma_x, sum_of(ones_n, -sigma_x))
u_n = vector("u", n)
claim(
    "forward_reverse.elementwise_jvp",
    "JVP of the sigmoid applied entry by entry",
    kind="directional",
    f=sigma_x,
    wrt=x,
    direction=v,
    claimed=sp.HadamardProduct(slope, v),
    display=sp.HadamardProduct(slope_shown, v),
    refs=["S1-10", "S2-29"],
)
claim(
    "forward_reverse.elementwise_vjp",
    "VJP of the sigmoid applied entry by entry",
    kind="gradient",
    f=AsScalar(u_n.T @ sigma_x),
    wrt=x,
    claimed=sp.HadamardProduct(slope, u_n),
    display=sp.HadamardProduct(slope_shown, u_n),
    refs=["S1-10", "S2-29"],
)

# %% [markdown]
# **Softmax**, $s = \operatorname{softmax}(z)$ for $z\in\mathbb{R}^n$. Its Jacobian
# (`activations.softmax_jacobian`) is symmetric, so the JVP
# and the VJP are the same formula: subtract the $s$-weighted mean of the vector, then multiply
# by $s$ entry by entry. Neither forms the $n\times n$ Jacobian.

# %%
z_n, s = vector("z", n), vector("s", n)


class Bracketed(AsScalar):
    """A 1×1 product such as sᵀv used as a scalar, printed in brackets: (sᵀv)."""

    def _latex_body(self, printer):
        return rf"\left({printer._print(self.args[0])}\right)"


softmax_where = {s: Softmax(z_n)}
softmax_sizes = {n: (2, 3)}
claim(
    "forward_reverse.softmax_jvp",
    "JVP of softmax",
    kind="directional",
    f=Softmax(z_n),
    wrt=z_n,
    direction=v,
    claimed=sp.HadamardProduct(s, v - AsScalar(s.T @ v) * ones_n),
    display=sp.HadamardProduct(s, sum_of(v, -Bracketed(s.T @ v) * ones_n)),
    where=softmax_where,
    dims=softmax_sizes,
    refs=["S2-31"],
)
claim(
    "forward_reverse.softmax_vjp",
    "VJP of softmax",
    kind="gradient",
    f=AsScalar(u_n.T @ Softmax(z_n)),
    wrt=z_n,
    claimed=sp.HadamardProduct(s, u_n - AsScalar(s.T @ u_n) * ones_n),
    display=sp.HadamardProduct(s, sum_of(u_n, -Bracketed(s.T @ u_n) * ones_n)),
    where=softmax_where,
    dims=softmax_sizes,
    refs=["S2-31", "S3-26"],
)

# %% [markdown]
# ## A two-layer map, in both modes
#
# The map $f(x) = W_2\tanh(W_1x)$ takes $x\in\mathbb{R}^n$ through $m$ tanh units to $k$
# outputs. Forward mode carries the pair (value, tangent) through the layers: the tangent
# $W_1v$, then scaled entry by entry by the tanh slopes, then multiplied by $W_2$. Reverse mode
# first runs the layers to store $h = \tanh(W_1x)$, then carries the weight $u$ back: $W_2^\top u$,
# scaled by the same slopes, then multiplied by $W_1^\top$.

# %%
W_1, W_2 = matrix("W_1", m, n), matrix("W_2", k, m)
a, h = vector("a", m), vector("h", m)
ones_m = sp.OneMatrix(m, 1)
two_layer = W_2 @ Applied("tanh", W_1 @ x)
tanh_slope = ones_m - sp.HadamardProduct(h, h)
tanh_slope_shown = sum_of(ones_m, -sp.HadamardProduct(h, h))
hidden_where = {h: Applied("tanh", W_1 @ x)}
two_layer_sizes = {n: (2,), m: (3,), k: (2,)}
claim(
    "forward_reverse.two_layer_jvp",
    "JVP of x ↦ W₂ tanh(W₁x)",
    kind="directional",
    f=two_layer,
    wrt=x,
    direction=v,
    claimed=W_2 @ sp.HadamardProduct(tanh_slope, W_1 @ v),
    display=product_of(W_2, sp.HadamardProduct(tanh_slope_shown, W_1 @ v)),
    where=hidden_where,
    dims=two_layer_sizes,
    refs=["S2-19", "S1-10"],
)
claim(
    "forward_reverse.two_layer_vjp",
    "VJP of x ↦ W₂ tanh(W₁x)",
    kind="gradient",
    f=AsScalar(u_k.T @ two_layer),
    wrt=x,
    claimed=W_1.T @ sp.HadamardProduct(tanh_slope, W_2.T @ u_k),
    display=product_of(W_1.T, sp.HadamardProduct(tanh_slope_shown, W_2.T @ u_k)),
    where=hidden_where,
    dims=two_layer_sizes,
    refs=["S2-19", "S3-26"],
)

# %% [markdown]
# ## The same products in numpy, with every multiply-add counted
#
# The functions below compute the map, its JVP and its VJP with the three operations the claims
# use: a matrix times a vector, a product entry by entry, and tanh. A counter adds up the
# multiply-adds: an $r\times c$ matrix times a vector costs $rc$ of them, an entrywise
# product of length $r$ costs $r$. (tanh itself is counted apart: it is evaluated once per
# hidden unit in the forward pass and never again.)
#
# The scalar loss is $L(x) = \tfrac12\lVert f(x) - y\rVert^2$. Its gradient in the outputs is
# the residual $f(x) - y$ (the transpose of `chain_rule.half_squared_norm_row`), so the
# gradient in $x$ is the VJP with $u = f(x) - y$.


# %%
class Counter:
    """Multiply-adds done so far."""

    def __init__(self):
        self.multiply_adds = 0

    def matvec(self, M, w):
        self.multiply_adds += M.shape[0] * M.shape[1]
        return M @ w

    def entrywise(self, a, b):
        self.multiply_adds += a.size
        return a * b


def two_layer_parameters(inputs, hidden=16, outputs=4, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    return {
        "W_1": rng.standard_normal((hidden, inputs)) / np.sqrt(inputs),
        "W_2": rng.standard_normal((outputs, hidden)) / np.sqrt(hidden),
    }


def evaluate(params, x, ops):
    """f(x) = W₂ tanh(W₁x), and the hidden values the backward pass reuses."""
    import numpy as np

    h = np.tanh(ops.matvec(params["W_1"], x))
    return ops.matvec(params["W_2"], h), h


def jvp(params, x, v, ops):
    """Forward mode: (f(x), Jv), value and tangent carried together (forward_reverse.two_layer_jvp)."""
    import numpy as np

    a, a_dot = ops.matvec(params["W_1"], x), ops.matvec(params["W_1"], v)
    h = np.tanh(a)
    h_dot = ops.entrywise(1 - h**2, a_dot)
    return ops.matvec(params["W_2"], h), ops.matvec(params["W_2"], h_dot)


def vjp(params, h, u, ops):
    """Reverse mode: Jᵀu from the stored hidden values (forward_reverse.two_layer_vjp)."""
    g_h = ops.matvec(params["W_2"].T, u)
    g_a = ops.entrywise(1 - h**2, g_h)
    return ops.matvec(params["W_1"].T, g_a)


def loss_gradient_forward(params, x, y, ops):
    """∇L by forward mode: one JVP per unit vector eⱼ, each giving ∂L/∂xⱼ = (f − y)ᵀ(J eⱼ)."""
    import numpy as np

    n_inputs = x.shape[0]
    grad = np.zeros(n_inputs)
    for j in range(n_inputs):
        e_j = np.zeros(n_inputs)
        e_j[j] = 1.0
        value, tangent = jvp(params, x, e_j, ops)
        grad[j] = ops.matvec((value - y)[None, :], tangent)[0]
    return grad


def loss_gradient_reverse(params, x, y, ops):
    """∇L by reverse mode: one evaluation, then one VJP with u = f(x) − y."""
    value, h = evaluate(params, x, ops)
    return vjp(params, h, value - y, ops)


def two_layer_checks(inputs=5, seed=1):
    """Largest gaps: the pairing uᵀ(Jv) against (Jᵀu)ᵀv, the JVP against central differences,
    the Jacobian from n JVPs against the one from k VJPs, and the two loss gradients."""
    import numpy as np

    rng = np.random.default_rng(seed)
    params = two_layer_parameters(inputs)
    outputs = params["W_2"].shape[0]
    x0, v0 = rng.standard_normal(inputs), rng.standard_normal(inputs)
    u0, y0 = rng.standard_normal(outputs), rng.standard_normal(outputs)
    ops = Counter()
    _, h0 = evaluate(params, x0, ops)
    step = 1e-6
    central = (
        evaluate(params, x0 + step * v0, ops)[0] - evaluate(params, x0 - step * v0, ops)[0]
    ) / (2 * step)
    by_columns = np.column_stack([jvp(params, x0, e, ops)[1] for e in np.eye(inputs)])
    by_rows = np.vstack([vjp(params, h0, e, ops) for e in np.eye(outputs)])
    return {
        "pairing": abs(u0 @ jvp(params, x0, v0, ops)[1] - vjp(params, h0, u0, ops) @ v0),
        "finite differences": np.abs(jvp(params, x0, v0, ops)[1] - central).max(),
        "columns vs rows": np.abs(by_columns - by_rows).max(),
        "loss gradients": np.abs(
            loss_gradient_forward(params, x0, y0, ops) - loss_gradient_reverse(params, x0, y0, ops)
        ).max(),
    }


def gradient_costs(input_sizes, hidden=16, outputs=4):
    """Multiply-adds to get the whole gradient of L, by forward and by reverse mode, and to
    evaluate L once, for each number of inputs."""
    import numpy as np

    rows = []
    for inputs in input_sizes:
        params = two_layer_parameters(inputs, hidden, outputs)
        x0, y0 = np.ones(inputs), np.zeros(outputs)
        counts = []
        for run in (loss_gradient_forward, loss_gradient_reverse):
            ops = Counter()
            run(params, x0, y0, ops)
            counts.append(ops.multiply_adds)
        ops = Counter()
        evaluate(params, x0, ops)
        rows.append((inputs, *counts, ops.multiply_adds + outputs))
    return rows


# %% [markdown]
# ## The figure on the chapter page

# %%
from derivations.figures import figure, show

COST_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, 256)


@figure(
    "forward_reverse.gradient_cost",
    alt="A log-log plot of multiply-adds against the number of inputs n, from 1 to 256. The "
    "reverse-mode line rises slowly and stays about twice as high as a dotted line, the cost of "
    "one evaluation of the loss; the forward-mode line starts at the same place as the "
    "reverse-mode line and climbs twice as steeply, reaching about two million multiply-adds at "
    "n = 256, some 256 times the reverse-mode cost.",
    caption="Multiply-adds counted while computing the whole gradient of "
    "L(x) = ½‖W₂ tanh(W₁x) − y‖² (16 hidden units, 4 outputs) for n inputs: by forward mode, one "
    "JVP per input, and by reverse mode, one evaluation and one VJP. The dotted line is the cost "
    "of evaluating L once.",
    size=(5.0, 3.4),
)
def draw_gradient_cost(ax):
    rows = gradient_costs(COST_SIZES)
    sizes = [r[0] for r in rows]
    ax.loglog(
        sizes,
        [r[1] for r in rows],
        color="#c62828",
        marker="o",
        markersize=3,
        label="forward mode (n JVPs)",
    )
    ax.loglog(
        sizes,
        [r[2] for r in rows],
        color="#3949ab",
        marker="s",
        markersize=3,
        label="reverse mode (evaluation + 1 VJP)",
    )
    ax.loglog(sizes, [r[3] for r in rows], color="0.5", lw=0.8, ls=":", label="one evaluation of L")
    ax.set_xlabel("number of inputs n")
    ax.set_ylabel("multiply-adds")
    ax.legend(frameon=False, fontsize=8)


# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic("forward_reverse")

# %% [markdown]
# ## The numpy products against each other
#
# The pairing of the two products (`forward_reverse.pairing`), the JVP against
# central differences of $f$ along $v$, the Jacobian assembled column by column from five JVPs
# against the one assembled row by row from four VJPs, and the gradient of $L$ by both modes.

# %%
if __name__ == "__main__":
    gaps = two_layer_checks()
    for name, gap in gaps.items():
        print(f"{name:>18}: largest gap {gap:.1e}")
    assert max(gaps["pairing"], gaps["columns vs rows"], gaps["loss gradients"]) < 1e-12
    assert gaps["finite differences"] < 1e-8

# %% [markdown]
# ## Counting the cost of a gradient
#
# For each number of inputs $n$: the multiply-adds of forward mode (one JVP per input), of
# reverse mode (one evaluation and one VJP) and of one evaluation of $L$. Reverse mode stays
# within a small factor of one evaluation whatever $n$ is; forward mode grows with $n$ times the
# cost of a JVP.

# %%
if __name__ == "__main__":
    costs = gradient_costs(COST_SIZES)
    print(f"{'n':>5} {'forward':>10} {'reverse':>9} {'evaluate':>9} {'ratio':>7}")
    for inputs, forward_cost, reverse_cost, evaluate_cost in costs:
        ratio = forward_cost / reverse_cost
        print(f"{inputs:>5} {forward_cost:>10} {reverse_cost:>9} {evaluate_cost:>9} {ratio:>7.1f}")
    assert all(r[2] <= 3 * r[3] for r in costs)
    assert costs[-1][1] > 100 * costs[-1][2]
    show("forward_reverse.gradient_cost")
