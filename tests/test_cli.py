"""The command line: list/verify/show output shapes, exit codes, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from derivations import cli, load_claims
from derivations.engine import REGISTRY, claim, dim, vector

from .conftest import ROOT


def run(argv, capsys):
    code = cli.main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_json_entries_carry_the_documented_fields(capsys):
    code, out, _ = run(["list", "--json"], capsys)
    assert code == 0
    rows = json.loads(out)
    assert isinstance(rows, list) and len(rows) >= 10
    for row in rows:
        assert {"id", "title", "kind", "refs", "url"} <= set(row)
        assert row["url"].endswith(f"#{row['id']}"), row
        assert row["refs"], row


def test_verify_json_schema_and_exit_status(capsys):
    code, out, _ = run(
        ["verify", "--json", "gradients.quadratic_form", "gradients.pitfall_quadratic_form_2xw"],
        capsys,
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"claims", "summary"}
    first, pit = data["claims"]
    assert {"id", "verdict", "expected", "seconds", "evidence"} <= set(first)
    assert first["verdict"] == first["expected"] == "verified"
    assert pit["verdict"] == pit["expected"] == "refuted"
    assert pit["evidence"]["counterexample"] is not None
    assert data["summary"]["total"] == 2 and data["summary"]["unexpected"] == []


def test_verify_exits_nonzero_when_a_verdict_is_unexpected(capsys):
    load_claims()
    n = dim("n")
    x = vector("x", n)
    bad = claim("fixture.cli_wrong", "wrong", kind="gradient", f=x.T @ x, wrt=x, claimed=x)
    try:
        code, _, err = run(["verify", bad.id], capsys)
    finally:
        REGISTRY._claims.pop(bad.id)
    assert code == 1
    assert "fixture.cli_wrong" in err and "counterexample" in err


def test_human_output_shows_progress(capsys):
    code, _, err = run(["verify", "gradients.linear_form", "gradients.squared_norm"], capsys)
    assert code == 0
    assert "[  1/2]" in err and "[  2/2]" in err


def test_show_prints_statement_refs_and_page(capsys):
    code, out, _ = run(["show", "gradients.quadratic_form"], capsys)
    assert code == 0
    assert r"\left(X + X^\top\right) w" in out
    assert "S0-10" in out and "chapters/gradients/#gradients.quadratic_form" in out


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["verify", "no.such_claim"], "unknown claim id 'no.such_claim'"),
        (["show", "nope.nope"], "unknown claim id"),
        (["verify", "--frobnicate"], "unrecognized arguments"),
        (["launch"], "invalid choice"),
        ([], "required"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(argv, needle, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and needle in err


def test_bad_input_via_subprocess_has_no_traceback():
    proc = subprocess.run(
        [sys.executable, "-m", "derivations", "verify", "x.y"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("error: ")


def test_output_piped_into_head_ends_without_a_traceback():
    proc = subprocess.run(
        f"'{sys.executable}' -m derivations list | head -1",
        shell=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.stdout.count("\n") == 1
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr
