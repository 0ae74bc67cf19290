"""The parent blueprint `quality`: each sub-domain mounts its pages as a child blueprint
(endpoints read `quality.measures.record`, `quality.risks.edit`, ...)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("quality", __name__)
# Children are attached here, once, at import: a blueprint takes no children after its first
# registration on an app (the tests build many apps). Each sub-domain adds one line.
CHILDREN: list[Blueprint] = []
for _child in CHILDREN:
    bp.register_blueprint(_child)


def register(app) -> None:
    """Mount the quality pages."""
    app.register_blueprint(bp)
