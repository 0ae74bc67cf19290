"""The ISO 9001:2015 clause catalogue shipped as package data."""

from __future__ import annotations

import csv
import io
from importlib import resources

from sqlalchemy import select

from compliance.core.extensions import db
from compliance.org.labels import EDITION
from compliance.org.models import Clause

__all__ = ["EDITION", "all_clauses", "load", "read_catalogue", "sort_key"]


def sort_key(number: str) -> str:
    """Zero-padded key so that 10.2 sorts after 9.3."""
    return ".".join(part.zfill(3) for part in number.split("."))


def read_catalogue() -> list[dict[str, str]]:
    """Rows of the packaged CSV."""
    text = resources.files("compliance.org").joinpath("data/iso9001_2015_clauses.csv")
    with text.open("r", encoding="utf-8") as handle:
        return list(csv.DictReader(io.StringIO(handle.read())))


def load(edition: str = EDITION) -> int:
    """Insert or refresh the catalogue; returns how many clauses were added."""
    existing = {c.number: c for c in db.session.scalars(
        select(Clause).where(Clause.edition == edition))}
    added = 0
    for row in read_catalogue():
        clause = existing.get(row["clause"])
        if clause is None:
            clause = Clause(edition=edition, number=row["clause"])
            db.session.add(clause)
            added += 1
        clause.parent_number = row["parent"] or None
        clause.title_en, clause.title_vi = row["title_en"], row["title_vi"]
        clause.sort_key = sort_key(row["clause"])
    db.session.flush()
    return added


def all_clauses(edition: str = EDITION) -> list[Clause]:
    """The catalogue in reading order."""
    return list(db.session.scalars(
        select(Clause).where(Clause.edition == edition).order_by(Clause.sort_key)))
