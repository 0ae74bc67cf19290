"""Issue 15: the Python script of docs/api.md that posts measure values from a CSV, run as
written against a real server process (a child forked from the test's app) with a service
account's token: what it prints, what it refuses, and the values recorded."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from compliance.core.extensions import db
from compliance.quality.measures.models import MeasureValue
from tests import forked_server
from tests.api.helpers import bearer
from tests.quality.measures.helpers import cast, measure

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _script() -> str:
    """The Python block of the guide's section on posting measure values."""
    section = GUIDE.read_text(encoding="utf-8").split("## Posting measure values", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


@pytest.mark.one_database
def test_the_guides_script_posts_the_values_of_a_csv(app, make, clock, tmp_path):
    people = cast(make)
    plain = measure(app, people)
    measure(app, people, code="KPI-TP-02", ratio=True)
    secret = bearer(app, people.recorder.id)["Authorization"].split()[1]
    (tmp_path / "post_values.py").write_text(_script(), encoding="utf-8")
    (tmp_path / "values.csv").write_text(
        "measure,period,value,received,on_time,late\n"
        "KPI-TP-01,2026-05,\"97,5\",,,\n"
        "KPI-TP-02,2026-05,,40,30,2\n"
        "KPI-TP-01,2026-05,99,,,\n"           # the period is recorded already
        "KPI-XX-09,2026-05,99,,,\n", encoding="utf-8")  # no such measure
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # the child opens its own connections
    pid, port = forked_server.start(app, backlog=8)
    try:
        run = subprocess.run(
            [sys.executable, "post_values.py", "values.csv"], cwd=tmp_path, timeout=60,
            capture_output=True, text=True, env={
                **os.environ, "COMPLIANCE_API": f"http://127.0.0.1:{port}/api/v1",
                "COMPLIANCE_TOKEN": secret})
    finally:
        forked_server.stop(pid)
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines() == ["KPI-TP-01 2026-05: 97.5 (met)",
                                       "KPI-TP-02 2026-05: 75.0 (missed)"]
    refused = run.stderr.splitlines()
    assert refused[0].startswith("KPI-TP-01 2026-05: refused: A value is already recorded")
    assert refused[1] == "KPI-XX-09 2026-05: refused: no such measure"
    with app.app_context():
        assert db.session.scalar(select(MeasureValue.value).where(
            MeasureValue.measure_id == plain)) == 97.5
