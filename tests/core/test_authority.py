"""Authority is never self-declared: who may send what is decided by the receiver's own trust.

Every bundle here is really sealed and validly signed by someone the receiver knows; what is
refused is refused because of who sent it, with the reason in words, and the profile is left
exactly as it was.
"""

from __future__ import annotations

import pytest
from _workflow import EXAMPLE, NOW, PEOPLE, answers, make_identity, make_panel, send_application

from panel_desk.core import bundle, member, secretariat
from panel_desk.core.model import ConflictDeclaration, Decision, DraftAdvice, Response, Role, SignOff

MEMBERS = [name for name, *_ in PEOPLE[1:]]


@pytest.fixture
def panel(tmp_path):
    p = make_panel(tmp_path)
    yield p
    p.close()


def _state(ws) -> tuple:
    """What an import could change: every table's rows, the audit head and the files kept."""
    db = ws.tx.db
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                       "AND name NOT LIKE 'pages%'")]
    rows = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    return rows, sorted(p.name for p in ws.bundles_dir.iterdir())


def _sent(panel, to=None) -> str:
    return send_application(panel, to=to)


def _seal(kind, payload: dict, app_id: str, revision: int, signer, to, out):
    bundle.seal(kind, application_id=app_id, revision=revision, payload=payload, files={}, signer=signer,
                recipients=to, out=out, now=NOW)
    return out


def _refused(ws, path, words: str) -> None:
    before = _state(ws)
    result = ws.import_bundle(path, now=NOW)
    assert result.refused, result.message
    assert words in result.message
    assert _state(ws) == before


# --- the secretariat's kinds: only from the secretariat's own key -------------------------------------


@pytest.fixture
def self_styled(panel, tmp_path):
    """Mallory's self-made card says 'secretariat'; the secretariat put her on the roster as an expert."""
    mallory = make_identity(tmp_path, "Mallory Claims", Role.SECRETARIAT)
    panel.sec.roster_add(mallory.card, role=Role.EXPERT)
    return mallory


@pytest.mark.parametrize("kind", ["withdrawal", "application", "draft-advice"])
def test_a_card_that_calls_itself_the_secretariat_cannot_act_as_it(panel, self_styled, kind):
    app_id = _sent(panel)
    app = panel.sec.application(app_id)
    if kind == "withdrawal":
        payload, revision = {"reason": "Withdrawn by the authority."}, 1
    elif kind == "application":
        payload = app.model_copy(update={"revision": 2, "title": "Something else entirely",
                                         "documents": []}).model_dump(mode="json")
        revision = 2
    else:
        payload = DraftAdvice(application_id=app_id, revision=1, summary="S.", outcomes="O.",
                              monitoring="M.", created_at=NOW).model_dump(mode="json")
        revision = 1
    path = _seal(bundle.Kind(kind), payload, app_id, revision, self_styled, [panel.sec.identity.card],
                 panel.out("forged.pdbundle"))
    _refused(panel.sec, path, "accepted only from this profile's own secretariat key")
    _refused(panel.sec, path, "a card cannot give itself that role")
    assert panel.sec.application(app_id).title == app.title
    assert panel.sec.application_bundle_path(app_id).exists()
    # a member's laptop trusts only the secretariat its owner chose
    cara = panel.ws("Cara Okafor")
    cara.trust(self_styled.card, now=NOW)  # even a card she trusts for something else
    path = _seal(bundle.Kind(kind), payload, app_id, revision, self_styled, [cara.identity.card],
                 panel.out("forged-cara.pdbundle"))
    _refused(cara, path, "accepted only from the secretariat you chose to trust")


def test_a_member_profile_does_not_take_members_bundles(panel):
    app_id = _sent(panel)
    cara, ian = panel.ws("Cara Okafor"), panel.ws("Ian Moss")
    ian.trust(cara.identity.card, now=NOW)
    decl = ConflictDeclaration(application_id=app_id, application_revision=1, member=cara.fingerprint,
                               none_to_declare=True, declared_at=NOW)
    path = _seal(bundle.Kind.DECLARATION, decl.model_dump(mode="json"), app_id, 1, cara.identity,
                 [ian.identity.card], panel.out("d.pdbundle"))
    _refused(ian, path, "addressed to the secretariat")


# --- the members' kinds: from roster members who were sent it and are not recused ---------------------


def _response(ws, app_id, *, declaration=True) -> Response:
    decl = ConflictDeclaration(application_id=app_id, application_revision=1, member=ws.fingerprint,
                               none_to_declare=True, declared_at=NOW) if declaration else None
    return Response(application_id=app_id, application_revision=1, member=ws.fingerprint,
                    answers=answers(ws.me.name), submitted_at=NOW, declaration=decl)


def test_a_response_to_an_application_never_sent_is_refused_and_not_consolidated(panel):
    app = secretariat.new_application(panel.sec, EXAMPLE, now=NOW)
    cara = panel.ws("Cara Okafor")
    path = _seal(bundle.Kind.RESPONSE, _response(cara, app.id).model_dump(mode="json"), app.id, 1, cara.identity,
                 [panel.sec.identity.card], panel.out("r.pdbundle"))
    _refused(panel.sec, path, "Cara Okafor was not sent revision 1")
    assert secretariat.consolidate(panel.sec, app.id).question("outcomes").included == []


@pytest.mark.parametrize("kind", ["response", "declaration"])
def test_a_member_not_sent_this_revision_is_refused(panel, kind):
    app_id = _sent(panel, to=["Cara Okafor", "Ian Moss"])
    pat = panel.ws("Pat Lowe")
    resp = _response(pat, app_id)
    payload = resp.model_dump(mode="json") if kind == "response" else resp.declaration.model_dump(mode="json")
    path = _seal(bundle.Kind(kind), payload, app_id, 1, pat.identity, [panel.sec.identity.card],
                 panel.out("p.pdbundle"))
    _refused(panel.sec, path, "Pat Lowe was not sent revision 1")


@pytest.mark.parametrize("kind", ["response", "declaration", "signoff"])
def test_a_recused_member_is_refused(panel, kind):
    app_id = _sent(panel)
    eve = panel.ws("Eve Hart")
    secretariat.decide(panel.sec, app_id, "Eve Hart", Decision.RECUSED, "She advised the authority.", now=NOW)
    resp = _response(eve, app_id)
    if kind == "response":
        payload, revision = resp.model_dump(mode="json"), 1
    elif kind == "declaration":
        payload, revision = resp.declaration.model_dump(mode="json"), 1
    else:
        payload = SignOff(application_id=app_id, draft_revision=1, member=eve.fingerprint, kind="concur",
                          signed_at=NOW, declaration=resp.declaration).model_dump(mode="json")
        revision = 1
    path = _seal(bundle.Kind(kind), payload, app_id, revision, eve.identity, [panel.sec.identity.card],
                 panel.out("e.pdbundle"))
    _refused(panel.sec, path, "Eve Hart is recused from")


def test_a_trusted_stranger_and_an_untrusted_one_are_refused(panel, tmp_path):
    app_id = _sent(panel)
    stranger = make_identity(tmp_path, "Stan Ger", Role.EXPERT)
    decl = ConflictDeclaration(application_id=app_id, application_revision=1, member=stranger.fingerprint,
                               none_to_declare=True, declared_at=NOW)
    path = _seal(bundle.Kind.DECLARATION, decl.model_dump(mode="json"), app_id, 1, stranger,
                 [panel.sec.identity.card], panel.out("s.pdbundle"))
    _refused(panel.sec, path, "not been asked to trust")
    panel.sec.trust(stranger.card, now=NOW)
    _refused(panel.sec, path, "who is not on the roster")


def test_a_response_without_a_declaration_is_refused_and_one_carrying_it_completes_the_register(panel):
    app_id = _sent(panel)
    cara = panel.ws("Cara Okafor")
    bare = _seal(bundle.Kind.RESPONSE, _response(cara, app_id, declaration=False).model_dump(mode="json"), app_id, 1,
                 cara.identity, [panel.sec.identity.card], panel.out("bare.pdbundle"))
    _refused(panel.sec, bare, "Cara Okafor has not declared their interests in revision 1")
    # the member's verb seals the declaration inside the response: one file completes the register
    member.declare(cara, app_id, none=True, now=NOW)
    cara.save_answers(app_id, answers("Cara"), now=NOW)
    out = panel.out("response.pdbundle")
    member.send_response(cara, app_id, out, now=NOW)
    assert panel.sec.import_bundle(out, now=NOW).recorded
    row = next(r for r in secretariat.conflicts(panel.sec, app_id) if r.member.name == "Cara Okafor")
    assert row.status == "No interests to declare"
    # the separate declaration file, sent as well, is recognised as the same declaration
    member.export_declaration(cara, app_id, panel.out("decl.pdbundle"), now=NOW)
    again = panel.sec.import_bundle(panel.out("decl.pdbundle"), now=NOW)
    assert again.status == "duplicate" and "came with their response or sign-off" in again.message
