"""Evidence runs over every claim, in parallel: mutation testing and seed sweeps.

    python -m derivations mutants [IDS] [--json]     (make mutants)
    python -m derivations sweep --seeds K [IDS] [--json]

Both print progress, a summary per module and overall, and exit non-zero when a mutant survives
or a correct claim flakes. ``verify_topic`` is the lab pages' verification cell: it hands the
engine the verdicts a site build stored for the same sources (the engine never looks for them).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from . import catalogue
from .engine.verify import verify
from .engine.verify import verify_topic as engine_verify_topic
from .mutants import classify, mutate

_REGISTRY = None


def _init() -> None:
    global _REGISTRY
    if _REGISTRY is None:  # forked workers inherit a registry the parent set
        _REGISTRY = catalogue.load_claims()


def _mutants_of(claim_id: str) -> list[dict]:
    claim = _REGISTRY[claim_id]
    return [classify(claim, m) for m in mutate(claim)]


def _sweep_claim(task) -> list[dict]:
    """Every seed of one claim; its seed-independent symbolic layer is computed once."""
    claim_id, salts = task
    claim = _REGISTRY[claim_id]
    first = verify(claim, salt=salts[0])
    symbolic_layer = next((r for r in first.layers if r.layer == "symbolic"), None)
    rows = []
    for salt in salts:
        result = first if salt == salts[0] else verify(claim, salt, symbolic_layer)
        rows.append(
            {
                "claim": claim_id,
                "salt": salt,
                "verdict": result.verdict,
                "expected": claim.expected,
                "reason": result.reason,
                "seconds": round(result.seconds, 3),
            }
        )
    return rows


def _verify_one(task):
    claim_id, salt = task
    return verify(_REGISTRY[claim_id], salt=salt)


def _pool(processes: int | None, registry=None):
    global _REGISTRY
    _REGISTRY = registry  # inherited by the forked workers; None makes them load the catalogue
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


def build_verdicts() -> dict:
    """The results a site build stored for these exact sources, or {} outside a build.

    The build names its verdict directory in ``DERIVATIONS_VERDICTS`` (hooks/labs.py); the file
    there is named by the hash of every source (``catalogue.source_fingerprint``), so verdicts of
    other sources are never reused.
    """
    directory = os.environ.get("DERIVATIONS_VERDICTS")
    if not directory:
        return {}
    path = Path(directory) / f"{catalogue.source_fingerprint()}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def verify_topic(topic: str) -> dict[str, str]:
    """A lab page's verification cell: every claim of ``topic``, reusing the verdicts the site
    build has just computed for the same sources, verifying the rest (all of them, when a reader
    runs the lab)."""
    return engine_verify_topic(topic, stored=build_verdicts())


def run_mutants(ids: list[str], processes: int | None = None, progress=True) -> dict:
    start = time.perf_counter()
    rows: list[dict] = []
    with _pool(processes) as pool:
        for k, result in enumerate(pool.imap_unordered(_mutants_of, ids), 1):
            rows.extend(result)
            if progress:
                print(
                    f"[{k:>3}/{len(ids)}] mutated {result[0]['claim'] if result else ''}",
                    file=sys.stderr,
                    flush=True,
                )
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


def run_sweep(
    ids: list[str], seeds: int, processes: int | None = None, progress=True, registry=None
) -> dict:
    start = time.perf_counter()
    salts = [f"sweep-{k}" for k in range(seeds)]
    flakes, counts = [], Counter()
    with _pool(processes, registry) as pool:
        done = pool.imap_unordered(_sweep_claim, [(claim_id, salts) for claim_id in ids])
        for k, rows in enumerate(done, 1):
            for row in rows:
                counts[row["verdict"]] += 1
                if row["verdict"] != row["expected"]:
                    flakes.append(row)
            if progress:
                print(
                    f"[{k:>3}/{len(ids)}] {rows[0]['claim']}: {seeds} seeds, "
                    f"{len(flakes)} flakes so far ({time.perf_counter() - start:.0f}s)",
                    file=sys.stderr,
                    flush=True,
                )
    return {
        "claims": len(ids),
        "seeds": seeds,
        "checks": len(ids) * seeds,
        "verdicts": dict(counts),
        "flakes": flakes,
        "seconds": round(time.perf_counter() - start, 1),
    }
