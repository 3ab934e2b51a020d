"""Who may send what to this profile: decided by the profile's own trust, never by a sender's card.

A role written on a public card is a claim its holder made about themselves. On a member's laptop
the secretariat is exactly the card(s) the member chose to trust (at ``init``); on the
secretariat's laptop it is the secretariat's own key, and a member's role and standing are the
roster's and the register's. Every check here runs inside the import, before anything is
recorded, and refuses in words.
"""

from __future__ import annotations

from panel_desk.core.bundle import Kind
from panel_desk.core.errors import NotFound
from panel_desk.core.model import ConflictDeclaration, Decision, Role
from panel_desk.core.store.results import Refused

SECRETARIAT_KINDS = frozenset({Kind.APPLICATION, Kind.WITHDRAWAL, Kind.DRAFT_ADVICE, Kind.HANDOVER})
MEMBER_KINDS = frozenset({Kind.RESPONSE, Kind.DECLARATION, Kind.SIGNOFF})


def _refused(message: str) -> Exception:
    return Refused(message)


def secretariat_fingerprints(ws) -> set[str]:
    """The keys this profile accepts applications, withdrawals and draft advice from."""
    if ws.is_secretariat:
        return {ws.fingerprint}
    return {c.fingerprint for c in ws.trusted_secretariat() if c.fingerprint != ws.fingerprint}


_NOUNS = {Kind.RESPONSE: "response", Kind.DECLARATION: "declaration of interests", Kind.SIGNOFF: "sign-off",
          Kind.APPLICATION: "application", Kind.WITHDRAWAL: "withdrawal", Kind.DRAFT_ADVICE: "draft advice",
          Kind.HANDOVER: "handover"}


def _what(kind: Kind) -> str:
    return _NOUNS[kind]


def check_sender(ws, kind: Kind, signer, payload, manifest) -> None:
    """Refuse (raise Refused) a bundle whose signer may not send it to this profile.

    Runs inside the workspace session. ``signer`` is the verified signer's card, ``payload`` the
    bundle's validated content.
    """
    revoked = ws.roster.revocation(signer.fingerprint)
    if revoked is not None and manifest.created_at >= revoked.revoked_at:
        raise _refused(f"{kind.label} signed by {signer.name} on {manifest.created_at:%d %B %Y}, but that key was "
                       f"revoked from {revoked.revoked_at:%d %B %Y %H:%M} UTC ({revoked.reason.rstrip('.')}). "
                       "It was not imported.")
    if kind in SECRETARIAT_KINDS:
        if signer.fingerprint not in secretariat_fingerprints(ws):
            whom = ("this profile's own secretariat key" if ws.is_secretariat
                    else "the secretariat you chose to trust")
            claim = " (their card calls them the secretariat, but a card cannot give itself that role)" \
                if signer.role is Role.SECRETARIAT else ""
            raise _refused(f"{kind.label} is accepted only from {whom}, but this one was signed by "
                           f"{signer.name}{claim}. It was not imported.")
        return
    if not ws.is_secretariat:
        raise _refused(f"This is the {_what(kind)} of {signer.name}, addressed to the secretariat. A panel "
                       "member's profile does not import it.")
    _check_member(ws, kind, signer, payload, manifest)


def _check_member(ws, kind: Kind, signer, payload, manifest) -> None:
    try:
        member = ws.member(signer.fingerprint)
    except NotFound:
        raise _refused(f"{kind.label} from {signer.name}, who is not on the roster. It was not imported; add them "
                       "to the roster first if they should be.") from None
    name = member.name
    if member.role is Role.SECRETARIAT:
        raise _refused(f"{kind.label} signed by {name}, who is on the roster as the secretariat, not as a panel "
                       "member. It was not imported.")
    if payload.member != signer.fingerprint:
        raise _refused(f"{kind.label} signed by {name} but written in someone else's name. It was not imported. "
                       "Ask the member for a new copy.")
    app_id = manifest.application_id
    try:
        app = ws.application(app_id)
    except NotFound:
        raise _refused(f"{kind.label} about application {app_id}, which this profile does not hold. "
                       "It was not imported.") from None
    decision = latest_decision(ws, app.id, signer.fingerprint)
    if decision is Decision.RECUSED:
        raise _refused(f"{name} is recused from {app.title}, so their {_what(kind)} was not imported.")
    if kind is Kind.SIGNOFF:
        draft = payload.draft_revision
        if not _sent_to(ws, app.id, "draft-advice", draft, signer.fingerprint):
            raise _refused(f"{name} was not sent draft {draft} of the advice on {app.title}, so their sign-off "
                           "was not imported.")
    else:
        revision = payload.application_revision
        if revision == app.revision and not _sent_to(ws, app.id, "application", revision, signer.fingerprint):
            raise _refused(f"{name} was not sent revision {revision} of {app.title}, so their {_what(kind)} "
                           "was not imported.")
    if kind in (Kind.RESPONSE, Kind.SIGNOFF):
        carried = getattr(payload, "declaration", None)
        if carried is not None:
            check_carried_declaration(carried, signer.fingerprint, app.id, app.revision)
        elif ws.declaration(app.id, signer.fingerprint) is None:
            raise _refused(f"{name} has not declared their interests in revision {app.revision} of {app.title}, "
                           f"and their {_what(kind)} does not carry a declaration. It was not imported: ask them "
                           "to send their declaration first.")


def check_carried_declaration(decl: ConflictDeclaration, member: str, app_id: str, revision: int) -> None:
    """A declaration inside a response or sign-off must be the sender's own, for the current revision."""
    if decl.member != member or decl.application_id != app_id:
        raise _refused("The declaration inside this bundle is not the sender's own declaration for this "
                       "application. It was not imported.")
    if decl.application_revision != revision:
        raise _refused(f"The declaration inside this bundle is for revision {decl.application_revision}, but "
                       f"revision {revision} of the application is current. It was not imported; ask the member "
                       "to declare for the current revision.")


def latest_decision(ws, app_id: str, fingerprint: str) -> Decision | None:
    found = None
    for d in ws.decisions(app_id):
        if d.member == fingerprint:
            found = d.decision
    return found


def _sent_to(ws, app_id: str, kind: str, revision: int, fingerprint: str) -> bool:
    return any(s["revision"] == revision and fingerprint in s["recipients"] for s in ws.sent(app_id, kind))
