"""Office files (DOCX, XLSX, ODT, ODS) judged by opening them, never by the names of their
parts alone: the zip read safely, every XML part parsed without entities, the document opened
with its format's own library, and macros, active parts, password protection and unsafe part
names refused with a message that names what was found."""

from __future__ import annotations

import io
import logging
import re
import stat
import zipfile
import zlib
from collections.abc import Callable
from xml.parsers import expat

from defusedxml import EntitiesForbidden, ExternalReferenceForbidden
from flask_babel import gettext as _

from compliance.core.names import shortened, visible

log = logging.getLogger(__name__)

# A zip that expands past either bound is treated as a bomb, not a document. zipfile never
# reads a part past its declared size (it stops there and the CRC check fails), so the
# declared sizes bound what the parsers below can be made to read.
MAX_UNZIPPED_BYTES = 512 * 1024 * 1024
MAX_ZIP_RATIO = 200
MAX_PARTS = 10_000  # a long report with many images has a few hundred
# An XML part the libraries load whole into memory (every DOCX part, an ODF content.xml, an
# XLSX's shared strings) is a tree several times its size: 64 MiB is thousands of pages.
# XLSX sheets are read as a stream and are bounded only by the total.
MAX_XML_PART = 64 * 1024 * 1024
STREAMED_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$")
CHUNK = 1 << 20
UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError,
              ValueError)

ODF_MIMETYPES = {"application/vnd.oasis.opendocument.text": "odt",
                 "application/vnd.oasis.opendocument.spreadsheet": "ods"}
REQUIRED = {"docx": ("[Content_Types].xml", "_rels/.rels", "word/document.xml"),
            "xlsx": ("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"),
            "odt": ("content.xml",), "ods": ("content.xml",)}
# Parts that hold code: VBA projects (Word, Excel), Excel 4 macro and dialog sheets, embedded
# macro-enabled files, LibreOffice Basic and scripts.
MACRO_PART = re.compile(r"(^|/)(vbaproject\.bin|vbadata\.xml)$|(^|/)(macrosheets|dialogsheets)/"
                        r"|\.(docm|dotm|xlsm|xltm|xlam|pptm|potm|ppam|ppsm|sldm)$"
                        r"|^(basic|scripts)/", re.IGNORECASE)
ACTIVEX_PART = re.compile(r"(^|/)activex/", re.IGNORECASE)
# Outside resources a reader's office program loads when the file opens (a remote template is
# how macros are brought into a macro-free file). Hyperlinks and linked images are left alone.
LOADED_LINKS = frozenset(("attachedTemplate", "oleObject", "subDocument", "frame"))
# Parsed first: they decide what the other parts mean (and, for ODF, whether they are
# encrypted, in which case they are not XML at all).
FIRST = ("META-INF/manifest.xml", "[Content_Types].xml", "_rels/.rels")

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
ODF_BODY = {"odt": OFFICE + "text", "ods": OFFICE + "spreadsheet"}


class Refused(Exception):
    """An office file the product will not take; the message says why, for the uploader."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def inspect(data: bytes) -> str | None:
    """The office kind of a zip ("docx", "xlsx", "odt", "ods"), None for any other zip, or
    Refused with the reason."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except UNREADABLE as error:
        raise Refused(_("The file is damaged and cannot be read.")) from error
    with archive:
        check_parts(entries, len(data))
        names = [e.filename for e in entries]
        try:
            kind = _kind(archive, set(names))
        except UNREADABLE as error:
            raise Refused(_("The file is damaged and cannot be read.")) from error
        if kind is None:
            return None
        _refuse_code(names)
        for required in REQUIRED[kind]:
            if required not in names:
                raise Refused(_("The %(kind)s file is damaged and cannot be read: "
                                "%(part)s is missing.", kind=kind.upper(), part=required))
        found = _parse_xml_parts(archive, names, kind)
    _open_with_library(kind, data, found)
    return kind


def _shown(name: str) -> str:
    """A part name as the uploader may be shown it."""
    return shortened(visible(name), 80) or "?"


def check_parts(entries: list[zipfile.ZipInfo], size: int) -> None:
    """Refuse zip bombs, too many parts, unsafe or repeated names, links and encrypted parts."""
    if len(entries) > MAX_PARTS:
        raise Refused(_("The file has too many parts (%(count)d, at most %(limit)d) and was "
                        "refused.", count=len(entries), limit=MAX_PARTS))
    unzipped = sum(e.file_size for e in entries)
    if unzipped > MAX_UNZIPPED_BYTES or unzipped > MAX_ZIP_RATIO * max(size, 1):
        raise Refused(_("The file expands to an unreasonable size and was refused."))
    seen: set[str] = set()
    for entry in entries:
        name = entry.filename
        if _unsafe_name(name):
            raise Refused(_("The file contains a part with an unsafe name (%(name)s) and was "
                            "refused.", name=_shown(name)))
        if name in seen:
            raise Refused(_("The file contains the part %(name)s twice and was refused.",
                            name=_shown(name)))
        seen.add(name)
        if stat.S_ISLNK(entry.external_attr >> 16):
            raise Refused(_("The file contains a link (%(name)s) where a part should be and "
                            "was refused.", name=_shown(name)))
        if entry.flag_bits & 0x1:
            raise Refused(_("The file is protected by a password (%(name)s is encrypted). "
                            "Upload it without a password.", name=_shown(name)))
        if entry.file_size > MAX_XML_PART and _is_xml(name) and not STREAMED_PART.match(name):
            raise Refused(_("The file has a part too large to open (%(name)s, %(mb)d MB; at "
                            "most %(limit)d MB) and was refused.", name=_shown(name),
                            mb=entry.file_size // (1024 * 1024),
                            limit=MAX_XML_PART // (1024 * 1024)))


def _is_xml(name: str) -> bool:
    return name.lower().endswith((".xml", ".rels"))


def _unsafe_name(name: str) -> bool:
    """Absolute, climbing out (..), naming a drive, or holding control characters."""
    parts = re.split(r"[\\/]", name)
    return (not name or name[0] in "/\\" or re.match(r"[A-Za-z]:", name) is not None
            or ".." in parts or any(ord(ch) < 32 or ord(ch) == 127 for ch in name))


def _kind(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    if "mimetype" in names and archive.getinfo("mimetype").file_size <= 200:
        mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
        if mimetype in ODF_MIMETYPES:
            return ODF_MIMETYPES[mimetype]
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def _refuse_code(names: list[str]) -> None:
    for name in names:
        if MACRO_PART.search(name):
            raise Refused(_("The file contains macros (%(name)s). Save it without macros (as "
                            "DOCX, XLSX, ODT or ODS) and upload it again.", name=_shown(name)))
        if ACTIVEX_PART.search(name):
            raise Refused(_("The file contains ActiveX controls (%(name)s). Remove them and "
                            "upload it again.", name=_shown(name)))


def _parse_xml_parts(archive: zipfile.ZipFile, names: list[str], kind: str) -> set[str]:
    """Parse every XML part (well-formed, no entity declarations, nothing external), looking
    for macros, encryption and loaded links on the way; the ODF body tags found come back."""
    found: set[str] = set()
    xml_parts = [n for n in names if _is_xml(n)]
    xml_parts.sort(key=lambda n: n not in FIRST)
    for name in xml_parts:
        on_start = _watcher(name, kind, found)
        try:
            _parse(archive, name, on_start)
        except (EntitiesForbidden, ExternalReferenceForbidden) as error:
            raise Refused(_("The file contains XML entity declarations or outside references "
                            "(in %(name)s), which documents do not need, and was refused.",
                            name=_shown(name))) from error
        except expat.ExpatError as error:
            raise Refused(_("The file is damaged and cannot be read: %(name)s is not valid "
                            "XML.", name=_shown(name))) from error
        except UNREADABLE as error:
            raise Refused(_("The file is damaged and cannot be read: %(name)s cannot be "
                            "unpacked.", name=_shown(name))) from error
    return found


def _no_entities(name, *_args):
    raise EntitiesForbidden(name, None, None, None, None, None)


def _no_external(context, base, system_id, public_id):
    raise ExternalReferenceForbidden(context, base, system_id, public_id)


def _parse(archive: zipfile.ZipFile, name: str, on_start: Callable | None) -> None:
    """defusedxml's guards on a bare expat parser: no Python call per element unless a part
    is watched, so a large spreadsheet is checked at the C parser's speed."""
    parser = expat.ParserCreate(namespace_separator="}")
    parser.EntityDeclHandler = _no_entities
    parser.UnparsedEntityDeclHandler = _no_entities
    parser.ExternalEntityRefHandler = _no_external
    if on_start is not None:
        parser.StartElementHandler = on_start
    with archive.open(name) as stream:
        while chunk := stream.read(CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _watcher(name: str, kind: str, found: set[str]) -> Callable | None:
    """What to look at in a part while it is parsed, if anything."""
    if name == "[Content_Types].xml":
        return _content_type
    if name.endswith(".rels"):
        return _relationship
    if name == "META-INF/manifest.xml":
        return _manifest_entry()
    if name == "content.xml" and kind in ODF_BODY:
        body = ODF_BODY[kind]

        def odf_body(tag, _attrs):
            if tag == body or tag == OFFICE + "document-content":
                found.add(tag)

        return odf_body
    return None


def _content_type(tag: str, attrs: dict) -> None:
    content_type = attrs.get("ContentType", "").lower()
    if "macroenabled" in content_type or "vbaproject" in content_type:
        where = attrs.get("PartName") or attrs.get("Extension") or content_type
        raise Refused(_("The file contains macros (%(name)s). Save it without macros (as "
                        "DOCX, XLSX, ODT or ODS) and upload it again.", name=_shown(where)))
    if "activex" in content_type:
        raise Refused(_("The file contains ActiveX controls (%(name)s). Remove them and "
                        "upload it again.", name=_shown(attrs.get("PartName") or content_type)))


def _relationship(tag: str, attrs: dict) -> None:
    if attrs.get("TargetMode") != "External":
        return
    if attrs.get("Type", "").rsplit("/", 1)[-1] in LOADED_LINKS:
        raise Refused(_("The file loads %(target)s from outside itself when it is opened. "
                        "Remove the link (for example an attached template) and upload it "
                        "again.", target=_shown(attrs.get("Target", ""))))


def _manifest_entry() -> Callable:
    current = {"path": ""}

    def entry(tag: str, attrs: dict) -> None:
        if tag == MANIFEST + "file-entry":
            current["path"] = attrs.get(MANIFEST + "full-path", "")
        elif tag == MANIFEST + "encryption-data":
            raise Refused(_("The file is protected by a password (%(name)s is encrypted). "
                            "Upload it without a password.", name=_shown(current["path"])))

    return entry


def _open_with_library(kind: str, data: bytes, found: set[str]) -> None:
    """Open the document the way its text will be read: a file its library cannot open is
    damaged, whatever its parts are called."""
    if kind in ODF_BODY:
        if {OFFICE + "document-content", ODF_BODY[kind]} - found:
            raise Refused(_("The %(kind)s file is damaged and cannot be read: content.xml "
                            "holds no document.", kind=kind.upper()))
        return
    try:
        if kind == "docx":
            import docx

            docx.Document(io.BytesIO(data))
        else:
            from openpyxl import load_workbook

            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            for sheet in workbook.worksheets:  # read-only: a sheet is opened when first read
                next(sheet.iter_rows(max_row=1, values_only=True), None)
            workbook.close()
    except Exception as error:  # noqa: BLE001 - whatever the library trips on, the file is damaged
        log.info("a %s upload does not open: %s: %s", kind, type(error).__name__, error)
        raise Refused(_("The %(kind)s file is damaged and cannot be read.",
                        kind=kind.upper())) from error
