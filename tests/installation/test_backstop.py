"""Issue 14: the tenancy backstop leaves alone a select that already names the current
organisation for every scoped table it reads, and still limits every other one."""

from __future__ import annotations

from sqlalchemy import event, or_, select, true
from sqlalchemy.orm import aliased

from compliance.auth.models import User
from compliance.core import tenancy
from compliance.core.extensions import db
from compliance.org.models import Department
from tests.installation.helpers import second_organisation


def _run(app, organisation_id: int, stmt) -> tuple[list, list[str]]:
    """The rows of a select acting for an organisation, and the SQL sent for it."""
    sent: list[str] = []

    def keep(_conn, _cursor, statement, *_args):
        sent.append(statement)

    with app.app_context(), tenancy.acting_for(organisation_id):
        event.listen(db.engine, "before_cursor_execute", keep)
        try:
            rows = list(db.session.execute(stmt).all())
        finally:
            event.remove(db.engine, "before_cursor_execute", keep)
    return rows, sent


def test_a_select_naming_its_organisation_is_not_limited_twice_and_others_still_are(app, make):
    other = second_organisation(app)
    mine = make.department(code="VP")
    make.user()
    with tenancy.acting_for(other):
        theirs = make.department(code="VP")
        stranger = make.user()

    rows, sent = _run(app, 1, select(Department.id).where(Department.organisation_id == 1))
    assert rows == [(mine.id,)]
    assert sent[-1].count("organisation_id") == 1, sent[-1]
    # Named inside a subquery (a register's count): not repeated there either.
    counted = select(Department.id).where(Department.organisation_id == 1).subquery()
    rows, sent = _run(app, 1, select(counted.c.id))
    assert rows == [(mine.id,)]
    assert sent[-1].count("organisation_id") == 1, sent[-1]

    # Another organisation's id, a scoped table left unnamed, an OR, an alias: limited still.
    for stmt in (select(Department.id).where(Department.organisation_id == other),
                 select(Department.id).where(Department.organisation_id == 1,
                                             or_(Department.organisation_id == other,
                                                 Department.code == "VP")),
                 # Named in a subquery only: the outer select reads every organisation's.
                 select(Department.id).where(Department.code.in_(
                     select(Department.code).where(Department.organisation_id == 1))),
                 select(User.id).join(Department, true()).where(Department.organisation_id == 1)):
        rows, _sent = _run(app, 1, stmt)
        assert theirs.id not in {row[0] for row in rows}
        assert stranger.id not in {row[0] for row in rows}
    alias = aliased(Department)
    rows, _sent = _run(app, 1, select(Department.id, alias.id).join(alias, true())
                      .where(Department.organisation_id == 1))
    assert {row[1] for row in rows} == {mine.id}
    # With the organisation named at the top and OR'ed deeper: the OR is not trusted.
    rows, _sent = _run(app, 1, select(Department.id).where(
        or_(Department.organisation_id == 1, Department.organisation_id == other)))
    assert rows == [(mine.id,)]
