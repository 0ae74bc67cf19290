"""Objectives, plan items, context issues and interested parties made through the services
the pages use, for the tests and the route walks."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from compliance.auth.models import User
from compliance.core import clock
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.quality.objectives import services


def objective_with_plan(app, department_id: int | None, *, coordinator_id: int,
                        owner_id: int, year: int | None = None,
                        due_on: date | None = None, statement: str = "100% hồ sơ đúng hạn",
                        target: float = 100, done: bool = False) -> SimpleNamespace:
    """An objective of a department (None: the organisation) with one plan item; its ids."""
    with app.app_context(), write_intent():
        today = clock.today()
        year = year or today.year
        coordinator = db.session.get(User, coordinator_id)
        objective = services.create_objective(
            coordinator, year=year, department_id=department_id, statement_vi=statement,
            statement_en="100% of dossiers settled on time", measurement="manual",
            target=target, unit="%", direction="higher", today=today)
        item = services.add_item(coordinator, objective,
                                 description="Theo dõi hạn giải quyết từng hồ sơ hằng tuần",
                                 resources="Sổ theo dõi, 1 cán bộ", owner_id=owner_id,
                                 due_on=due_on or date(year, 6, 30),
                                 evaluation_method="Tỷ lệ hồ sơ đúng hạn trong quý")
        if done:
            services.complete_item(coordinator, objective, item, done_on=None, today=today,
                                   expected_version=item.version)
        db.session.commit()
        return SimpleNamespace(objective_id=objective.id, item_id=item.id)


def context_records(app, coordinator_id: int, review_on: date | None = None) -> SimpleNamespace:
    """One context issue and one interested party; their ids."""
    with app.app_context(), write_intent():
        today = clock.today()
        coordinator = db.session.get(User, coordinator_id)
        issue = services.create_issue(coordinator, kind="external",
                                      description="Thủ tục hành chính thay đổi thường xuyên",
                                      effect="Quy trình phải cập nhật kịp thời",
                                      review_on=review_on or today, today=today)
        party = services.create_party(coordinator, name_vi="Công dân", name_en="Citizens",
                                      requirements="Hồ sơ giải quyết đúng hạn; tiếp đón lịch sự",
                                      review_on=review_on or today, today=today)
        db.session.commit()
        return SimpleNamespace(issue_id=issue.id, party_id=party.id)


def objective_ids(app, make, endpoint: str, department_id: int,
                  owner_id: int | None = None) -> SimpleNamespace:
    """What a route of the quality.objectives or quality.context pages needs, for the route
    walk (tests/test_permissions.py); nothing for other routes."""
    if endpoint.startswith("quality.objectives."):
        coordinator = make.user(roles=["coordinator"])
        owner_id = owner_id or make.user(departments=[(department_id, "staff")]).id
        return objective_with_plan(app, department_id, coordinator_id=coordinator.id,
                                   owner_id=owner_id)
    if endpoint.startswith("quality.context."):
        return context_records(app, make.user(roles=["coordinator"]).id)
    return SimpleNamespace()


def version_of(app, model, row_id: int) -> int:
    """The version a page shows now for a record."""
    with app.app_context():
        return db.session.get(model, row_id).version


def policy_document(app, department_id: int, owner_id: int, *, public: bool = True) -> str:
    """A quality policy in force (a document of type "policy" with its effective revision,
    a tiny blank PDF stored); its code."""
    import io

    from compliance.core.db import utcnow
    from compliance.core.storage import get_store
    from compliance.documents.models import Document, Revision
    from tests.documents.helpers import blank_pdf

    data = blank_pdf()
    with app.app_context(), write_intent():
        blob = get_store().put(io.BytesIO(data), max_bytes=len(data))
        document = Document(code="CS-01", doc_type="policy", department_id=department_id,
                            title_vi="Chính sách chất lượng",
                            title_en="Quality policy of the district", owner_id=owner_id,
                            is_public=public, status="effective")
        db.session.add(document)
        db.session.flush()
        db.session.add(Revision(document_id=document.id, number=1, label="01",
                                status="effective", blob_sha256=blob.sha256,
                                file_size=blob.size, file_kind="pdf", filename="cs.pdf",
                                change_summary="Ban hành lần đầu", author_id=owner_id,
                                created_at=utcnow(), effective_date=utcnow().date()))
        db.session.commit()
        return document.code
