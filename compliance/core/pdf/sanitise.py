"""Active content in a PDF: found at upload, removed from every copy the product issues.

The walk visits every dictionary of the file (each indirect object once, and every direct
dictionary inside it), not only the places the specification lists, so an action hidden in an
unusual slot is found too. The original's bytes are never changed: the functions work on a
`pikepdf.Pdf` opened from them, and the caller saves a new file."""

from __future__ import annotations

from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

# What can be found, in the order a message lists it.
KINDS = ("javascript", "launch", "submit", "embedded_file", "multimedia", "xfa")

# Action types (an action dictionary's /S) that run code, reach outside the file or play media.
# Plain links (/URI to a web address, /GoTo within the file, /Named) stay.
_ACTIONS = {"/JavaScript": "javascript", "/Launch": "launch", "/GoToR": "launch",
            "/GoToE": "launch", "/SubmitForm": "submit", "/ImportData": "submit",
            "/Rendition": "multimedia", "/Movie": "multimedia", "/Sound": "multimedia",
            "/RichMediaExecute": "multimedia"}
# Annotations that carry a file or a player; they are taken off the page.
_ANNOTATIONS = {"/FileAttachment": "embedded_file", "/RichMedia": "multimedia",
                "/Screen": "multimedia", "/Movie": "multimedia", "/Sound": "multimedia",
                "/3D": "multimedia"}
# Keys whose value is one action (/Next: one or an array of them).
_ACTION_KEYS = ("/A", "/OpenAction", "/PA", "/Next")
# Document-level name trees of scripts and of files.
_NAME_TREES = {"/JavaScript": "javascript", "/EmbeddedFiles": "embedded_file"}


def find_active(pdf: pikepdf.Pdf) -> list[str]:
    """The kinds of active content in the file, in the order of KINDS."""
    return _walk(pdf, remove=False)


def remove_active(pdf: pikepdf.Pdf) -> list[str]:
    """Take every active part out of the opened file, in place; the kinds that were there."""
    return _walk(pdf, remove=True)


def _walk(pdf: pikepdf.Pdf, *, remove: bool) -> list[str]:
    found: set[str] = set()
    for holder in _dictionaries(pdf):
        _actions(holder, found, remove)
        _additional_actions(holder, found, remove)
        _structures(holder, found, remove)
        if not remove:
            _stray_script(holder, found, remove)
    if remove:
        # Once every slot is cleared: a script left in a slot no reader should use.
        for holder in _dictionaries(pdf):
            _stray_script(holder, found, remove)
    return [kind for kind in KINDS if kind in found]


def _dictionaries(pdf: pikepdf.Pdf) -> Iterator[Dictionary | Stream]:
    """Every dictionary and stream of the file, each once; a holder's children are read after
    the caller has changed it, so what was removed is not walked."""
    seen: set[tuple[int, int]] = set()
    stack: list = [pdf.trailer, *pdf.objects]
    while stack:
        obj = stack.pop()
        if not isinstance(obj, (Dictionary, Stream, Array)):
            continue
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if not isinstance(obj, Array):
            yield obj
        values = list(obj) if isinstance(obj, Array) else [v for _k, v in obj.items()]
        # Indirect children are in pdf.objects too; pushed all the same (`seen` keeps each
        # once), so nothing reachable is missed whatever the object list holds.
        stack.extend(v for v in values if isinstance(v, (Dictionary, Stream, Array)))


def _action_kind(obj) -> str | None:
    """What an action does, when it is active; None for plain links and non-actions."""
    if not isinstance(obj, (Dictionary, Stream)):
        return None
    if "/JS" in obj:
        return "javascript"
    subtype = obj.get("/S")
    if not isinstance(subtype, Name):
        return None
    if subtype == Name.URI:
        uri = obj.get("/URI")
        target = bytes(uri).decode("latin-1", "replace") if isinstance(uri, pikepdf.String) \
            else str(uri or "")
        return "javascript" if target.strip().lower().startswith("javascript:") else None
    return _ACTIONS.get(str(subtype))


def _actions(holder, found: set[str], remove: bool) -> None:
    for key in _ACTION_KEYS:
        if key not in holder:
            continue
        value = holder[key]
        items = list(value) if key == "/Next" and isinstance(value, Array) else [value]
        kinds = [_action_kind(item) for item in items]
        found.update(k for k in kinds if k)
        if remove and any(kinds):
            kept = [item for item, kind in zip(items, kinds, strict=True) if not kind]
            if key == "/Next" and isinstance(value, Array) and kept:
                holder[key] = Array(kept)
            else:
                del holder[key]


def _stray_script(holder, found: set[str], remove: bool) -> None:
    if "/JS" in holder:
        found.add("javascript")
        if remove:
            for key in list(holder.keys()):
                del holder[key]


def _additional_actions(holder, found: set[str], remove: bool) -> None:
    """/AA: actions run on events (opening a page, typing in a field, printing, closing)."""
    triggers = holder.get("/AA")
    if not isinstance(triggers, Dictionary):
        return
    for event in list(triggers.keys()):
        kind = _action_kind(triggers[event])
        if kind:
            found.add(kind)
            if remove:
                del triggers[event]
    if remove and not list(triggers.keys()):
        del holder["/AA"]


def _structures(holder, found: set[str], remove: bool) -> None:
    """Name trees of scripts and files, embedded file streams, XFA forms, annotations that
    carry files or players, and the portfolio view."""
    names = holder.get("/Names")
    if isinstance(names, Dictionary):
        for tree, kind in _NAME_TREES.items():
            if tree in names:
                if _has_entries(names[tree]):
                    found.add(kind)
                if remove:
                    del names[tree]
    _associated_files(holder, found, remove)
    if "/EF" in holder:  # a file specification with the file inside it
        found.add("embedded_file")
        if remove:
            for key in ("/EF", "/RF"):
                if key in holder:
                    del holder[key]
    if "/XFA" in holder and "/Fields" in holder:
        found.add("xfa")
        if remove:
            # Without its XFA the form is shown from its ordinary fields, never "rendered".
            for key in ("/XFA", "/NeedsRendering"):
                if key in holder:
                    del holder[key]
    if remove and "/Collection" in holder and "/Pages" in holder:
        del holder["/Collection"]
    annotations = holder.get("/Annots")
    if isinstance(annotations, Array):
        _annotations(holder, annotations, found, remove)


def _associated_files(holder, found: set[str], remove: bool) -> None:
    """/AF: files associated with the document, a page or an object (PDF 2.0)."""
    files = holder.get("/AF")
    specs = list(files) if isinstance(files, Array) else [files]
    specs = [spec for spec in specs if isinstance(spec, (Dictionary, Stream))
             and ("/EF" in spec or spec.get("/Type") == Name.Filespec)]
    if any("/EF" in spec for spec in specs):
        found.add("embedded_file")
    if remove and specs:
        del holder["/AF"]


def _annotations(page, annotations: Array, found: set[str], remove: bool) -> None:
    kept = []
    for annotation in annotations:
        subtype = annotation.get("/Subtype") if isinstance(annotation, Dictionary) else None
        kind = _ANNOTATIONS.get(str(subtype)) if isinstance(subtype, Name) else None
        if kind:
            found.add(kind)
        else:
            kept.append(annotation)
    if remove and len(kept) != len(annotations):
        page["/Annots"] = Array(kept)


def _has_entries(tree) -> bool:
    if not isinstance(tree, Dictionary):
        return False
    return any(isinstance(tree.get(key), Array) and len(tree[key]) > 0
               for key in ("/Names", "/Kids"))
