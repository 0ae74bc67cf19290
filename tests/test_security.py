"""CSRF on every post, security headers, cookie flags, error pages and no inline script."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from flask import url_for

from compliance.core import clock
from compliance.reports.annual.template import DEFAULT as ANNUAL_SECTIONS
from tests.audits.helpers import AUDIT_STATE_FOR, audit_target
from tests.capa.helpers import CA_GRADE_FOR, CA_STATE_FOR, ca_ids, shown_version
from tests.conftest import make_app
from tests.documents.helpers import STATE_FOR, document_target, external_target, pdf_bytes
from tests.evidence.helpers import pack_target
from tests.factories import PASSWORD
from tests.installation.helpers import organisation_target
from tests.notifications.helpers import notification_target
from tests.quality.measures.helpers import measure_ids
from tests.quality.risks.helpers import risk_target
from tests.reports.helpers import annual_target, review_ids
from tests.scope.helpers import scope_target
from tests.security_forms import (
    installation_forms,
    objective_forms,
    objective_target,
    risk_forms,
)
from tests.sso.helpers import sso_target, with_second_factor
from tests.steering.helpers import steering_target
from tests.test_permissions import _world_kind, routes, trail_length
from tests.webhooks.helpers import webhook_target

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|'
                   r'name="csrf_token" value="([^"]+)"')
NEW_PASSWORD = "another long passphrase"
# An approval chain of two steps in order, as its form sends it.
CHAIN = {"steps-0-position": 1, "steps-0-meaning": "reviewed", "steps-0-role": "department_head",
         "steps-1-position": 2, "steps-1-meaning": "approved", "steps-1-role": "coordinator"}


def csrf_token(client, path: str = "/login") -> str:
    """The token a page hands to this client's session: the sign-in page's, or, once signed
    in (it redirects), the account page's (a light page: the home page is the heaviest)."""
    response = client.get(path)
    if response.status_code == 302 and path == "/login":
        path, response = "/account", client.get("/account")
    match = TOKEN.search(response.get_data(as_text=True))
    assert match, "no CSRF token on " + path
    return match.group(1) or match.group(2)


def english(client):
    """A client whose browser asks for English, so messages can be compared."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def sign_in(client, email: str) -> None:
    """Sign in through the real form, token included."""
    response = client.post("/login", data={"email": email, "password": PASSWORD,
                                           "csrf_token": csrf_token(client)})
    assert response.status_code == 302


def _forms(t: SimpleNamespace) -> dict[str, dict]:
    """For each POST endpoint, a form that changes something when its token is right."""
    hook = {"name": "Cổng thông tin", "url": "https://hooks.example.com/in",
            "events": ["revision.in_force"], "active": "y"}
    department = {"name_vi": "Phòng mới", "name_en": "New office", "parent_id": 0}
    process = {"name_vi": "Quy trình mới", "name_en": "New process", "owner_id": 0,
               "kind": "ordinary",
               "department_id": t.department_id, "inputs": "a", "outputs": "b"}
    document = {"doc_type": "procedure", "department_id": t.department_id, "title_vi": "Mới",
                "owner_id": t.user_id, "review_interval_months": 12}
    audit = {"department_id": t.department_id, "clause_ids": [t.clause_id],
             "planned_start": "2026-06-01", "planned_end": "2026-06-02",
             "lead_auditor_id": t.admin_id}
    row = f"action{getattr(t, 'action_id', 0)}-"
    measure = {"process_id": t.process_id, "name_vi": "Tỷ lệ đúng hạn", "unit": "%",
               "direction": "higher", "target": "95", "frequency": "monthly",
               "first_period": "2026-01", "recorder_id": 0, "active": "y"}
    question = {"clause_id": t.clause_id, "text_vi": "Có hồ sơ không?",
                "text_en": "Are there records?", "active": "y"}
    return {
        "auth.login": {"email": t.admin_email, "password": PASSWORD},
        "auth.logout": {},
        "auth.language": {"locale": "vi"},
        "auth.account": {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        "auth.tokens.index": {"name": "Cổng thông tin", "scope": "read", "days": 90},
        "auth.tokens.revoke": {},
        "auth.service.create_account": {"name": "Một cửa", "email": "motcua@example.com",
                                        "roles": "coordinator"},
        "auth.service.all_tokens": {"account_id": getattr(t, "service_id", 0),
                                    "name": "Một cửa", "scope": "read write", "days": 30},
        "auth.service.revoke_token": {},
        "auth.users.create": {"email": "fresh@example.com", "name": "Mới", "locale": "vi",
                         "password": NEW_PASSWORD},
        "auth.users.edit": {"email": t.user_email, "name": "Renamed", "locale": "vi",
                       "roles": "auditor", "version": 1},
        "auth.users.add_membership": {"department_id": t.department_id, "role": "department_head"},
        "auth.users.remove_membership": {},
        "auth.users.deactivate": {},
        "auth.users.reactivate": {},
        "auth.users.reset_password": {"password": NEW_PASSWORD},
        "auth.users.reset_second_factor": {},
        "org.create_department": {"code": "NEW", **department},
        "org.edit_department": {"code": "EDITED", "active": "y", "version": 1, **department},
        "org.create_process": {"code": "NEWP", **process},
        "org.edit_process": {"code": "EDITEDP", "version": 1, **process},
        "documents.create": document,
        "documents.edit": {**document, "version": 1},
        "documents.revisions.upload": {"file": (io.BytesIO(pdf_bytes()), "moi.pdf"),
                             "change_summary": "Sửa đổi"},
        "documents.revisions.submit": {},
        "documents.revisions.withdraw": {},
        "documents.revisions.sign": {"meaning": "approved", "password": PASSWORD},
        "documents.revisions.reject": {"comment": "Chưa đạt", "password": PASSWORD},
        "documents.revisions.acknowledge": {},
        "documents.reading.answer_copy": {"answer": "destroyed", "note": "Đã hủy bản in"},
        "documents.reading.review": {"outcome": "no_change", "comment": "Vẫn phù hợp"},
        "documents.reading.obsolete": {"reason": "Không còn áp dụng", "password": PASSWORD,
                                       "version": 1},
        "documents.reading.reinstate": {"reason": "Quyết định bãi bỏ bị hủy",
                                        "password": PASSWORD, "version": 1},
        "documents.retention.dispose": {"decision": "destroy", "password": PASSWORD,
                                        "reason": "Hết thời hạn lưu trữ", "version": 0},
        "documents.retention.edit_rule": {"basis": "superseded", "years": 7, "version": 0},
        "documents.retention.document_rule": {"basis": "created", "years": 20,
                                              "reason": "Hồ sơ vụ việc", "version": 1},
        "documents.holds.place_hold": {"scope": "document", "document_code": t.code,
                                       "department_id": 0, "audit_id": 0,
                                       "reason": "Đoàn thanh tra huyện"},
        "documents.holds.lift_hold": {"reason": "Kết thúc thanh tra", "password": PASSWORD,
                                      "version": 1},
        "documents.chains.edit_type": {"version": 0, **CHAIN},
        "documents.chains.document_chain": {"version": 0, **CHAIN,
                                            "reason": "Văn bản liên tịch cần trưởng phòng xem xét"},
        "audits.create_programme": {"title": "2027", "period_start": "2027-01-01",
                                    "period_end": "2027-12-31"},
        "audits.plan": audit,
        "audits.edit": {**audit, "version": 1},
        "audits.edit_programme": {"title": "Chương trình 2026 (sửa)", "period_start": "2026-01-01",
                                  "period_end": "2026-12-31", "version": 1},
        "audits.cancel": {"reason": "Phòng sáp nhập", "version": t.audit_version},
        "audits.reschedule": {"planned_start": "2026-07-01", "planned_end": "2026-07-02",
                              "reason": "Trùng lịch tiếp dân", "version": t.audit_version},
        "audits.findings.set_due": {"response_due_on": "2099-01-31", "version": 1},
        "audits.findings.respond": {"response": "Đã bổ sung sổ theo dõi"},
        "audits.conduct.start": {},
        "audits.conduct.add_item": {"clause_id": 0, "question_vi": "Câu hỏi thêm?"},
        "audits.conduct.result": {"result": "conforming", "notes": "Đạt"},
        "audits.conduct.document_evidence": {"document_id": t.document_id},
        "audits.conduct.file_evidence": {"file": (io.BytesIO(pdf_bytes()), "bang-chung.pdf")},
        "audits.conduct.finding": {"grade": "minor", "clause_id": 0, "description": "Thiếu hồ sơ"},
        "audits.conduct.meeting": {"held_at": "2026-06-01T08:00", "attendees": "Lan, Nhung"},
        "audits.conduct.sign_report": {"summary": "Đạt yêu cầu", "password": PASSWORD},
        "audits.conduct.close": {},
        "audits.questions.create": question,
        "audits.questions.edit": {**question, "version": 1},
        "audits.grades.edit_grade": {"name_vi": "Nhẹ", "name_en": "Minor", "version": 1,
                                     "requires_root_cause": "y", "effectiveness_check_days": 45},
        "capa.create": {"source": "complaint", "department_id": t.department_id,
                        "grade": "minor", "problem": "Khiếu nại của công dân", "verifier_id": 0},
        "capa.analysis.contain": {"correction": "Đã trả hồ sơ", "corrected_on": "2026-01-02",
                                  "version": t.ca_version},
        "capa.analysis.analyse": {"why1": "Không theo dõi hạn", "ishikawa": "method",
                                  "extent": "Không lan sang phòng khác",
                                  "version": t.ca_version},
        "capa.actions.add": {"description": "Lập sổ theo dõi", "owner_id": t.admin_id,
                             "due_on": "2099-01-01", "document_id": 0},
        "capa.actions.complete": {"note": "Đã làm"},
        # The forms that change one action carry the row's prefix.
        "capa.actions.edit": {f"{row}edit-description": "Lập sổ theo dõi hằng ngày",
                              f"{row}edit-version": 1},
        "capa.actions.reschedule": {f"{row}reschedule-due_on": "2099-02-01",
                                    f"{row}reschedule-reason": "Chờ kinh phí",
                                    f"{row}reschedule-version": 1},
        "capa.actions.reassign": {f"{row}reassign-owner_id": t.admin_id,
                                  f"{row}reassign-version": 1},
        "capa.actions.cancel": {f"{row}cancel-reason": "Trùng lặp", f"{row}cancel-version": 1},
        "capa.verification.record_check": {"result": "effective",
                                           "notes": "Không còn trễ hạn",
                                           "file": (io.BytesIO(pdf_bytes()), "thong-ke.pdf")},
        "capa.verification.close": {"note": "Đóng", "version": t.ca_version},
        "capa.verification.decide": {"decision": "Ghi nhận, không cần hành động",
                                     "version": t.ca_version},
        "capa.files.upload": {"file": (io.BytesIO(pdf_bytes()), "bang-chung.pdf")},
        "notifications.open_notification": {},
        "notifications.mark_read": {},
        "notifications.mark_all_read": {},
        "notifications.settings": {"email_mode": "digest"},
        "notifications.scheduler.retry": {},
        "reports.save_notes": {"department_id": t.department_id, "period": "2026-H1",
                               "shortcomings": "Cơ sở vật chất còn thiếu",
                               "planned_actions": "Tập huấn cán bộ", "version": 0},
        "reports.reviews.create": {"held_on": "2026-07-15", "period_start": "2026-01-01",
                                   "period_end": "2026-06-30", "chair": "Chủ tịch UBND huyện"},
        "reports.reviews.add_action": {"description": "Rà soát quy trình",
                                       "owner_id": t.admin_id, "due_on": "2026-09-30"},
        "reports.reviews.update_action": {"status": "done", "outcome_note": "Đã hoàn thành",
                                          "version": 1},
        "evidence.build": {"scope_kind": "department", "department_id": t.department_id,
                           "period_start": "2026-01-01", "period_end": "2026-12-31"},
        "evidence.share": {"expires_on": (clock.today() + timedelta(days=30)).isoformat(),
                           "note": "Tổ chức chứng nhận"},
        "evidence.revoke": {},
        # The world's administrator oversees its organisation (_world).
        "evidence.subtree.build": {"organisation_id": t.organisation_id,
                                   "period_start": "2026-01-01", "period_end": "2026-12-31"},
        "evidence.verify": {"file": (io.BytesIO(pdf_bytes()), "bo-ho-so.pdf")},
        **risk_forms(t, row),
        **objective_forms(t),
        **installation_forms(t),
        "quality.measures.create": {"code": "KPI-NEW", **measure},
        "quality.measures.edit": {"code": "KPI-EDITED", "version": 1, **measure},
        "quality.measures.record": {"period": getattr(t, "free_period", ""), "value": "97"},
        # Major: the grade route above has just made "minor" raise no corrective action.
        "quality.measures.raise_corrective_action": {"grade": "major", "verifier_id": 0,
                                                     "problem": "Trễ hạn tháng này"},
        "quality.measures.import_values": {"file": (io.BytesIO(
            b"measure,period,value\nNOPE,2026-01,1\n"), "so-lieu.csv")},
        "quality.measures.confirm": {},
        "scope.create": {"kind": "procedure", "name": "Chứng thực bản sao từ bản chính",
                         "national_code": "2.000815", "department_id": t.department_id},
        "scope.edit": {"kind": "procedure", "name": "Đăng ký khai sinh", "in_scope": "y",
                       "version": 1},
        "scope.handling.import_months": {"file": (io.BytesIO(
            b"code,month,received,on_time,late\n1.001193,2026-01,1,1,0\n"), "motcua.csv")},
        "scope.announcements.draft": {"submit": "1"},
        "steering.create_member": {"name": "Trần Văn Bình", "committee_role": "member",
                                   "user_id": 0, "decision": "12/QĐ-UBND"},
        "steering.member": {"name": "Lê Thị Hoa", "committee_role": "deputy", "user_id": 0,
                            "version": getattr(t, "member_version", 0)},
        "steering.create_task": {"year": 2026, "title": "Đánh giá nội bộ lần 2",
                                 "owner_id": t.admin_id, "due_on": "2026-11-30"},
        "steering.task": {"year": 2026, "title": "Đánh giá nội bộ lần 1",
                          "owner_id": t.admin_id, "due_on": "2026-06-30",
                          "version": getattr(t, "task_version", 0)},
        "reports.annual.draft": {"year": 2100},
        "reports.annual.template": {"sections": "Phạm vi áp dụng | scope\nKiến nghị | text",
                                    "version": 0},
        "reports.annual.page": {"symbol": "BC-UBND", "signer_title": "CHỦ TỊCH",
                                "signer_id": getattr(t, "admin_id", 0),
                                **{f"paragraphs-{n}": "Nội dung"
                                   for n in range(len(ANNUAL_SECTIONS))},
                                "version": getattr(t, "annual_version", 0)},
        "reports.annual.sign": {"password": PASSWORD,
                                "version": getattr(t, "annual_version", 0)},
        "documents.external.create": {"department_id": t.department_id, "legal_kind": "law",
                                      "title_vi": "Luật Tổ chức chính quyền địa phương",
                                      "legal_status": "in_force"},
        "documents.external.page": {"legal_kind": "decree", "title_vi": "Nghị định mới",
                                    "legal_status": "amended",
                                    "version": getattr(t, "external_version", 0)},
        "scope.announcements.page": {"symbol": "QĐ-UBND", "issuer": "UBND HUYỆN THANH BÌNH",
                                     "place": "Thanh Bình", "articles": "Công bố.",
                                     "signer_title": "CHỦ TỊCH", "version": 2},
        # Version 2: the draft, then its signer named (tests/scope/helpers.py).
        "scope.announcements.sign": {"password": PASSWORD, "version": 2},
        "webhooks.create": hook,
        "webhooks.edit": {**hook, "name": "Cổng mới", "version": getattr(t, "webhook_version", 0)},
        "webhooks.deactivate": {},
        "webhooks.redeliver": {},
        "auth.sso_admin.mapping_index": {"group": "CN=TCKH-Heads,DC=example,DC=vn",
                                         "role": "department_head",
                                         "department_id": t.department_id},
        "auth.sso_admin.mapping_edit": {"group": "auditors", "role": "auditor",
                                        "department_id": "",
                                        "version": getattr(t, "rule_version", 0)},
        "auth.sso_admin.mapping_delete": {},
        "auth.second_factor.code": {"code": "123456"},
        "auth.second_factor.enrol": {"code": "123456"},
        "auth.second_factor.switch_off": {"password": PASSWORD},
    }


# Their change needs what no blank world holds (a password typed just before, a secret being
# enrolled and its app's code now): tests/auth/test_second_factor.py makes them go through.
NEEDS_A_STEP_BEFORE = frozenset({"auth.second_factor.code", "auth.second_factor.enrol"})
# Reading one's own notifications changes only that person's view, so it is not a trail
# event; the control test checks the notification was marked read instead.
UNAUDITED = frozenset({"notifications.open_notification", "notifications.mark_read",
                       "notifications.mark_all_read"})


def unread(app) -> int:
    """How many notifications nobody has read yet."""
    from compliance.core.extensions import db
    from compliance.notifications.models import Notification

    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(Notification)
                                 .where(Notification.read_at.is_(None)))


def _audit_ids(app, make, endpoint: str, department_id: int, admin) -> SimpleNamespace:
    """An audit (with the admin as its lead) only for the routes that need one."""
    if endpoint.split(".")[0] not in ("audits", "conduct", "questions", "grades"):
        return SimpleNamespace(clause_id=0, audit_version=0)
    return audit_target(app, make, department_id, AUDIT_STATE_FOR.get(endpoint, "in_progress"),
                        lead=admin, answered=endpoint == "audits.conduct.sign_report")


def _pack_ids(app, endpoint: str, department_id: int, admin) -> SimpleNamespace:
    """A ready pack with a share link only for the evidence routes."""
    if endpoint.split(".")[0] != "evidence":
        return SimpleNamespace()
    return pack_target(app, department_id, admin.id)


# Endpoints some target helper builds for in a way of their own (an inactive user, a reader
# due to acknowledge, a lead auditor's answered checklist).
_BUILT_APART = ("auth.users.reactivate", "documents.revisions.acknowledge",
                "audits.conduct.sign_report")


def _world_key(endpoint: str) -> tuple:
    """Endpoints with the same key get the same rows from the target helpers (their domain,
    the states they ask for); the quality helpers read whole endpoint names, so each quality
    endpoint is a kind of its own."""
    special = endpoint if endpoint in _BUILT_APART or endpoint.startswith("quality.") else None
    return (_world_kind(endpoint), special, STATE_FOR.get(endpoint),
            AUDIT_STATE_FOR.get(endpoint), CA_STATE_FOR.get(endpoint),
            CA_GRADE_FOR.get(endpoint))


def _world(app, make, endpoint: str) -> SimpleNamespace:
    """Fresh rows for one POST route: an admin, a department, a user, and what the route's URL
    and form name, in the state the route needs."""
    admin = make.user(roles=["admin"])
    dept = make.department()
    # Reactivating needs someone inactive; every other action works on an active user.
    user = make.user(email=f"target{dept.id}@example.com", departments=[(dept.id, "staff")],
                     active=endpoint != "auth.users.reactivate")
    t = SimpleNamespace(department_id=dept.id, process_id=make.process(dept.id).id,
                        user_id=user.id, user_email=user.email, admin_email=admin.email,
                        **vars(document_target(app, dept.id, user.id,
                                               STATE_FOR.get(endpoint, "effective"),
                                               readers=[admin.id] if endpoint ==
                                               "documents.revisions.acknowledge" else [],
                                               opened=[admin.id], holders=[admin.id])),
                        **vars(_audit_ids(app, make, endpoint, dept.id, admin)),
                        **vars(ca_ids(app, make, endpoint, dept.id)),
                        **vars(notification_target(app, endpoint, admin.id, user.id, "own")),
                        **vars(review_ids(app, make, endpoint)),
                        **vars(_pack_ids(app, endpoint, dept.id, admin)),
                        **vars(risk_target(app, make, endpoint, dept.id)),
                        **vars(objective_target(app, make, endpoint, dept.id)),
                        **vars(measure_ids(app, make, endpoint, dept.id, admin)),
                        **vars(organisation_target(app, endpoint, dept.id, fresh=True)),
                        **vars(scope_target(app, make, endpoint, dept.id, signer_id=admin.id)),
                        **vars(external_target(app, endpoint, dept.id, user.id)),
                        **vars(annual_target(app, make, endpoint, signer_id=admin.id)),
                        **vars(steering_target(app, make, endpoint)),
                        **vars(webhook_target(app, make, endpoint)),
                        **vars(sso_target(app, endpoint)))
    if endpoint.startswith("installation."):
        _administer_installation(app, admin.id)
    if endpoint == "auth.users.reset_second_factor":
        with_second_factor(app, user.id)
    if endpoint == "evidence.subtree.build":
        _oversee(app, admin.id, t.organisation_id)
    t.admin_id = admin.id
    t.token_id = _token_of(app, admin.id) if endpoint in ("auth.tokens.revoke",
                                                          "auth.service.revoke_token") else 0
    if endpoint == "auth.service.all_tokens":
        t.service_id = _service_account(app, admin.id)
    # The version a corrective action's page puts in its forms (contain, analyse, ...).
    t.ca_version = shown_version(app, t.ca_id)["version"] if hasattr(t, "ca_id") else 0
    with app.app_context():
        from compliance.auth.models import Membership
        from compliance.core.extensions import db

        t.membership_id = db.session.scalar(
            db.select(Membership.id).where(Membership.user_id == user.id))
    return t


def _token_of(app, user_id: int) -> int:
    """A live access token of the user's own (the revoke route's target)."""
    from compliance.auth import tokens
    from compliance.auth.models import User
    from compliance.core.extensions import db

    with app.app_context():
        token, _secret = tokens.create(db.session.get(User, user_id), "Cổng", "read")
        db.session.commit()
        return token.id


def _service_account(app, admin_id: int) -> int:
    """A service account of the administrator's organisation (a token page's target)."""
    from compliance.auth import service_accounts
    from compliance.auth.models import User
    from compliance.core.extensions import db

    with app.app_context():
        account = service_accounts.create(db.session.get(User, admin_id), "Cổng",
                                          f"service{admin_id}@example.com")
        db.session.commit()
        return account.id


def _administer_installation(app, user_id: int) -> None:
    """The world's administrator also administers the installation (its routes' worlds)."""
    from compliance.auth.models import User
    from compliance.core.extensions import db

    with app.app_context():
        db.session.execute(db.update(User).where(User.id == user_id)
                           .values(is_installation_admin=True))
        db.session.commit()


def _oversee(app, user_id: int, organisation_id: int) -> None:
    """The world's administrator oversees its organisation (a pack across organisations)."""
    from compliance.core.extensions import db
    from compliance.installation.models import OversightGrant

    with app.app_context():
        db.session.add(OversightGrant(user_id=user_id, organisation_id=organisation_id))
        db.session.commit()


def _post_routes(app, make, *, share_worlds: bool = False):
    """(endpoint, url, form, client) for every POST route, each on fresh rows and a fresh
    client; with `share_worlds` (for posts that must change nothing), routes whose helpers
    would build alike share rows and a signed-in client."""
    arguments = {rule.endpoint: rule.arguments for rule in app.url_map.iter_rules()}
    worlds: dict[tuple, tuple] = {}
    for endpoint, method in routes(app):
        if method != "POST":
            continue
        key = _world_key(endpoint) if share_worlds else None
        if key is None or key not in worlds:
            t = _world(app, make, endpoint)
            client = english(app.test_client())
            if endpoint != "auth.login":
                sign_in(client, t.admin_email)
            if key is not None and endpoint != "auth.login":
                worlds[key] = (t, client)
        else:
            t, client = worlds[key]
        with app.test_request_context():
            url = url_for(endpoint, **{a: getattr(t, a) for a in arguments[endpoint]})
        yield endpoint, url, _forms(t).get(endpoint), client


# Refused before any view runs (Flask-WTF checks the token first), the same on both
# databases; the control below, which does reach the views, runs on both.
@pytest.mark.one_database
def test_every_post_without_a_token_is_refused_and_changes_nothing(csrf_app):
    from tests.conftest import Maker

    for endpoint, url, form, client in _post_routes(csrf_app, Maker(csrf_app),
                                                    share_worlds=True):
        assert form is not None, f"no form for {endpoint} in _forms()"
        before = trail_length(csrf_app)
        response = client.post(url, data=form)
        assert response.status_code == 400, endpoint
        assert "The form expired" in response.get_data(as_text=True), endpoint
        assert trail_length(csrf_app) == before, endpoint


@pytest.mark.one_database
def test_the_same_posts_with_a_token_do_change_something(csrf_app):
    """The control for the test above, on the same database: its forms are not refused for
    some other reason. (Each of these actions runs on PostgreSQL in its own domain's tests;
    this walk cost some 25 s of PostgreSQL for no path of its own.)"""
    from tests.conftest import Maker

    for endpoint, url, form, client in _post_routes(csrf_app, Maker(csrf_app)):
        if endpoint in NEEDS_A_STEP_BEFORE:
            continue
        before, unread_before = trail_length(csrf_app), unread(csrf_app)
        response = client.post(url, data={**form, "csrf_token": csrf_token(client)})
        # The first administrator's temporary password is shown on the answer, not redirected.
        # So is a new access token's secret.
        # So is a new webhook's signing secret.
        expected = 201 if endpoint in ("installation.add_admin", "auth.tokens.index",
                                       "auth.service.all_tokens", "webhooks.create") else 302
        assert response.status_code == expected, (endpoint, response.get_data(as_text=True))
        if endpoint in UNAUDITED:
            assert unread(csrf_app) < unread_before, endpoint
        else:
            assert trail_length(csrf_app) > before, endpoint


def test_a_token_from_another_session_is_refused(csrf_app):
    from tests.conftest import Maker

    make = Maker(csrf_app)
    admin = make.user(roles=["admin"])
    victim, attacker = csrf_app.test_client(), csrf_app.test_client()
    sign_in(victim, admin.email)
    stolen = csrf_token(attacker)
    before = trail_length(csrf_app)
    response = victim.post("/departments/new", data={
        "code": "EVIL", "name_vi": "x", "name_en": "x", "parent_id": 0, "csrf_token": stolen})
    assert response.status_code == 400
    assert trail_length(csrf_app) == before


def _csp(response) -> dict[str, set[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: set(part.split()[1:])
            for part in policy.split(";") if part.strip()}


def _assert_secure_headers(response) -> None:
    csp = _csp(response)
    scripts = csp.get("script-src", csp.get("default-src"))
    assert scripts and "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert csp["frame-ancestors"] == {"'none'"}
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer",
                                                   "strict-origin-when-cross-origin"}


def test_pages_and_error_pages_carry_security_headers(client, as_role):
    for path in ("/login", "/nowhere", "/api/v1/nothing"):
        _assert_secure_headers(client.get(path))
    as_role("staff")
    for path in ("/", "/admin/users/"):
        response = client.get(path)
        _assert_secure_headers(response)
        assert response.headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_samesite_lax(client, make, login):
    user = make.user()
    response = login(client, user.email)
    cookies = [c for c in response.headers.getlist("Set-Cookie")
               if c.startswith("compliance_session=")]
    assert cookies
    for cookie in cookies:
        flags = {part.strip().lower() for part in cookie.split(";")}
        assert "httponly" in flags
        assert "samesite=lax" in flags


def test_error_pages_are_html_and_api_errors_are_json(client, as_role):
    english(client)
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and missing.mimetype == "text/html"
    assert "Error 404" in missing.get_data(as_text=True)
    for method in ("GET", "POST", "DELETE"):
        api = client.open("/api/v1/nothing", method=method)
        assert api.status_code == 404 and api.mimetype == "application/json"
        assert api.get_json()["error"]["status"] == 404
    wrong_method = client.get("/logout")
    assert wrong_method.status_code == 405 and wrong_method.mimetype == "text/html"
    as_role("staff")
    forbidden = client.get("/admin/users/")
    assert forbidden.status_code == 403 and forbidden.mimetype == "text/html"
    assert "Error 403" in forbidden.get_data(as_text=True)


def test_an_unexpected_error_shows_the_500_page_without_details(tmp_path):
    app = make_app("sqlite", tmp_path)

    def explode():
        raise RuntimeError("secret-internal-detail")

    app.add_url_rule("/boom", "boom", explode)
    app.add_url_rule("/api/v1/boom", "api_boom", explode)
    client = english(app.test_client())
    page = client.get("/boom")
    body = page.get_data(as_text=True)
    assert page.status_code == 500 and page.mimetype == "text/html"
    assert "Error 500" in body
    for leak in ("secret-internal-detail", "Traceback", "RuntimeError", "explode"):
        assert leak not in body
    api = client.get("/api/v1/boom")
    assert api.status_code == 500 and api.get_json()["error"]["status"] == 500
    assert "secret-internal-detail" not in api.get_data(as_text=True)


# The scan of every page of the matrix for inline script is in tests/test_permissions.py,
# beside the walk it reads (both read one walk per role, on one xdist worker: --dist loadfile).


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example",
    "/\t/evil.example", "javascript:alert(1)", "http:/evil.example",
])
def test_redirects_after_sign_in_and_language_switch_stay_on_the_site(client, make, target):
    user = make.user()
    switched = client.post("/language", data={"locale": "en", "next": target})
    signed_in = client.post("/login", query_string={"next": target},
                            data={"email": user.email, "password": PASSWORD})
    for response in (switched, signed_in):
        assert response.status_code == 302
        location = urlsplit(response.headers["Location"])
        # Browsers read a backslash as a slash; only a percent-encoded one is harmless.
        assert not location.scheme and not location.netloc, response.headers["Location"]
        assert location.path.startswith("/") and not location.path.startswith(("//", "/\\"))
