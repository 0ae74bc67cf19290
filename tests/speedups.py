"""Test speed: what every app compiles the same way is compiled once per process.

Every test makes a fresh app (its own database, its own config). Two things each new app
did from scratch were most of the suite's CPU time, and neither depends on the app:
- Werkzeug compiles two URL-builder functions for each of its ~110 rules with `ast` and
  `compile()`. The code depends only on the rule's text, trace and defaults; the rule is passed
  in at call time (`.self`), so the code is kept here, keyed on those inputs.
- Werkzeug also parses each rule's text into its regex parts (`Rule.compile`), again the same
  for every app: the parts, trace, converters and argument names are kept here, keyed on the
  rule's text and the map settings that shape them.
- (Compiled templates are shared by the apps of a process in the product itself since issue
  16: compliance/core/templating.py.)
- SQLAlchemy compiles each statement once per engine (its cache is keyed on the engine's
  dialect), and each new engine adapts every column type again: a fifth of a typical test's
  time went there. The apps of a process that use the same database URL (each worker's
  PostgreSQL database; the SQLite file the `app` fixtures use, copied afresh for each test) get
  one engine, kept here; its connection listeners are installed once. The fixtures close its
  SQLite connections after each test and keep PostgreSQL's (tests/conftest.py `_clean_up`).
Production builds one app per process and keeps Flask's defaults.
"""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.engine import make_url
from werkzeug.routing.rules import Rule

import compliance.core.application

_original_builder = Rule._compile_builder
_original_compile = Rule.compile
_parsed: dict[tuple, tuple] = {}
_original_engine = SQLAlchemy._make_engine
_original_configure = compliance.core.application.configure_engine
_builders: dict[tuple, object] = {}
# Databases (PostgreSQL name, SQLite path) whose engine is kept for every app of the process
# (conftest registers them).
SHARED_DATABASES: set[str] = set()
_engines: dict[tuple, object] = {}


def _key(rule: Rule, append_unknown: bool) -> tuple | None:
    defaults = rule.defaults or {}
    try:
        # A default that appears in the rule is folded into the code through its converter.
        folded = tuple(sorted((name, rule._converters[name].to_url(value))
                              for name, value in defaults.items() if name in rule._converters))
        return (rule.rule, tuple(rule._trace), tuple(sorted(map(str, defaults))), folded,
                append_unknown)
    except Exception:  # an unusual default: compile it the ordinary way
        return None


def _compile_builder(self: Rule, append_unknown: bool = True):
    key = _key(self, append_unknown)
    if key is None:
        return _original_builder(self, append_unknown)
    builder = _builders.get(key)
    if builder is None:
        builder = _builders[key] = _original_builder(self, append_unknown)
    return builder


def _converters_key(rule_map) -> tuple:
    # Sorted once per map, not once per rule (a map's converters are all set before its
    # rules are added; a change in their number is noticed).
    converters = rule_map.converters
    kept = rule_map.__dict__.get("_speedups_converters")
    if kept is None or kept[0] != len(converters):
        kept = (len(converters), tuple(sorted((name, id(kind))
                                              for name, kind in converters.items())))
        rule_map._speedups_converters = kept
    return kept[1]


def _compile(self: Rule) -> None:
    defaults = self.defaults
    key = (self.rule, self.subdomain, self.host, self.merge_slashes, self.map.host_matching,
           _converters_key(self.map), tuple(sorted(map(str, defaults))) if defaults else ())
    kept = _parsed.get(key)
    if kept is None:
        _original_compile(self)
        # Without defaults a rule's builders depend only on what the key holds: kept with it.
        builders = (self._build.__func__, self._build_unknown.__func__) if not defaults \
            else None
        _parsed[key] = (tuple(self._parts), tuple(self._trace), dict(self._converters),
                        frozenset(self.arguments), builders)
        return
    parts, trace, rule_converters, arguments, builders = kept
    # Converters keep no state but the map they were made for, which they never read.
    self._parts, self._trace, self._converters = list(parts), list(trace), dict(rule_converters)
    self.arguments |= arguments
    if builders is None:
        builders = (self._compile_builder(False), self._compile_builder(True))
    self._build = builders[0].__get__(self, None)
    self._build_unknown = builders[1].__get__(self, None)


def _make_engine(self, bind_key, options, app):
    parsed = make_url(options["url"])
    if parsed.database not in SHARED_DATABASES:
        return _original_engine(self, bind_key, options, app)
    url = parsed.render_as_string(hide_password=False)
    key = (url, repr(sorted((k, v) for k, v in options.items() if k != "url")))
    engine = _engines.get(key)
    if engine is None:
        engine = _engines[key] = _original_engine(self, bind_key, options, app)
    return engine


def _configure_engine(engine, busy_timeout_ms: int) -> None:
    # A kept engine already has its listeners; a second set would run every PRAGMA twice.
    if getattr(engine, "_listeners_installed", None) == busy_timeout_ms:
        return
    if getattr(engine, "_listeners_installed", None) is not None:
        raise AssertionError("a shared engine was configured with another busy timeout")
    _original_configure(engine, busy_timeout_ms)
    engine._listeners_installed = busy_timeout_ms


def install() -> None:
    """Use the memoised URL builders and the kept engines (idempotent)."""
    Rule._compile_builder = _compile_builder
    Rule.compile = _compile
    SQLAlchemy._make_engine = _make_engine
    compliance.core.application.configure_engine = _configure_engine
