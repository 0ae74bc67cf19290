"""Rows of the scope register for tests."""

from __future__ import annotations

from types import SimpleNamespace

from compliance.auth.models import User
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.scope import announcements, services


def scope_entry(app, coordinator_id: int, department_id: int | None = None,
                name: str = "Đăng ký khai sinh", code: str = "1.001193") -> int:
    """One administrative procedure in scope; its id."""
    with app.app_context(), write_intent():
        coordinator = db.session.get(User, coordinator_id)
        entry = services.add_entry(coordinator, kind="procedure", name=name,
                                   national_code=code, field="Hộ tịch",
                                   legal_basis="Luật Hộ tịch 2014", time_limit_days=1,
                                   department_id=department_id, process_id=None,
                                   document_ids=[])
        db.session.commit()
        return entry.id


def draft_announcement(app, coordinator_id: int, signer_id: int | None = None) -> int:
    """A draft decision announcing conformity (signed by `signer_id` when named); its id."""
    with app.app_context(), write_intent():
        coordinator = db.session.get(User, coordinator_id)
        row = announcements.draft(coordinator)
        row.signer_id = signer_id
        db.session.commit()
        return row.id


def scope_target(app, make, endpoint: str, department_id: int,
                 signer_id: int | None = None) -> SimpleNamespace:
    """What a route of the scope pages needs (an entry, a draft announcement signed by
    `signer_id`), for the route walk; nothing for other routes."""
    if not endpoint.startswith("scope."):
        return SimpleNamespace()
    coordinator = make.user(roles=["coordinator"])
    return SimpleNamespace(entry_id=scope_entry(app, coordinator.id, department_id),
                           announcement_id=draft_announcement(app, coordinator.id, signer_id))
