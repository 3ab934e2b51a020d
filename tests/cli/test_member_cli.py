"""A member's commands through main(): declare, response template and seal, signoff."""

from __future__ import annotations

import tomllib

import pytest
from _panel import EXAMPLE, MEMBERS, PASSPHRASE, make_desk

from panel_desk.core import bundle


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch):
    monkeypatch.setenv("PANEL_DESK_PASSPHRASE", PASSPHRASE)


@pytest.fixture
def desk(tmp_path, capsys):
    return make_desk(tmp_path, capsys)


@pytest.fixture
def app_id(desk):
    app_id = desk.run("sam", "application", "new", EXAMPLE).last
    desk.run("sam", "application", "seal", app_id, "--out", desk.file("app.pdbundle"))
    for m in MEMBERS:
        desk.import_(m, desk.file("app.pdbundle"))
    return app_id


def _fill(text: str) -> str:
    for old, new in (('rating = ""', 'rating = "improve"'), ('confidence = ""', 'confidence = "high"'),
                     ('rationale = """\n"""', 'rationale = """\nChildren\'s wishes come first.\n"""')):
        text = text.replace(old, new, 1)
    head, tail = text.split("[monitoring]")
    for old, new in (('rating = ""', 'rating = "sufficient"'), ('confidence = ""', 'confidence = "medium"'),
                     ('rationale = """\n"""', 'rationale = """\nQuarterly audits.\n"""')):
        tail = tail.replace(old, new, 1)
    return head + "[monitoring]" + tail


# --- declare -------------------------------------------------------------------------------------------


def test_declare_none_and_send_it(desk, app_id):
    r = desk.run("cara", "declare", app_id, "--none", "--out", desk.file("decl.pdbundle"))
    assert r.out.splitlines() == [
        f"Recorded your declaration for revision 1 of {app_id}: no interests.",
        f"Sealed it for the secretariat (Sam Secretary) alone into {desk.file('decl.pdbundle')}."]
    assert bundle.inspect(desk.file("decl.pdbundle")).recipients == 1
    desk.import_("sam", desk.file("decl.pdbundle"))


def test_declare_several_interests(desk, app_id):
    r = desk.run("eve", "declare", app_id, "--interest", "prior-involvement", "I advised Wexmoor.",
                 "--interest", "financial", "I hold shares in a provider.")
    assert f"revision 1 of {app_id}: 2 interests." in r.out
    with desk.workspace("eve") as ws:
        assert [i.type.value for i in ws.declaration(app_id).interests] == ["prior-involvement", "financial"]


def test_declare_refusals(desk, app_id):
    r = desk.run("eve", "declare", app_id, "--interest", "hobby", "Birds.", expect=1)
    assert "'hobby' is not a type of interest" in r.err
    desk.run("eve", "declare", app_id, expect=2)
    desk.run("eve", "declare", app_id, "--none", "--interest", "personal", "x", expect=2)
    desk.run("eve", "declare", "nowhere-2026-0000", "--none", expect=1)


# --- response -------------------------------------------------------------------------------------------


def test_response_template_then_seal(desk, app_id):
    template = desk.run("cara", "response", "template", app_id).out
    data = tomllib.loads(template)
    assert data["application"] == app_id and data["outcomes"]["rating"] == ""
    form = desk.file("FORM.toml")
    form.write_text(_fill(template), encoding="utf-8")
    r = desk.run("cara", "response", "seal", form, "--out", desk.file("r1.pdbundle"), expect=1)
    assert "Declare your interests in revision 1" in r.err
    desk.run("cara", "declare", app_id, "--none")
    r = desk.run("cara", "response", "seal", form, "--out", desk.file("r1.pdbundle"))
    assert r.out.strip() == (f"Sealed response 1 to revision 1 of {app_id} for the secretariat (Sam Secretary) "
                             f"alone into {desk.file('r1.pdbundle')}.")
    assert bundle.inspect(desk.file("r1.pdbundle")).recipients == 1
    assert desk.run("cara", "response", "template", app_id).out == form.read_text(encoding="utf-8")
    r = desk.run("cara", "response", "seal", form, "--out", desk.file("r2.pdbundle"))
    assert "Sealed response 2" in r.out and "It replaces your earlier response." in r.out
    desk.import_("sam", desk.file("r1.pdbundle"), desk.file("r2.pdbundle"))


def test_response_seal_saves_an_incomplete_form_and_says_what_is_missing(desk, app_id):
    desk.run("ian", "declare", app_id, "--none")
    template = desk.run("ian", "response", "template", app_id).out
    form = desk.file("FORM.toml")
    form.write_text(template.replace('rating = ""', 'rating = "worsen"', 1), encoding="utf-8")
    r = desk.run("ian", "response", "seal", form, "--out", desk.file("r.pdbundle"), expect=1)
    assert r.err.startswith("panel-desk: Your answers are saved, but the response cannot be sent yet: "
                            f"{form}: outcomes.confidence: Choose how confident you are")
    assert not desk.file("r.pdbundle").exists()
    assert 'rating = "worsen"' in desk.run("ian", "response", "template", app_id).out


def test_response_seal_names_the_field_that_is_wrong(desk, app_id):
    template = desk.run("ian", "response", "template", app_id).out
    form = desk.file("FORM.toml")
    form.write_text(_fill(template).replace('rating = "improve"', 'rating = "improves"'), encoding="utf-8")
    r = desk.run("ian", "response", "seal", form, "--out", desk.file("r.pdbundle"), expect=1)
    assert f"{form}: outcomes.rating: 'improves' is not allowed; choose one of improve_significantly," in r.err
    r = desk.run("ian", "response", "seal", desk.file("missing.toml"), "--out", desk.file("r.pdbundle"), expect=1)
    assert "There is no file" in r.err


def test_response_seal_refuses_a_form_for_a_replaced_revision(desk, app_id, tmp_path):
    import shutil

    template = desk.run("cara", "response", "template", app_id).out
    form = desk.file("FORM.toml")
    form.write_text(_fill(template), encoding="utf-8")
    folder = tmp_path / "rev2"
    shutil.copytree(EXAMPLE, folder)
    (folder / "application.toml").write_text(f'id = "{app_id}"\n' + (folder / "application.toml").read_text())
    desk.run("sam", "application", "new", folder, "--reason", "New risk assessment.")
    desk.run("sam", "application", "seal", app_id, "--out", desk.file("app2.pdbundle"))
    desk.import_("cara", desk.file("app2.pdbundle"))
    r = desk.run("cara", "response", "seal", form, "--out", desk.file("r.pdbundle"), expect=1)
    assert f"answers revision 1 of {app_id}, but revision 2 has arrived since" in r.err


# --- signoff ---------------------------------------------------------------------------------------------


def test_signoff_needs_a_draft_and_one_answer(desk, app_id):
    r = desk.run("cara", "signoff", app_id, "--concur", "--out", desk.file("s.pdbundle"), expect=1)
    assert "Declare your interests in this application before reading the draft advice." in r.err
    desk.run("cara", "declare", app_id, "--none")
    r = desk.run("cara", "signoff", app_id, "--concur", "--out", desk.file("s.pdbundle"), expect=1)
    assert "No draft advice has arrived" in r.err
    desk.run("cara", "signoff", app_id, "--concur", "--dissent", "x", "--out", desk.file("s.pdbundle"), expect=2)
    desk.run("cara", "signoff", app_id, "--out", desk.file("s.pdbundle"), expect=2)


def test_signoff_dissent_and_comment(desk, app_id, tmp_path):
    for m in MEMBERS:
        desk.run(m, "declare", app_id, "--none", "--out", desk.file(f"{m}-d.pdbundle"))
        desk.import_("sam", desk.file(f"{m}-d.pdbundle"))
    draft = tmp_path / "draft.toml"
    draft.write_text('summary = "S."\noutcomes = "O."\nmonitoring = "M."\n')
    desk.run("sam", "advice", "draft", app_id, "--from", draft)
    desk.run("sam", "advice", "circulate", app_id, "--out", desk.file("draft.pdbundle"))
    desk.import_("eve", desk.file("draft.pdbundle"))
    desk.import_("ian", desk.file("draft.pdbundle"))
    r = desk.run("eve", "signoff", app_id, "--dissent", "Too risky for disabled children.", "--attribute", "role",
                 "--out", desk.file("eve-s.pdbundle"))
    assert r.out.splitlines() == [f"You dissent from draft 1 of the advice on {app_id}.",
                                  "It will be attributed by your role.",
                                  f"Sealed for the secretariat (Sam Secretary) alone into {desk.file('eve-s.pdbundle')}."]
    r = desk.run("ian", "signoff", app_id, "--comment", "Good.", "--out", desk.file("ian-s.pdbundle"))
    assert r.out.startswith("You concur, with a comment, with draft 1")
    r = desk.run("ian", "signoff", app_id, "--comment", "  ", "--out", desk.file("x.pdbundle"), expect=1)
    assert "Write your comment" in r.err
    desk.import_("sam", desk.file("eve-s.pdbundle"), desk.file("ian-s.pdbundle"))
