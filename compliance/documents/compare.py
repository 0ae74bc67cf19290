"""Comparing two revisions of a document: the text of each (read in the limited PDF child),
the difference line by line with the words changed inside a changed line, and the register
facts that differ. Reads only; the page is compliance.documents.web.compare."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from markupsafe import Markup, escape

from compliance.core.locale import format_day, format_moment
from compliance.core.pdf import RenderFailed, RenderLimitExceeded
from compliance.core.pdf.text import KINDS, text_limited
from compliance.core.storage import get_store
from compliance.documents import chain
from compliance.documents.labels import MEANING_LABELS, STATUS_LABELS
from compliance.documents.models import Revision

# Unchanged lines shown around each change; longer unchanged runs fold into one row.
CONTEXT = 3
# Below this likeness (difflib's ratio of their words) two lines are not marked word by word.
SIMILAR = 0.5
_WORDS = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


@dataclass
class Text:
    """The lines of one revision's text, or why there are none."""

    lines: list[str] = field(default_factory=list)
    note: str | None = None
    cut: bool = False


@dataclass(frozen=True)
class Row:
    """One row of the difference: `kind` is equal, delete, insert, replace or skip (a fold of
    `skipped` unchanged lines); left and right are escaped markup."""

    kind: str
    left: Markup = Markup("")
    right: Markup = Markup("")
    skipped: int = 0


def revision_text(revision: Revision) -> Text:
    """The text of a stored PDF or DOCX revision, read within the PDF child's limits."""
    if revision.file_kind not in KINDS:
        return Text(note=_("Only the text of PDF and DOCX files is compared; this revision "
                           "is a %(kind)s file.", kind=revision.file_kind.upper()))
    if revision.blob_destroyed_at is not None:
        return Text(note=_("The file of this revision was destroyed under the retention "
                           "rules; only its record remains."))
    data = get_store().read(revision.blob_sha256)
    try:
        lines, cut = text_limited(revision.file_kind, data)
    except RenderLimitExceeded as error:
        if error.busy:
            raise
        return Text(note=_("The text of this revision could not be read within the "
                           "server's time and memory limits."))
    except RenderFailed:
        return Text(note=_("No text could be read from this file."))
    if not lines:
        return Text(note=_("This file holds no text (a scan, perhaps)."))
    return Text(lines=lines, cut=cut)


def _mark(tag: str, text: str) -> Markup:
    css = "diff-del" if tag == "del" else "diff-ins"
    return Markup(f'<{tag} class="{css}">{escape(text)}</{tag}>')  # noqa: S704 - escaped


def _words(old: str, new: str) -> tuple[Markup, Markup]:
    """Both lines with the words removed from the first and added in the second marked."""
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < SIMILAR:
        # Lines with little in common read better as one removed and one added.
        return _mark("del", old), _mark("ins", new)
    left, right = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            left.append(escape("".join(a[i1:i2])))
            right.append(escape("".join(b[j1:j2])))
            continue
        if i2 > i1:
            left.append(_mark("del", "".join(a[i1:i2])))
        if j2 > j1:
            right.append(_mark("ins", "".join(b[j1:j2])))
    return Markup("").join(left), Markup("").join(right)


def _equal_rows(lines: list[str], first: bool, last: bool) -> list[Row]:
    """Unchanged lines: all of a short run, else the context around the changes."""
    keep_head = 0 if first else CONTEXT
    keep_tail = 0 if last else CONTEXT
    if len(lines) <= keep_head + keep_tail + 1:
        return [Row("equal", escape(line), escape(line)) for line in lines]
    rows = [Row("equal", escape(line), escape(line)) for line in lines[:keep_head]]
    rows.append(Row("skip", skipped=len(lines) - keep_head - keep_tail))
    rows += [Row("equal", escape(line), escape(line))
             for line in lines[len(lines) - keep_tail:]]
    return rows


def _changed_rows(old: list[str], new: list[str]) -> list[Row]:
    rows = []
    for k in range(max(len(old), len(new))):
        if k < len(old) and k < len(new):
            rows.append(Row("replace", *_words(old[k], new[k])))
        elif k < len(old):
            rows.append(Row("delete", left=_mark("del", old[k])))
        else:
            rows.append(Row("insert", right=_mark("ins", new[k])))
    return rows


def diff_rows(old: list[str], new: list[str]) -> list[Row]:
    """The rows of the difference between two texts, the unchanged runs folded."""
    opcodes = difflib.SequenceMatcher(None, old, new).get_opcodes()
    rows: list[Row] = []
    for n, (op, i1, i2, j1, j2) in enumerate(opcodes):
        if op == "equal":
            rows += _equal_rows(old[i1:i2], n == 0, n == len(opcodes) - 1)
        else:
            rows += _changed_rows(old[i1:i2], new[j1:j2])
    return rows


def _signatures(revision: Revision) -> str:
    """The approval chain as printed, then any signature that answers none of its steps."""
    steps = chain.chain_of(revision.document, revision)
    others = [f"{a.signer_name} ({MEANING_LABELS.get(a.meaning, a.meaning)})"
              for a in chain.others(revision, steps)]
    return "; ".join([*chain.printed(revision.document, revision), *others]) or "—"


def _facts(revision: Revision) -> list[tuple[str, str]]:
    return [
        (_("Status"), str(STATUS_LABELS.get(revision.status, revision.status))),
        (_("File name"), revision.filename),
        (_("Kind of file"), revision.file_kind.upper()),
        (_("Size"), _("%(kb)s KB", kb=f"{revision.file_size / 1024:.1f}")),
        (_("SHA-256"), revision.blob_sha256),
        (_("Author"), revision.author.name),
        (_("Uploaded"), format_moment(revision.created_at)),
        (_("Effective date"), format_day(revision.effective_date)
         if revision.effective_date else "—"),
        (_("Superseded"), format_moment(revision.superseded_at)
         if revision.superseded_at else "—"),
        (_("Signatures"), _signatures(revision)),
    ]


def metadata(old: Revision, new: Revision) -> list[tuple[str, str, str, bool]]:
    """(fact, old value, new value, changed) for the facts recorded about each revision."""
    return [(name, left, right, left != right)
            for (name, left), (_name, right) in zip(_facts(old), _facts(new), strict=True)]


@dataclass
class Comparison:
    """Everything the comparison page shows."""

    old: Revision
    new: Revision
    old_text: Text
    new_text: Text
    rows: list[Row]
    facts: list[tuple[str, str, str, bool]]

    @property
    def counts(self) -> tuple[int, int]:
        """Lines removed and lines added (a changed line counts once each way)."""
        removed = sum(1 for r in self.rows if r.kind in ("delete", "replace"))
        added = sum(1 for r in self.rows if r.kind in ("insert", "replace"))
        return removed, added


def compare(first: Revision, second: Revision) -> Comparison:
    """Compare two revisions, the older on the left (the long part: two text extractions)."""
    old, new = sorted((first, second), key=lambda r: r.number)
    old_text, new_text = revision_text(old), revision_text(new)
    rows = diff_rows(old_text.lines, new_text.lines) \
        if old_text.note is None and new_text.note is None else []
    return Comparison(old, new, old_text, new_text, rows, metadata(old, new))
