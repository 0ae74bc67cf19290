"""Issue 14: the register says its rule names the organisation, so the tenancy backstop does
not add the condition a second time (PostgreSQL multiplied the two and mis-planned the
page); a statement marked for another organisation, or not marked, is still limited."""

from __future__ import annotations

import re

from sqlalchemy import event, select

from compliance.core import tenancy
from compliance.core.extensions import db
from compliance.org import organisations
from compliance.org.models import Department
from tests.conftest import do_login
from tests.installation.helpers import second_organisation


def _sent(app, work) -> list[str]:
    """The SQL statements sent while `work` runs."""
    sent: list[str] = []

    def keep(_conn, _cursor, statement, *_args):
        sent.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", keep)
        try:
            work()
        finally:
            event.remove(db.engine, "before_cursor_execute", keep)
    return sent


def test_the_register_names_its_organisation_once_and_the_backstop_still_limits_others(
        app, make):
    with app.app_context():
        home = organisations.default_organisation().id
    other = second_organisation(app)
    mine = make.department(code="VP")
    with tenancy.acting_for(other):
        theirs = make.department(code="VP")
    reader = make.user(roles=["coordinator"])
    client = app.test_client()
    do_login(client, reader.email)

    statements = _sent(app, lambda: client.get("/documents/"))
    # The page's rows and their count (the owner picker reads users, not the register).
    register = [s for s in statements if s.startswith("SELECT document.id, document.code")
                or s.startswith("SELECT count(*) AS count_1 \nFROM (SELECT document.id")]
    assert len(register) == 2, statements
    # One organisation condition each, the rule's: none added on document, department or
    # the effective revision's alias.
    # (Columns named, not PostgreSQL's bind parameters, which carry the name too.)
    assert [re.findall(r"\w+\.organisation_id\b", s) for s in register] == \
        [["document.organisation_id"]] * 2, register

    # The mark vouches for one organisation only: for another, or missing, the backstop
    # limits the select as before.
    def rows(organisation_id, stmt):
        with app.app_context(), tenancy.acting_for(organisation_id):
            return set(db.session.scalars(stmt))

    everyone = select(Department.id)
    assert rows(home, tenancy.names_organisation(everyone, other)) == {mine.id}
    assert rows(home, everyone) == {mine.id}
    assert rows(other, tenancy.names_organisation(everyone, home)) == {theirs.id}
    # Marked for the current organisation, the statement's own condition is all there is.
    assert rows(home, tenancy.names_organisation(everyone, home)) == {mine.id, theirs.id}
