"""The six-monthly report and the management-review input pack as PDFs (vi or en), each
rendered in a time- and memory-limited child process. Callers render before they write."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from compliance.capa.labels import STATE_LABELS
from compliance.core.pdf import render_limited
from compliance.quality.risks.labels import LEVEL_LABELS
from compliance.reports import quality
from compliance.reports.labels import ACTION_LABELS


def six_monthly(report, locale: str, below=()) -> bytes:
    """The six-monthly report in the given language (with the sections of the organisations
    below, reports.rollup, for an overseer)."""
    with force_locale(locale):
        html = render_template("pdf/reports/six_monthly.html", report=report, locale=locale,
                               below=below,
                               quality=quality.six_monthly(report),
                               ca_states={k: str(v) for k, v in STATE_LABELS.items()})
    return render_limited(html)


def input_pack(pack, locale: str) -> bytes:
    """The management-review input pack in the given language."""
    with force_locale(locale):
        html = render_template("pdf/reports/input_pack.html", pack=pack, locale=locale,
                               quality=quality.input_pack(pack),
                               level_names={k: str(v) for k, v in LEVEL_LABELS.items()},
                               action_states={k: str(v) for k, v in ACTION_LABELS.items()})
    return render_limited(html)
