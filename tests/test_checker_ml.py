"""The checker on the derivatives ML people write (issue 12): decisive, and the same verdict on a
busy machine as on a quiet one.

Right answers are verified (none inconclusive for lack of time), wrong ones refuted, decoys that
use a dimension name as a number included. Timings are measured by ``make bench``
(bench/checker_latency.py), never asserted here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from derivations import cli

from .checker_corpus import ML_TRUE, ML_WRONG, Case


def _verdict(case: Case, capsys) -> dict:
    code = cli.main([*case.argv(), "--json"])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    out = json.loads(captured.out)
    assert out["exit_status"] == code
    return out


@pytest.mark.parametrize("case", ML_TRUE, ids=lambda c: c.name)
def test_right_ml_derivatives_are_verified(case: Case, capsys):
    out = _verdict(case, capsys)
    assert out["verdict"] == "verified", out["reason"]
    statuses = {x["layer"]: x["status"] for x in out["layers"]}
    assert statuses.get("identity") == "pass" or statuses.get("symbolic") == "pass", statuses


@pytest.mark.parametrize("case", ML_WRONG, ids=lambda c: c.name)
def test_wrong_ml_derivatives_are_refuted(case: Case, capsys):
    out = _verdict(case, capsys)
    assert out["verdict"] == "refuted", out["reason"]
    assert out["counterexample"], out


_BUSY = "import time\nend = time.time() + 120\nwhile time.time() < end:\n    pass\n"


def _all_verdicts(capsys) -> list[str]:
    return [_verdict(case, capsys)["verdict"] for case in ML_TRUE + ML_WRONG]


def test_the_same_verdicts_with_both_cores_busy(capsys):
    quiet = _all_verdicts(capsys)
    hogs = [subprocess.Popen([sys.executable, "-c", _BUSY]) for _ in range(2)]
    try:
        busy = _all_verdicts(capsys)
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    assert busy == quiet
