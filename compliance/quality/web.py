"""The parent blueprint `quality`: each sub-domain mounts its pages as a child blueprint
(endpoints read `quality.measures.record`, `quality.risks.edit`, ...)."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from compliance.quality import overview, overview_web
from compliance.quality.measures import web as measures_web
from compliance.quality.objectives import web as objectives_web
from compliance.quality.risks import web as risks_web

bp = Blueprint("quality", __name__)
# Children are attached here, once, at import: a blueprint takes no children after its first
# registration on an app (the tests build many apps). Each sub-domain adds one line.
CHILDREN: list[Blueprint] = [measures_web.bp, *objectives_web.BLUEPRINTS, risks_web.bp,
                             overview_web.bp]
for _child in CHILDREN:
    bp.register_blueprint(_child)
# Each sub-domain's register(app) adds its jobs, receivers and template globals.
SUBDOMAINS = (measures_web, objectives_web, risks_web)


def register(app) -> None:
    """Mount the quality pages and let each sub-domain add what it brings."""
    app.register_blueprint(bp)
    # The department page (org) links to the department's quality page for its readers.
    app.context_processor(lambda: {
        "may_open_quality_of": lambda department_id: overview.may_open(current_user,
                                                                       department_id)})
    for subdomain in SUBDOMAINS:
        subdomain.register(app)
