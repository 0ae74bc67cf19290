"""The hostile corpus in every free-text field that reaches a PDF, through the real pages:
nothing fetched (a loopback server counts requests), the canary never read, no 500, PDFs
parse, and the text comes out as typed."""

from __future__ import annotations

import io
import logging
from datetime import date

import pytest
from pypdf import PdfReader

from compliance.audits.models import ChecklistItem, Finding
from compliance.auth.models import User
from compliance.core.db import utcnow, write_intent
from compliance.core.extensions import db
from compliance.core.pdf import RenderFailed, render_limited
from compliance.core.pdf.fetcher import AllowListFetcher
from compliance.reports import services
from compliance.reports.periods import half_year
from tests.audits.helpers import audit_in_state, cast
from tests.capa.helpers import ca_in_state
from tests.hostile_inputs import HUGE, LITERALS, stored
from tests.reports.helpers import document, local


def _text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert not reader.attachments
    text = " ".join(page.extract_text() for page in reader.pages)
    # pypdf reads some font subsets (emoji, RTL, combining marks) as UTF-16: drop its NULs.
    return " ".join(text.replace("\x00", "").split())


def _chunks(items, limit: int) -> str:
    return stored(" | ".join(stored(t, 400) for _n, t in items), limit)


def _fill(app, make, items):
    """Every free-text field of an audit, corrective actions, documents, report notes and a
    management review, one corpus item per row where rows repeat."""
    people = cast(make)
    ids = audit_in_state(app, people, "reported")
    for _item in items[:12]:
        ca_in_state(app, people.dept.id, "open", coordinator_id=people.coordinator.id,
                    owner_id=people.head.id, today=date(2026, 3, 1))
    with app.app_context(), write_intent():
        from compliance.audits.models import Audit
        from compliance.capa.models import CorrectiveAction

        audit = db.session.get(Audit, ids.audit_id)
        audit.reported_at = local(2026, 3, 2, 10)
        audit.programme.title = _chunks(items, 200)
        for field in ("scope_note", "criteria", "opening_attendees", "closing_attendees"):
            setattr(audit, field, _chunks(items, 5000))
        audit.summary = _chunks(items, 20000)
        audit.opening_meeting_at = audit.closing_meeting_at = utcnow()
        for n, (_name, text) in enumerate(items, start=1):
            db.session.add(ChecklistItem(audit_id=audit.id, question_vi=stored(text, 2000),
                                         question_en=stored(text, 2000), position=100 + n,
                                         result="minor", notes=stored(text, 5000)))
            db.session.add(Finding(audit_id=audit.id, number=n, grade="minor",
                                   description=stored(text, 5000),
                                   created_by_id=people.lead.id, created_at=utcnow()))
            document(people.dept.id, people.head.id, f"QT-HX-{n:02d}", date(2024, 1, 1),
                     title=stored(text, 300))
        cas = db.session.scalars(db.select(CorrectiveAction)).all()
        for ca, (_name, text) in zip(cas, items[:12], strict=True):
            ca.problem = stored(text, 5000)
        coordinator = db.session.get(User, people.coordinator.id)
        services.save_note(coordinator, department_id=None, period=half_year(2026, 1),
                           shortcomings=_chunks(items, 5000),
                           planned_actions=_chunks(items[::-1], 5000), expected_version=0)
        review = services.create_review(coordinator, held_on=date(2026, 1, 5),
                                        period_start=date(2025, 7, 1),
                                        period_end=date(2025, 12, 31),
                                        chair=_chunks(items, 200), summary=_chunks(items, 20000))
        for _name, text in items:
            action = services.add_action(coordinator, review, description=stored(text, 5000),
                                         owner_id=coordinator.id, due_on=date(2026, 3, 1))
            services.update_action(coordinator, action, status="done",
                                   outcome_note=stored(text, 5000), today=date(2026, 2, 1),
                                   expected_version=action.version)
        db.session.commit()
    return people, ids


@pytest.mark.one_database
def test_every_pdf_field_holds_the_corpus_without_fetching_or_interpreting(
        app, make, login, trap, caplog):
    hits, token, items = trap
    assert len(items) >= 50
    # The corpus in every field makes the largest PDFs of the suite; this test reads what they
    # hold, not how long they take (the time limit has its own tests), and on a loaded
    # machine the input pack has needed more than the default minute.
    app.config["PDF_TIME_LIMIT"] = 240.0
    people, ids = _fill(app, make, items)
    client = app.test_client()
    login(client, people.coordinator.email)
    caplog.set_level(logging.WARNING, logger="compliance.core.pdf")
    texts = []
    for url in (f"/audits/{ids.audit_id}/report.pdf",
                "/reports/six-monthly/organisation.pdf?period=2026-H1&lang=vi",
                f"/reports/six-monthly/department/{people.dept.id}.pdf?period=2026-H1&lang=en",
                "/management-reviews/input-pack.pdf?start=2026-01-01&end=2026-06-30&lang=en"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:500])
        texts.append(_text(response.data))
    for page in ("/reports/six-monthly/organisation?period=2026-H1",
                 f"/audits/{ids.audit_id}", "/management-reviews/"):
        assert client.get(page, follow_redirects=True).status_code == 200
    assert hits == []
    assert [r.getMessage() for r in caplog.records if "refused" in r.getMessage()] == []
    for text in texts:
        assert token not in text
    audit_text, org_text, dept_text, pack_text = texts
    for literal in LITERALS:
        for text in texts:
            assert literal in text, literal
    # Vietnamese beside Arabic, Hebrew and emoji fonts is checked on clean PDFs elsewhere:
    # pypdf misreads some glyphs when a page mixes that many font subsets.


def test_raw_corpus_straight_into_the_renderer_is_refused_at_the_fetcher(trap):
    """The control: unescaped, every reference is attempted and refused; nothing is fetched."""
    hits, token, items = trap
    html = "".join(f"<section><h3>{name}</h3>{text}</section>" for name, text in items
                   if text is not HUGE and name not in ("deep nesting", "css color-profile"))
    fetcher = AllowListFetcher()
    data = render_limited("<p>Nội dung kiểm thử</p>" + html, fetcher=fetcher, time_limit=120)
    # A refused @color-profile source stops WeasyPrint itself: a clear 422, nothing fetched.
    profile = dict(items)["css color-profile"]
    with pytest.raises(RenderFailed):
        render_limited(profile, time_limit=60)
    assert hits == []
    refused = " ".join(fetcher.refused)
    for fragment in ("/img.png", "/s.css", "/i.css", "/bg.png", "/s.png", "file:///etc/passwd",
                     "canary.txt"):
        assert fragment in refused, fragment
    assert token not in _text(data)


# Refused by the form's length check before anything is read or written.
@pytest.mark.one_database
def test_a_megabyte_in_a_form_is_refused_not_rendered(client, make, login):
    login(client, make.user(roles=["coordinator"]).email)
    response = client.post("/reports/six-monthly/notes", data={
        "department_id": 0, "period": "2026-H1", "shortcomings": HUGE})
    assert response.status_code == 400
    response = client.post("/management-reviews/new", data={
        "held_on": "2026-01-20", "period_start": "2025-07-01", "period_end": "2025-12-31",
        "chair": "Chủ tịch", "summary": HUGE})
    assert response.status_code == 400
