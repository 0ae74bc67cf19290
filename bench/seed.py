"""Bulk-load a synthetic register for benchmarks (core inserts, not the services)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import insert

from compliance.auth.models import User, UserRole
from compliance.auth.passwords import hash_password
from compliance.core.db import utcnow
from compliance.core.extensions import db
from compliance.documents.models import Document, DocumentSearch, Revision
from compliance.documents.search import fold
from compliance.org import clauses, organisations
from compliance.org.models import Department

PASSWORD = "bench-password-2026"  # noqa: S105 - a throwaway benchmark account
_PHRASE = ("quy trình cấp giấy chứng nhận đăng ký hộ kinh doanh thẩm định dự toán ngân sách "
           "tiếp nhận hồ sơ trả kết quả đất đai môi trường xây dựng lao động thương binh xã hội "
           "văn hóa thông tin tư pháp chứng thực bản sao nội vụ tuyển dụng công chức")
WORDS = tuple(_PHRASE.split(" "))
RARE = ("hiếm-một", "hiếm-hai", "hiếm-ba")  # each appears in a handful of documents only


def seed(rows: int, batch: int = 5000, rng_seed: int = 9001) -> str:
    """Create departments, one coordinator and `rows` effective documents; returns the e-mail."""
    rng = random.Random(rng_seed)
    organisations.load_default()  # the organisation every scoped row belongs to (issue 14)
    clauses.load()
    departments = [Department(code=f"D{n:02d}", name_vi=f"Phòng {n}", name_en=f"Office {n}")
                   for n in range(20)]
    db.session.add_all(departments)
    user = User(email="bench@example.test", name="Benchmark", locale="en",
                password_hash=hash_password(PASSWORD), roles=[UserRole(role="coordinator")])
    db.session.add(user)
    db.session.flush()
    now, today = utcnow(), date.today()
    for start in range(0, rows, batch):
        docs, searches, revisions = [], [], []
        for n in range(start, min(rows, start + batch)):
            dept = departments[n % len(departments)]
            title = " ".join(rng.choice(WORDS) for _ in range(6)).capitalize()
            body = " ".join(rng.choice(WORDS) for _ in range(40))
            if n % 20_000 == 7:
                body += " " + RARE[(n // 20_000) % len(RARE)]
            code = f"QT-{dept.code}-{n:06d}"
            docs.append({"id": n + 1, "code": code, "doc_type": "procedure",
                         "department_id": dept.id, "title_vi": title, "title_en": title,
                         "owner_id": user.id, "status": "effective",
                         "review_interval_months": 12, "is_public": False, "version": 1,
                         "next_review_date": today + timedelta(days=n % 700),
                         "created_at": now, "updated_at": now})
            revisions.append({"document_id": n + 1, "number": 1, "label": "01",
                              "status": "effective", "blob_sha256": "0" * 64, "file_size": 1,
                              "file_kind": "pdf", "filename": f"{code}.pdf",
                              "change_summary": "seed", "author_id": user.id,
                              "created_at": now, "effective_date": today})
            searches.append({"document_id": n + 1, "code": fold(code),
                             "title": fold(title), "body": fold(body)})
        db.session.execute(insert(Document), docs)
        db.session.execute(insert(Revision), revisions)
        db.session.execute(insert(DocumentSearch), searches)
    db.session.commit()
    return user.email
