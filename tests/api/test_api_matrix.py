"""Every /api/v1 endpoint × role × own/other department, read from the URL map: a new
endpoint without a row here fails (tests/test_permissions.py leaves /api/ to this file)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from compliance.auth import tokens
from compliance.auth.models import User
from compliance.core.extensions import db
from compliance.org.models import Clause
from tests.api.targets import audit_and_capa_ids, quality_ids
from tests.conftest import pdf_rendered_in_process
from tests.documents.helpers import blank_pdf, document_target
from tests.notifications.helpers import notification_for
from tests.test_permissions import API_PREFIX, IGNORED_METHODS, ROLES
from tests.webhooks.helpers import webhook_target

# (endpoint, method, target) -> the answer for each role in ROLES ("anonymous": no token).
API_MATRIX = {
    #                                                    anon admin coord head audit staff
    ("api_departments.Departments", "GET", None):        (401, 200, 200, 200, 200, 200),
    ("api_departments.DepartmentOne", "GET", "own"):     (401, 200, 200, 200, 200, 200),
    ("api_departments.DepartmentOne", "GET", "other"):   (401, 200, 200, 200, 200, 404),
    ("api-docs.openapi_json", "GET", None):              (200, 200, 200, 200, 200, 200),
    ("api_reference.page", "GET", None):                 (200, 200, 200, 200, 200, 200),
    # Writes carry no body and no If-Match: those the rule book lets through get the
    # refusal of the missing precondition (428) or of the empty form (422).
    ("api_processes.Processes", "GET", None):            (401, 200, 200, 200, 200, 200),
    ("api_processes.ProcessOne", "GET", "own"):          (401, 200, 200, 200, 200, 200),
    ("api_processes.ProcessOne", "GET", "other"):        (401, 200, 200, 200, 200, 404),
    ("api_processes.ProcessOne", "PATCH", "own"):        (401, 428, 428, 403, 403, 403),
    ("api_processes.ProcessOne", "PATCH", "other"):      (401, 428, 428, 403, 403, 404),
    ("api_clauses.Clauses", "GET", None):                (401, 200, 200, 200, 200, 200),
    ("api_clauses.ClauseOne", "GET", None):              (401, 200, 200, 200, 200, 200),
    ("api_documents.Register", "GET", None):             (401, 200, 200, 200, 200, 200),
    ("api_documents.DocumentOne", "GET", "own"):         (401, 200, 200, 200, 200, 200),
    ("api_documents.DocumentOne", "GET", "other"):       (401, 200, 200, 200, 200, 404),
    ("api_documents.Revisions", "GET", "own"):           (401, 200, 200, 200, 200, 200),
    ("api_documents.Revisions", "GET", "other"):         (401, 200, 200, 200, 200, 404),
    ("api_documents.upload", "POST", "own"):             (401, 422, 422, 422, 403, 403),
    ("api_documents.upload", "POST", "other"):           (401, 422, 422, 403, 403, 404),
    ("api_documents.RevisionOne", "GET", "own"):         (401, 200, 200, 200, 200, 200),
    ("api_documents.RevisionOne", "GET", "other"):       (401, 200, 200, 200, 200, 404),
    ("api_documents.Download", "GET", "own"):            (401, 200, 200, 200, 200, 200),
    ("api_documents.Download", "GET", "other"):          (401, 200, 200, 200, 200, 404),
    ("api_documents.Submit", "POST", "own"):             (401, 428, 428, 428, 403, 403),
    ("api_documents.Submit", "POST", "other"):           (401, 428, 428, 403, 403, 404),
    # Only those asked to read it (here nobody) acknowledge a revision.
    ("api_documents.Acknowledge", "POST", "own"):        (401, 404, 404, 404, 404, 404),
    ("api_documents.Acknowledge", "POST", "other"):      (401, 404, 404, 404, 404, 404),
    ("api_documents.Reviews", "GET", "own"):             (401, 200, 200, 200, 200, 200),
    ("api_documents.Reviews", "GET", "other"):           (401, 200, 200, 200, 200, 404),
    ("api_documents.Reviews", "POST", "own"):            (401, 422, 422, 422, 403, 403),
    ("api_documents.Reviews", "POST", "other"):          (401, 422, 422, 403, 403, 404),
    # Never through the API: a signature needs its signer's password again, on the page.
    ("api_documents.Approve", "POST", "own"):            (401, 403, 403, 403, 403, 403),
    ("api_documents.Approve", "POST", "other"):          (401, 403, 403, 403, 403, 404),
    ("api_public.PublicDocuments", "GET", None):         (200, 200, 200, 200, 200, 200),
    # A notification is its recipient's alone ("own": the caller's; "other": someone's).
    ("api_notifications.Notifications", "GET", None):    (401, 200, 200, 200, 200, 200),
    ("api_notifications.NotificationOne", "GET", "own"): (401, 200, 200, 200, 200, 200),
    ("api_notifications.NotificationOne", "GET", "other"): (401, 404, 404, 404, 404, 404),
    ("api_notifications.NotificationRead", "POST", "own"): (401, 200, 200, 200, 200, 200),
    ("api_notifications.NotificationRead", "POST", "other"): (401, 404, 404, 404, 404, 404),
    ("api_notifications.NotificationsReadAll", "POST", None): (401, 200, 200, 200, 200, 200),
    # Internal audits: programmes for auditors and coordinators; an audit for its readers
    # (a head: their department's); staff take no part. The audit is in progress, and only
    # those who may record it (here admin and coordinator) reach the empty body (422).
    ("api_audit_programmes.Programmes", "GET", None):    (401, 200, 200, 403, 200, 403),
    ("api_audit_programmes.ProgrammeOne", "GET", None):  (401, 200, 200, 403, 200, 403),
    ("api_audits.Audits", "GET", None):                  (401, 200, 200, 200, 200, 403),
    ("api_audits.AuditOne", "GET", "own"):               (401, 200, 200, 200, 200, 404),
    ("api_audits.AuditOne", "GET", "other"):             (401, 200, 200, 404, 200, 404),
    ("api_audits.Items", "GET", "own"):                  (401, 200, 200, 200, 200, 404),
    ("api_audits.Items", "GET", "other"):                (401, 200, 200, 404, 200, 404),
    ("api_audits.ItemOne", "GET", "own"):                (401, 200, 200, 200, 200, 404),
    ("api_audits.ItemOne", "GET", "other"):              (401, 200, 200, 404, 200, 404),
    ("api_audits.Result", "PUT", "own"):                 (401, 422, 422, 403, 403, 404),
    ("api_audits.Result", "PUT", "other"):               (401, 422, 422, 404, 403, 404),
    ("api_audits.RaiseFinding", "POST", "own"):          (401, 422, 422, 403, 403, 404),
    ("api_audits.RaiseFinding", "POST", "other"):        (401, 422, 422, 404, 403, 404),
    ("api_audits.Items", "POST", "own"):                 (401, 422, 422, 403, 403, 404),
    ("api_audits.Items", "POST", "other"):               (401, 422, 422, 404, 403, 404),
    ("api_audit_conduct.Due", "PUT", "own"):             (401, 422, 422, 403, 403, 404),
    ("api_audit_conduct.Due", "PUT", "other"):           (401, 422, 422, 404, 403, 404),
    # Never through the API: the lead auditor signs with their password again, on the page.
    ("api_audits.SignReport", "POST", "own"):            (401, 403, 403, 403, 403, 404),
    ("api_audits.SignReport", "POST", "other"):          (401, 403, 403, 404, 403, 404),
    # Conducting it: starting it and its meetings need the audit's If-Match (428).
    ("api_audit_conduct.Start", "POST", "own"):          (401, 428, 428, 403, 403, 404),
    ("api_audit_conduct.Start", "POST", "other"):        (401, 428, 428, 404, 403, 404),
    ("api_audit_conduct.Close", "POST", "own"):          (401, 428, 428, 403, 403, 404),
    ("api_audit_conduct.Close", "POST", "other"):        (401, 428, 428, 404, 403, 404),
    # The head of the audited department (and coordinators) answer its findings.
    ("api_audit_conduct.Answer", "POST", "own"):         (401, 422, 422, 422, 403, 404),
    ("api_audit_conduct.Answer", "POST", "other"):       (401, 422, 422, 404, 403, 404),
    ("api_audit_conduct.Meeting", "PUT", "own"):         (401, 422, 422, 403, 403, 404),
    ("api_audit_conduct.Meeting", "PUT", "other"):       (401, 422, 422, 404, 403, 404),
    ("api_audit_conduct.EvidenceList", "GET", "own"):    (401, 200, 200, 200, 200, 404),
    ("api_audit_conduct.EvidenceList", "GET", "other"):  (401, 200, 200, 404, 200, 404),
    ("api_audit_conduct.DocumentEvidenceView", "POST", "own"): (401, 422, 422, 403, 403, 404),
    ("api_audit_conduct.DocumentEvidenceView", "POST", "other"): (401, 422, 422, 404, 403,
                                                                  404),
    ("api_audit_conduct.FileEvidenceView", "POST", "own"): (401, 422, 422, 403, 403, 404),
    ("api_audit_conduct.FileEvidenceView", "POST", "other"): (401, 422, 422, 404, 403, 404),
    ("api_findings.Findings", "GET", None):              (401, 200, 200, 200, 200, 403),
    ("api_findings.FindingOne", "GET", "own"):           (401, 200, 200, 200, 200, 404),
    ("api_findings.FindingOne", "GET", "other"):         (401, 200, 200, 404, 200, 404),
    # Corrective actions: readers of every department, the head of its own; staff who own
    # none of its actions do not know of it. Marking an action done needs If-Match (428).
    ("api_corrective_actions.Register", "GET", None):    (401, 200, 200, 200, 200, 200),
    ("api_corrective_actions.CorrectiveOne", "GET", "own"): (401, 200, 200, 200, 200, 404),
    ("api_corrective_actions.CorrectiveOne", "GET", "other"): (401, 200, 200, 404, 200, 404),
    ("api_corrective_actions.Actions", "GET", "own"):    (401, 200, 200, 200, 200, 404),
    ("api_corrective_actions.Actions", "GET", "other"):  (401, 200, 200, 404, 200, 404),
    ("api_corrective_actions.ActionOne", "GET", "own"):  (401, 200, 200, 200, 200, 404),
    ("api_corrective_actions.ActionOne", "GET", "other"): (401, 200, 200, 404, 200, 404),
    ("api_corrective_actions.ActionDoneView", "POST", "own"): (401, 428, 428, 428, 403, 404),
    ("api_corrective_actions.ActionDoneView", "POST", "other"): (401, 428, 428, 404, 403, 404),
    # With its evidence file: the empty form lacks the file (422) before the If-Match.
    ("api_corrective_actions.ActionDoneWithEvidence", "POST", "own"): (401, 422, 422, 422, 403,
                                                                       404),
    ("api_corrective_actions.ActionDoneWithEvidence", "POST", "other"): (401, 422, 422, 404,
                                                                         403, 404),
    # The manager's steps (containment, analysis, a new action of the plan) and the
    # verifier's judgement: the rule book first, then the empty body (422).
    ("api_corrective_actions.ContainmentView", "POST", "own"): (401, 422, 422, 422, 403, 404),
    ("api_corrective_actions.ContainmentView", "POST", "other"): (401, 422, 422, 404, 403,
                                                                  404),
    ("api_corrective_actions.AnalysisView", "POST", "own"): (401, 422, 422, 422, 403, 404),
    ("api_corrective_actions.AnalysisView", "POST", "other"): (401, 422, 422, 404, 403, 404),
    ("api_corrective_actions.Actions", "POST", "own"):   (401, 422, 422, 422, 403, 404),
    ("api_corrective_actions.Actions", "POST", "other"): (401, 422, 422, 404, 403, 404),
    ("api_corrective_actions.CheckResultView", "POST", "own"): (401, 422, 422, 403, 403, 404),
    ("api_corrective_actions.CheckResultView", "POST", "other"): (401, 422, 422, 404, 403,
                                                                  404),
    ("api_corrective_actions.Checks", "GET", "own"):     (401, 200, 200, 200, 200, 404),
    ("api_corrective_actions.Checks", "GET", "other"):   (401, 200, 200, 404, 200, 404),
    # Never through the API: closure is the verifier's, on the corrective action's page.
    ("api_corrective_actions.Close", "POST", "own"):     (401, 403, 403, 403, 403, 404),
    ("api_corrective_actions.Close", "POST", "other"):   (401, 403, 403, 404, 403, 404),
    # Evidence packs: their users (staff are none) see those of their scope; the pack is
    # ready, its link live (each role's walk has its own, so the revoke succeeds).
    ("api_evidence_packs.Packs", "GET", None):           (401, 200, 200, 200, 200, 403),
    ("api_evidence_packs.Packs", "POST", None):          (401, 422, 422, 422, 422, 403),
    ("api_evidence_packs.PackOne", "GET", "own"):        (401, 200, 200, 200, 200, 403),
    ("api_evidence_packs.PackOne", "GET", "other"):      (401, 200, 200, 404, 200, 403),
    ("api_evidence_packs.Download", "GET", "own"):       (401, 200, 200, 200, 200, 403),
    ("api_evidence_packs.Download", "GET", "other"):     (401, 200, 200, 404, 200, 403),
    ("api_evidence_packs.Links", "POST", "own"):         (401, 422, 422, 422, 422, 403),
    ("api_evidence_packs.Links", "POST", "other"):       (401, 422, 422, 404, 422, 403),
    ("api_evidence_packs.Revoke", "POST", "own"):        (401, 200, 200, 200, 200, 403),
    ("api_evidence_packs.Revoke", "POST", "other"):      (401, 200, 200, 404, 200, 403),
    # Webhooks: the organisation's administrators only; the empty body of a new hook is a
    # 422, a change without If-Match a 428.
    ("api_webhooks.Webhooks", "GET", None):              (401, 200, 403, 403, 403, 403),
    ("api_webhooks.Webhooks", "POST", None):             (401, 422, 403, 403, 403, 403),
    ("api_webhooks.WebhookOne", "GET", None):            (401, 200, 403, 403, 403, 403),
    ("api_webhooks.WebhookOne", "PATCH", None):          (401, 428, 403, 403, 403, 403),
    ("api_webhooks.Deliveries", "GET", None):            (401, 200, 403, 403, 403, 403),
    ("api_webhooks.Redeliver", "POST", None):            (401, 200, 403, 403, 403, 403),
    # Measures: readers of every department's, the head and staff of their own; recording
    # is for the recorder (here none of the matrix's people), the head and coordinators,
    # who reach the empty body (422).
    ("api_measures.Measures", "GET", None):              (401, 200, 200, 200, 200, 200),
    ("api_measures.MeasureOne", "GET", "own"):           (401, 200, 200, 200, 200, 200),
    ("api_measures.MeasureOne", "GET", "other"):         (401, 200, 200, 404, 200, 404),
    # Defining and changing a measure: coordinators, and the head of its department; the
    # empty body of a new one is a 422, a change without If-Match a 428.
    ("api_measures.Measures", "POST", None):             (401, 422, 422, 422, 403, 403),
    ("api_measures.MeasureOne", "PATCH", "own"):         (401, 428, 428, 428, 403, 403),
    ("api_measures.MeasureOne", "PATCH", "other"):       (401, 428, 428, 404, 403, 404),
    ("api_measures.Values", "GET", "own"):               (401, 200, 200, 200, 200, 200),
    ("api_measures.Values", "GET", "other"):             (401, 200, 200, 404, 200, 404),
    ("api_measures.Values", "POST", "own"):              (401, 422, 422, 422, 403, 403),
    ("api_measures.Values", "POST", "other"):            (401, 422, 422, 404, 403, 404),
    ("api_measures.ValueWithEvidence", "POST", "own"):   (401, 422, 422, 422, 403, 403),
    ("api_measures.ValueWithEvidence", "POST", "other"): (401, 422, 422, 404, 403, 404),
    ("api_measures.ValueOne", "GET", "own"):             (401, 200, 200, 200, 200, 200),
    ("api_measures.ValueOne", "GET", "other"):           (401, 200, 200, 404, 200, 404),
    # The CSV import: managers of measures (and recorders) upload, reaching the empty form
    # (422); the import is a coordinator's (none of the matrix's people), seen by those who
    # read every import and confirmed by its uploader alone.
    ("api_measure_imports.Imports", "POST", None):       (401, 422, 422, 422, 403, 403),
    ("api_measure_imports.ImportOne", "GET", None):      (401, 200, 200, 403, 403, 403),
    ("api_measure_imports.Confirm", "POST", None):       (401, 403, 403, 403, 403, 403),
    # The scope register (read by its readers) and the on-time handling posted by those
    # who keep it (issue 17); an empty post is refused at its missing months (422).
    ("api_scope.Entries", "GET", None):                  (401, 200, 200, 200, 200, 403),
    ("api_scope.HandlingMonths", "POST", None):          (401, 422, 422, 403, 403, 403),
    ("api_external_documents.ExternalDocuments", "GET", None): (401, 200, 200, 200, 200, 200),
    ("api_objectives.Objectives", "GET", None):          (401, 200, 200, 200, 200, 200),
    ("api_objectives.ObjectiveOne", "GET", "own"):       (401, 200, 200, 200, 200, 200),
    ("api_objectives.ObjectiveOne", "GET", "other"):     (401, 200, 200, 404, 200, 404),
    # Managers of its department (coordinators everywhere) note an objective's progress
    # and review a risk; a treatment action is also its owner's (here none of them): its
    # body may be empty, so those let through get the missing If-Match (428).
    ("api_objectives.Progress", "POST", "own"):          (401, 422, 422, 422, 403, 403),
    ("api_objectives.Progress", "POST", "other"):        (401, 422, 422, 404, 403, 404),
    # Setting and changing an objective, its plan and its evaluation: its managers; the
    # empty body of a new one is a 422, a change without If-Match a 428.
    ("api_objectives.Objectives", "POST", None):         (401, 422, 422, 422, 403, 403),
    ("api_objectives.ObjectiveOne", "PATCH", "own"):     (401, 428, 428, 428, 403, 403),
    ("api_objectives.ObjectiveOne", "PATCH", "other"):   (401, 428, 428, 404, 403, 404),
    ("api_objectives.ObjectiveOne", "DELETE", "own"):    (401, 428, 428, 428, 403, 403),
    ("api_objectives.ObjectiveOne", "DELETE", "other"):  (401, 428, 428, 404, 403, 404),
    ("api_objectives.PlanItems", "POST", "own"):         (401, 422, 422, 422, 403, 403),
    ("api_objectives.PlanItems", "POST", "other"):       (401, 422, 422, 404, 403, 404),
    ("api_objectives.PlanItemView", "GET", "own"):       (401, 200, 200, 200, 200, 200),
    ("api_objectives.PlanItemView", "GET", "other"):     (401, 200, 200, 404, 200, 404),
    ("api_objectives.PlanItemView", "PATCH", "own"):     (401, 428, 428, 428, 403, 403),
    ("api_objectives.PlanItemView", "PATCH", "other"):   (401, 428, 428, 404, 403, 404),
    ("api_objectives.PlanItemView", "DELETE", "own"):    (401, 428, 428, 428, 403, 403),
    ("api_objectives.PlanItemView", "DELETE", "other"):  (401, 428, 428, 404, 403, 404),
    ("api_objectives.PlanItemDoneView", "POST", "own"):  (401, 428, 428, 428, 403, 403),
    ("api_objectives.PlanItemDoneView", "POST", "other"): (401, 428, 428, 404, 403, 404),
    ("api_objectives.PlanItemReopen", "POST", "own"):    (401, 428, 428, 428, 403, 403),
    ("api_objectives.PlanItemReopen", "POST", "other"):  (401, 428, 428, 404, 403, 404),
    ("api_objectives.Evaluation", "POST", "own"):        (401, 422, 422, 422, 403, 403),
    ("api_objectives.Evaluation", "POST", "other"):      (401, 422, 422, 404, 403, 404),
    ("api_risks.Risks", "GET", None):                    (401, 200, 200, 200, 200, 200),
    ("api_risks.RiskOne", "GET", "own"):                 (401, 200, 200, 200, 200, 200),
    ("api_risks.RiskOne", "GET", "other"):               (401, 200, 200, 404, 200, 404),
    ("api_risks.Review", "POST", "own"):                 (401, 422, 422, 422, 403, 403),
    ("api_risks.Review", "POST", "other"):               (401, 422, 422, 404, 403, 404),
    ("api_risks.TreatmentOne", "GET", "own"):            (401, 200, 200, 200, 200, 200),
    ("api_risks.TreatmentOne", "GET", "other"):          (401, 200, 200, 404, 200, 404),
    ("api_risks.TreatmentOne", "PATCH", "own"):          (401, 428, 428, 428, 403, 403),
    ("api_risks.TreatmentOne", "PATCH", "other"):        (401, 428, 428, 404, 403, 404),
    ("api_risks.TreatmentOne", "DELETE", "own"):         (401, 428, 428, 428, 403, 403),
    ("api_risks.TreatmentOne", "DELETE", "other"):       (401, 428, 428, 404, 403, 404),
    ("api_risks.TreatmentDoneView", "POST", "own"):      (401, 428, 428, 428, 403, 403),
    ("api_risks.TreatmentDoneView", "POST", "other"):    (401, 428, 428, 404, 403, 404),
    # Adding a risk and changing it, its status, treatment and links: its managers; the
    # empty body of a new one is a 422, a change without If-Match a 428.
    ("api_risks.Risks", "POST", None):                   (401, 422, 422, 422, 403, 403),
    ("api_risks.RiskOne", "PATCH", "own"):               (401, 428, 428, 428, 403, 403),
    ("api_risks.RiskOne", "PATCH", "other"):             (401, 428, 428, 404, 403, 404),
    ("api_risks.Status", "POST", "own"):                 (401, 422, 422, 422, 403, 403),
    ("api_risks.Status", "POST", "other"):               (401, 422, 422, 404, 403, 404),
    ("api_risks.Treatments", "POST", "own"):             (401, 422, 422, 422, 403, 403),
    ("api_risks.Treatments", "POST", "other"):           (401, 422, 422, 404, 403, 404),
    ("api_risks.Links", "POST", "own"):                  (401, 400, 400, 400, 403, 403),
    ("api_risks.Links", "POST", "other"):                (401, 400, 400, 404, 403, 404),
    # The reports' PDFs: the organisation's report for those who read every report, the
    # input pack for those who read management reviews.
    ("api_reports.SixMonthly", "GET", None):             (401, 200, 200, 403, 200, 403),
    ("api_reports.InputPack", "GET", None):              (401, 200, 200, 403, 200, 403),
}


def api_routes(app) -> set[tuple[str, str]]:
    """Every (endpoint, method) under /api/."""
    return {(rule.endpoint, method) for rule in app.url_map.iter_rules()
            if rule.rule.startswith(API_PREFIX) for method in rule.methods - IGNORED_METHODS}


def test_every_api_route_has_a_row(app):
    covered = {(endpoint, method) for endpoint, method, _target in API_MATRIX}
    assert api_routes(app) == covered


def _url(app, endpoint: str, target: dict) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        from flask import url_for
        return url_for(endpoint, **{name: target[name] for name in rule.arguments})


def _targets(app, make, own, other) -> dict[str, dict]:
    """The ids each URL names, for the own and the other department (a process, a document
    in force with its revision, a clause of the catalogue)."""
    author = make.user(roles=["coordinator"])
    with app.app_context():
        clause_id = db.session.scalar(select(Clause.id).limit(1))
    found = {}
    hook = vars(webhook_target(app, make, "api_webhooks"))
    for name, department in (("own", own), ("other", other)):
        document = document_target(app, department.id, author.id, content=blank_pdf())
        found[name] = {"department_id": department.id, "clause_id": clause_id,
                       "process_id": make.process(department.id).id,
                       "document_id": document.document_id,
                       "revision_id": document.revision_id}
        found[name].update(audit_and_capa_ids(app, make, department.id))
        found[name].update(hook)
        found[name].update(quality_ids(app, make, department.id))
    return found


# Who may do what is the rule book's answer, above the engine: on SQLite alone, as the routes'
# walk of tests/test_permissions.py. Each resource's own tests run on both databases.
@pytest.mark.one_database
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_its_answer(app, make, role):
    own, other = make.department(), make.department()
    targets = _targets(app, make, own, other)
    headers = {}
    if role != "anonymous":
        user = make.user_with_role(role, own.id)
        with app.app_context():
            # Read and write: a write's row says what the rule book answers, not the scope.
            _token, secret = tokens.create(db.session.get(User, user.id), "matrix",
                                           "read write")
            db.session.commit()
        headers = {"Authorization": f"Bearer {secret}"}
    # A notification of the caller's (someone's, for the anonymous) and another's.
    someone = make.user().id
    targets["own"]["notification_id"] = notification_for(
        app, user.id if role != "anonymous" else someone)
    targets["other"]["notification_id"] = notification_for(app, someone, "matrix:other")
    client = app.test_client()
    wrong = []
    # Who gets a report's PDF is asked here, not what it says (tests/api/test_reports_api.py):
    # a blank page answers each render, in this process, instead of half a second of WeasyPrint.
    with pdf_rendered_in_process(rendered=blank_pdf()):
        for (endpoint, method, target), answers in API_MATRIX.items():
            url = _url(app, endpoint, targets["other" if target == "other" else "own"])
            status = client.open(url, method=method, headers=headers).status_code
            if status != answers[ROLES.index(role)]:
                wrong.append((endpoint, method, target, status))
    assert not wrong
