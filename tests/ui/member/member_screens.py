"""Render the member's main screens to PNG over real profiles (not a test: run it to look).

    QT_QPA_PLATFORM=offscreen python tests/ui/member/member_screens.py OUTDIR
    QT_QPA_PLATFORM=offscreen QT_SCALE_FACTOR=2 python tests/ui/member/member_screens.py OUTDIR
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from panel_desk.core import secretariat  # noqa: E402
from panel_desk.core.demo.applications import CASES  # noqa: E402
from panel_desk.core.demo.builder import write_application_folder  # noqa: E402
from panel_desk.core.identity import Identity  # noqa: E402
from panel_desk.core.model import AnnotationTag, Role  # noqa: E402
from panel_desk.core.store import init_profile  # noqa: E402
from panel_desk.ui import tasks  # noqa: E402
from panel_desk.ui.app import AppFlow, make_app  # noqa: E402
from panel_desk.ui.main_window import MainWindow  # noqa: E402
from panel_desk.ui.member import _parts  # noqa: E402
from panel_desk.ui.member.pdf import find_in_page  # noqa: E402
from panel_desk.ui.member.view import ASSESSMENT, DOCUMENTS, OVERVIEW  # noqa: E402
from panel_desk.ui.onboarding import FirstRun  # noqa: E402

PASS = "violet harbour kettle meadow"


def main(out: Path) -> None:
    from datetime import date

    out.mkdir(parents=True, exist_ok=True)
    app = make_app([sys.argv[0]])
    tmp = Path(tempfile.mkdtemp(prefix="member-screens-"))
    try:
        sec = Identity.create("Priya Natarajan", Role.SECRETARIAT, "Panel secretariat")
        sec.save(tmp / "sec.age", PASS, work_factor=10)
        sec.card.save(tmp / "sec.card.json")
        ws_sec = init_profile(tmp / "sec", tmp / "sec.age", PASS)
        ws_sec.roster_add(Identity.create("Rachel Lindqvist", Role.CHIEF_INSPECTOR, "Ofsted").card)
        apps = []
        for case in CASES[:2]:
            folder = tmp / case.slug
            write_application_folder(case, folder, date.today())
            apps.append(secretariat.new_application(ws_sec, folder))

        def wait_until(cond):
            import time

            while not cond():
                app.processEvents()
                time.sleep(0.01)

        def shot(widget, name):
            from panel_desk.ui.qt import QtCore

            loop = QtCore.QEventLoop()
            QtCore.QTimer.singleShot(60, loop.quit)
            loop.exec()  # a real loop: deferred deletes and layouts settle as they do for a person
            widget.grab().save(str(out / f"member-{name}.png"))

        window = MainWindow(tmp / "me")
        window.resize(*[int(v) for v in os.environ.get("SHOTS_SIZE", "1280x860").split("x")])
        _parts.ask_save_path = lambda parent, title, suggested, f: tmp / Path(suggested).name
        _parts.ask_open_path = lambda *a: tmp / "sec.card.json"
        flow = AppFlow(window, tmp / "me", work_factor=10)
        window.show()
        first: FirstRun = flow.gate
        first.name.setText("Tom Okafor")
        first.role.setCurrentIndex(first.role.findData(Role.CHILDRENS_COMMISSIONER.value))
        first.organisation.setText("Office of the Children's Commissioner")
        first.passphrase.setText(PASS)
        first.passphrase2.setText("violet harbour")
        first.create_button.click()
        shot(window, "first-run")
        first.passphrase2.setText(PASS)
        first.create_button.click()
        first.save_card_button.click()
        shot(window, "fingerprint")
        first.to_secretariat.click()
        first.choose_card.click()
        first.confirm.setChecked(True)
        shot(window, "secretariat-card")
        first.finish_button.click()
        wait_until(lambda: flow.ws is not None)
        view = flow.view
        for a in apps:
            from panel_desk.core.identity import PublicCard

            if not ws_sec.roster() or all(m.fingerprint != flow.ws.identity.fingerprint for m in ws_sec.roster()):
                ws_sec.roster_add(PublicCard.model_validate_json(flow.ws.identity.card.to_json()))
            secretariat.seal_application(ws_sec, a.id, tmp / f"{a.id}.pdbundle")
            view.open_files([tmp / f"{a.id}.pdbundle"])
            tasks.wait_for_all()
            wait_until(lambda: view._task is None)
        short = next(a for a in apps if a.dates.regulations_intended.toordinal() - a.dates.panel_asked.toordinal() < 42)
        view.select(short.id)
        window.tabs.setCurrentIndex(OVERVIEW)
        shot(window, "cover")
        from panel_desk.ui.member.overview import DeclarationDialog

        d = DeclarationDialog(window, flow.ws.application(short.id))
        d.some.setChecked(True)
        d.rows[0].text.setText("I chaired a fostering panel for the authority until 2024")
        d.resize(700, 560)
        d.show()
        shot(d, "declaration")
        d.close()
        view.overview.desk.declare(short.id, none=True, interests=[])
        view.select(short.id)
        view.refresh_list()
        window.tabs.setCurrentIndex(DOCUMENTS)
        docs = view.documents
        wait_until(lambda: docs.viewer.document is not None or bool(docs.viewer.error))  # opened off the GUI thread
        wait_until(lambda: docs.viewer.image_for(0) is not None or bool(docs.viewer.error))
        hit = find_in_page(docs.viewer.document, 0, "Children")
        if hit:
            docs.add_annotation(1, "Children", hit[0][1], note="Check who was asked", tag=AnnotationTag.CONSULTATION)
        docs.find.setText("review")
        docs.find_next()
        shot(window, "documents")
        window.tabs.setCurrentIndex(ASSESSMENT)
        view.assessment.show_tasks()
        shot(window, "task-list")
        step = view.assessment.open_step("outcomes")
        step.prompts[0].button.setChecked(True)
        step.save_and_continue()
        shot(window, "question-errors")
        step.fields["rating"].radios["improve"].setChecked(True)
        step.fields["confidence"].radios["medium"].setChecked(True)
        step.fields["rationale"].edit.setPlainText("Children keep a reviewer they know, with a way back.")
        step.save_and_continue()
        q2 = view.assessment.steps["monitoring"]
        q2.fields["rating"].radios["sufficient"].setChecked(True)
        q2.fields["confidence"].radios["high"].setChecked(True)
        q2.fields["rationale"].edit.setPlainText("Monthly reports to elected members and quarterly audits.")
        q2.save_and_continue()
        view.assessment.steps["advice"].save_and_continue()
        shot(window, "check-answers")
        view.assessment.check.send_button.click()
        wait_until(lambda: view.assessment.currentWidget() is view.assessment.confirmation)
        shot(window, "confirmation")
        ws_sec.import_bundle(tmp / f"response-{short.id}.pdbundle")
        secretariat.draft_advice(ws_sec, short.id, summary="The authority asks to change who chairs reviews.",
                                 outcomes="The panel thinks outcomes are likely to improve.",
                                 monitoring="The monitoring arrangements are sufficient.",
                                 conditions=["Report to the department each quarter"])
        secretariat.circulate(ws_sec, short.id, tmp / "draft.pdbundle")
        view.open_files([tmp / "draft.pdbundle"])
        tasks.wait_for_all()
        wait_until(lambda: view._task is None)
        page = view.assessment.signoff
        page.dissent.setChecked(True)
        page.text.setPlainText("The route back for families is not strong enough.")
        shot(window, "draft-signoff")
        window.lock_requested.emit()
        shot(window, "unlock")
        flow.ws.close()
        ws_sec.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "screens"))
