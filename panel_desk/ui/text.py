"""Words people read in the windows, in one place so they can be reviewed together."""

APP_NAME = "Panel Desk"
APP_TAGLINE = "The expert advisory panel's workbench"
ABOUT = (
    "Panel Desk helps the expert advisory panel advise the Secretary of State on local "
    "authorities' applications to test different ways of working in children's social care."
)
NO_APPLICATION = "Open an application to begin"
NO_APPLICATION_HINT = (
    "Choose File › Open application… or drag an application file (.pdbundle) onto this window. "
    "The secretariat sends you these files."
)
OPEN_BUNDLE_FILTER = "Panel Desk files (*.pdbundle *.age);;All files (*)"
TAB_OVERVIEW = "Overview"
TAB_DOCUMENTS = "Documents"
TAB_ASSESSMENT = "Assessment"
