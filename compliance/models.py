"""Imports every model so the metadata is complete (Alembic, create_all)."""

from compliance.audit_trail.models import AuditEvent
from compliance.audits.models import (
                                      Audit,
                                      AuditProgramme,
                                      ChecklistItem,
                                      Evidence,
                                      Finding,
                                      FindingGrade,
                                      Question,
)
from compliance.auth.models import (
                                      ApiToken,
                                      Membership,
                                      RecoveryCode,
                                      User,
                                      UserRole,
                                      UserSession,
)
from compliance.auth.sso.models import IdentityLink, MappingRule
from compliance.capa.models import (
                                      Action,
                                      CorrectiveAction,
                                      CorrectiveFile,
                                      EffectivenessCheck,
                                      WhyStep,
)
from compliance.core.counters import Counter
from compliance.core.jobs import JobRun, SchedulerStatus
from compliance.core.registers import RegisterView
from compliance.documents import search as _search  # noqa: F401 - full-text DDL events
from compliance.documents.models import (
                                      Acknowledgement,
                                      Approval,
                                      ApprovalChain,
                                      ApprovalStep,
                                      CopyRecall,
                                      Document,
                                      DocumentSearch,
                                      DownloadLog,
                                      PeriodicReview,
                                      Revision,
                                      RevisionCopy,
                                      RevisionStep,
)
from compliance.documents.records.models import Disposition, LegalHold, RetentionRule
from compliance.evidence.models import (
                                      EvidencePack,
                                      ShareLink,
                                      ShareUse,
                                      StampedCopy,
                                      Verification,
)
from compliance.installation.models import OversightGrant
from compliance.notifications.models import Notification, OutboundEmail
from compliance.org.models import Clause, Department, Organisation, Process
from compliance.quality.measures.models import Measure, MeasureImport, MeasureValue
from compliance.quality.objectives.models import (
                                      ContextIssue,
                                      InterestedParty,
                                      Objective,
                                      PlanItem,
                                      ProgressNote,
)
from compliance.quality.risks.models import (
                                      Risk,
                                      RiskAction,
                                      RiskBand,
                                      RiskCaReview,
                                      RiskLink,
                                      RiskScale,
)
from compliance.reports.annual.models import AnnualReport, AnnualTemplate
from compliance.reports.models import ManagementReview, ReportNote, ReviewAction
from compliance.scope.models import Announcement, ScopeEntry
from compliance.steering.models import PlanTask, SteeringMember
from compliance.webhooks.models import Webhook, WebhookAttempt, WebhookDelivery

__all__ = ["Acknowledgement", "AnnualReport", "AnnualTemplate", "Action", "CorrectiveAction",
           "CorrectiveFile",
           "EffectivenessCheck", "WhyStep", "Approval", "ApprovalChain", "ApprovalStep", "Audit",
           "AuditEvent", "AuditProgramme", "IdentityLink", "MappingRule", "RecoveryCode",
           "ChecklistItem", "Clause", "CopyRecall", "Counter", "Department", "Document",
           "DocumentSearch", "Disposition", "LegalHold", "RetentionRule",
           "DownloadLog", "Evidence", "Finding", "FindingGrade", "JobRun", "RegisterView",
           "Membership",
           "Notification", "Organisation", "OversightGrant", "OutboundEmail", "PeriodicReview",
           "SchedulerStatus",
           "Process",
           "Question", "Revision", "RevisionCopy", "RevisionStep", "User", "UserRole",
           "UserSession", "ApiToken",
           "ManagementReview", "ReportNote", "ReviewAction",
           "EvidencePack", "ShareLink", "ShareUse", "StampedCopy", "Verification",
           "ContextIssue", "InterestedParty", "Objective", "PlanItem", "ProgressNote",
           "Risk", "RiskAction", "RiskBand", "RiskCaReview", "RiskLink", "RiskScale",
                      "Measure", "MeasureImport", "MeasureValue", "ScopeEntry", "Announcement",
           "PlanTask", "SteeringMember",
           "Webhook", "WebhookAttempt", "WebhookDelivery"]
