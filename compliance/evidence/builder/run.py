"""The build itself: collect, stamp, render, assemble; the caller stores the result."""

from __future__ import annotations

import io
import time
from collections.abc import Callable

from flask_babel import force_locale
from flask_babel import gettext as _
from pypdf import PdfReader
from sqlalchemy import select

from compliance.core import tenancy
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.pdf import html_to_pdf, stamp_pdf
from compliance.core.storage import BlobCorrupted, get_store
from compliance.evidence.builder import assemble
from compliance.evidence.builder.collect import Collected, collect
from compliance.evidence.builder.digest import sha256
from compliance.evidence.models import StampedCopy
from compliance.org.naming import organisation_name

Progress = Callable[[int, str], None]


class BuildError(DomainError):
    """The pack cannot be built; the message says why and is stored on the pack."""


def org_name(pack) -> str:
    """The name of the pack's organisation in the pack's language."""
    return organisation_name(pack.locale, pack.organisation_id)


def _read(store, entry) -> bytes:
    try:
        return store.read(entry.sha256)
    except (BlobCorrupted, FileNotFoundError, ValueError):
        raise BuildError(_("The file of %(code)s revision %(label)s is missing from storage "
                           "or damaged (SHA-256 %(sha)s).", code=entry.code, label=entry.label,
                           sha=entry.sha256)) from None


def stamp_documents(collected: Collected, org: str, progress: Progress):
    """Stamped copies of the PDFs (reused when made before) and the other files to embed."""
    store = get_store()
    keys = {e.revision_id: assemble.stamp_key(assemble.stamp_of(e, org))
            for e in collected.documents if e.is_pdf}
    cached = {(c.source_sha256, c.stamp_sha256): c.blob_sha256 for c in db.session.scalars(
        select(StampedCopy).where(StampedCopy.source_sha256.in_(
            [e.sha256 for e in collected.documents if e.is_pdf])))}
    stamped, attachments, new_copies = {}, {}, []
    total = max(len(collected.documents), 1)
    for number, entry in enumerate(collected.documents):
        original = _read(store, entry)
        if not entry.is_pdf:
            attachments[entry.attachment_name] = original
        else:
            stamped[entry.revision_id] = _stamped(store, entry, original, org, keys, cached,
                                                  new_copies)
        if number % 5 == 0:
            progress(10 + int(50 * number / total), "documents")
    return stamped, attachments, new_copies


def _stamped(store, entry, original, org, keys, cached, new_copies) -> bytes:
    key = keys[entry.revision_id]
    known = cached.get((entry.sha256, key))
    if known and store.exists(known):
        try:
            return store.read(known)
        except BlobCorrupted:
            pass  # made again below
    try:
        data = stamp_pdf(original, assemble.stamp_of(entry, org))
    except Exception as error:  # a damaged upload must name itself, not stop the build vaguely
        raise BuildError(_("The PDF of %(code)s revision %(label)s could not be read: %(why)s",
                           code=entry.code, label=entry.label, why=str(error)[:200])) from None
    blob = store.put(io.BytesIO(data), max_bytes=len(data) + 1)
    new_copies.append(StampedCopy(source_sha256=entry.sha256, stamp_sha256=key,
                                  blob_sha256=blob.sha256,
                                  pages=len(PdfReader(io.BytesIO(data)).pages)))
    return data


def build(pack, progress: Progress, release: Callable[[], None]) -> tuple:
    """Build the pack's bytes; release() is called once the database is no longer needed."""
    timings: dict[str, float] = {}
    # The worker has no signed-in person: it reads as the pack's organisation (core.tenancy).
    with force_locale(pack.locale), tenancy.acting_for(pack.organisation_id):
        org = org_name(pack)
        started = time.perf_counter()
        collected = collect(pack, org)
        timings["collect"] = time.perf_counter() - started
        progress(10, "documents")
        started = time.perf_counter()
        stamped, attachments, new_copies = stamp_documents(collected, org, progress)
        timings["stamp"] = time.perf_counter() - started
        files = [assemble.file_record(e, sha256(stamped[e.revision_id]) if e.is_pdf else None)
                 for e in collected.documents]
        manifest = assemble.base_manifest(pack, org, collected, files, attachments)
        manifest_html = assemble.manifest_section(pack, org, collected, files)
        release()
        titles = assemble.section_titles()
        parts, render_timings = assemble.render_parts(collected, titles, stamped, progress)
        timings.update(render_timings)
        started = time.perf_counter()
        parts.append(assemble.Part("manifest", titles["manifest"], html_to_pdf(manifest_html)))
        progress(88, "contents")
        front = assemble.front_matter(pack, org, titles, parts)
        timings["render_front_manifest"] = time.perf_counter() - started
        started = time.perf_counter()
        data, extra = assemble.merge(pack, org, front, parts, attachments, manifest, progress)
        timings["merge"] = time.perf_counter() - started
    pages = front.pages + sum(p.pages for p in parts)
    generated = front.pages + sum(p.pages for p in parts if p.level == 0)
    built = assemble.Built(data=data, pages=pages, manifest=manifest,
                           manifest_sha256=sha256(extra["manifest_bytes"]), timings=timings)
    built.timings["generated_pages"] = generated
    return built, new_copies
