"""The organisation's rule book as a table: role x relationship (member of the department or
of another one) x action -> allowed; and the rows each role sees.

Fast: plain objects stand in for users, no app, no database, no HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from compliance.org import rules
from compliance.org.models import Department, Process
from tests.auth.test_policy import DEPT, ROLES, person

OTHER = DEPT + 1

# role -> (read departments, manage departments, read processes, manage processes, clauses)
COARSE = {
    "admin": (True, True, True, True, True),
    "coordinator": (True, False, True, True, True),
    "department_head": (True, False, True, False, True),
    "auditor": (True, False, True, False, True),
    "staff": (False, False, False, False, True),
    None: (False, False, False, False, False),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_reads_and_manages_the_structure(role):
    user = person(role)
    assert (rules.may_read_departments(user), rules.may_manage_departments(user),
            rules.may_read_processes(user), rules.may_manage_processes(user),
            rules.may_read_clauses(user)) == COARSE[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["own", "other"])
def test_actions_on_a_department_and_its_process(role, where):
    user = person(role)
    department_id = DEPT if where == "own" else OTHER
    department = Department(id=department_id, code="D", name_vi="D", name_en="D")
    process = Process(id=1, code="P", name_vi="P", name_en="P", department_id=department_id)
    # Membership gives no right over the structure: only the organisation-wide roles do.
    assert rules.allowed_actions(user, department) == (
        frozenset({"edit"}) if role == "admin" else frozenset())
    # Defining the process's measures follows measures.manage: heads in their department.
    measures = role in ("admin", "coordinator") or (role == "department_head"
                                                    and where == "own")
    assert rules.allowed_actions(user, process) == (
        ({"edit"} if role in ("admin", "coordinator") else set())
        | ({"add_measure"} if measures else set()))
    assert rules.may_manage(user, department) == ("edit" in rules.allowed_actions(user,
                                                                                 department))


def test_only_departments_and_processes_have_rules():
    with pytest.raises(TypeError):
        rules.may_manage(person("admin"), object())


def _where(stmt) -> str:
    compiled = stmt.compile(compile_kwargs={"literal_binds": True})
    return str(compiled).split("WHERE", 1)[1].strip() if "WHERE" in str(compiled) else ""


# Everyone sees their own organisation's rows only (issue 14), first of all.
IN_ORG = "department.organisation_id = 1"
PROCESS_IN_ORG = "process.organisation_id = 1"


@pytest.mark.parametrize("role, departments, processes", [
    ("admin", IN_ORG, PROCESS_IN_ORG),
    ("coordinator", IN_ORG, PROCESS_IN_ORG),
    ("department_head", IN_ORG, PROCESS_IN_ORG),
    ("auditor", IN_ORG, PROCESS_IN_ORG),
    # Staff are not readers of the structure: they see their own department and its processes.
    ("staff", f"{IN_ORG} AND department.id IN ({DEPT})",
     f"{PROCESS_IN_ORG} AND process.department_id IN ({DEPT})"),
    (None, "false", "false"),
])
def test_the_rows_each_role_sees(role, departments, processes):
    user = person(role)
    assert _where(rules.visible_departments(user, select(Department))) == departments
    assert _where(rules.visible_processes(user, select(Process))) == processes


def test_someone_in_no_department_sees_none():
    lonely = person("staff")
    lonely.memberships = []
    assert _where(rules.visible_departments(lonely, select(Department))) == "false"
