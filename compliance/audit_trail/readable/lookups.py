"""The names a page of history needs, read in one query per kind (people, departments,
processes, grades, corrective-action plan items), whatever the number of events."""

from __future__ import annotations

import json
from collections.abc import Iterable

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.models import AuditEvent
from compliance.audit_trail.readable.fields import ACTIONS, DEPARTMENTS, GRADES, PEOPLE, PROCESSES
from compliance.audits.models import FindingGrade
from compliance.auth.models import User
from compliance.capa.models import Action
from compliance.core import tenancy
from compliance.core.extensions import db
from compliance.org.models import Department, Process


def snapshot(text: str | None) -> dict:
    """A stored before/after snapshot as a dict (empty when there is none or it is not one)."""
    if not text:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _ids(values: Iterable) -> set[int]:
    found = set()
    for value in values:
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, int) and not isinstance(item, bool):
                found.add(item)
    return found


class Lookups:
    """Names by id for the events of one page, in the reader's language."""

    def __init__(self, events: list[AuditEvent]):
        self.locale = str(get_locale() or "vi")
        wanted: dict[frozenset, list] = {PEOPLE: [], DEPARTMENTS: [], PROCESSES: [],
                                         GRADES: [], ACTIONS: []}
        for event in events:
            wanted[PEOPLE].append(event.actor_id)
            for data in (snapshot(event.before_json), snapshot(event.after_json)):
                for key, value in data.items():
                    for kind, values in wanted.items():
                        if key in kind:
                            values.append(value)
            if event.entity_type == "finding_grade":
                wanted[GRADES].append(event.entity_id)
        self.people = self._read(User.id, User.name, _ids(wanted[PEOPLE]))
        self.departments = self._rows(Department, _ids(wanted[DEPARTMENTS]))
        self.processes = self._rows(Process, _ids(wanted[PROCESSES]))
        codes = {v for v in wanted[GRADES] if isinstance(v, str)}
        # The grades of the organisation whose events these are (the reader's).
        self.grades = {g.code: g for g in db.session.scalars(
            select(FindingGrade).where(FindingGrade.code.in_(codes),
                                       FindingGrade.organisation_id ==
                                       tenancy.acting_organisation_id()))} if codes else {}
        self.actions = self._read(Action.id, Action.description, _ids(wanted[ACTIONS]))

    @staticmethod
    def _read(key, value, ids: set[int]) -> dict:
        if not ids:
            return {}
        return dict(db.session.execute(select(key, value).where(key.in_(ids))).all())

    @staticmethod
    def _rows(model, ids: set[int]) -> dict:
        if not ids:
            return {}
        return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}

    def person(self, user_id) -> str:
        """A person's name ("someone" for an account that no longer resolves)."""
        return self.people.get(user_id) or _("someone")

    def department(self, department_id) -> str:
        """A department's name in the reader's language."""
        found = self.departments.get(department_id)
        return found.name(self.locale) if found is not None else "—"

    def process(self, process_id) -> str:
        """A process as "code name"."""
        found = self.processes.get(process_id)
        return f"{found.code} {found.name(self.locale)}" if found is not None else "—"

    def grade(self, code) -> str:
        """A finding grade's name in the reader's language (its code if it is gone)."""
        found = self.grades.get(code)
        return found.name(self.locale) if found is not None else str(code or "—")

    def action(self, action_id) -> str:
        """What an action of a corrective action's plan says."""
        return self.actions.get(action_id) or "—"
