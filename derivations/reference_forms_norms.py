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
# # Lab: norms, forms and elementwise maps
#
# This page is the executed form of `derivations/reference_forms_norms.py`, the source of the
# reference page *Norms, forms and elementwise maps*. Each identity is declared once in our
# layout; its other-layout twin is built from the same object by the helpers of the
# matrix-calculus identities lab (`numerator_form`, `denominator_form`), and every Jacobian also
# gets its Jacobian–vector and vector–Jacobian products (`products_of`). The engine checks every
# one of them from scratch.

# %%
# %matplotlib inline
import sympy as sp

from derivations import activations, jacobians  # noqa: F401  (claims whose products are declared below)
from derivations.engine import (
    REGISTRY,
    Applied,
    AsScalar,
    Diag,
    LogSumExp,
    Norm,
    Softmax,
    SumEntries,
    claim,
    dim,
    matrix,
    scalar,
    vector,
)
from derivations.engine.written import product_of, sum_of
from derivations.identities import (
    Bracketed,
    denominator_form,
    matrix_vjp,
    numerator_form,
    products_of,
    transposed,
)

T = "reference_forms_norms"
m, n, p = dim("m"), dim("n"), dim("p")
x, a, b, s, y = (vector(name, n) for name in ("x", "a", "b", "s", "y"))
c, d = vector("c", m), vector("d", m)
u, v, w = vector("u", n), vector("v", n), vector("w", m)
A, W = matrix("A", n, n), matrix("W", n, n)
B, D = matrix("B", m, n), matrix("D", m, n)
C = matrix("C", m, m)
X, Y, V, U = (matrix(name, n, n) for name in ("X", "Y", "V", "U"))
ones = sp.OneMatrix(n, 1)
eye = sp.Identity(n)
x_minus_a = sum_of(x, -a)  # x − a as written (sympy would print −a + x)


def numerator_twin(ours, direction=None):
    """``numerator_form`` of the identities lab, which also carries the author's display forms
    over to the twin (transposed with the same ``transposed`` helper)."""
    if ours.display is None and ours.display_f is None:
        return numerator_form(ours, direction=direction)
    shown = ours.display if ours.display is not None else ours.claimed
    common = {
        "wrt": ours.wrt,
        "domains": {v.symbol: v.domain for v in ours.variables if v.domain != "real"},
        "refs": list(ours.refs),
        "where": dict(ours.where),
        "dims": dict(ours.dims),
        "note": "Numerator layout: the transpose of the gradient.",
        "display_f": ours.display_f,
    }
    title = f"{ours.title}, numerator layout"
    if ours.wrt.shape[1] == 1:
        return claim(
            f"{ours.id}_numerator",
            title,
            kind="jacobian",
            f=ours.f,
            claimed=transposed(ours.claimed),
            display=transposed(shown),
            **common,
        )
    return claim(
        f"{ours.id}_numerator",
        title,
        kind="directional",
        f=ours.f,
        direction=direction,
        claimed=sp.Trace(transposed(ours.claimed) @ direction),
        display=sp.Trace(product_of(transposed(shown), direction)),
        **common,
    )


def denominator_twin(ours, weight):
    """``denominator_form`` of the identities lab (∇ₓ(uᵀf) = Jᵀu), with the display forms."""
    if ours.display is None and ours.display_f is None:
        return denominator_form(ours, weight)
    shown = ours.display if ours.display is not None else ours.claimed
    return claim(
        f"{ours.id}_denominator",
        f"{ours.title}, denominator layout",
        kind="gradient",
        f=weight.T @ ours.f,
        wrt=ours.wrt,
        claimed=transposed(ours.claimed) @ weight,
        display_f=product_of(weight.T, ours.display_f) if ours.display_f is not None else None,
        display=product_of(transposed(shown), weight),
        domains={v.symbol: v.domain for v in ours.variables if v.domain != "real"},
        where=dict(ours.where),
        dims=dict(ours.dims),
        refs=list(ours.refs),
        note="Denominator layout: the transpose of our Jacobian, read through ∇ₓ(uᵀf) = Jᵀu.",
    )


def both(claim_obj, direction=None):
    """Declare the numerator-layout twin of a gradient claim (a direction for a matrix variable)."""
    numerator_twin(claim_obj, direction=direction)
    return claim_obj


def jacobian_family(claim_obj, weight=None, direction=None):
    """The denominator-layout twin, the JVP and the VJP of a Jacobian claim."""
    rows = claim_obj.f.shape[0]
    weight = weight if weight is not None else (u if rows == n else w)
    direction = direction if direction is not None else v
    denominator_twin(claim_obj, weight)
    products_of(claim_obj, direction, weight)
    return claim_obj


# %% [markdown]
# ## Vector norms
#
# The Euclidean norm is smooth away from the point where its argument vanishes; those claims
# carry the domain "nonzero" (the engine samples away from zero).

# %%
both(
    claim(
        f"{T}.norm_of_difference",
        "Gradient of ‖x − a‖ (x ≠ a)",
        kind="gradient",
        f=Norm(x - a),
        wrt=x,
        claimed=(x - a) / Norm(x - a),
        display_f=Norm(x_minus_a),
        display=product_of(1 / Norm(x_minus_a), x_minus_a),
        note="Matrix Cookbook eq. (129).",
        refs=["MC-129"],
    )
)
both(
    claim(
        f"{T}.norm_of_difference_in_a",
        "Gradient of ‖x − a‖ in a (x ≠ a)",
        kind="gradient",
        f=Norm(x - a),
        wrt=a,
        claimed=(a - x) / Norm(x - a),
        display_f=Norm(x_minus_a),
        display=product_of(1 / Norm(x_minus_a), sum_of(a, -x)),
        note="The same distance seen from the other point: the sign flips.",
        refs=["MC-129"],
    )
)
both(
    claim(
        f"{T}.squared_norm_of_difference",
        "Gradient of ‖x − a‖²",
        kind="gradient",
        f=Norm(x - a) ** 2,
        wrt=x,
        claimed=2 * (x - a),
        display_f=Norm(sum_of(x, -a)) ** 2,
        display=product_of(2, sum_of(x, -a)),
        refs=["MC-131", "S1-15"],
    )
)
both(
    claim(
        f"{T}.half_squared_norm",
        "Gradient of ½‖x‖²",
        kind="gradient",
        f=Norm(x) ** 2 / 2,
        wrt=x,
        claimed=x,
        refs=["MC-131", "S0-11"],
    )
)
both(
    claim(
        f"{T}.norm_power",
        "Gradient of ‖x‖ to a power k (x ≠ 0)",
        kind="gradient",
        f=Norm(x) ** scalar("k", positive=True),
        wrt=x,
        claimed=scalar("k", positive=True) * Norm(x) ** (scalar("k", positive=True) - 2) * x,
        domains={x: "nonzero"},
        note="Smooth away from 0 for every real power k; k = 2 gives 2x.",
        refs=["MC-129", "MC-131"],
    )
)
both(
    claim(
        f"{T}.reciprocal_norm",
        "Gradient of 1/‖x‖",
        kind="gradient",
        f=1 / Norm(x),
        wrt=x,
        claimed=-x / Norm(x) ** 3,
        domains={x: "nonzero"},
        refs=["MC-129"],
    )
)
both(
    claim(
        f"{T}.log_norm",
        "Gradient of log ‖x‖",
        kind="gradient",
        f=sp.log(Norm(x)),
        wrt=x,
        claimed=x / Norm(x) ** 2,
        domains={x: "nonzero"},
        refs=["MC-129"],
    )
)
both(
    claim(
        f"{T}.norm_of_residual",
        "Gradient of ‖Bx − c‖ (residual ≠ 0)",
        kind="gradient",
        f=Norm(B @ x - c),
        wrt=x,
        claimed=B.T @ (B @ x - c) / Norm(B @ x - c),
        display_f=Norm(sum_of(B @ x, -c)),
        display=product_of(1 / Norm(sum_of(B @ x, -c)), B.T, sum_of(B @ x, -c)),
        dims={m: (2,), n: (2,)},
        refs=["MC-129", "S2-23"],
    )
)
both(
    claim(
        f"{T}.norm_of_linear_map",
        "Gradient of ‖Bx‖ (Bx ≠ 0)",
        kind="gradient",
        f=Norm(B @ x),
        wrt=x,
        claimed=B.T @ B @ x / Norm(B @ x),
        domains={x: "nonzero"},
        dims={m: (2,), n: (2,)},
        refs=["MC-129", "S2-21"],
    )
)
both(
    claim(
        f"{T}.weighted_norm",
        "Gradient of the W-norm √(xᵀWx), W positive definite",
        kind="gradient",
        f=sp.sqrt(AsScalar(x.T @ W @ x)),
        wrt=x,
        claimed=W @ x / sp.sqrt(AsScalar(x.T @ W @ x)),
        domains={W: "spd", x: "nonzero"},
        refs=["MC-81", "MC-129"],
    )
)

r = scalar("r")
both(
    claim(
        f"{T}.rayleigh_quotient",
        "Gradient of the Rayleigh quotient xᵀAx / xᵀx, A symmetric",
        kind="gradient",
        f=AsScalar(x.T @ A @ x) / AsScalar(x.T @ x),
        wrt=x,
        claimed=2 * (A @ x - r * x) / AsScalar(x.T @ x),
        display=product_of(2 / AsScalar(x.T @ x), sum_of(A @ x, -r * x)),
        where={r: AsScalar(x.T @ A @ x) / AsScalar(x.T @ x)},
        domains={A: "symmetric", x: "nonzero"},
        dims={n: (2, 3)},
        note="It vanishes exactly when Ax = rx: the stationary points are the eigenvectors.",
        refs=["MC-81", "S4-09"],
    )
)

unit_jacobian_shown = product_of(1 / Norm(x), sum_of(eye, -product_of(1 / Norm(x) ** 2, x, x.T)))

# %% [markdown]
# The unit vector $x/\lVert x\rVert$ and its Jacobian, which is also the Hessian of
# $\lVert x\rVert$: the projection onto the plane orthogonal to $x$, divided by the length.

# %%
jacobian_family(
    claim(
        f"{T}.normalize_jacobian",
        "Jacobian of the unit vector x/‖x‖",
        kind="jacobian",
        f=x / Norm(x),
        wrt=x,
        claimed=(eye - x @ x.T / Norm(x) ** 2) / Norm(x),
        display=unit_jacobian_shown,
        domains={x: "nonzero"},
        dims={n: (2,)},
        refs=["MC-129", "S3-02"],
    )
)
jacobian_family(
    claim(
        f"{T}.normalize_difference_jacobian",
        "Jacobian of (x − a)/‖x − a‖ (x ≠ a)",
        kind="jacobian",
        f=(x - a) / Norm(x - a),
        wrt=x,
        claimed=eye / Norm(x - a) - (x - a) @ (x - a).T / Norm(x - a) ** 3,
        display_f=product_of(1 / Norm(x_minus_a), x_minus_a),
        display=sum_of(
            product_of(1 / Norm(x_minus_a), eye),
            product_of(-1 / Norm(x_minus_a) ** 3, x_minus_a, sp.Transpose(x_minus_a)),
        ),
        dims={n: (2,)},
        refs=["MC-129", "S3-02"],
    )
)
claim(
    f"{T}.norm_hessian",
    "Hessian of ‖x‖",
    kind="hessian",
    f=Norm(x),
    wrt=x,
    claimed=(eye - x @ x.T / Norm(x) ** 2) / Norm(x),
    display=unit_jacobian_shown,
    domains={x: "nonzero"},
    refs=["MC-129", "S0-02"],
)
claim(
    f"{T}.pitfall_norm_hessian_identity",
    "Pitfall: I/‖x‖ as the Hessian of ‖x‖",
    kind="hessian",
    f=Norm(x),
    wrt=x,
    claimed=eye / Norm(x),
    domains={x: "nonzero"},
    pitfall=True,
    corrects=f"{T}.norm_hessian",
    note="Differentiating x/‖x‖ as if ‖x‖ were a constant forgets the rank-one part −xxᵀ/‖x‖³: "
    "along x itself the norm grows linearly, so its curvature there is zero.",
    refs=["S0-02"],
)

# %% [markdown]
# ## Frobenius norms
#
# For a matrix the Frobenius norm is the Euclidean norm of its entries; the gradients have the
# shape of the matrix, and the other layout is read off the directional derivative
# $\operatorname{tr}(NV)$.

# %%
both(
    claim(
        f"{T}.frobenius_norm",
        "Gradient of ‖X‖ (Frobenius, X ≠ 0)",
        kind="gradient",
        f=Norm(X),
        wrt=X,
        claimed=X / Norm(X),
        domains={X: "nonzero"},
        dims={n: (2, 3)},
        refs=["MC-129", "S1-15"],
    ),
    V,
)
both(
    claim(
        f"{T}.frobenius_of_product",
        "Gradient of ‖AX‖² in X",
        kind="gradient",
        f=Norm(A @ X) ** 2,
        wrt=X,
        claimed=2 * A.T @ A @ X,
        dims={n: (2, 3)},
        refs=["S1-15", "S2-23"],
    ),
    V,
)
both(
    claim(
        f"{T}.frobenius_residual_left",
        "Gradient of ‖AX − Y‖² in X",
        kind="gradient",
        f=Norm(A @ X - Y) ** 2,
        wrt=X,
        claimed=sp.MatMul(2, A.T, A @ X - Y),
        display_f=Norm(sum_of(A @ X, -Y)) ** 2,
        display=product_of(2, A.T, sum_of(A @ X, -Y)),
        dims={n: (2, 3)},
        refs=["S2-23"],
    ),
    V,
)
both(
    claim(
        f"{T}.frobenius_difference",
        "Gradient of ‖X − Y‖² in X",
        kind="gradient",
        f=Norm(X - Y) ** 2,
        wrt=X,
        claimed=2 * (X - Y),
        display_f=Norm(sum_of(X, -Y)) ** 2,
        display=product_of(2, sum_of(X, -Y)),
        dims={n: (2, 3)},
        refs=["S1-15"],
    ),
    V,
)
both(
    claim(
        f"{T}.frobenius_difference_in_y",
        "Gradient of ‖X − Y‖² in Y",
        kind="gradient",
        f=Norm(X - Y) ** 2,
        wrt=Y,
        claimed=2 * (Y - X),
        display_f=Norm(sum_of(X, -Y)) ** 2,
        display=product_of(2, sum_of(Y, -X)),
        dims={n: (2, 3)},
        refs=["S1-15"],
    ),
    V,
)
Xr = matrix("X", n, p)
Cl, Dr, Yr = matrix("A", m, n), matrix("B", p, m), matrix("Y", m, m)
both(
    claim(
        f"{T}.frobenius_two_sided",
        "Gradient of ‖AXB − Y‖² in X",
        kind="gradient",
        f=Norm(Cl @ Xr @ Dr - Yr) ** 2,
        wrt=Xr,
        claimed=sp.MatMul(2, Cl.T, Cl @ Xr @ Dr - Yr, Dr.T),
        display_f=Norm(sum_of(Cl @ Xr @ Dr, -Yr)) ** 2,
        display=product_of(2, Cl.T, sum_of(Cl @ Xr @ Dr, -Yr), Dr.T),
        dims={m: (2,), n: (3,), p: (2,)},
        refs=["S2-23"],
    ),
    matrix("V", n, p),
)

both(
    claim(
        f"{T}.squared_norm_of_map_in_matrix",
        "Gradient of ‖Bx‖² in the matrix B",
        kind="gradient",
        f=Norm(B @ x) ** 2,
        wrt=B,
        claimed=2 * B @ x @ x.T,
        dims={m: (2,), n: (3,)},
        refs=["MC-77", "S1-15"],
    ),
    matrix("V", m, n),
)

# %% [markdown]
# ## Quadratic forms
#
# Equations (77)–(88) of *The Matrix Cookbook*. Where the Cookbook assumes a symmetric weight
# $W$, so does the claim (domain "symmetric"); the general case keeps both $C$ and $C^\top$.

# %%
both(
    claim(
        f"{T}.affine_quadratic",
        "Gradient of (Bx + c)ᵀC(Dx + d)",
        kind="gradient",
        f=(B @ x + c).T @ C @ (D @ x + d),
        wrt=x,
        claimed=B.T @ C @ (D @ x + d) + D.T @ C.T @ (B @ x + c),
        display_f=product_of(sp.Transpose(sum_of(B @ x, c)), C, sum_of(D @ x, d)),
        display=sum_of(
            product_of(B.T, C, sum_of(D @ x, d)), product_of(D.T, C.T, sum_of(B @ x, c))
        ),
        dims={m: (2,), n: (3,)},
        note="Matrix Cookbook eq. (78).",
        refs=["MC-78"],
    )
)
both(
    claim(
        f"{T}.weighted_distance_in_x",
        "Gradient of (x − s)ᵀW(x − s) in x, W symmetric",
        kind="gradient",
        f=(x - s).T @ W @ (x - s),
        wrt=x,
        claimed=2 * W @ (x - s),
        display_f=product_of(sp.Transpose(sum_of(x, -s)), W, sum_of(x, -s)),
        display=product_of(2, W, sum_of(x, -s)),
        domains={W: "symmetric"},
        note="Matrix Cookbook eq. (85).",
        refs=["MC-85"],
    )
)
both(
    claim(
        f"{T}.weighted_distance_in_s",
        "Gradient of (x − s)ᵀW(x − s) in s, W symmetric",
        kind="gradient",
        f=(x - s).T @ W @ (x - s),
        wrt=s,
        claimed=-2 * W @ (x - s),
        display_f=product_of(sp.Transpose(sum_of(x, -s)), W, sum_of(x, -s)),
        display=product_of(-2, W, sum_of(x, -s)),
        domains={W: "symmetric"},
        note="Matrix Cookbook eq. (86).",
        refs=["MC-86"],
    )
)
claim(
    f"{T}.pitfall_weighted_distance_sign",
    "Pitfall: 2W(x − s) as the gradient in s",
    kind="gradient",
    f=(x - s).T @ W @ (x - s),
    wrt=s,
    claimed=2 * W @ (x - s),
    display_f=product_of(sp.Transpose(sum_of(x, -s)), W, sum_of(x, -s)),
    display=product_of(2, W, sum_of(x, -s)),
    domains={W: "symmetric"},
    pitfall=True,
    corrects=f"{T}.weighted_distance_in_s",
    note="s enters with a minus sign; the inner derivative −I flips the result.",
    refs=["MC-86"],
)
sm = vector("s", m)
Am, Wm, xm = matrix("A", n, m), W, x
both(
    claim(
        f"{T}.weighted_residual_in_x",
        "Gradient of (x − As)ᵀW(x − As) in x, W symmetric",
        kind="gradient",
        f=(x - Am @ sm).T @ W @ (x - Am @ sm),
        wrt=x,
        claimed=2 * W @ (x - Am @ sm),
        display_f=product_of(sp.Transpose(sum_of(x, -Am @ sm)), W, sum_of(x, -Am @ sm)),
        display=product_of(2, W, sum_of(x, -Am @ sm)),
        domains={W: "symmetric"},
        dims={m: (2,), n: (3,)},
        note="Matrix Cookbook eq. (87).",
        refs=["MC-87"],
    )
)
both(
    claim(
        f"{T}.weighted_residual_in_s",
        "Gradient of (x − As)ᵀW(x − As) in s, W symmetric",
        kind="gradient",
        f=(x - Am @ sm).T @ W @ (x - Am @ sm),
        wrt=sm,
        claimed=-2 * Am.T @ W @ (x - Am @ sm),
        display_f=product_of(sp.Transpose(sum_of(x, -Am @ sm)), W, sum_of(x, -Am @ sm)),
        display=product_of(-2, Am.T, W, sum_of(x, -Am @ sm)),
        domains={W: "symmetric"},
        dims={m: (2,), n: (3,)},
        note="Matrix Cookbook eq. (84).",
        refs=["MC-84"],
    )
)
both(
    claim(
        f"{T}.weighted_residual_in_a",
        "Gradient of (x − As)ᵀW(x − As) in the matrix A, W symmetric",
        kind="gradient",
        f=(x - Am @ sm).T @ W @ (x - Am @ sm),
        wrt=Am,
        claimed=sp.MatMul(-2, W, x - Am @ sm, sm.T),
        display_f=product_of(sp.Transpose(sum_of(x, -Am @ sm)), W, sum_of(x, -Am @ sm)),
        display=product_of(-2, W, sum_of(x, -Am @ sm), sm.T),
        domains={W: "symmetric"},
        dims={m: (2,), n: (3,)},
        note="Matrix Cookbook eq. (88).",
        refs=["MC-88"],
    ),
    matrix("V", n, m),
)
bp, cp = vector("b", p), vector("c", p)
Xq = matrix("X", n, p)
Dq = matrix("D", n, n)
both(
    claim(
        f"{T}.two_sided_quadratic",
        "Gradient of bᵀXᵀDXc in X",
        kind="gradient",
        f=bp.T @ Xq.T @ Dq @ Xq @ cp,
        wrt=Xq,
        claimed=Dq.T @ Xq @ bp @ cp.T + Dq @ Xq @ cp @ bp.T,
        dims={n: (3,), p: (2,)},
        note="Matrix Cookbook eq. (82).",
        refs=["MC-82"],
    ),
    matrix("V", n, p),
)
both(
    claim(
        f"{T}.gram_bilinear",
        "Gradient of bᵀXᵀXc in X",
        kind="gradient",
        f=bp.T @ Xq.T @ Xq @ cp,
        wrt=Xq,
        claimed=Xq @ (bp @ cp.T + cp @ bp.T),
        dims={n: (3,), p: (2,)},
        note="Matrix Cookbook eq. (77).",
        refs=["MC-77"],
    ),
    matrix("V", n, p),
)
en = vector("e", n)
both(
    claim(
        f"{T}.quadratic_of_affine_in_matrix",
        "Gradient of (Xb + e)ᵀD(Xb + e) in X",
        kind="gradient",
        f=(Xq @ bp + en).T @ Dq @ (Xq @ bp + en),
        wrt=Xq,
        claimed=(Dq + Dq.T) @ (Xq @ bp + en) @ bp.T,
        display_f=product_of(sp.Transpose(sum_of(Xq @ bp, en)), Dq, sum_of(Xq @ bp, en)),
        display=product_of(Dq + Dq.T, sum_of(Xq @ bp, en), bp.T),
        dims={n: (3,), p: (2,)},
        note="Matrix Cookbook eq. (83).",
        refs=["MC-83"],
    ),
    matrix("V", n, p),
)
both(
    claim(
        f"{T}.square_of_linear_form",
        "Gradient of (aᵀx)²",
        kind="gradient",
        f=AsScalar(a.T @ x) ** 2,
        wrt=x,
        claimed=2 * Bracketed(a.T @ x) * a,
        refs=["MC-69", "S1-16"],
    )
)
both(
    claim(
        f"{T}.quadratic_with_linear_term",
        "Gradient of ½xᵀAx − bᵀx",
        kind="gradient",
        f=AsScalar(x.T @ A @ x) / 2 - AsScalar(b.T @ x),
        wrt=x,
        claimed=(A + A.T) @ x / 2 - b,
        display_f=sum_of(AsScalar(x.T @ A @ x) / 2, -AsScalar(b.T @ x)),
        display=sum_of(product_of(sp.Rational(1, 2), A + A.T, x), -b),
        refs=["MC-81", "MC-69"],
    )
)
both(
    claim(
        f"{T}.weighted_distance_in_weight",
        "Gradient of (x − s)ᵀW(x − s) in the matrix W",
        kind="gradient",
        f=(x - s).T @ W @ (x - s),
        wrt=W,
        claimed=(x - s) @ (x - s).T,
        display_f=product_of(sp.Transpose(sum_of(x, -s)), W, sum_of(x, -s)),
        display=product_of(sum_of(x, -s), sp.Transpose(sum_of(x, -s))),
        dims={n: (2, 3)},
        refs=["MC-72"],
    ),
    V,
)
claim(
    f"{T}.weighted_distance_hessian",
    "Hessian of (x − s)ᵀW(x − s)",
    kind="hessian",
    f=(x - s).T @ W @ (x - s),
    wrt=x,
    claimed=W + W.T,
    display_f=product_of(sp.Transpose(sum_of(x, -s)), W, sum_of(x, -s)),
    refs=["MC-85", "S0-02"],
)

# %% [markdown]
# ## Bilinear forms

# %%
both(
    claim(
        f"{T}.bilinear_transposed_matrix",
        "Gradient of aᵀXᵀb in X",
        kind="gradient",
        f=a.T @ X.T @ b,
        wrt=X,
        claimed=b @ a.T,
        dims={n: (2, 3)},
        refs=["MC-70"],
    ),
    V,
)
both(
    claim(
        f"{T}.bilinear_left_variable",
        "Gradient of xᵀAy in x",
        kind="gradient",
        f=x.T @ A @ y,
        wrt=x,
        claimed=A @ y,
        refs=["S1-14"],
    )
)
both(
    claim(
        f"{T}.outer_gram_bilinear",
        "Gradient of aᵀXXᵀb in X",
        kind="gradient",
        f=a.T @ X @ X.T @ b,
        wrt=X,
        claimed=(a @ b.T + b @ a.T) @ X,
        dims={n: (2, 3)},
        refs=["MC-77"],
    ),
    V,
)
both(
    claim(
        f"{T}.squared_bilinear",
        "Gradient of (aᵀXb)² in X",
        kind="gradient",
        f=AsScalar(a.T @ X @ b) ** 2,
        wrt=X,
        claimed=2 * Bracketed(a.T @ X @ b) * a @ b.T,
        dims={n: (2, 3)},
        refs=["MC-70"],
    ),
    V,
)

# %% [markdown]
# ## Linear maps
#
# The Jacobian of $x\mapsto Bx$ is on the identities page; here are its relatives. A map of a
# matrix is stated by its directional derivative (its JVP), and its VJP is the gradient of the
# trace pairing with a weight $U$ of the output's shape.

# %%
jacobian_family(
    claim(
        f"{T}.transposed_map_jacobian",
        "Jacobian of Aᵀx (the row xᵀA, as a column)",
        kind="jacobian",
        f=A.T @ x,
        wrt=x,
        claimed=A.T,
        refs=["S4-43", "S3-07"],
    )
)
jacobian_family(
    claim(
        f"{T}.rank_one_map_jacobian",
        "Jacobian of (aᵀx)c",
        kind="jacobian",
        f=Bracketed(a.T @ x) * c,
        wrt=x,
        claimed=c @ a.T,
        dims={m: (2,), n: (3,)},
        refs=["S3-24", "S0-09"],
    )
)
transpose_map = claim(
    f"{T}.transpose_directional",
    "Directional derivative of Xᵀ",
    kind="directional",
    f=X.T,
    wrt=X,
    direction=V,
    claimed=V.T,
    dims={n: (2, 3)},
    refs=["S1-02"],
)
matrix_vjp(transpose_map, U, U.T)
col = vector("a", n)
matrix_vector = claim(
    f"{T}.matrix_times_vector_directional",
    "Directional derivative of Xa in X",
    kind="directional",
    f=X @ col,
    wrt=X,
    direction=V,
    claimed=V @ col,
    dims={n: (2, 3)},
    refs=["S1-02", "MC-70"],
)
matrix_vjp(matrix_vector, vector("u", n), vector("u", n) @ col.T)

# %% [markdown]
# ## Elementwise maps
#
# A scalar function applied entry by entry has a diagonal Jacobian, its slopes on the diagonal;
# so the sum of its values has the vector of slopes as gradient, and a Hadamard factor turns
# into a diagonal matrix. The engine knows $\exp$, $\log$,
# $\tanh$, $\sigma$ and $\sin$ entry by entry; ReLU has no entrywise form in the engine, and its
# one-variable slopes are on the derivative and ML building blocks pages.

# %%
exp_x, tanh_x, sig_x = Applied("exp", x), Applied("tanh", x), Applied("sigma", x)
th = vector("t", n)  # t = tanh(x), named under the formula
tanh_where = {th: tanh_x}
tanh_slope = ones - sp.HadamardProduct(th, th)
tanh_slope_shown = sum_of(ones, product_of(-1, sp.HadamardProduct(th, th)))
sig_slope = sp.HadamardProduct(sig_x, ones - sig_x)
sig_slope_shown = sp.HadamardProduct(sig_x, sum_of(ones, -sig_x))
jacobian_family(
    claim(
        f"{T}.tanh_jacobian",
        "Jacobian of tanh applied entry by entry",
        kind="jacobian",
        f=tanh_x,
        wrt=x,
        claimed=Diag(tanh_slope),
        display=Diag(tanh_slope_shown),
        where=tanh_where,
        dims={n: (2, 3)},
        refs=["S3-02", "S2-19"],
    )
)
both(
    claim(
        f"{T}.sum_of_logs",
        "Gradient of Σ log xᵢ",
        kind="gradient",
        f=SumEntries(Applied("log", x)),
        wrt=x,
        claimed=sp.HadamardPower(x, -1),
        domains={x: "positive"},
        dims={n: (2, 3)},
        refs=["S2-29"],
    )
)
both(
    claim(
        f"{T}.sum_of_tanh",
        "Gradient of Σ tanh xᵢ",
        kind="gradient",
        f=SumEntries(tanh_x),
        wrt=x,
        claimed=tanh_slope,
        display=tanh_slope_shown,
        where=tanh_where,
        dims={n: (2, 3)},
        refs=["S2-29", "S3-02"],
    )
)
both(
    claim(
        f"{T}.sum_of_sigmoids",
        "Gradient of Σ σ(xᵢ)",
        kind="gradient",
        f=SumEntries(sig_x),
        wrt=x,
        claimed=sig_slope,
        display=sig_slope_shown,
        dims={n: (2, 3)},
        refs=["S1-10", "S1-17"],
    )
)
softplus = Applied("log", ones + exp_x)
both(
    claim(
        f"{T}.sum_of_softplus",
        "Gradient of Σ log(1 + exp xᵢ) (softplus): the sigmoid",
        kind="gradient",
        f=SumEntries(softplus),
        wrt=x,
        claimed=sig_x,
        dims={n: (2, 3)},
        refs=["S1-17", "S2-29"],
    )
)
both(
    claim(
        f"{T}.sum_of_log_sigmoids",
        "Gradient of Σ log σ(xᵢ)",
        kind="gradient",
        f=SumEntries(Applied("log", sig_x)),
        wrt=x,
        claimed=ones - sig_x,
        display=sum_of(ones, -sig_x),
        dims={n: (2, 3)},
        refs=["S1-10", "S1-17"],
    )
)
both(
    claim(
        f"{T}.weighted_log",
        "Gradient of aᵀlog(x)",
        kind="gradient",
        f=a.T @ Applied("log", x),
        wrt=x,
        claimed=sp.HadamardProduct(a, sp.HadamardPower(x, -1)),
        domains={x: "positive"},
        dims={n: (2, 3)},
        refs=["S2-29"],
    )
)
both(
    claim(
        f"{T}.squared_norm_of_hadamard",
        "Gradient of ‖a ∘ x‖²",
        kind="gradient",
        f=Norm(sp.HadamardProduct(a, x)) ** 2,
        wrt=x,
        claimed=2 * sp.HadamardProduct(a, a, x),
        display=product_of(2, sp.HadamardProduct(a, a, x, evaluate=False)),
        refs=["S3-02", "S1-15"],
    )
)
jacobian_family(
    claim(
        f"{T}.hadamard_with_map_jacobian",
        "Jacobian of x ∘ (Ax)",
        kind="jacobian",
        f=sp.HadamardProduct(x, A @ x),
        wrt=x,
        claimed=Diag(A @ x) + Diag(x) @ A,
        refs=["S3-02", "S4-39"],
    )
)
jacobian_family(
    claim(
        f"{T}.exp_of_map_jacobian",
        "Jacobian of exp(Bx)",
        kind="jacobian",
        f=Applied("exp", B @ x),
        wrt=x,
        claimed=Diag(Applied("exp", B @ x)) @ B,
        dims={m: (2,), n: (2,)},
        refs=["S2-19", "S3-25"],
    )
)
h = vector("h", m)
layer_where = {h: Applied("sigma", B @ x + c)}
jacobian_family(
    claim(
        f"{T}.sigmoid_layer_jacobian",
        "Jacobian of a sigmoid layer σ(Bx + c)",
        kind="jacobian",
        f=Applied("sigma", B @ x + c),
        wrt=x,
        claimed=Diag(sp.HadamardProduct(h, sp.OneMatrix(m, 1) - h)) @ B,
        display=product_of(Diag(sp.HadamardProduct(h, sum_of(sp.OneMatrix(m, 1), -h))), B),
        where=layer_where,
        dims={m: (2,), n: (2,)},
        refs=["S2-19", "S1-17"],
    )
)
yb = vector("y", n)
bce = -AsScalar(yb.T @ Applied("log", sig_x)) - AsScalar(
    (ones - yb).T @ Applied("log", ones - sig_x)
)
both(
    claim(
        f"{T}.binary_cross_entropy",
        "Gradient of binary cross-entropy in the logits",
        kind="gradient",
        f=bce,
        wrt=x,
        claimed=sig_x - yb,
        display_f=sum_of(
            -AsScalar(yb.T @ Applied("log", sig_x)),
            -AsScalar(
                product_of(sp.Transpose(sum_of(ones, -yb)), Applied("log", sum_of(ones, -sig_x)))
            ),
        ),
        display=sum_of(sig_x, -yb),
        dims={n: (2,)},
        refs=["S1-17", "S1-10"],
    )
)

# %% [markdown]
# ## Softmax and log-sum-exp
#
# $s = \operatorname{softmax}(z)$ throughout. The gradient of lse and the softmax Jacobian are on
# the ML building blocks page; here are log-softmax, the temperature, an affine input and the
# losses built from them.

# %%
z, sz = vector("z", n), vector("s", n)
soft_where = {sz: Softmax(z)}
tau = scalar("tau", positive=True)
jacobian_family(
    claim(
        f"{T}.log_softmax_jacobian",
        "Jacobian of log-softmax",
        kind="jacobian",
        f=z - LogSumExp(z) * ones,
        wrt=z,
        claimed=eye - ones @ sz.T,
        display_f=sum_of(z, -LogSumExp(z) * ones),
        display=sum_of(eye, -ones @ sz.T),
        where=soft_where,
        dims={n: (2, 3)},
        refs=["S2-30", "S2-31"],
    )
)
claim(
    f"{T}.pitfall_log_softmax_jacobian_transposed",
    "Pitfall: I − s1ᵀ as the Jacobian of log-softmax",
    kind="jacobian",
    f=z - LogSumExp(z) * ones,
    wrt=z,
    claimed=eye - sz @ ones.T,
    display_f=sum_of(z, -LogSumExp(z) * ones),
    display=sum_of(eye, product_of(-1, sz, sp.Transpose(ones))),
    where=soft_where,
    dims={n: (2, 3)},
    pitfall=True,
    corrects=f"{T}.log_softmax_jacobian",
    note="Row i is the gradient of zᵢ − lse(z), that is eᵢ − s: every row subtracts the whole "
    "vector sᵀ, so the correction is 1sᵀ, not its transpose.",
    refs=["S2-31"],
)
st = vector("s", n)
temp_where = {st: Softmax(z / tau)}
jacobian_family(
    claim(
        f"{T}.temperature_softmax_jacobian",
        "Jacobian of softmax(z/τ)",
        kind="jacobian",
        f=Softmax(z / tau),
        wrt=z,
        claimed=(Diag(st) - st @ st.T) / tau,
        where=temp_where,
        dims={n: (2,)},
        refs=["S2-30", "S2-31"],
    )
)
both(
    claim(
        f"{T}.temperature_log_sum_exp",
        "Gradient of τ·lse(z/τ)",
        kind="gradient",
        f=tau * LogSumExp(z / tau),
        wrt=z,
        claimed=Softmax(z / tau),
        dims={n: (2, 3)},
        refs=["S2-43"],
    )
)
sa = vector("s", m)
jacobian_family(
    claim(
        f"{T}.softmax_of_affine_jacobian",
        "Jacobian of softmax(Bx + c)",
        kind="jacobian",
        f=Softmax(B @ x + c),
        wrt=x,
        claimed=(Diag(sa) - sa @ sa.T) @ B,
        where={sa: Softmax(B @ x + c)},
        dims={m: (2,), n: (3,)},
        refs=["S2-30", "S2-19"],
    ),
    weight=w,
)
sb = vector("s", m)
both(
    claim(
        f"{T}.log_sum_exp_of_affine",
        "Gradient of lse(Bx + c)",
        kind="gradient",
        f=LogSumExp(B @ x + c),
        wrt=x,
        claimed=B.T @ sb,
        where={sb: Softmax(B @ x + c)},
        dims={m: (2,), n: (2,)},
        refs=["S2-43", "S2-19"],
    )
)
both(
    claim(
        f"{T}.log_sum_exp_of_affine_in_weights",
        "Gradient of lse(Bx + c) in the matrix B",
        kind="gradient",
        f=LogSumExp(B @ x + c),
        wrt=B,
        claimed=sb @ x.T,
        where={sb: Softmax(B @ x + c)},
        dims={m: (2,), n: (2,)},
        refs=["S2-43", "S2-19"],
    ),
    matrix("V", m, n),
)
both(
    claim(
        f"{T}.log_sum_exp_of_affine_in_bias",
        "Gradient of lse(Bx + c) in the bias c",
        kind="gradient",
        f=LogSumExp(B @ x + c),
        wrt=c,
        claimed=sb,
        where={sb: Softmax(B @ x + c)},
        dims={m: (2,), n: (2,)},
        refs=["S2-43", "S2-19"],
    )
)
claim(
    f"{T}.log_sum_exp_of_affine_hessian",
    "Hessian of lse(Bx + c)",
    kind="hessian",
    f=LogSumExp(B @ x + c),
    wrt=x,
    claimed=B.T @ (Diag(sb) - sb @ sb.T) @ B,
    where={sb: Softmax(B @ x + c)},
    dims={m: (2,), n: (2,)},
    refs=["S2-31", "S0-02"],
)
yp = vector("y", m)
ce_where = {sb: Softmax(B @ x)}
both(
    claim(
        f"{T}.cross_entropy_in_input",
        "Gradient of cross-entropy −yᵀlog softmax(Bx) in x, 1ᵀy = 1",
        kind="gradient",
        f=-AsScalar(yp.T @ Applied("log", Softmax(B @ x))),
        wrt=x,
        claimed=B.T @ (sb - yp),
        display=product_of(B.T, sum_of(sb, -yp)),
        where=ce_where,
        domains={yp: "probability"},
        dims={m: (2,), n: (2,)},
        refs=["S2-30", "S2-31"],
    )
)
both(
    claim(
        f"{T}.cross_entropy_in_weights",
        "Gradient of cross-entropy −yᵀlog softmax(Bx) in the weights B, 1ᵀy = 1",
        kind="gradient",
        f=-AsScalar(yp.T @ Applied("log", Softmax(B @ x))),
        wrt=B,
        claimed=(sb - yp) @ x.T,
        display=product_of(sum_of(sb, -yp), x.T),
        where=ce_where,
        domains={yp: "probability"},
        dims={m: (2,), n: (2,)},
        refs=["S2-30", "S2-31"],
    ),
    matrix("V", m, n),
)

# %% [markdown]
# The products of three Jacobians boxed on other pages (softmax and exp entry by entry on the ML
# building blocks page, the linear layer on the Jacobians page), declared here from those
# claims' objects: forward mode sends $v$ to $Jv$, reverse mode sends $u$ to $u^\top J$.

# %%
products_of(REGISTRY["activations.softmax_jacobian"], v, u, prefix=T)
products_of(REGISTRY["activations.exp_jacobian"], v, u, prefix=T)
products_of(jacobians.linear_layer, v, w, prefix=T)

# %% [markdown]
# ## The figure on the reference page: softmax at three temperatures
#
# Dividing the logits by a temperature below one sharpens softmax, above one flattens it; the
# Jacobian above carries the factor $1/\tau$, so a low temperature also makes the map steep.

# %%
from derivations.figures import figure, show

TEMPERATURE_LOGITS = (1.0, 2.0, 5.0)


def softmax_at_temperatures(taus):
    """softmax(z/τ) of the logits (1, 2, 5), one row per temperature."""
    import numpy as np

    logits = np.array(TEMPERATURE_LOGITS)
    scaled = logits[None, :] / np.asarray(taus)[:, None]
    weights = np.exp(scaled - scaled.max(axis=1, keepdims=True))
    return weights / weights.sum(axis=1, keepdims=True)


@figure(
    "reference_forms_norms.softmax_temperature",
    alt="Three curves of softmax outputs for the logits 1, 2 and 5 against the temperature on a "
    "logarithmic axis from 0.1 to 10. At low temperature the output of the largest logit is "
    "close to 1 and the other two close to 0; as the temperature grows all three approach one "
    "third.",
    caption="softmax(z/τ) for z = (1, 2, 5): a low temperature approaches the one-hot argmax, a "
    "high temperature the uniform vector; the Jacobian (diag(s) − ssᵀ)/τ grows as τ shrinks.",
    size=(5.2, 3.4),
)
def draw_softmax_temperature(ax):
    import numpy as np

    taus = np.logspace(-1, 1, 121)
    outputs = softmax_at_temperatures(taus)
    styles = [("#3949ab", "-"), ("#fdd835", "--"), ("#c2185b", ":")]
    for k, (color, dash) in enumerate(styles):
        ax.plot(
            taus,
            outputs[:, k],
            color=color,
            ls=dash,
            lw=2,
            label=f"logit {TEMPERATURE_LOGITS[k]:g}",
        )
    ax.set_xscale("log")
    ax.set_xlabel("temperature τ")
    ax.set_ylabel("softmax output")
    ax.legend(frameon=False, fontsize=8)


# %%
if __name__ == "__main__":
    show("reference_forms_norms.softmax_temperature")

# %% [markdown]
# ## Checking the claims on this page

# %%
if __name__ == "__main__":
    from derivations.evidence import verify_topic

    verify_topic(T)
