"""Stamping, rendering and merging: generated sections (WeasyPrint) and stored PDFs (pypdf)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from flask import render_template
from flask_babel import gettext as _
from pypdf import PdfReader, PdfWriter

from compliance.core.db import utcnow
from compliance.core.pdf import Stamp, html_to_pdf
from compliance.evidence.builder.collect import Collected, DocEntry, css_string
from compliance.evidence.builder.digest import MANIFEST_FORMAT, MANIFEST_NAME, page_digest, sha256

GENERATED = ("register", "documents", "audits", "actions", "quality", "trail", "manifest")
# The sections after the documents, in their order; "quality" only when the pack asks for it.
AFTER_DOCUMENTS = ("audits", "actions", "quality", "trail")


def section_titles() -> dict[str, str]:
    """Bookmark and contents titles of the sections, in the pack's language."""
    return {"cover": _("Cover"), "contents": _("Contents"),
            "register": _("Register of documents in force"),
            "documents": _("Documents in force"),
            "audits": _("Audit reports, checklists and findings"),
            "actions": _("Corrective actions"),
            "quality": _("Quality objectives, measures and risk register"),
            "trail": _("Audit trail extract"),
            "manifest": _("Manifest")}


def stamp_of(entry: DocEntry, org: str) -> Stamp:
    """The evidence-copy stamp of a document: the same for every pack, so copies are reused."""
    return Stamp(
        header=_("CONTROLLED EVIDENCE COPY · %(code)s revision %(label)s · %(org)s",
                 code=entry.code, label=entry.label, org=org),
        footer=_("Original file SHA-256 %(sha)s · effective %(day)s",
                 sha=entry.sha256, day=entry.effective_date.isoformat()
                 if entry.effective_date else "—"))


def stamp_key(stamp: Stamp) -> str:
    """What identifies a stamp's text and the shape of copies (core.pdf.stamp.COPY_FORMAT:
    copies made before active content was removed are not reused), for the cache of stamped
    copies."""
    return stamp.key()


@dataclass
class Part:
    """A run of pages in the pack: a generated section or one document."""

    key: str
    title: str
    data: bytes
    level: int = 0
    entry: DocEntry | None = None
    reader: PdfReader | None = None
    first_page: int = 0
    # The code of the organisation whose records these are, in a pack across several.
    organisation: str | None = None

    def __post_init__(self):
        self.reader = PdfReader(io.BytesIO(self.data))

    @property
    def pages(self) -> int:
        """Number of pages of this part."""
        return len(self.reader.pages)


@dataclass
class Built:
    """The finished pack and what was recorded inside it."""

    data: bytes
    pages: int
    manifest: dict
    manifest_sha256: str
    timings: dict[str, float] = field(default_factory=dict)


def _front(pack, org, titles, parts, offset) -> bytes:
    toc = [(p.title, p.level, p.first_page + offset) for p in parts]
    return html_to_pdf(render_template("pdf/evidence/front.html", pack=pack, org_name=org,
                                       toc=toc, titles=titles, generated_at=utcnow(),
                                       locale=pack.locale, css=css_string))


def _layout(parts: list[Part]) -> None:
    page = 1
    for part in parts:
        part.first_page, page = page, page + part.pages


def front_matter(pack, org: str, titles: dict, parts: list[Part]) -> Part:
    """Cover and contents with page numbers; rendered until its own length stops changing."""
    _layout(parts)
    # A cover page and about 45 contents lines a page: usually right the first time.
    guess = 1 + -(-(len(parts) + 2) // 45)
    for _attempt in range(4):
        data = _front(pack, org, titles, parts, guess)
        count = len(PdfReader(io.BytesIO(data)).pages)
        if count == guess:
            break
        guess = count
    return Part("front", titles["cover"], data)


def manifest_section(pack, org: str, collected: Collected, files: list[dict]) -> str:
    """The human-readable manifest's HTML."""
    return render_template("pdf/evidence/manifest.html", pack=pack, org_name=org, files=files,
                           head=collected.trail_head, manifest_name=MANIFEST_NAME,
                           locale=pack.locale, css=css_string)


def file_record(entry: DocEntry, stamped_sha: str | None) -> dict:
    """One included file as the manifest lists it."""
    return {"role": "document", "revision_id": entry.revision_id, "code": entry.code,
            "revision": entry.label, "filename": entry.filename, "kind": entry.file_kind,
            "sha256": entry.sha256, "size": entry.size, "stamped_sha256": stamped_sha,
            "embedded_as": None if entry.is_pdf else entry.attachment_name}


def merge(pack, org: str, front: Part, parts: list[Part], attachments: dict[str, bytes],
          manifest: dict, progress: Callable[[int, str], None]) -> tuple[bytes, dict]:
    """Append every part, bookmark sections and documents, embed files and the manifest."""
    writer = PdfWriter()
    titles = section_titles()
    writer.append(front.reader, import_outline=False)
    writer.add_outline_item(titles["cover"], 0)
    writer.add_outline_item(titles["contents"], 1)
    offset, parents = front.pages, {}
    for part in parts:
        writer.append(part.reader, import_outline=False)
        index = offset + part.first_page - 1
        # Each part under the last one a level up: section › document, or, across
        # organisations, organisation › section › document.
        parents[part.level] = writer.add_outline_item(part.title, index,
                                                      parent=parents.get(part.level - 1))
    progress(92, "digests")
    manifest["sections"] = [{"key": p.key, "title": p.title, "level": p.level,
                             "first_page": offset + p.first_page,
                             "last_page": offset + p.first_page + p.pages - 1,
                             "code": p.entry.code if p.entry else None,
                             "revision": p.entry.label if p.entry else None,
                             **({"organisation": p.organisation} if p.organisation else {})}
                            for p in [front] + parts]
    manifest["sections"][0].update(first_page=1, last_page=front.pages)
    manifest["pages"] = [page_digest(page) for page in writer.pages]
    for name, data in attachments.items():
        writer.add_attachment(name, data)
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True,
                                indent=1).encode("utf-8")
    writer.add_attachment(MANIFEST_NAME, manifest_bytes)
    writer.add_metadata({"/Title": f"{pack.reference} — {pack.scope_label}", "/Author": org,
                         "/Subject": titles["manifest"], "/Creator": "compliance"})
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), {"manifest_bytes": manifest_bytes}


def base_manifest(pack, org: str, collected: Collected, files: list[dict],
                  attachments: dict[str, bytes]) -> dict:
    """What the embedded manifest records before sections and page digests are added."""
    head = collected.trail_head
    return {"format": MANIFEST_FORMAT, "pack_id": pack.id, "reference": pack.reference,
            "organisation": org, "generated_at": utcnow().isoformat(timespec="seconds"),
            "generated_by": pack.created_by.email,
            "scope": {"kind": pack.scope_kind, "id": pack.scope_id, "label": pack.scope_label},
            "period": {"from": pack.period_start.isoformat(), "to": pack.period_end.isoformat()},
            "files": files, "counts": collected.counts,
            "attachments": [{"name": n, "sha256": sha256(d), "size": len(d)}
                            for n, d in attachments.items()],
            "trail_head": {"seq": head[0], "hash": head[1]} if head else None}


def render_parts(collected: Collected, titles: dict, stamped: dict[int, bytes],
                 progress: Callable[[int, str], None]) -> tuple[list[Part], dict[str, float]]:
    """Render the generated sections and line them up with the stamped documents."""
    import time

    timings: dict[str, float] = {}
    started = time.perf_counter()
    rendered = {}
    keys = [k for k in ("register", "documents", *AFTER_DOCUMENTS) if k in collected.html]
    for number, key in enumerate(keys):
        rendered[key] = html_to_pdf(collected.html[key])
        progress(62 + number * 25 // len(keys), "render:" + key)
    timings["render_sections"] = time.perf_counter() - started
    parts = [Part("register", titles["register"], rendered["register"]),
             Part("documents", titles["documents"], rendered["documents"])]
    for entry in collected.documents:
        if entry.is_pdf:
            parts.append(Part("document", f"{entry.code} · {entry.label} · {entry.title}",
                              stamped[entry.revision_id], level=1, entry=entry))
    parts += [Part(key, titles[key], rendered[key]) for key in AFTER_DOCUMENTS
              if key in rendered]
    return parts, timings
