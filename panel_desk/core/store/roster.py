"""The roster and trusted cards: who is on the panel, and whose signatures this profile accepts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from panel_desk.core.errors import InvalidInput, NotFound
from panel_desk.core.identity import PublicCard, normalise_fingerprint
from panel_desk.core.model import Member, Role, utcnow
from panel_desk.core.store._tx import Part, Tx, from_iso, guarded, iso


@dataclass(frozen=True)
class Revocation:
    """A key that no longer speaks for its holder from ``revoked_at`` on."""

    fingerprint: str
    revoked_at: datetime
    reason: str
    replaced_by: str  # the fingerprint of the key that replaces it, or ""


def record_revocation(tx: Tx, fingerprint: str, revoked_at: datetime, reason: str, replaced_by: str,
                      now: datetime, **detail: str) -> bool:
    """Inside a transaction: record that a key is revoked from ``revoked_at`` (an earlier moment wins),
    with its audit entry. Returns whether anything changed."""
    held = tx.one("SELECT revoked_at FROM revocations WHERE fingerprint = ?", (fingerprint,))
    if held is not None and from_iso(held[0]) <= revoked_at:
        return False
    tx.database.execute(
        "INSERT INTO revocations (fingerprint, revoked_at, reason, replaced_by, recorded_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(fingerprint) DO UPDATE SET revoked_at = excluded.revoked_at, reason = excluded.reason, "
        "replaced_by = excluded.replaced_by, recorded_at = excluded.recorded_at",
        (fingerprint, iso(revoked_at), reason, replaced_by, iso(now)))
    tx.audit("key.revoke", fingerprint, {"from": iso(revoked_at), "replaced_by": replaced_by, **detail}, now)
    return True


class Roster(Part):
    """``ws.roster()`` lists the members; ``ws.roster.add(card)``, ``.member(ref)``, ``.trust(card)``…"""

    def trust_card(self, card: PublicCard, now: datetime, *, as_secretariat: bool = False) -> bool:
        """Inside a transaction: trust ``card``; return whether anything changed."""
        row = self.tx.one("SELECT trusted, card, trusted_as FROM cards WHERE fingerprint = ?", (card.fingerprint,))
        text = card.to_json().decode("utf-8")
        purpose = "secretariat" if as_secretariat else (row[2] if row is not None else "")
        if row is not None and row[0] and row[1] == text and row[2] == purpose:
            return False
        self.tx.database.execute(
            "INSERT INTO cards (fingerprint, card, trusted, added_at, trusted_as) VALUES (?, ?, 1, ?, ?) "
            "ON CONFLICT(fingerprint) DO UPDATE SET card = excluded.card, trusted = 1, trusted_as = excluded.trusted_as",
            (card.fingerprint, text, iso(now), purpose))
        return True

    @guarded
    def trust(self, card: PublicCard, *, as_secretariat: bool = False, now: datetime | None = None) -> None:
        """Trust bundles signed by ``card`` (already trusted: no change). ``as_secretariat``: on a
        member's profile, accept applications, withdrawals and draft advice from it — a card's own
        claim to be the secretariat never does that."""
        moment = now or utcnow()
        if as_secretariat and self.tx.is_secretariat:
            raise InvalidInput("This is the secretariat's own profile; it accepts applications and drafts only "
                               "from its own key.")
        with self.tx.write():
            if self.trust_card(card, moment, as_secretariat=as_secretariat):
                self.tx.audit("card.trust", card.fingerprint,
                              {"name": card.name, "role": card.role.value, "as_secretariat": as_secretariat}, moment)

    @guarded
    def trusted(self) -> list[PublicCard]:
        """Every trusted card, the person's own first."""
        rows = self.tx.all("SELECT card FROM cards WHERE trusted = 1 ORDER BY fingerprint != ?, rowid",
                           (self.tx.fingerprint,))
        return [PublicCard.from_json(r[0]) for r in rows]

    @guarded
    def trusted_secretariat(self) -> list[PublicCard]:
        """The cards this member chose to trust as the secretariat (none on the secretariat's profile)."""
        rows = self.tx.all("SELECT card FROM cards WHERE trusted = 1 AND trusted_as = 'secretariat' ORDER BY rowid")
        return [PublicCard.from_json(r[0]) for r in rows]

    @guarded
    def card(self, fingerprint: str) -> PublicCard:
        """The known card with that fingerprint (any spacing or case). Raises NotFound or InvalidInput."""
        fp = normalise_fingerprint(fingerprint)
        row = self.tx.one("SELECT card FROM cards WHERE fingerprint = ?", (fp,))
        if row is None:
            raise NotFound(f"No one with the fingerprint {fingerprint} is known to this profile. "
                           "Add their public card first.")
        return PublicCard.from_json(row[0])

    def known_card(self, fingerprint: str) -> PublicCard | None:
        """The card held for an exact fingerprint, trusted or not, or None (inside a session)."""
        row = self.tx.one("SELECT card FROM cards WHERE fingerprint = ?", (fingerprint,))
        return PublicCard.from_json(row[0]) if row is not None else None

    @guarded
    def add(self, card: PublicCard, role: Role | str | None = None, acts_for: str = "", *,
            now: datetime | None = None) -> Member:
        """Put the card's owner on the roster (and trust them); return the member.

        ``role`` overrides the role on the card. Adding someone already on the roster updates
        their role. Raises InvalidInput.
        """
        moment = now or utcnow()
        try:
            chosen = Role(role) if role is not None else card.role
        except ValueError:
            raise InvalidInput(f"'{role}' is not a role. Use one of: {', '.join(r.value for r in Role)}.") from None
        member = Member(fingerprint=card.fingerprint, name=card.name, role=chosen,
                        organisation=card.organisation, acts_for=acts_for or card.acts_for)
        with self.tx.write() as db:
            self.trust_card(card, moment)
            existed = self.tx.one("SELECT 1 FROM roster WHERE fingerprint = ?", (card.fingerprint,)) is not None
            db.execute(
                "INSERT INTO roster (fingerprint, name, role, organisation, acts_for, added_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(fingerprint) DO UPDATE SET name = excluded.name, "
                "role = excluded.role, organisation = excluded.organisation, acts_for = excluded.acts_for",
                (member.fingerprint, member.name, member.role.value, member.organisation, member.acts_for,
                 iso(moment)))
            self.tx.audit("roster.update" if existed else "roster.add", member.fingerprint,
                          {"role": member.role.value}, moment)
        return member

    def members(self, where: str = "", params: Sequence = ()) -> list[Member]:
        """Roster members matching ``where`` (inside a session), in the order they were added."""
        rows = self.tx.all(f"SELECT fingerprint, name, role, organisation, acts_for FROM roster {where} "
                           "ORDER BY rowid", params)
        return [Member(fingerprint=r[0], name=r[1], role=Role(r[2]), organisation=r[3], acts_for=r[4])
                for r in rows]

    @guarded
    def __call__(self) -> list[Member]:
        """Everyone on the roster whose key has not been revoked, in the order they were added (a revoked
        key's holder is still found by :meth:`member`, so what they sent before stays on record)."""
        return self.members("WHERE fingerprint NOT IN (SELECT fingerprint FROM revocations)")

    @guarded
    def member(self, ref: str) -> Member:
        """The roster member with fingerprint ``ref`` (any spacing or case) or exactly that name.

        Raises NotFound, or InvalidInput when two members have that name.
        """
        try:
            fp = normalise_fingerprint(ref)
        except InvalidInput:
            fp = None
        if fp is not None:
            found = self.members("WHERE fingerprint = ?", (fp,))
            if found:
                return found[0]
        found = self.members("WHERE name = ?", (str(ref).strip(),))
        if len(found) > 1:
            raise InvalidInput(f"{len(found)} members on the roster are called {ref}. Use the fingerprint instead.")
        if not found:
            raise NotFound(f"No one on the roster is called or has the fingerprint '{ref}'. "
                           "Use a member's exact name or fingerprint ('panel-desk roster list').")
        return found[0]

    # -- revoked keys -------------------------------------------------------------------------------

    def record_revocation(self, fingerprint: str, revoked_at: datetime, reason: str, replaced_by: str,
                          now: datetime) -> bool:
        """Inside a transaction: record that a key is revoked (see :func:`record_revocation`)."""
        return record_revocation(self.tx, fingerprint, revoked_at, reason, replaced_by, now)

    def revocation(self, fingerprint: str) -> Revocation | None:
        """The revocation of that key, or None (inside a session)."""
        row = self.tx.one("SELECT fingerprint, revoked_at, reason, replaced_by FROM revocations WHERE fingerprint = ?",
                          (fingerprint,))
        return Revocation(row[0], from_iso(row[1]), row[2], row[3]) if row else None

    @guarded
    def revocations(self) -> list[Revocation]:
        """Every revoked key, oldest revocation first."""
        return [Revocation(r[0], from_iso(r[1]), r[2], r[3])
                for r in self.tx.all("SELECT fingerprint, revoked_at, reason, replaced_by FROM revocations "
                                     "ORDER BY revoked_at")]

    def remove(self, fingerprint: str, now: datetime) -> None:
        """Inside a transaction: take a member off the roster (their card and records stay)."""
        self.tx.database.execute("DELETE FROM roster WHERE fingerprint = ?", (fingerprint,))
        self.tx.audit("roster.remove", fingerprint, None, now)
