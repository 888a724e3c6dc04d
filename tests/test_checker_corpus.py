"""The checker (issue 5) on a corpus of right and wrong derivatives across the four kinds.

Every true claim must be verified (exit 0) and every wrong one refuted (exit 1) with a small
counterexample; claims about functions with kinks may be inconclusive (exit 3) but a wrong one is
never verified. The command runs in-process through ``derivations.cli.main``.
"""

from __future__ import annotations

import json

import pytest

from derivations import cli

from .checker_corpus import INCONCLUSIVE_OK, TRUE, WRONG, WRONG_NONSMOOTH, Case, G

KINDS = ("gradient", "jacobian", "hessian", "directional")


def check(argv, capsys):
    code = cli.main([*argv, "--json"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, (json.loads(captured.out) if captured.out.strip() else None), captured.err


def test_corpus_sizes_and_kinds():
    assert len(TRUE) >= 40 and len(WRONG) >= 40
    for corpus in (TRUE, WRONG):
        assert {c.kind for c in corpus} == set(KINDS)
    ids = [(c.kind, c.name) for c in TRUE + WRONG]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("case", TRUE, ids=lambda c: f"{c.kind}-{c.name}")
def test_true_claims_are_verified(case: Case, capsys):
    code, out, err = check(case.argv(), capsys)
    assert code == 0, f"{case.name}: exit {code}: {err or out['reason']}"
    assert out["verdict"] == "verified"
    assert out["counterexample"] is None
    statuses = {layer["layer"]: layer["status"] for layer in out["layers"]}
    # a proof (symbolic simplification, or the exact identity test with its error bound) and
    # no layer against it
    assert statuses.get("symbolic") == "pass" or statuses.get("identity") == "pass", statuses
    assert not {"fail", "undecided"} & set(statuses.values()), statuses


@pytest.mark.parametrize("case", WRONG, ids=lambda c: f"{c.kind}-{c.name}")
def test_wrong_claims_are_refuted_with_a_counterexample(case: Case, capsys):
    code, out, err = check(case.argv(), capsys)
    assert code == 1, f"{case.name}: exit {code}: {err or out['reason']}"
    assert out["verdict"] == "refuted"
    cx = out["counterexample"]
    assert cx, out
    if cx["source"] == "shape":
        assert "shape" in cx["shape"]
        return
    assert cx["source"] == "minimised", cx
    assert {
        "dimensions",
        "point",
        "direction",
        "claimed",
        "numeric",
        "relative_discrepancy",
    } <= set(cx)
    # the smallest sizes: every named dimension at 2 or 3 (the engine starts at 2)
    assert all(v <= 3 for v in cx["dimensions"].values()), cx["dimensions"]
    assert cx["relative_discrepancy"] > 1e-3
    assert cx["claimed"] != cx["numeric"]
    assert cx["table"], cx


@pytest.mark.parametrize("case", INCONCLUSIVE_OK, ids=lambda c: c.name)
def test_kinks_right_almost_everywhere_are_never_refuted(case: Case, capsys):
    code, out, _ = check(case.argv(), capsys)
    assert code in (0, 3), out
    if code == 3:
        assert out["reason"].startswith("could not decide")


@pytest.mark.parametrize("case", WRONG_NONSMOOTH, ids=lambda c: c.name)
def test_kinks_wrong_are_never_verified(case: Case, capsys):
    code, out, _ = check(case.argv(), capsys)
    assert code in (1, 3), out


# ------------------------------------------------------------------------- the report itself


def test_counterexample_is_small_and_short(capsys):
    argv = [
        "check",
        "--f",
        "x @ A @ x",
        "--wrt",
        "x",
        "--claimed",
        "2 * A @ x",
        "--var",
        "x=n",
        "--var",
        "A=n,n",
    ]
    code, out, _ = check(argv, capsys)
    assert code == 1
    cx = out["counterexample"]
    assert cx["dimensions"] == {"n": 2}
    numbers = [v for row in cx["point"]["A"] for v in row] + list(cx["point"]["x"])
    assert all(len(str(v)) <= 6 for v in numbers), numbers
    assert cx["direction"] == {"x": [1, 0]} or cx["direction"] == {"x": [0, 1]}
    worst = cx["table"][0]
    assert worst["entry"] == cx["entry"]
    assert worst["claimed"] == cx["claimed"] and worst["true"] == cx["true"]
    assert abs(cx["numeric"] - cx["true"]) <= 1e-4 * max(1, abs(cx["true"]))


def test_json_carries_seed_layers_and_request(capsys):
    argv = [
        "check",
        "--f",
        "np.trace(A @ X)",
        "--wrt",
        "X",
        "--claimed",
        "A",
        "--var",
        "X=n,n",
        "--var",
        "A=n,n",
        "--seed",
        "7",
    ]
    code, out, _ = check(argv, capsys)
    assert code == 1
    assert out["seed"] == 7 and out["exit_status"] == 1
    assert out["variables"] == {"X": "(n, n)", "A": "(n, n)"}
    # the identity test refutes first; the layers it makes unnecessary are listed as skipped
    assert out["layers"][0]["layer"] == "identity"
    assert {"identity", "symbolic", "exact"} <= {x["layer"] for x in out["layers"]}
    assert out["counterexample"]["dimensions"] == {"n": 2}


def test_seed_changes_points_not_verdicts(capsys):
    case = TRUE[0]
    verdicts = set()
    for seed in ("1", "2"):
        code, out, _ = check([*case.argv(), "--seed", seed], capsys)
        verdicts.add((code, out["verdict"]))
    assert verdicts == {(0, "verified")}


def test_wrong_shape_is_a_refutation_that_says_so(capsys):
    argv = ["check", "--f", "x @ x", "--wrt", "x", "--claimed", "2 * x.T", "--var", "x=n"]
    code, out, _ = check(argv, capsys)
    assert code == 1
    assert "row of shape (1, n)" in out["reason"] and "transpose" in out["reason"]
    assert out["counterexample"]["required_shape"] == "(n,)"


def test_claimed_undefined_for_rectangular_shapes_is_refuted(capsys):
    argv = [
        "check",
        "--f",
        "np.linalg.norm(A @ x - b) ** 2",
        "--wrt",
        "x",
        "--claimed",
        "2 * A @ (A @ x - b)",
        "--var",
        "x=n",
        "--var",
        "A=m,n",
        "--var",
        "b=m",
    ]
    code, out, _ = check(argv, capsys)
    assert code == 1
    assert "inner dimensions n and m differ" in out["reason"]


def test_text_output_and_exit_codes(capsys):
    ok = ["check", "--f", "x @ x", "--wrt", "x", "--claimed", "2 * x", "--var", "x=n"]
    assert cli.main(ok) == 0
    assert capsys.readouterr().out.startswith("verified:")
    bad = ["check", "--f", "x @ x", "--wrt", "x", "--claimed", "x", "--var", "x=n"]
    assert cli.main(bad) == 1
    text = capsys.readouterr().out
    assert text.startswith("refuted:") and "smallest size that fails: n=2" in text


def test_leading_minus_in_an_expression_is_a_value_not_an_option(capsys):
    argv = [
        "check",
        "--f",
        "-np.sum(p * np.log(p))",
        "--wrt",
        "p",
        "--claimed",
        "-np.log(p)",
        "--var",
        "p=n",
        "--assume",
        "p=probability",
    ]
    code, _, err = check(argv, capsys)
    assert code == 1, err


def test_inconclusive_says_why_after_a_time_limit(capsys):
    import sympy.core.cache

    # sympy's global cache, warm from earlier tests, can finish this check inside 0.05 s
    sympy.core.cache.clear_cache()
    # exp(x + y) = exp(x) exp(y): a relation the identity test does not know, so the answer
    # needs the symbolic layer, which a time limit of 0.05 s cuts short
    case = G("exp_of_sum", "np.sum(np.exp(x + y) * np.tanh(x))", "x",
             "np.exp(x) * np.exp(y) * np.tanh(x) + np.exp(x + y) * (1 - np.tanh(x) ** 2)",
             "x=n", "y=n")  # fmt: skip
    code, out, _ = check([*case.argv(), "--time-limit", "0.05"], capsys)
    assert code == 3
    assert "time limit" in out["reason"]
    assert all(x["status"] != "fail" for x in out["layers"])


def test_a_time_limit_still_refutes_a_wrong_claim(capsys):
    case = next(c for c in WRONG if c.name == "logdet_no_transpose")
    code, out, _ = check([*case.argv(), "--time-limit", "0.01"], capsys)
    assert code == 1, out["reason"]


def test_disagreeing_layers_are_reported_not_hidden(capsys, monkeypatch):
    from derivations.engine import numeric
    from derivations.engine.report import LayerResult

    def failing(claim, salt=""):
        return LayerResult(
            layer="numeric",
            status="fail",
            detail="forced for the test",
            counterexample={"dims": "n=2"},
        )

    monkeypatch.setattr(numeric, "check", failing)
    case = TRUE[0]
    code, out, _ = check(case.argv(), capsys)
    assert code == 3
    assert "disagree" in out["reason"]
