"""``panel-desk backup | restore | profile check | profile accept-loss``: the profile's continuity."""

from __future__ import annotations

import argparse
from pathlib import Path

from panel_desk.cli._common import Registry, fail, passphrase, profile_dir, workspace


def register(registry: Registry) -> None:
    p = registry.command("backup", "write one encrypted backup of the profile (database and bundles)", _backup)
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="the backup file to create")
    p.add_argument("--recovery", type=Path, metavar="CARD",
                   help="the organisation's recovery card: this and later backups are also encrypted to it")

    p = registry.command("restore", "rebuild a profile from a backup, checked, into a new or empty --profile folder",
                         _restore)
    p.add_argument("file", type=Path, metavar="FILE", help="the backup file")
    p.add_argument("--recovery-identity", type=Path, metavar="FILE",
                   help="open the backup with the recovery card's identity file instead of the owner's passphrase")

    group_help = "check the profile for damage"
    registry.subcommand("profile", "check", "check every part of the profile's database, its audit log and bundles",
                        _check, group_help=group_help)
    registry.subcommand("profile", "accept-loss",
                        "open a profile that lost its latest changes as it is (when there is no backup)", _accept_loss)


def _backup(args: argparse.Namespace) -> int:
    from panel_desk.core import backup
    from panel_desk.core.identity import PublicCard

    card = PublicCard.load(args.recovery) if args.recovery else None
    with workspace(args) as ws:
        if card is not None:
            backup.set_recovery_card(ws, card)
        result = backup.make_backup(ws, args.out)
    print(result.message)
    return 0


def _restore(args: argparse.Namespace) -> int:
    from panel_desk.core import backup
    from panel_desk.core.identity import Identity

    folder = profile_dir(args)
    if args.recovery_identity:
        recovery = Identity.load(args.recovery_identity,
                                 passphrase(args, f"Passphrase for {args.recovery_identity}: "))
        result = backup.restore_backup(args.file, folder, recovery=recovery)
    else:
        result = backup.restore_backup(args.file, folder, passphrase(args, "Passphrase of the profile's owner: "))
    print(result.message)
    return 0


def _check(args: argparse.Namespace) -> int:
    from panel_desk.core import integrity

    with workspace(args) as ws:
        report = integrity.check_integrity(ws)
    if not report.ok:
        return fail(report.message)
    print(report.message)
    return 0


def _accept_loss(args: argparse.Namespace) -> int:
    from panel_desk.core import integrity

    ws = integrity.accept_loss(profile_dir(args), passphrase(args))
    try:
        lost = ws.audit_log()[-1]["detail"].get("lost_entries", 0)
    finally:
        ws.close()
    print(f"The profile opens again as it is; the loss of {lost} entries is recorded in its audit log. "
          "Make a backup now (panel-desk backup --out FILE).")
    return 0
