"""The `compliance` command: what it lists and what each command does to the database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import delete, func, select

from compliance import (
    demo,
    demo_communes,
    demo_content,
    demo_quality,
    demo_quality_data,
    demo_state,
)
from compliance.audit_trail.services import verify, verify_all
from compliance.audits.models import Audit
from compliance.auth.models import User
from compliance.capa.models import CorrectiveAction
from compliance.core import clock
from compliance.core.extensions import db
from compliance.documents.models import Document, Revision
from compliance.org.models import Clause, Department, Organisation, Process
from compliance.quality.measures.models import Measure, MeasureValue
from compliance.quality.objectives.models import ContextIssue, InterestedParty, Objective, PlanItem
from compliance.quality.risks.models import Risk, RiskAction
from tests.documents.demo_walk import walk_to_the_office_procedure
from tests.quality.demo_walk import walk_to_the_justice_office

REPO = Path(__file__).resolve().parents[1]
COMMANDS = ("create-admin", "seed-demo", "db", "audit-trail", "clauses", "serve", "storage",
            "backup", "restore")
ADMIN_PASSWORD = "a long admin passphrase"


def _count(app, model, organisation_id: int | None = 1) -> int:
    """Rows of a model (of one organisation, the district by default, where it has one)."""
    with app.app_context():
        query = select(func.count()).select_from(model)
        if organisation_id is not None and hasattr(model, "organisation_id"):
            query = query.where(model.organisation_id == organisation_id)
        return db.session.scalar(query)


def _script_env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLIANCE_")}
    # Loading the app makes its instance folder: keep it out of the checkout.
    env["COMPLIANCE_INSTANCE_PATH"] = str(tmp_path / "instance")
    return env


def test_help_lists_the_commands(runner):
    listing = runner.invoke(args=["--help"]).output
    for command in COMMANDS:
        assert f"  {command} " in listing, listing
    assert "verify" in runner.invoke(args=["audit-trail", "--help"]).output
    assert "upgrade" in runner.invoke(args=["db", "--help"]).output


def test_console_script_and_flask_app_option_list_the_commands(tmp_path):
    script = Path(sys.executable).parent / "compliance"
    for argv in ([str(script), "--help"],
                 [sys.executable, "-m", "flask", "--app", "compliance", "--help"]):
        done = subprocess.run(argv, cwd=tmp_path, env=_script_env(tmp_path),
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        for command in COMMANDS:
            assert f"  {command} " in done.stdout, (argv, done.stdout)


def test_create_admin_makes_an_admin_who_can_sign_in(app, runner, client, login):
    result = runner.invoke(args=["create-admin", "--email", " Chief@Example.test ",
                                 "--name", "Chánh Văn phòng", "--password", ADMIN_PASSWORD])
    assert result.exit_code == 0, result.output
    assert "Administrator chief@example.test created." in result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "chief@example.test"))
        assert user.global_roles == {"admin"}
    assert login(client, "chief@example.test", ADMIN_PASSWORD).status_code == 302
    assert client.get("/admin/users/").status_code == 200
    with app.app_context():
        assert verify().ok


def test_create_admin_asks_for_the_password_twice(app, runner):
    result = runner.invoke(args=["create-admin", "--email", "a@example.test", "--name", "A"],
                           input=f"{ADMIN_PASSWORD}\n{ADMIN_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert _count(app, User) == 1


def test_create_admin_refuses_a_duplicate_cleanly(app, runner):
    args = ["create-admin", "--email", "chief@example.test", "--name", "Chief",
            "--password", ADMIN_PASSWORD]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=[*args[:2], "CHIEF@example.test", *args[3:]])
    assert again.exit_code != 0
    assert "A user with this e-mail address already exists." in again.output
    assert "Traceback" not in again.output
    assert _count(app, User) == 1


def test_create_admin_refuses_a_short_password_cleanly(app, runner):
    result = runner.invoke(args=["create-admin", "--email", "a@example.test", "--name", "A",
                                 "--password", "short"])
    assert result.exit_code != 0
    assert "at least 10 characters" in result.output
    assert "Traceback" not in result.output
    assert _count(app, User) == 0


def _check_communes() -> None:
    """Two communes under the district, each with its departments, people, documents in
    force, a reported audit and a corrective action of its own (the same department code
    "VP" in each: codes are unique within an organisation)."""
    communes = db.session.scalars(select(Organisation).where(
        Organisation.parent_id == 1).order_by(Organisation.code)).all()
    assert [c.code for c in communes] == ["TB-BT", "TB-TT"]
    for commune in communes:
        def count(model, *where, commune=commune):
            return db.session.scalar(select(func.count()).select_from(model).where(
                model.organisation_id == commune.id, *where))

        assert (count(Department), count(User)) == (2, 2)
        assert count(Department, Department.code == "VP") == 1
        assert count(Document, Document.status == "effective") == 2
        assert count(Audit, Audit.status == "reported") == 1
        assert count(CorrectiveAction) == 1


def test_seed_demo_loads_the_district_once(app, runner, client, login):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Demo organisation loaded." in first.output
    printed = [line for line in first.output.splitlines() if f"@{demo.DEMO_DOMAIN}" in line]
    assert len(printed) == 5
    for role in ("admin", "coordinator", "department_head", "auditor", "staff"):
        assert any(line.split()[0] == role for line in printed), role
    assert demo.DEMO_PASSWORD in first.output
    # The communes' people too, each named with their commune.
    assert sum("(TB-TT " in line or "(TB-BT " in line for line in first.output.splitlines()) == 4
    counts = {model: _count(app, model)
              for model in (Department, Process, User, Clause, Document, Revision)}
    assert counts[Department] == 9
    assert counts[Process] == len(demo.PROCESSES) + len(demo_quality_data.PROCEDURES)
    assert counts[User] == len(demo.PEOPLE)
    assert counts[Clause] == 75
    # The documents in force, the one in review, the office procedure with two revisions, and
    # the register's external documents.
    assert counts[Document] == len(demo_content.DOCUMENTS) + 2 + len(demo_state.EXTERNAL)
    # Revisions have no organisation of their own: the communes' one revision each counts too.
    assert counts[Revision] == len(demo_content.DOCUMENTS) + 3 + \
        len(demo_communes.COMMUNES) * len(demo_communes.DOCUMENTS)
    with app.app_context():
        codes = set(db.session.scalars(select(Department.code)))
        assert {"VP", "TCKH", "TTTB"} <= codes
        assert db.session.scalar(select(Department.name_vi).where(
            Department.code == "TTTB")) == "Thị trấn Thanh Bình"
        assert all(verdict.ok for verdict in verify_all().values())
        _check_communes()
        _check_quality_system()
    total_values = _count(app, MeasureValue)

    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    assert "Demo organisation already present." in second.output
    assert {model: _count(app, model) for model in counts} == counts
    assert _count(app, MeasureValue) == total_values
    # Every job runs on the demo, once per organisation, each reading its own records only
    # (an action item of a commune, read while acting for the district, had no parent).
    jobs = runner.invoke(args=["scheduler", "--once"])
    assert jobs.exit_code == 0, jobs.output
    assert "FAILED" not in jobs.output
    with app.app_context():
        assert all(verdict.ok for verdict in verify_all().values())

    coordinator = next(line.split()[1] for line in printed if line.split()[0] == "coordinator")
    assert login(client, coordinator, demo.DEMO_PASSWORD).status_code == 302
    assert client.get("/processes/").status_code == 200
    walk_to_the_justice_office(client, demo_quality.demo_year(clock.today())[0])
    walk_to_the_office_procedure(client)


def _check_quality_system() -> None:
    """The demo's year: 3–6 procedures per department, each with a monthly on-time measure
    recorded up to last month (a few months missed), objectives with a plan, risks with a
    treatment, context and interested parties."""
    year, last_month = demo_quality.demo_year(clock.today())
    per_department = dict(db.session.execute(select(Process.department_id, func.count()).where(
        Process.kind == "administrative").group_by(Process.department_id)).all())
    assert len(per_department) == 9 and all(3 <= n <= 6 for n in per_department.values())
    assert db.session.scalar(select(func.count()).where(
        Process.kind == "administrative", Process.time_limit_days.is_(None))) == 0
    measures = db.session.scalars(select(Measure).where(
        Measure.frequency == "monthly")).unique().all()
    assert len(measures) == sum(per_department.values())
    for measure in measures:
        assert [v.period for v in measure.values] == [
            f"{year}-{m:02d}" for m in range(1, last_month + 1)]
    missed = db.session.scalar(select(func.count()).where(MeasureValue.missed))
    total = db.session.scalar(select(func.count()).select_from(MeasureValue))
    assert 0 < missed < total / 10
    # The citizens' survey, a customer-feedback measure, one value per quarter ended.
    survey = db.session.scalar(select(Measure).where(Measure.customer_feedback.is_(True)))
    assert survey.code == "M-HL-VP" and len(survey.values) == last_month // 3
    # The latest month missed outside TCKH raised a corrective action, the measure linked.
    ca = db.session.scalar(select(CorrectiveAction).where(
        CorrectiveAction.measure_value_id.is_not(None)))
    assert ca.source == "process" and ca.measure_value.missed
    assert ca.measure_value.measure.process.department.code != "TCKH"
    objectives = db.session.scalars(select(Objective).where(Objective.year == year)).all()
    assert {o.department_id for o in objectives} == set(per_department)
    assert len(objectives) == 9 * len(demo_quality_data.OBJECTIVES)
    assert db.session.scalar(select(func.count()).select_from(PlanItem)) >= len(objectives)
    kinds = dict(db.session.execute(select(Risk.kind, func.count()).group_by(Risk.kind)).all())
    assert kinds == {"risk": 15, "opportunity": 5}
    assert db.session.scalar(select(func.count()).select_from(RiskAction)) == 20
    assert db.session.scalar(select(func.count()).select_from(ContextIssue)) >= 3
    assert db.session.scalar(select(func.count()).select_from(InterestedParty)) >= 3


def test_clauses_load_is_idempotent(app, runner):
    again = runner.invoke(args=["clauses", "load"])
    assert again.exit_code == 0, again.output
    assert "0 clauses added" in again.output
    assert _count(app, Clause) == 75

    with app.app_context():
        from compliance.audits.models import Question

        # The bank's questions hang on the clause, so they go first.
        gone = db.session.scalar(db.select(Clause.id).where(Clause.number == "10.3"))
        db.session.execute(delete(Question).where(Question.clause_id == gone))
        db.session.execute(delete(Clause).where(Clause.id == gone))
        db.session.commit()
    refill = runner.invoke(args=["clauses", "load"])
    assert "1 clauses added" in refill.output
    assert _count(app, Clause) == 75


def test_commands_on_an_unmigrated_database_say_to_migrate_first(tmp_path):
    from compliance import create_app

    app = create_app({"INSTANCE_PATH": str(tmp_path / "empty"), "SECRET_KEY": "x"})
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code == 1
    assert "compliance db upgrade" in result.output
    assert "Traceback" not in result.output
