"""Keys over the years: a member's lost or replaced key, and the secretariat's key changing hands.

Each verb takes the open workspace first, checks who may do it, writes everything in one
transaction with its audit entries and refuses in words. A revoked key's bundles are refused on
import from the moment of revocation (see ``store/_authority.py``); what it signed before stays.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from panel_desk.core.errors import InvalidInput
from panel_desk.core.files import removed_on_failure
from panel_desk.core.identity import PublicCard, format_fingerprint, normalise_fingerprint
from panel_desk.core.model import Member, Role, utcnow

__all__ = ["Resealed", "hand_over", "reseal_open_applications", "revoke_member_key", "trust_new_secretariat"]


def _secretariat_only(ws, doing: str) -> None:
    if not ws.is_secretariat:
        raise InvalidInput(f"Only the secretariat can {doing}. This profile belongs to a panel member.")


def revoke_member_key(ws, member_ref: str, *, reason: str, replacement: PublicCard | None = None,
                      effective: datetime | None = None, now: datetime | None = None) -> Member | None:
    """Record that a member's key no longer speaks for them (lost laptop, replaced key) from ``effective``
    (default: now), and put ``replacement`` — the same person's new card — on the roster in their place,
    with the same role and the same decisions on their interests. Returns the replacement member, or
    None. Raises NotFound or InvalidInput."""
    _secretariat_only(ws, "revoke a member's key")
    moment = now or utcnow()
    when = effective or moment
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give the reason the key is revoked (for example: laptop lost on 3 March).")
    old = ws.member(member_ref)
    if old.role is Role.SECRETARIAT:
        raise InvalidInput(f"{old.name} is the secretariat. To change the secretariat's key, hand it over.")
    if replacement is not None and replacement.fingerprint == old.fingerprint:
        raise InvalidInput("The replacement card is the revoked key itself. Ask the member to make a new identity.")
    with ws.transaction():
        ws.roster.record_revocation(old.fingerprint, when, reason,
                                    replacement.fingerprint if replacement else "", moment)
        if replacement is None:
            return None
        new = ws.roster_add(replacement, role=old.role, acts_for=old.acts_for, now=moment)
        for row in ws.applications():
            for d in [d for d in ws.decisions(row.id) if d.member == old.fingerprint][-1:]:
                ws.record_decision(d.model_copy(update={"member": new.fingerprint, "decided_at": moment}), now=moment)
    return new


@dataclass(frozen=True)
class Resealed:
    application_id: str
    title: str
    path: Path


def reseal_open_applications(ws, member_ref: str, folder: Path, *, now: datetime | None = None,
                             ) -> list[Resealed]:
    """Seal, for the member ``member_ref`` alone, every open application whose current revision was sent
    to the key they replace; write the files into ``folder``. Returns what was sealed."""
    from panel_desk.core import process, secretariat

    _secretariat_only(ws, "re-seal applications")
    member = ws.member(member_ref)
    replaced = [r.fingerprint for r in ws.roster.revocations() if r.replaced_by == member.fingerprint]
    if not replaced:
        raise InvalidInput(f"{member.name}'s key does not replace a revoked key, so there is nothing to re-seal.")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for row in ws.applications(now=now):
        ready = process.readiness(ws, row.id, now=now)
        if ready.phase in (process.Phase.WITHDRAWN, process.Phase.EXPIRED, process.Phase.PUBLISHED):
            continue
        sent_to = {fp for s in ws.sent(row.id, "application") if s["revision"] == ready.revision
                   for fp in s["recipients"]}
        if not sent_to & set(replaced):
            continue
        path = folder / f"{row.id}-r{ready.revision}-{member.fingerprint[:8].lower()}.pdbundle"
        secretariat.seal_application(ws, row.id, path, to=[member.fingerprint], now=now)
        out.append(Resealed(row.id, row.title, path))
    return out


def hand_over(ws, new_card: PublicCard, out: Path, *, reason: str, effective: datetime | None = None,
              now: datetime | None = None) -> list[Member]:
    """Seal a handover, signed by this (the old) secretariat key, naming ``new_card`` as the secretariat
    from ``effective`` on, for every member on the roster. Returns those members."""
    from panel_desk.core import bundle
    from panel_desk.core.secretariat import revoked_keys

    _secretariat_only(ws, "hand the secretariat's key over")
    moment = now or utcnow()
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Give the reason for the handover (for example: the new secretariat officer starts).")
    if new_card.fingerprint == ws.fingerprint:
        raise InvalidInput("That is this profile's own card. Hand over to the new secretariat's card.")
    members = [m for m in ws.roster() if m.role is not Role.SECRETARIAT]
    if not members:
        raise InvalidInput("There is no one on the roster to tell.")
    payload = {"new_card": json.loads(new_card.to_json()), "effective_at": (effective or moment).isoformat(),
               "reason": reason}
    with removed_on_failure(out), ws.transaction():  # the file, and the record of it, or neither
        bundle.seal(bundle.Kind.HANDOVER, application_id=bundle.HANDOVER_APPLICATION_ID, revision=1,
                    payload=payload, files={}, signer=ws.identity,
                    recipients=[ws.card(m.fingerprint) for m in members], out=Path(out), now=moment,
                    revoked=revoked_keys(ws))
        ws.audit("secretariat.handover", new_card.fingerprint,
                 {"effective_at": (effective or moment).isoformat(), "to": [m.fingerprint for m in members]},
                 now=moment)
    return members


def trust_new_secretariat(ws, card: PublicCard, typed_fingerprint: str, *, reason: str = "",
                          now: datetime | None = None) -> list[str]:
    """On a member's profile, after the secretariat's key was lost (no handover possible): trust ``card``
    as the secretariat once the member has typed the fingerprint the secretariat read out to them,
    and revoke every other secretariat card from now. Returns the revoked fingerprints."""
    moment = now or utcnow()
    if ws.is_secretariat:
        raise InvalidInput("This is the secretariat's own profile.")
    try:
        typed = normalise_fingerprint(typed_fingerprint)
    except InvalidInput:
        typed = ""
    if typed != card.fingerprint:
        raise InvalidInput(f"The fingerprint you typed does not match {card.name}'s card "
                           f"({format_fingerprint(card.fingerprint)}). Check it with the secretariat by phone; "
                           "nothing was changed.")
    why = (reason or "").strip() or "the secretariat's key was replaced"
    old = [c.fingerprint for c in ws.trusted_secretariat() if c.fingerprint != card.fingerprint]
    with ws.transaction():
        ws.trust(card, as_secretariat=True, now=moment)
        for fp in old:
            ws.roster.record_revocation(fp, moment, why, card.fingerprint, moment)
    return old
