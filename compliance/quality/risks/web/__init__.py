"""The risk register's pages: the child blueprint `risks` of `quality` (endpoints
`quality.risks.*`, URLs under /risks), and what the sub-domain adds to the app: its jobs,
its signal receiver, and the template globals of its include points (a process's risks on
the process page, the risk-register question on a corrective action's page)."""

from __future__ import annotations

from flask_login import current_user

from compliance.quality.risks import handlers, jobs, queries, rules, services
from compliance.quality.risks.web import actions, pages, work  # noqa: F401 - routes join bp
from compliance.quality.risks.web.common import LABELS, bp

__all__ = ["bp", "register"]


def for_process(process) -> list:
    """The risks of a process that the signed-in user may see (quality/risks/_for_process)."""
    return queries.for_process(current_user, process.id)


def for_ca(ca) -> dict:
    """What a corrective action's page shows of the risk register (quality/risks/_for_ca):
    the answer recorded after it closed, whether the user may give it, the risks linked."""
    return {"answer": services.answer_of(ca.id),
            "may_answer": rules.may_answer_ca_review(current_user, ca.department_id),
            "risks": queries.linked_to_ca(current_user, ca.id)}


def _globals() -> dict:
    return {"may_list_risks": lambda: rules.may_list(current_user),
            "risk_scale": services.current_scale, "risks_for_process": for_process,
            "risk_register_for_ca": for_ca, "risk_labels": LABELS}


def register(app) -> None:
    """Add the jobs, the receiver and the template globals (the parent `quality` mounts the
    blueprint)."""
    jobs.register(app)
    handlers.connect()
    app.context_processor(_globals)
