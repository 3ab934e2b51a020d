"""Words a panel member reads in the member's screens, in one place so they can be reviewed together."""

from __future__ import annotations

# --- onboarding ----------------------------------------------------------------------------------
WELCOME = "Set up Panel Desk"
WELCOME_BODY = (
    "Panel Desk keeps the applications you advise on, your notes and your answers locked on this "
    "computer. First, tell us who you are and choose a passphrase. Then you and the secretariat "
    "check each other's keys by reading out a short code called a fingerprint."
)
YOUR_NAME = "Your full name"
YOUR_ROLE = "Your role on the panel"
YOUR_ROLE_HINT = "If you work for the Children's Commissioner or HM Chief Inspector, choose their role."
YOUR_ORG = "Your organisation (optional)"
PASSPHRASE = "Choose a passphrase"
PASSPHRASE_HINT = "Use 4 or more random words. You will type it each time you open Panel Desk."
PASSPHRASE_AGAIN = "Type the passphrase again"
CREATE_IDENTITY = "Create my keys"
ERR_NAME = "Enter your full name"
ERR_PASSPHRASE = "Choose a passphrase of at least 12 characters"
ERR_PASSPHRASE_WEAK = "Choose a stronger passphrase: use 4 or more random words"
ERR_PASSPHRASE_MATCH = "The passphrases do not match. Type the same passphrase twice"
STRENGTH = {0: "Too short", 1: "Weak", 2: "Fair", 3: "Strong", 4: "Very strong"}

FINGERPRINT_TITLE = "Your fingerprint"
FINGERPRINT_BODY = (
    "Read this fingerprint out to the secretariat by phone or in person, so they know the card "
    "they receive is yours. Then save your public card and send it to them."
)
SAVE_CARD = "Save my public card…"
CARD_SAVED = "Your public card was saved to {path}. Send this file to the secretariat."
CARD_FILTER = "Public cards (*.card *.json);;All files (*)"
NEXT = "Continue"
BACK = "Back"

SECRETARIAT_TITLE = "Add the secretariat's card"
SECRETARIAT_BODY = (
    "The secretariat sends you their public card. Choose it, then read the two fingerprints "
    "together with the secretariat. Only confirm if every group matches what they read out."
)
CHOOSE_CARD = "Choose the secretariat's card…"
ERR_CARD = "Choose the secretariat's public card"
ERR_NOT_SECRETARIAT = "This card belongs to {name}, who is not the secretariat. Choose the secretariat's card"
ERR_CONFIRM = "Confirm that the fingerprint matches what the secretariat read out"
THEIR_FINGERPRINT = "The secretariat's fingerprint"
CONFIRM_MATCH = "The fingerprint matches what the secretariat read out to me"
FINISH_SETUP = "Finish setting up"
SETUP_WORKING = "Setting up Panel Desk"

UNLOCK_TITLE = "Unlock Panel Desk"
UNLOCK_BODY = "Panel Desk is locked. Enter your passphrase to continue."
UNLOCK_WHO = "Unlocking the profile of {name}."
UNLOCK = "Unlock"
UNLOCKING = "Checking your passphrase…"
ERR_UNLOCK_EMPTY = "Enter your passphrase"
LOCKED_AFTER_IDLE = "Panel Desk locked itself after {minutes} idle minutes to keep the applications safe."
LOCK_NOW = "&Lock now"

# --- applications list ----------------------------------------------------------------------------
IMPORTING = "Opening the application"
IMPORTED = "Opened {title}."
PROBLEM_OPENING = "There is a problem with this file"
IMPORT_FAULT = ("Panel Desk could not read this file because of a fault in Panel Desk itself. Nothing from it "
                "was recorded. Tell the secretariat, and keep the file.")

# --- overview ------------------------------------------------------------------------------------
COVER_HIDDEN = (
    "Declare your interests before you read this application. Until then you can see its cover "
    "only."
)
DECLARE = "Declare your interests"
DECLARED = "You declared your interests on {when} for revision {revision}."
DECLARED_NONE = "You said you have no interests to declare."
DECLARE_AGAIN = "This application has a new revision. Declare your interests again before you read it."
SEND_DECLARATION = "Send declaration to the secretariat…"
DECLARATION_SENT = "Your declaration was saved to {path}. Send this file to the secretariat."
NOTICE_SHORT_TITLE = "Less than 6 weeks' notice"
NOTICE_OK_TITLE = "Notice to the panel"
PANEL = "Who is on the panel"

DECLARATION_TITLE = "Declare your interests"
DECLARATION_BODY = (
    "Tell the secretariat about anything that could affect, or could be seen to affect, your "
    "advice on this application. The secretariat decides how each interest is handled, and "
    "declared interests may be published with the panel's advice."
)
NO_INTERESTS = "I have no interests to declare"
HAS_INTERESTS = "I have interests to declare"
INTEREST_TEXT = "Describe the interest"
ADD_INTEREST = "Add another interest"
REMOVE_INTEREST = "Remove"
ERR_DECLARATION_CHOOSE = "Choose whether you have interests to declare"
ERR_INTEREST_TEXT = "Describe each interest you declare"
SAVE_DECLARATION = "Save declaration"

# --- documents -----------------------------------------------------------------------------------
NO_DOCUMENT = "Choose a document"
FIND_PLACEHOLDER = "Find in this document"
FIND_ALL = "Search the application"
NO_RESULTS = "No results for “{query}”."
RESULTS = "{n} results for “{query}”."
PAGE_OF = "Page {page} of {pages}"
HIGHLIGHT_TITLE = "Add a note to this highlight"
EDIT_HIGHLIGHT_TITLE = "Change this highlight"
NOTE = "Note"
TAG = "What it is about"
SHARED = "Share this highlight with the panel"
SHARED_HINT = "Highlights are private to you unless you share them."
NO_ANNOTATIONS = (
    "You have no highlights yet. Drag across text on a page to highlight it, or find the words "
    "(Ctrl+F) and press Ctrl+M."
)
HIGHLIGHT_FOUND = "Highlight the found text"
HIGHLIGHT_FOUND_TIP = "Highlight the current result and add a note (Ctrl+M)"
FIND_FIRST = "Find the words first (Ctrl+F), then press Ctrl+M to highlight them."
HIGHLIGHT_SAVED = "Highlight saved from page {page}. It is in Your highlights, ready to cite in your answers."
DELETED = "Highlight deleted."
UNDO = "Undo"

# --- assessment ----------------------------------------------------------------------------------
TASKS_TITLE = "Your assessment"
TASK_DECLARE = "Declare your interests"
TASK_READ = "Read the application"
TASK_CHECK = "Check and send"
CANNOT_START = "Cannot start yet"
NOT_STARTED = "Not yet started"
IN_PROGRESS = "In progress"
COMPLETED = "Completed"
INCOMPLETE = "Incomplete"
READ_BODY = "Read each document. You can highlight passages and cite them in your answers."
MARK_READ = "I have read the application"
OPEN_DOCUMENTS = "Open the documents"
SAVE_CONTINUE = "Save and continue"
BACK_TO_TASKS = "Back to your assessment"
SAVED = "Saved"
SAVING = "Saving…"
PROMPTS = "Things to consider"
SEE_FEATURE = "See what the application says: {feature}"
INTERNAL = "Internal: never published"
PUBLISHABLE = "May be published"
NO_EVIDENCE = "You have no highlights yet. Highlight passages in the documents to cite them here."
CHANGE = "Change"
NOT_ANSWERED = "Not answered"

CHECK_TITLE = "Check your answers before sending"
SEND = "Send response to the secretariat"
SENDING = "Sending your response"
SEND_AGAIN_NOTE = "You sent revision {revision} on {when}. Sending again replaces it with a new revision."
SENT_TITLE = "Response sent"
SENT_BODY = (
    "Your signed response (revision {revision}) on {authority}'s application is for {to}. It was "
    "saved as {name} in {folder}. Only the secretariat can open it."
)
NEXT_STEPS = "What happens next"
NEXT_STEPS_BODY = (
    "Send the file to the secretariat. They will bring together the panel's answers and send you "
    "a draft of the panel's advice to agree or disagree with. You can change your answers and send "
    "them again until then."
)

# --- draft advice --------------------------------------------------------------------------------
DRAFT_TITLE = "The panel's draft advice"
DRAFT_BODY = "Read the draft beside your own answers, then tell the secretariat whether you agree with it."
YOUR_ANSWERS = "Your answers"
CONCUR = "I concur with the draft advice"
COMMENT = "I concur, with a comment"
DISSENT = "I dissent from the draft advice"
COMMENT_LABEL = "Your comment"
DISSENT_LABEL = "Your statement of dissent (published as you write it)"
ATTRIBUTE = "How should your statement be attributed?"
BY_NAME = "By my name"
BY_ROLE = "By my role"
SEND_SIGNOFF = "Send my answer to the secretariat"
SIGNOFF_SENT_TITLE = "Answer sent"
SIGNOFF_SENT_BODY = "Your signed answer on draft {revision} is for {to}. It was saved as {name} in {folder}."
SIGNOFF_NEXT = "Send the file to the secretariat. They will finalise and publish the panel's advice."
ERR_SIGNOFF_CHOOSE = "Choose whether you concur or dissent"
ERR_SIGNOFF_COMMENT = "Write your comment, or concur without one"
ERR_SIGNOFF_DISSENT = "Write your statement of dissent"
