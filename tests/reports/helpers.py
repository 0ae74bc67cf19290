"""A management review with one open action, made through the same services the pages use."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from compliance.db import write_intent
from compliance.extensions import db
from compliance.reports import services


def review_ids(app, make, endpoint: str = "reviews.") -> SimpleNamespace:
    """A review and an open action (only for the routes that need one)."""
    if not endpoint.startswith("reviews."):
        return SimpleNamespace()
    owner = make.user(name="Trần Minh Thư")
    with app.app_context(), write_intent():
        review = services.create_review(None, held_on=date(2026, 1, 15),
                                        period_start=date(2025, 7, 1),
                                        period_end=date(2025, 12, 31),
                                        chair="Chủ tịch UBND huyện", summary="Hệ thống phù hợp",
                                        check=False)
        action = services.add_action(None, review, description="Rà soát quy trình một cửa",
                                     owner_id=owner.id, due_on=date(2026, 3, 31), check=False)
        db.session.commit()
        return SimpleNamespace(review_id=review.id, action_id=action.id)
