"""Departments under /api/v1/departments: list (keyset pages) and read one."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from compliance.api import json_errors
from compliance.api.pages import PageArgs, keyset_page
from compliance.core.errors import NotFound
from compliance.core.extensions import db
from compliance.org import rules
from compliance.org.models import Department

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

    @bp.response(200, DepartmentSchema)
    @bp.doc(security=[{"bearer": []}])
    def get(self, department_id: int):
        """Read one department (404 when the caller may not see it)."""
        stmt = rules.visible_departments(current_user, select(Department)
                                         .where(Department.id == department_id))
        found = db.session.scalar(stmt)
        if found is None:
            raise NotFound("No such department.")
        return found
