"""Departments, processes and clauses under /api/v1: list (keyset pages, sorted where a
sort is offered), read one; a process is changed with If-Match (compliance.api.versions)."""

from __future__ import annotations

from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from compliance.api import BEARER, json_errors, versions
from compliance.api.links import linked, to, to_change
from compliance.api.pages import PageArgs, keyset_page, sorted_page
from compliance.core.errors import NotFound
from compliance.core.extensions import db
from compliance.org import rules, services
from compliance.org.labels import EDITION
from compliance.org.models import Clause, Department, Process
from compliance.org.schemas import (
    ClauseListArgs,
    ClauseSchema,
    ProcessChange,
    ProcessListArgs,
    ProcessSchema,
)

bp = Blueprint("api_departments", __name__, url_prefix="/departments",
               description="Departments of the caller's organisation.")
json_errors(bp)


class DepartmentSchema(Schema):
    """A department as the API shows it."""

    id = fields.Int()
    code = fields.Str()
    name_vi = fields.Str()
    name_en = fields.Str()
    parent_id = fields.Int(allow_none=True)
    active = fields.Bool()
    certificate_number = fields.Str(allow_none=True)
    certificate_expires_on = fields.Date(allow_none=True)


@bp.route("/")
class Departments(MethodView):
    """The departments the caller may see, by id."""

    @bp.arguments(PageArgs, location="query")
    @bp.response(200, DepartmentSchema(many=True))
    @bp.doc(security=[{"bearer": []}])
    def get(self, args):
        """List departments (cursor pages, `Link` header)."""
        stmt = rules.visible_departments(current_user, select(Department))
        return keyset_page(stmt, Department.id, args)


@bp.route("/<int:department_id>")
class DepartmentOne(MethodView):
    """One department."""

    @versions.read_one(bp, DepartmentSchema)
    def get(self, department_id: int):
        """Read one department (404 when the caller may not see it), with its ETag."""
        stmt = rules.visible_departments(current_user, select(Department)
                                         .where(Department.id == department_id))
        found = db.session.scalar(stmt)
        if found is None:
            raise NotFound(_("No such department."))
        return versions.with_etag(found)


processes = Blueprint("api_processes", __name__, url_prefix="/processes",
                      description="Processes of the quality system (clause 4.4).")
json_errors(processes)


def _visible_process(process_id: int, for_update: bool = False) -> Process:
    """A process the caller may see (404 for one they may not know of)."""
    stmt = rules.visible_processes(current_user, select(Process).where(Process.id == process_id))
    found = db.session.scalar(stmt.with_for_update(of=Process) if for_update else stmt)
    if found is None:
        raise NotFound(_("No such process."))
    return found


@processes.route("/")
class Processes(MethodView):
    """The processes the caller may see."""

    @processes.arguments(ProcessListArgs, location="query")
    @processes.response(200, ProcessSchema(many=True))
    @processes.doc(security=BEARER)
    @linked(processes, 200, process=to("/processes/{process_id}",
                                       process_id="$response.body#/0/id"))
    def get(self, args):
        """List processes, filtered by department and kind, sorted (cursor pages, `Link`)."""
        stmt = rules.visible_processes(current_user, select(Process))
        if args["department"]:
            stmt = stmt.where(Process.department_id == args["department"])
        if args["kind"]:
            stmt = stmt.where(Process.kind == args["kind"])
        sorts = {"code": Process.code, "name_vi": Process.name_vi, "name_en": Process.name_en}
        return sorted_page(stmt, sorts, Process.id, args)


@processes.route("/<int:process_id>")
class ProcessOne(MethodView):
    """One process: read it, change it (If-Match)."""

    @versions.read_one(processes, ProcessSchema)
    @linked(processes, 200, change=to_change("/processes/{process_id}", "patch",
                                             process_id="$request.path.process_id"))
    def get(self, process_id: int):
        """Read one process, with its ETag."""
        return versions.with_etag(_visible_process(process_id))

    @processes.arguments(ProcessChange)
    @processes.response(200, ProcessSchema, headers=versions.ETAG_HEADER)
    @processes.alt_response(403, response="FORBIDDEN")
    @processes.alt_response(404, response="NOT_FOUND")
    @versions.if_match_required(processes)
    @processes.doc(security=BEARER)
    def patch(self, change: dict, process_id: int):
        """Change a process as its page does (the fields sent; the rest stays)."""
        process = _visible_process(process_id, for_update=True)
        rules.ensure(rules.may_manage(current_user, process))
        expected = versions.require_match(process)
        # The page's form sends every field: what the change leaves out stays as it is.
        fields_now = {"code": process.code, "department_id": process.department_id,
                      "kind": process.kind, "time_limit_days": process.time_limit_days}
        services.update_process(current_user, process, expected, **{**fields_now, **change})
        return versions.with_etag(process)


clauses = Blueprint("api_clauses", __name__, url_prefix="/clauses",
                    description="The clause catalogue of the standard (read only).")
json_errors(clauses)


def _readable_clauses():
    rules.ensure(rules.may_read_clauses(current_user))
    return select(Clause).where(Clause.edition == EDITION)


@clauses.route("/")
class Clauses(MethodView):
    """The catalogue in reading order."""

    @clauses.arguments(ClauseListArgs, location="query")
    @clauses.response(200, ClauseSchema(many=True))
    @clauses.doc(security=BEARER)
    def get(self, args):
        """List the clauses (optionally those under one), in reading order."""
        stmt = _readable_clauses()
        if args["parent"]:
            stmt = stmt.where(Clause.parent_number == args["parent"][:16])
        return sorted_page(stmt, {"sort_key": Clause.sort_key}, Clause.id, args)


@clauses.route("/<int:clause_id>")
class ClauseOne(MethodView):
    """One clause."""

    @clauses.response(200, ClauseSchema)
    @clauses.alt_response(404, response="NOT_FOUND")
    @clauses.doc(security=BEARER)
    def get(self, clause_id: int):
        """Read one clause."""
        found = db.session.scalar(_readable_clauses().where(Clause.id == clause_id))
        if found is None:
            raise NotFound(_("No such clause."))
        return found
