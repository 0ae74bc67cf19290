"""The question bank: shipped as package data, kept in the database, edited by coordinators."""

from __future__ import annotations

import csv
from importlib import resources

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.audits import rules
from compliance.audits.models import Question
from compliance.audits.services.common import check_version
from compliance.core import tenancy
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.org.clauses import EDITION
from compliance.org.models import Clause


def read_bank() -> list[dict[str, str]]:
    """Rows of the packaged question bank (clause, text_vi, text_en)."""
    data = resources.files("compliance.audits").joinpath("data/questions.csv")
    with data.open("r", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_bank(organisation_id: int | None = None) -> int:
    """Give an organisation (the acting one by default) the packaged questions for the
    clauses it has none for yet; returns how many."""
    organisation_id = organisation_id or tenancy.acting_organisation_id()
    clauses = {c.number: c.id for c in db.session.scalars(
        select(Clause).where(Clause.edition == EDITION))}
    has_questions = set(db.session.scalars(select(Question.clause_id).where(
        Question.organisation_id == organisation_id).distinct()))
    added = 0
    for position, row in enumerate(read_bank()):
        clause_id = clauses.get(row["clause"])
        if clause_id is None or clause_id in has_questions:
            continue
        db.session.add(Question(organisation_id=organisation_id, clause_id=clause_id,
                                text_vi=row["text_vi"],
                                text_en=row["text_en"], position=position))
        added += 1
    db.session.flush()
    return added


def get_question(question_id: int) -> Question:
    """A question of the bank, or NotFound."""
    question = db.session.get(Question, question_id)
    if question is None:
        raise NotFound(_("No such question."))
    return question


def bank() -> list[Question]:
    """Every question of the acting organisation's bank, by clause."""
    return list(db.session.scalars(
        select(Question).join(Clause, Clause.id == Question.clause_id)
        .where(Question.organisation_id == tenancy.acting_organisation_id())
        .order_by(Clause.sort_key, Question.position, Question.id)))


def save_question(actor, question: Question | None, *, clause_id: int, text_vi: str,
                  text_en: str, active: bool, expected_version: int | None = None) -> Question:
    """Add a question or change one (a change needs the version the editor was shown)."""
    rules.ensure(rules.may_manage_questions(actor))
    if question is not None:
        check_version(question, expected_version)
    if db.session.get(Clause, clause_id) is None:
        raise NotFound(_("Unknown ISO clause."))
    if not text_vi.strip() or not text_en.strip():
        raise DomainError(_("Write the question in both languages."),
                          field="text_vi" if not text_vi.strip() else "text_en")
    before = None
    if question is None:
        question = Question(clause_id=clause_id, text_vi="", text_en="", position=10_000)
        db.session.add(question)
    else:
        before = {"clause_id": question.clause_id, "text_vi": question.text_vi,
                  "text_en": question.text_en, "active": question.active}
    question.clause_id, question.active = clause_id, active
    question.text_vi, question.text_en = text_vi.strip(), text_en.strip()
    db.session.flush()
    record(actor, "question.save", "audit_question", question.id, before=before,
           after={"clause_id": clause_id, "text_vi": question.text_vi,
                  "text_en": question.text_en, "active": active})
    return question
