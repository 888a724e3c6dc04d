"""Latency of ``python -m derivations check`` on a fixed list of checks.

    .venv/bin/python bench/checker_latency.py [--repeat N]

Runs each check as a user does, in a fresh process, beside the cost of importing sympy and numpy
alone (the floor) measured in the same run; prints every timing, the median, 90th and 95th
percentiles and the maximum, above the floor too, and writes build/checker_bench.json. The
checks are the list below and the test corpora (tests/checker_corpus.py). Nothing here asserts a
time: the numbers are for reading.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SOFTMAX = "np.exp(x) / np.sum(np.exp(x))"

CHECKS: list[tuple[str, list[str]]] = [
    ("quadratic form", ["--f", "x @ A @ x", "--wrt", "x", "--claimed", "(A + A.T) @ x",
                        "--var", "x=n", "--var", "A=n,n"]),
    ("quadratic form 2Ax (wrong)", ["--f", "x @ A @ x", "--wrt", "x", "--claimed", "2 * A @ x",
                                    "--var", "x=n", "--var", "A=n,n"]),
    ("least squares", ["--f", "np.linalg.norm(A @ x - b) ** 2", "--wrt", "x", "--claimed",
                       "2 * A.T @ (A @ x - b)", "--var", "x=n", "--var", "A=m,n", "--var",
                       "b=m"]),
    ("least squares no 2 (wrong)", ["--f", "np.linalg.norm(A @ x - b) ** 2", "--wrt", "x",
                                    "--claimed", "A.T @ (A @ x - b)", "--var", "x=n", "--var",
                                    "A=m,n", "--var", "b=m"]),
    ("logsumexp", ["--f", "np.log(np.sum(np.exp(x)))", "--wrt", "x", "--claimed", SOFTMAX,
                   "--var", "x=n"]),
    ("logistic loss", ["--f", "np.sum(np.log(1 + np.exp(-y * (X @ w))))", "--wrt", "w",
                       "--claimed", "-X.T @ (y / (1 + np.exp(y * (X @ w))))", "--var", "w=n",
                       "--var", "X=m,n", "--var", "y=m"]),
    ("trace AX", ["--f", "np.trace(A @ X)", "--wrt", "X", "--claimed", "A.T", "--var", "X=n,n",
                  "--var", "A=n,n"]),
    ("trace AX = A (wrong)", ["--f", "np.trace(A @ X)", "--wrt", "X", "--claimed", "A",
                              "--var", "X=n,n", "--var", "A=n,n"]),
    ("log det", ["--f", "np.linalg.slogdet(X)[1]", "--wrt", "X", "--claimed",
                 "np.linalg.inv(X).T", "--var", "X=n,n"]),
    ("log det no transpose (wrong)", ["--f", "np.linalg.slogdet(X)[1]", "--wrt", "X",
                                      "--claimed", "np.linalg.inv(X)", "--var", "X=n,n"]),
    ("matrix least squares", ["--f", "0.5 * np.linalg.norm(X @ W - Y) ** 2", "--wrt", "W",
                              "--claimed", "X.T @ (X @ W - Y)", "--var", "W=n,k", "--var",
                              "X=m,n", "--var", "Y=m,k"]),
    ("softmax Jacobian", ["--f", SOFTMAX, "--wrt", "x", "--claimed",
                          f"np.diag({SOFTMAX}) - np.outer({SOFTMAX}, {SOFTMAX})", "--var", "x=n",
                          "--kind", "jacobian"]),
    ("tanh layer Jacobian", ["--f", "np.tanh(W @ x)", "--wrt", "x", "--claimed",
                             "np.diag(1 - np.tanh(W @ x) ** 2) @ W", "--var", "W=m,n", "--var",
                             "x=n", "--kind", "jacobian"]),
    ("linear map Jacobian transposed (wrong)", ["--f", "A @ x", "--wrt", "x", "--claimed",
                                                "A.T", "--var", "A=n,n", "--var", "x=n",
                                                "--kind", "jacobian"]),
    ("quadratic Hessian", ["--f", "x @ A @ x", "--wrt", "x", "--claimed", "A + A.T", "--var",
                           "x=n", "--var", "A=n,n", "--kind", "hessian"]),
    ("logsumexp Hessian", ["--f", "np.log(np.sum(np.exp(x)))", "--wrt", "x", "--claimed",
                           f"np.diag({SOFTMAX}) - np.outer({SOFTMAX}, {SOFTMAX})", "--var",
                           "x=n", "--kind", "hessian"]),
    ("X @ X directional", ["--f", "X @ X", "--wrt", "X", "--claimed", "V @ X + X @ V", "--var",
                           "X=n,n", "--var", "V=n,n", "--kind", "directional", "--direction",
                           "V"]),
    ("X @ X directional 2XV (wrong)", ["--f", "X @ X", "--wrt", "X", "--claimed", "2 * X @ V",
                                       "--var", "X=n,n", "--var", "V=n,n", "--kind",
                                       "directional", "--direction", "V"]),
    ("det directional", ["--f", "np.linalg.det(X)", "--wrt", "X", "--claimed",
                         "np.linalg.det(X) * np.trace(np.linalg.inv(X) @ V)", "--var", "X=n,n",
                         "--var", "V=n,n", "--kind", "directional", "--direction", "V"]),
    ("relu (kink: inconclusive)", ["--f", "np.sum(np.maximum(x, 0))", "--wrt", "x",
                                   "--claimed", "np.maximum(x, 0) / x", "--var", "x=n"]),
]


def run_one(args: list[str]) -> tuple[float, int]:
    """One check as a user runs it: a fresh ``python -m derivations check`` process."""
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "derivations", "check", *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)  # fmt: skip
    return time.perf_counter() - start, proc.returncode


def import_floor(runs: int = 5) -> float:
    """What ``python -c "import sympy, numpy"`` costs on this machine, now (median)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sympy, numpy"], check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def corpus() -> list[tuple[str, list[str]]]:
    """The checks above, then the test corpora (right, wrong, ML families, decoys)."""
    from tests.checker_corpus import ML_TRUE, ML_WRONG, TRUE, WRONG

    cases = [(name, args) for name, args in CHECKS]
    for case in TRUE + WRONG + ML_TRUE + ML_WRONG:
        cases.append((f"{case.kind} {case.name}", case.argv()[1:]))
    return cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "build" / "checker_bench.json"))
    parser.add_argument("--quick", action="store_true", help="the 20 checks above only")
    args = parser.parse_args()
    floor = import_floor()
    print(f"floor: python -c 'import sympy, numpy' takes {floor:.3f}s", flush=True)
    rows, timings = [], []
    for name, check_args in CHECKS if args.quick else corpus():
        t, code = run_one(check_args)
        timings.append(t)
        rows.append({"name": name, "seconds": round(t, 4), "exit_status": code})
        print(f"{t:7.3f}s  exit {code}  {name}", flush=True)
    above = [t - floor for t in timings]
    summary = {
        "checks": len(rows),
        "floor_seconds": round(floor, 4),
        "median_seconds": round(statistics.median(timings), 4),
        "p90_seconds": round(percentile(timings, 0.9), 4),
        "p95_seconds": round(percentile(timings, 0.95), 4),
        "max_seconds": round(max(timings), 4),
        "median_above_floor_seconds": round(statistics.median(above), 4),
        "p95_above_floor_seconds": round(percentile(above, 0.95), 4),
        "inconclusive": sum(r["exit_status"] == 3 for r in rows),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    print(
        f"median {summary['median_seconds']:.3f}s ({summary['median_above_floor_seconds']:+.3f}s "
        f"over the floor), p95 {summary['p95_seconds']:.3f}s "
        f"({summary['p95_above_floor_seconds']:+.3f}s), max {summary['max_seconds']:.3f}s over "
        f"{len(rows)} checks; {summary['inconclusive']} inconclusive"
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"summary": summary, "checks": rows}, indent=1) + "\n",
                   encoding="utf-8")  # fmt: skip
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
