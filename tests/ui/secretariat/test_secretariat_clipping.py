"""Every secretariat screen, at 1024×700, 1440×900 and 200% of 1920×1080: whole words everywhere.

See tests/ui/clipping.py for what counts as clipped and how 200% is checked.
"""

from __future__ import annotations

from test_secretariat_screens import import_folder, short_notice_folder

from panel_desk.ui.secretariat._desk import ImportRow
from tests.ui.clipping import SIZES, check_everywhere


def test_no_secretariat_screen_clips_its_words_at_any_size(qtbot, on_roster, screen, scripted_files,
                                                           example_application, tmp_path):
    window, view = screen
    import_folder(qtbot, view, scripted_files, short_notice_folder(example_application, tmp_path))
    assert view.clock.banner.isVisible()
    # a report with a long refusal, as the exchange folder or File › Import… leave it
    view.imports.show_report([
        ImportRow("2026-11-29 response wexmoor-2026 Tom Okafor.pdbundle",
                  "Response from Tom Okafor about Targeting the independent reviewing officer role", "Imported", False),
        ImportRow("2026-11-29 declaration wexmoor-2026 Rachel Lindqvist.pdbundle", "Declaration of interests",
                  "Refused: This file was changed or damaged after it was signed. Ask the sender for a new copy.",
                  True)])

    def tab(page):
        def show():
            view.tabs.setCurrentWidget(page)
        return show

    screens = [(view.tabs.tabText(i), tab(view.tabs.widget(i))) for i in range(view.tabs.count())]
    found = check_everywhere(window, screens)
    assert found == [], "\n".join(found)
    hint = window.minimumSizeHint()
    smallest = min(SIZES.values())
    assert hint.width() <= smallest[0] and hint.height() <= smallest[1], hint
