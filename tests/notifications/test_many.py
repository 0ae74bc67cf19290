"""A sweep that raises thousands of notifications at once (a large install's first run)."""

from __future__ import annotations

from compliance.core.db import INSERT_SLICE, write_intent
from compliance.core.extensions import db
from compliance.notifications.models import Notification
from compliance.notifications.services import Alert, raise_alerts


def test_thousands_of_alerts_are_raised_in_slices_and_once(app, make):
    people = [make.user().id for _ in range(3)]
    count = INSERT_SLICE * 10 + 7  # 5,000 rows of 7 values: past SQLite's 32,766 in one statement
    alerts = [Alert("review_due", f"document:{n}:review_due:2026-12-01:30d", people,
                    {"code": f"QT-{n}", "title_vi": "Quy trình", "title_en": "Procedure",
                     "due": "2026-12-01"}, "/documents/") for n in range(count // 3 + 1)]
    with app.app_context(), app.test_request_context(), write_intent():
        first = raise_alerts(alerts)
        db.session.commit()
        again = raise_alerts(alerts)
        stored = db.session.scalar(db.select(db.func.count()).select_from(Notification))
    assert first == stored == len(alerts) * 3 > count
    assert again == 0
