"""``panel-desk init | import | list | search | audit verify``: the profile's encrypted store."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from panel_desk.cli._common import Registry, fail, one_line, passphrase, print_id, profile_dir, workspace


def register(registry: Registry) -> None:
    p = registry.command("init", "set up a profile for your identity", _init)
    p.add_argument("--identity", required=True, type=Path, metavar="FILE", help="your identity file")
    p.add_argument("--trust", nargs="+", type=Path, metavar="CARD", default=[], action="extend",
                   help="public cards of the people whose bundles you accept (members: the secretariat's)")

    p = registry.command("import", "verify bundles of any kind and record them in the profile", _import)
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")

    registry.command("list", "the applications in the profile and their status", _list)

    p = registry.command("search", "full-text search of the documents, with page and snippet", _search)
    p.add_argument("query", metavar="QUERY", help='words that must all be on the page, or a "quoted phrase"')
    p.add_argument("--application", metavar="ID", help="search one application only")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N pages (default 50)")

    registry.subcommand("audit", "verify", "check that the profile's audit log is unbroken", _audit_verify,
                        group_help="the profile's audit log")


def _init(args: argparse.Namespace) -> int:
    from panel_desk.core.identity import PublicCard, format_fingerprint
    from panel_desk.core.store import init_profile

    folder = profile_dir(args)
    cards = [PublicCard.load(p) for p in args.trust]
    ws = init_profile(folder, args.identity, passphrase(args, f"Passphrase for {args.identity}: "), cards)
    try:
        me = ws.me
        print(f"Set up the Panel Desk profile of {me.name} ({me.role.label}) in {folder}.")
        for card in cards:
            print(f"Trusting bundles signed by {card.name} ({card.role.label}), "
                  f"fingerprint {format_fingerprint(card.fingerprint)}.")
        print(f"Your fingerprint: {format_fingerprint(me.fingerprint)}")
        print_id(me.fingerprint)
    finally:
        ws.close()
    return 0


def _import(args: argparse.Namespace) -> int:
    """One line per file: what was recorded on stdout, each refusal on stderr; exit 1 if any was
    refused (the others are imported all the same)."""
    with workspace(args) as ws:
        results = ws.import_many(args.files)
    for r in results:
        line = f"{one_line(r.path)}: {r.status}: {one_line(r.message)}"
        if r.refused:
            fail(line)
        else:
            print(line)
    return 1 if any(r.refused for r in results) else 0


def _list(args: argparse.Namespace) -> int:
    from datetime import date

    from panel_desk.core import rules

    today = date.today()
    with workspace(args) as ws:
        rows = ws.applications(today=today)
    if not rows:
        print("There are no applications in this profile yet. Import one with 'panel-desk import FILE'.",
              file=sys.stderr)
    for row in rows:
        print(f"{row.id}  {row.status.label}  {one_line(row.authority)}  {rules.days_left_words(row.advice_due, today)}")
    return 0


def _search(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        hits = ws.search(args.query, app_id=args.application, limit=args.limit)
    if not hits:
        print(f"No page matches {args.query!r}.", file=sys.stderr)
    for hit in hits:
        where = "" if args.application else f"{hit.application_id}: "
        print(f"{where}{one_line(hit.title)} ({one_line(hit.document)}), page {hit.page}: {one_line(hit.marked())}")
    return 0


def _audit_verify(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        result = ws.verify_audit()
    if not result.ok:
        return fail(result.message)
    print(result.message)
    return 0
