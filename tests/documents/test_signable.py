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
    pairs, allowed = _listed_and_allowed(app, people[who].id)
    assert pairs == allowed
    listed = {document_id for document_id, _revision_id in pairs}
    assert (mine.document_id in listed) == (who in ("other head", "coordinator"))
    assert theirs.document_id not in listed or who == "coordinator"


def _in_round(app, ids, steps, signed=()):
    """Give a revision in review a first round of these steps; `signed` (step index, user
    id) are signatures already given."""
    from compliance.core.db import utcnow
    from compliance.documents.models import Approval, RevisionStep

    with app.app_context():
        revision = db.session.get(Revision, ids.revision_id)
        revision.review_round = 1
        rows = [RevisionStep(round=1, position=p, meaning=m, role=r) for p, m, r in steps]
        revision.steps.extend(rows)
        db.session.flush()
        for index, user_id in signed:
            db.session.add(Approval(revision_id=revision.id, signer_id=user_id, signer_name="x",
                                    meaning=rows[index].meaning, signed_at=utcnow(),
                                    step_id=rows[index].id))
        db.session.commit()


IN_ORDER = [(1, "reviewed", "department_head"), (2, "approved", "coordinator")]
PARALLEL = [(1, "checked", "approver"), (1, "approved", "coordinator")]
# Revision -> who the dashboard lists it for: the open steps' role holders, never the author,
# never whoever signed a step of the round already.
AWAITING = {"first step open": {"other head"}, "second step open": {"coordinator", "another"},
            "one of two parallel signed": {"other head", "another"}}


@pytest.mark.parametrize("who", ["author head", "other head", "coordinator", "another",
                                 "head elsewhere", "staff"])
def test_the_query_follows_the_chain_as_may_sign_does(app, make, who):
    own, elsewhere = make.department(), make.department()
    author = make.user(departments=[(own.id, "department_head")])
    people = {"author head": author,
              "other head": make.user(departments=[(own.id, "department_head")]),
              "coordinator": make.user(roles=["coordinator"]),
              "another": make.user(roles=["coordinator"]),
              "head elsewhere": make.user(departments=[(elsewhere.id, "department_head")]),
              "staff": make.user(departments=[(own.id, "staff")])}
    revisions = {name: document_target(app, own.id, author.id, "in_review") for name in AWAITING}
    _in_round(app, revisions["first step open"], IN_ORDER)
    _in_round(app, revisions["second step open"], IN_ORDER, [(0, people["other head"].id)])
    _in_round(app, revisions["one of two parallel signed"], PARALLEL,
              [(1, people["coordinator"].id)])
    pairs, allowed = _listed_and_allowed(app, people[who].id)
    assert pairs == allowed
    listed = {revision_id for _document_id, revision_id in pairs}
    assert listed == {revisions[name].revision_id for name, whom in AWAITING.items()
                      if who in whom}


def _listed_and_allowed(app, user_id: int) -> tuple[set, set]:
    """(document id, revision id) of what the query lists for signing, and of what the rule
    lets the person sign, among the revisions in review."""
    with app.app_context():
        user = db.session.get(User, user_id)
        stmt = select(Revision, Document).join(Document, Document.id == Revision.document_id)
        listed = {(doc.id, rev.id)
                  for rev, doc in db.session.execute(rules.signable_revisions(user, stmt))}
        allowed = {(doc.id, rev.id) for rev, doc in db.session.execute(stmt)
                   if rev.status == "in_review" and rules.may_sign(user, doc, rev)}
    return listed, allowed
