"""The scheduler chases a value not recorded once its period is over and the grace has
passed: the recorder once, then the owners once, however often the job runs."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.notifications.helpers import new, raised, run
from tests.quality.measures.helpers import cast, measure, record


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 0, 0, tzinfo=UTC)  # 07:00 in Hà Nội


def test_a_missing_value_is_chased_once_then_escalated_once(app, make, clock):
    people = cast(make)
    measure_id = measure(app, people)  # monthly from 2026-01, grace 10 days, escalation 14
    for month in ("01", "02", "03", "04"):
        record(app, people.recorder.id, measure_id, f"2026-{month}", value="96")
    # 2026-05 ended on 31 May: within the grace on 10 June, due on 11 June.
    assert run(app, "measures.chase", _at(2026, 6, 10)) == new(0)
    assert run(app, "measures.chase", _at(2026, 6, 11)) == new(1)
    assert run(app, "measures.chase", _at(2026, 6, 11)) == new(0)
    assert run(app, "measures.chase", _at(2026, 6, 12)) == new(0)
    (note,) = raised(app, kind="measure_value_due")
    assert (note.user_id, note.key, note.link) == (people.recorder.id,
                                                   f"measure:{measure_id}:due:2026-05",
                                                   f"/measures/{measure_id}")
    # 14 days later the head (the process owner) hears, once; the recorder is not told twice.
    assert run(app, "measures.chase", _at(2026, 6, 25)) == new(1)
    assert run(app, "measures.chase", _at(2026, 6, 26)) == new(0)
    assert [n.user_id for n in raised(app, kind="measure_value_overdue")] == [people.head.id]
    # Recorded at last: nothing more about 2026-05.
    record(app, people.recorder.id, measure_id, "2026-05", value="97")
    assert run(app, "measures.chase", _at(2026, 6, 30)) == new(0)
