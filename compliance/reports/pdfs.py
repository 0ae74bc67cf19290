"""The six-monthly report and the management-review input pack as PDFs (vi or en), each
rendered in a time- and memory-limited child process. Callers render before they write."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale

from compliance.capa.labels import STATE_LABELS
from compliance.core.pdf import render_limited
from compliance.reports.labels import ACTION_LABELS


def six_monthly(report, locale: str) -> bytes:
    """The six-monthly report in the given language."""
    with force_locale(locale):
        html = render_template("pdf/reports/six_monthly.html", report=report, locale=locale,
                               ca_states={k: str(v) for k, v in STATE_LABELS.items()})
    return render_limited(html)


def input_pack(pack, locale: str) -> bytes:
    """The management-review input pack in the given language."""
    with force_locale(locale):
        html = render_template("pdf/reports/input_pack.html", pack=pack, locale=locale,
                               action_states={k: str(v) for k, v in ACTION_LABELS.items()})
    return render_limited(html)
