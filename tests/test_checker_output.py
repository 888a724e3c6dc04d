"""What ``python -m derivations check`` reads and prints (issue 12): decimal constants taken
exactly, np.pi and np.e, a verdict that exact arithmetic alone can see, JSON for bad input, no
library warnings on the terminal, and one counterexample layout with exact values printed
exactly.
"""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction

import pytest
import sympy as sp

from derivations import cli
from derivations.checker import spec
from derivations.checker.command import format_text
from derivations.checker.lower import Symbols, lower
from derivations.checker.numbers import show
from derivations.checker.parser import CheckError
from derivations.engine import exact
from derivations.engine.report import LayerResult, combine

from .conftest import ROOT

GELU = "0.5 * x * (1 + np.tanh(0.7978845608 * (x + 0.044715 * x**3)))"
GELU_INNER = "np.tanh(0.7978845608 * (x + 0.044715 * x**3))"
GELU_DERIVATIVE = (
    f"0.5 * (1 + {GELU_INNER}) + 0.5 * x * (1 - {GELU_INNER} ** 2) * 0.7978845608 "
    "* (1 + 3 * 0.044715 * x**2)"
)


def check(argv: list[str], capsys) -> tuple[int, dict | None, str, str]:
    """Exit status, the JSON on stdout (None when there is none), the text of stdout, stderr."""
    code = cli.main(argv)
    captured = capsys.readouterr()
    try:
        data = json.loads(captured.out)
    except ValueError:
        data = None
    return code, data, captured.out, captured.err


def scalar_check(f: str, claimed: str, *extra: str) -> list[str]:
    return ["check", "--f", f, "--wrt", "x", "--claimed", claimed, "--var", "x=scalar", *extra]


def f_value(text: str, *var: str):
    problem = spec.build(f=text, claimed="x", wrt="x", var=list(var or ["x=scalar"]))
    return problem.f


# ------------------------------------------------------------------ 1. decimals, np.pi, np.e


def test_a_long_decimal_is_its_exact_value_not_a_double():
    node = f_value("0.7978845608 * x").args[0]
    assert node.value == Fraction(7978845608, 10**10)
    digits = "0.797884560802865355879892"  # 24 significant digits: more than a double holds
    node = f_value(f"{digits} * x").args[0]
    assert node.value == Fraction(797884560802865355879892, 10**24)
    assert node.value != Fraction(float(digits))


@pytest.mark.parametrize(
    "literal, value",
    [("1e-3", Fraction(1, 1000)), ("2.5E2", Fraction(250)), ("1_000.25", Fraction(4001, 4))],
)
def test_exponents_and_underscores_are_read_exactly(literal, value):
    assert f_value(f"{literal} * x").args[0].value == value


@pytest.mark.parametrize(
    "literal, needle",
    [
        ("0." + "1" * 31, "31 significant digits; the limit is 30"),
        ("1e-31", "smaller than 1e-30"),
    ],
)
def test_decimals_beyond_the_limits_are_refused_with_the_reason(literal, needle):
    with pytest.raises(CheckError, match=needle.replace(".", r"\.")):
        f_value(f"{literal} * x")


def test_thirty_significant_digits_are_accepted():
    literal = "0." + "1" * 30
    assert f_value(f"{literal} * x").args[0].value == Fraction(int("1" * 30), 10**30)


def test_np_pi_and_np_e_are_the_exact_constants():
    problem = spec.build(f="np.pi * x + np.e", claimed="x", wrt="x", var=["x=scalar"])
    value = lower(problem.f, Symbols(problem))
    assert value.has(sp.pi) and value.has(sp.E)
    assert not value.atoms(sp.Float)


def test_bare_e_is_euler_unless_a_variable_is_named_e():
    assert f_value("e * x").args[0].op == "const"
    declared = f_value("e * x", "x=scalar", "e=scalar").args[0]
    assert declared.op == "var" and declared.data == "e"
    assert f_value("pi * x").args[0].data == "pi"


def test_a_variable_named_pi_wins_over_the_constant():
    declared = f_value("pi @ pi + np.pi", "x=scalar", "pi=n")
    assert declared.args[0].args[0].op == "var"
    assert declared.args[1].op == "const" and declared.args[1].data == "pi"


def test_a_dimension_named_e_is_the_dimension():
    node = f_value("np.sum(x) * e", "x=e").args[1]
    assert node.op == "dim"


def test_gelu_tanh_form_with_its_decimal_constants_is_verified(capsys):
    code, out, _, err = check([*scalar_check(GELU, GELU_DERIVATIVE), "--json"], capsys)
    assert code == 0, (err, out and out["reason"])
    statuses = {x["layer"]: x["status"] for x in out["layers"]}
    assert statuses.get("identity") == "pass" or statuses.get("symbolic") == "pass", statuses
    assert not {"fail", "undecided"} & set(statuses.values()), statuses


def test_pi_written_as_a_decimal_is_refuted_by_exact_arithmetic(capsys):
    code, out, _, _ = check([*scalar_check("np.pi * x ** 2", "2 * 3.14159 * x"), "--json"], capsys)
    assert code == 1 and out["verdict"] == "refuted"
    statuses = {x["layer"]: x["status"] for x in out["layers"]}
    assert statuses["exact"] == "fail" and statuses["numeric"] == "pass"
    reason = out["reason"]
    assert reason.startswith("exact arithmetic shows the claimed derivative differs")
    assert "relative difference 8.4e-07, below floating-point tolerance" in reason
    assert reason.endswith("a decimal constant approximating an exact one (3.14159)?")
    layer = next(x for x in out["layers"] if x["layer"] == "exact")
    assert layer["proved_by"] == "interval arithmetic"


def test_two_decimals_differ_in_rational_arithmetic(capsys):
    code, out, _, _ = check(
        [*scalar_check("3.14159 * x ** 2", "2 * 3.1415926 * x"), "--json"], capsys
    )
    assert code == 1
    layer = next(x for x in out["layers"] if x["status"] == "fail")  # identity test or exact
    assert layer["counterexample"]["exact"] is True
    assert layer["proved_by"] == "rational arithmetic"


def test_no_mention_of_decimals_when_there_are_none(capsys):
    # 355/113 is within 8.5e-8 of pi: the numeric layer agrees, exact arithmetic does not
    code, out, _, _ = check(
        [*scalar_check("np.pi * x ** 2", "2 * (355 / 113) * x"), "--json"], capsys
    )
    assert code == 1
    assert out["reason"].startswith("exact arithmetic shows the claimed derivative differs")
    assert "decimal" not in out["reason"]


def test_problem_lists_its_decimal_literals_in_order():
    problem = spec.build(
        f="0.5 * x + 3.14159 * x ** 2 + 0xE", claimed="1e-3 + 0.5", wrt="x", var=["x=scalar"]
    )
    assert problem.decimals() == ["0.5", "3.14159", "1e-3"]


def _layer(name, status, **kw) -> LayerResult:
    return LayerResult(layer=name, status=status, **kw)


def test_combine_lets_only_a_proved_difference_overrule_a_numeric_pass():
    rational = {"dims": "scalar", "exact": True}
    fifty_digits = {"dims": "scalar", "exact": False}
    numeric = _layer("numeric", "pass", dims=["scalar"])
    symbolic = _layer("symbolic", "undecided")
    proved = _layer("exact", "fail", counterexample=rational, worst_relative_error=2.9e-7)
    verdict, reason = combine([symbolic, proved, numeric])
    assert verdict == "refuted"
    assert "relative difference 2.9e-07, below floating-point tolerance" in reason
    by_intervals = _layer(
        "exact", "fail", counterexample=fifty_digits, proved_by="interval arithmetic"
    )
    assert combine([symbolic, by_intervals, numeric])[0] == "refuted"
    unproved = _layer("exact", "fail", counterexample=fifty_digits)
    assert combine([symbolic, unproved, numeric])[0] == "inconclusive"
    # a symbolic proof of equality beside an exact difference is a contradiction, not a verdict
    symbolic_pass = _layer("symbolic", "pass", dims=["scalar"])
    assert combine([symbolic_pass, proved, numeric])[0] == "inconclusive"


def test_interval_arithmetic_proves_a_difference_and_never_an_equality():
    assert exact._interval_proof(sp.pi, sp.Rational(314159, 100000)) == "interval arithmetic"
    assert exact._interval_proof(sp.tanh(sp.Rational(1, 2)), sp.Rational(462117, 10**6))
    # equal values written differently: the enclosures overlap, so nothing is proved
    same = sp.tanh(1) ** 2 + 1 / sp.cosh(1) ** 2
    assert exact._interval_proof(same, sp.Integer(1)) is None
    assert exact._interval_proof(sp.pi, sp.pi) is None
    # what it cannot enclose rigorously, it does not claim
    assert exact._interval_proof(sp.gamma(sp.Rational(1, 3)), sp.Integer(3)) is None


# ------------------------------------------------------------------ 2. --json for bad input


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--f", "x @ x", "--wrt", "x", "--claimed", "x", "--var", "x=n", "--kind", "hess"],
        ["check", "--f", "x @ y", "--wrt", "x", "--claimed", "x", "--var", "x=n"],
        ["check", "--f", "x @ x", "--wrt", "x", "--var", "x=n"],  # argparse: --claimed missing
        ["check", "--f", "x @ x", "--wrt", "x", "--claimed", "x", "--var", "x=n", "--seed", "x"],
        ["check", "--f", "0." + "3" * 40, "--wrt", "x", "--claimed", "x", "--var", "x=n"],
    ],
)
def test_bad_input_with_json_is_a_json_error_and_one_line_on_stderr(argv, capsys):
    code, out, _, err = check([*argv, "--json"], capsys)
    assert code == 2
    assert out is not None, "stdout is not JSON"
    assert set(out) == {"verdict", "exit_status", "error"}
    assert out["verdict"] == "bad-input" and out["exit_status"] == 2
    assert err.count("\n") == 1 and err == f"error: {out['error']}\n"


def test_bad_input_without_json_keeps_stdout_empty(capsys):
    code, _, text, err = check(scalar_check("x @ y", "x"), capsys)
    assert code == 2 and text == "" and err.startswith("error: ")


def test_json_error_from_a_real_process_has_no_traceback():
    argv = ["check", "--f", "x ** 1000", "--wrt", "x", "--claimed", "x", "--var", "x=n", "--json"]
    proc = subprocess.run(
        [sys.executable, "-m", "derivations", *argv],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert json.loads(proc.stdout)["verdict"] == "bad-input"
    assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 1


# ------------------------------------------------------------------ 3. nothing but the verdict


def test_numpy_warnings_never_reach_the_terminal():
    """x ** 65536 overflows in double precision: numpy used to print a RuntimeWarning with its
    installation path."""
    argv = ["check", "--f", "np.sum(x ** (n ** 16))", "--wrt", "x", "--claimed", "x"]
    proc = subprocess.run(
        [sys.executable, "-m", "derivations", *argv, "--var", "x=n", "--var", "y=n"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode in (1, 3), proc.stdout + proc.stderr
    assert "Warning" not in proc.stderr and "Warning" not in proc.stdout
    assert "site-packages" not in proc.stderr + proc.stdout
    assert proc.stderr == ""


# ------------------------------------------------------------------ 4. one counterexample layout


@pytest.mark.parametrize(
    "value, shown",
    [
        (Fraction(5, 9), "5/9"),
        (sp.Rational(-5, 9), "-5/9"),
        (sp.Rational(1, 4), "0.25"),
        (Fraction(314159, 100000), "3.14159"),
        (sp.Integer(-3), "-3"),
        (5 / 9, "0.555556"),  # a double is never shown as a fraction
        (sp.pi / 2, "1.5708"),
    ],
)
def test_exact_values_print_exactly_and_others_to_six_digits(value, shown):
    assert show(value) == shown


def test_rounding_noise_prints_as_zero():
    assert show(1.3e-17, scale=2.0) == "0"
    assert show(sp.tanh(1) ** 2 + 1 / sp.cosh(1) ** 2 - 1, scale=1.0) == "0"
    assert show(1.3e-7, scale=2.0) == "1.3e-07"  # small, not noise


def test_a_counterexample_at_5_9_prints_5_9(capsys):
    code, _, text, _ = check(scalar_check("5 / 9 * x", "0.5"), capsys)
    assert code == 1
    assert "claimed 0.5, true 5/9" in text
    assert "0.555556" not in text.split("(finite differences")[0]


def test_exact_points_and_values_are_printed_as_fractions(capsys):
    argv = ["check", "--f", "np.sum(p ** 3)", "--wrt", "p", "--claimed", "2 * p ** 2"]
    argv += ["--var", "p=n", "--assume", "p=unit-interval"]
    code, out, _, _ = check([*argv, "--json"], capsys)
    assert code == 1
    cx = out["counterexample"]
    assert cx["source"] == "minimised" and cx["format"] == "exact"
    point = [Fraction(v) for v in cx["shown"]["point"]["p"]]
    assert all(v.denominator in (3, 9) for v in point)  # k/9 never ends as a decimal
    assert cx["shown"]["point"]["p"] == [f"{v.numerator}/{v.denominator}" for v in point]
    (i,) = cx["entry"]
    assert Fraction(cx["shown"]["claimed"]) == 2 * point[i] ** 2
    assert Fraction(cx["shown"]["true"]) == 3 * point[i] ** 2
    # the JSON numbers are kept (numbers, six digits) beside the exact text
    assert cx["true"] == pytest.approx(float(3 * point[i] ** 2), rel=1e-5)
    cli.main(argv)
    text = capsys.readouterr().out
    assert f"at p = [{', '.join(cx['shown']['point']['p'])}]" in text
    assert f"claimed {cx['shown']['claimed']}, true {cx['shown']['true']}" in text


def test_transcendental_values_are_marked_float(capsys):
    argv = ["check", "--f", "np.sum(np.exp(x))", "--wrt", "x", "--claimed", "x * np.exp(x)"]
    code, out, _, _ = check([*argv, "--var", "x=n", "--json"], capsys)
    assert code == 1 and out["counterexample"]["format"] == "float"


def test_a_refutation_by_the_exact_layer_alone_prints_like_a_minimised_one(capsys):
    argv = scalar_check("np.pi * x ** 2", "2 * 3.14159 * x")
    code, out, _, _ = check([*argv, "--json"], capsys)
    cx = out["counterexample"]
    assert code == 1 and cx["source"] == "exact"
    assert cx["shown"]["claimed"] == "3.14159"
    assert cx["shown"]["true"].startswith("3.1415926")  # digits enough to see the difference
    assert cli.main(argv) == 1
    text = capsys.readouterr().out
    assert "\n  at x = " in text
    assert "entry (the value): claimed 3.14159, true 3.1415926" in text
    assert "point: {" not in text and '"' not in text


def test_engine_counterexamples_print_in_the_same_layout():
    out = {
        "verdict": "refuted",
        "reason": "r",
        "seed": 0,
        "seconds": 0.1,
        "layers": [],
        "counterexample": {
            "source": "engine",
            "layer": "numeric",
            "dims": "n=2",
            "point": {"x": [-0.385835, -0.991244]},
            "direction": [-0.986883, -0.161437],
            "claimed": 0.540798,
            "numeric": -1.49295e-134,
            "relative_discrepancy": 1.0,
        },
    }
    text = format_text(out)
    assert "  at x = [-0.385835, -0.991244]" in text
    assert "claimed 0.540798, finite differences 0, relative discrepancy 1.0" in text
    assert "point: {" not in text and "e-134" not in text
    exact_layer = {
        "source": "engine",
        "layer": "exact",
        "dims": "scalar",
        "point": {"x": "1/3"},
        "claimed": "5/9",
        "derived": "2/3",
        "exact": True,
    }
    text = format_text({**out, "counterexample": exact_layer})
    assert "  at x = 1/3" in text and "claimed 5/9, true 2/3" in text
