"""Dates are never written month-first: English "11 Dec 2026", Vietnamese "11/12/2026" and,
in formal text, "ngày 11 tháng 12 năm 2026" (Vietnamese administrative style)."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from compliance.core.extensions import db
from compliance.core.locale import format_day, format_size
from compliance.documents.models import Document, Revision
from compliance.documents.services.copies import controlled_stamp
from tests.documents.helpers import document_target
from tests.notifications.helpers import set_columns

# How dates and sizes are written: the same on either database.
pytestmark = pytest.mark.one_database

DAY = date(2026, 12, 11)


def test_pages_write_the_day_before_the_month_in_both_languages(app, client, make, login):
    dept = make.department()
    user = make.user(roles=["coordinator"], locale="en")
    doc = document_target(app, dept.id, user.id)
    set_columns(app, Document, doc.document_id, next_review_date=DAY)
    login(client, user.email)
    for path in ("/documents/", f"/documents/{doc.document_id}"):
        page = client.get(path).get_data(as_text=True)
        assert "11 Dec 2026" in page and "12/11/26" not in page, path
    client.post("/language", data={"locale": "vi"})
    for path in ("/documents/", f"/documents/{doc.document_id}"):
        page = client.get(path).get_data(as_text=True)
        assert "11/12/2026" in page and "12/11/26" not in page, path


def test_a_controlled_copy_is_stamped_with_an_unambiguous_date(app, make):
    dept = make.department()
    user = make.user()
    doc = document_target(app, dept.id, user.id)
    set_columns(app, Revision, doc.revision_id, effective_date=date(2026, 3, 4))
    with app.test_request_context():
        document = db.session.get(Document, doc.document_id)
        revision = db.session.get(Revision, doc.revision_id)
        with force_locale("en"):
            assert "effective 4 Mar 2026" in controlled_stamp(document, revision, "A").header
        with force_locale("vi"):
            assert "04/03/2026" in controlled_stamp(document, revision, "A").header


def test_formal_vietnamese_pads_days_under_ten_and_the_first_two_months(app):
    with app.test_request_context():
        with force_locale("vi"):
            assert format_day(date(2026, 2, 5), "long") == "ngày 05 tháng 02 năm 2026"
            assert format_day(date(2026, 3, 15), "long") == "ngày 15 tháng 3 năm 2026"
            assert format_day(DAY, "long") == "ngày 11 tháng 12 năm 2026"
            assert format_day(DAY, "full") == "Thứ Sáu, ngày 11 tháng 12 năm 2026"
            assert format_day(DAY) == "11/12/2026"
        with force_locale("en"):
            assert format_day(DAY, "long") == "11 December 2026"
            assert format_day(None) == ""


def test_file_sizes_use_the_readers_decimal_sign_in_templates(app):
    with app.test_request_context():
        render = app.jinja_env.from_string("{{ n | filesizeformat }}").render
        with force_locale("vi"):
            assert render(n=377_500) == "377,5 kB"
            assert render(n=12_345_678) == "12,3 MB"
            assert render(n=999) == "999 B"
        with force_locale("en"):
            assert render(n=377_500) == "377.5 kB"
            assert render(n=2_000_000) == "2 MB"
        assert format_size(None) == ""


def test_date_inputs_read_and_show_the_day_first_in_both_languages(app, client, make, login):
    from compliance.core.day_input import parse_day

    assert {parse_day(text) for text in ("31/12/2026", "31.12.2026", "31-12-2026", "31122026",
                                         "2026-12-31", " 31/12/2026 ")} == {date(2026, 12, 31)}
    for wrong in ("12/31/2026", "31/12/26", "yesterday"):
        with pytest.raises(ValueError):
            parse_day(wrong)
    dept = make.department()
    user = make.user(roles=["coordinator"], locale="vi")
    doc = document_target(app, dept.id, user.id)
    set_columns(app, Document, doc.document_id, next_review_date=DAY, status="effective")
    login(client, user.email)
    # The register's filter: a text input with the numeric keyboard and a visible hint, as
    # typed on a phone (no browser date control, whose order follows the browser's language).
    page = client.get("/documents/?review_before=11/12/2026").get_data(as_text=True)
    assert 'inputmode="numeric"' in page and 'type="date"' not in page
    assert 'value="11/12/2026"' in page and "Ngày/tháng/năm" in page
    assert f'href="/documents/{doc.document_id}"' in page
    page = client.get("/documents/?review_before=10/12/2026").get_data(as_text=True)
    assert f'href="/documents/{doc.document_id}"' not in page
    # A form's date field the same way, kept as typed when refused.
    page = client.get("/documents/new").get_data(as_text=True)
    assert 'name="external_check_date"' in page and 'type="date"' not in page
