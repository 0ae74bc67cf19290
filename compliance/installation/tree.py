"""The tree of organisations, read once and walked in memory (an installation holds at most
a few hundred: one query beats a recursive one per level)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from compliance.core.extensions import db
from compliance.org.models import Organisation


def all_organisations() -> list[Organisation]:
    """Every organisation, by code."""
    return list(db.session.scalars(select(Organisation).order_by(Organisation.code)))


def _children(organisations: list[Organisation]) -> dict[int | None, list[Organisation]]:
    children: dict[int | None, list[Organisation]] = defaultdict(list)
    known = {o.id for o in organisations}
    for organisation in organisations:
        # A parent outside the list (never, but a broken row must not hide a subtree).
        parent = organisation.parent_id if organisation.parent_id in known else None
        children[parent].append(organisation)
    return children


def ordered(organisations: list[Organisation] | None = None) -> list[tuple[Organisation, int]]:
    """Every organisation with its depth, each one followed by those below it."""
    organisations = all_organisations() if organisations is None else organisations
    children = _children(organisations)
    found: list[tuple[Organisation, int]] = []
    seen: set[int] = set()

    def visit(parent_id, depth):
        for organisation in children.get(parent_id, ()):
            if organisation.id not in seen:
                seen.add(organisation.id)
                found.append((organisation, depth))
                visit(organisation.id, depth + 1)

    visit(None, 0)
    return found


def subtree_ids(root_ids) -> set[int]:
    """The organisations named and every one below them (read as bare ids and parents: the
    navigation asks on every page of an overseer)."""
    children: dict[int | None, list[int]] = defaultdict(list)
    for organisation_id, parent_id in db.session.execute(
            select(Organisation.id, Organisation.parent_id)):
        children[parent_id].append(organisation_id)
    found: set[int] = set()
    pending = [i for i in root_ids if i is not None]
    while pending:
        current = pending.pop()
        if current in found:
            continue
        found.add(current)
        pending.extend(children.get(current, ()))
    return found


def by_code(code: str) -> Organisation | None:
    """The organisation with this code, or None."""
    return db.session.scalar(select(Organisation).where(Organisation.code == code[:32]))
