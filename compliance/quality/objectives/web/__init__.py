"""The pages of quality objectives and of the context of the organisation: the child
blueprints `quality.objectives` (/objectives) and `quality.context` (/context) of the
parent blueprint `quality`."""

from __future__ import annotations

from flask_login import current_user

from compliance.quality.objectives import jobs, rules
from compliance.quality.objectives.web import (  # noqa: F401 - routes
    context,
    pages,
    plan,
    removal,
)
from compliance.quality.objectives.web.common import bp, quantity

BLUEPRINTS = (bp, context.bp)


def register(app) -> None:
    """Add this sub-domain's jobs, and what the menu asks of its rules."""
    jobs.register(app)
    app.context_processor(lambda: {
        "may_read_context": lambda: rules.may_read_context(current_user),
        "quantity": quantity})
