"""Hostile and malformed input to ``python -m derivations check``: exit 2, one clear line.

No traceback, no side effect, no evaluation of the user's text: the parser only ever asks
Python for a syntax tree (``compile`` with ``PyCF_ONLY_AST`` through ``ast.parse``).
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from derivations import cli
from derivations.checker import spec
from derivations.checker.parser import CheckError

from .checker_corpus import HOSTILE
from .conftest import ROOT


def test_hostile_corpus_size():
    assert len(HOSTILE) >= 25


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_gets_exit_2_and_one_line(name, capsys):
    code = cli.main(list(HOSTILE[name]))
    captured = capsys.readouterr()
    assert code == 2, (name, captured.out[:300])
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("error: ") and len(lines[0]) > len("error: ") + 10
    assert "Traceback" not in captured.err


def test_errors_name_the_option_and_the_column(capsys):
    argv = ["check", "--f", "x @ x + y", "--wrt", "x", "--claimed", "2 * x", "--var", "x=n"]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "--f" in err and "column 9" in err and "`y`" in err


def test_shape_mismatch_in_f_names_the_subexpression(capsys):
    argv = [
        "check",
        "--f",
        "np.sum(np.exp(A @ x))",
        "--wrt",
        "x",
        "--claimed",
        "x",
        "--var",
        "x=n",
        "--var",
        "A=n,m",
    ]
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert "`A @ x`" in err and "inner dimensions m and n differ" in err


def test_no_side_effects(tmp_path, capsys):
    target = tmp_path / "pwned"
    for text in (
        f"__import__('os').system('touch {target}')",
        f"open('{target}', 'w')",
        f"np.save('{target}', x)",
    ):
        argv = ["check", "--f", text, "--wrt", "x", "--claimed", "x", "--var", "x=n"]
        assert cli.main(argv) == 2
    capsys.readouterr()
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_user_text_is_only_ever_parsed_never_evaluated(monkeypatch):
    """eval/exec are poisoned; compile may only produce syntax trees."""
    real_compile = builtins.compile

    def ast_only(source, filename, mode, flags=0, *args, **kwargs):
        assert flags & ast.PyCF_ONLY_AST, "compile was asked for code, not a syntax tree"
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    def poisoned(*args, **kwargs):
        raise AssertionError("eval/exec called")

    monkeypatch.setattr(builtins, "compile", ast_only)
    monkeypatch.setattr(builtins, "eval", poisoned)
    monkeypatch.setattr(builtins, "exec", poisoned)
    for argv in HOSTILE.values():
        args = dict(zip(argv[1::2], argv[2::2], strict=False))
        with contextlib.suppress(CheckError):
            spec.build(
                f=args.get("--f", "x"),
                claimed=args.get("--claimed", "x"),
                wrt=args.get("--wrt", "x"),
                var=[args.get("--var", "x=n")],
                kind=args.get("--kind", "gradient"),
                at=[args["--at"]] if "--at" in args else None,
                side=args.get("--side"),
            )
    problem = spec.build(f="x @ A @ x", claimed="(A + A.T) @ x", wrt="x", var=["x=n", "A=n,n"])
    assert problem.shape_error is None


def test_the_checker_never_calls_evaluating_parsers():
    """No eval/exec/compile and no sympy parsing of strings anywhere in the checker's source."""
    pattern = re.compile(r"\b(eval|exec|parse_expr|sympify|S)\(|(?<!re\.)\bcompile\(")
    for path in sorted((ROOT / "derivations" / "checker").glob("*.py")):
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            assert not pattern.search(line), f"{path.name}:{k}: {line.strip()}"


SUBPROCESS_CASES = {
    "import_call": HOSTILE["import_call"],
    "dunder_attribute": HOSTILE["dunder_attribute"],
    "deep_unary": HOSTILE["deep_unary"],
    "huge_integer": HOSTILE["huge_integer"],
    "long_input": [
        "check",
        "--f",
        "x @ x + " * 12_000 + "x @ x",
        "--wrt",
        "x",
        "--claimed",
        "2 * x",
        "--var",
        "x=n",
    ],
    "bad_kind": HOSTILE["unknown_kind"],
}


@pytest.mark.parametrize("name", sorted(SUBPROCESS_CASES))
def test_no_traceback_from_a_real_process(name):
    proc = subprocess.run(
        [sys.executable, "-m", "derivations", *SUBPROCESS_CASES[name]],
        cwd=Path(ROOT),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert len(proc.stderr.strip().splitlines()) == 1


NUMBER_CASES = {
    "too_many_digits": "0." + "7" * 31 + " * (x @ x)",
    "hundreds_of_digits": "0." + "1" * 400 + " * (x @ x)",
    "tiny_literal": "1e-40 * (x @ x)",
    "long_decimals_multiplied": " * ".join(["0." + "3" * 30] * 4) + " * (x @ x)",
}


@pytest.mark.parametrize("name", sorted(NUMBER_CASES))
def test_decimals_past_the_limits_get_exit_2_and_one_line(name, capsys):
    argv = ["check", "--f", NUMBER_CASES[name], "--wrt", "x", "--claimed", "2 * x", "--var", "x=n"]
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: in --f at column ")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input_with_json_gets_a_json_error(name, capsys):
    code = cli.main([*HOSTILE[name], "--json"])
    captured = capsys.readouterr()
    assert code == 2
    error = json.loads(captured.out)
    assert error == {"verdict": "bad-input", "exit_status": 2, "error": error["error"]}
    assert captured.err == f"error: {error['error']}\n"


def test_the_time_limit_really_stops_a_long_call_in_c():
    """``sum(range(...))`` runs in C: a signal handler would only run after it (minutes).
    The guard kills the forked child at the limit instead."""
    from derivations.checker.command import TimeLimit, limited

    start = time.perf_counter()
    with pytest.raises(TimeLimit):
        limited(lambda: sum(range(10**11)), 0.5)
    assert time.perf_counter() - start < 10  # not the minutes the sum would take
    assert limited(lambda: 6 * 7, 5) == 42
    with pytest.raises(ZeroDivisionError):
        limited(lambda: 1 / 0, 5)
