"""A refused evidence form comes back with the reason at its field and the input kept
(form_error); refusals that are not about the form keep their own page."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from compliance.core import clock
from compliance.core import db as core_db
from compliance.core.extensions import db
from compliance.evidence import web
from compliance.evidence.models import EvidencePack, Verification
from compliance.org.models import Clause
from tests.evidence.helpers import PERIOD, pack_target


def _english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_a_scope_without_its_record_is_named_at_the_select_of_that_kind(app, client, make,
                                                                         as_role):
    _english(client)
    as_role("auditor")
    make.department()
    response = client.post("/evidence/", data={**PERIOD, "scope_kind": "department",
                                               "department_id": "0",
                                               "period_end": "2026-06-30"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose the department, audit or clause the pack covers." in page
    # The message sits under the department select, the period typed is kept.
    assert page.index("Choose the department, audit") > page.index('id="department_id"')
    assert page.index("Choose the department, audit") < page.index('id="audit_id"')
    # Tied to its select for a screen reader (render_field), the other selects left alone.
    assert re.search(r'<select[^>]*aria-describedby="department_id-error-0"[^>]*'
                     r'aria-invalid="true"[^>]*id="department_id"', page)
    assert 'id="department_id-error-0"' in page and page.count('aria-invalid="true"') == 1
    assert 'value="2026-06-30"' in page
    with app.app_context():
        assert db.session.query(EvidencePack).count() == 0


def test_the_quality_system_of_a_clause_is_refused_at_its_box(app, client, make, as_role):
    _english(client)
    as_role("auditor")
    with app.app_context():
        clause_id = db.session.scalar(db.select(Clause.id).limit(1))
    response = client.post("/evidence/", data={**PERIOD, "scope_kind": "clause",
                                               "clause_id": str(clause_id),
                                               "include_quality": "y"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    message = "Objectives, measures and risks belong to departments"
    assert page.index(message) > page.index('id="include_quality"')
    assert re.search(r'<input[^>]*checked[^>]*id="include_quality"', page)  # kept ticked
    with app.app_context():
        assert db.session.query(EvidencePack).count() == 0


def test_an_impossible_period_day_says_the_date_is_not_valid(client, as_role):
    _english(client)
    as_role("auditor")
    response = client.post("/evidence/", data={**PERIOD, "scope_kind": "organisation",
                                               "period_end": "2026-02-31"})
    assert response.status_code == 400
    assert "Give a valid date." in response.get_data(as_text=True)


def test_a_refused_share_link_keeps_the_note_and_names_the_expiry(app, client, make, as_role):
    _english(client)
    user = as_role("coordinator")
    pack = pack_target(app, make.department().id, user.id)
    response = client.post(f"/evidence/{pack.pack_id}/links", data={
        "expires_on": (clock.today() - timedelta(days=2)).isoformat(),
        "note": "Đoàn đánh giá QUACERT"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The expiry date is in the past." in page and "Đoàn đánh giá QUACERT" in page
    assert 'data-testid="pack-sha"' in page  # the pack page itself, not an error page


def test_a_pack_still_building_cannot_be_shared_and_keeps_its_409_page(app, client, make,
                                                                        as_role):
    _english(client)
    user = as_role("coordinator")
    pack = pack_target(app, make.department().id, user.id)
    with app.app_context():
        db.session.get(EvidencePack, pack.pack_id).status = "building"
        db.session.commit()
    response = client.post(f"/evidence/{pack.pack_id}/links", data={
        "expires_on": (clock.today() + timedelta(days=2)).isoformat()})
    assert response.status_code == 409
    assert "Only a ready pack can be shared." in response.get_data(as_text=True)


def test_a_pack_too_large_to_verify_shows_the_form_with_the_limit(app, client, as_role):
    _english(client)
    as_role("auditor")
    app.config["EVIDENCE_VERIFY_MAX_MB"] = 1
    big = b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10)
    response = client.post("/evidence/verify", data={"file": (io.BytesIO(big), "big.pdf")})
    page = response.get_data(as_text=True)
    assert response.status_code == 413
    assert "larger than the limit of 1 MB" in page and 'name="file"' in page
    with app.app_context():
        assert db.session.query(Verification).count() == 0


def test_the_verification_is_recorded_after_the_check_in_its_own_write(app, client, as_role,
                                                                       monkeypatch):
    """The check runs while the request only reads; the write starts once it is done."""
    seen = []
    original = web.verify_pack

    def spying(data):
        seen.append(core_db._write_intent.get())
        return original(data)

    monkeypatch.setattr(web, "verify_pack", spying)
    as_role("auditor")
    response = client.post("/evidence/verify",
                           data={"file": (io.BytesIO(b"%PDF-1.7\nnot really"), "x.pdf")})
    assert response.status_code == 302
    assert seen == [False]
    with app.app_context():
        assert db.session.query(Verification).count() == 1
