"""Words the secretariat's screens show, in one place so they can be reviewed together."""

from __future__ import annotations

TAB_ROSTER = "Roster"
TAB_APPLICATION = "Application"
TAB_IMPORTS = "Imports"
TAB_CONFLICTS = "Conflicts"
TAB_CONSOLIDATION = "Answers side by side"
TAB_DRAFTING = "Drafting"
TAB_PUBLISH = "Publish"

APPLICATIONS = "Applications"
NO_APPLICATIONS = "No applications yet. Import an authority's application folder to begin."
IMPORT_FOLDER = "Import an application folder…"
CHOOSE_APPLICATION = "Choose an application on the left to see it here."

# --- the statutory clock -------------------------------------------------------------------------
CLOCK_ASKED = "Date the panel was asked"
CLOCK_DUE = "Advice due"
CLOCK_EARLIEST = "Earliest date for regulations"
CLOCK_SHORT_TITLE = "The 6-week minimum is not met"

# --- roster ----------------------------------------------------------------------------------------
ROSTER_TITLE = "Panel members"
ROSTER_INTRO = ("Add each member from their public card. Before you add someone, read the "
                "fingerprint to them over the phone or in person: every group must match.")
ADD_MEMBER = "Add a member from their public card…"
CARD_FILTER = "Public cards (*.json *.card);;All files (*)"
CONFIRM_CARD_TITLE = "Check the fingerprint"
CONFIRM_CARD_INTRO = ("Read these groups to {name}, or ask them to read theirs to you. "
                      "Add them only if every group matches.")
CONFIRM_ADD = "Add {name} to the roster"
ADDED = "{name} was added to the roster."
ALREADY = "{name} is already on the roster."
COMPOSITION_TITLE = "Who sits on the panel for this application"
COMPOSITION_OK = "Both permanent seats are filled: the Children's Commissioner and HM Chief Inspector."
COMPOSITION_NO_APP = "Choose an application to check that both permanent seats are filled."

# --- application -------------------------------------------------------------------------------------
SEND_TITLE = "Send the application to the panel"
MEMBERS_LABEL = "Members who will receive it"
MEMBERS_HINT = "Recused members cannot receive the application."
ADVICE_DUE = "Advice due"
ADVICE_DUE_HINT = "This date is part of the application; to change it, import a new revision."
SET_EXPIRY = "The file stops opening after a date"
EXPIRY = "Expiry date"
SEAL = "Seal and save for the panel"
SEAL_FILTER = "Panel Desk files (*.pdbundle)"
SEALING = "Sealing the application"
NO_MEMBERS = "Choose at least one member to send the application to"
SEALED_TITLE = "Application sealed"
SEALED_NEXT = ("Send this file to each member named above. Each member declares their interests "
               "first; import their declarations and responses with File › Import… as they arrive.")
NEW_REVISION = "Import a new revision…"
REVISION_REASON = "Reason for the new revision"
REVISION_NO_REASON = "Write the reason for the new revision"
WITHDRAW_TITLE = "Withdraw the application"
WITHDRAW_REASON = "Reason for withdrawing"
WITHDRAW = "Withdraw this application"
WITHDRAW_NO_REASON = "Write the reason for withdrawing the application"
WITHDRAWN_TITLE = "Application withdrawn"
WITHDRAWN_NEXT = ("Send this file to every member who had the application. When they import it, "
                  "Panel Desk closes the application on their laptop.")
IMPORTED_APP = "Application imported"

# --- imports -----------------------------------------------------------------------------------------
IMPORTS_TITLE = "Import responses, declarations and sign-offs"
IMPORTS_INTRO = ("Choose the files members sent you, or drag them onto this window. "
                 "You can import many at once; each is checked before anything is recorded.")
IMPORT_FILES = "Choose files to import…"
IMPORT_FILTER = "Panel Desk files (*.pdbundle *.age);;All files (*)"
IMPORTING = "Importing files"
IMPORT_FAULT = ("Panel Desk could not import these files because of a fault in Panel Desk itself. Files "
                "already imported stay imported. Tell the support team, and keep the files.")
IMPORT_MENU = "&Import…"
REPORT_TITLE = "What happened to each file"

# --- conflicts ---------------------------------------------------------------------------------------
CONFLICTS_TITLE = "Conflicts register"
CONFLICTS_INTRO = ("Every declaration of interests members have sent for this application, and what "
                   "you decided. Choose a row and record a decision.")
DECIDE = "Record a decision…"
DECIDE_TITLE = "Decide on {name}'s interests"
DECIDE_CHOICE = "Your decision"
DECIDE_REASON = "Reason for the decision"
DECIDE_REASON_HINT = "This is published in the register of interests with the advice."
DECIDE_NO_CHOICE = "Choose how to handle the interests"
DECIDE_NO_REASON = "Write the reason for the decision"
DECIDE_OK = "Record decision"
NO_DECISION = "Not decided yet"
NONE_TO_DECLARE = "No interests to declare"
NO_DECLARATIONS = "No declarations yet. Import them with File › Import… as they arrive."

# --- consolidation -----------------------------------------------------------------------------------
CONSOLIDATION_TITLE = "Members' answers side by side"
EXPORT_CSV = "Export as CSV…"
EXPORT_JSON = "Export as JSON…"
NOT_RESPONDED = "Not responded yet"
EXCLUDED = "Excluded"
CONDITIONS_PROPOSED = "Conditions proposed"
OTHER_ADVICE = "Other advice"
CITED = "Passages cited"
NO_RESPONSES = "No responses yet."

# --- drafting ----------------------------------------------------------------------------------------
DRAFT_TITLE = "Draft the panel's advice"
DRAFT_INTRO = "Edits are saved as you type. Start from the members' publishable text, then edit."
PREFILL = "Fill in from members' answers"
F_SUMMARY = "Summary of the application"
F_OUTCOMES = "The panel's advice on Q1: outcomes for children"
F_MONITORING = "The panel's advice on Q2: monitoring arrangements"
F_CONDITIONS = "Conditions and recommendations (one per line)"
F_OTHER = "Other advice"
SAVED = "Saved"
SAVING = "Saving…"
NOT_SAVED = "Not saved"
DRAFT_REASON = "Reason for changing the circulated draft"
DRAFT_REASON_HINT = ("The panel has this draft already, so a change makes a new draft. Say why; "
                     "members see it when you circulate the new draft.")
CIRCULATE = "Circulate the draft for sign-off"
CIRCULATING = "Sealing the draft"
CIRCULATED_TITLE = "Draft circulated"
CIRCULATED_NEXT = ("Send this file to each member named above. Each concurs, comments or dissents; "
                   "import their answers with File › Import… as they arrive.")
SIGNOFF_TITLE = "Sign-off"
FINALISE = "Finalise the advice"
FINALISE_CONFIRM = ("Finalise the advice? After this the text cannot be changed, and it is ready to "
                    "export and publish.")
FINAL_TITLE = "The advice is final"
FINAL_TEXT = "The text is locked. Export the signed advice from the Publish tab."

# --- publish -----------------------------------------------------------------------------------------
PUBLISH_TITLE = "Publish the advice"
PUBLISH_INTRO = ("Export the finalised advice as a signed PDF and an accessible web page (HTML). "
                 "Anyone can check the signature with ordinary PDF tools.")
EXPORT = "Export signed advice…"
EXPORTING = "Exporting the signed advice"
EXPORTED_TITLE = "Signed advice exported"
EXPORTED_NEXT = ("Publish both files before the regulations are laid. Anyone can check the PDF's "
                 "signature with Acrobat, pdfsig or Verify a published advice below.")
VERIFY = "Verify a published advice…"
VERIFY_TITLE = "Check a published advice"
PDF_FILTER = "PDF files (*.pdf)"
