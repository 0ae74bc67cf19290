"""The query form of the signing rule agrees with rules.may_sign, row by row."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from compliance.auth.models import User
from compliance.core.extensions import db
from compliance.documents import rules
from compliance.documents.models import Document, Revision
from tests.documents.helpers import document_target


@pytest.mark.parametrize("who", ["author head", "other head", "head elsewhere", "coordinator",
                                 "staff", "auditor"])
def test_signable_revisions_are_exactly_those_may_sign_allows(app, make, who):
    own, elsewhere = make.department(), make.department()
    author = make.user(departments=[(own.id, "department_head")])
    people = {
        "author head": author,
        "other head": make.user(departments=[(own.id, "department_head")]),
        "head elsewhere": make.user(departments=[(elsewhere.id, "department_head")]),
        "coordinator": make.user(roles=["coordinator"]),
        "staff": make.user(departments=[(own.id, "staff")]),
        "auditor": make.user(roles=["auditor"]),
    }
    mine = document_target(app, own.id, author.id, "in_review")
    theirs = document_target(app, elsewhere.id, people["head elsewhere"].id, "in_review")
    with app.app_context():
        user = db.session.get(User, people[who].id)
        stmt = select(Revision, Document).join(Document, Document.id == Revision.document_id)
        listed = {doc.id for _rev, doc in db.session.execute(rules.signable_revisions(user, stmt))}
        allowed = {doc.id for rev, doc in db.session.execute(stmt)
                   if rev.status == "in_review" and rules.may_sign(user, doc, rev)}
    assert listed == allowed
    assert (mine.document_id in listed) == (who in ("other head", "coordinator"))
    assert theirs.document_id not in listed or who == "coordinator"
