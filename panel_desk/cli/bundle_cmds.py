"""``panel-desk bundle …``: seal an application folder, verify and summarise a bundle, inspect one."""

from __future__ import annotations

import argparse
from pathlib import Path

from panel_desk.cli._common import Registry, one_line, passphrase, print_id


def register(registry: Registry) -> None:
    group_help = "sealed bundles: what travels between the panel's laptops"
    p = registry.subcommand("bundle", "seal", "seal an application folder for the people named", _seal,
                            group_help=group_help)
    p.add_argument("--kind", required=True, choices=["application"],
                   help="what to seal (other kinds are sealed by their own commands)")
    p.add_argument("--from", dest="source", required=True, type=Path, metavar="DIR",
                   help="the application folder: application.toml and documents/*.pdf")
    p.add_argument("--sign-with", required=True, type=Path, metavar="ID", help="your identity file")
    p.add_argument("--to", required=True, nargs="+", type=Path, metavar="CARD",
                   help="the public cards of the people who may open it")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the bundle file to write")

    p = registry.subcommand("bundle", "open", "verify a bundle completely and summarise it", _open)
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--identity", required=True, type=Path, metavar="ID", help="your identity file")
    p.add_argument("--trust", nargs="+", type=Path, metavar="CARD", default=[], action="extend",
                   help="public cards of the people whose bundles you accept")

    p = registry.subcommand("bundle", "inspect", "say what can be told about a bundle without keys", _inspect)
    p.add_argument("file", type=Path, metavar="FILE")


def _size(n: int) -> str:
    """A size as a person says it: 812 bytes, 3.4 KB, 12 MB."""
    if n < 1000:
        return "1 byte" if n == 1 else f"{n} bytes"
    for unit in ("KB", "MB", "GB"):
        n /= 1000
        if n < 1000 or unit == "GB":
            return f"{n:.1f} {unit}" if n < 10 else f"{n:.0f} {unit}"
    raise AssertionError("unreachable")


def _people(n: int) -> str:
    return "one person" if n == 1 else f"{n} people"


def _cards(paths: list[Path]):
    from panel_desk.core.identity import PublicCard

    return [PublicCard.load(p) for p in paths]


def _seal(args: argparse.Namespace) -> int:
    from panel_desk.core import bundle
    from panel_desk.core.appdir import load_application_dir
    from panel_desk.core.identity import Identity, format_fingerprint

    app, files = load_application_dir(args.source)
    app = app.with_id()
    recipients = _cards(args.to)
    signer = Identity.load(args.sign_with, passphrase(args, f"Passphrase for {args.sign_with}: "))
    titles = {d.path: d.title for d in app.documents}
    manifest = bundle.seal(bundle.Kind.APPLICATION, application_id=app.id, revision=app.revision,
                           payload=app.model_dump(mode="json"), files=files, titles=titles, signer=signer,
                           recipients=recipients, out=args.out)
    print(f"Sealed revision {app.revision} of the application from {app.authority} "
          f"({len(manifest.files)} documents) into {args.out}.")
    print(f"Signed by {signer.name} ({format_fingerprint(signer.fingerprint)}).")
    print(f"Sealed for {_people(len(recipients))}: {', '.join(c.name for c in recipients)}.")
    print(f"Bundle id: {manifest.bundle_id}")
    print_id(app.id)
    return 0


def _open(args: argparse.Namespace) -> int:
    from panel_desk.core import bundle
    from panel_desk.core.identity import Identity

    trusted = _cards(args.trust)
    identity = Identity.load(args.identity, passphrase(args, f"Passphrase for {args.identity}: "))
    with bundle.open_bundle(args.file, identity, trusted) as opened:
        m = opened.manifest
        signer = opened.signer
        print(f"{m.kind.label}, revision {m.revision}, for application {m.application_id}.")
        print(f"From {one_line(signer.name)} ({signer.role.label}, "
              f"{one_line(signer.organisation) or 'no organisation given'}), "
              f"fingerprint {signer.formatted_fingerprint}.")
        print(f"Sealed on {m.created_at:%d %B %Y} for {_people(len(m.recipients))}, you included.")
        if m.expires_at is not None:
            print(f"Valid until {m.expires_at:%d %B %Y}.")
        if m.files:
            print(f"{len(m.files)} file{'s' if len(m.files) != 1 else ''}:")
            for f in m.files:
                title = f"{one_line(f.title)} — " if f.title else ""
                print(f"  {title}{one_line(f.path)} ({_size(f.size)})")
        else:
            print("No files.")
        print("Checked: it is addressed to you, the signature, the sender, and every file.")
    return 0


def _inspect(args: argparse.Namespace) -> int:
    from panel_desk.core import bundle

    info = bundle.inspect(args.file)
    form = "text (armoured)" if info.armored else "binary"
    kinds = ", ".join(sorted(set(info.stanza_types)))
    print(f"{args.file}: an encrypted file, {_size(info.size)}, {form} form.")
    print(f"Sealed for {_people(info.recipients)} (key types: {kinds}).")
    print(f"Protection: {info.protection}.")
    print("Nothing else can be told without the identity of one of them.")
    return 0
