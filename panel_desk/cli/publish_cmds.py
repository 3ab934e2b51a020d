"""Publishing commands: ``ca init``, ``ca import-p12``, ``ca export-root``, ``advice export`` and ``verify``."""

from __future__ import annotations

import argparse
import getpass
import hashlib
import os
import sys
from pathlib import Path

from panel_desk.cli._common import Registry, fail, print_id, workspace

P12_ENV = "PANEL_DESK_P12_PASSPHRASE"


def register(registry: Registry) -> None:
    help_ = "the publication certificate the published advice is signed with"
    p = registry.subcommand("ca", "init", "create the panel's root and the publication certificate", _ca_init,
                            group_help=help_)
    p.add_argument("--replace", action="store_true",
                   help="replace an existing publication certificate (advice already published keeps its own)")
    p.add_argument("--panel-name", default=None, metavar="NAME", help="the panel's name in the certificates")
    p = registry.subcommand("ca", "import-p12", "use a certificate from a certificate authority (PKCS#12 file)",
                            _ca_import)
    p.add_argument("file", type=Path, metavar="FILE", help="the .p12 or .pfx file")
    p.add_argument("--p12-passphrase-file", type=Path, metavar="FILE",
                   help=f"read the file's password from the first line of FILE (or set {P12_ENV})")
    p.add_argument("--replace", action="store_true", help="replace an existing publication certificate")
    p = registry.subcommand("ca", "export-root", "write the root certificate readers need to check the advice",
                            _ca_export_root)
    p.add_argument("--out", required=True, type=Path, metavar="PEM", help="the file to write (PEM)")
    registry.subcommand("ca", "revoke", "revoke the publication certificate and issue a new one from the same root",
                        _ca_revoke)
    p = registry.subcommand("ca", "crl", "write the root's current certificate revocation list", _ca_crl)
    p.add_argument("--out", required=True, type=Path, metavar="CRL", help="the file to write (DER)")
    p = registry.subcommand("ca", "tsa", "set the RFC 3161 time-stamping authority advice is timestamped by", _ca_tsa)
    p.add_argument("url", nargs="?", metavar="URL", help="the authority's address (http or https)")
    p.add_argument("--off", action="store_true", help="publish without a timestamp (PAdES B-LT)")
    p = registry.subcommand("ca", "details", "show or set what the published advice says about its publisher",
                            _ca_details)
    p.add_argument("--email", metavar="ADDRESS", help="the contact e-mail printed in the advice ('' for none)")
    p.add_argument("--address", metavar="TEXT", help="the postal address printed in the advice")
    p.add_argument("--root-location", metavar="TEXT", help="where the panel's root certificate is published")

    p = registry.subcommand("advice", "export", "write the signed published advice (PDF, and HTML for the web)",
                            _advice_export, group_help="drafting the panel's advice and sign-off")
    p.add_argument("app", metavar="APP", help="the application id")
    p.add_argument("--pdf", required=True, type=Path, metavar="FILE", help="the signed PDF to write")
    p.add_argument("--html", type=Path, metavar="FILE", help="also write the accessible web version")

    p = registry.command("verify", "check a published advice's signature", _verify)
    p.add_argument("file", type=Path, metavar="FILE.pdf", help="the published advice")
    p.add_argument("--trust", type=Path, action="append", default=[], metavar="PEM",
                   help="a root certificate you trust (the panel publishes it); may be given more than once")
    p.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD", default=None,
                   help="check as on this date (e.g. years from now, after the certificates expire)")


def _date(text: str):
    from datetime import UTC, datetime

    try:
        return datetime.fromisoformat(text).replace(tzinfo=UTC) if "T" not in text else \
            datetime.fromisoformat(text).astimezone(UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text} is not a date such as 2040-01-01") from None



def _fingerprint(pem: bytes) -> str:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    der = x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER)
    return hashlib.sha256(der).hexdigest().upper()


def _spaced(fingerprint: str) -> str:
    return ":".join(fingerprint[i:i + 2] for i in range(0, len(fingerprint), 2))


def _store(ws, creds, action: str, replace: bool) -> None:
    from panel_desk.core.errors import InvalidInput
    from panel_desk.core.publish import store_credentials

    try:
        store_credentials(ws, creds, action=action, replace=replace)
    except InvalidInput as exc:
        if "already exists" in str(exc):
            raise InvalidInput("A publication certificate already exists. Use --replace to make a new one; advice "
                               "already published still checks against its own root.") from None
        raise


def _describe(creds) -> None:
    cert = creds.cert
    print(f"Signs as: {creds.signer_name}")
    print(f"Valid until: {cert.not_valid_after_utc:%d %B %Y}")
    if creds.root_cert_pem is not None:
        print(f"Root certificate fingerprint (SHA-256): {_spaced(_fingerprint(creds.root_cert_pem))}")
        print("Give readers the root with: panel-desk ca export-root --out panel-root.pem")


def _ca_init(args: argparse.Namespace) -> int:
    from panel_desk.core import publish

    kwargs = {"panel_name": args.panel_name} if args.panel_name else {}
    creds = publish.create_panel_ca(**kwargs)
    with workspace(args) as ws:
        _store(ws, creds, "ca.init", args.replace)
    print("Created the panel's root certificate and the publication certificate.")
    _describe(creds)
    print_id(_fingerprint(creds.root_cert_pem))
    return 0


def _p12_password(args: argparse.Namespace) -> str:
    from panel_desk.core.errors import InvalidInput

    if args.p12_passphrase_file:
        try:
            text = Path(args.p12_passphrase_file).read_text(encoding="utf-8")
        except OSError as exc:
            raise InvalidInput(f"Cannot read the password file {args.p12_passphrase_file}: {exc.strerror}.") from None
        return text.splitlines()[0] if text else ""
    if os.environ.get(P12_ENV):
        return os.environ[P12_ENV]
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass("Password of the PKCS#12 file: ")
    raise InvalidInput(f"The PKCS#12 file's password is needed: use --p12-passphrase-file FILE or set {P12_ENV}.")


def _ca_import(args: argparse.Namespace) -> int:
    from panel_desk.core import publish
    from panel_desk.core.errors import InvalidInput, NotFound

    try:
        data = args.file.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"There is no file {args.file}.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {args.file}: {exc.strerror}.") from None
    creds = publish.PublicationCredentials.from_pkcs12(data, _p12_password(args))
    with workspace(args) as ws:
        _store(ws, creds, "ca.import-p12", args.replace)
    print(f"Imported the publication certificate from {args.file}.")
    _describe(creds)
    if creds.root_cert_pem is None:
        print("The file has no root certificate: readers check the advice against your authority's root.")
    print_id(_fingerprint(creds.cert_pem))
    return 0


def _ca_export_root(args: argparse.Namespace) -> int:
    from panel_desk.core.errors import InvalidInput
    from panel_desk.core.publish import stored_credentials, write_atomic

    with workspace(args) as ws:
        creds = stored_credentials(ws)
    if creds.root_cert_pem is None:
        raise InvalidInput("The publication certificate came from a certificate authority without its root. "
                           "Get the root certificate from that authority.")
    write_atomic(args.out, creds.root_cert_pem)
    print(f"Wrote the root certificate to {args.out}.")
    print(f"Fingerprint (SHA-256): {_spaced(_fingerprint(creds.root_cert_pem))}")
    return 0


def _ca_revoke(args: argparse.Namespace) -> int:
    from panel_desk.core import publish

    with workspace(args) as ws:
        old = publish.stored_credentials(ws)
        creds = publish.revoke_signing_certificate(old)
        ws.put_secret(publish.CREDENTIALS_SECRET, creds.to_bytes())
    print(f"Revoked the publication certificate with serial number {old.cert.serial_number:X}.")
    print("Issued a new publication certificate from the same root; readers keep the same root certificate.")
    print("Publish the new revocation list: panel-desk ca crl --out panel-root.crl")
    return 0


def _ca_crl(args: argparse.Namespace) -> int:
    from panel_desk.core import publish

    with workspace(args) as ws:
        creds = publish.stored_credentials(ws)
    publish.write_atomic(args.out, publish.issue_crl(creds))
    print(f"Wrote the revocation list to {args.out} ({len(creds.revoked)} revoked).")
    return 0


def _ca_tsa(args: argparse.Namespace) -> int:
    from panel_desk.core import settings as st
    from panel_desk.core.errors import InvalidInput

    if args.off == bool(args.url):
        raise InvalidInput("Give the time-stamping authority's address, or --off to publish without a timestamp.")
    with workspace(args) as ws:
        store = st.store_of(ws)
        prefs = st.load(store)
        try:
            prefs.tsa_url = None if args.off else args.url
        except ValueError:
            raise InvalidInput(f"{args.url} is not a web address such as http://timestamp.example.org/tsr.") from None
        st.save(store, prefs)
    if args.off:
        print("Advice will be published without a timestamp (PAdES B-LT).")
    else:
        print(f"Advice will be timestamped by {args.url} (PAdES B-LTA).")
    return 0


def _ca_details(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from panel_desk.core import publish
    from panel_desk.core import settings as st
    from panel_desk.core.errors import InvalidInput

    changes = {k: v for k, v in (("contact_email", args.email), ("contact_address", args.address),
                                 ("root_location", args.root_location)) if v is not None}
    with workspace(args) as ws:
        store = st.store_of(ws)
        prefs = st.load(store)
        if changes:
            try:
                prefs = prefs.model_validate({**prefs.model_dump(), **changes})
            except ValidationError:
                raise InvalidInput("That is too long to print in the advice (e-mail up to 200 characters, the "
                                   "address and the root's location up to 500).") from None
            st.save(store, prefs)
        details = publish.publication_details(ws, publish.stored_credentials(ws)) \
            if ws.get_secret(publish.CREDENTIALS_SECRET) is not None else None
    print(f"Contact e-mail: {prefs.contact_email or 'none (the postal address only)'}")
    print(f"Postal address: {prefs.contact_address or 'none'}")
    print(f"Root certificate published at: {prefs.root_location or 'not stated'}")
    print("Root certificate fingerprint (SHA-256): " + (details.root_fingerprint if details else
                                                      "no publication certificate yet (panel-desk ca init)"))
    print(f"Time-stamping authority: {prefs.tsa_url or 'none (PAdES B-LT)'}")
    return 0


def _advice_export(args: argparse.Namespace) -> int:
    from panel_desk.core import publish

    with workspace(args) as ws:
        result = publish.publish_advice(ws, args.app, pdf_out=args.pdf, html_out=args.html)
    print(f"Wrote the signed advice to {result.pdf_path} ({result.level}).")
    if result.html_path is not None:
        print(f"Wrote the web version to {result.html_path} and the root certificate to {result.root_path}.")
    print(f"Signed by {result.signer} on {publish.signing_time_words(result.signed_at)}.")
    print(f"SHA-256 of the PDF: {result.pdf_sha256}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from panel_desk.core import publish
    from panel_desk.core.errors import InvalidInput, NotFound

    roots = []
    for path in args.trust:
        try:
            roots.append(Path(path).read_bytes())
        except FileNotFoundError:
            raise NotFound(f"There is no file {path}.") from None
        except OSError as exc:
            raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
    report = publish.verify_pdf(args.file, roots, now=args.as_of)
    for line in report.lines():
        print(line)
    if report.ok:
        print(report.summary)
        return 0
    if not report.signed:
        return fail("This PDF is not signed, so it is not a published advice.")
    if report.signed and report.intact and report.signature_matches and report.covers_whole_file and not roots:
        return fail("The signature is intact, but no trusted root was given: pass the panel's root certificate "
                    "with --trust ROOT.pem (the secretariat writes it with: panel-desk ca export-root).")
    return fail(report.reasons[0] if report.reasons else "The signature could not be confirmed.")
