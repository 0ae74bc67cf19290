"""Job results are stored as data and said in the reader's language: on the scheduler page
(vi and en, real plurals, the reader's dates), failures prefixed, older plain-text rows as they
were, and by `compliance scheduler --once` in the installation's default language."""

from __future__ import annotations

import json

import pytest
from flask_babel import force_locale

from compliance.core.db import utcnow, write_intent
from compliance.core.extensions import db
from compliance.core.job_results import JobResult, load, phrase
from compliance.core.jobs import Job, JobRun, add, job, run_job
from tests.notifications.helpers import run

# One example of every code a job reports; a new code without its example fails the last test.
SAMPLES = {
    "notifications.new": ({"count": 1}, "1 new notification", "1 thông báo mới"),
    "outbox.email_off": ({}, "Email is off (COMPLIANCE_SMTP_HOST is not set)",
                         "Thư điện tử đang tắt (chưa đặt COMPLIANCE_SMTP_HOST)"),
    "outbox.nothing_due": ({}, "Nothing to send", "Không có thư nào cần gửi"),
    "outbox.unreachable": ({"error": "OSError: down", "count": 1},
                           "SMTP server unreachable (OSError: down); 1 email waits",
                           "Không kết nối được máy chủ SMTP (OSError: down); 1 thư đang chờ gửi"),
    "outbox.delivered": ({"sent": 1, "failed": 0, "left": 2},
                         "1 email sent, 0 failed, 2 left for later",
                         "Đã gửi 1 thư, 0 thư lỗi, 2 thư để lần sau"),
    "webhooks.nothing_due": ({}, "Nothing to post", "Không có gì để gửi"),
    "webhooks.delivered": ({"sent": 1, "failed": 0}, "1 delivery posted, 0 failed",
                           "1 lần chuyển đã gửi, 0 thất bại"),
    "webhooks.raised": ({"count": 1}, "1 webhook event raised",
                        "1 sự kiện webhook đã phát sinh"),
    "digest.queued": ({"count": 1}, "1 digest queued",
                      "Đã đưa 1 thư tổng hợp vào hàng chờ gửi"),
    "housekeeping.sessions_removed": ({"count": 1}, "1 old session record removed",
                                      "Đã xóa 1 bản ghi phiên đăng nhập cũ"),
    "documents.activated": ({"count": 1}, "1 revision came into force",
                            "1 phiên bản đã có hiệu lực"),
    "documents.disposition_due": (
        {"count": 1, "by": "2026-06-30", "held": 1},
        "1 revision due for disposition by 30 Jun 2026, 1 under legal hold",
        "1 phiên bản đến hạn xử lý trước ngày 30/06/2026, 1 đang bị phong tỏa hồ sơ"),
    "storage.fixity": ({"count": 2, "orphans": 1},
                       "2 stored files checked, all intact; 1 unreferenced",
                       "Đã kiểm tra 2 tệp đã lưu, tất cả nguyên vẹn; 1 tệp không được tham chiếu"),
}


def _said(app, result, locale: str) -> str:
    with app.app_context(), app.test_request_context(), force_locale(locale):
        return phrase(app, result)


def _store(app, job_id: str, text: str, ok: bool = True) -> None:
    """A run as an older version recorded it (plain text), which no job writes any more."""
    with app.app_context(), write_intent():
        db.session.add(JobRun(job_id=job_id, last_result=text, last_ok=ok, runs=4,
                              last_started_at=utcnow(), last_finished_at=utcnow()))
        db.session.commit()


def _cell(page: str, job_id: str) -> str:
    """The row of one job on the scheduler page."""
    start = page.index(f"<code>{job_id}</code>")
    return page[start:page.index("</tr>", start)]


def test_the_scheduler_page_says_each_result_in_the_readers_language(app, client, make,
                                                                     login):
    def boom(today, now):
        raise RuntimeError("no luck")

    add(app, Job("test.boom", boom, "interval", {"minutes": 5}))
    try:
        for job_id in ("alerts.reviews", "outbox", "documents.activate"):
            run(app, job_id, utcnow())
        assert run_job(app, job(app, "test.boom"))[0] is False
        _store(app, "alerts.audits", "3 new notification(s)")
        login(client, make.user(roles=["coordinator"]).email)
        english = client.get("/admin/scheduler/").get_data(as_text=True)
        client.post("/language", data={"locale": "vi"})
        vietnamese = client.get("/admin/scheduler/").get_data(as_text=True)
    finally:
        app.extensions["compliance_jobs"].pop("test.boom")
    expected = {
        "alerts.reviews": ("0 new notifications", "0 thông báo mới"),
        "outbox": ("Email is off (COMPLIANCE_SMTP_HOST is not set)",
                   "Thư điện tử đang tắt (chưa đặt COMPLIANCE_SMTP_HOST)"),
        "documents.activate": ("0 revisions came into force", "0 phiên bản đã có hiệu lực"),
        "test.boom": ("Failed: RuntimeError: no luck", "Thất bại: RuntimeError: no luck"),
        # Recorded before results were structured: shown as it was, in either language.
        "alerts.audits": ("3 new notification(s)", "3 new notification(s)"),
    }
    for job_id, (en, vi) in expected.items():
        assert en in _cell(english, job_id), job_id
        assert vi in _cell(vietnamese, job_id), job_id
    assert '{"code"' not in english + vietnamese
    assert "notification(s)" not in english.replace(_cell(english, "alerts.audits"), "")


def test_results_are_stored_as_json_and_read_back(app):
    result = run(app, "housekeeping", utcnow())
    assert result == JobResult("housekeeping.sessions_removed", {"count": 0})
    with app.app_context():
        stored = db.session.get(JobRun, "housekeeping").last_result
    assert json.loads(stored) == {"code": "housekeeping.sessions_removed",
                                  "params": {"count": 0}}
    assert load(stored) == result
    assert load("2 revision(s) came into force") == "2 revision(s) came into force"
    assert load("") == "" and load(None) == "" and load("[1]") == "[1]"
    assert _said(app, "Some old text", "vi") == "Some old text"
    # A code nobody phrases (a job since removed), or values that no longer fit: the code.
    assert _said(app, JobResult("gone.job", {"count": 1}), "en") == "gone.job"
    assert _said(app, JobResult("notifications.new", {}), "vi") == "notifications.new"


@pytest.mark.parametrize("count, en, vi", [
    (0, "0 new notifications", "0 thông báo mới"),
    (1, "1 new notification", "1 thông báo mới"),
    (2, "2 new notifications", "2 thông báo mới"),
])
def test_counts_take_real_plurals(app, count, en, vi):
    result = JobResult("notifications.new", {"count": count})
    assert (_said(app, result, "en"), _said(app, result, "vi")) == (en, vi)


def test_every_result_code_reads_in_both_languages_without_a_bracketed_plural(app):
    registered = set(app.extensions["compliance_job_results"])
    assert registered == set(SAMPLES), "give each new result code an example in SAMPLES"
    for code, (params, en, vi) in SAMPLES.items():
        result = JobResult(code, params)
        assert (_said(app, result, "en"), _said(app, result, "vi")) == (en, vi), code
        assert "(s)" not in en


def test_scheduler_once_prints_each_result_in_the_default_language(app, runner):
    done = runner.invoke(args=["scheduler", "--once"])
    assert done.exit_code == 0, done.output
    lines = done.output.splitlines()
    assert "alerts.reviews: ok: 0 thông báo mới" in lines
    assert "outbox: ok: Thư điện tử đang tắt (chưa đặt COMPLIANCE_SMTP_HOST)" in lines
    assert "documents.activate: ok: 0 phiên bản đã có hiệu lực" in lines
    assert "(s)" not in done.output
