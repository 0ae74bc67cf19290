"""The application factory: configuration, then core, then each domain registers itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from compliance import api, models
from compliance import config as settings
from compliance.audit_trail import web as audit_trail_web
from compliance.audits import api as audits_api
from compliance.audits import api_conduct as audit_conduct_api
from compliance.audits import web as audits_web
from compliance.auth import web as auth_web
from compliance.capa import api as capa_api
from compliance.capa import web as capa_web
from compliance.cli import register_commands
from compliance.core import application
from compliance.core.resources import resource_dir
from compliance.dashboard import web as dashboard_web
from compliance.documents import api as documents_api
from compliance.documents import api_external as external_documents_api
from compliance.documents import web as documents_web
from compliance.documents.services import check_code_pattern
from compliance.evidence import api as evidence_api
from compliance.evidence import web as evidence_web
from compliance.installation import web as installation_web
from compliance.notifications import api as notifications_api
from compliance.notifications import web as notifications_web
from compliance.org import api as org_api
from compliance.org import web as org_web
from compliance.public import api as public_api
from compliance.public import web as public_web
from compliance.quality import web as quality_web
from compliance.quality.measures import api as measures_api
from compliance.quality.measures import api_imports as measure_imports_api
from compliance.quality.objectives import api as objectives_api
from compliance.quality.risks import api as risks_api
from compliance.reports import api as reports_api
from compliance.reports import web as reports_web
from compliance.scope import api as scope_api
from compliance.scope import web as scope_web
from compliance.search import web as search_web
from compliance.steering import web as steering_web
from compliance.webhooks import api as webhooks_api
from compliance.webhooks import web as webhooks_web

# In the order their blueprints are mounted; each domain's web.register(app) mounts its
# pages and connects its signal receivers.
DOMAINS = (auth_web, org_web, audit_trail_web, dashboard_web, documents_web, public_web,
           audits_web, capa_web, quality_web, notifications_web, reports_web, evidence_web,
           search_web, installation_web, scope_web, steering_web, webhooks_web)
# Mounted under /api/v1 by compliance.api, after the pages (the token request's user
# replaces the anonymous one the session loader found).
API_BLUEPRINTS = (org_api.bp, org_api.processes, org_api.clauses, documents_api.bp,
                  public_api.bp, notifications_api.bp)
# Internal audits, corrective actions and evidence packs (issue 15).
API_BLUEPRINTS += (audits_api.programmes, audits_api.bp, audits_api.findings, capa_api.bp,
                   evidence_api.bp)
# Webhooks (issue 15).
API_BLUEPRINTS += (webhooks_api.bp,)
# Conducting audits, measures and their values, objectives, risks and the reports' PDFs.
API_BLUEPRINTS += (audit_conduct_api.bp, measure_imports_api.bp, measures_api.bp,
                   objectives_api.objectives, risks_api.risks, reports_api.bp)
# The scope register, the on-time handling of its procedures and the register of external
# documents (issue 17).
API_BLUEPRINTS += (scope_api.bp, external_documents_api.bp)
assert models.__all__  # every table is known before the first query


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints and commands."""
    instance_path = Path((config or {}).get("INSTANCE_PATH")
                         or settings.from_environment().get("INSTANCE_PATH")
                         or Path.cwd() / "instance").resolve()
    instance_path.mkdir(parents=True, exist_ok=True)
    app = Flask("compliance", instance_path=str(instance_path),
                template_folder=str(resource_dir("templates")))
    app.config.update(settings.build(instance_path, config))
    check_code_pattern(app.config["DOCUMENT_CODE_PATTERN"])
    application.init_app(app)
    for domain in DOMAINS:
        domain.register(app)
    api.init_app(app, API_BLUEPRINTS)
    register_commands(app)
    return app
