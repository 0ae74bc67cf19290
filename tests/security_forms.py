"""The forms and targets tests/test_security.py posts for the quality pages (risks,
objectives, context): each form saves when its CSRF token is right."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from compliance.core import clock
from compliance.quality.objectives.models import (
    ContextIssue,
    InterestedParty,
    Objective,
    PlanItem,
)
from tests.quality.objectives.helpers import context_records, objective_with_plan, version_of


def risk_forms(t: SimpleNamespace, row: str) -> dict[str, dict]:
    """The risk register's posts (quality.risks.*), each one that saves."""
    soon = (clock.today() + timedelta(days=10)).isoformat()
    risk = {"kind": "risk", "description": "Rủi ro trễ hạn hồ sơ", "likelihood": 2,
            "impact": 3, "process_id": 0}
    version = getattr(t, "risk_version", 0)
    bands = {"low_from": 1, "low_to": 4, "medium_from": 5, "medium_to": 9, "high_from": 10,
             "high_to": 16, "very_high_from": 17, "very_high_to": 25}
    return {
        "quality.risks.create": {"department_id": t.department_id, **risk},
        "quality.risks.edit": {**risk, "residual_likelihood": 1, "residual_impact": 1,
                               "review_on": soon, "version": version},
        "quality.risks.change_status": {"status": "accepted", "note": "Chấp nhận",
                                        "version": version},
        "quality.risks.review": {"note": "Không đổi", "next_review_on": soon,
                                 "version": version},
        "quality.risks.add_action": {"description": "Tập huấn", "owner_id": t.admin_id,
                                     "due_on": soon},
        "quality.risks.complete_action": {f"{row}note": "Xong", f"{row}version": 1},
        "quality.risks.edit_action": {"description": "Tập huấn lại", "owner_id": t.admin_id,
                                      "due_on": soon, "version": 1},
        "quality.risks.delete_action": {"version": 1},
        "quality.risks.add_link": {"target": f"ca:{getattr(t, 'ca_id', 0)}", "note": ""},
        "quality.risks.answer_ca": {"outcome": "no_change", "note": ""},
        "quality.risks.scale": {"size": 5, "version": 0, **bands},
    }


def objective_forms(t: SimpleNamespace) -> dict[str, dict]:
    """The posts of the objective and context pages (quality.objectives.*,
    quality.context.*), each one that saves."""
    today = clock.today()
    soon = (today + timedelta(days=10)).isoformat()
    measured = {"statement_vi": "95% hồ sơ đúng hạn", "statement_en": "95% on time",
                "measurement": "manual", "measure_id": 0, "target": "95", "unit": "%",
                "direction": "higher"}
    item = {"description": "Nhắc hạn hằng tuần", "resources": "Sổ theo dõi",
            "owner_id": t.admin_id, "due_on": soon,
            "evaluation_method": "Tỷ lệ đúng hạn mỗi quý"}
    row = f"item{getattr(t, 'item_id', 0)}-"
    issue = {"kind": "internal", "description": "Thiếu cán bộ một cửa",
             "effect": "Hồ sơ dễ trễ hạn", "review_on": soon}
    party = {"name_vi": "Doanh nghiệp", "name_en": "Businesses",
             "requirements": "Thủ tục rõ ràng", "review_on": soon}
    version = getattr(t, "row_version", 0)
    return {
        "quality.objectives.create": {"year": today.year, "department_id": t.department_id,
                                      **measured},
        "quality.objectives.edit": {**measured, "version": version},
        # The department's objectives of this year into the next, which has none yet.
        "quality.objectives.copy": {"scope": str(t.department_id), "from_year": today.year,
                                    "to_year": today.year + 1},
        "quality.objectives.add_item": item,
        "quality.objectives.edit_item": {**item, "version": version},
        "quality.objectives.delete": {"version": version},
        "quality.objectives.delete_item": {"version": version},
        "quality.objectives.complete_item": {f"{row}version": version},
        "quality.objectives.reopen_item": {f"{row}version": version},
        "quality.objectives.progress": {"noted_on": today.isoformat(),
                                        "text": "Quý IV: đúng hạn", "value": "96,5"},
        "quality.objectives.evaluate": {"result": "achieved", "comment": "Đạt 97%",
                                        "version": version},
        "quality.context.create_issue": issue,
        "quality.context.edit_issue": {**issue, "status": "active", "version": version},
        "quality.context.review_issue": {"next_review_on": soon, "version": version},
        "quality.context.create_party": party,
        "quality.context.edit_party": {**party, "status": "active", "version": version},
        "quality.context.review_party": {"next_review_on": soon, "version": version},
    }


def objective_target(app, make, endpoint: str, department_id: int) -> SimpleNamespace:
    """Ids for an objective or context route, with `row_version`: the version the page shows
    of the row the form changes. Evaluated is an objective of last year (its evaluation is
    open whatever the date); reopened, a plan item already done."""
    if endpoint.startswith("quality.context."):
        ids = context_records(app, make.user(roles=["coordinator"]).id)
        model, row_id = ((ContextIssue, ids.issue_id) if "issue" in endpoint
                         else (InterestedParty, ids.party_id))
        return SimpleNamespace(**vars(ids), row_version=version_of(app, model, row_id))
    if not endpoint.startswith("quality.objectives."):
        return SimpleNamespace()
    coordinator = make.user(roles=["coordinator"])
    owner = make.user(departments=[(department_id, "staff")])
    year = clock.today().year - (1 if endpoint.endswith(".evaluate") else 0)
    ids = objective_with_plan(app, department_id, coordinator_id=coordinator.id,
                              owner_id=owner.id, year=year,
                              done=endpoint.endswith(".reopen_item"))
    model, row_id = ((PlanItem, ids.item_id) if endpoint.endswith("_item")
                     else (Objective, ids.objective_id))
    return SimpleNamespace(**vars(ids), row_version=version_of(app, model, row_id))


def installation_forms(t: SimpleNamespace) -> dict[str, dict]:
    """The installation administrator's posts (installation.*), each one that saves."""
    organisation = {"code": f"NEW{t.organisation_id}", "name_vi": "Xã Bình Thành",
                    "name_en": "Binh Thanh Commune", "parent_id": "",
                    "time_zone": "Asia/Ho_Chi_Minh", "document_code_pattern": ""}
    return {
        "installation.create": organisation,
        "installation.edit": {**organisation, "version": 1},
        "installation.add_admin": {"name": "Lê Thị Hoa", "locale": "vi",
                                   "email": f"first{t.organisation_id}@example.com"},
        "installation.grant": {"email": t.user_email},
        "installation.revoke": {},
    }
