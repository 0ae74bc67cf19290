"""The rule book of measures as a table: role × relationship × verb → allowed?

Plain in-memory objects, no database, no HTTP; the route matrix (tests/test_permissions.py)
checks that the pages ask this rule book."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from compliance.auth.models import User
from compliance.core.extensions import db
from compliance.org.models import Process
from compliance.quality.measures import rules
from compliance.quality.measures.models import Measure, MeasureImport, MeasureValue
from tests.policy_people import person, standard_people
from tests.quality.measures.helpers import cast, measure

OWN, OTHER = 1, 2



PEOPLE = {
    **standard_people(OWN, OTHER),
    # Named recorder of the measure, though a member of another department.
    "recorder": person(8, memberships=[(OTHER, "staff")]),
    "no_role": person(9),
    "gone_coordinator": person(10, roles=["coordinator"], active=False),
}
RECORDER_ID = 8


def _measure(active: bool = True) -> Measure:
    m = Measure(id=1, code="KPI-1", process_id=1, name_vi="x", name_en="x", unit="%",
                direction="higher", target=95.0, frequency="monthly", first_period="2026-01",
                recorder_id=RECORDER_ID, ratio=False, active=active)
    m.process = Process(id=1, code="P", name_vi="P", name_en="P", department_id=OWN)
    return m


def _value(missed: bool = True, evidence: bool = False) -> MeasureValue:
    v = MeasureValue(id=1, measure_id=1, period="2026-03", period_start=date(2026, 3, 1),
                     period_end=date(2026, 3, 31), value=90.0, target=95.0, missed=missed,
                     blob_sha256="a" * 64 if evidence else None)
    v.measure = _measure()
    return v


VERBS = {
    "read": lambda u, m: rules.may_read(u, m),
    "manage": lambda u, m: rules.may_manage(u, m),
    "record": lambda u, m: rules.may_record(u, m),
    "define_here": lambda u, m: rules.may_manage_in(u, OWN),
    "define_some": lambda u, m: rules.may_create_any(u),
    "raise_ca": lambda u, m: rules.may_raise_corrective_action(u, m),
    "import": lambda u, m: rules.may_import(u, records_some=rules.is_recorder(u, m)),
}
Y, N = True, False
#                    read manage record define_here define_some raise_ca import
POLICY = {
    "admin":            (Y, Y, Y, Y, Y, Y, Y),
    "coordinator":      (Y, Y, Y, Y, Y, Y, Y),
    "auditor":          (Y, N, N, N, N, N, N),
    "head_own":         (Y, Y, Y, Y, Y, Y, Y),
    # A head defines measures of their own department only, and reads only theirs.
    "head_other":       (N, N, N, N, Y, N, Y),
    "staff_own":        (Y, N, N, N, N, N, N),
    "staff_other":      (N, N, N, N, N, N, N),
    "recorder":         (Y, N, Y, N, N, N, Y),
    "no_role":          (N, N, N, N, N, N, N),
    "gone_coordinator": (N, N, N, N, N, N, N),
}


@pytest.mark.parametrize("who", sorted(POLICY))
def test_who_may_do_what(who):
    got = {verb: check(PEOPLE[who], _measure()) for verb, check in VERBS.items()}
    assert got == dict(zip(VERBS, POLICY[who], strict=True))


ACTION_CASES = [
    ("head_own", {}, {"read", "edit", "record"}),
    ("recorder", {}, {"read", "record"}),
    ("auditor", {}, {"read"}),
    ("staff_own", {}, {"read"}),
    ("staff_other", {}, set()),
    # A measure no longer recorded is read and edited, not recorded.
    ("coordinator", {"active": False}, {"read", "edit"}),
    ("recorder", {"active": False}, {"read"}),
]


@pytest.mark.parametrize(("who", "facts", "expected"), ACTION_CASES,
                         ids=[f"{w}-{f}" for w, f, _ in ACTION_CASES])
def test_the_measure_page_offers_what_the_rules_allow(who, facts, expected):
    assert rules.allowed_actions(PEOPLE[who], _measure(**facts)) == frozenset(expected)


VALUE_CASES = [
    ("head_own", {"missed": True}, False, {"read", "raise_ca"}),
    ("coordinator", {"missed": True, "evidence": True}, False,
     {"read", "download", "raise_ca"}),
    # Once raised, or when the target is met, there is nothing to raise.
    ("head_own", {"missed": True}, True, {"read"}),
    ("head_own", {"missed": False}, False, {"read"}),
    # Recording does not make one a manager of corrective actions.
    ("recorder", {"missed": True}, False, {"read"}),
    ("auditor", {"missed": True, "evidence": True}, False, {"read", "download"}),
    ("staff_other", {"missed": True}, False, set()),
]


@pytest.mark.parametrize(("who", "facts", "raised", "expected"), VALUE_CASES,
                         ids=[f"{w}-{f}-{r}" for w, f, r, _ in VALUE_CASES])
def test_a_value_offers_a_corrective_action_only_when_missed(who, facts, raised, expected):
    got = rules.allowed_on_value(PEOPLE[who], _value(**facts), has_corrective_action=raised)
    assert got == frozenset(expected)


def test_imports_are_their_uploaders_and_the_coordinators():
    upload = MeasureImport(id=1, uploaded_by_id=RECORDER_ID, blob_sha256="a" * 64,
                           filename="x.csv", file_size=1, digest="b" * 64,
                           uploaded_at=datetime(2026, 6, 1, tzinfo=UTC))
    readers = [who for who, user in PEOPLE.items() if rules.may_read_import(user, upload)]
    assert readers == ["admin", "coordinator", "recorder"]
    assert [who for who, user in PEOPLE.items() if rules.may_confirm_import(user, upload)] == \
        ["recorder"]


def test_the_register_shows_exactly_what_may_read_allows(app, make):
    """`visible_measures` (the register, the process page) agrees with `may_read`."""
    people = cast(make)
    elsewhere = make.process(people.other.id)
    ids = [measure(app, people, code="KPI-A"),
           measure(app, people, code="KPI-B", process_id=elsewhere.id)]
    with app.app_context():
        measures = [db.session.get(Measure, i) for i in ids]
        for person in (people.head, people.staff, people.outsider, people.recorder,
                       people.coordinator, people.auditor):
            user = db.session.get(User, person.id)
            seen = set(db.session.scalars(rules.visible_measures(user, select(Measure.id))))
            assert seen == {m.id for m in measures if rules.may_read(user, m)}, user.email
        # The recorder (staff of TP) reads VP's measure through being named its recorder.
        recorder = db.session.get(User, people.recorder.id)
        assert all(rules.may_read(recorder, m) for m in measures)
        staff = db.session.get(User, people.staff.id)
        assert [rules.may_read(staff, m) for m in measures] == [True, False]
