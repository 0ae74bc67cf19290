"""The documents blueprint: the parent `documents` (register and document pages, in
pages.py) and its children `documents.revisions`, `documents.reading`, `documents.compare`,
`documents.chains` (approval chains), `documents.external` (the register of external
documents), `documents.retention` (disposition, retention rules) and `documents.holds` (legal
holds). URLs are those the first three blueprints had before
they were nested; only endpoint names gained the prefix."""

from __future__ import annotations

from flask_login import current_user

from compliance.documents import handlers, jobs, rules
from compliance.documents.records import rules as records
from compliance.documents.web import (
    chains,
    compare,
    external,
    holds,
    pages,
    reading,
    retention,
    revisions,
)

bp = pages.bp
# Nested once, when the module is imported: a blueprint keeps its children for every app.
bp.register_blueprint(revisions.bp)
bp.register_blueprint(reading.bp)
bp.register_blueprint(compare.bp)
bp.register_blueprint(retention.bp)
bp.register_blueprint(holds.bp)
bp.register_blueprint(chains.bp)
bp.register_blueprint(external.bp)


def register(app) -> None:
    """Mount this domain's pages, connect its signal receivers, add its jobs, and tell the
    menu whether to offer the reading coverage, the disposition due, the holds and the
    approval chains."""
    app.register_blueprint(bp)
    app.context_processor(lambda: {
        "may_see_coverage": lambda: rules.may_see_coverage(current_user),
        "may_dispose": lambda: records.may_dispose(current_user),
        "may_see_holds": lambda: records.may_see_holds(current_user),
        "may_see_chains": lambda: rules.may_see_chains(current_user)})
    handlers.connect()
    jobs.register(app)
