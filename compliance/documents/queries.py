"""Reads for the register (filters, sort, keyset pages), reviews due and reading coverage."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import format_number
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from compliance.auth.models import Membership, User
from compliance.core import tenancy
from compliance.core.collation import sorted_pairs, sorted_people
from compliance.core.extensions import db
from compliance.documents import register_statements as statements
from compliance.documents import rules, search
from compliance.documents.models import (
    Acknowledgement,
    Document,
    DownloadLog,
    PeriodicReview,
    Revision,
)
from compliance.org.models import Clause, Department

PAGE_SIZE = 50
COUNT_CAP = 1000
FAR_FUTURE = date(9999, 12, 31)
SORTS = {
    "code": lambda: Document.code,
    "title": lambda: Document.title_vi,
    "review": lambda: func.coalesce(Document.next_review_date, FAR_FUTURE),
    "updated": lambda: Document.updated_at,
    "department": lambda: Department.code,
    "status": lambda: Document.status,
}


@dataclass
class RegisterFilter:
    """What the register is narrowed to."""

    department_id: int | None = None
    doc_type: str | None = None
    status: str | None = None
    clause_id: int | None = None
    owner_id: int | None = None
    review_before: date | None = None
    q: str | None = None
    sort: str = "code"
    descending: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def q_has_no_words(self) -> bool:
        """A search was typed, but only punctuation or symbols (`%%%`, `"`, `-`)."""
        return bool(self.q) and not search.words(self.q)


@dataclass
class Page:
    """One page of the register."""

    rows: list
    next_cursor: str | None
    count_label: str


def _filtered(user, f: RegisterFilter):
    """The documents the user may see that the filter keeps, and the values to run it with."""
    ids = search.matching_ids(f.q) if f.q else None
    key = statements.shape(user, f, ids)
    return statements.filtered(user, key, ids), statements.values(f, ids)


def encode_cursor(value, row_id: int) -> str:
    """An opaque token for 'after this row'."""
    raw = json.dumps([value.isoformat() if hasattr(value, "isoformat") else value, row_id])
    return base64.urlsafe_b64encode(raw.encode()).decode()


def _decode_cursor(cursor: str | None, sort: str):
    if not cursor:
        return None
    try:
        value, row_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if sort == "review":
            value = date.fromisoformat(value)
        elif sort == "updated":
            value = datetime.fromisoformat(value)
        return value, int(row_id)
    except (ValueError, TypeError):
        return None


def register_page(user, f: RegisterFilter, cursor: str | None = None, *,
                  limit: int = PAGE_SIZE, counted: bool = True) -> Page:
    """A page of the register, sorted and paged by keyset (fast however deep); `limit` rows
    (the API's ?limit=), counted for the page's "N documents" unless `counted` is false."""
    sort = f.sort if f.sort in SORTS else "code"
    ids = search.matching_ids(f.q) if f.q else None
    key = statements.shape(user, f, ids)
    after = _decode_cursor(cursor, sort)
    query = statements.kept(("page", key, sort, f.descending, after is not None, limit),
                            lambda: statements.page_statement(
                                user, key, ids, SORTS[sort](), f.descending,
                                after is not None, limit))
    bound = statements.values(f, ids)
    if after is not None:
        bound.update(after_value=after[0], after_id=after[1])
    rows = db.session.execute(query, bound).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        value = {"code": last.code, "title": last.title_vi, "updated": last.updated_at,
                 "review": last.next_review_date or FAR_FUTURE,
                 "department": last.department_code, "status": last.status}[sort]
        next_cursor = encode_cursor(value, last.id)
    return Page(rows, next_cursor, count_label(user, f, ids, key) if counted else "")


def count_label(user, f: RegisterFilter, ids=None, key: tuple | None = None) -> str:
    """How many documents match, counted no further than the cap."""
    if key is None:
        ids = search.matching_ids(f.q) if f.q else None
        key = statements.shape(user, f, ids)
    query = statements.kept(("count", key),
                            lambda: statements.count_statement(user, key, ids, COUNT_CAP))
    total = db.session.scalar(query, statements.values(f, ids)) or 0
    # Grouped the reader's way: 1,000 in English, 1.000 in Vietnamese.
    return f"{format_number(COUNT_CAP)}+" if total > COUNT_CAP else format_number(total)


def export_rows(user, f: RegisterFilter):
    """Every matching document for export, in register order, streamed in batches."""
    sort = f.sort if f.sort in SORTS else "code"
    order = (SORTS[sort]().desc(), Document.id.desc()) if f.descending else \
        (SORTS[sort](), Document.id)
    query, bound = _filtered(user, f)
    query = (query.join(Department, Department.id == Document.department_id)
             .order_by(*order)
             .options(selectinload(Document.clauses))
             .execution_options(yield_per=500))
    return db.session.scalars(query, bound)


def review_overdue(on: date):
    """The one test of an overdue periodic review: the document is in force and its next
    review date is before `on`. My work, the alerts, the reviews page, the coordinators'
    totals, the six-monthly report and the management-review input pack all ask this."""
    return and_(Document.status == "effective", Document.next_review_date < on)


def reviews_overdue(on: date, department_id: int | None = None) -> list[Document]:
    """Documents whose periodic review is overdue on `on`, the longest overdue first."""
    query = (select(Document).where(review_overdue(on))
             .order_by(Document.next_review_date, Document.code, Document.id))
    if department_id is not None:
        query = query.where(Document.department_id == department_id)
    return list(db.session.scalars(query))


def reviews_due(user, today: date, within_days: int = 30) -> list:
    """(document, overdue) for effective documents whose review date falls before today + N
    days, oldest first."""
    query, bound = _filtered(user, RegisterFilter(status="effective"))
    query = (query.where(Document.next_review_date <= today + timedelta(days=within_days))
             .add_columns(review_overdue(today).label("overdue"))
             .order_by(Document.next_review_date, Document.id))
    return [(document, bool(overdue)) for document, overdue in db.session.execute(query, bound)]


def coverage(department_id: int):
    """People × documents in force for a department: who has acknowledged what."""
    people = sorted_people(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.department_id == department_id, User.is_person())
        .distinct()))
    revisions = list(db.session.scalars(
        select(Revision).join(Document, Document.id == Revision.document_id)
        .options(contains_eager(Revision.document))
        .where(Revision.status == "effective",
               or_(Document.department_id == department_id,
                   Document.id.in_(rules.read_by({department_id}))))
        .order_by(Document.code)))
    acks = db.session.execute(
        select(Acknowledgement.revision_id, Acknowledgement.user_id,
               Acknowledgement.acknowledged_at)
        .where(Acknowledgement.revision_id.in_([r.id for r in revisions] or [-1]))).all()
    cells = {(a.revision_id, a.user_id): a.acknowledged_at for a in acks}
    return people, revisions, cells


def pending_for(user) -> list[Acknowledgement]:
    """What the user still has to read, oldest request first."""
    return list(db.session.scalars(
        select(Acknowledgement).join(Revision, Revision.id == Acknowledgement.revision_id)
        .where(Acknowledgement.user_id == user.id, Acknowledgement.acknowledged_at.is_(None),
               Revision.status == "effective")
        .order_by(Acknowledgement.requested_at)))


def reviews_of(document: Document) -> list[PeriodicReview]:
    """The document's periodic reviews, newest first."""
    return list(db.session.scalars(select(PeriodicReview).where(
        PeriodicReview.document_id == document.id)
        .order_by(PeriodicReview.reviewed_at.desc())))


def copies_issued(document: Document, limit: int = 100) -> list[DownloadLog]:
    """The latest copies handed out of any revision of the document."""
    return list(db.session.scalars(
        select(DownloadLog).join(Revision, Revision.id == DownloadLog.revision_id)
        .where(Revision.document_id == document.id)
        .order_by(DownloadLog.downloaded_at.desc()).limit(limit)))


def department_codes():
    """(id, code) of active departments, for filter lists."""
    return db.session.execute(select(Department.id, Department.code)
                              .where(Department.active.is_(True))
                              .order_by(Department.code)).all()


def clause_numbers():
    """(id, number) of the clause catalogue in reading order, for filter lists."""
    return db.session.execute(select(Clause.id, Clause.number).order_by(Clause.sort_key)).all()


def owner_choices():
    """(id, name) of the people who own at least one document, for the owner filter."""
    # EXISTS probes the owner index once per person instead of scanning every document.
    owns = select(Document.id).where(Document.owner_id == User.id).exists()
    return sorted_pairs(db.session.execute(select(User.id, User.name).where(owns)).all(),
                        person=True)


# For the alert jobs: plain rows from a range of the (status, next_review_date) index, so a
# sweep costs what the due documents cost, not what the register holds.

def _review_columns(today: date):
    return select(Document.id, Document.code, Document.title_vi, Document.title_en,
                  Document.owner_id, Document.department_id, Document.next_review_date,
                  review_overdue(today).label("overdue"))


def reviews_due_by(today: date, last: date):
    """Effective documents whose review falls on or before `last`, overdue ones included
    (their `overdue` says so, as review_overdue decides)."""
    # One range of the index, from the oldest overdue review to the end of the alert window:
    # a single round trip whether or not anything is due.
    # Plain rows through the session's connection: the ORM layer would add a third to the
    # cost of a thousand rows and gives nothing here.
    stmt = _review_columns(today).where(Document.status == "effective",
                                        Document.next_review_date <= last)
    # A Core execution passes under the tenancy backstop (an ORM hook): the sweep of one
    # organisation must name it itself, or it lists every organisation's documents.
    organisation_id = tenancy.current_organisation_id()
    if organisation_id is not None:
        stmt = stmt.where(Document.organisation_id == organisation_id)
    return db.session.connection().execute(
        stmt.order_by(Document.next_review_date, Document.id)).all()


def outstanding_acknowledgements(requested_before):
    """Unconfirmed reading requests older than a time, for revisions still in force."""
    return db.session.execute(
        select(Acknowledgement.id, Acknowledgement.user_id, Acknowledgement.requested_at,
               Revision.label, Document.id.label("document_id"), Document.code,
               Document.title_vi, Document.title_en)
        .join(Revision, Revision.id == Acknowledgement.revision_id)
        .join(Document, Document.id == Revision.document_id)
        .where(Acknowledgement.acknowledged_at.is_(None),
               Acknowledgement.requested_at <= requested_before,
               Revision.status == "effective")
        .order_by(Acknowledgement.requested_at, Acknowledgement.id)).all()


# For the periodic reports (compliance.reports): the register as it stood on a given morning.

def in_force_at(as_of: date, as_of_instant, department_id: int | None = None) -> list:
    """(document, revision) pairs whose revision was in force on the morning of as_of."""
    query = (select(Document, Revision).join(Revision, Revision.document_id == Document.id)
             .where(Revision.status.in_(("effective", "superseded")),
                    Revision.effective_date < as_of,
                    or_(Revision.superseded_at.is_(None), Revision.superseded_at >= as_of_instant))
             .order_by(Document.code, Revision.number.desc()))
    if department_id is not None:
        query = query.where(Document.department_id == department_id)
    seen, pairs = set(), []
    for document, revision in db.session.execute(query).all():
        if document.id not in seen:
            seen.add(document.id)
            pairs.append((document, revision))
    return pairs


def reviews_between(start_instant, end_instant, department_id: int | None = None) -> list:
    """(review, document) for periodic reviews recorded in [start, end), oldest first."""
    query = (select(PeriodicReview, Document)
             .join(Document, Document.id == PeriodicReview.document_id)
             .where(PeriodicReview.reviewed_at >= start_instant,
                    PeriodicReview.reviewed_at < end_instant)
             .order_by(PeriodicReview.reviewed_at, PeriodicReview.id))
    if department_id is not None:
        query = query.where(Document.department_id == department_id)
    return [tuple(row) for row in db.session.execute(query).all()]
