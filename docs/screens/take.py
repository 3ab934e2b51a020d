"""Take the README's screenshots from a real X window: the demo, driven through its own screens.

Run under an X server (the shared tool starts Xvfb at 1440×900)::

    ../shared/tools/screens.sh /tmp/shots 300 1 -- .venv/bin/python docs/screens/take.py docs/screens

Each picture is the whole X screen (``import -window root``), taken after the window has painted.
The cycle runs through the demo's shared exchange folder: no file dialog is opened.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from panel_desk.core.demo.builder import build_demo_workspace
from panel_desk.core.model import AnnotationTag, Answer, ResponseAnswers
from panel_desk.ui import tasks
from panel_desk.ui.app import make_app
from panel_desk.ui.demo import DemoController
from panel_desk.ui.member.pdf import find_in_page
from panel_desk.ui.member.view import ASSESSMENT, DOCUMENTS, OVERVIEW
from panel_desk.ui.qt import QtCore, QtWidgets

SIZE = tuple(int(v) for v in os.environ.get("SHOTS_SIZE", "1440x900").split("x"))  # logical pixels


def settle(ms: int = 400) -> None:
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QtWidgets.QApplication.processEvents(QtCore.QEventLoop.ProcessEventsFlag.AllEvents, 50)
        QtWidgets.QApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete.value)
        time.sleep(0.01)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = make_app([sys.argv[0]])
    folder = Path(tempfile.mkdtemp(prefix="panel-desk-screens-")) / "demo"
    demo = build_demo_workspace(folder, today=date.today())
    controller = DemoController(folder)
    controller.start()
    settle(1500)

    def shot(name: str, size: tuple[int, int] = SIZE) -> None:
        window = controller.window
        window.move(0, 0)
        window.resize(*size)
        window.raise_()
        window.activateWindow()
        settle()
        subprocess.run(["import", "-window", "root", str(out / f"{name}.png")], check=True)
        print("took", name, flush=True)

    window = controller.window
    view = window.flow.view
    app_id = view.app_id
    window.tabs.setCurrentIndex(OVERVIEW)
    shot("member-cover")

    # declare, then read and highlight
    view.desk.declare(app_id, none=True, interests=[])
    view._declared()
    window.tabs.setCurrentIndex(DOCUMENTS)
    docs = view.documents
    settle(800)
    for phrase in ("independent reviewing officer", "review"):
        found = find_in_page(docs.viewer.document, 0, phrase)
        if found:
            docs.add_annotation(1, phrase, found[0][1], "Does this hold for children placed out of area?",
                                AnnotationTag.OTHER)
            break
    docs.find.setText("review")
    docs.search_application()
    shot("member-documents")
    if SIZE == (1440, 900):
        shot("member-documents-1024x700", (1024, 700))

    assessment = view.assessment
    window.tabs.setCurrentIndex(ASSESSMENT)
    assessment.show_tasks()
    shot("member-task-list")
    assessment.open_step("outcomes")
    assessment.steps["outcomes"].save_and_continue()
    shot("member-question-errors")

    view.desk.save_answers(app_id, ResponseAnswers(
        outcomes=Answer(rating="improve", confidence="medium",
                        rationale="Children in stable placements keep a reviewer they know; the IRO still "
                                  "reviews every record and can step back in."),
        monitoring=Answer(rating="sufficient_with_conditions", confidence="medium",
                          rationale="Quarterly audits are planned; the department should see them."),
        conditions=["Share the quarterly audit of reviews with the department"]))
    assessment.show_check()
    shot("member-check-answers")
    assessment.send_response()  # to the demo's exchange folder: no dialog
    while assessment._task is not None:
        settle(100)
    shot("member-confirmation")

    # the secretariat: what the member saved arrives by the exchange folder
    controller.switch_to(demo.secretariat.name)
    settle(3000)
    tasks.wait_for_all(20000)
    settle(1500)
    sec = controller.window.flow.view
    sec.tabs.setCurrentWidget(sec.imports)
    shot("secretariat-imports")
    for i in range(sec.applications.count()):
        if sec.applications.item(i).data(QtCore.Qt.ItemDataRole.UserRole) == app_id:
            sec.applications.setCurrentRow(i)
    sec.tabs.setCurrentWidget(sec.consolidation)
    shot("secretariat-consolidation")
    controller.close()
    app.quit()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
