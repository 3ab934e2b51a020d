"""Keys over the years: ``keys revoke``, ``keys reseal``, ``keys handover`` and ``keys trust-secretariat``."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from panel_desk.cli._common import Registry, workspace


def register(registry: Registry) -> None:
    help_ = "lost, replaced and handed-over keys"
    p = registry.subcommand("keys", "revoke", "secretariat: revoke a member's key (lost laptop), with its replacement",
                            _revoke, group_help=help_)
    p.add_argument("member", metavar="MEMBER", help="the member's fingerprint or exact name")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why (kept in the record)")
    p.add_argument("--replacement", type=Path, metavar="CARD", help="the member's new public card")
    p.add_argument("--from", dest="effective", metavar="WHEN",
                   help="from when the key is revoked (ISO date and time, UTC; default: now)")
    p = registry.subcommand("keys", "reseal", "secretariat: seal every open application again for a replacement key",
                            _reseal)
    p.add_argument("member", metavar="MEMBER", help="the replacement's fingerprint or exact name")
    p.add_argument("--folder", required=True, type=Path, metavar="DIR", help="where to write the bundles")
    p = registry.subcommand("keys", "handover", "secretariat: hand the secretariat's key over to a new card",
                            _handover)
    p.add_argument("card", type=Path, metavar="CARD", help="the new secretariat's public card")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the handover bundle to write")
    p.add_argument("--reason", required=True, metavar="TEXT", help="why (members see it)")
    p = registry.subcommand("keys", "trust-secretariat",
                            "member: trust a new secretariat card after the old key was lost", _trust_secretariat)
    p.add_argument("card", type=Path, metavar="CARD", help="the new secretariat's public card")
    p.add_argument("--fingerprint", required=True, metavar="FP",
                   help="the fingerprint the secretariat read out to you (checked against the card)")
    p.add_argument("--reason", default="", metavar="TEXT", help="why (kept in the record)")


def _when(text: str | None) -> datetime | None:
    from panel_desk.core.errors import InvalidInput

    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"'{text}' is not a date and time; write it like 2026-11-29T09:00.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _revoke(args: argparse.Namespace) -> int:
    from panel_desk.core import keys
    from panel_desk.core.identity import PublicCard, format_fingerprint

    card = PublicCard.load(args.replacement) if args.replacement else None
    with workspace(args) as ws:
        old = ws.member(args.member)
        new = keys.revoke_member_key(ws, args.member, reason=args.reason, replacement=card,
                                     effective=_when(args.effective))
    print(f"{old.name}'s key {format_fingerprint(old.fingerprint)} is revoked; files it signs from now on are refused.")
    if new is not None:
        print(f"{new.name} ({format_fingerprint(new.fingerprint)}) is on the roster in its place. Check the "
              "fingerprint with them by phone, then: panel-desk keys reseal "
              f"{new.fingerprint} --folder DIR")
    return 0


def _reseal(args: argparse.Namespace) -> int:
    from panel_desk.core import keys

    with workspace(args) as ws:
        done = keys.reseal_open_applications(ws, args.member, args.folder)
    if not done:
        print("No open application was sent to the revoked key, so nothing needed sealing again.")
    for r in done:
        print(f"Sealed {r.title} ({r.application_id}) again: {r.path}")
    return 0


def _handover(args: argparse.Namespace) -> int:
    from panel_desk.core import keys
    from panel_desk.core.identity import PublicCard, format_fingerprint

    card = PublicCard.load(args.card)
    with workspace(args) as ws:
        members = keys.hand_over(ws, card, args.out, reason=args.reason)
    print(f"Wrote {args.out}: the secretariat's key passes to {card.name} "
          f"({format_fingerprint(card.fingerprint)}). Send it to {', '.join(m.name for m in members)}.")
    return 0


def _trust_secretariat(args: argparse.Namespace) -> int:
    from panel_desk.core import keys
    from panel_desk.core.identity import PublicCard, format_fingerprint

    card = PublicCard.load(args.card)
    with workspace(args) as ws:
        revoked = keys.trust_new_secretariat(ws, card, args.fingerprint, reason=args.reason)
    print(f"You now accept applications and draft advice from {card.name} ({format_fingerprint(card.fingerprint)}).")
    if revoked:
        print("Files signed by the previous secretariat key from now on are refused.")
    return 0
