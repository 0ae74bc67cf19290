"""Announcements of conformity (QĐ 19/2014/QĐ-TTg, Điều 4): the coordinator drafts the
decision from the scope, names who signs it (the head of the agency); that person signs with
their password again (auth.reauth, as every signature) and the decision is issued: numbered,
dated, its annex frozen, its PDF in the state's format stored.

The PDF is rendered in the signing request's transaction: it needs the number the counter
hands out, and a decision is a page or two (a render of well under a second)."""

from __future__ import annotations

import io
import json
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from compliance.audit_trail.services import record
from compliance.auth import reauth
from compliance.auth.models import User
from compliance.core import counters, tenancy
from compliance.core.db import utcnow
from compliance.core.errors import DomainError, NotFound, PermissionDenied
from compliance.core.extensions import db
from compliance.core.pdf.state_format import place_from
from compliance.core.storage import get_store
from compliance.org.models import Organisation
from compliance.scope import rules, services
from compliance.scope.models import Announcement, ScopeEntry
from compliance.scope.pdf import render_announcement

LEGAL_BASES = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
    "Căn cứ Quyết định số 19/2014/QĐ-TTg ngày 05 tháng 3 năm 2014 của Thủ tướng Chính phủ về "
    "việc áp dụng Hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN ISO 9001 vào hoạt "
    "động của các cơ quan, tổ chức thuộc hệ thống hành chính nhà nước",
    "Căn cứ Quyết định số 101/QĐ-BKHCN ngày 21 tháng 01 năm 2019 của Bộ trưởng Bộ Khoa học và "
    "Công nghệ công bố mô hình khung hệ thống quản lý chất lượng theo Tiêu chuẩn quốc gia TCVN "
    "ISO 9001:2015",
)
ARTICLES = (
    "Công bố Hệ thống quản lý chất lượng của {issuer} phù hợp Tiêu chuẩn quốc gia TCVN ISO "
    "9001:2015 đối với các thủ tục hành chính và quy trình nội bộ tại Phụ lục kèm theo Quyết "
    "định này.",
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Chánh Văn phòng, Thủ trưởng các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành "
    "Quyết định này.",
)
RECIPIENTS = ("Sở Khoa học và Công nghệ", "Như Điều 3", "Lưu: VT")
COUNTER = "scope-announcement-{year}"


def get_announcement(user, announcement_id: int) -> Announcement:
    """An announcement of the user's organisation, or NotFound."""
    found = db.session.scalar(rules.visible_announcements(
        user, select(Announcement).where(Announcement.id == announcement_id)))
    if found is None:
        raise NotFound(_("No such announcement."))
    return found


def _lines(value: str) -> str:
    return "\n".join(line.strip() for line in (value or "").splitlines() if line.strip())


def draft(actor) -> Announcement:
    """A new draft decision, its header, bases, articles and recipients filled from the
    organisation and the decree's usual text."""
    rules.ensure_manage(actor)
    return draft_for(actor, tenancy.organisation_of(actor))


def draft_for(actor, organisation_id: int) -> Announcement:
    """The draft decision of an organisation; the actor is None when the scheduler drafts
    it (the scope changed after the last announcement, and no draft waits)."""
    organisation = db.session.get(Organisation, organisation_id)
    issuer = organisation.name_vi.upper()
    row = Announcement(
        issuer=issuer, superior=organisation.parent.name_vi.upper()
        if organisation.parent else "", place=place_from(organisation.name_vi),
        legal_bases="\n".join(LEGAL_BASES),
        articles="\n".join(a.format(issuer=organisation.name_vi) for a in ARTICLES),
        recipients="\n".join(RECIPIENTS))
    db.session.add(row)
    db.session.flush()
    record(actor, "scope_announcement.create", "scope_announcement", row.id,
           after=row.snapshot(), actor_label=None if actor else "scheduler")
    return row


def edit(actor, row: Announcement, expected_version: int | None, *, signer_id: int | None,
         **texts: str) -> Announcement:
    """Change a draft: header, bases, articles, recipients, and who signs it."""
    rules.ensure_manage(actor)
    if row.state != "draft":
        raise DomainError(_("An issued decision is not changed; draft a new one."), status=409)
    services.check_current(row, expected_version)
    if signer_id and db.session.scalar(tenancy.in_organisation(
            actor, select(User.id).where(User.id == signer_id, User.active), User)) is None:
        raise DomainError(_("Choose among the listed entries."), field="signer_id")
    before = row.snapshot()
    for name in ("symbol", "issuer", "superior", "place", "signer_title"):
        setattr(row, name, (texts[name] or "").strip()[:200])
    for name in ("legal_bases", "articles", "recipients"):
        setattr(row, name, _lines(texts[name]))
    row.signer_id = signer_id or None
    db.session.flush()
    record(actor, "scope_announcement.edit", "scope_announcement", row.id, before=before,
           after=row.snapshot())
    return row


def annex_rows(user) -> list[dict]:
    """The procedures and processes in scope now, as the annex lists them."""
    entries = db.session.scalars(rules.visible_entries(user, select(ScopeEntry).where(
        ScopeEntry.in_scope)).order_by(ScopeEntry.kind, ScopeEntry.field, ScopeEntry.name))
    return [{"kind": e.kind, "name": e.name, "code": e.national_code, "field": e.field,
             "department": e.department.name_vi if e.department else "",
             "time_limit_days": e.time_limit_days} for e in entries]


def ensure_signer(actor, row: Announcement) -> None:
    """Refuse unless the decision is a draft and the actor is the person named to sign it."""
    if row.signer_id is None or getattr(actor, "id", None) != row.signer_id:
        raise PermissionDenied(_("Only the person named to sign this decision signs it."))
    if row.state != "draft":
        raise DomainError(_("This decision is issued already."), status=409)


def sign(actor, row: Announcement, expected_version: int | None, *, credential: str | None,
         today: date) -> Announcement:
    """The named signer signs (password again): the decision is numbered, dated, its annex
    frozen and its PDF stored; it is then the announcement in force."""
    ensure_signer(actor, row)
    services.check_current(row, expected_version)
    proof = reauth.verify(actor, credential, attempt=reauth.Attempt(
        "scope_announcement.sign", "scope_announcement", row.id))
    annex = annex_rows(actor)
    if not annex:
        raise DomainError(_("Nothing is in the scope: add the procedures first."), status=409)
    before = row.snapshot()
    row.number = counters.next_value(COUNTER.format(year=today.year), row.organisation_id)
    row.issued_on, row.signed_at, row.signature_method = today, utcnow(), proof.method
    row.annex = json.dumps(annex, ensure_ascii=False)
    row.state = "issued"
    pdf = render_announcement(row, actor.name, proof=proof.record)
    row.pdf_sha256 = get_store().put(io.BytesIO(pdf)).sha256
    db.session.flush()
    record(actor, "scope_announcement.sign", "scope_announcement", row.id, before=before,
           after={**row.snapshot(), "signer": actor.name, **proof.record})
    return row


def latest_issued(user) -> Announcement | None:
    """The announcement in force: the last one issued."""
    return db.session.scalars(rules.visible_announcements(user, select(Announcement).where(
        Announcement.state == "issued")).order_by(Announcement.signed_at.desc())).first()


def new_announcement_due(user) -> bool:
    """Whether the scope changed after the last announcement (or none was made yet while
    something is in scope): QĐ 19/2014, Điều 4.3, asks for a new one."""
    changed = db.session.scalar(rules.visible_entries(
        user, select(func.max(ScopeEntry.updated_at))))
    if changed is None:
        return False
    last = latest_issued(user)
    return last is None or changed > last.signed_at
