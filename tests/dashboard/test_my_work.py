"""The home page lists what waits for each person, overdue first, with counts per kind."""

from __future__ import annotations

import re
from datetime import timedelta

from compliance.core import clock
from compliance.core.extensions import db
from compliance.documents.models import Document, Revision
from tests.audits.helpers import audit_in_state, cast
from tests.capa.helpers import ca_in_state
from tests.documents.helpers import document_target


def counts(page: str) -> dict[str, int]:
    """The count shown on each kind's card."""
    return {kind: int(n) for kind, n in re.findall(r'data-kind="(\w+)">(\d+)<', page)}


def section(page: str, kind: str) -> str:
    """The HTML of one kind's list."""
    match = re.search(rf'data-testid="work-{kind}">(.*?)</section>', page, re.S)
    return match.group(1) if match else ""


def _review_on(app, document_id: int, days_from_today: int) -> None:
    with app.app_context():
        document = db.session.get(Document, document_id)
        document.next_review_date = clock.today() + timedelta(days=days_from_today)
        db.session.commit()


def test_nothing_waits_for_a_new_person(client, make, login):
    user = make.user()
    login(client, user.email)
    page = client.get("/").get_data(as_text=True)
    assert "Nothing waits for you now." in page or "Hiện không có việc nào" in page
    assert set(counts(page).values()) == {0}


def test_reviews_due_show_overdue_first_and_leave_far_ones_out(app, client, make, login):
    dept = make.department()
    owner = make.user(departments=[(dept.id, "staff")], locale="en")
    soon = document_target(app, dept.id, owner.id)
    late = document_target(app, dept.id, owner.id)
    far = document_target(app, dept.id, owner.id)
    _review_on(app, soon.document_id, 10)
    _review_on(app, late.document_id, -3)
    _review_on(app, far.document_id, 90)
    login(client, owner.email)
    page = client.get("/").get_data(as_text=True)
    assert counts(page)["review"] == 2
    reviews = section(page, "review")
    assert reviews.index(late.code) < reviews.index(soon.code)
    assert far.code not in reviews
    assert "1 thing waits" not in page and "2 things wait for you, 1 of them overdue." in page


def test_approvals_go_to_heads_of_the_department_but_never_to_the_author(
        app, client, make, login):
    dept, other = make.department(), make.department()
    head = make.user(departments=[(dept.id, "department_head")], locale="en")
    author = make.user(departments=[(dept.id, "department_head")], locale="en")
    coordinator = make.user(roles=["coordinator"], locale="en")
    mine = document_target(app, dept.id, author.id, "in_review")
    theirs = document_target(app, other.id, author.id, "in_review")
    for who, expected in ((head, {mine.code}), (author, set()),
                          (coordinator, {mine.code, theirs.code})):
        client.post("/logout")
        login(client, who.email)
        page = client.get("/").get_data(as_text=True)
        shown = {code for code in (mine.code, theirs.code) if code in section(page, "approve")}
        assert shown == expected, who.name
        assert counts(page)["approve"] == len(expected)


def test_readings_actions_checks_and_audits_reach_the_right_people(app, client, make, login):
    people = cast(make)
    doc = document_target(app, people.dept.id, people.head.id, readers=[people.member.id])
    ca = ca_in_state(app, people.dept.id, "actions_in_progress",
                     coordinator_id=people.coordinator.id, owner_id=people.member.id,
                     verifier_id=people.lead.id)
    audit = audit_in_state(app, people, "planned")

    login(client, people.member.email)
    page = client.get("/").get_data(as_text=True)
    assert doc.code in section(page, "read")
    assert ca.reference in section(page, "action")
    assert audit.reference in section(page, "audit")  # member of the audit team
    # The helper's action fell due in June 2026, long before today: overdue.
    assert "Overdue" in section(page, "action") or "Quá hạn" in section(page, "action")

    client.post("/logout")
    login(client, people.head.email)
    page = client.get("/").get_data(as_text=True)
    assert audit.reference in section(page, "audit")  # the audited department's head
    assert ca.reference in section(page, "action")  # overdue item of the head's department
    assert doc.code not in section(page, "read")


def test_the_verifier_sees_the_effectiveness_check(app, client, make, login):
    people = cast(make)
    ca = ca_in_state(app, people.dept.id, "verifying", coordinator_id=people.coordinator.id,
                     owner_id=people.member.id, verifier_id=people.lead.id)
    login(client, people.lead.email)
    page = client.get("/").get_data(as_text=True)
    assert ca.reference in section(page, "check")


def test_coordinators_see_totals_per_department_and_others_do_not(app, client, make, login):
    people = cast(make)
    doc = document_target(app, people.dept.id, people.head.id)
    _review_on(app, doc.document_id, -20)
    ca_in_state(app, people.dept.id, "actions_in_progress", coordinator_id=people.coordinator.id,
                owner_id=people.member.id)
    login(client, people.coordinator.email)
    page = client.get("/").get_data(as_text=True)
    table = page.split('data-testid="department-totals"')[1].split("</table>")[0]
    row = next(r for r in table.split("<tr>") if f">{people.dept.code}</a>" in r)
    cells = [int(n) for n in re.findall(r'<td [^>]*class="text-end[^"]*">(\d+)</td>', row)]
    # reviews overdue, readings outstanding, open CAs, items overdue, audits soon, reports late
    assert cells == [1, 0, 1, 1, 0, 0]

    client.post("/logout")
    login(client, people.head.email)
    assert 'data-testid="department-totals"' not in client.get("/").get_data(as_text=True)


def test_an_effective_document_superseded_is_no_longer_to_read(app, client, make, login):
    dept = make.department()
    reader = make.user(departments=[(dept.id, "staff")])
    doc = document_target(app, dept.id, reader.id, readers=[reader.id])
    with app.app_context():
        db.session.get(Revision, doc.revision_id).status = "superseded"
        db.session.commit()
    login(client, reader.email)
    assert counts(client.get("/").get_data(as_text=True))["read"] == 0
