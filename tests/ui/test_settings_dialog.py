"""File › Settings: typed settings saved in the profile and applied at once."""

from __future__ import annotations

from panel_desk.core import settings
from panel_desk.core.settings import Settings, Theme
from panel_desk.ui.qt import QtCore, QtWidgets
from panel_desk.ui.settings_dialog import FOLDER_MISSING, SettingsDialog


def test_dialog_edits_a_copy_and_refuses_a_missing_folder(qtbot, tmp_path):
    current = Settings()
    dialog = SettingsDialog(current)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.lock_minutes.setValue(3)
    dialog.folder.setText(str(tmp_path / "nowhere"))
    dialog.theme_buttons[Theme.HIGH_CONTRAST].setChecked(True)
    qtbot.mouseClick(dialog.save_button, QtCore.Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.errors.isVisible()
    assert FOLDER_MISSING in dialog.errors.accessibleName()
    dialog.folder.setText(str(tmp_path))
    qtbot.mouseClick(dialog.save_button, QtCore.Qt.MouseButton.LeftButton)
    assert dialog.result() == QtWidgets.QDialog.DialogCode.Accepted
    new = dialog.result_settings()
    assert (new.auto_lock_minutes, new.export_folder, new.theme) == (3, tmp_path, Theme.HIGH_CONTRAST)
    assert current.auto_lock_minutes == 10  # the original is untouched


def test_flow_applies_saved_settings_to_the_idle_lock(qtbot, tmp_path):
    from panel_desk.core.identity import Identity
    from panel_desk.core.model import Role
    from panel_desk.core.store import init_profile
    from panel_desk.ui.app import AppFlow
    from panel_desk.ui.main_window import MainWindow

    me = Identity.create("Asha Patel", Role.CHILDRENS_COMMISSIONER, "Office of the Children's Commissioner")
    me.save(tmp_path / "me.age", "correct horse battery staple", work_factor=10)
    ws = init_profile(tmp_path / "profile", tmp_path / "me.age", "correct horse battery staple")
    settings.save(settings.store_of(ws), Settings(auto_lock_minutes=4))
    window = MainWindow(tmp_path / "profile")
    qtbot.addWidget(window)
    flow = AppFlow(window, tmp_path / "profile")
    flow.opened(ws)
    try:
        assert flow.idle.minutes == 4 and window.settings_action.isEnabled()
        flow.apply_settings(Settings(auto_lock_minutes=7))
        assert flow.idle.minutes == 7
    finally:
        flow.idle.remove()
        flow.close()
    assert (tmp_path / "profile" / "logs").is_dir()
