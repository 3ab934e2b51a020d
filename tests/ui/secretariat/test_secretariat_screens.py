"""The secretariat's screens, one behaviour each, driven by clicks and typing over a real profile.

The whole journey (roster to published advice) is in test_secretariat_journey.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from panel_desk.core import rules
from panel_desk.ui.main_window import MainWindow
from panel_desk.ui.qt import Qt, QtWidgets
from panel_desk.ui.secretariat import SecretariatView
from panel_desk.ui.secretariat import _words as w
from panel_desk.ui.secretariat._desk import Desk

LEFT = Qt.MouseButton.LeftButton


def import_folder(qtbot, view, files, folder: Path) -> str:
    """Import an application folder through the screen; return the id the store gave it."""
    count = view.applications.count()
    files.queue("folder", folder)
    qtbot.mouseClick(view.import_folder_button, LEFT)
    qtbot.waitUntil(lambda: view.applications.count() == count + 1, timeout=10000)
    return view.app_id


def short_notice_folder(example: Path, tmp_path: Path) -> Path:
    """The example application, asked for so late that the panel gets less than 6 weeks."""
    folder = tmp_path / "short"
    shutil.copytree(example, folder)
    toml = folder / "application.toml"
    text = toml.read_text()
    for old, new in (("panel_asked = 2026-10-05", "panel_asked = 2026-12-01"),
                     ("regulations_intended = 2027-01-18", "regulations_intended = 2027-01-07"),
                     ("advice_due = 2026-12-07", "advice_due = 2026-12-21"),
                     ("received = 2026-09-14", "received = 2026-11-20")):
        assert old in text
        text = text.replace(old, new)
    toml.write_text(text)
    return folder


def test_export_is_refused_in_words_before_the_advice_is_final(qtbot, screen, scripted_files, tmp_path,
                                                                example_application):
    _window, view = screen
    import_folder(qtbot, view, scripted_files, example_application)
    view.tabs.setCurrentWidget(view.publish)
    scripted_files.queue("save_file", tmp_path / "advice.pdf")
    qtbot.mouseClick(view.publish.export_button, LEFT)
    qtbot.waitUntil(lambda: view.publish.errors.isVisible(), timeout=5000)
    assert "has not been finalised yet" in view.publish.errors.accessibleName()
    assert not view.publish.confirmation.isVisible()
    assert not (tmp_path / "advice.pdf").exists() and not (tmp_path / "advice.html").exists()


def test_a_broken_application_folder_lists_every_problem(qtbot, screen, scripted_files, tmp_path,
                                                         example_application):
    _window, view = screen
    folder = tmp_path / "broken"
    shutil.copytree(example_application, folder)
    toml = folder / "application.toml"
    text = toml.read_text()
    assert "trial_months = 24" in text and "panel_asked = 2026-10-05" in text
    toml.write_text(text.replace("trial_months = 24", "trial_months = \"two years\"")
                    .replace("panel_asked = 2026-10-05", "panel_asked = \"soon\""))
    scripted_files.queue("folder", folder)
    qtbot.mouseClick(view.import_folder_button, LEFT)
    qtbot.waitUntil(lambda: view.app_errors.isVisible(), timeout=5000)
    labels = [lab.text() for lab in view.app_errors.findChildren(QtWidgets.QLabel) if lab.property("role") == "error"]
    assert any("whole number" in t for t in labels) and any("YYYY-MM-DD" in t for t in labels), labels
    assert view.applications.count() == 0
    assert view.desk.applications() == []


def test_every_control_has_an_accessible_name(qtbot, on_roster, screen, scripted_files, example_application):
    _window, view = screen
    import_folder(qtbot, view, scripted_files, example_application)
    kinds = (QtWidgets.QAbstractButton, QtWidgets.QLineEdit, QtWidgets.QPlainTextEdit, QtWidgets.QComboBox,
             QtWidgets.QDateEdit, QtWidgets.QAbstractItemView)
    controls = [c for c in view.findChildren(QtWidgets.QWidget)
                if isinstance(c, kinds) and c.window() is view.window() and c.focusPolicy() != Qt.FocusPolicy.NoFocus
                and c.parent() is not None
                and not isinstance(c.parent(), QtWidgets.QAbstractScrollArea | QtWidgets.QTabBar
                                   | QtWidgets.QAbstractSpinBox)
                and not isinstance(c, QtWidgets.QScrollBar)]
    # Every page's controls are looked at, including the members to send to.
    assert {view.application.seal_button, view.roster.add_button, view.drafting.circulate_button,
            view.publish.export_button, *view.application.member_checks.values()} <= set(controls)
    assert len(view.application.member_checks) == 4
    unnamed = [type(c).__name__ + ":" + c.objectName() for c in controls if not c.accessibleName()]
    assert unnamed == []


def test_tab_moves_through_the_application_page_in_reading_order(qtbot, on_roster, screen, scripted_files,
                                                                 example_application):
    _window, view = screen
    import_folder(qtbot, view, scripted_files, example_application)
    page = view.application
    checks = list(page.member_checks.values())
    checks[0].setFocus()
    qtbot.waitUntil(checks[0].hasFocus, timeout=2000)
    order = []
    for _ in range(len(checks) + 5):
        order.append(QtWidgets.QApplication.focusWidget())
        qtbot.keyClick(QtWidgets.QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert order == [*checks, page.expiry_on, page.seal_button, page.revision_reason, page.revision_button,
                     page.withdraw_reason]
    names = [o.accessibleName() for o in order[len(checks):]]
    assert names == [w.SET_EXPIRY, w.SEAL, w.REVISION_REASON, "Import a new revision of this application",
                     w.WITHDRAW_REASON]


def test_clock_strip_states_the_shortfall_in_the_rules_words(qtbot, screen, scripted_files, tmp_path,
                                                             example_application):
    _window, view = screen
    assert view.clock.value(w.CLOCK_ASKED) == "—"  # no application yet
    assert not view.clock.banner.isVisible()

    app_id = import_folder(qtbot, view, scripted_files, short_notice_folder(example_application, tmp_path))
    app = view.desk.application(app_id)
    check = rules.notice_check(app.dates.panel_asked, app.dates.regulations_intended)
    assert not check.meets_minimum
    assert view.clock.banner.isVisible()
    assert view.clock.banner.text.text() == check.message()
    assert check.message() in view.clock.banner.accessibleName()
    assert view.clock.value(w.CLOCK_ASKED) == "1 December 2026"
    assert view.clock.value(w.CLOCK_EARLIEST) == "12 January 2027"
    assert "28 days left to advise" in view.clock.value(w.CLOCK_DUE)  # the day is fixed at 23 November 2026

    import_folder(qtbot, view, scripted_files, example_application)  # 105 days' notice: nothing short
    assert view.clock.value(w.CLOCK_ASKED) == "5 October 2026"
    assert not view.clock.banner.isVisible()


def test_new_revision_and_withdrawal_need_a_reason(qtbot, on_roster, screen, scripted_files, tmp_path,
                                                   example_application):
    _window, view = screen
    app_id = import_folder(qtbot, view, scripted_files, example_application)
    page = view.application

    qtbot.mouseClick(page.revision_button, LEFT)  # no reason yet: no folder is asked for
    assert page.errors.isVisible() and w.REVISION_NO_REASON in page.errors.accessibleName()
    assert view.desk.application(app_id).revision == 1
    qtbot.keyClicks(page.revision_reason, "The authority corrected its monitoring plan.")
    scripted_files.queue("folder", example_application)
    qtbot.mouseClick(page.revision_button, LEFT)
    app = view.desk.application(app_id)
    assert (app.revision, app.revision_reason) == (2, "The authority corrected its monitoring plan.")
    assert "revision 2" in view.clock.subtitle.text()
    assert not page.errors.isVisible()

    qtbot.mouseClick(page.withdraw_button, LEFT)  # no reason yet: no file is asked for
    assert page.errors.isVisible() and w.WITHDRAW_NO_REASON in page.errors.accessibleName()
    assert not (tmp_path / "withdrawn.pdbundle").exists()
    assert "withdrawn" not in view.desk.status(app_id).lower()
    qtbot.keyClicks(page.withdraw_reason, "The authority withdrew its application.")
    scripted_files.queue("save_file", tmp_path / "withdrawn.pdbundle")
    qtbot.mouseClick(page.withdraw_button, LEFT)
    assert page.confirmation.isVisible()
    assert "The authority withdrew its application." in page.confirmation.accessibleName()
    assert (tmp_path / "withdrawn.pdbundle").exists()
    assert "withdrawn" in view.desk.status(app_id).lower()


def test_file_import_is_in_the_menu_once_however_often_the_view_is_made(qtbot, tmp_path, secretariat,
                                                                        scripted_files):
    window = MainWindow(tmp_path)
    qtbot.addWidget(window)
    first = SecretariatView(secretariat.ws, window, desk=Desk(secretariat.ws), files=scripted_files)
    again = SecretariatView(secretariat.ws, window, desk=Desk(secretariat.ws), files=scripted_files)
    qtbot.addWidget(first)
    window.setCentralWidget(again)
    actions = window.file_menu.actions()
    texts = [a.text() for a in actions]
    assert texts[0] == w.IMPORT_MENU and texts.count(w.IMPORT_MENU) == 1
    assert (w.IMPORT_MENU.replace("&", "").rstrip("…"), "Ctrl+I") in window.shortcuts()
    # The one left is the view in use: it opens that view's imports.
    scripted_files.queue("open_files", [])
    actions[0].trigger()
    assert again.tabs.currentWidget() is again.imports
    assert first.tabs.currentWidget() is not first.imports


def test_the_publish_page_imports_a_pkcs12_certificate(qtbot, screen, scripted_files, tmp_path):
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    from panel_desk.core.publish import create_panel_ca

    _window, view = screen
    page = view.publish
    view.tabs.setCurrentWidget(page)
    ca = create_panel_ca()
    p12 = tmp_path / "authority.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(b"signer", ca.key, ca.cert, [ca.root],
                                                          BestAvailableEncryption(b"right password")))
    qtbot.keyClicks(page.p12_password, "wrong password")
    scripted_files.queue("open_file", p12)
    qtbot.mouseClick(page.import_certificate_button, LEFT)
    assert "password is wrong" in page.errors.accessibleName() and not page.desk.has_certificate()
    assert page.p12_password.text() == ""  # a password is never kept in the field
    qtbot.keyClicks(page.p12_password, "right password")
    scripted_files.queue("open_file", p12)
    qtbot.mouseClick(page.import_certificate_button, LEFT)
    assert page.desk.has_certificate() and page.confirmation.isVisible()
    assert page.export_root_button.isEnabled() and not page.create_certificate_button.isEnabled()
    assert "signed with the panel’s publication certificate" in page.certificate_status.text()
