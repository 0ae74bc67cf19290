"""Issue 14: a page's "today" is the day where the signed-in person's organisation is."""

from __future__ import annotations

from datetime import UTC, datetime

from compliance.core import tenancy
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.core.locale import format_moment
from compliance.org import organisations
from tests.conftest import do_login


def _organisation_in(app, zone: str) -> int:
    with app.app_context(), write_intent():
        made = organisations.create_organisation(code="KI", name_vi="Xã KI", name_en="KI Commune",
                                                 parent=organisations.default_organisation(),
                                                 time_zone=zone)
        db.session.commit()
        return made.id


def test_today_on_a_page_is_the_day_in_the_signed_in_person_s_organisation(app, make, clock):
    far_west = _organisation_in(app, "Etc/GMT+12")
    # 01:30 on Tuesday in Hà Nội (the default organisation) is 05:30 on Monday at UTC-12.
    clock.set(datetime(2026, 6, 15, 18, 30, tzinfo=UTC))
    here = make.user(locale="en")
    with tenancy.acting_for(far_west):
        there = make.user(locale="en")
    days = {}
    for person in (here, there):
        with app.test_client() as client:
            assert do_login(client, person.email).status_code == 302
            page = client.get("/").get_data(as_text=True)
        days[person.id] = [day for day in ("Monday 15 June 2026", "Tuesday 16 June 2026")
                           if day in page]
    assert days == {here.id: ["Tuesday 16 June 2026"], there.id: ["Monday 15 June 2026"]}
    # A stored moment reads in the same zone (the history, a signature's time).
    moment = datetime(2026, 6, 15, 18, 30, tzinfo=UTC)
    with app.test_request_context():
        tenancy.enter(far_west)
        assert "06:30" in format_moment(moment) and "15" in format_moment(moment)
        tenancy.enter(1)
        assert "01:30" in format_moment(moment) and "16" in format_moment(moment)
    # Outside a request nobody is signed in: the installation's zone, as before.
    with app.app_context():
        assert clock.today().isoformat() == "2026-06-16"
