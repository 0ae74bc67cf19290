"""Reads for the register (filters, sort, keyset pages), reviews due and reading coverage."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from flask_babel import format_number
from sqlalchemy import and_, false, func, or_, select, tuple_
from sqlalchemy.orm import aliased, contains_eager, selectinload

from compliance.auth.models import Membership, User
from compliance.core import tenancy
from compliance.core.collation import sorted_pairs, sorted_people
from compliance.core.extensions import db
from compliance.documents import rules, search
from compliance.documents.models import (
    Acknowledgement,
    Document,
    DownloadLog,
    PeriodicReview,
    Revision,
    document_clause,
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
    # The rule names the reader's organisation (tenancy.in_organisation) and the register
    # joins only rows reached from those documents: the backstop's second, differently bound
    # condition would make PostgreSQL expect 25 rows of 5,000 and sort them all.
    query = tenancy.names_organisation(rules.visible_documents(user, select(Document)),
                                       tenancy.organisation_of(user))
    for column, value in ((Document.department_id, f.department_id),
                          (Document.doc_type, f.doc_type), (Document.status, f.status),
                          (Document.owner_id, f.owner_id)):
        if value:
            query = query.where(column == value)
    if f.clause_id:
        query = query.where(Document.id.in_(select(document_clause.c.document_id).where(
            document_clause.c.clause_id == f.clause_id)))
    if f.review_before:
        query = query.where(Document.next_review_date <= f.review_before)
    if f.q:
        ids = search.matching_ids(f.q)
        # A search with no words matches nothing: listing everything would answer a question
        # that was not asked.
        query = query.where(false() if ids is None else Document.id.in_(ids))
    return query


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


@cache
def _effective_revision():
    # One alias for every page: building it copies Revision's columns, a third of the
    # register's own CPU when made per request.
    return aliased(Revision)


def register_page(user, f: RegisterFilter, cursor: str | None = None, *,
                  limit: int = PAGE_SIZE, counted: bool = True) -> Page:
    """A page of the register, sorted and paged by keyset (fast however deep); `limit` rows
    (the API's ?limit=), counted for the page's "N documents" unless `counted` is false."""
    sort = f.sort if f.sort in SORTS else "code"
    key = SORTS[sort]()
    query = _filtered(user, f)
    after = _decode_cursor(cursor, sort)
    if after is not None:
        # A row-value comparison lets the (status, code, id) index answer deep pages directly.
        row, seen = tuple_(key, Document.id), tuple_(after[0], after[1])
        query = query.where(row < seen if f.descending else row > seen)
    effective = _effective_revision()
    order = (key.desc(), Document.id.desc()) if f.descending else (key, Document.id)
    # Plain rows, not ORM objects: a list page reads ten columns and builds nothing else.
    query = (query.outerjoin(effective, and_(effective.document_id == Document.id,
                                             effective.status == "effective"))
             .join(Department, Department.id == Document.department_id)
             .with_only_columns(Document.id, Document.code, Document.doc_type,
                                Document.title_vi, Document.title_en, Document.status,
                                Document.next_review_date, Document.updated_at,
                                Department.code.label("department_code"),
                                effective.label.label("label"),
                                effective.effective_date.label("effective_date"))
             .order_by(*order).limit(limit + 1))
    rows = db.session.execute(query).all()
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows:
        last = rows[-1]
        value = {"code": last.code, "title": last.title_vi, "updated": last.updated_at,
                 "review": last.next_review_date or FAR_FUTURE,
                 "department": last.department_code, "status": last.status}[sort]
        next_cursor = encode_cursor(value, last.id)
    return Page(rows, next_cursor, count_label(user, f) if counted else "")


def count_label(user, f: RegisterFilter) -> str:
    """How many documents match, counted no further than the cap."""
    capped = _filtered(user, f).with_only_columns(Document.id).limit(COUNT_CAP + 1).subquery()
    # The mark does not pass from the subquery to the count around it: said again.
    total = db.session.scalar(tenancy.names_organisation(
        select(func.count()).select_from(capped), tenancy.organisation_of(user))) or 0
    # Grouped the reader's way: 1,000 in English, 1.000 in Vietnamese.
    return f"{format_number(COUNT_CAP)}+" if total > COUNT_CAP else format_number(total)


def export_rows(user, f: RegisterFilter):
    """Every matching document for export, in register order, streamed in batches."""
    sort = f.sort if f.sort in SORTS else "code"
    order = (SORTS[sort]().desc(), Document.id.desc()) if f.descending else \
        (SORTS[sort](), Document.id)
    query = (_filtered(user, f).join(Department, Department.id == Document.department_id)
             .order_by(*order)
             .options(selectinload(Document.clauses))
             .execution_options(yield_per=500))
    return db.session.scalars(query)


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
    query = (_filtered(user, RegisterFilter(status="effective"))
             .where(Document.next_review_date <= today + timedelta(days=within_days))
             .add_columns(review_overdue(today).label("overdue"))
             .order_by(Document.next_review_date, Document.id))
    return [(document, bool(overdue)) for document, overdue in db.session.execute(query)]


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
