"""``panel-desk declare``, ``response template|seal`` and ``signoff``: a panel member's commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from panel_desk.cli._common import Registry, workspace

INTEREST_TYPES = ("employment", "financial", "personal", "professional", "prior-involvement", "regulatory", "other")


def register(registry: Registry) -> None:
    p = registry.command("declare", "record, and optionally send, your declaration of interests", _declare)
    p.add_argument("app", metavar="APP", help="the application id")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--none", action="store_true", help="you have no interests to declare")
    which.add_argument("--interest", nargs=2, action="append", metavar=("TYPE", "TEXT"),
                       help=f"an interest (repeat for each); TYPE is one of {', '.join(INTEREST_TYPES)}")
    p.add_argument("--out", type=Path, metavar="FILE",
                   help="also seal the declaration for the secretariat into FILE")

    group_help = "your response to an application"
    p = registry.subcommand("response", "template", "print the response form as TOML to fill in", _template,
                            group_help=group_help)
    p.add_argument("app", metavar="APP", help="the application id")

    p = registry.subcommand("response", "seal", "record the answers in a filled-in form and seal your response",
                            _seal)
    p.add_argument("form", type=Path, metavar="FORM.toml", help="the filled-in response form")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the response bundle to write")

    p = registry.command("signoff", "answer a circulated draft advice: concur, comment or dissent", _signoff)
    p.add_argument("app", metavar="APP", help="the application id")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--concur", action="store_true", help="you agree with the draft")
    which.add_argument("--comment", metavar="TEXT", help="you agree, with a comment")
    which.add_argument("--dissent", metavar="TEXT", help="you dissent; the statement is published as written")
    p.add_argument("--attribute", choices=("name", "role"), default="name",
                   help="attribute your comment or dissent by your name (default) or your role")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the sign-off bundle to write")


def _declare(args: argparse.Namespace) -> int:
    from panel_desk.core import member

    with workspace(args) as ws:
        decl = member.declare(ws, args.app, none=args.none, interests=[tuple(i) for i in args.interest or ()])
        what = "no interests" if decl.none_to_declare else (
            "1 interest" if len(decl.interests) == 1 else f"{len(decl.interests)} interests")
        print(f"Recorded your declaration for revision {decl.application_revision} of {decl.application_id}: {what}.")
        if args.out:
            card = member.secretariat_card(ws, args.app)
            member.export_declaration(ws, args.app, args.out)
            print(f"Sealed it for the secretariat ({card.name}) alone into {args.out}.")
    return 0


def _template(args: argparse.Namespace) -> int:
    from panel_desk.core import response_toml
    from panel_desk.core.forms import DEFAULT_FORM, load_form

    with workspace(args) as ws:
        app = ws.application(args.app)
        text = response_toml.template(load_form(*DEFAULT_FORM), app, ws.answers(app.id))
    print(text, end="")
    return 0


def _seal(args: argparse.Namespace) -> int:
    from panel_desk.core import member, response_toml
    from panel_desk.core.errors import InvalidInput, NotFound
    from panel_desk.core.forms import DEFAULT_FORM, load_form

    source = str(args.form)
    try:
        text = Path(args.form).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"There is no file {args.form}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"Cannot read {args.form}: {getattr(exc, 'strerror', None) or exc}.") from None
    form = load_form(*DEFAULT_FORM)
    filled = response_toml.read(text, source, form)
    with workspace(args) as ws:
        app = ws.application(filled.application_id)
        if filled.application_revision != app.revision:
            raise InvalidInput(f"{source} answers revision {filled.application_revision} of {app.id}, but revision "
                               f"{app.revision} has arrived since. Run 'panel-desk response template {app.id}' and "
                               "copy your answers across.")
        missing = response_toml.completeness_problems(form, filled.answers, source)
        ws.save_answers(app.id, filled.answers)
        if missing:
            raise InvalidInput("Your answers are saved, but the response cannot be sent yet: " + " ".join(missing))
        card = member.secretariat_card(ws, app.id)
        response = member.send_response(ws, app.id, args.out)
    print(f"Sealed response {response.revision} to revision {app.revision} of {app.id} for the secretariat "
          f"({card.name}) alone into {args.out}.")
    if response.revision > 1:
        print(f"It replaces your earlier response{'s' if response.revision > 2 else ''}.")
    return 0


def _signoff(args: argparse.Namespace) -> int:
    from panel_desk.core import member

    kind, text = ("dissent", args.dissent) if args.dissent is not None else (
        ("comment", args.comment) if args.comment is not None else ("concur", ""))
    with workspace(args) as ws:
        signoff = member.sign_off(ws, args.app, kind, text=text, attribute=args.attribute, out=args.out)
        card = member.secretariat_card(ws, args.app)
    words = {"concur": "You concur with", "comment": "You concur, with a comment, with",
             "dissent": "You dissent from"}[signoff.kind.value]
    print(f"{words} draft {signoff.draft_revision} of the advice on {signoff.application_id}.")
    if signoff.text:
        print(f"It will be attributed by your {signoff.attribute.value}.")
    print(f"Sealed for the secretariat ({card.name}) alone into {args.out}.")
    return 0
