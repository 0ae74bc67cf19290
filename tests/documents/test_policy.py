"""The document rule book at service level: role × relationship × action, no HTTP, no database.

People are plain objects carrying what the rules read (roles, memberships); documents and
revisions likewise. Each row of EXPECTED names who may do one thing."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from compliance.documents import rules

OWN, OTHER, READING = 1, 2, 3  # the document's department, another, one asked to read it


def _person(person_id: int, roles=(), memberships=()):
    return SimpleNamespace(id=person_id, is_authenticated=True, is_active=True,
                           organisation_id=1, global_roles=set(roles),
                           memberships=[SimpleNamespace(department_id=d, role=r)
                                        for d, r in memberships])


PEOPLE = {
    "author": _person(1, memberships=[(OWN, "department_head")]),
    "head_own": _person(2, memberships=[(OWN, "department_head")]),
    "head_other": _person(3, memberships=[(OTHER, "department_head")]),
    "owner": _person(4, memberships=[(OWN, "staff")]),
    "staff_own": _person(5, memberships=[(OWN, "staff")]),
    "staff_other": _person(6, memberships=[(OTHER, "staff")]),
    "staff_reading": _person(7, memberships=[(READING, "staff")]),
    "coordinator": _person(8, roles=["coordinator"]),
    "auditor": _person(9, roles=["auditor"]),
    "admin": _person(10, roles=["admin"]),
}
ANONYMOUS = SimpleNamespace(id=None, is_authenticated=False, is_active=False,
                            global_roles=set(), memberships=[])


def _document(status: str = "effective"):
    return SimpleNamespace(id=1, department_id=OWN, owner_id=PEOPLE["owner"].id, status=status,
                           reader_departments=[SimpleNamespace(id=READING)], revisions=[])


def _revision(status: str):
    # Submitted before chains existed (round 0): signed under the single default step.
    return SimpleNamespace(id=11, status=status, author_id=PEOPLE["author"].id,
                           review_round=0, approvals=[], steps=[], blob_destroyed_at=None)


CHECKS = {
    "read effective": lambda u: rules.may_read(u, _document(), _revision("effective")),
    "read draft": lambda u: rules.may_read(u, _document("draft"), _revision("draft")),
    "read in review": lambda u: rules.may_read(u, _document("draft"), _revision("in_review")),
    "read superseded": lambda u: rules.may_read(u, _document(), _revision("superseded")),
    "create": rules.may_create,
    "draft in own department": lambda u: rules.may_draft(u, OWN),
    "revise": lambda u: rules.may_revise(u, _document()),
    "submit": lambda u: rules.may_submit(u, _document("draft"), _revision("draft")),
    "withdraw": lambda u: rules.may_withdraw(u, _document("draft"), _revision("draft")),
    "sign": lambda u: rules.may_sign(u, _document("draft"), _revision("in_review")),
    "review": lambda u: rules.may_review(u, _document()),
    "obsolete": lambda u: rules.may_obsolete(u, _document()),
    "reinstate": lambda u: rules.may_reinstate(u, _document("obsolete")),
    # Comparing needs both revisions readable: in force with in review, in force with old.
    "compare in review": lambda u: rules.may_compare(u, _document(), _revision("effective"),
                                                     _revision("in_review")),
    "compare superseded": lambda u: rules.may_compare(u, _document(), _revision("effective"),
                                                      _revision("superseded")),
    "original": rules.may_download_original,
    "history": rules.may_read_history,
    "coverage": rules.may_see_coverage,
    "choose code": rules.may_choose_code,
    "see chains": rules.may_see_chains,
    "edit type chains": rules.may_edit_chains,
    "override a chain": lambda u: rules.may_override_chain(u, _document()),
}
MANAGERS = {"coordinator", "admin"}
EXPECTED = {
    # Heads read every department's documents in force (READERS); staff their own and those
    # they are asked to read.
    "read effective": {"author", "head_own", "head_other", "owner", "staff_own",
                       "staff_reading", "coordinator", "auditor", "admin"},
    "read draft": {"author", "head_own", "coordinator", "auditor", "admin"},
    "read in review": {"author", "head_own", "coordinator", "auditor", "admin"},
    "read superseded": {"coordinator", "auditor", "admin"},
    "create": {"author", "head_own", "head_other"} | MANAGERS,
    "draft in own department": {"author", "head_own"} | MANAGERS,
    "revise": {"author", "head_own"} | MANAGERS,
    "submit": {"author", "head_own"} | MANAGERS,
    "withdraw": {"author", "head_own"} | MANAGERS,
    # The author never signs their own revision, though they hold the approver's role.
    "sign": {"head_own"} | MANAGERS,
    "review": {"author", "head_own", "owner"} | MANAGERS,
    "obsolete": MANAGERS,
    "reinstate": MANAGERS,
    "compare in review": {"author", "head_own", "coordinator", "auditor", "admin"},
    "compare superseded": {"coordinator", "auditor", "admin"},
    "original": MANAGERS,
    "history": {"auditor"} | MANAGERS,
    "coverage": MANAGERS,
    "choose code": MANAGERS,
    "see chains": {"auditor"} | MANAGERS,
    "edit type chains": MANAGERS,
    "override a chain": MANAGERS,
}
CASES = [(check, person) for check in CHECKS for person in PEOPLE]


@pytest.mark.parametrize(("check", "person"), CASES, ids=[f"{c}-{p}" for c, p in CASES])
def test_policy_matrix(check, person):
    assert CHECKS[check](PEOPLE[person]) is (person in EXPECTED[check])


def test_every_check_has_its_row():
    assert set(CHECKS) == set(EXPECTED)


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_nobody_signed_out_may_do_anything(check):
    assert CHECKS[check](ANONYMOUS) is False


@pytest.fixture
def asked(monkeypatch):
    """Whom the (database) reading requests name: set it per test."""
    people: set[int] = set()
    monkeypatch.setattr(rules, "asked_to_read", lambda user, revision: user.id in people)
    return people


@pytest.fixture
def opened(monkeypatch):
    """Who has downloaded (opened) the revision, as the download log would say."""
    people: set[int] = set()
    monkeypatch.setattr(rules, "has_opened", lambda user, revision: user.id in people)
    return people


ACTIONS = {
    # (person, document status, revision status) -> the buttons they get
    ("author", "draft", "draft"): {"download", "submit", "withdraw"},
    ("author", "draft", "in_review"): {"download"},
    ("head_own", "draft", "in_review"): {"download", "sign", "reject"},
    ("coordinator", "draft", "in_review"): {"download", "original", "sign", "reject"},
    ("coordinator", "draft", "draft"): {"download", "original", "submit", "withdraw"},
    ("auditor", "draft", "in_review"): {"download"},
    ("staff_own", "effective", "effective"): {"download", "acknowledge"},
    ("staff_other", "effective", "effective"): set(),
    ("staff_reading", "effective", "effective"): {"download"},
    ("staff_own", "effective", "superseded"): set(),
    ("auditor", "effective", "superseded"): {"download"},
}


@pytest.mark.parametrize("case", sorted(ACTIONS), ids=["-".join(c) for c in sorted(ACTIONS)])
def test_revision_buttons(case, asked, opened):
    person, document_status, revision_status = case
    asked.add(PEOPLE["staff_own"].id)
    opened.add(PEOPLE["staff_own"].id)
    actions = rules.allowed_actions(PEOPLE[person], _document(document_status),
                                    _revision(revision_status))
    assert actions == frozenset(ACTIONS[case])


# Whether the button to confirm a reading is offered: asked × opened × the setting.
ACKNOWLEDGE = {
    # (asked, opened, opening required) -> the reading button the page shows
    (True, True, True): "acknowledge",
    (True, False, True): "open_first",
    (True, False, False): "acknowledge",
    (True, True, False): "acknowledge",
    (False, True, True): None,
    (False, False, True): None,
}


@pytest.mark.parametrize("case", sorted(ACKNOWLEDGE), ids=[str(c) for c in sorted(ACKNOWLEDGE)])
def test_a_reading_is_confirmed_only_once_the_copy_was_opened(case, asked, opened,
                                                              monkeypatch):
    was_asked, has_opened, required = case
    reader = PEOPLE["staff_own"]
    if was_asked:
        asked.add(reader.id)
    if has_opened:
        opened.add(reader.id)
    monkeypatch.setattr(rules, "reading_requires_opening", lambda: required)
    revision = _revision("effective")
    actions = rules.allowed_actions(reader, _document(), revision)
    expected = ACKNOWLEDGE[case]
    assert actions & {"acknowledge", "open_first"} == ({expected} if expected else set())
    assert rules.may_acknowledge(reader, revision) is (expected == "acknowledge")
    # Nothing but the revision in force is ever confirmed.
    assert not rules.may_acknowledge(reader, _revision("superseded"))


def _recall(holder: str, answered: bool = False):
    return SimpleNamespace(user_id=PEOPLE[holder].id,
                           answered_at="2026-06-15" if answered else None)


@pytest.mark.parametrize("person", sorted(PEOPLE))
def test_only_the_holder_answers_the_recall_of_their_copy(person):
    """Whoever holds the copy of a superseded revision says what they did with it, once;
    not the coordinator, not their head."""
    assert rules.may_answer_recall(PEOPLE[person], _recall("staff_own")) is \
        (person == "staff_own")
    assert rules.may_answer_recall(PEOPLE[person], _recall(person, answered=True)) is False
    assert rules.may_answer_recall(ANONYMOUS, _recall("staff_own")) is False


DOCUMENT_ACTIONS = {
    ("author", "effective"): {"edit", "upload", "review"},
    ("author", "draft"): {"edit", "upload"},
    ("owner", "effective"): {"review"},
    ("staff_own", "effective"): set(),
    ("coordinator", "effective"): {"edit", "upload", "review", "obsolete", "copies", "chain"},
    ("coordinator", "obsolete"): {"copies", "reinstate"},
    ("auditor", "obsolete"): {"copies"},
    ("auditor", "effective"): {"copies"},
    ("head_other", "effective"): set(),
}


@pytest.mark.parametrize("case", sorted(DOCUMENT_ACTIONS),
                         ids=["-".join(c) for c in sorted(DOCUMENT_ACTIONS)])
def test_document_buttons(case):
    person, status = case
    assert rules.allowed_actions(PEOPLE[person], _document(status)) == \
        frozenset(DOCUMENT_ACTIONS[case])
    # A revision in review blocks a new draft (the upload would be refused): not offered.
    waiting = _document(status)
    waiting.revisions = [_revision("in_review")]
    assert "upload" not in rules.allowed_actions(PEOPLE[person], waiting)


def test_visible_documents_limits_only_those_who_do_not_read_everything():
    from sqlalchemy import select

    from compliance.documents.models import Document

    everything = select(Document)
    # Readers of everything: their organisation's documents, no narrower (issue 14).
    for reader in ("auditor", "head_other"):
        where = str(rules.visible_documents(PEOPLE[reader], everything)).split("WHERE")[-1]
        assert "document.organisation_id" in where and "document.status" not in where
    limited = str(rules.visible_documents(PEOPLE["staff_own"], everything))
    assert "document.status" in limited and "document_reader_department" in limited
