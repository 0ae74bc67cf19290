"""Corrective-action pages: the parent blueprint `capa` (register, raising, the page) and its
children `capa.analysis`, `capa.actions`, `capa.verification`, `capa.files`.

Every URL stays under /corrective-actions; only the endpoint names say which child."""

from __future__ import annotations

from compliance.capa import handlers
from compliance.capa.web import actions, analysis, files, pages, verification

bp = pages.bp
# Children are attached once, at import: a blueprint takes no children after its first
# registration on an app (the tests build many apps).
for _child in (analysis.bp, actions.bp, verification.bp, files.bp):
    bp.register_blueprint(_child)


def register(app) -> None:
    """Mount this domain's pages and connect its signal receivers."""
    app.register_blueprint(bp)
    handlers.connect()
