"""The demo organisation: Thanh Bình district People's Committee (invented people), and two
of its communes as organisations of their own (demo_communes)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from compliance import demo_communes, demo_content, demo_quality, demo_state
from compliance.audits.services import grades, questions
from compliance.auth import services as users
from compliance.auth.models import Membership, User
from compliance.core import clock
from compliance.core.extensions import db
from compliance.installation.models import OversightGrant
from compliance.org import clauses, organisations
from compliance.org import services as org

DEMO_PASSWORD = "ThanhBinh-demo-2026"  # noqa: S105 - published demo credential
DEMO_DOMAIN = "thanhbinh.example"
CERTIFICATION_BODY = "Trung tâm Chứng nhận Mẫu (demo)"

DEPARTMENTS = [
    ("VP", "Văn phòng HĐND và UBND huyện", "Office of the People's Council and Committee"),
    ("NV", "Phòng Nội vụ", "Home Affairs Office"),
    ("TP", "Phòng Tư pháp", "Justice Office"),
    ("TCKH", "Phòng Tài chính - Kế hoạch", "Finance and Planning Office"),
    ("TNMT", "Phòng Tài nguyên và Môi trường", "Natural Resources and Environment Office"),
    ("KTHT", "Phòng Kinh tế và Hạ tầng", "Economy and Infrastructure Office"),
    ("LDTBXH", "Phòng Lao động - Thương binh và Xã hội",
     "Labour, Invalids and Social Affairs Office"),
    ("VHTT", "Phòng Văn hóa và Thông tin", "Culture and Information Office"),
    ("TTTB", "Thị trấn Thanh Bình", "Thanh Bình Town"),
]

# (key, e-mail local part, name, locale, global roles, memberships as (department, role))
PEOPLE = [
    ("admin", "admin", "Đỗ Quang Vinh", "en", ("admin",), ()),
    ("coordinator", "thu.tran", "Trần Minh Thư", "vi", ("coordinator",), (("VP", "staff"),)),
    ("department_head", "phuc.le", "Lê Văn Phúc", "vi", (), (("TCKH", "department_head"),)),
    ("auditor", "nhung.pham", "Phạm Hồng Nhung", "vi", ("auditor",), (("NV", "staff"),)),
    ("staff", "long.nguyen", "Nguyễn Hoàng Long", "vi", (), (("TCKH", "staff"),)),
    (None, "hanh.vo", "Võ Thị Hạnh", "vi", (), (("VP", "department_head"),)),
    (None, "tuan.bui", "Bùi Anh Tuấn", "vi", (), (("NV", "department_head"),)),
    (None, "lan.dang", "Đặng Ngọc Lan", "vi", (), (("TP", "department_head"),)),
    (None, "khoa.huynh", "Huỳnh Minh Khoa", "vi", (), (("TNMT", "department_head"),)),
    (None, "mai.ngo", "Ngô Thanh Mai", "vi", (), (("TTTB", "department_head"),)),
]

# The processes above that are administrative procedures, with their legal time limits (days).
TIME_LIMITS = {"P-TCKH-02": 3, "P-TP-01": 1, "P-TNMT-01": 30}

PROCESSES = [
    ("P-VP-01", "VP", "Tiếp nhận và trả kết quả hồ sơ một cửa",
     "One-stop-shop intake and return of results", "Hồ sơ của công dân", "Phiếu hẹn, kết quả"),
    ("P-TCKH-01", "TCKH", "Thẩm định dự toán ngân sách", "Budget estimate appraisal",
     "Dự toán của đơn vị", "Báo cáo thẩm định"),
    ("P-TCKH-02", "TCKH", "Cấp giấy chứng nhận đăng ký hộ kinh doanh",
     "Household business registration", "Hồ sơ đăng ký", "Giấy chứng nhận"),
    ("P-TP-01", "TP", "Chứng thực bản sao từ bản chính", "Certified copies of originals",
     "Bản chính, bản sao", "Bản sao chứng thực"),
    ("P-NV-01", "NV", "Tuyển dụng công chức", "Recruitment of civil servants",
     "Chỉ tiêu biên chế", "Quyết định tuyển dụng"),
    ("P-TNMT-01", "TNMT", "Cấp giấy chứng nhận quyền sử dụng đất", "Land use right certificates",
     "Hồ sơ đất đai", "Giấy chứng nhận"),
]


def email_of(local_part: str) -> str:
    """Demo e-mail address."""
    return f"{local_part}@{DEMO_DOMAIN}"


def seed(*, communes: bool = True) -> bool:
    """Load the demo organisation (and, unless told not to, its two communes) unless any user
    exists; True when it was loaded.

    Runs inside the caller's unit of work (the CLI's `with unit_of_work()`): it only flushes,
    and the dates follow the organisation's today from `core.clock`."""
    today = clock.today()
    district = organisations.load_default()
    clauses.load()
    grades.load_defaults()
    questions.load_bank()
    if db.session.scalar(select(User.id).limit(1)) is not None:
        return False
    depts = {code: org.create_department(None, code, vi, en, check=False,
                                         **_certificate(index, code, today))
             for index, (code, vi, en) in enumerate(DEPARTMENTS)}
    people = {}
    for _key, local, name, locale, roles, memberships in PEOPLE:
        user = users.create_user(None, email_of(local), name, DEMO_PASSWORD, locale, roles,
                                 check=False)
        for code, role in memberships:
            users.add_membership(None, user, depts[code].id, role, check=False)
        people[local] = user
    # The demo's administrator also administers the installation; its coordinator oversees
    # the district and the organisations below it.
    people["admin"].is_installation_admin = True
    db.session.add(OversightGrant(user_id=people["thu.tran"].id,
                                  organisation_id=organisations.default_organisation_id()))
    for code, dept, vi, en, inputs, outputs in PROCESSES:
        org.create_process(None, code=code, name_vi=vi, name_en=en,
                           department_id=depts[dept].id, owner_id=_head_id(depts[dept].id),
                           inputs=inputs, outputs=outputs, check=False,
                           **_kind(code))
    demo_content.load(people, depts, DEMO_PASSWORD, today)
    demo_quality.load(people["thu.tran"], depts, today)
    demo_state.load(people, depts, today)
    if communes:
        demo_communes.load(district, DEMO_PASSWORD, today)
    return True


def _kind(code: str) -> dict:
    if code not in TIME_LIMITS:
        return {}
    return {"kind": "administrative", "time_limit_days": TIME_LIMITS[code]}


def _certificate(index: int, code: str, today) -> dict:
    """Invented certificates; one falls due within 90 days so its reminder shows at once."""
    days = 60 if code == "TCKH" else 200 + 45 * index
    return {"certificate_number": f"QMS-TB-{2024 + index % 2}-{index + 1:03d}",
            "certification_body": CERTIFICATION_BODY,
            "certificate_expires_on": today + timedelta(days=days)}


def _head_id(department_id: int) -> int | None:
    return db.session.scalar(select(Membership.user_id).where(
        Membership.department_id == department_id, Membership.role == "department_head"))


def logins_text() -> str:
    """The demo sign-ins, one per role, for the console."""
    lines = ["Demo logins (password for all: " + DEMO_PASSWORD + "):"]
    for key, local, name, _locale, _roles, memberships in PEOPLE:
        if key:
            where = f" ({memberships[0][0]})" if memberships else ""
            lines.append(f"  {key:<16} {email_of(local):<32} {name}{where}")
    lines.append("Communes (their own organisations, same password):")
    lines.extend(demo_communes.logins_lines())
    return "\n".join(lines)
