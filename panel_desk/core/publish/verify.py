"""Check a published advice's signature and say, in plain English, what was found.

pyHanko validates the signature offline against the roots the reader trusts (never the
operating system's list, never the network). The report tells who signed and when, whether
the signature covers the whole file, what was added after signing and of what kind, and
whether the signing certificate leads to a trusted root. It is ``ok`` only when the signature
is intact and valid, covers the whole file, and comes from a trusted root.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.fields import MDPPerm
from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import ValidationInfoReadingError
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from panel_desk.core.errors import InvalidInput, NotFound

MAX_PDF_BYTES = 512 * 1024 * 1024

# pyHanko logs each failed check with a traceback; the report already says it in words, and a
# terminal must not show tracebacks, so give its loggers a handler that drops records (an app
# that configures logging still receives them through propagation).
for _logger in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_logger).addHandler(logging.NullHandler())

NO_ROOT = ("No trusted root certificate was given, so who signed cannot be confirmed. "
           "Get the panel's root certificate from where the advice is published and pass it with --trust.")


@dataclass(frozen=True)
class VerifyReport:
    """What :func:`verify_pdf` found. Words in ``reasons`` are fit to show a member of the public."""

    signed: bool
    signer: str = ""
    signer_organisation: str = ""
    signed_at: datetime | None = None
    intact: bool = False
    # the cryptographic signature matches the signing certificate (not "valid": a caller reading
    # report.valid as the verdict would accept an untrusted or altered file; the verdict is .ok)
    signature_matches: bool = False
    covers_whole_file: bool = False
    changes_after_signing: bool = False
    change_kind: str = ""  # words: what was added after signing
    updates_after_signing: int = 0
    trust_checked: bool = False  # trusted roots were given
    trusted: bool = False
    signatures: int = 0
    reasons: tuple[str, ...] = ()
    certification: str = ""  # words, e.g. "certified: no changes allowed"; "" for an approval signature
    timestamped_at: datetime | None = None  # the time-stamping authority's time for the signature
    document_timestamps: int = 0
    validation_data: bool = False  # the file carries a DSS (chain and revocation data)
    long_term: bool = False  # trusted through its timestamps after the certificate expired
    trailing_bytes: int = 0
    other_signatures: int = 0  # document timestamps counted apart

    @property
    def level(self) -> str:
        """The PAdES baseline level the file carries, in words."""
        if self.document_timestamps and self.timestamped_at:
            return "PAdES B-LTA (timestamped, with validation data and a document timestamp)"
        if self.validation_data:
            return "PAdES B-LT (with validation data; no timestamp)"
        return "PAdES B-B (basic: no validation data, no timestamp)"

    @property
    def ok(self) -> bool:
        """An intact, valid signature over the whole file, from a trusted root."""
        return self.signed and self.intact and self.signature_matches and self.covers_whole_file and self.trusted

    @property
    def covers_whole_document(self) -> bool:
        return self.covers_whole_file

    @property
    def problems(self) -> tuple[str, ...]:
        return self.reasons

    @property
    def summary(self) -> str:
        """One sentence: the verdict."""
        if self.ok and self.long_term:
            return ("The signature is valid: its certificate has since expired, but timestamps prove the advice was "
                    "signed while it was valid, and the file has not changed since it was signed.")
        if self.ok:
            return "The signature is valid, comes from a trusted root, and the file has not changed since it was signed."
        return self.reasons[0] if self.reasons else "The signature could not be confirmed."

    def lines(self) -> list[str]:
        """The details, one ``Label: value`` line each, for a terminal or a summary list."""
        if not self.signed:
            return ["Signed: no"]
        when = signing_time_words(self.signed_at) if self.signed_at else "not stated"
        yes = {True: "yes", False: "no"}
        out = [
            f"Signed by: {self.signer}" + (f" ({self.signer_organisation})" if self.signer_organisation else ""),
            f"Signing time: {when}" + ("" if self.timestamped_at else " (the signer's own clock)"),
            "Timestamp: " + (f"{signing_time_words(self.timestamped_at)}, from a time-stamping authority"
                             if self.timestamped_at else "none"),
            "Certification: " + (self.certification or "none (an approval signature)"),
            f"Level: {self.level}",
            f"Signature intact: {yes[self.intact and self.signature_matches]}",
            f"Covers the whole file: {yes[self.covers_whole_file]}",
            "Added after signing: " + (self.change_kind if self.changes_after_signing else "nothing"),
            "Chain reaches a trusted root: " + (
                "not checked (no --trust given)" if not self.trust_checked else
                "not checked (the signed content changed)" if not (self.intact and self.signature_matches) else
                yes[self.trusted]),
        ]
        if self.signatures > 1:
            out.append(f"Signatures in the file: {self.signatures} (the last one was checked)")
        if self.document_timestamps:
            out.append(f"Document timestamps: {self.document_timestamps}")
        return out


def signing_time_words(when: datetime) -> str:
    when = when.astimezone(UTC)
    return f"{when.day} {when:%B %Y} at {when:%H:%M:%S} UTC"


def load_trust_roots(pems: list[bytes]) -> list[asn1_x509.Certificate]:
    """Certificates from PEM (or DER) bytes; raise InvalidInput for anything else."""
    roots = []
    for data in pems:
        try:
            if asn1_pem.detect(data):
                blocks = [der for kind, _h, der in asn1_pem.unarmor(data, multiple=True) if kind == "CERTIFICATE"]
            else:
                blocks = [data]
            for der in blocks:
                cert = asn1_x509.Certificate.load(der)
                cert.native  # noqa: B018 - parse it all now, so a damaged file fails here
                roots.append(cert)
        except (ValueError, TypeError):
            raise InvalidInput("The trusted root file is not a certificate (expected a PEM file such as root.pem).") from None
        if not blocks:
            raise InvalidInput("The trusted root file has no certificate in it (expected a PEM file such as root.pem).")
    return roots


def _read(source: bytes | os.PathLike | str) -> bytes:
    if isinstance(source, bytes | bytearray | memoryview):
        return bytes(source)
    path = Path(source)
    try:
        if path.stat().st_size > MAX_PDF_BYTES:
            raise InvalidInput(f"{path} is too large to be a published advice.")
        return path.read_bytes()
    except FileNotFoundError:
        raise NotFound(f"There is no file {path}.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None


def _name(cert: asn1_x509.Certificate, key: str) -> str:
    try:
        value = cert.subject.native.get(key, "")
    except (ValueError, TypeError):
        return ""
    return value if isinstance(value, str) else ", ".join(value)


_LEVEL_WORDS = {
    ModificationLevel.NONE: "an empty update with nothing in it",
    ModificationLevel.LTA_UPDATES: "signature validation data only; the document itself is unchanged",
    ModificationLevel.FORM_FILLING: "filled-in form fields or another signature",
    ModificationLevel.ANNOTATIONS: "annotations, such as comments, highlights or drawings over the pages",
    ModificationLevel.OTHER: "changes to the document itself, such as added or replaced page content",
}
METADATA_ONLY = "document information only, such as the title, author or dates"
ANNOTATIONS_ONLY = ("annotations only, such as comments, highlights or drawings over the pages; "
                    "the pages' own content is unchanged")
NOT_AN_UPDATE = "data outside the signed part that is not a proper PDF update"
TRAILING_BYTES = "{n} byte{s} of data after the end of the file (trailing bytes, not a PDF update)"
CONTENT_CHANGED = ("The signed content changed after signing: the file no longer matches its signature. "
                   "Ask for the original published file.")
_CERTIFICATION_WORDS = {
    MDPPerm.NO_CHANGES: "certified: no changes allowed",
    MDPPerm.FILL_FORMS: "certified: form filling and signing allowed",
    MDPPerm.ANNOTATE: "certified: form filling, signing and comments allowed",
}


# A certificate authority's signing certificate may carry either usage; ours carries both.
_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)

_TRUST_WORDS = {
    "NOT_YET_VALID": "The signing certificate was not yet valid when checked. Check this computer's date and time.",
    "EXPIRED": "The signing certificate has expired.",
    "OUT_OF_BOUNDS_NO_POE": "The signing certificate has expired.",
    "OUT_OF_BOUNDS_NOT_REVOKED": "The signing certificate has expired.",
    "REVOKED": "The signing certificate has been revoked.",
    "REVOKED_NO_POE": "The signing certificate has been revoked.",
    "REVOKED_CA_NO_POE": "A certificate in the signer's chain has been revoked.",
    "NO_CERTIFICATE_CHAIN_FOUND": "The signing certificate does not lead to the trusted root certificate you gave.",
    "CHAIN_CONSTRAINTS_FAILURE": "The signing certificate's chain does not allow it to sign documents.",
    "SIG_CONSTRAINTS_FAILURE": "The signing certificate is not allowed to sign documents.",
    "CRYPTO_CONSTRAINTS_FAILURE": "The signature uses an algorithm too weak to be trusted.",
    "CRYPTO_CONSTRAINTS_FAILURE_NO_POE": "The signature uses an algorithm too weak to be trusted.",
}
UNTRUSTED = "The signing certificate could not be confirmed as coming from the trusted root you gave."


def _changed_keys(old: generic.DictionaryObject, new: generic.DictionaryObject) -> set[str]:
    raw = generic.EncryptedObjAccess.RAW
    return {k for k in set(old.keys()) | set(new.keys())
            if k not in old or k not in new or old.raw_get(k, decrypt=raw) != new.raw_get(k, decrypt=raw)}


def _is_annotation(obj: object) -> bool:
    return isinstance(obj, generic.DictionaryObject) and (obj.get("/Type") == "/Annot" or (
        "/Subtype" in obj and "/Rect" in obj and "/Type" not in obj))


def _classify_updates(reader: PdfFileReader, signed_revision: int) -> str | None:
    """What the revisions after the signed one did, when it is only metadata or only annotations.

    Returns METADATA_ONLY, ANNOTATIONS_ONLY, or None when anything else changed (then pyHanko's
    own judgement of the changes is reported).
    """
    metadata: set[tuple[int, int]] = set()
    info = reader.trailer_view.get_value_as_reference("/Info", optional=True)
    if info is not None:
        metadata.add((info.idnum, info.generation))
    try:
        meta = reader.root.get_value_as_reference("/Metadata", optional=True)
    except (PdfError, KeyError):
        meta = None
    if meta is not None:
        metadata.add((meta.idnum, meta.generation))
    root = (reader.root_ref.idnum, reader.root_ref.generation)
    before = reader.get_historical_resolver(signed_revision)
    kinds: set[str] = set()
    try:
        for rev in range(signed_revision + 1, reader.xrefs.total_revisions):
            after = reader.get_historical_resolver(rev)
            for ref in reader.xrefs.explicit_refs_in_revision(rev):
                key = (ref.idnum, ref.generation)
                new = after.get_object(ref)
                if isinstance(new, generic.StreamObject) and new.get("/Type") == "/XRef":
                    continue  # the update's own cross-reference stream
                if key in metadata:
                    kinds.add("metadata")
                elif reader.xrefs.get_introducing_revision(ref) > signed_revision:
                    if _is_annotation(new) or (isinstance(new, generic.ArrayObject) and new and all(
                            _is_annotation(x.get_object()) for x in new)):  # a new /Annots array
                        kinds.add("annotations")
                    else:
                        return None
                else:
                    old = before.get_object(ref)
                    if isinstance(old, generic.ArrayObject) and isinstance(new, generic.ArrayObject):
                        # an indirect /Annots array that grew by annotations
                        raw = [new.raw_get(i, decrypt=generic.EncryptedObjAccess.RAW) for i in range(len(new))]
                        kept = [old.raw_get(i, decrypt=generic.EncryptedObjAccess.RAW) for i in range(len(old))]
                        added = [x for x in raw if x not in kept]
                        if raw[:len(kept)] != kept or not all(_is_annotation(x.get_object()) for x in added):
                            return None
                        kinds.add("annotations")
                        continue
                    if not (isinstance(old, generic.DictionaryObject) and isinstance(new, generic.DictionaryObject)):
                        return None
                    changed = _changed_keys(old, new)
                    if key == root and changed <= {"/Metadata"}:
                        kinds.add("metadata")
                    elif (old.get("/Type") == "/Page" and changed <= {"/Annots"}) or (
                            _is_annotation(old) and _is_annotation(new)):
                        kinds.add("annotations")
                    else:
                        return None
    except (PdfError, KeyError, TypeError, ValueError):
        return None
    if kinds == {"metadata"}:
        return METADATA_ONLY
    if "annotations" in kinds:
        return ANNOTATIONS_ONLY
    return None


def _context(reader: PdfFileReader, roots, moment: datetime | None) -> ValidationContext:
    """A validation context with the file's own validation data (the DSS), offline."""
    kwargs = {"trust_roots": roots, "allow_fetching": False, "revocation_mode": "soft-fail", "moment": moment}
    try:
        return DocumentSecurityStore.read_dss(reader).as_validation_context(kwargs)
    except (ValidationInfoReadingError, PdfError, ValueError, KeyError, TypeError):
        return ValidationContext(**kwargs)


def _trailing_bytes(pdf: bytes) -> int:
    """How many bytes follow the file's last end-of-file marker (beyond a line ending)."""
    end = pdf.rfind(b"%%EOF")
    return 0 if end < 0 else len(pdf[end + 5:].strip(b"\r\n\0 \t"))


def _long_term(reader, sig, roots, moment: datetime, status) -> tuple[bool, str]:
    """Whether timestamps prove the signature was made while its certificate was valid.

    The signature's own timestamp fixes when it was made; the signature is checked as of that
    time (with the revocation list it carries), and the file's last document timestamp, which
    covers the whole file, is checked as of ``moment``. (PAdES B-LTA, the timestamp chain read as
    its evidence.) Returns (proved, words saying why not).
    """
    ts = status.timestamp_validity
    if ts is None:
        return False, ("The file has no timestamp from a time-stamping authority, so nothing proves it was "
                       "signed while the certificate was valid (it was published at the PAdES B-LT level).")
    if not (ts.intact and ts.valid and ts.trusted):
        return False, "The signature's timestamp could not be confirmed: pass the time-stamping authority's root with --trust."
    docs = reader.embedded_timestamp_signatures
    if not docs:
        return False, "The file has no document timestamp to keep its validation data current."
    last = docs[-1]
    try:
        doc_status = validate_pdf_timestamp(last, _context(reader, roots, moment))
        then = validate_pdf_signature(sig, _context(reader, roots, ts.timestamp), key_usage_settings=_KEY_USAGE)
    except (PdfError, ValueError, KeyError, TypeError):
        return False, "The file's timestamps cannot be read: they are damaged."
    if not (doc_status.intact and doc_status.valid and doc_status.trusted):
        return False, "The document timestamp could not be confirmed: pass the time-stamping authority's root with --trust."
    if doc_status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return False, "Something was added to the file after its last document timestamp."
    if not (then.intact and then.valid and then.trusted):
        return False, _TRUST_WORDS.get(getattr(then.trust_problem_indic, "name", ""), UNTRUSTED)
    return True, ""


def verify_pdf(data: bytes | os.PathLike | str, trust_roots_pem: list[bytes] | None = None, *,
               now: datetime | None = None) -> VerifyReport:
    """Check the (last) signature of a PDF; return a report, never raise for a bad signature.

    ``data`` is the file's bytes or its path. ``trust_roots_pem`` are the PEM certificates the
    reader trusts (the panel's root, and the time-stamping authority's root when the advice is
    timestamped); without any, the report says who signed but cannot call them trusted.
    Certificates are checked as of ``now`` (default: the clock); once the signing certificate has
    expired, a timestamped advice is checked as of its timestamp (long-term validation).
    Raises InvalidInput when the file is not a readable PDF or a root is not a certificate,
    NotFound when a path does not exist.
    """
    pdf = _read(data)
    roots = load_trust_roots(list(trust_roots_pem or []))
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        all_sigs = reader.embedded_signatures
        sigs = reader.embedded_regular_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError):
        raise InvalidInput("This file is not a PDF that can be read, or it is damaged.") from None
    if not sigs:
        return VerifyReport(signed=False, reasons=("This PDF is not signed.",))
    sig = sigs[-1]
    moment = now or datetime.now(UTC)
    try:
        certification = sig.docmdp_level
        status = validate_pdf_signature(sig, _context(reader, roots, moment), key_usage_settings=_KEY_USAGE)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        return VerifyReport(signed=True, signatures=len(sigs),
                            reasons=(f"The signature cannot be read: it is damaged ({type(exc).__name__}).",))
    cert = status.signing_cert
    total = reader.xrefs.total_revisions
    signed_rev = sig.signed_revision
    updates = max(0, total - 1 - signed_rev)
    coverage = status.coverage
    docs = reader.embedded_timestamp_signatures
    trailing = _trailing_bytes(pdf)
    level = status.modification_level
    # validation data and document timestamps after the signature are what long-term validation adds
    archival_only = (bool(docs) and coverage == SignatureCoverageLevel.ENTIRE_REVISION and not trailing
                     and level is not None and level <= ModificationLevel.LTA_UPDATES)
    if archival_only:
        try:
            last_doc_whole = validate_pdf_timestamp(docs[-1], _context(reader, [], moment)).coverage \
                == SignatureCoverageLevel.ENTIRE_FILE
        except (PdfError, ValueError, KeyError, TypeError):
            last_doc_whole = False
        archival_only = last_doc_whole
    whole = coverage == SignatureCoverageLevel.ENTIRE_FILE or archival_only
    changed = not whole
    kind = ""
    if changed:
        known = _classify_updates(reader, signed_rev) if updates and not trailing else None
        if trailing:
            kind = TRAILING_BYTES.format(n=trailing, s="" if trailing == 1 else "s")
        elif known is not None:
            kind = known
        elif level is None or coverage != SignatureCoverageLevel.ENTIRE_REVISION:
            kind = NOT_AN_UPDATE
        else:
            kind = _LEVEL_WORDS.get(level, _LEVEL_WORDS[ModificationLevel.OTHER])
    reasons = []
    if not status.intact:
        reasons.append(CONTENT_CHANGED)
    elif not status.valid:
        reasons.append("The signature itself was altered: it no longer matches the signing certificate.")
    if changed:
        n = "" if updates == 0 else " (1 update)" if updates == 1 else f" ({updates} updates)"
        reasons.append(f"Something was added to the file after it was signed{n}: {kind}. "
                       "Ask for the original published file.")
    long_term = False
    trusted = bool(status.trusted)
    if not roots:
        reasons.append(NO_ROOT)
    elif not trusted and status.intact and status.valid:
        indic = getattr(status.trust_problem_indic, "name", "")
        if cert.not_valid_before > moment:
            indic = "NOT_YET_VALID"  # pyHanko reports a general chain failure; say what it is
        elif cert.not_valid_after < moment:
            indic = "EXPIRED"
        if indic == "EXPIRED":
            long_term, why = _long_term(reader, sig, roots, moment, status)
            trusted = long_term
            if not long_term:
                reasons.append(f"The signing certificate expired on {cert.not_valid_after.day} "
                               f"{cert.not_valid_after:%B %Y}. {why}")
        else:
            reasons.append(_TRUST_WORDS.get(indic, UNTRUSTED))
    elif not trusted and status.intact and status.valid:
        reasons.append(UNTRUSTED)
    when = status.signer_reported_dt
    ts = status.timestamp_validity
    return VerifyReport(
        signed=True,
        signer=_name(cert, "common_name") or cert.subject.human_friendly,
        signer_organisation=_name(cert, "organization_name"),
        signed_at=when.astimezone(UTC) if when else None,
        intact=bool(status.intact),
        signature_matches=bool(status.valid),
        covers_whole_file=whole,
        changes_after_signing=changed,
        change_kind=kind,
        updates_after_signing=updates,
        trust_checked=bool(roots),
        trusted=trusted,
        signatures=len(sigs),
        reasons=tuple(reasons),
        certification=_CERTIFICATION_WORDS.get(certification, "") if certification else "",
        timestamped_at=ts.timestamp.astimezone(UTC) if ts is not None else None,
        document_timestamps=len(docs),
        validation_data=_has_dss(reader),
        long_term=long_term,
        trailing_bytes=trailing,
        other_signatures=len(all_sigs) - len(sigs),
    )


def _has_dss(reader: PdfFileReader) -> bool:
    try:
        return "/DSS" in reader.root
    except (PdfError, KeyError, TypeError):
        return False
