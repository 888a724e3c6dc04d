"""Corpora for the checker (``python -m derivations check``): data only, used by the tests.

``TRUE`` and ``WRONG`` are derivative claims across the four kinds, each with the verdict the
checker must give. ``HOSTILE`` is malformed or hostile input that must be answered with exit
status 2 and a one-line message. ``INCONCLUSIVE`` are claims the checker may not settle (a kink
where f is not differentiable), which must never be verified when wrong nor refuted when right
almost everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    name: str
    f: str
    wrt: str
    claimed: str
    vars: tuple[str, ...]
    kind: str = "gradient"
    assume: tuple[str, ...] = ()
    direction: str | None = None
    extra: tuple[str, ...] = field(default=())

    def argv(self) -> list[str]:
        out = [
            "check",
            "--f",
            self.f,
            "--wrt",
            self.wrt,
            "--claimed",
            self.claimed,
            "--kind",
            self.kind,
        ]
        for v in self.vars:
            out += ["--var", v]
        for a in self.assume:
            out += ["--assume", a]
        if self.direction:
            out += ["--direction", self.direction]
        return out + list(self.extra)


def G(name, f, wrt, claimed, *vars, **kw) -> Case:
    return Case(name, f, wrt, claimed, tuple(vars), "gradient", **kw)


def J(name, f, wrt, claimed, *vars, **kw) -> Case:
    return Case(name, f, wrt, claimed, tuple(vars), "jacobian", **kw)


def H(name, f, wrt, claimed, *vars, **kw) -> Case:
    return Case(name, f, wrt, claimed, tuple(vars), "hessian", **kw)


def D(name, f, wrt, claimed, *vars, direction="V", **kw) -> Case:
    return Case(name, f, wrt, claimed, tuple(vars), "directional", direction=direction, **kw)


SOFTMAX = "np.exp(x) / np.sum(np.exp(x))"
SIGMOID = "1 / (1 + np.exp(-x))"

# ------------------------------------------------------------------------------------ true

TRUE = [
    # gradients
    G("quadratic_form", "x @ A @ x", "x", "(A + A.T) @ x", "x=n", "A=n,n"),
    G(
        "quadratic_form_symmetric",
        "x @ A @ x",
        "x",
        "2 * A @ x",
        "x=n",
        "A=n,n",
        assume=("A=symmetric",),
    ),
    G("quadratic_form_transposes", "x.T @ A @ x", "x", "A @ x + A.T @ x", "x=n", "A=n,n"),
    G(
        "least_squares",
        "np.linalg.norm(A @ x - b) ** 2",
        "x",
        "2 * A.T @ (A @ x - b)",
        "x=n",
        "A=m,n",
        "b=m",
    ),
    G(
        "least_squares_half",
        "0.5 * np.sum((A @ x - b) ** 2)",
        "x",
        "A.T @ A @ x - A.T @ b",
        "x=n",
        "A=m,n",
        "b=m",
    ),
    G(
        "ridge",
        "np.linalg.norm(A @ x - b) ** 2 + lam * x @ x",
        "x",
        "2 * A.T @ (A @ x - b) + 2 * lam * x",
        "x=n",
        "A=m,n",
        "b=m",
        "lam=scalar",
    ),
    G("linear_form", "a @ x", "x", "a", "a=n", "x=n"),
    G("squared_norm", "x @ x", "x", "2 * x", "x=n"),
    G("norm", "np.linalg.norm(x)", "x", "x / np.linalg.norm(x)", "x=n", assume=("x=nonzero",)),
    G("sqrt_of_inner", "np.sqrt(x @ x)", "x", "x / np.sqrt(x @ x)", "x=n"),
    G("sum_exp", "np.sum(np.exp(x))", "x", "np.exp(x)", "x=n"),
    G("logsumexp", "np.log(np.sum(np.exp(x)))", "x", SOFTMAX, "x=n"),
    G(
        "logistic_loss",
        "np.sum(np.log(1 + np.exp(-y * (X @ w))))",
        "w",
        "-X.T @ (y / (1 + np.exp(y * (X @ w))))",
        "w=n",
        "X=m,n",
        "y=m",
    ),
    G("trace_linear", "np.trace(A @ X)", "X", "A.T", "X=n,n", "A=n,n"),
    G("trace_quadratic", "np.trace(X.T @ A @ X)", "X", "(A + A.T) @ X", "X=n,k", "A=n,n"),
    G(
        "trace_quadratic_spd",
        "np.trace(X.T @ A @ X)",
        "X",
        "2 * A @ X",
        "X=n,k",
        "A=n,n",
        assume=("A=spd",),
    ),
    G("trace_square", "np.trace(X @ X)", "X", "2 * X.T", "X=n,n"),
    G("bilinear_in_matrix", "u @ X @ v", "X", "np.outer(u, v)", "u=m", "X=m,n", "v=n"),
    G("frobenius_hadamard", "np.sum(X * X)", "X", "2 * X", "X=m,n"),
    G("frobenius_norm", "np.linalg.norm(X) ** 2", "X", "2 * X", "X=m,n"),
    G(
        "matrix_least_squares",
        "0.5 * np.linalg.norm(X @ W - Y) ** 2",
        "W",
        "X.T @ (X @ W - Y)",
        "W=n,k",
        "X=m,n",
        "Y=m,k",
    ),
    G("logdet", "np.linalg.slogdet(X)[1]", "X", "np.linalg.inv(X).T", "X=n,n"),
    G("det", "np.linalg.det(X)", "X", "np.linalg.det(X) * np.linalg.inv(X).T", "X=n,n"),
    G(
        "layer_weights",
        "np.sum(np.tanh(W @ x))",
        "W",
        "np.outer(1 - np.tanh(W @ x) ** 2, x)",
        "W=m,n",
        "x=n",
    ),
    G("sin_cos", "np.sum(np.sin(x) * np.cos(x))", "x", "np.cos(2 * x)", "x=n"),
    G("inner_squared", "(a @ x) ** 2", "x", "2 * (a @ x) * a", "a=n", "x=n"),
    G("diagonal_quadratic", "x @ np.diag(d) @ x", "x", "2 * d * x", "x=n", "d=n"),
    G("sum_log_positive", "np.sum(np.log(x))", "x", "1 / x", "x=n", assume=("x=positive",)),
    G(
        "sum_sqrt_positive",
        "np.sum(np.sqrt(x))",
        "x",
        "0.5 / np.sqrt(x)",
        "x=n",
        assume=("x=positive",),
    ),
    G(
        "entropy",
        "-np.sum(p * np.log(p))",
        "p",
        "-(np.log(p) + 1)",
        "p=n",
        assume=("p=probability",),
    ),
    G(
        "cross_entropy_logits",
        "-y @ x + np.log(np.sum(np.exp(x)))",
        "x",
        f"{SOFTMAX} - y",
        "x=n",
        "y=n",
        assume=("y=probability",),
    ),
    G(
        "scalar_gaussian",
        "t * np.exp(-t ** 2)",
        "t",
        "(1 - 2 * t ** 2) * np.exp(-t ** 2)",
        "t=scalar",
    ),
    G("scalar_log", "np.log(t)", "t", "1 / t", "t=scalar", assume=("t=positive",)),
    G("fixed_size_cubes", "np.sum(x ** 3)", "x", "3 * x ** 2", "x=3"),
    G("indexing", "x[0] * x[1]", "x", "np.array([x[1], x[0]])", "x=2"),
    G("sum_axis", "np.sum(X, axis=0) @ y", "y", "X.T @ np.ones(m)", "X=m,n", "y=n"),
    G("numpy_vector_matrix", "x @ A @ x", "x", "A @ x + x @ A", "x=n", "A=n,n"),
    G("sigmoid_sum", f"np.sum({SIGMOID})", "x", f"{SIGMOID} * (1 - {SIGMOID})", "x=n"),
    G("cosh_sum", "np.sum(np.cosh(x))", "x", "np.sinh(x)", "x=n"),
    G("softplus", "np.sum(np.log(1 + np.exp(x)))", "x", SIGMOID, "x=n"),
    # Jacobians
    J("linear_map", "A @ x", "x", "A", "A=m,n", "x=n"),
    J("affine_map", "A @ x + b", "x", "A", "A=m,n", "x=n", "b=m"),
    J("softmax", SOFTMAX, "x", f"np.diag({SOFTMAX}) - np.outer({SOFTMAX}, {SOFTMAX})", "x=n"),
    J("tanh_layer", "np.tanh(W @ x)", "x", "np.diag(1 - np.tanh(W @ x) ** 2) @ W", "W=m,n", "x=n"),
    J("scaled_vector", "x * (a @ x)", "x", "(a @ x) * np.eye(n) + np.outer(x, a)", "x=n", "a=n"),
    J("exp_elementwise", "np.exp(x)", "x", "np.diag(np.exp(x))", "x=n"),
    J(
        "normalise",
        "x / np.linalg.norm(x)",
        "x",
        "(np.eye(n) - np.outer(x, x) / (x @ x)) / np.linalg.norm(x)",
        "x=n",
        assume=("x=nonzero",),
    ),
    J("sigmoid", SIGMOID, "x", f"np.diag({SIGMOID} * (1 - {SIGMOID}))", "x=n"),
    J(
        "small_array",
        "np.array([x[0] * x[1], x[0] + x[1]])",
        "x",
        "np.array([[x[1], x[0]], [1, 1]])",
        "x=2",
    ),
    J("scalar_f_row", "a @ x", "x", "a.T", "a=n", "x=n"),
    # Hessians
    H("quadratic_form", "x @ A @ x", "x", "A + A.T", "x=n", "A=n,n"),
    H(
        "quadratic_form_symmetric",
        "x @ A @ x",
        "x",
        "2 * A",
        "x=n",
        "A=n,n",
        assume=("A=symmetric",),
    ),
    H("cos_squared", "np.sum(np.cos(x) ** 2)", "x", "-2 * np.diag(np.cos(2 * x))", "x=n"),
    H("cubes", "np.sum(x ** 3)", "x", "6 * np.diag(x)", "x=n"),
    H(
        "logsumexp",
        "np.log(np.sum(np.exp(x)))",
        "x",
        f"np.diag({SOFTMAX}) - np.outer({SOFTMAX}, {SOFTMAX})",
        "x=n",
    ),
    H("least_squares", "np.linalg.norm(A @ x - b) ** 2", "x", "2 * A.T @ A", "x=n", "A=m,n", "b=m"),
    H("inner_squared", "(a @ x) ** 2", "x", "2 * np.outer(a, a)", "a=n", "x=n"),
    H("scalar_quartic", "t ** 4", "t", "12 * t ** 2", "t=scalar"),
    # directional derivatives
    D("square", "X @ X", "X", "V @ X + X @ V", "X=n,n", "V=n,n"),
    D("gram", "X.T @ X", "X", "V.T @ X + X.T @ V", "X=m,n", "V=m,n"),
    D(
        "det",
        "np.linalg.det(X)",
        "X",
        "np.linalg.det(X) * np.trace(np.linalg.inv(X) @ V)",
        "X=n,n",
        "V=n,n",
    ),
    D("sandwich", "A @ X @ B", "X", "A @ V @ B", "A=k,m", "X=m,n", "B=n,k", "V=m,n"),
    D("exp_elementwise", "np.exp(X)", "X", "np.exp(X) * V", "X=m,n", "V=m,n"),
    D("squared_norm", "x @ x", "x", "2 * x @ v", "x=n", "v=n", direction="v"),
    D(
        "outer",
        "np.outer(x, x)",
        "x",
        "np.outer(v, x) + np.outer(x, v)",
        "x=n",
        "v=n",
        direction="v",
    ),
    D("cube", "X @ X @ X", "X", "V @ X @ X + X @ V @ X + X @ X @ V", "X=n,n", "V=n,n"),
    D("trace_square", "np.trace(X @ X)", "X", "2 * np.trace(X @ V)", "X=n,n", "V=n,n"),
    D(
        "inverse",
        "np.linalg.inv(X)",
        "X",
        "-np.linalg.inv(X) @ V @ np.linalg.inv(X)",
        "X=n,n",
        "V=n,n",
    ),
]

# ------------------------------------------------------------------------------------ wrong

WRONG = [
    # gradients: the classic slips
    G("quadratic_form_2Ax", "x @ A @ x", "x", "2 * A @ x", "x=n", "A=n,n"),
    G("quadratic_form_Ax", "x @ A @ x", "x", "A @ x", "x=n", "A=n,n"),
    G("quadratic_form_row", "x @ A @ x", "x", "x.T @ (A + A.T)", "x=n", "A=n,n"),
    G(
        "least_squares_no_2",
        "np.linalg.norm(A @ x - b) ** 2",
        "x",
        "A.T @ (A @ x - b)",
        "x=n",
        "A=m,n",
        "b=m",
    ),
    G(
        "least_squares_no_transpose",
        "np.linalg.norm(A @ x - b) ** 2",
        "x",
        "2 * A @ (A @ x - b)",
        "x=n",
        "A=m,n",
        "b=m",
    ),
    G(
        "least_squares_sign",
        "np.linalg.norm(A @ x - b) ** 2",
        "x",
        "2 * A.T @ (b - A @ x)",
        "x=n",
        "A=m,n",
        "b=m",
    ),
    G(
        "ridge_lambda",
        "np.linalg.norm(A @ x - b) ** 2 + lam * x @ x",
        "x",
        "2 * A.T @ (A @ x - b) + lam * x",
        "x=n",
        "A=m,n",
        "b=m",
        "lam=scalar",
    ),
    G("squared_norm_x", "x @ x", "x", "x", "x=n"),
    G("norm_x", "np.linalg.norm(x)", "x", "x", "x=n", assume=("x=nonzero",)),
    G("logsumexp_exp", "np.log(np.sum(np.exp(x)))", "x", "np.exp(x)", "x=n"),
    G(
        "logistic_sign",
        "np.sum(np.log(1 + np.exp(-y * (X @ w))))",
        "w",
        "X.T @ (y / (1 + np.exp(y * (X @ w))))",
        "w=n",
        "X=m,n",
        "y=m",
    ),
    G("trace_linear_A", "np.trace(A @ X)", "X", "A", "X=n,n", "A=n,n"),
    G("trace_quadratic_2AX", "np.trace(X.T @ A @ X)", "X", "2 * A @ X", "X=n,k", "A=n,n"),
    G("trace_square_X", "np.trace(X @ X)", "X", "2 * X", "X=n,n"),
    G("bilinear_swapped", "u @ X @ v", "X", "np.outer(v, u)", "u=n", "X=n,n", "v=n"),
    G(
        "matrix_least_squares_order",
        "0.5 * np.linalg.norm(X @ W - Y) ** 2",
        "W",
        "(X @ W - Y).T @ X",
        "W=n,n",
        "X=n,n",
        "Y=n,n",
    ),
    G("logdet_no_transpose", "np.linalg.slogdet(X)[1]", "X", "np.linalg.inv(X)", "X=n,n"),
    G("logdet_inverse_missing", "np.linalg.slogdet(X)[1]", "X", "X.T", "X=n,n"),
    G("det_no_transpose", "np.linalg.det(X)", "X", "np.linalg.det(X) * np.linalg.inv(X)", "X=n,n"),
    G(
        "layer_weights_no_square",
        "np.sum(np.tanh(W @ x))",
        "W",
        "np.outer(1 - np.tanh(W @ x), x)",
        "W=m,n",
        "x=n",
    ),
    G("sin_cos_product", "np.sum(np.sin(x) * np.cos(x))", "x", "np.cos(x) * np.cos(x)", "x=n"),
    G("inner_squared_no_factor", "(a @ x) ** 2", "x", "2 * a", "a=n", "x=n"),
    G("diagonal_quadratic_half", "x @ np.diag(d) @ x", "x", "d * x", "x=n", "d=n"),
    G(
        "sum_sqrt_no_half",
        "np.sum(np.sqrt(x))",
        "x",
        "1 / np.sqrt(x)",
        "x=n",
        assume=("x=positive",),
    ),
    G(
        "entropy_missing_one",
        "-np.sum(p * np.log(p))",
        "p",
        "-np.log(p)",
        "p=n",
        assume=("p=probability",),
    ),
    G(
        "scalar_gaussian_factor",
        "t * np.exp(-t ** 2)",
        "t",
        "(1 - t ** 2) * np.exp(-t ** 2)",
        "t=scalar",
    ),
    G("scalar_log_sign", "np.log(t)", "t", "-1 / t", "t=scalar", assume=("t=positive",)),
    G("zero_gradient", "x @ x", "x", "np.zeros(n)", "x=n"),
    G("sigmoid_sum_no_one_minus", f"np.sum({SIGMOID})", "x", SIGMOID, "x=n"),
    G("fixed_size_cubes_power", "np.sum(x ** 3)", "x", "3 * x", "x=3"),
    # Jacobians
    J("linear_map_transposed", "A @ x", "x", "A.T", "A=m,n", "x=n"),
    J("linear_map_square_transposed", "A @ x", "x", "A.T", "A=n,n", "x=n"),
    J("softmax_diagonal_only", SOFTMAX, "x", f"np.diag({SOFTMAX})", "x=n"),
    J(
        "tanh_layer_order",
        "np.tanh(W @ x)",
        "x",
        "W @ np.diag(1 - np.tanh(W @ x) ** 2)",
        "W=n,n",
        "x=n",
    ),
    J(
        "scaled_vector_outer_swapped",
        "x * (a @ x)",
        "x",
        "(a @ x) * np.eye(n) + np.outer(a, x)",
        "x=n",
        "a=n",
    ),
    J("exp_not_diagonal", "np.exp(x)", "x", "np.exp(np.diag(x))", "x=n"),
    J(
        "normalise_missing_projection",
        "x / np.linalg.norm(x)",
        "x",
        "np.eye(n) / np.linalg.norm(x)",
        "x=n",
        assume=("x=nonzero",),
    ),
    J("sigmoid_diag_s", SIGMOID, "x", f"np.diag({SIGMOID})", "x=n"),
    J(
        "small_array_swapped",
        "np.array([x[0] * x[1], x[0] + x[1]])",
        "x",
        "np.array([[x[0], x[1]], [1, 1]])",
        "x=2",
    ),
    # Hessians
    H("quadratic_form_2A", "x @ A @ x", "x", "2 * A", "x=n", "A=n,n"),
    H("cos_squared_sin", "np.sum(np.cos(x) ** 2)", "x", "-2 * np.diag(np.sin(2 * x))", "x=n"),
    H("cubes_gradient_instead", "np.sum(x ** 3)", "x", "3 * np.diag(x ** 2)", "x=n"),
    H("logsumexp_diag_only", "np.log(np.sum(np.exp(x)))", "x", f"np.diag({SOFTMAX})", "x=n"),
    H(
        "least_squares_AAT",
        "np.linalg.norm(A @ x - b) ** 2",
        "x",
        "2 * A @ A.T",
        "x=n",
        "A=n,n",
        "b=n",
    ),
    H(
        "inner_squared_scaled_identity",
        "(a @ x) ** 2",
        "x",
        "2 * (a @ a) * np.eye(n)",
        "a=n",
        "x=n",
    ),
    H("scalar_quartic_first_derivative", "t ** 4", "t", "4 * t ** 3", "t=scalar"),
    # directional derivatives
    D("square_2XV", "X @ X", "X", "2 * X @ V", "X=n,n", "V=n,n"),
    D("gram_2XTV", "X.T @ X", "X", "2 * X.T @ V", "X=m,n", "V=m,n"),
    D("det_trace_V", "np.linalg.det(X)", "X", "np.linalg.det(X) * np.trace(V)", "X=n,n", "V=n,n"),
    D("sandwich_dropped_factor", "A @ X @ B", "X", "A @ V", "A=n,n", "X=n,n", "B=n,n", "V=n,n"),
    D("exp_matrix_product", "np.exp(X)", "X", "np.exp(X) @ V", "X=n,n", "V=n,n"),
    D("squared_norm_no_2", "x @ x", "x", "x @ v", "x=n", "v=n", direction="v"),
    D("outer_doubled", "np.outer(x, x)", "x", "2 * np.outer(x, v)", "x=n", "v=n", direction="v"),
    D("cube_commuted", "X @ X @ X", "X", "3 * X @ X @ V", "X=n,n", "V=n,n"),
    D("trace_square_V", "np.trace(X @ X)", "X", "2 * np.trace(V)", "X=n,n", "V=n,n"),
    D(
        "inverse_order",
        "np.linalg.inv(X)",
        "X",
        "-np.linalg.inv(X) @ np.linalg.inv(X) @ V",
        "X=n,n",
        "V=n,n",
    ),
]

# --------------------------------------------------------------------- not differentiable everywhere

INCONCLUSIVE_OK = [
    # right almost everywhere (f has kinks): may be verified or inconclusive, never refuted
    G("relu_sum", "np.sum(np.maximum(x, 0))", "x", "np.maximum(x, 0) / x", "x=n"),
    J("relu_jacobian", "np.maximum(x, 0)", "x", "np.diag(np.sign(np.maximum(x, 0)))", "x=n"),
    G("l1_norm", "np.sum(np.abs(x))", "x", "np.sign(x)", "x=n"),
]
WRONG_NONSMOOTH = [
    # wrong almost everywhere: never verified
    J("relu_jacobian_sign", "np.maximum(x, 0)", "x", "np.diag(np.sign(x))", "x=n"),
    G("l1_norm_identity", "np.sum(np.abs(x))", "x", "x", "x=n"),
]

# ------------------------------------------------------------------------------------ hostile

BASE = ["check", "--wrt", "x", "--claimed", "2 * x", "--var", "x=n"]


def f_only(text: str) -> list[str]:
    return ["check", "--f", text, "--wrt", "x", "--claimed", "2 * x", "--var", "x=n"]


HOSTILE = {
    # code injection and Python features outside the whitelist
    "import_call": f_only("__import__('os').system('touch /tmp/checker_pwned')"),
    "dunder_attribute": f_only("x.__class__.__bases__[0].__subclasses__()"),
    "builtins_name": f_only("__builtins__"),
    "eval_call": f_only("eval('x @ x')"),
    "exec_call": f_only("exec('import os')"),
    "open_call": f_only("open('/tmp/checker_pwned', 'w')"),
    "getattr_call": f_only("getattr(x, 'T') @ x"),
    "lambda": f_only("(lambda y: y @ y)(x)"),
    "comprehension": f_only("sum([v for v in x])"),
    "string": f_only("'x @ x'"),
    "f_string": f_only("f'{x}'"),
    "walrus": f_only("(y := x) @ y"),
    "statement": f_only("x = 1"),
    "import_statement": f_only("import os"),
    "two_statements": f_only("x @ x; x"),
    "comparison": f_only("np.sum(x > 0)"),
    "boolean": f_only("True * (x @ x)"),
    "complex": f_only("1j * (x @ x)"),
    "method_call": f_only("x.dot(x)"),
    "numpy_random": f_only("np.random.rand(3) @ x"),
    "numpy_load": f_only("np.load('/etc/passwd')"),
    "slice": f_only("x[::-1] @ x"),
    "floor_division": f_only("(x @ x) // 2"),
    "starred": f_only("np.sum(*x)"),
    "keyword_unknown": f_only("np.sum(x, dtype=3)"),
    # syntax and names
    "syntax_error": f_only("x @ x +"),
    "unbalanced": f_only("np.exp(x @ x"),
    "empty": f_only("   "),
    "unknown_name": f_only("x @ y"),
    "unknown_function": f_only("np.foo(x) @ x"),
    "null_byte": f_only("x @ x\x00"),
    "control_character": f_only("x @ x\x07"),
    # shapes inside f, and kinds
    "shape_mismatch_in_f": [
        "check",
        "--f",
        "x @ A @ x",
        "--wrt",
        "x",
        "--claimed",
        "2 * x",
        "--var",
        "x=n",
        "--var",
        "A=m,n",
    ],
    "gradient_of_vector": [
        "check",
        "--f",
        "np.exp(x)",
        "--wrt",
        "x",
        "--claimed",
        "np.exp(x)",
        "--var",
        "x=n",
    ],
    "hessian_of_matrix_variable": [
        "check",
        "--f",
        "np.trace(X)",
        "--wrt",
        "X",
        "--claimed",
        "X",
        "--var",
        "X=n,n",
        "--kind",
        "hessian",
    ],
    "unknown_kind": [*BASE, "--f", "x @ x", "--kind", "laplacian"],
    "unknown_assumption": [*BASE, "--f", "x @ x", "--assume", "x=orthogonal"],
    "assumption_wrong_shape": [*BASE, "--f", "x @ x", "--assume", "x=spd"],
    "assumption_unknown_variable": [*BASE, "--f", "x @ x", "--assume", "y=nonzero"],
    "directional_without_direction": [*BASE, "--f", "x @ x", "--kind", "directional"],
    "direction_in_f": [
        "check",
        "--f",
        "x @ v",
        "--wrt",
        "x",
        "--claimed",
        "v @ v",
        "--var",
        "x=n",
        "--var",
        "v=n",
        "--kind",
        "directional",
        "--direction",
        "v",
    ],
    "wrt_undeclared": ["check", "--f", "x @ x", "--wrt", "y", "--claimed", "2 * x", "--var", "x=n"],
    "no_variables": ["check", "--f", "x @ x", "--wrt", "x", "--claimed", "2 * x"],
    "missing_claimed": ["check", "--f", "x @ x", "--wrt", "x", "--var", "x=n"],
    "bad_seed": [*BASE, "--f", "x @ x", "--seed", "many"],
    # absurd sizes, exponents and lengths
    "huge_fixed_size": [
        "check",
        "--f",
        "x @ x",
        "--wrt",
        "x",
        "--claimed",
        "2 * x",
        "--var",
        "x=100000",
    ],
    "zero_size": ["check", "--f", "x @ x", "--wrt", "x", "--claimed", "2 * x", "--var", "x=0"],
    "three_dimensions": [
        "check",
        "--f",
        "x @ x",
        "--wrt",
        "x",
        "--claimed",
        "2 * x",
        "--var",
        "x=n,n,n",
    ],
    "huge_exponent": f_only("np.sum(x ** 1000)"),
    "exponent_tower": f_only("np.sum(x ** 2 ** 2 ** 2 ** 2)"),
    "nested_powers": f_only("np.sum(((x ** 16) ** 16) ** 16)"),
    "huge_literal": f_only("1e300 * (x @ x)"),
    "infinite_literal": f_only("1e999 * (x @ x)"),
    "huge_integer": f_only("9" * 5000 + " * (x @ x)"),
    "division_by_zero": f_only("(x @ x) / 0"),
    "megabyte": f_only("x @ x + " * 130_000 + "x @ x"),
    "many_nodes": f_only(" + ".join(["x @ x"] * 600)),
    "deep_parentheses": f_only("(" * 250 + "x @ x" + ")" * 250),
    "deep_unary": f_only("-" * 3000 + "(x @ x)"),
    "deep_calls": f_only("np.exp(" * 120 + "x @ x" + ")" * 120),
    "index_out_of_range": f_only("x[7] ** 2"),
    "too_many_variables": ["check", "--f", "x @ x", "--wrt", "x", "--claimed", "2 * x"]
    + [a for v in "xabcdeghi" for a in ("--var", f"{v}=n")],
    "confusable_names": [
        "check",
        "--f",
        "x @ x",
        "--wrt",
        "x",
        "--claimed",
        "2 * x",
        "--var",
        "x=n",
        "--var",
        "x1=n",
    ],
    "reserved_variable_name": [
        "check",
        "--f",
        "sum @ sum",
        "--wrt",
        "sum",
        "--claimed",
        "2 * sum",
        "--var",
        "sum=n",
    ],
    "long_variable_name": [
        "check",
        "--f",
        "x @ x",
        "--wrt",
        "x",
        "--claimed",
        "2 * x",
        "--var",
        "x=n",
        "--var",
        "v" * 500 + "=n",
    ],
    "unicode_name": f_only("x @ xé"),
}


# ----------------------------------------------------------- machine-learning families (issue 12)
# Right and wrong derivatives as people write them for ML: softmax cross-entropy through a linear
# layer, log-sum-exp of an affine map, attention, layer normalisation, log cosh, GELU, Gaussian
# log-likelihood, log det and traces of inverses, MLP layers, fixed 8×8 sizes, and decoys that
# use a dimension name as a number and agree with the truth at a few sizes only.

Z = "(W @ x + b)"
S_Z = f"(np.exp({Z}) / np.sum(np.exp({Z})))"
CE = f"-(y @ np.log({S_Z}))"
G_CE = f"({S_Z} * np.sum(y) - y)"  # dCE/dz for any y (y sums to 1 for a one-hot label)
LSE_AFFINE = "np.log(np.sum(np.exp(A @ x + c)))"
S_AFF = "(np.exp(A @ x + c) / np.sum(np.exp(A @ x + c)))"
ATT = "(np.exp(K @ q) / np.sum(np.exp(K @ q)))"  # attention weights of a query q over keys K
XC = "(x - np.sum(x) / n)"
SIG_LN = f"np.sqrt(np.sum({XC} ** 2) / n + 1)"  # layer norm's scale, with ε = 1
GELU_IN = "0.7978845608 * (x + 0.044715 * x ** 3)"
GELU = f"0.5 * x * (1 + np.tanh({GELU_IN}))"
GELU_D = (
    f"0.5 * (1 + np.tanh({GELU_IN})) + 0.5 * x * (1 - np.tanh({GELU_IN}) ** 2) * 0.7978845608"
    " * (1 + 3 * 0.044715 * x ** 2)"
)
SIG_XW = "(1 / (1 + np.exp(-(X @ w))))"
BCE = f"-(y @ np.log({SIG_XW}) + (1 - y) @ np.log(1 - {SIG_XW}))"
M8 = tuple(f"{name}=8,8" for name in "ABCDEFGX")

ML_TRUE = [
    G("ce_wrt_weights", CE, "W", f"np.outer({G_CE}, x)", "W=k,n", "x=n", "b=k", "y=k"),
    G("ce_wrt_inputs", CE, "x", f"W.T @ {G_CE}", "W=k,n", "x=n", "b=k", "y=k"),
    G("ce_wrt_bias", CE, "b", G_CE, "W=k,n", "x=n", "b=k", "y=k"),
    G("lse_affine_gradient", LSE_AFFINE, "x", f"A.T @ {S_AFF}", "A=m,n", "x=n", "c=m"),
    H("lse_affine_hessian", LSE_AFFINE, "x",
      f"A.T @ (np.diag({S_AFF}) - np.outer({S_AFF}, {S_AFF})) @ A", "A=m,n", "x=n", "c=m"),
    G("attention_value_wrt_query", f"v @ {ATT}", "q",
      f"K.T @ (np.diag({ATT}) - np.outer({ATT}, {ATT})) @ v", "K=m,d", "q=d", "v=m"),
    J("attention_weights_wrt_query", ATT, "q",
      f"(np.diag({ATT}) - np.outer({ATT}, {ATT})) @ K", "K=m,d", "q=d"),
    J("layer_norm", f"{XC} / {SIG_LN}", "x",
      f"(np.eye(n) - np.ones((n, n)) / n) / {SIG_LN} - np.outer({XC}, {XC}) / (n * {SIG_LN} ** 3)",
      "x=n"),
    G("log_cosh", "np.sum(np.log(np.cosh(x)))", "x", "np.tanh(x)", "x=n"),
    G("gelu_tanh_form", GELU, "x", GELU_D, "x=scalar"),
    G("gaussian_log_likelihood_mean", "-0.5 * (x - mu) @ np.linalg.inv(S) @ (x - mu)", "mu",
      "np.linalg.inv(S) @ (x - mu)", "x=n", "mu=n", "S=n,n", assume=("S=spd",)),
    G("log_det", "np.linalg.slogdet(X)[1]", "X", "np.linalg.inv(X).T", "X=n,n"),
    G("trace_of_inverse", "np.trace(np.linalg.inv(X))", "X",
      "-(np.linalg.inv(X) @ np.linalg.inv(X)).T", "X=n,n"),
    G("trace_a_inverse_b", "np.trace(A @ np.linalg.inv(X) @ B)", "X",
      "-(np.linalg.inv(X) @ B @ A @ np.linalg.inv(X)).T", "X=n,n", "A=n,n", "B=n,n"),
    G("cookbook_degree_4", "np.trace(B.T @ X.T @ C @ X @ X.T @ C @ X @ B)", "X",
      "C @ X @ X.T @ C @ X @ B @ B.T + C.T @ X @ B @ B.T @ X.T @ C.T @ X"
      " + C @ X @ B @ B.T @ X.T @ C @ X + C.T @ X @ X.T @ C.T @ X @ B @ B.T",
      "X=n,n", "B=n,n", "C=n,n"),
    J("mlp_layer_wrt_input", "np.tanh(W @ x + b)", "x",
      "np.diag(1 - np.tanh(W @ x + b) ** 2) @ W", "W=m,n", "x=n", "b=m"),
    J("mlp_layer_wrt_bias", "np.tanh(W @ x + b)", "b", "np.diag(1 - np.tanh(W @ x + b) ** 2)",
      "W=m,n", "x=n", "b=m"),
    G("logistic_regression_bce", BCE, "w", f"X.T @ ({SIG_XW} - y)", "X=m,n", "w=n", "y=m"),
    G("trace_of_eight_fixed_8x8", "np.trace(A @ B @ C @ D @ E @ F @ G @ X)", "X",
      "(A @ B @ C @ D @ E @ F @ G).T", *M8),
    D("inverse_of_product_8x8", "np.linalg.inv(X @ Y)", "X",
      "-np.linalg.inv(X @ Y) @ V @ Y @ np.linalg.inv(X @ Y)", "X=8,8", "Y=8,8", "V=8,8"),
    D("determinant_8x8", "np.linalg.det(X)", "X",
      "np.linalg.det(X) * np.trace(np.linalg.inv(X) @ V)", "X=8,8", "V=8,8"),
    G("mean_of_squares_uses_n", "x @ x / n", "x", "2 * x / n", "x=n"),
    G("gaussian_log_likelihood_covariance",
      "-0.5 * np.linalg.slogdet(S)[1] - 0.5 * (x - mu) @ np.linalg.inv(S) @ (x - mu)", "S",
      "-0.5 * np.linalg.inv(S).T + 0.5 * np.linalg.inv(S).T @ np.outer(x - mu, x - mu)"
      " @ np.linalg.inv(S).T", "x=n", "mu=n", "S=n,n"),
    G("softplus", "np.sum(np.log(1 + np.exp(x)))", "x", "1 / (1 + np.exp(-x))", "x=n"),
    D("attention_weights_along_the_keys", ATT, "K",
      f"(np.diag({ATT}) - np.outer({ATT}, {ATT})) @ V @ q", "K=m,d", "q=d", "V=m,d"),
]  # fmt: skip

ML_WRONG = [
    G("ce_forgets_the_label_sum", CE, "x", f"W.T @ ({S_Z} - y)", "W=k,n", "x=n", "b=k", "y=k"),
    G("ce_weights_transposed", CE, "W", f"np.outer(x, {G_CE}).T * 2", "W=k,n", "x=n", "b=k",
      "y=k"),
    G("ce_inputs_without_transpose", CE, "x", f"W.T @ {G_CE} + x * 0 + W.T @ y * 0 + 1", "W=k,n",
      "x=n", "b=k", "y=k"),
    H("lse_affine_hessian_sign", LSE_AFFINE, "x",
      f"A.T @ (np.diag({S_AFF}) + np.outer({S_AFF}, {S_AFF})) @ A", "A=m,n", "x=n", "c=m"),
    J("attention_weights_sign", ATT, "q",
      f"(np.diag({ATT}) + np.outer({ATT}, {ATT})) @ K", "K=m,d", "q=d"),
    J("layer_norm_without_the_outer_term", f"{XC} / {SIG_LN}", "x",
      f"(np.eye(n) - np.ones((n, n)) / n) / {SIG_LN}", "x=n"),
    G("log_cosh_as_sinh", "np.sum(np.log(np.cosh(x)))", "x", "np.sinh(x)", "x=n"),
    G("gelu_missing_the_cubic_term", GELU, "x",
      f"0.5 * (1 + np.tanh({GELU_IN})) + 0.5 * x * (1 - np.tanh({GELU_IN}) ** 2) * 0.7978845608",
      "x=scalar"),
    G("log_det_without_transpose", "np.linalg.slogdet(X)[1]", "X", "np.linalg.inv(X)", "X=n,n"),
    G("trace_of_inverse_sign", "np.trace(np.linalg.inv(X))", "X",
      "(np.linalg.inv(X) @ np.linalg.inv(X)).T", "X=n,n"),
    G("logistic_regression_sign", BCE, "w", f"X.T @ (y - {SIG_XW})", "X=m,n", "w=n", "y=m"),
    G("trace_of_eight_untransposed", "np.trace(A @ B @ C @ D @ E @ F @ G @ X)", "X",
      "A @ B @ C @ D @ E @ F @ G", *M8),
    G("decoy_right_at_2_3_5", "x @ x", "x", "2 * x * (1 + (n - 2) * (n - 3) * (n - 5))", "x=n"),
    G("decoy_right_at_2_to_8", "x @ x", "x",
      "2 * x * (1 + (n - 2) * (n - 3) * (n - 4) * (n - 5) * (n - 6) * (n - 7) * (n - 8))", "x=n"),
    G("gaussian_covariance_without_transposes",
      "-0.5 * np.linalg.slogdet(S)[1] - 0.5 * (x - mu) @ np.linalg.inv(S) @ (x - mu)", "S",
      "-0.5 * np.linalg.inv(S) + 0.5 * np.linalg.inv(S) @ np.outer(x - mu, x - mu)"
      " @ np.linalg.inv(S)", "x=n", "mu=n", "S=n,n"),
    G("softplus_as_tanh", "np.sum(np.log(1 + np.exp(x)))", "x", "np.tanh(x)", "x=n"),
    G("decoy_two_dimensions", "np.sum(A @ x)", "x", "A.T @ np.ones(m) * (1 + (m - 2) * (m - 3))",
      "A=m,n", "x=n"),
]  # fmt: skip
