"""Template rendering made cheaper (issue 16, item 13) without changing what is rendered.

- Compiled templates are kept for the life of the process and shared by every app it builds:
  a page's first request no longer parses and compiles its templates again for each new app
  (the test suite builds one app per test; a server builds one per worker). A template whose
  source changed is compiled afresh (the bucket checks the source's checksum).
- The templates' gettext functions find the request's translations once and keep them beside
  Flask-Babel's own per-request state, instead of walking Flask-Babel's lookups for each of
  the hundred or so strings a page holds. A changed locale (`force_locale`, `refresh`) is seen.
- `render_field` is drawn in Python (core/field_markup.py), not by Bootstrap-Flask's macro.
Also the templates' `status_class` (core/status.py) and `printed_on` (the print header's day).
"""

from __future__ import annotations

from flask import Flask, g
from flask_babel import get_translations
from jinja2 import pass_context
from jinja2.bccache import Bucket, BytecodeCache
from markupsafe import Markup

from compliance.core import clock, select_markup
from compliance.core.field_markup import render_field
from compliance.core.status import status_class


class ProcessBytecodeCache(BytecodeCache):
    """Compiled template code kept in memory, keyed by template and checked by checksum."""

    def __init__(self) -> None:
        self._codes: dict[str, tuple[str, object]] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        """Hand the bucket the code compiled earlier from the same source, if any."""
        found = self._codes.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        """Keep the code just compiled."""
        self._codes[bucket.key] = (bucket.checksum, bucket.code)


PROCESS_BYTECODE = ProcessBytecodeCache()


def _translations():
    """The current translations, looked up once per locale and domain in a request."""
    try:
        state = g._flask_babel
        cached = state.compliance_translations
        if cached[0] is state.babel_locale and cached[1] is state.babel_domain:
            return cached[2]
    except (AttributeError, RuntimeError):
        pass
    found = get_translations()
    try:
        state = g._flask_babel
        state.compliance_translations = (state.babel_locale, state.babel_domain, found)
    except (AttributeError, RuntimeError):
        pass  # outside an app context: nothing to keep it in
    return found


def init_app(app: Flask) -> None:
    """Share compiled templates across apps; install the quicker gettext functions and the
    quicker select widget (core/select_markup.py)."""
    app.jinja_env.bytecode_cache = PROCESS_BYTECODE
    select_markup.install()
    app.jinja_env.globals.update(render_field=render_field, status_class=status_class,
                                 printed_on=clock.today)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True)
    # Straight to the quick gettext: Jinja's `_` asks the context for `gettext` and calls it
    # through two more layers, then formats the result even without variables.
    app.jinja_env.globals["gettext"] = app.jinja_env.globals["_"] = _gettext


@pass_context
def _gettext(context, string: str, **variables):
    """Jinja's newstyle gettext (the result is a format string, escaped when autoescaping),
    with the translation of a string without variables kept per language: the base layout
    alone asks for thirty on every page."""
    translations = _translations()
    autoescape = context.eval_ctx.autoescape
    if variables or not autoescape:
        found = translations.ugettext(string)
        return (Markup(found) if autoescape else found) % variables  # noqa: S704 - as Jinja
    kept = translations.__dict__.setdefault("_compliance_kept", {})
    found = kept.get(string)
    if found is None:
        found = kept[string] = Markup(translations.ugettext(string)) % {}  # noqa: S704
    return found
