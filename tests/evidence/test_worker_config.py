"""The worker is handed the app's whole configuration: a setting added later reaches the
worker's own app without anyone listing it; what JSON cannot carry is rebuilt or named."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import timedelta

from compliance.evidence import server, worker, worker_main


def _handed_over(app, monkeypatch) -> dict:
    """The job as the worker process reads it back from its environment."""
    env = worker.environment_with(worker.job_for(app, 7, "key"))
    monkeypatch.setitem(os.environ, worker.ENV_VAR, env[worker.ENV_VAR])
    job = worker.take_job()
    assert worker.ENV_VAR not in os.environ  # not inherited by what the worker starts
    return job


def test_a_newly_added_setting_reaches_the_workers_app(app, monkeypatch):
    app.config["STORAGE_URL"] = "s3://evidence-bucket/packs"
    app.config["SOMETHING_NOBODY_LISTED"] = {"depth": 3, "names": ["a", "b"]}
    job = _handed_over(app, monkeypatch)
    child = worker_main.app_for(job)
    assert child.config["STORAGE_URL"] == "s3://evidence-bucket/packs"
    assert child.config["SOMETHING_NOBODY_LISTED"] == {"depth": 3, "names": ["a", "b"]}
    # The same database, files and organisation as the app that queued the pack.
    for key in ("SQLALCHEMY_DATABASE_URI", "STORAGE_PATH", "SECRET_KEY", "ORG_TIMEZONE",
                "EVIDENCE_TIME_LIMIT", "DOCUMENT_CODE_PATTERN"):
        assert child.config[key] == app.config[key], key
    assert child.instance_path == app.instance_path
    assert job["pack_id"] == 7 and job["key"] == "key"


def test_values_json_cannot_carry_are_rebuilt_or_named(app, monkeypatch, caplog):
    app.config["SESSION_LIFETIME_HOURS"] = 5
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=5)  # derived, rebuilt
    app.config["A_CALLABLE_SETTING"] = print
    with caplog.at_level(logging.WARNING, logger="compliance.evidence.worker"):
        job = _handed_over(app, monkeypatch)
    assert "PERMANENT_SESSION_LIFETIME" not in job["config"]
    assert "A_CALLABLE_SETTING" not in job["config"]
    warned = " ".join(r.getMessage() for r in caplog.records)
    assert "A_CALLABLE_SETTING" in warned and "PERMANENT_SESSION_LIFETIME" not in warned
    child = worker_main.app_for(job)
    assert child.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=5)


def test_the_web_side_of_the_worker_imports_no_app_factory():
    """Launching and supervising import no app: `compliance.app` imports the web layer, which
    imports the worker, so an app factory there would close a cycle."""
    code = ("import sys; import compliance.evidence.worker; "
            "print('compliance.app' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)
    assert result.stdout.strip() == "False"


def test_the_entry_points_refuse_to_run_without_a_job(monkeypatch):
    monkeypatch.delitem(os.environ, worker.ENV_VAR, raising=False)
    assert worker_main.main(["--build", "1"]) == 2
    assert server.main([]) == 2 and server.main(["two"]) == 2
