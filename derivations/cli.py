"""Command line: ``python -m derivations list | verify | show``.

Exit status: 0 when every verdict equals its claim's expectation, 1 when one does not, 2 on bad
input (one line on stderr, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from . import catalogue
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
    p_show = sub.add_parser("show", help="show one claim: statement, refs, verdict")
    p_show.add_argument("id", metavar="ID")
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
    for k, claim in enumerate(claims, 1):
        result = verify(claim, salt=args.salt)
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
                    print(f"      counterexample: {json.dumps(result.counterexample)}",
                          file=sys.stderr)
    failures = [r for r in results if not r.ok]
    summary = {
        "total": len(results),
        "as_expected": len(results) - len(failures),
        "unexpected": [r.claim_id for r in failures],
        "verdicts": {v: sum(r.verdict == v for r in results)
                     for v in ("verified", "refuted", "inconclusive")},
        "seconds": round(time.perf_counter() - start, 3),
    }
    if args.json:
        print(json.dumps({"claims": [r.to_json() for r in results], "summary": summary},
                         indent=1, ensure_ascii=False))
    else:
        print(f"{summary['as_expected']}/{summary['total']} claims as expected "
              f"in {summary['seconds']:.1f}s")
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


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        registry = catalogue.load_claims()
        return {"list": cmd_list, "verify": cmd_verify, "show": cmd_show}[args.command](
            args, registry
        )
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
