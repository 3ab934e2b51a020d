"""The secretariat's commands: ``roster``, ``application``, ``conflicts``, ``consolidate`` and ``advice``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from panel_desk.cli._common import Registry, fail, print_id, workspace

ROLES = ("secretariat", "childrens-commissioner", "chief-inspector", "voluntary-sector", "local-government",
         "social-work-practice", "expert")
DECISIONS = ("no-action", "declared", "read-only", "recused")


def register(registry: Registry) -> None:
    help_ = "the secretariat's roster of panel members"
    p = registry.subcommand("roster", "add", "put a member on the roster from their public card", _roster_add,
                            group_help=help_)
    p.add_argument("card", type=Path, metavar="CARD", help="the member's public card")
    p.add_argument("--role", required=True, choices=ROLES, metavar="ROLE", help=", ".join(ROLES))
    p.add_argument("--acts-for", default="", metavar="X", help="for staff: the permanent member they act for")
    registry.subcommand("roster", "list", "one line per member, beginning with the fingerprint", _roster_list)

    p = registry.command("status", "what stands between now and each next step (exit 1 while the next is blocked)",
                         _status)
    p.add_argument("app", metavar="APP", help="the application id")

    help_ = "the secretariat's applications"
    p = registry.subcommand("application", "new", "record an application folder (prints its id)", _app_new,
                            group_help=help_)
    p.add_argument("dir", type=Path, metavar="DIR", help="the folder: application.toml and documents/*.pdf")
    p.add_argument("--reason", default="", metavar="TEXT",
                   help="when the folder's id is an application already held: why this new revision")
    p = registry.subcommand("application", "seal", "seal an application for the panel", _app_seal)
    p.add_argument("app", metavar="APP", help="the application id")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the bundle to write")
    p.add_argument("--to", nargs="+", action="extend", metavar="MEMBER",
                   help="only these members (fingerprint or exact name); default: everyone not recused")
    p = registry.subcommand("application", "withdraw", "withdraw an application and tell the panel", _app_withdraw)
    p.add_argument("app", metavar="APP", help="the application id")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the withdrawal bundle to write")
    p.add_argument("--reason", default="", metavar="TEXT", help="why it was withdrawn")

    help_ = "the register of declared interests and decisions"
    p = registry.subcommand("conflicts", "list", "every member's declaration and the decision on it", _conflicts_list,
                            group_help=help_)
    p.add_argument("app", nargs="?", metavar="APP", help="one application (default: all)")
    p = registry.subcommand("conflicts", "decide", "record how a member's interests are handled", _conflicts_decide)
    p.add_argument("app", metavar="APP", help="the application id")
    p.add_argument("member", metavar="MEMBER", help="the member's fingerprint or exact name")
    p.add_argument("decision", choices=DECISIONS, metavar="DECISION", help=", ".join(DECISIONS))
    p.add_argument("--reason", required=True, metavar="TEXT", help="the reason, published in the register")

    p = registry.command("consolidate", "all members' answers side by side", _consolidate)
    p.add_argument("app", metavar="APP", help="the application id")
    p.add_argument("--csv", type=Path, metavar="FILE",
                   help="also write one row per member per question (internal notes included, labelled)")
    p.add_argument("--json", type=Path, metavar="FILE", help="also write everything as JSON")

    help_ = "drafting the panel's advice and sign-off"
    p = registry.subcommand("advice", "draft", "save the draft advice from a TOML file", _advice_draft,
                            group_help=help_)
    p.add_argument("app", metavar="APP", help="the application id")
    p.add_argument("--from", dest="source", required=True, type=Path, metavar="FILE.toml",
                   help="summary, outcomes, monitoring, conditions and other_advice")
    p.add_argument("--reason", default="", metavar="TEXT",
                   help="why the text changed (needed once a draft has been circulated)")
    p = registry.subcommand("advice", "circulate", "seal the latest draft for the members taking part",
                            _advice_circulate)
    p.add_argument("app", metavar="APP", help="the application id")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the bundle to write")
    p = registry.subcommand("advice", "status", "who has concurred, commented, dissented or not replied",
                            _advice_status)
    p.add_argument("app", metavar="APP", help="the application id")
    p = registry.subcommand("advice", "finalise", "lock the advice once every member has signed off",
                            _advice_finalise)
    p.add_argument("app", metavar="APP", help="the application id")


def _people(members) -> str:
    names = [m.name for m in members]
    head = "one person" if len(names) == 1 else f"{len(names)} people"
    return f"{head}: {', '.join(names)}"


def _write(path: Path, text: str) -> None:
    """Write a file that holds internal notes: readable by its owner only (0600), never half-written."""
    from panel_desk.core.files import write_private

    write_private(Path(path), text)


# --- roster -------------------------------------------------------------------------------------------


def _status(args: argparse.Namespace) -> int:
    from panel_desk.core import process

    with workspace(args) as ws:
        ready = (process.readiness if ws.is_secretariat else process.member_readiness)(ws, args.app)
    for line in ready.lines():
        print(line)
    if ready.blocked:
        return fail(f"The next step, '{ready.next_step.label}', cannot be taken yet: see the reasons above.")
    return 0


def _roster_add(args: argparse.Namespace) -> int:
    from panel_desk.core.identity import PublicCard, format_fingerprint
    from panel_desk.core.model import Role
    from panel_desk.core.secretariat import role_claim_warning

    card = PublicCard.load(args.card)
    warning = role_claim_warning(card, Role(args.role))
    if warning:
        print(f"Warning: {warning}", file=sys.stderr)
    with workspace(args) as ws:
        m = ws.roster_add(card, role=Role(args.role), acts_for=args.acts_for)
    print(f"{m.name} ({m.role.label}) is on the roster. Fingerprint: {format_fingerprint(m.fingerprint)}.")
    print("Check the fingerprint with them by phone or in person.")
    print_id(m.fingerprint)
    return 0


def _roster_list(args: argparse.Namespace) -> int:
    with workspace(args) as ws:
        for m in ws.roster():
            extra = f", acting for {m.acts_for}" if m.acts_for else ""
            org = f", {m.organisation}" if m.organisation else ""
            print(f"{m.fingerprint}  {m.name} ({m.role.label}{org}{extra})")
    return 0


# --- applications ---------------------------------------------------------------------------------------


def _app_new(args: argparse.Namespace) -> int:
    from panel_desk.core import secretariat

    with workspace(args) as ws:
        app = secretariat.new_application(ws, args.dir, reason=args.reason)
    print(f"Recorded revision {app.revision} of the application from {app.authority}: {app.title}.")
    for warning in secretariat.application_warnings(app):
        print(f"Warning: {warning}")
    print(f"{len(app.documents)} document{'s' if len(app.documents) != 1 else ''}.")
    print_id(app.id)
    return 0


def _app_seal(args: argparse.Namespace) -> int:
    from panel_desk.core import secretariat

    with workspace(args) as ws:
        app = ws.application(args.app)
        members = secretariat.seal_application(ws, args.app, args.out, to=args.to)
    print(f"Sealed revision {app.revision} of {app.id} into {args.out} for {_people(members)}.")
    return 0


def _app_withdraw(args: argparse.Namespace) -> int:
    from panel_desk.core import secretariat

    with workspace(args) as ws:
        members = secretariat.withdraw(ws, args.app, args.out, args.reason)
    print(f"Withdrew {args.app}. The notice is sealed into {args.out} for {_people(members)}.")
    return 0


# --- conflicts --------------------------------------------------------------------------------------------


def _conflicts_list(args: argparse.Namespace) -> int:
    from panel_desk.core import secretariat

    with workspace(args) as ws:
        rows = secretariat.conflicts(ws, args.app)
    if not rows:
        print("No applications, or no panel members on the roster yet.")
    for r in rows:
        parts = [r.interests_words.rstrip(".") + "."]
        if r.status != r.interests_words:
            parts.append(r.status + (f": {r.decision.reason}" if r.decision is not None else ""))
        line = f"{r.application_id}  {r.member.fingerprint}  {r.member.name} ({r.member.role.label}): " + " ".join(parts)
        print(line if line.endswith(".") else line + ".")
    return 0


def _conflicts_decide(args: argparse.Namespace) -> int:
    from panel_desk.core import secretariat

    with workspace(args) as ws:
        d = secretariat.decide(ws, args.app, args.member, args.decision, args.reason)
        m = ws.member(d.member)
    print(f"Recorded for {m.name} on {d.application_id}: {d.decision.label}.")
    return 0


# --- consolidation ------------------------------------------------------------------------------------


def _consolidate(args: argparse.Namespace) -> int:
    from panel_desk.core import secretariat

    with workspace(args) as ws:
        cons = secretariat.consolidate(ws, args.app)
    app = cons.application
    print(f"{app.authority}: {app.title} (revision {app.revision})")
    for q in cons.questions:
        print()
        print(f"{q.number} {q.title}: {q.question}")
        for value, label in q.ratings:
            cells = q.matrix()[value]
            named = "; ".join(f"{conf} confidence: {', '.join(names)}" for conf, names in cells.items() if names)
            if named:
                print(f"  {label}: {named}")
        for a in q.included:
            print(f"  {a.member.name} ({a.member.role.label}) — {a.rating_label}, {a.confidence} confidence")
            print(f"    {a.rationale}")
            for e in a.evidence:
                quote = f': "{e.quote}"' if e.quote else ""
                print(f"    cites {e.document} page {e.page}{quote}")
            if a.internal_note:
                print(f"    internal note (never publish): {a.internal_note}")
    if cons.conditions:
        print()
        print("Conditions proposed:")
        for p in cons.conditions:
            print(f"  {p.member.name}: {p.text}")
    if cons.other_advice:
        print()
        print("Other advice:")
        for p in cons.other_advice:
            print(f"  {p.member.name}: {p.text}")
    if cons.excluded:
        print()
        print("Excluded from the advice:")
        for e in cons.excluded:
            print(f"  {e.member.name} ({e.member.role.label}): {e.reason}")
    if cons.not_responded:
        print()
        print("Not yet responded: " + ", ".join(m.name for m in cons.not_responded) + ".")
    if args.csv:
        _write(args.csv, secretariat.to_csv(cons))
        print(f"Wrote {args.csv} (internal notes are in their own column: never publish it).")
    if args.json:
        _write(args.json, secretariat.to_json(cons))
        print(f"Wrote {args.json}.")
    return 0


# --- drafting and sign-off ----------------------------------------------------------------------------


def _advice_draft(args: argparse.Namespace) -> int:
    from panel_desk.core import secretariat

    with workspace(args) as ws:
        draft = secretariat.draft_advice(ws, args.app, args.source, reason=args.reason)
    print(f"Saved draft {draft.revision} of the advice on {draft.application_id}.")
    for item in draft.missing():
        print(f"Still to do: {item}.")
    return 0


def _advice_circulate(args: argparse.Namespace) -> int:
    from panel_desk.core import secretariat

    with workspace(args) as ws:
        draft = ws.latest_draft(args.app)
        members = secretariat.circulate(ws, args.app, args.out)
    print(f"Sealed draft {draft.revision if draft else ''} of the advice on {args.app} into {args.out} "
          f"for {_people(members)}.")
    return 0


def _advice_status(args: argparse.Namespace) -> int:
    from panel_desk.core import secretariat

    with workspace(args) as ws:
        status = secretariat.advice_status(ws, args.app)
    print(status.words)
    for r in status.rows if status.circulated else ():
        line = f"  {r.name}: {r.words}"
        if r.text:
            line += f' (attributed by {r.attribute}): "{r.text}"'
        print(line)
    return 0


def _advice_finalise(args: argparse.Namespace) -> int:
    from panel_desk.core import secretariat

    with workspace(args) as ws:
        advice = secretariat.finalise(ws, args.app)
    print(f"Finalised the advice on {advice.application_id} from draft {advice.advice_revision}: "
          f"{len(advice.members)} members took part, {len(advice.dissents)} dissent"
          f"{'s' if len(advice.dissents) != 1 else ''}, {len(advice.comments)} comment"
          f"{'s' if len(advice.comments) != 1 else ''}.")
    print("Its text is locked: a change now needs a new draft with a reason.")
    return 0
