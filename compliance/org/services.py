"""Changes to departments and processes.

Signals sent (compliance.core.signals):
- department_changed: sender the Department created or changed; actor= who did it.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from compliance.audit_trail.services import record
from compliance.core import signals
from compliance.core.db import check_version, utcnow
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.documents.models import Document
from compliance.org import rules
from compliance.org.models import PROCESS_KINDS, Department, Process

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


def get_department(department_id: int, for_update: bool = False) -> Department:
    """Load a department or raise NotFound."""
    department = db.session.get(Department, department_id, with_for_update=for_update)
    if department is None:
        raise NotFound(_("No such department."))
    return department


def get_process(process_id: int, for_update: bool = False) -> Process:
    """Load a process or raise NotFound."""
    process = db.session.get(Process, process_id, with_for_update=for_update)
    if process is None:
        raise NotFound(_("No such process."))
    return process


def _clean_code(code: str) -> str:
    code = (code or "").strip().upper()
    if not CODE_PATTERN.match(code):
        raise DomainError(_("A code is 1 to 32 capital letters, digits, '-' or '_'."),
                          field="code")
    return code


def _unique_code(model, code: str, own_id: int | None) -> None:
    found = db.session.scalar(select(model.id).where(model.code == code))
    if found is not None and found != own_id:
        # Answered as a mistake in the form (400), at the code, so the input is kept.
        raise DomainError(_("The code %(code)s is already used.", code=code), field="code")


def _write_with_code(model, code: str, own_id: int | None, change) -> None:
    """Apply a change in a savepoint: a code taken meanwhile is a form error, not a crash.

    The check in _unique_code cannot see a concurrent writer's uncommitted row (PostgreSQL);
    the unique constraint then refuses our flush, and the savepoint keeps the transaction usable.
    """
    try:
        with db.session.begin_nested():
            change()
    except IntegrityError:
        _unique_code(model, code, own_id)  # now sees the committed row and says so
        raise


def _check_parent(department: Department | None, parent_id: int | None) -> None:
    """A department may not sit under itself, directly or further up."""
    seen = set()
    current = parent_id
    while current is not None:
        if department is not None and current == department.id:
            raise DomainError(_("A department cannot be placed under itself."),
                              field="parent_id")
        if current in seen:
            break
        seen.add(current)
        current = get_department(current).parent_id


def _check_version(entity, expected_version: int | None) -> None:
    check_version(entity, expected_version, _("Someone else changed this record while you were "
                                              "editing it. Reload the page and apply your "
                                              "change again."))


CERTIFICATE_FIELDS = ("certificate_number", "certification_body", "certificate_expires_on")


def _set_certificate(department: Department, certificate: dict) -> None:
    unknown = set(certificate) - set(CERTIFICATE_FIELDS)
    if unknown:
        raise TypeError(f"not certificate fields: {sorted(unknown)}")
    for key, value in certificate.items():
        setattr(department, key, value)


def create_department(actor, code: str, name_vi: str, name_en: str,
                      parent_id: int | None = None, check: bool = True,
                      **certificate) -> Department:
    """Add a department (optionally with its ISO certificate's number, body and expiry)."""
    if check:
        rules.ensure(rules.may_manage_departments(actor))
    code = _clean_code(code)
    _unique_code(Department, code, None)
    _check_parent(None, parent_id)
    department = Department(code=code, name_vi=name_vi.strip(), name_en=name_en.strip(),
                            parent_id=parent_id)
    _set_certificate(department, certificate)
    _write_with_code(Department, code, None, lambda: db.session.add(department))
    record(actor, "department.create", "department", department.id,
           after=department.snapshot())
    signals.department_changed.send(department, actor=actor)
    return department


def update_department(actor, department: Department, expected_version: int | None, *,
                      code: str, name_vi: str, name_en: str, parent_id: int | None,
                      active: bool, **certificate) -> Department:
    """Change a department; refuses if someone else changed it first."""
    rules.ensure(rules.may_manage(actor, department))
    _check_version(department, expected_version)
    code = _clean_code(code)
    _unique_code(Department, code, department.id)
    _check_parent(department, parent_id)
    before = department.snapshot()

    def change() -> None:
        department.code, department.parent_id, department.active = code, parent_id, active
        department.name_vi, department.name_en = name_vi.strip(), name_en.strip()
        _set_certificate(department, certificate)

    _write_with_code(Department, code, department.id, change)
    record(actor, "department.update", "department", department.id,
           before=before, after=department.snapshot())
    signals.department_changed.send(department, actor=actor)
    return department


PROCESS_FIELDS = ("code", "name_vi", "name_en", "department_id", "owner_id", "inputs",
                  "outputs", "purpose", "kind", "time_limit_days")
LINK_FIELDS = ("before_ids", "after_ids", "document_ids")


def _process_kind(fields: dict) -> None:
    """An administrative procedure carries its legal time limit; an ordinary process none."""
    kind = fields.get("kind") or "ordinary"
    if kind not in PROCESS_KINDS:
        raise DomainError(_("Choose the kind of process."), field="kind")
    days = fields.get("time_limit_days")
    if kind == "administrative":
        if not isinstance(days, int) or not 1 <= days <= 3650:
            raise DomainError(_("Give the legal time limit of the procedure in days (1 to "
                                "3650)."), field="time_limit_days")
    else:
        days = None
    fields["kind"], fields["time_limit_days"] = kind, days


def _linked(model, ids, field: str, own_id: int | None = None) -> list:
    wanted = {int(i) for i in ids or () if i}
    if own_id is not None and own_id in wanted:
        raise DomainError(_("A process cannot come before or after itself."), field=field)
    found = list(db.session.scalars(select(model).where(model.id.in_(wanted)))) if wanted else []
    if len(found) != len(wanted):
        raise DomainError(_("Choose among the listed entries."), field=field)
    return found


def _set_links(process: Process, links: dict) -> None:
    """The processes before and after it and the documents describing it, as chosen."""
    if "before_ids" in links:
        process.before = _linked(Process, links["before_ids"], "before_ids", process.id)
    if "after_ids" in links:
        process.after = _linked(Process, links["after_ids"], "after_ids", process.id)
    if "document_ids" in links:
        process.documents = _linked(Document, links["document_ids"], "document_ids")


def _split(fields: dict) -> tuple[dict, dict]:
    unknown = set(fields) - set(PROCESS_FIELDS) - set(LINK_FIELDS)
    if unknown:
        raise TypeError(f"not process fields: {sorted(unknown)}")
    return ({k: v for k, v in fields.items() if k in PROCESS_FIELDS},
            {k: v for k, v in fields.items() if k in LINK_FIELDS})


def create_process(actor, *, code: str, name_vi: str, name_en: str, department_id: int,
                   owner_id: int | None, inputs: str = "", outputs: str = "",
                   check: bool = True, **more) -> Process:
    """Add a process to a department (optionally with its purpose, kind and time limit, the
    processes before and after it, and the documents describing it)."""
    if check:
        rules.ensure(rules.may_manage_processes(actor))
    plain, links = _split(more)
    _process_kind(plain)
    code = _clean_code(code)
    _unique_code(Process, code, None)
    get_department(department_id)
    process = Process(code=code, name_vi=name_vi.strip(), name_en=name_en.strip(),
                      department_id=department_id, owner_id=owner_id,
                      inputs=inputs.strip(), outputs=outputs.strip(),
                      purpose=(plain.get("purpose") or "").strip(), kind=plain["kind"],
                      time_limit_days=plain["time_limit_days"])
    _write_with_code(Process, code, None, lambda: db.session.add(process))
    _set_links(process, links)
    db.session.flush()
    record(actor, "process.create", "process", process.id, after=process.snapshot())
    return process


def update_process(actor, process: Process, expected_version: int | None, **fields) -> Process:
    """Change a process and its links; refuses if someone else changed it first."""
    rules.ensure(rules.may_manage(actor, process))
    _check_version(process, expected_version)
    plain, links = _split(fields)
    plain["code"] = _clean_code(plain["code"])
    _unique_code(Process, plain["code"], process.id)
    get_department(plain["department_id"])
    if "kind" in plain:
        _process_kind(plain)
    before = process.snapshot()

    def change() -> None:
        # One UPDATE (one new version) for the whole save: no flush half-way through.
        with db.session.no_autoflush:
            _set_links(process, links)
            for name, value in plain.items():
                setattr(process, name, value.strip() if isinstance(value, str) else value)
            # A change of links alone would leave the process row (and its version) as it
            # was: touched, the save counts and a form shown before it is stale too.
            process.updated_at = utcnow()

    _write_with_code(Process, plain["code"], process.id, change)
    record(actor, "process.update", "process", process.id,
           before=before, after=process.snapshot())
    return process
