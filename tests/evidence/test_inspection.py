"""The inspection pack (issue 17, item 6): built by the real worker, parsed back with pypdf:
its sections in the inspection's order, each in date order, and the manifest's rows."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from pypdf import PdfReader

from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.reports.models import ManagementReview
from compliance.scope.models import Announcement
from tests.capa.helpers import ca_in_state
from tests.evidence.helpers import download, outline_titles, request_build, wait_for
from tests.scope.helpers import scope_entry

SECTIONS = ["Announcements of conformity", "Scope of the quality system",
            "Quality objectives and their results", "Internal audits", "Audit findings",
            "Corrective actions", "Management reviews", "Reports on the quality system",
            "All records in date order", "Manifest"]


def _records(app, make):
    department = make.department(code="TP")
    coordinator = make.user(roles=["coordinator"], name="Trần Minh Thư")
    scope_entry(app, coordinator.id, department.id, name="Đăng ký khai sinh")
    late = ca_in_state(app, department.id, coordinator_id=coordinator.id,
                       owner_id=coordinator.id, today=date(2026, 9, 1))
    early = ca_in_state(app, department.id, coordinator_id=coordinator.id,
                        owner_id=coordinator.id, today=date(2026, 3, 2))
    ca_in_state(app, department.id, coordinator_id=coordinator.id, owner_id=coordinator.id,
                today=date(2025, 5, 1))  # before the period: left out
    with app.app_context(), write_intent():
        db.session.add_all([
            Announcement(state="issued", number=12, symbol="QĐ-UBND",
                         issued_on=date(2026, 4, 10)),
            ManagementReview(held_on=date(2026, 11, 20), period_start=date(2026, 1, 1),
                             period_end=date(2026, 10, 31), chair="Nguyễn Văn An",
                             summary="Xem xét cuối năm"),
            ManagementReview(held_on=date(2026, 6, 5), period_start=date(2025, 7, 1),
                             period_end=date(2026, 5, 31), chair="Lê Thị Bình",
                             summary="Xem xét giữa năm")])
        db.session.commit()
    return coordinator, early, late


@pytest.mark.one_database
def test_the_inspection_pack_lists_the_period_records_in_date_order(app, make, login):
    coordinator, early, late = _records(app, make)
    client = app.test_client()
    login(client, coordinator.email)
    page = client.get("/evidence/").get_data(as_text=True)
    assert 'name="scope_kind" value="inspection"' in page  # the one-click form
    pack_id = request_build(client, scope_kind="inspection")
    state = wait_for(client, pack_id)
    assert state["status"] == "ready", state
    reader = PdfReader(io.BytesIO(download(client, pack_id)))

    top = [item[0] for item in outline_titles(reader) if isinstance(item, tuple)]
    assert top[2:] == SECTIONS
    manifest = json.loads(reader.attachments["manifest.json"][0])

    def section(key):
        found = next(s for s in manifest["sections"] if s["key"] == key)
        pages = reader.pages[found["first_page"] - 1:found["last_page"]]
        return " ".join(" ".join(p.extract_text() for p in pages).split())

    actions = section("actions")
    assert actions.index(early.reference) < actions.index(late.reference)
    assert actions.count("HDKP-") == 2  # the one of 2025 is outside the period
    reviews = section("reviews")
    assert reviews.index("Lê Thị Bình") < reviews.index("Nguyễn Văn An")
    assert "chaired by Lê Thị Bình · period 1 Jul 2025 – 31 May 2026" in reviews
    assert "Đăng ký khai sinh" in section("scope")
    assert "12/QĐ-UBND" in section("announcements")
    chronology = section("chronology")
    assert chronology.index(early.reference) < chronology.index("12/QĐ-UBND") \
        < chronology.index(late.reference)
    assert late.reference in section("manifest")
    rows = manifest["records"]
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert [(r["section"], r["date"], r["reference"]) for r in rows if r["section"] in (
        "announcements", "actions", "reviews")] == [
        ("actions", "2026-03-02", early.reference),
        ("announcements", "2026-04-10", "12/QĐ-UBND"),
        ("reviews", "2026-06-05", "—"),
        ("actions", "2026-09-01", late.reference),
        ("reviews", "2026-11-20", "—")]
    assert manifest["scope"]["kind"] == "inspection"
    assert manifest["counts"]["actions"] == 2
