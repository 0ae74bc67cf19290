"""Comparing two revisions: the text of two real PDFs and of two real DOCX files, who may
compare, and the refusals (unknown revision 404, the same one twice 400)."""

from __future__ import annotations

import html

import pytest

from compliance.core.pdf import html_to_pdf
from compliance.documents.compare import diff_rows
from tests.documents.test_rules import Setup
from tests.factories import PASSWORD
from tests.office_files import docx


def _pdf(*paragraphs: str) -> bytes:
    return html_to_pdf("<html><body>" + "".join(f"<p>{p}</p>" for p in paragraphs)
                       + "</body></html>")


def _compare(client, s, a, b, **args):
    return client.get(f"/documents/{s.doc_id}/compare", query_string={"a": a, "b": b, **args})


def _draft(s, content, summary="Ban hành lần đầu", **kwargs):
    assert s.upload(content=content, summary=summary, **kwargs).status_code == 302
    return s.latest()[0]


def _effective(s, content, summary="Ban hành lần đầu", **kwargs):
    revision = _draft(s, content, summary, **kwargs)
    s.author.post(s.url(revision, "submit"))
    s.coordinator.post(s.url(revision, "sign"), data={"meaning": "approved",
                                                       "password": PASSWORD})
    assert s.latest() == (revision, "effective")
    return revision


def test_two_pdfs_compared_with_who_may_and_the_refusals(app, make, login):
    s = Setup(app, make, login)
    first = _effective(s, _pdf("Điều 1. Phạm vi áp dụng", "Thời hạn giải quyết 10 ngày",
                               "Điều 3. Lưu hồ sơ"))
    second = _draft(s, _pdf("Điều 1. Phạm vi áp dụng", "Thời hạn giải quyết 7 ngày",
                            "Điều 3. Lưu hồ sơ &lt;b&gt; &amp; thi hành"), "Rút ngắn thời hạn")
    page = _compare(s.author, s, second, first)
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    # Older on the left whatever the order asked; changed words marked, text escaped.
    assert body.index("Ban hành lần đầu") < body.index("Rút ngắn thời hạn")
    assert '<del class="diff-del">10</del>' in body and '<ins class="diff-ins">7</ins>' in body
    assert "Điều 1. Phạm vi áp dụng" in html.unescape(body)
    # Text from the file is escaped: a "<b>" in it stays text.
    assert '<ins class="diff-ins"> &lt;b&gt; &amp; thi hành</ins>' in body and "<b>" not in body
    assert "diff-changed" in body  # status, file and author facts differ
    inline = _compare(s.author, s, first, second, view="inline").get_data(as_text=True)
    assert "diff-line-del" in inline and "diff-line-ins" in inline
    # Staff read the revision in force, not the draft: they may not compare the two.
    assert _compare(s.staff, s, first, second).status_code == 403
    assert s.staff.get(f"/documents/{s.doc_id}/compare").status_code == 200
    # The document page offers the comparison to whoever may open two revisions.
    assert "compare-form" in s.author.get(f"/documents/{s.doc_id}").get_data(as_text=True)
    assert "compare-form" not in s.staff.get(f"/documents/{s.doc_id}").get_data(as_text=True)
    assert _compare(s.author, s, first, 999999).status_code == 404
    assert _compare(s.author, s, "x1", second).status_code == 404
    same = _compare(s.author, s, first, first)
    assert same.status_code == 400
    assert "Choose two different revisions to compare." in html.unescape(
        same.get_data(as_text=True))


def test_two_docx_files_compared_and_superseded_ones_for_history_readers(app, make, login):
    s = Setup(app, make, login)
    first = _effective(s, docx(paragraphs=("Bước 1: tiếp nhận", "Bước 2: thẩm định")),
                       filename="huong-dan.docx")
    second = _effective(s, docx(paragraphs=("Bước 1: tiếp nhận", "Bước 2: thẩm định nhanh",
                                            "Bước 3: trả kết quả")),
                        "Thêm bước 3", filename="huong-dan.docx")
    auditor = app.test_client()
    login(auditor, make.user(roles=["auditor"]).email)
    body = _compare(auditor, s, first, second).get_data(as_text=True)
    assert '<ins class="diff-ins"> nhanh</ins>' in body
    assert "Bước 3: trả kết quả" in html.unescape(body)
    assert "1 line removed or changed, 2 added or changed." in body
    # Revision 01 is superseded now: the department's staff no longer open it.
    assert _compare(s.staff, s, first, second).status_code == 403
    # Past the time limit the child is stopped and the page says so (a fresh child with
    # another memory limit: starting it alone takes longer than the limit).
    kept = {key: app.config[key] for key in ("PDF_TIME_LIMIT", "PDF_MEMORY_LIMIT_MB")}
    app.config.update(PDF_TIME_LIMIT=0.05, PDF_MEMORY_LIMIT_MB=1023)
    try:
        limited = _compare(auditor, s, first, second)
    finally:
        app.config.update(kept)
    assert limited.status_code == 200
    assert "within the server's time and memory limits" in html.unescape(
        limited.get_data(as_text=True))


@pytest.mark.one_database
def test_diff_rows_fold_unchanged_runs_and_escape():
    old = [f"dòng {n}" for n in range(20)] + ["<script>"]
    new = [f"dòng {n}" for n in range(20)] + ["<script>x"]
    rows = diff_rows(old, new)
    assert rows[0].kind == "skip" and rows[0].skipped == 17
    assert rows[-1].kind == "replace" and "<script>" not in rows[-1].left
    assert rows[-1].right.endswith('<ins class="diff-ins">x</ins>')
    assert [r.kind for r in diff_rows(["a"], [])] == ["delete"]
