"""``panel-desk identity …``: create identities, write public cards, show, re-key and export keys."""

from __future__ import annotations

import argparse
from pathlib import Path

from panel_desk.cli._common import Registry, passphrase, print_id


def _work_factor(text: str) -> int:
    from panel_desk.core.identity import MAX_WORK_FACTOR

    value = int(text)
    if not 10 <= value <= MAX_WORK_FACTOR:
        raise argparse.ArgumentTypeError(f"must be between 10 and {MAX_WORK_FACTOR}")
    return value


def _add_work_factor(p: argparse.ArgumentParser) -> None:
    # For tests only: the default 2^18 costs a noticeable fraction of a second per identity.
    p.add_argument("--scrypt-work-factor", type=_work_factor, default=18, help=argparse.SUPPRESS)


def register(registry: Registry) -> None:
    group_help = "identities (your keys) and public cards"
    p = registry.subcommand("identity", "new", "create an identity: your keys, protected by a passphrase", _new,
                            group_help=group_help)
    p.add_argument("--name", required=True, help="your name as the panel knows it")
    p.add_argument("--role", required=True, metavar="ROLE",
                   help="secretariat, childrens-commissioner, chief-inspector, voluntary-sector, "
                        "local-government, social-work-practice or expert")
    p.add_argument("--organisation", required=True, help="the organisation you work for")
    p.add_argument("--acts-for", default="", metavar="WHO", help="for staff: the permanent member you act for")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the identity file to create")
    _add_work_factor(p)

    p = registry.subcommand("identity", "card", "write the public card of an identity", _card)
    p.add_argument("file", type=Path, metavar="FILE", help="the identity file")
    p.add_argument("--out", required=True, type=Path, metavar="CARD", help="the card file to write")

    p = registry.subcommand("identity", "show", "show the name, role, fingerprint and age recipient", _show)
    p.add_argument("file", type=Path, metavar="FILE_OR_CARD", help="an identity file or a public card")

    p = registry.subcommand("identity", "passwd", "change the passphrase of your profile (or of an identity file)",
                            _passwd)
    p.add_argument("file", type=Path, metavar="FILE", nargs="?",
                   help="an identity file outside a profile (default: the identity of --profile)")
    p.add_argument("--new-passphrase-file", metavar="FILE",
                   help="read the new passphrase from the first line of FILE (or set PANEL_DESK_NEW_PASSPHRASE)")
    _add_work_factor(p)

    p = registry.subcommand("identity", "export-age-key", "write an age key file for the standard age tool",
                            _export_age_key)
    p.add_argument("file", type=Path, metavar="FILE", help="the identity file")
    p.add_argument("--out", required=True, type=Path, metavar="KEY", help="the key file to create (mode 0600)")
    p.add_argument("--classic", action="store_true",
                   help="only the classic key, for age before 1.3 (it cannot open post-quantum bundles)")


def _load(args: argparse.Namespace, path: Path):
    from panel_desk.core.identity import Identity

    return Identity.load(path, passphrase(args, f"Passphrase for {path}: "))


def _new(args: argparse.Namespace) -> int:
    from panel_desk.core.errors import InvalidInput
    from panel_desk.core.identity import Identity, format_fingerprint

    if args.out.exists():
        raise InvalidInput(f"{args.out} already exists. Choose another file name; nothing was overwritten.")
    identity = Identity.create(args.name, args.role, args.organisation, args.acts_for)
    secret = passphrase(args, "Choose a passphrase: ", confirm=True)
    identity.save(args.out, secret, work_factor=args.scrypt_work_factor, overwrite=False)
    print(f"Created the identity of {identity.name} ({identity.role.label}) in {args.out}.")
    print(f"Fingerprint: {format_fingerprint(identity.fingerprint)}")
    print("Keep the file and its passphrase safe: without both, nobody can open what is sent to you.")
    print_id(identity.fingerprint)
    return 0


def _card(args: argparse.Namespace) -> int:
    from panel_desk.core.identity import format_fingerprint

    identity = _load(args, args.file)
    identity.card.save(args.out)
    print(f"Wrote the public card of {identity.name} to {args.out}.")
    print(f"Fingerprint: {format_fingerprint(identity.fingerprint)}")
    print_id(identity.fingerprint)
    return 0


def _looks_like_card(path: Path) -> bool:
    from panel_desk.core.errors import InvalidInput, NotFound

    try:
        with path.open("rb") as f:
            head = f.read(64).lstrip()
    except FileNotFoundError:
        raise NotFound(f"There is no file {path}. Check the name and try again.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
    return head.startswith(b"{")


def _show(args: argparse.Namespace) -> int:
    from panel_desk.core.identity import PublicCard

    if _looks_like_card(args.file):
        card = PublicCard.load(args.file)
        what = "Public card"
    else:
        card = _load(args, args.file).card
        what = "Identity"
    print(f"{what}: {args.file}")
    print(f"Name: {card.name}")
    print(f"Role: {card.role.label}")
    print(f"Organisation: {card.organisation or '(none given)'}")
    if card.acts_for:
        print(f"Acts for: {card.acts_for}")
    print(f"Fingerprint: {card.formatted_fingerprint}")
    if card.post_quantum:
        print("Keys: post-quantum (ML-KEM-768 + X25519 for encryption, Ed25519 + ML-DSA-65 for signing)")
        print(f"age recipient (post-quantum): {card.age_pq_recipient}")
        print(f"age recipient (classic): {card.age_recipient}")
    else:
        print("Keys: classic (X25519 for encryption, Ed25519 for signing), made before post-quantum keys")
        print(f"age recipient: {card.age_recipient}")
    return 0


def _passwd(args: argparse.Namespace) -> int:
    from panel_desk.core.errors import InvalidInput
    from panel_desk.core.identity import Identity

    if args.file is None:
        return _profile_passwd(args)
    old = passphrase(args, f"Current passphrase for {args.file}: ")
    identity = Identity.load(args.file, old)
    new = passphrase(argparse.Namespace(passphrase_file=args.new_passphrase_file), "New passphrase: ",
                     confirm=True, env="PANEL_DESK_NEW_PASSPHRASE")
    if new == old:
        raise InvalidInput("The new passphrase is the same as the current one. Choose a different one.")
    identity.save(args.file, new, work_factor=args.scrypt_work_factor)
    print(f"Changed the passphrase of {args.file}. Your keys and fingerprint are unchanged.")
    return 0


def _profile_passwd(args: argparse.Namespace) -> int:
    from panel_desk.cli._common import profile_dir
    from panel_desk.core.passphrase import change_passphrase

    folder = profile_dir(args)
    old = passphrase(args, "Current passphrase: ")
    new = passphrase(argparse.Namespace(passphrase_file=args.new_passphrase_file), "New passphrase: ",
                     confirm=True, env="PANEL_DESK_NEW_PASSPHRASE")
    change_passphrase(folder, old, new, work_factor=args.scrypt_work_factor)
    print(f"Changed the passphrase of the profile in {folder}. Your keys, fingerprint and everything in the "
          "profile are unchanged; any other copy of your identity file keeps the old passphrase.")
    return 0


def _export_age_key(args: argparse.Namespace) -> int:
    from panel_desk.core.identity import _write_atomic

    identity = _load(args, args.file)
    text = identity.export_age_key(classic_only=args.classic)
    _write_atomic(args.out, text.encode("ascii"), mode=0o600, exclusive=True)
    print(f"Wrote the age key of {identity.name} to {args.out}. "
          "Anyone who has this file can read what is sent to you: keep it as safe as the identity.")
    if identity.post_quantum and not args.classic:
        print("It holds your post-quantum key, which the age tool reads from version 1.3; "
              "for an older age use --classic (it opens only bundles sealed with classic keys).")
    return 0
