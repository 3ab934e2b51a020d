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
from pyhanko.sign.validation import validate_pdf_signature
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
            f"Signing time: {when}",
            f"Signature intact: {yes[self.intact and self.signature_matches]}",
            f"Covers the whole file: {yes[self.covers_whole_file]}",
            "Added after signing: " + (self.change_kind if self.changes_after_signing else "nothing"),
            "Chain reaches a trusted root: " + (yes[self.trusted] if self.trust_checked else "not checked (no --trust given)"),
        ]
        if self.signatures > 1:
            out.append(f"Signatures in the file: {self.signatures} (the last one was checked)")
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


def verify_pdf(data: bytes | os.PathLike | str, trust_roots_pem: list[bytes] | None = None, *,
               now: datetime | None = None) -> VerifyReport:
    """Check the (last) signature of a PDF; return a report, never raise for a bad signature.

    ``data`` is the file's bytes or its path. ``trust_roots_pem`` are the PEM certificates the
    reader trusts; without any, the report says who signed but cannot call them trusted.
    Certificates are checked as of ``now`` (default: the clock).
    Raises InvalidInput when the file is not a readable PDF or a root is not a certificate,
    NotFound when a path does not exist.
    """
    pdf = _read(data)
    roots = load_trust_roots(list(trust_roots_pem or []))
    try:
        reader = PdfFileReader(BytesIO(pdf), strict=False)
        sigs = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError):
        raise InvalidInput("This file is not a PDF that can be read, or it is damaged.") from None
    if not sigs:
        return VerifyReport(signed=False, reasons=("This PDF is not signed.",))
    sig = sigs[-1]
    context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail", moment=now)
    try:
        status = validate_pdf_signature(sig, context, key_usage_settings=_KEY_USAGE)
    except (PdfError, ValueError, KeyError, TypeError) as exc:
        return VerifyReport(signed=True, signatures=len(sigs),
                            reasons=(f"The signature cannot be read: it is damaged ({type(exc).__name__}).",))
    cert = status.signing_cert
    total = reader.xrefs.total_revisions
    signed_rev = sig.signed_revision
    updates = max(0, total - 1 - signed_rev)
    coverage = status.coverage
    whole = coverage == SignatureCoverageLevel.ENTIRE_FILE
    changed = not whole
    kind = ""
    if changed:
        level = status.modification_level
        known = _classify_updates(reader, signed_rev) if updates else None
        if known is not None:
            kind = known
        elif level is None or coverage != SignatureCoverageLevel.ENTIRE_REVISION:
            kind = NOT_AN_UPDATE
        else:
            kind = _LEVEL_WORDS.get(level, _LEVEL_WORDS[ModificationLevel.OTHER])
    reasons = []
    if not status.intact:
        reasons.append("The document was changed after it was signed: its content no longer matches the signature.")
    elif not status.valid:
        reasons.append("The signature does not match the signing certificate.")
    if changed:
        n = "" if updates == 0 else " (1 update)" if updates == 1 else f" ({updates} updates)"
        reasons.append(f"Something was added to the file after it was signed{n}: {kind}. "
                       "Ask for the original published file.")
    if not roots:
        reasons.append(NO_ROOT)
    elif not status.trusted:
        indic = getattr(status.trust_problem_indic, "name", "")
        moment = now or datetime.now(UTC)
        if cert.not_valid_before > moment:
            indic = "NOT_YET_VALID"  # pyHanko reports a general chain failure; say what it is
        elif cert.not_valid_after < moment:
            indic = "EXPIRED"
        reasons.append(_TRUST_WORDS.get(indic, UNTRUSTED))
    when = status.signer_reported_dt
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
        trusted=bool(status.trusted),
        signatures=len(sigs),
        reasons=tuple(reasons),
    )
