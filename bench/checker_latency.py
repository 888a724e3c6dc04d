"""Latency of ``python -m derivations check`` on a fixed list of checks.

    .venv/bin/python bench/checker_latency.py [--repeat N]

Runs each check in-process (after one warm-up check, so imports are not counted), prints every
timing, the median and the 90th percentile, and writes build/checker_bench.json. Nothing here
asserts a time: the numbers are for reading.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from derivations import cli  # noqa: E402

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
    out, err = io.StringIO(), io.StringIO()
    start = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["check", *args])
    return time.perf_counter() - start, code


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * q
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per check (default 1)")
    parser.add_argument("--out", default=str(ROOT / "build" / "checker_bench.json"))
    args = parser.parse_args()
    run_one(CHECKS[0][1])  # warm-up: imports and sympy caches of first use
    rows, timings = [], []
    for name, check_args in CHECKS:
        seconds = []
        for _ in range(args.repeat):
            t, code = run_one(check_args)
            seconds.append(t)
        best = statistics.median(seconds)
        timings.append(best)
        rows.append({"name": name, "seconds": round(best, 4), "exit_status": code})
        print(f"{best:7.3f}s  exit {code}  {name}", flush=True)
    summary = {
        "checks": len(rows),
        "median_seconds": round(statistics.median(timings), 4),
        "p90_seconds": round(percentile(timings, 0.9), 4),
        "max_seconds": round(max(timings), 4),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    print(f"median {summary['median_seconds']:.3f}s, p90 {summary['p90_seconds']:.3f}s, "
          f"max {summary['max_seconds']:.3f}s over {len(rows)} checks")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"summary": summary, "checks": rows}, indent=1) + "\n",
                   encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
