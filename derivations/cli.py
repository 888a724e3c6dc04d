"""Command line: ``python -m derivations list | verify | show | check``.

Exit status: 0 when every verdict equals its claim's expectation, 1 when one does not, 2 on bad
input (one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from . import catalogue
from .checker import command as checker_command
from .engine import latex
from .engine.claims import Claim
from .engine.verify import verify


class UsageError(Exception):
    """Bad input from the user: reported on one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m derivations", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p_list = sub.add_parser("list", help="list every claim")
    p_list.add_argument("--json", action="store_true", help="print a JSON array")
    p_verify = sub.add_parser("verify", help="verify claims (all by default)")
    p_verify.add_argument("ids", nargs="*", metavar="ID")
    p_verify.add_argument("--json", action="store_true", help="print verdicts and evidence as JSON")
    p_verify.add_argument("--salt", default="", help="fresh random points (default: fixed seeds)")
    p_verify.add_argument(
        "--processes", type=int, default=None, help="worker processes (default: every core)"
    )
    p_show = sub.add_parser("show", help="show one claim: statement, refs, verdict")
    p_show.add_argument("id", metavar="ID")
    p_mut = sub.add_parser("mutants", help="mutation-test every verified claim")
    p_mut.add_argument("ids", nargs="*", metavar="ID")
    p_mut.add_argument("--json", action="store_true", help="print every mutant as JSON")
    p_mut.add_argument("--processes", type=int, default=None, help="worker processes")
    p_sweep = sub.add_parser("sweep", help="re-verify every claim with K fresh seeds")
    p_sweep.add_argument("ids", nargs="*", metavar="ID")
    p_sweep.add_argument("--seeds", type=int, default=20, help="fresh seeds per claim")
    p_sweep.add_argument("--json", action="store_true", help="print the sweep as JSON")
    p_sweep.add_argument("--processes", type=int, default=None, help="worker processes")
    p_stress = sub.add_parser(
        "stress", help="re-check claims at hard points (condition 1e8, scales 1e-6..1e6, kinks)"
    )
    p_stress.add_argument("--claims", metavar="PATTERN", help="glob or prefix of claim ids")
    p_stress.add_argument("--json", action="store_true", help="print the report as JSON")
    p_stress.add_argument("--processes", type=int, default=None, help="worker processes")
    p_lock = sub.add_parser("lock", help="update the stable-id snapshot (claims.lock.json)")
    p_lock.add_argument("--check", action="store_true", help="only report disagreements")
    p_lock.add_argument("--change", metavar="ID", help="accept a changed statement for ID")
    p_lock.add_argument("--retire", metavar="ID", help="retire ID (it must no longer exist)")
    p_lock.add_argument("--replaced-by", metavar="ID", help="the claim that replaces a retired one")
    p_lock.add_argument("--note", default="", help="why (required with --change and --retire)")
    p_formulas = sub.add_parser(
        "formulas", help="every math span of docs/ and the lab markdown, with its status"
    )
    p_formulas.add_argument("--json", action="store_true", help="print a JSON array of spans")
    p_formulas.add_argument("--page", help="only pages whose path contains this text")
    p_formulas.add_argument(
        "--update-reviews",
        action="store_true",
        help="add new hand-typed spans to derivations/formula_reviews/ as 'unchecked' "
        "and drop the ones that left their page (only pages matching --page, if given)",
    )
    p_check = sub.add_parser(
        "check",
        help="check your own derivative: verified, refuted or "
        "inconclusive (exit 0, 1, 3; 2 on bad input)",
    )
    checker_command.add_arguments(p_check)
    return parser


def claim_summary(claim: Claim, pages: dict[str, str]) -> dict:
    return {
        "id": claim.id,
        "title": claim.title,
        "kind": claim.kind,
        "refs": list(claim.refs),
        "url": catalogue.claim_url(claim.id, pages),
        "expected": claim.expected,
        "pitfall": claim.pitfall,
        "latex": latex.statement(claim),
        "module": claim.module,
    }


def _select(registry, ids: list[str]) -> list[Claim]:
    unknown = [i for i in ids if i not in registry]
    if unknown:
        raise UsageError(f"unknown claim id {unknown[0]!r} (see `python -m derivations list`)")
    return [registry[i] for i in ids] if ids else list(registry)


def cmd_list(args, registry) -> int:
    pages = catalogue.claim_pages()
    rows = [claim_summary(c, pages) for c in registry]
    if args.json:
        print(json.dumps(rows, indent=1, ensure_ascii=False))
    else:
        for r in rows:
            mark = " (pitfall)" if r["pitfall"] else ""
            print(f"{r['id']:<45} {r['kind']:<11} {r['title']}{mark}")
        print(f"{len(rows)} claims")
    return 0


def cmd_verify(args, registry) -> int:
    claims = _select(registry, args.ids)
    results = []
    start = time.perf_counter()
    from .evidence import verify_many

    ids = [c.id for c in claims]
    for k, (claim, result) in enumerate(
        zip(claims, verify_many(registry, ids, args.salt, args.processes), strict=True), 1
    ):
        results.append(result)
        if not args.json:
            flag = "ok " if result.ok else "BAD"
            print(
                f"[{k:>3}/{len(claims)}] {flag} {result.verdict:<12} {claim.id} "
                f"({result.seconds:.2f}s)",
                file=sys.stderr,
                flush=True,
            )
            if not result.ok:
                print(f"      expected {result.expected}: {result.reason}", file=sys.stderr)
                if result.counterexample:
                    print(
                        f"      counterexample: {json.dumps(result.counterexample)}",
                        file=sys.stderr,
                    )
    failures = [r for r in results if not r.ok]
    summary = {
        "total": len(results),
        "as_expected": len(results) - len(failures),
        "unexpected": [r.claim_id for r in failures],
        "verdicts": {
            v: sum(r.verdict == v for r in results) for v in ("verified", "refuted", "inconclusive")
        },
        "seconds": round(time.perf_counter() - start, 3),
    }
    if args.json:
        print(
            json.dumps(
                {"claims": [r.to_json() for r in results], "summary": summary},
                indent=1,
                ensure_ascii=False,
            )
        )
    else:
        print(
            f"{summary['as_expected']}/{summary['total']} claims as expected "
            f"in {summary['seconds']:.1f}s"
        )
    return 0 if not failures else 1


def cmd_show(args, registry) -> int:
    claim = _select(registry, [args.id])[0]
    pages = catalogue.claim_pages()
    result = verify(claim)
    print(f"{claim.id}: {claim.title}")
    print(f"  kind:      {claim.kind}  (expects {claim.expected})")
    print(f"  statement: {latex.statement(claim)}")
    for w in latex.where(claim):
        print(f"  where:     {w}")
    print(f"  domain:    {'; '.join(latex.domain(claim))}")
    print(f"  refs:      {', '.join(claim.refs) or '-'}")
    print(f"  page:      {catalogue.claim_url(claim.id, pages) or '(not on a page)'}")
    print(f"  verdict:   {result.verdict} ({result.reason})")
    if result.counterexample:
        print(f"  counterexample: {json.dumps(result.counterexample)}")
    return 0 if result.ok else 1


def cmd_mutants(args, registry) -> int:
    from .evidence import run_mutants

    ids = [c.id for c in _select(registry, args.ids) if not c.pitfall]
    report = run_mutants(ids, args.processes, progress=True)  # on stderr: JSON stays clean
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
    else:
        for module, counts in report["per_module"].items():
            print(f"{module:<22} " + "  ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        total = report["total"]
        print(
            f"{'overall':<22} "
            + "  ".join(f"{k} {v}" for k, v in sorted(total.items()))
            + f"  ({report['seconds']}s)"
        )
        for row in report["mutants"]:
            if row["status"] == "equivalent":
                print(f"  equivalent: {row['claim']}: {row['mutation']} ({row['reason']})")
        for row in report["survivors"]:
            print(f"  SURVIVED: {row['claim']}: {row['mutation']}: {row['reason']}")
    return 1 if report["survivors"] else 0


def cmd_sweep(args, registry) -> int:
    from .evidence import run_sweep

    if args.seeds < 1:
        raise UsageError("--seeds must be at least 1")
    ids = [c.id for c in _select(registry, args.ids)]
    report = run_sweep(ids, args.seeds, args.processes, progress=True)  # on stderr
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
    else:
        print(
            f"{report['checks']} checks ({report['claims']} claims × {report['seeds']} seeds) "
            f"in {report['seconds']}s: {report['verdicts']}; {len(report['flakes'])} flakes"
        )
        for row in report["flakes"]:
            print(f"  FLAKE {row['claim']} salt={row['salt']}: {row['verdict']} ({row['reason']})")
    return 1 if report["flakes"] else 0


def cmd_stress(args, registry) -> int:
    from .stress import print_report, run_stress, select

    ids = select(registry, args.claims)
    if not ids:
        raise UsageError(f"no claim id matches {args.claims!r} (see `python -m derivations list`)")
    report = run_stress(registry, ids, args.processes)
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False))
    else:
        print_report(report)
    if report["refuted_correct"]:
        count = len(report["refuted_correct"])
        print(f"error: {count} stressed checks refuted a correct claim", file=sys.stderr)
    return 1 if report["refuted_correct"] else 0


def cmd_lock(args, registry) -> int:
    from . import lock

    data = lock.read()
    version = lock.release_version()
    if args.check:
        issues = lock.problems(registry, data)
        for line in issues:
            print(line)
        return 1 if issues else 0
    if (args.change or args.retire) and not args.note.strip():
        raise UsageError("--change and --retire need --note saying why")
    if args.change:
        if args.change not in data["claims"] or args.change not in registry:
            raise UsageError(f"cannot --change {args.change!r}: it is not a locked, existing claim")
        lock.accept_change(registry, data, args.change, args.note, version)
    if args.retire:
        if args.retire in registry:
            raise UsageError(f"cannot retire {args.retire!r}: it is still declared")
        if args.replaced_by and args.replaced_by not in registry:
            raise UsageError(f"unknown replacement claim id {args.replaced_by!r}")
        page = None
        old = data["claims"].get(args.retire)
        if old is None:
            raise UsageError(f"cannot retire {args.retire!r}: it is not in the snapshot")
        page = old.get("page")
        lock.retire(data, args.retire, args.replaced_by, args.note, page, version)
    added = lock.add_new(registry, data, version)
    pages = catalogue.claim_pages()
    for entry_id, entry in data["claims"].items():
        if entry_id in pages:
            entry["page"] = pages[entry_id]
    lock.write(data)
    remaining = lock.problems(registry, data)
    print(
        f"snapshot: {len(data['claims'])} claims, {len(added)} added, "
        f"{len(data['retired'])} retired"
    )
    for line in remaining:
        print(line, file=sys.stderr)
    return 1 if remaining else 0


def cmd_formulas(args, registry) -> int:
    from . import formulas

    try:
        spans = formulas.inventory(registry)
        if args.update_reviews:
            pending = formulas.update_reviews(spans, args.page or "")
            for page, count in pending.items():
                if count:
                    print(f"{page}: {count} spans to review", file=sys.stderr)
            spans = formulas.inventory(registry)
        problems = formulas.review_problems(spans)
    except formulas.InventoryError as exc:
        raise UsageError(str(exc)) from exc
    if args.page:
        spans = [s for s in spans if args.page in s.page]
    unchecked = [s for s in spans if s.status == "unchecked"]
    if args.json:
        print(json.dumps([s.to_json() for s in spans], indent=1, ensure_ascii=False))
    else:
        for s in unchecked:
            print(f"{s.page}:{s.line}: unchecked: {s.tex}")
        counts = formulas.summary(spans)
        print(f"{len(spans)} math spans: " + ", ".join(f"{k} {v}" for k, v in counts.items() if v))
    for line in problems:
        print(line, file=sys.stderr)
    if unchecked and not args.json:
        print(
            'classify each unchecked span: render it from a claim ({{ eq("id") }}), or give '
            "it a status in derivations/formula_reviews/<page>.json "
            "(python -m derivations formulas --update-reviews adds them)",
            file=sys.stderr,
        )
    return 1 if (unchecked or problems) else 0


def main(argv: list[str] | None = None) -> int:
    try:
        argv = sys.argv[1:] if argv is None else list(argv)
        if argv[:1] == ["check"]:
            argv = checker_command.join_option_values(argv)
        args = build_parser().parse_args(argv)
        if args.command == "check":
            return checker_command.run(args)
        registry = catalogue.load_claims()
        commands = {
            "list": cmd_list,
            "verify": cmd_verify,
            "show": cmd_show,
            "lock": cmd_lock,
            "mutants": cmd_mutants,
            "sweep": cmd_sweep,
            "stress": cmd_stress,
            "formulas": cmd_formulas,
        }
        return commands[args.command](args, registry)
    except UsageError as exc:
        if argv[:1] == ["check"]:  # with --json, bad input is a JSON object on stdout too
            return checker_command.bad_input(str(exc), as_json="--json" in argv)
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
