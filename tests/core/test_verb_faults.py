"""Every composite verb is all or nothing: failed at each of its write steps, the profile is exactly as
before (no record, no audit entry, no file) and the verb can simply be tried again.

A write step is a change that appends to the audit chain, so failing the k-th append fails the
k-th step, for k = 1, 2, … until the verb completes without reaching k.
"""

from __future__ import annotations

import pytest
from _workflow import EXAMPLE, NOW, PEOPLE, answers, make_panel, send_application

from panel_desk.core import member, secretariat
from panel_desk.core.model import Decision
from panel_desk.core.store import audit as audit_module

MEMBERS = [name for name, *_ in PEOPLE[1:]]


class Injected(Exception):
    """The fault this test injects."""


def _snapshot(ws, out=None) -> tuple:
    db = ws.tx.db
    tables = sorted(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
    rows = {t: db.execute(f"SELECT * FROM \"{t}\"").fetchall() for t in tables}
    files = sorted(p.name for p in ws.bundles_dir.iterdir())
    return rows, files, (out.exists() if out is not None else None)


def _fail_at(monkeypatch, k: int) -> list[int]:
    real = audit_module.append
    calls = [0]

    def append(*args, **kwargs):
        calls[0] += 1
        if calls[0] == k:
            raise Injected(f"write step {k}")
        return real(*args, **kwargs)

    monkeypatch.setattr(audit_module, "append", append)
    return calls


def _sent(panel) -> str:
    return send_application(panel)


def _declared_everywhere(panel, app_id) -> None:
    for name in MEMBERS:
        ws = panel.ws(name)
        member.declare(ws, app_id, none=True, now=NOW)
        member.export_declaration(ws, app_id, panel.out(f"{name}-d.pdbundle"), now=NOW)
        assert panel.sec.import_bundle(panel.out(f"{name}-d.pdbundle"), now=NOW).recorded


def _case(panel, name):
    """(the profile the verb changes, the file it writes or None, the verb)."""
    if name == "new_application":
        return panel.sec, None, lambda: secretariat.new_application(panel.sec, EXAMPLE, now=NOW)
    app_id = _sent(panel)
    if name == "withdraw":
        out = panel.out("withdrawal.pdbundle")
        return panel.sec, out, lambda: secretariat.withdraw(panel.sec, app_id, out, "The authority withdrew.",
                                                            now=NOW)
    if name == "decide":
        cara = panel.ws("Cara Okafor")
        member.declare(cara, app_id, interests=[("professional", "I advised the council.")], now=NOW)
        member.export_declaration(cara, app_id, panel.out("d.pdbundle"), now=NOW)
        assert panel.sec.import_bundle(panel.out("d.pdbundle"), now=NOW).recorded
        return panel.sec, None, lambda: secretariat.decide(panel.sec, app_id, "Cara Okafor", Decision.DECLARED,
                                                           "Published.", now=NOW)
    if name == "send_response":
        cara = panel.ws("Cara Okafor")
        member.declare(cara, app_id, none=True, now=NOW)
        cara.save_answers(app_id, answers("Cara"), now=NOW)
        out = panel.out("response.pdbundle")
        return cara, out, lambda: member.send_response(cara, app_id, out, now=NOW)
    if name in ("sign_off", "import_signoff"):
        _declared_everywhere(panel, app_id)
        secretariat.draft_advice(panel.sec, app_id, {"summary": "S.", "outcomes": "O.", "monitoring": "M."},
                                 now=NOW)
        secretariat.circulate(panel.sec, app_id, panel.out("draft.pdbundle"), now=NOW)
        ian = panel.ws("Ian Moss")
        assert ian.import_bundle(panel.out("draft.pdbundle"), now=NOW).recorded
        out = panel.out("signoff.pdbundle")
        if name == "sign_off":
            return ian, out, lambda: member.sign_off(ian, app_id, "dissent", text="I disagree.", out=out, now=NOW)
        member.sign_off(ian, app_id, "concur", out=out, now=NOW)
        return panel.sec, None, lambda: panel.sec.import_bundle(out, now=NOW)
    if name == "import_response":
        # a response carrying its declaration: the declaration and the response are two write steps
        cara = panel.ws("Cara Okafor")
        member.declare(cara, app_id, none=True, now=NOW)
        cara.save_answers(app_id, answers("Cara"), now=NOW)
        out = panel.out("response.pdbundle")
        member.send_response(cara, app_id, out, now=NOW)
        return panel.sec, None, lambda: panel.sec.import_bundle(out, now=NOW)
    raise AssertionError(name)


@pytest.mark.parametrize("name", ["new_application", "withdraw", "decide", "send_response", "sign_off",
                                  "import_response", "import_signoff"])
def test_a_verb_failed_at_any_write_step_changes_nothing_and_can_be_retried(tmp_path, monkeypatch, name):
    panel = make_panel(tmp_path)
    try:
        ws, out, verb = _case(panel, name)
        before = _snapshot(ws, out)
        k = 0
        while True:
            k += 1
            calls = _fail_at(monkeypatch, k)
            try:
                result = verb()
            except Injected:
                assert _snapshot(ws, out) == before, f"{name}: step {k} left a change behind"
                continue
            finally:
                monkeypatch.undo()
            assert calls[0] < k, "the verb succeeded although a write step failed"
            break
        assert k > 2 or name in ("new_application", "decide"), f"{name} had only {k - 1} write step(s)"
        if hasattr(result, "recorded"):
            assert result.recorded, result.message
        assert _snapshot(ws, out) != before
        if out is not None:
            assert out.exists()
    finally:
        panel.close()
