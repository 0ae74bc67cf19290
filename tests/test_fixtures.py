"""The suite's own machinery: the pinned clock, the database each test starts from."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from compliance.audits.models import FindingGrade
from compliance.core.extensions import db
from compliance.org.models import Clause
from tests.conftest import PINNED_MOMENT, WORKER


def test_the_clock_fixture_pins_the_organisations_day(clock):
    assert clock.today() == date(2026, 6, 15)
    assert abs((clock.utcnow() - PINNED_MOMENT).total_seconds()) < 60
    clock.advance(days=1)
    assert clock.today() == date(2026, 6, 16)


def test_each_test_starts_with_the_reference_data_and_nothing_else(app, make):
    make.department()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Clause)) == 75
        assert db.session.scalar(select(func.count()).select_from(FindingGrade)) > 0


def test_and_the_next_one_does_not_see_the_last_ones_rows(app):
    from compliance.org.models import Department

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Department)) == 0


def test_each_worker_has_a_database_of_its_own(database_kind):
    from tests.conftest import PG_DATABASE

    if database_kind == "postgresql":
        assert PG_DATABASE.endswith(f"_{WORKER}")
