"""Publishing: export the signed advice (PDF and HTML) and check a published advice's signature."""

from __future__ import annotations

from pathlib import Path

from panel_desk.core.errors import PanelDeskError
from panel_desk.ui.qt import QtWidgets
from panel_desk.ui.secretariat import _words as w
from panel_desk.ui.secretariat._desk import Desk
from panel_desk.ui.secretariat._parts import ConfirmationPanel, Page, button, row
from panel_desk.ui.tasks import run_with_progress
from panel_desk.ui.widgets import ErrorSummary, StatusTag, SummaryList, heading, paragraph


def verification_rows(report) -> tuple[bool, str, list[tuple[str, str]]]:
    """The core's VerifyReport as (confirmed, the verdict in one sentence, rows of words)."""
    rows = []
    for line in report.lines():
        label, _, value = line.partition(": ")
        rows.append((label, value[:1].upper() + value[1:]))
    if len(report.reasons) > 1 or (report.reasons and report.ok):
        rows.append(("What was found", "\n".join(report.reasons)))
    return report.ok, report.summary, rows


class PublishPage(Page):
    def __init__(self, desk: Desk, files) -> None:
        super().__init__(w.PUBLISH_TITLE, w.PUBLISH_INTRO)
        self.desk = desk
        self.files = files
        self.app_id: str | None = None
        self.task = None
        self.errors = ErrorSummary()
        self.body.insertWidget(1, self.errors)
        self.confirmation = ConfirmationPanel()
        self.confirmation.setObjectName("export-confirmation")
        self.body.insertWidget(2, self.confirmation)
        self.export_button = button(w.EXPORT, "Export signed advice", "primary")
        self.export_button.clicked.connect(self.choose_export_file)
        self.body.addLayout(row(self.export_button))

        self.body.addWidget(heading("Publication certificate", 2))
        self.certificate_status = paragraph("")
        self.certificate_status.setObjectName("certificate-status")
        self.body.addWidget(self.certificate_status)
        self.create_certificate_button = button("Create certificate", "Create the publication certificate")
        self.create_certificate_button.clicked.connect(self.create_certificate)
        self.import_certificate_button = button("Import PKCS#12…", "Import a certificate from a certificate authority")
        self.import_certificate_button.clicked.connect(self.choose_certificate_file)
        self.export_root_button = button("Export root certificate…", "Export the root certificate readers trust")
        self.export_root_button.clicked.connect(self.choose_root_file)
        self.body.addLayout(row(self.create_certificate_button, self.export_root_button))
        p12_label = heading("Password of a PKCS#12 file from a certificate authority", 3)
        self.p12_password = QtWidgets.QLineEdit()
        self.p12_password.setEchoMode(QtWidgets.QLineEdit.EchoMode.Password)
        self.p12_password.setAccessibleName("Password of the PKCS#12 file")
        p12_label.setBuddy(self.p12_password)
        self.body.addWidget(p12_label)
        self.body.addWidget(self.p12_password)
        self.body.addLayout(row(self.import_certificate_button))

        self.body.addWidget(heading(w.VERIFY_TITLE, 2))
        self.body.addWidget(paragraph("Choose a published advice (PDF) to check who signed it and that it "
                                      "has not changed since."))
        self.verify_button = button(w.VERIFY, "Verify a published advice")
        self.verify_button.clicked.connect(self.choose_verify_file)
        self.body.addLayout(row(self.verify_button))
        self.verify_tag = StatusTag()
        self.verify_tag.hide()
        self.body.addWidget(self.verify_tag)
        self.verify_headline = paragraph("")
        self.verify_headline.setObjectName("verify-headline")
        self.verify_headline.hide()
        self.body.addWidget(self.verify_headline)
        self.verify_report = SummaryList()
        self.body.addWidget(self.verify_report)
        self.finish()
        self.show_certificate()

    def show_certificate(self) -> None:
        has = self.desk.has_certificate()
        self.certificate_status.setText(
            "The advice is signed with the panel’s publication certificate." if has else
            "There is no publication certificate yet: create one, or import one from a certificate authority.")
        self.create_certificate_button.setEnabled(not has)
        self.export_root_button.setEnabled(has)

    def _certificate_failed(self, exc: PanelDeskError) -> None:
        self.errors.set_errors([(str(exc), self.create_certificate_button)])

    def create_certificate(self) -> None:
        try:
            fingerprint = self.desk.create_certificate()
        except PanelDeskError as exc:
            self._certificate_failed(exc)
            return
        self.show_certificate()
        self.confirmation.show_result("Publication certificate created", [
            ("Root certificate fingerprint (SHA-256)", fingerprint)], "Export the root certificate and publish it.")

    def choose_certificate_file(self) -> None:
        path = self.files.open_file("Import PKCS#12", "Certificate files (*.p12 *.pfx)")
        if path is not None:
            self.import_certificate(path, self.p12_password.text())

    def import_certificate(self, path: Path, password: str) -> None:
        try:
            signer = self.desk.import_certificate(path, password)
        except PanelDeskError as exc:
            self.errors.set_errors([(str(exc), self.p12_password)])
            return
        finally:
            self.p12_password.clear()
        self.errors.set_errors([])
        self.show_certificate()
        self.confirmation.show_result("Publication certificate imported", [("Signs as", signer)],
                                      "The advice is now signed with this certificate.")

    def choose_root_file(self) -> None:
        path = self.files.save_file("Export root certificate", "panel-root.pem", "Certificates (*.pem)")
        if path is not None:
            self.export_root(path)

    def export_root(self, path: Path) -> None:
        try:
            fingerprint = self.desk.export_root(path)
        except PanelDeskError as exc:
            self._certificate_failed(exc)
            return
        self.confirmation.show_result("Root certificate exported", [
            ("File", Path(path).name), ("Fingerprint (SHA-256)", fingerprint)],
            "Publish it beside the advice so readers can check the signature.")

    def set_application(self, app_id: str | None) -> None:
        if app_id != self.app_id:
            self.confirmation.hide()
            self.errors.set_errors([])
        self.app_id = app_id
        self.export_button.setEnabled(app_id is not None)

    def choose_export_file(self) -> None:
        path = self.files.save_file(w.EXPORT.rstrip("…"), f"{self.app_id}-advice.pdf", w.PDF_FILTER)
        if path is not None:
            self.export_to(path)

    def export_to(self, pdf: Path) -> None:
        pdf = Path(pdf)
        html = pdf.with_suffix(".html")
        app_id, desk = self.app_id, self.desk
        self.confirmation.hide()  # an earlier confirmation must not read as this export's

        def work(progress, cancelled):  # on a pool thread: no widgets here
            return desk.export_advice(app_id, pdf, html, progress, cancelled)

        def done(result) -> None:
            self.errors.set_errors([])
            self.confirmation.show_result(w.EXPORTED_TITLE, [
                ("Signature", f"Certified, {result.level}"),
                ("Signed PDF", pdf.name), ("Web page (HTML)", html.name), ("Root certificate", "panel-root.pem"),
                ("Where they were saved", str(pdf.parent)),
            ], w.EXPORTED_NEXT)

        self.task = run_with_progress(self, w.EXPORTING, work, on_done=done, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        if not isinstance(exc, PanelDeskError):
            raise exc
        self.confirmation.hide()
        self.errors.set_errors([(str(exc), self.export_button)])

    def choose_verify_file(self) -> None:
        path = self.files.open_file(w.VERIFY.rstrip("…"), w.PDF_FILTER)
        if path is not None:
            self.verify(path)

    def verify(self, path: Path) -> None:
        try:
            report = self.desk.verify_pdf(path)
        except PanelDeskError as exc:
            valid, headline, rows = False, str(exc), []
        else:
            valid, headline, rows = verification_rows(report)
        self.verify_tag.set_status("Signature valid" if valid else "Not confirmed", "green" if valid else "red")
        self.verify_tag.show()
        self.verify_headline.setText(headline)
        self.verify_headline.setAccessibleName(headline)
        self.verify_headline.show()
        self.verify_report.set_rows([("File", Path(path).name), *rows])
