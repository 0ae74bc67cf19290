"""What a scheduled job reports: a code and its values, stored as JSON, phrased when read.

A job's outcome is kept on the scheduler page for days and read by people of either language,
so it is stored as data (`JobResult("notifications.new", {"count": 3})`) and written as a
sentence only when shown, in the reader's language, with real plurals and the reader's dates.
Each domain says how its codes read (a dict of phrasings in its labels.py) and adds it with
`add_phrasings(app, ...)` from its `register(app)`; core knows no domain's codes, only its own
"failed". Rows stored before results were structured hold plain text and are shown as they are.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask import Flask
from flask_babel import gettext

log = logging.getLogger(__name__)
_EXTENSION = "compliance_job_results"
FAILED = "failed"
# A job run once per organisation: each one's result, beside its code (core.jobs).
PER_ORGANISATION = "per_organisation"
# How one code reads: the stored values in, the sentence in the active language out.
Phrasing = Callable[[Mapping], str]


@dataclass(frozen=True)
class JobResult:
    """One run's outcome: a code (`<domain>.<what>`) and JSON values (counts, ISO dates, text)."""

    code: str
    params: dict = field(default_factory=dict)

    def dump(self) -> str:
        """The stored form (JobRun.last_result)."""
        return json.dumps({"code": self.code, "params": self.params}, ensure_ascii=False,
                          sort_keys=True)


def failed(error: BaseException) -> JobResult:
    """The result of a job that raised: its exception, as text, shown as it is."""
    return JobResult(FAILED, {"error": f"{type(error).__name__}: {error}"[:2000]})


def load(stored: str | None) -> JobResult | str:
    """A stored result: a JobResult, or the plain text an older run left."""
    try:
        data = json.loads(stored or "")
    except ValueError:
        return stored or ""
    if not isinstance(data, dict) or not isinstance(data.get("code"), str):
        return stored or ""
    params = data.get("params")
    return JobResult(data["code"], params if isinstance(params, dict) else {})


def add_phrasings(app: Flask, phrasings: Mapping[str, Phrasing]) -> None:
    """Say how a domain's result codes read (from the domain's `register(app)`)."""
    table: dict[str, Phrasing] = app.extensions.setdefault(_EXTENSION, {})
    for code, phrasing in phrasings.items():
        if table.get(code, phrasing) is not phrasing:
            raise ValueError(f"two phrasings of the job result {code!r}")
        table[code] = phrasing


def phrase(app: Flask, result: JobResult | str | None) -> str:
    """A result (or its stored form) as a sentence in the active language."""
    if not isinstance(result, JobResult):
        result = load(result)
        if not isinstance(result, JobResult):
            return result
    if result.code == FAILED:
        return gettext("Failed: %(error)s", error=result.params.get("error", ""))
    if result.code == PER_ORGANISATION:
        return "; ".join(f"{part.get('organisation')}: "
                         f"{phrase(app, JobResult(part.get('code', ''), part.get('params', {})))}"
                         for part in result.params.get("parts", []))
    phrasing = app.extensions.get(_EXTENSION, {}).get(result.code)
    if phrasing is None:
        return result.code
    try:
        return phrasing(result.params)
    except (KeyError, TypeError, ValueError):
        # Stored by an older version whose values differ: the code says what happened.
        log.warning("job result %s cannot be phrased from %r", result.code, result.params)
        return result.code
