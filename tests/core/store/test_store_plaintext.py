"""No plaintext on disk: a whole session leaves no trace of its content in the profile or temp folder."""

from __future__ import annotations

import tempfile
from pathlib import Path

from plaintext_scan import scan_for_markers
from store_helpers import APP_ID, DOC, DOC2, NOW, PASS, answers, application, pdf, seal_application

from panel_desk.core.model import Annotation, ConflictDeclaration
from panel_desk.core.store import init_profile, open_profile

DOC_MARKER = "Qzxwv7DocumentMarker"
ANSWER_MARKER = "Qzxwv7AnswerMarker"
NOTE_MARKER = "Qzxwv7AnnotationMarker"
QUOTE_MARKER = "Qzxwv7QuoteMarker"
INTEREST_MARKER = "Qzxwv7InterestMarker"
MARKERS = [DOC_MARKER, ANSWER_MARKER, NOTE_MARKER, QUOTE_MARKER, INTEREST_MARKER]


def test_the_scan_finds_markers_in_any_encoding(tmp_path):
    (tmp_path / "a.txt").write_bytes(f"x {ANSWER_MARKER} y".encode())
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.bin").write_bytes(NOTE_MARKER.lower().encode("utf-16-le"))
    hits = scan_for_markers([tmp_path], MARKERS)
    assert {(h.path.name, h.marker, h.encoding) for h in hits} == {
        ("a.txt", ANSWER_MARKER, "utf-8, as written"), ("b.bin", NOTE_MARKER, "utf-16-le, lower case")}
    assert scan_for_markers([tmp_path / "a.txt"], [DOC_MARKER]) == []


def test_a_full_session_writes_no_plaintext(people, tmp_path, own_tempdir):
    assert Path(tempfile.gettempdir()) == own_tempdir
    documents = {DOC: pdf(f"The consultation mentions {DOC_MARKER} twice.", f"Page two: {DOC_MARKER}."),
                 DOC2: pdf("Risk assessment without the marker.")}
    # the secretariat records the application (sealed to itself), then seals it for Rita
    sam = init_profile(tmp_path / "sam", people.sam.file, PASS, now=NOW)
    sam.roster_add(people.rita.card, now=NOW)
    sam.put_application(application(), documents, now=NOW)
    assert sorted(h.page for h in sam.search(DOC_MARKER)) == [1, 2]
    bundle_path = tmp_path / "outbox" / "app.pdbundle"
    bundle_path.parent.mkdir()
    seal_application(people, bundle_path, files=documents, to=[people.rita])
    # Rita's session: init, import, declare, read, annotate, answer, search
    rita = init_profile(tmp_path / "rita", people.rita.file, PASS, [people.sam.card], now=NOW)
    assert rita.import_bundle(bundle_path, now=NOW).status == "imported"
    rita.save_declaration(ConflictDeclaration(application_id=APP_ID, application_revision=1,
                                              member=people.rita.fingerprint,
                                              interests=[{"type": "personal", "text": f"Knows {INTEREST_MARKER}"}]),
                          now=NOW)
    assert DOC_MARKER.encode() in rita.read_document(APP_ID, DOC, now=NOW)
    with rita.open_document(APP_ID, DOC, now=NOW) as f:
        assert DOC_MARKER.encode() in f.read()
    rita.save_annotation(Annotation(application_id=APP_ID, document=DOC, page=1, rects=[(72, 60, 300, 75)],
                                    quote=QUOTE_MARKER, note=f"Check {NOTE_MARKER} with the council"), now=NOW)
    for n in range(5):
        rita.save_answers(APP_ID, answers(f"Draft {n}: {ANSWER_MARKER}"), now=NOW)
    hits = rita.search(DOC_MARKER, now=NOW)
    assert sorted((h.document, h.page) for h in hits) == [(DOC, 1), (DOC, 2)]
    assert DOC_MARKER in hits[0].snippet
    scanned = [tmp_path / "sam", tmp_path / "rita", tempfile.gettempdir()]
    assert scan_for_markers(scanned, MARKERS) == []  # while open: the WAL is encrypted too
    rita.lock()
    rita.unlock(PASS)
    assert rita.answers(APP_ID).outcomes.rationale.endswith(ANSWER_MARKER)
    rita.close()
    sam.close()
    again = open_profile(tmp_path / "rita", PASS)
    assert again.annotations(APP_ID)[0].quote == QUOTE_MARKER
    again.close()
    assert scan_for_markers(scanned, MARKERS) == []
    assert (tmp_path / "rita" / "store.db").stat().st_size > 0
