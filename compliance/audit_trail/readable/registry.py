"""Every event code the code base records, mapped to its sentence. A code made from a value
(`revision.sign.{meaning}`) is a family: a pattern with `*` and one sentence per value.
tests/test_history.py reads every `record(` call of the source and fails on a code, or a
pattern, that is not here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from compliance.audit_trail.readable import (
    sentences_admin,
    sentences_audits,
    sentences_capa,
    sentences_documents,
    sentences_quality,
    sentences_scope,
)
from compliance.audit_trail.readable.spec import Spec, say

MODULES = (sentences_documents, sentences_audits, sentences_capa, sentences_quality,
           sentences_admin, sentences_scope)

# Whatever the code, the reader gets a sentence and the labelled fields that changed.
GENERIC = say(_l("%(actor)s made a change to this record"), changes=True)


def _expand(pattern: str, specs: dict[str, Spec]) -> dict[str, Spec]:
    return {pattern.replace("*", value): spec for value, spec in specs.items()}


SENTENCES: dict[str, Spec] = {
    code: spec
    for module in MODULES
    for table in (module.SENTENCES, *(_expand(p, s) for p, s in module.FAMILIES.items()))
    for code, spec in table.items()
}
FAMILIES: dict[str, tuple[str, ...]] = {
    pattern: tuple(specs) for module in MODULES for pattern, specs in module.FAMILIES.items()
}


def spec_for(code: str) -> Spec:
    """The sentence of an event code; the generic one for a code nobody registered."""
    return SENTENCES.get(code, GENERIC)


def codes() -> frozenset[str]:
    """Every code with a sentence of its own (families expanded)."""
    return frozenset(SENTENCES)


def families() -> dict[str, tuple[str, ...]]:
    """Each family's pattern and the values it has sentences for."""
    return dict(FAMILIES)
