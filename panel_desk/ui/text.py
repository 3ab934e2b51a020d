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


GUIDE_TITLE = "Guide to the work"
GUIDE = [
    ("1. An application arrives",
     "The secretariat sends each member the local authority's application. It arrives in your exchange "
     "folder, or you open the file with File › Open application. You see its cover: the authority, the "
     "provisions it asks to set aside or change, and the dates."),
    ("2. Declare your interests",
     "Before you read the application, declare any interests you have in it, or that you have none. "
     "Send the declaration to the secretariat, who decide whether you take part."),
    ("3. Read the application",
     "On the Documents tab, read the documents, find words, and highlight the passages you will rely "
     "on. Keep notes with your highlights; share them with the panel if you wish."),
    ("4. Answer the two questions",
     "On the Assessment tab, answer Q1 (how children's outcomes are likely to be affected) and Q2 "
     "(whether the monitoring arrangements are sufficient), with your reasons and the passages you rely on."),
    ("5. Check and send",
     "Check your answers, then save your signed response. Only the secretariat can open it. With an "
     "exchange folder it is saved there; otherwise send the file to the secretariat yourself."),
    ("6. Agree the panel's advice",
     "The secretariat brings the panel's answers together and circulates a draft of the advice. You "
     "concur, concur with a comment, or dissent; the advice is then published with its signature."),
    ("Dates",
     "The Secretary of State must ask the panel at least 6 weeks before making the regulations. The "
     "advice is due before the regulations are laid, so the date it is due can fall after the earliest "
     "date the regulations could be made."),
]
