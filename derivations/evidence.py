"""Evidence runs over every claim, in parallel: mutation testing and seed sweeps.

    python -m derivations mutants [IDS] [--json]     (make mutants)
    python -m derivations sweep --seeds K [IDS] [--json]

Both print progress, a summary per module and overall, and exit non-zero when a mutant survives
or a correct claim flakes.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from collections import Counter, defaultdict

from . import catalogue
from .engine.verify import verify
from .mutants import classify, mutate

_REGISTRY = None


def _init() -> None:
    global _REGISTRY
    if _REGISTRY is None:  # forked workers inherit a registry the parent set
        _REGISTRY = catalogue.load_claims()


def _mutants_of(claim_id: str) -> list[dict]:
    claim = _REGISTRY[claim_id]
    return [classify(claim, m) for m in mutate(claim)]


def _sweep_one(task) -> dict:
    claim_id, salt = task
    claim = _REGISTRY[claim_id]
    result = verify(claim, salt=salt)
    return {"claim": claim_id, "salt": salt, "verdict": result.verdict,
            "expected": claim.expected, "reason": result.reason,
            "seconds": round(result.seconds, 3)}


def _verify_one(task):
    claim_id, salt = task
    return verify(_REGISTRY[claim_id], salt=salt)


def _pool(processes: int | None, registry=None):
    global _REGISTRY
    if registry is not None:
        _REGISTRY = registry
    processes = processes or min(os.cpu_count() or 1, 8)
    return multiprocessing.get_context("fork").Pool(processes, initializer=_init)


def verify_many(registry, ids: list[str], salt: str = "", processes: int | None = None):
    """Results in the order of ``ids``, computed on every core (in-process for one claim)."""
    processes = processes or min(os.cpu_count() or 1, 8)
    if processes == 1 or len(ids) < 2:
        for claim_id in ids:
            yield verify(registry[claim_id], salt=salt)
        return
    with _pool(processes, registry) as pool:
        yield from pool.imap(_verify_one, [(claim_id, salt) for claim_id in ids])


def run_mutants(ids: list[str], processes: int | None = None, progress=True) -> dict:
    start = time.perf_counter()
    rows: list[dict] = []
    with _pool(processes) as pool:
        for k, result in enumerate(pool.imap_unordered(_mutants_of, ids), 1):
            rows.extend(result)
            if progress:
                print(f"[{k:>3}/{len(ids)}] mutated {result[0]['claim'] if result else ''}",
                      file=sys.stderr, flush=True)
    per_module: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        per_module[row["claim"].split(".")[0]][row["status"]] += 1
    total = Counter(row["status"] for row in rows)
    return {
        "mutants": rows,
        "per_module": {m: dict(c) for m, c in sorted(per_module.items())},
        "total": dict(total),
        "survivors": [r for r in rows if r["status"] == "survived"],
        "seconds": round(time.perf_counter() - start, 1),
    }


def run_sweep(ids: list[str], seeds: int, processes: int | None = None, progress=True) -> dict:
    start = time.perf_counter()
    tasks = [(claim_id, f"sweep-{k}") for claim_id in ids for k in range(seeds)]
    flakes, counts = [], Counter()
    with _pool(processes) as pool:
        for k, row in enumerate(pool.imap_unordered(_sweep_one, tasks, chunksize=4), 1):
            counts[row["verdict"]] += 1
            if row["verdict"] != row["expected"]:
                flakes.append(row)
            if progress and (k % 200 == 0 or k == len(tasks)):
                print(f"[{k:>6}/{len(tasks)}] {len(flakes)} flakes so far", file=sys.stderr,
                      flush=True)
    return {"claims": len(ids), "seeds": seeds, "checks": len(tasks), "verdicts": dict(counts),
            "flakes": flakes, "seconds": round(time.perf_counter() - start, 1)}
