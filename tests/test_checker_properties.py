"""Property tests of the checker: random correct identities are never refuted, and random single
mutations of them (drop a transpose, swap the operands of @, drop a factor 2, flip a sign) are
never verified when they change the value.

Identities are random linear combinations of known derivatives of one kind. Whether a mutation
changes the value is decided independently of the engine, by evaluating the original and the
mutated expression with numpy at random points (a small evaluator over the syntax tree of our own
test strings, with the checker's conventions: 1-D vectors are columns, ``v.T`` is a row).
"""

from __future__ import annotations

import ast
import json

import numpy as np
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

from derivations import cli

SIZES = {"n": 3, "m": 4}
SHAPES = {
    "x": ("n",),
    "a": ("n",),
    "c": ("n",),
    "b": ("m",),
    "A": ("n", "n"),
    "B": ("m", "n"),
    "X": ("n", "n"),
    "V": ("n", "n"),
}

# (f, its derivative) by kind; gradients, Jacobians and Hessians in x, directional in X along V
TEMPLATES = {
    "gradient": [
        ("x @ A @ x", "(A + A.T) @ x"),
        ("np.linalg.norm(B @ x - b) ** 2", "2 * B.T @ (B @ x - b)"),
        ("a @ x", "a"),
        ("np.sum(np.exp(B @ x))", "B.T @ np.exp(B @ x)"),
        ("(a @ x) ** 2", "2 * (a @ x) * a"),
        ("x @ x", "2 * x"),
        ("np.sum(np.sin(x))", "np.cos(x)"),
        ("(a @ x) * (c @ x)", "(c @ x) * a + (a @ x) * c"),
        ("np.sum((A @ x) ** 2)", "2 * A.T @ (A @ x)"),
        ("x @ A.T @ B.T @ b", "A.T @ B.T @ b"),
    ],
    "jacobian": [
        ("A @ x", "A"),
        ("np.tanh(A @ x)", "np.diag(1 - np.tanh(A @ x) ** 2) @ A"),
        ("x * (a @ x)", "(a @ x) * np.eye(n) + np.outer(x, a)"),
        ("np.exp(x)", "np.diag(np.exp(x))"),
        ("A.T @ x", "A.T"),
        ("B.T @ (B @ x)", "B.T @ B"),
    ],
    "hessian": [
        ("x @ A @ x", "A + A.T"),
        ("(a @ x) ** 2", "2 * np.outer(a, a)"),
        ("np.sum(x ** 3)", "6 * np.diag(x)"),
        ("np.linalg.norm(B @ x) ** 2", "2 * B.T @ B"),
    ],
    "directional": [
        ("X @ X", "V @ X + X @ V"),
        ("X.T @ A @ X", "V.T @ A @ X + X.T @ A @ V"),
        ("A @ X", "A @ V"),
        ("X @ X.T", "V @ X.T + X @ V.T"),
        ("np.trace(A @ X) * np.eye(n)", "np.trace(A @ V) * np.eye(n)"),
    ],
}
WRT = {"gradient": "x", "jacobian": "x", "hessian": "x", "directional": "X"}
COEFFICIENTS = (-3, -2, -1, 1, 2, 3)
MUTATIONS = ("drop_transpose", "swap_matmul", "drop_factor_2", "flip_sign")

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


# ------------------------------------------------------------------------ building the claims


@st.composite
def identities(draw):
    kind = draw(st.sampled_from(sorted(TEMPLATES)))
    picks = draw(
        st.lists(st.sampled_from(range(len(TEMPLATES[kind]))), min_size=1, max_size=2, unique=True)
    )
    coefficients = [draw(st.sampled_from(COEFFICIENTS)) for _ in picks]
    f_terms, d_terms = [], []
    for k, c in zip(picks, coefficients, strict=True):
        f, d = TEMPLATES[kind][k]
        f_terms.append(f"{c} * ({f})")
        d_terms.append(f"{c} * ({d})")
    return kind, " + ".join(f_terms), " + ".join(d_terms)


def names_in(*texts) -> list[str]:
    found = {
        n.id for t in texts for n in ast.walk(ast.parse(t, mode="eval")) if isinstance(n, ast.Name)
    }
    return sorted(found & set(SHAPES))


def argv_for(kind: str, f: str, claimed: str) -> list[str]:
    names = names_in(f, claimed)
    wrt = WRT[kind]
    if kind == "directional" and "V" not in names:
        names.append("V")
    argv = ["check", "--f", f, "--wrt", wrt, "--claimed", claimed, "--kind", kind, "--json"]
    for name in names:
        argv += ["--var", f"{name}={','.join(SHAPES[name])}"]
    if kind == "directional":
        argv += ["--direction", "V"]
    return argv


def run(argv, capsys) -> tuple[int, dict | None]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, json.loads(captured.out) if captured.out.strip() else None


# ------------------------------------------------------------------------ mutations


def mutation_sites(tree, mutation: str) -> list:
    def is_site(node) -> bool:
        if mutation == "drop_transpose":
            return isinstance(node, ast.Attribute) and node.attr == "T"
        if not isinstance(node, ast.BinOp):
            return False
        if mutation == "swap_matmul":
            return isinstance(node.op, ast.MatMult)
        if mutation == "drop_factor_2":
            return isinstance(node.op, ast.Mult) and (_is_two(node.left) or _is_two(node.right))
        return isinstance(node.op, ast.Add | ast.Sub)

    return [node for node in ast.walk(tree) if is_site(node)]


def _is_two(node) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return _is_two(node.operand)
    return isinstance(node, ast.Constant) and node.value == 2


class _Mutate(ast.NodeTransformer):
    def __init__(self, target, mutation):
        self.target, self.mutation = target, mutation

    def visit(self, node):
        node = self.generic_visit(node)
        if node is not self.target:
            return node
        if self.mutation == "drop_transpose":
            return node.value
        if self.mutation == "swap_matmul":
            return ast.BinOp(left=node.right, op=node.op, right=node.left)
        if self.mutation == "drop_factor_2":
            if _is_two(node.left):
                return node.right
            return node.left
        return ast.BinOp(
            left=node.left,
            op=ast.Sub() if isinstance(node.op, ast.Add) else ast.Add(),
            right=node.right,
        )


def mutate(text: str, mutation: str, choice: int) -> str | None:
    tree = ast.parse(text, mode="eval")
    sites = mutation_sites(tree, mutation)
    if mutation == "flip_sign" and not sites:
        return f"-({text})"
    if not sites:
        return None
    target = sites[choice % len(sites)]
    return ast.unparse(ast.fix_missing_locations(_Mutate(target, mutation).visit(tree)))


# ------------------------------------------------------------------------ the numpy oracle

_FUNCTIONS = {
    "exp": np.exp,
    "sin": np.sin,
    "cos": np.cos,
    "tanh": np.tanh,
    "sum": np.sum,
    "diag": np.diag,
    "outer": np.outer,
    "eye": np.eye,
    "trace": np.trace,
    "norm": np.linalg.norm,
}


class ShapeFailure(Exception):
    pass


def evaluate(text: str, env: dict):
    """Our test strings in numpy, with 1-D vectors as columns and ``v.T`` a row."""

    def go(node):
        if isinstance(node, ast.Expression):
            return go(node.body)
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            return env[node.id]
        if isinstance(node, ast.UnaryOp):
            return -go(node.operand)
        if isinstance(node, ast.Attribute) and node.attr == "T":
            value = np.asarray(go(node.value))
            return value.reshape(1, -1) if value.ndim == 1 else value.T
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
            return _FUNCTIONS[name](*[go(a) for a in node.args])
        if isinstance(node, ast.BinOp):
            left, right = go(node.left), go(node.right)
            op = type(node.op)
            try:
                if op is ast.MatMult:
                    if (
                        np.ndim(left) == 1
                        and np.ndim(right) == 2
                        and right.shape[0] == 1
                        and left.shape[0] != 1
                    ):
                        return np.outer(left, right[0])  # column @ row, as the checker reads it
                    return left @ right
                if (
                    isinstance(left, np.ndarray)
                    and isinstance(right, np.ndarray)
                    and left.ndim >= 1
                    and right.ndim >= 1
                    and left.shape != right.shape
                    and op is not ast.Pow
                    and left.size > 1
                    and right.size > 1
                ):
                    raise ShapeFailure(f"{left.shape} vs {right.shape}")
                return {
                    ast.Add: np.add,
                    ast.Sub: np.subtract,
                    ast.Mult: np.multiply,
                    ast.Div: np.divide,
                    ast.Pow: np.power,
                }[op](left, right)
            except ValueError as exc:
                raise ShapeFailure(str(exc)) from None
        raise AssertionError(f"unexpected node {ast.dump(node)}")

    return go(ast.parse(text, mode="eval"))


def _as_column(value):
    value = np.asarray(value, dtype=float)
    if value.ndim == 0:
        return value.reshape(1, 1)
    if value.ndim == 1:
        return value.reshape(-1, 1)
    return value


def same_values(original: str, mutant: str) -> bool:
    rng = np.random.default_rng(0)
    for _ in range(3):
        env = {
            name: rng.standard_normal([SIZES[d] for d in shape]) for name, shape in SHAPES.items()
        }
        env.update(SIZES)
        try:
            mutated = _as_column(evaluate(mutant, env))
        except ShapeFailure:
            return False
        expected = _as_column(evaluate(original, env))
        if mutated.shape != expected.shape:
            return False
        if not np.allclose(mutated, expected, rtol=1e-9, atol=1e-9):
            return False
    return True


# ------------------------------------------------------------------------ the properties


@SETTINGS
@given(identities())
def test_random_correct_identities_are_never_refuted(capsys, identity):
    kind, f, claimed = identity
    note(f"{kind}: f = {f}; claimed = {claimed}")
    code, out = run(argv_for(kind, f, claimed), capsys)
    assert code in (0, 3), out and out["reason"]
    assert out["verdict"] != "refuted"


@SETTINGS
@given(identities(), st.sampled_from(MUTATIONS), st.integers(min_value=0, max_value=7))
def test_random_single_mutations_are_never_verified(capsys, identity, mutation, choice):
    kind, f, claimed = identity
    mutant = mutate(claimed, mutation, choice)
    if mutant is None:
        mutant = mutate(claimed, "flip_sign", choice)
    note(f"{kind}: f = {f}; claimed = {claimed}; {mutation} -> {mutant}")
    code, out = run(argv_for(kind, f, mutant), capsys)
    if same_values(claimed, mutant):
        # the mutation happened to leave the value unchanged: still right, never refuted
        assert code in (0, 3), out
    else:
        assert code in (1, 3), out
        assert out["verdict"] != "verified"


def test_the_oracle_tells_a_wrong_mutation_from_an_equivalent_one():
    assert not same_values("(A + A.T) @ x", "(A + A) @ x")
    assert same_values("(A + A.T) @ x", "x @ (A + A.T)")
    assert not same_values("2 * B.T @ (B @ x - b)", "2 * B @ (B @ x - b)")
    assert mutate("2 * B.T @ (B @ x - b)", "drop_factor_2", 0) == "B.T @ (B @ x - b)"
