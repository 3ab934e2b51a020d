"""An in-memory stand-in for the store's Workspace and core.member, for fast screen tests.

It follows the documented API of ``panel_desk.core.store.Workspace`` and ``core.member`` closely
enough for the screens; the end-to-end test uses the real ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

from panel_desk.core.appdir import load_application_dir
from panel_desk.core.model import (
    Annotation,
    Application,
    ConflictDeclaration,
    DraftAdvice,
    Interest,
    Member,
    Response,
    ResponseAnswers,
    Role,
    SignOff,
    utcnow,
)


@dataclass
class Hit:
    application_id: str
    document: str
    title: str
    page: int
    snippet: str
    highlights: tuple = ()


@dataclass
class FakeWorkspace:
    apps: dict[str, Application] = field(default_factory=dict)
    files: dict[str, dict[str, bytes]] = field(default_factory=dict)
    decl: dict[str, ConflictDeclaration] = field(default_factory=dict)
    notes: dict[str, Annotation] = field(default_factory=dict)
    saved: dict[str, ResponseAnswers] = field(default_factory=dict)
    sent_responses: list[Response] = field(default_factory=list)
    drafts: dict[str, DraftAdvice] = field(default_factory=dict)
    settings: dict[str, object] = field(default_factory=dict)
    locked: bool = False
    save_count: int = 0
    me: Member = field(default_factory=lambda: Member(fingerprint="A" * 32, name="Grace Adeyemi",
                                                       role=Role.VOLUNTARY_SECTOR))
    is_secretariat: bool = False

    @property
    def identity(self):
        return SimpleNamespace(fingerprint=self.me.fingerprint, name=self.me.name)

    def add_example(self, folder: Path, *, today: date | None = None, **changes) -> Application:
        app, files = load_application_dir(folder)
        app = app.with_id()
        if today is not None:
            asked = today - timedelta(days=5)
            dates = {"received": asked - timedelta(days=10), "panel_asked": asked,
                     "advice_due": asked + timedelta(days=30), "regulations_intended": asked + timedelta(days=37)}
            app = app.model_copy(update={"dates": app.dates.model_copy(update=dates)})
        app = app.model_copy(update=changes)
        self.apps[app.id] = app
        self.files[app.id] = {k: (v.read_bytes() if isinstance(v, Path) else v) for k, v in files.items()}
        return app

    # workspace API
    def lock(self):
        self.locked = True

    def unlock(self, passphrase):
        from panel_desk.core.errors import WrongPassphrase

        if passphrase != "right passphrase":
            raise WrongPassphrase()
        self.locked = False

    def get_setting(self, key, default=None):
        return self.settings.get(key, default)

    def set_setting(self, key, value):
        json.dumps(value)
        self.settings[key] = value

    def applications(self):
        return [SimpleNamespace(id=a.id, status=SimpleNamespace(label=self._status(a.id)),
                                provisions="; ".join(p.citation for p in a.provisions)) for a in self.apps.values()]

    def _status(self, app_id):
        if self.declaration(app_id) is None:
            return "Declare your interests"
        if app_id in self.drafts:
            return "Draft advice to sign off"
        return "Response sent" if self.responses(app_id) else "In review"

    def application(self, app_id):
        return self.apps[app_id]

    def application_bundle_path(self, app_id):
        raise FileNotFoundError(app_id)

    def documents(self, app_id):
        return self.apps[app_id].documents

    def read_document(self, app_id, path):
        from panel_desk.core.store import DeclarationNeeded

        if self.declaration(app_id) is None:
            raise DeclarationNeeded()
        return self.files[app_id][path]

    def declaration(self, app_id, member=None):
        d = self.decl.get(app_id)
        return d if d is not None and d.application_revision == self.apps[app_id].revision else None

    def save_declaration(self, decl, now=None):
        self.decl[decl.application_id] = decl

    def annotations(self, app_id, document=None):
        items = [a for a in self.notes.values() if a.application_id == app_id and document in (None, a.document)]
        return sorted(items, key=lambda a: (a.document, a.page, a.rects[0][1] if a.rects else 0))

    def save_annotation(self, ann, now=None):
        ann = ann.model_copy(update={"updated_at": utcnow()})
        self.notes[ann.id] = ann
        return ann

    def delete_annotation(self, ann_id):
        return self.notes.pop(ann_id)

    def answers(self, app_id):
        return self.saved.get(app_id, ResponseAnswers())

    def save_answers(self, app_id, answers, now=None):
        self.save_count += 1
        self.saved[app_id] = answers

    def responses(self, app_id, all_revisions=False):
        return [r for r in self.sent_responses if r.application_id == app_id]

    def latest_draft(self, app_id):
        return self.drafts.get(app_id)

    def search(self, query, app_id=None, limit=50):
        from panel_desk.ui.member.pdf import load_pdf
        from panel_desk.ui.qt import QtCore

        hits = []
        for path, data in self.files[app_id].items():
            doc, buf = load_pdf(data)
            for page in range(doc.pageCount()):
                text = doc.getAllText(page).text()
                i = text.casefold().find(query.casefold())
                if i >= 0:
                    hits.append(Hit(app_id, path, path, page + 1, text[max(0, i - 30): i + 30]))
            doc.close()
            buf.close()
        _ = QtCore
        return hits


class FakeMember:
    """core.member's verbs over a FakeWorkspace."""

    def declare(self, ws, app_id, *, none=False, interests=(), now=None):
        app = ws.application(app_id)
        d = ConflictDeclaration(application_id=app_id, application_revision=app.revision, member=ws.me.fingerprint,
                                none_to_declare=none, interests=[Interest(type=t, text=x) for t, x in interests])
        ws.save_declaration(d)
        return d

    def export_declaration(self, ws, app_id, out):
        Path(out).write_bytes(b"sealed declaration")
        return Path(out)

    def response_problems(self, ws, app_id):
        return ws.answers(app_id).missing()

    def send_response(self, ws, app_id, out):
        revision = len(ws.responses(app_id)) + 1
        r = Response(application_id=app_id, application_revision=ws.application(app_id).revision,
                     member=ws.me.fingerprint, revision=revision, answers=ws.answers(app_id))
        ws.sent_responses.append(r)
        Path(out).write_bytes(b"sealed response")
        return r

    def sign_off(self, ws, app_id, kind, *, text="", attribute="name", out):
        draft = ws.latest_draft(app_id)
        s = SignOff(application_id=app_id, draft_revision=draft.revision, member=ws.me.fingerprint, kind=kind,
                    text=text, attribute=attribute)
        ws.settings["signoff"] = s
        Path(out).write_bytes(b"sealed signoff")
        return s
