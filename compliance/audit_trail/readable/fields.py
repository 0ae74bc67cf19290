"""Which field of which record the history names how: the labels come from each domain's
labels.py; the fields that hold a person, a department, a process or a grade are looked up
by name."""

from __future__ import annotations

from collections.abc import Mapping

from compliance.audits import labels as audits
from compliance.auth import labels as auth
from compliance.capa import labels as capa
from compliance.documents import labels as documents
from compliance.org import labels as org
from compliance.quality.measures import labels as measures
from compliance.quality.objectives import labels as objectives
from compliance.quality.risks import labels as risks
from compliance.scope import labels as scope
from compliance.steering import labels as steering

# entity type -> (field labels, labels of enumerated values)
ENTITIES: dict[str, tuple[Mapping, Mapping]] = {
    "document": (documents.FIELD_LABELS, documents.FIELD_VALUES),
    "approval_chain": (documents.FIELD_LABELS, documents.FIELD_VALUES),
    "retention_rule": (documents.FIELD_LABELS, documents.FIELD_VALUES),
    "audit": (audits.FIELD_LABELS, audits.FIELD_VALUES),
    "audit_programme": (audits.FIELD_LABELS, audits.FIELD_VALUES),
    "corrective_action": (capa.FIELD_LABELS, capa.FIELD_VALUES),
    "measure": (measures.FIELD_LABELS, measures.FIELD_VALUES),
    "objective": (objectives.FIELD_LABELS, objectives.FIELD_VALUES),
    "context_issue": (objectives.CONTEXT_FIELD_LABELS, objectives.CONTEXT_FIELD_VALUES),
    "interested_party": (objectives.CONTEXT_FIELD_LABELS, objectives.CONTEXT_FIELD_VALUES),
    "risk": (risks.FIELD_LABELS, risks.FIELD_VALUES),
    "department": (org.DEPARTMENT_FIELD_LABELS, org.DEPARTMENT_FIELD_VALUES),
    "process": (org.PROCESS_FIELD_LABELS, org.PROCESS_FIELD_VALUES),
    "user": (auth.FIELD_LABELS, auth.FIELD_VALUES),
    "scope_entry": (scope.FIELD_LABELS, scope.FIELD_VALUES),
    "scope_announcement": (scope.FIELD_LABELS, scope.FIELD_VALUES),
    "annual_report": (scope.FIELD_LABELS, scope.FIELD_VALUES),
    "annual_report_template": (scope.FIELD_LABELS, scope.FIELD_VALUES),
    "steering_member": (steering.FIELD_LABELS, steering.FIELD_VALUES),
    "steering_plan_task": (steering.FIELD_LABELS, steering.FIELD_VALUES),
}
NOTHING: tuple[Mapping, Mapping] = ({}, {})

# Fields whose value is the id of a person, a department or a process (or a list of ids).
PEOPLE = frozenset({"owner_id", "verifier_id", "lead_auditor_id", "recorder_id",
                    "closed_by_id", "author_id", "placed_by_id", "lifted_by_id", "team"})
DEPARTMENTS = frozenset({"department_id", "parent_id"})
PROCESSES = frozenset({"process_id"})
# Fields whose value is the code of a finding grade (grades are data, named per language).
GRADES = frozenset({"grade"})
# Fields that name an action of a corrective action's plan by its id.
ACTIONS = frozenset({"action"})


def label_of(entity_type: str, key: str):
    """The field's label for this kind of record, or None: an unlabelled field is technical
    (a digest, an id of no interest) and never shown."""
    return ENTITIES.get(entity_type, NOTHING)[0].get(key)


def values_of(entity_type: str, key: str) -> Mapping | None:
    """The labels of the field's enumerated values, if it has any."""
    return ENTITIES.get(entity_type, NOTHING)[1].get(key)


def fields_of(entity_type: str) -> tuple[str, ...]:
    """The labelled fields of a kind of record, in their labels' order."""
    return tuple(ENTITIES.get(entity_type, NOTHING)[0])
