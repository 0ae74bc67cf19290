"""Long Vietnamese subjects arrive word for word: folding the header into encoded words never
drops the space between two words (mail readers join adjacent encoded words)."""

from __future__ import annotations

from datetime import date, timedelta

from compliance.documents.models import Document
from tests.documents.helpers import document_target
from tests.notifications.conftest import at
from tests.notifications.helpers import emails, run, set_columns

DUE = date(2026, 9, 30)
TITLE = "cấp giấy chứng nhận quyền sử dụng đất cho hộ gia đình và cá nhân"
WORDS = TITLE.split()


def test_a_long_vietnamese_subject_keeps_every_space(mail_app, mail_make, smtp_server):
    dept = mail_make.department()
    # Titles of growing length, so that folding falls between two words somewhere.
    for count in range(len(WORDS)):
        owner = mail_make.user(name="Ngô Thị Mai", locale="vi", email=f"mai{count}@example.test")
        doc = document_target(mail_app, dept.id, owner.id)
        set_columns(mail_app, Document, doc.document_id, next_review_date=DUE,
                    title_vi=" ".join(["Quy trình", *WORDS[:count + 1]]))
    now = at(DUE - timedelta(days=30))
    run(mail_app, "alerts.reviews", now)
    run(mail_app, "outbox", now)
    stored = {e.to: e.subject for e in emails(mail_app)}
    assert len(stored) == len(WORDS) == len(smtp_server.messages)
    for received in smtp_server.messages:
        [to] = received.to
        # Parsed by the email package from the bytes the SMTP server received.
        assert received.message["Subject"] == stored[to]
        assert "đến hạn ngày 30/09/2026" in stored[to]
