"""Check a pack file against its embedded manifest, the recorded pack and the stored blobs."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from compliance.core.extensions import db
from compliance.core.locale import format_moment
from compliance.core.storage import BlobCorrupted, get_store
from compliance.documents.models import Revision
from compliance.evidence.builder.digest import MANIFEST_FORMAT, MANIFEST_NAME, page_digest, sha256
from compliance.evidence.models import EvidencePack

if TYPE_CHECKING:
    from pypdf import PdfReader


@dataclass
class Report:
    """The verdict: what was checked and every difference found."""

    problems: list[str] = field(default_factory=list)
    checks: list[str] = field(default_factory=list)
    pack_id: int | None = None
    reference: str | None = None

    @property
    def ok(self) -> bool:
        """Whether nothing differs."""
        return not self.problems


def _attachments(reader: PdfReader) -> dict[str, bytes]:
    found = {}
    for name, contents in reader.attachments.items():
        found[name] = contents[0] if contents else b""
    return found


def _manifest(reader: PdfReader, report: Report) -> tuple[dict | None, dict[str, bytes]]:
    try:
        attachments = _attachments(reader)
    except Exception:  # a damaged name tree must say so, not stop the check
        report.problems.append(_("The embedded files of this PDF cannot be read."))
        return None, {}
    raw = attachments.pop(MANIFEST_NAME, None)
    if raw is None:
        report.problems.append(_("This PDF has no embedded manifest: it is not an evidence "
                                 "pack of this system, or the manifest was removed."))
        return None, attachments
    try:
        manifest = json.loads(raw)
    except ValueError:
        report.problems.append(_("The embedded manifest is not valid JSON."))
        return None, attachments
    if manifest.get("format") != MANIFEST_FORMAT:
        report.problems.append(_("The embedded manifest is of an unknown format."))
        return None, attachments
    return manifest | {"_sha256": sha256(raw)}, attachments


def verify_pack(data: bytes) -> Report:
    """Every check, in order; differences are described so a person can act on them."""
    report = Report()
    try:
        from pypdf import PdfReader  # read only by the verify command and page

        reader = PdfReader(io.BytesIO(data), strict=False)
        pages = reader.pages
        len(pages)
    except Exception as error:
        report.problems.append(_("The file is not a readable PDF (%(why)s).",
                                 why=str(error)[:120] or type(error).__name__))
        return report
    manifest, attachments = _manifest(reader, report)
    if manifest is None:
        return report
    report.pack_id, report.reference = manifest.get("pack_id"), manifest.get("reference")
    _against_record(data, manifest, report)
    _files(manifest, report)
    _embedded(manifest, attachments, report)
    _pages(reader, manifest, report)
    return report


def _against_record(data: bytes, manifest: dict, report: Report) -> None:
    pack = db.session.get(EvidencePack, manifest.get("pack_id") or 0)
    if pack is None or pack.status != "ready":
        report.problems.append(_("No ready pack %(reference)s is recorded in this system.",
                                 reference=manifest.get("reference")))
        return
    when = format_moment(pack.finished_at)
    if sha256(data) != pack.blob_sha256:
        report.problems.append(_("The pack's bytes differ from the pack recorded on "
                                 "%(when)s (SHA-256 %(actual)s, recorded %(recorded)s).",
                                 when=when, actual=sha256(data), recorded=pack.blob_sha256))
    else:
        report.checks.append(_("The pack's SHA-256 equals the one recorded on %(when)s.",
                               when=when))
    if manifest["_sha256"] != pack.manifest_sha256:
        report.problems.append(_("The embedded manifest differs from the one recorded when "
                                 "the pack was built."))
    try:
        get_store().read(pack.blob_sha256)
    except (BlobCorrupted, FileNotFoundError):
        report.problems.append(_("The stored copy of the pack is missing or damaged."))


def _files(manifest: dict, report: Report) -> None:
    store = get_store()
    for entry in manifest.get("files", []):
        name = f"{entry.get('code')} {_('revision')} {entry.get('revision')}"
        revision = db.session.get(Revision, entry.get("revision_id") or 0)
        if revision is None:
            report.problems.append(_("File %(name)s: no such revision is recorded.", name=name))
            continue
        if revision.blob_sha256 != entry.get("sha256"):
            report.problems.append(_("File %(name)s: manifest hash %(manifest)s but stored "
                                     "blob %(stored)s.", name=name, manifest=entry.get("sha256"),
                                     stored=revision.blob_sha256))
            continue
        if revision.blob_destroyed_at is not None:
            # Destroyed by a signed disposition since the pack was built: the record's hash
            # still matches; the stored copy is gone on purpose.
            report.checks.append(_("File %(name)s: destroyed on %(day)s under the retention "
                                   "rules; its recorded hash matches.", name=name,
                                   day=format_moment(revision.blob_destroyed_at)))
            continue
        try:
            store.read(revision.blob_sha256)
        except (BlobCorrupted, FileNotFoundError):
            report.problems.append(_("File %(name)s: the stored blob %(sha)s is missing or no "
                                     "longer matches its hash.", name=name,
                                     sha=revision.blob_sha256))
    report.checks.append(_("%(count)d files compared with the stored blobs.",
                           count=len(manifest.get("files", []))))


def _embedded(manifest: dict, attachments: dict[str, bytes], report: Report) -> None:
    expected = {a["name"]: a["sha256"] for a in manifest.get("attachments", [])}
    for name, digest in expected.items():
        if name not in attachments:
            report.problems.append(_("Embedded file %(name)s is missing.", name=name))
        elif sha256(attachments[name]) != digest:
            report.problems.append(_("Embedded file %(name)s changed: manifest hash "
                                     "%(manifest)s but the file's is %(actual)s.", name=name,
                                     manifest=digest, actual=sha256(attachments[name])))
    for name in sorted(set(attachments) - set(expected)):
        report.problems.append(_("Embedded file %(name)s is not in the manifest.", name=name))


def _where(manifest: dict, page_number: int) -> str:
    for section in manifest.get("sections", []):
        if section["first_page"] <= page_number <= section["last_page"]:
            inner = page_number - section["first_page"] + 1
            if section.get("code"):
                return _("Page %(inner)d of document %(code)s revision %(label)s (page %(page)d "
                         "of the pack)", inner=inner, code=section["code"],
                         label=section["revision"], page=page_number)
            return _("Page %(inner)d of section “%(title)s” (page %(page)d of the pack)",
                     inner=inner, title=section["title"], page=page_number)
    return _("Page %(page)d of the pack", page=page_number)


def _pages(reader: PdfReader, manifest: dict, report: Report) -> None:
    expected = manifest.get("pages", [])
    if len(reader.pages) != len(expected):
        report.problems.append(_("The pack has %(found)d pages; its manifest lists %(listed)d.",
                                 found=len(reader.pages), listed=len(expected)))
    for number, (page, digest) in enumerate(zip(reader.pages, expected, strict=False),
                                            start=1):
        try:
            actual = page_digest(page)
        except Exception:  # an unreadable page is a changed page
            actual = None
        if actual != digest:
            report.problems.append(_("%(where)s has changed.", where=_where(manifest, number)))
    report.checks.append(_("%(count)d page digests compared.", count=len(expected)))
