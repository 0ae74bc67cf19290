"""The process page as the hub of the quality system (4.4): what comes before and after a
process (and its interaction map, laid out for an SVG), the documents describing it, its
measures, the audits covering it, their findings, and the corrective actions raised from
either. Reads only, each filtered by the reading rules of its own domain; data, never URLs."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select

from compliance.audits import rules as audit_rules
from compliance.audits.models import Audit, Finding, audit_process
from compliance.capa import rules as capa_rules
from compliance.capa.models import CorrectiveAction
from compliance.core.extensions import db
from compliance.documents import rules as document_rules
from compliance.documents.models import Document
from compliance.org.models import Process
from compliance.quality.measures import queries as measure_queries
from compliance.quality.measures.models import Measure, MeasureValue

# The map's boxes: width, height, the gap between two of a column, the columns' left edges.
BOX_W, BOX_H, GAP = 210, 54, 14
COLUMNS = {"before": 16, "self": 305, "after": 594}
MAP_W = 820
NAME_CHARS = 28


@dataclass(frozen=True)
class Node:
    """A process on the map: where its box sits and what it says."""

    process_id: int
    code: str
    name_vi: str
    name_en: str
    role: str  # "self", "before" or "after"
    x: int
    y: int

    @property
    def cx(self) -> int:
        """The middle of the box, across."""
        return self.x + BOX_W // 2

    @property
    def cy(self) -> int:
        """The middle of the box, down."""
        return self.y + BOX_H // 2

    def name(self, locale: str) -> str:
        """The process's name in the reader's language."""
        return (self.name_en or self.name_vi) if locale == "en" else self.name_vi

    def short_name(self, locale: str) -> str:
        """The name cut to fit the box (the full name is in the node's title)."""
        name = self.name(locale)
        return name if len(name) <= NAME_CHARS else name[:NAME_CHARS - 1].rstrip() + "…"


@dataclass(frozen=True)
class Edge:
    """An arrow: the first process comes before the second."""

    source: str
    target: str
    x1: int
    y1: int
    x2: int
    y2: int


@dataclass(frozen=True)
class InteractionMap:
    """The process among those before and after it, ready to draw."""

    nodes: list[Node]
    edges: list[Edge]
    width: int
    height: int
    width_box: int = BOX_W
    height_box: int = BOX_H


def _column(processes: list[Process], role: str, height: int) -> list[Node]:
    total = len(processes) * BOX_H + max(len(processes) - 1, 0) * GAP
    top = (height - total) // 2
    return [Node(p.id, p.code, p.name_vi, p.name_en, role, COLUMNS[role],
                 top + i * (BOX_H + GAP)) for i, p in enumerate(processes)]


def _edge(source: Node, target: Node, shift: int) -> Edge:
    if target.x > source.x:
        return Edge(source.code, target.code, source.x + BOX_W, source.cy + shift, target.x,
                    target.cy + shift)
    return Edge(source.code, target.code, source.x, source.cy + shift, target.x + BOX_W,
                target.cy + shift)


def interaction_map(process: Process) -> InteractionMap:
    """The map of one process: those before it on the left, those after it on the right (a
    process both before and after it stands on the left, with an arrow each way)."""
    before = list(process.before)
    after = [p for p in process.after if p not in before]
    rows = max(len(before), len(after), 1)
    height = rows * BOX_H + (rows - 1) * GAP + 2 * GAP
    centre = _column([process], "self", height)[0]
    nodes = {n.code: n for n in [centre, *_column(before, "before", height),
                                 *_column(after, "after", height)]}
    edges = [_edge(nodes[p.code], centre, 0) for p in before]
    both = {p.code for p in process.after} & {p.code for p in before}
    edges += [_edge(centre, nodes[p.code], 8 if p.code in both else 0) for p in process.after]
    return InteractionMap(list(nodes.values()), edges, MAP_W, height)


@dataclass(frozen=True)
class ProcessHub:
    """Everything the process page links to, as far as the reader may see it."""

    documents: list[Document]
    measures: list[measure_queries.Latest]
    audits: list[Audit]
    findings: list[Finding]
    corrective_actions: list[CorrectiveAction]
    map: InteractionMap


def covering_audits(user, process_id: int) -> list[Audit]:
    """The audits whose scope names the process, newest first, that the user may read."""
    stmt = (select(Audit).join(audit_process, audit_process.c.audit_id == Audit.id)
            .where(audit_process.c.process_id == process_id)
            .order_by(Audit.planned_start.desc()))
    return list(db.session.scalars(audit_rules.visible_audits(user, stmt)))


def corrective_actions_for(user, finding_ids: list[int], process_id: int
                           ) -> list[CorrectiveAction]:
    """Corrective actions raised for those findings or for the process's measures."""
    from_measures = (select(MeasureValue.id).join(Measure, Measure.id == MeasureValue.measure_id)
                     .where(Measure.process_id == process_id))
    stmt = (select(CorrectiveAction)
            .where(or_(CorrectiveAction.finding_id.in_(finding_ids or [-1]),
                       CorrectiveAction.measure_value_id.in_(from_measures)))
            .order_by(CorrectiveAction.raised_on.desc(), CorrectiveAction.id.desc()))
    return list(db.session.scalars(capa_rules.visible_corrective_actions(user, stmt)))


def process_hub(user, process: Process) -> ProcessHub:
    """What the process page shows to this reader."""
    wanted = [d.id for d in process.documents]
    documents = list(db.session.scalars(document_rules.visible_documents(
        user, select(Document).where(Document.id.in_(wanted or [-1]))
        .order_by(Document.code)))) if wanted else []
    audits = covering_audits(user, process.id)
    findings = [f for a in audits for f in a.findings]
    return ProcessHub(documents, measure_queries.for_process(user, process.id), audits,
                      findings, corrective_actions_for(user, [f.id for f in findings],
                                                       process.id),
                      interaction_map(process))
