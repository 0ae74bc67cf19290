"""A corpus of PDFs carrying active content, built with pikepdf on a real rendered page, and
a check of issued copies that knows nothing of the product's sanitiser: it reads the whole
file uncompressed and looks for the names and payloads active content is made of."""

from __future__ import annotations

import functools
import io
import re

import pikepdf
from pikepdf import Array, Dictionary, Name, String

from tests.documents.helpers import pdf_bytes

TEXT = "Quy trình tiếp nhận hồ sơ một cửa"
SCRIPT = "app.alert('canary-script')"
PAYLOAD = b"MZ canary-payload"
PROGRAM = "canary-program.exe"
ACTIVE_NAMES = re.compile(rb"/(JavaScript|JS|Launch|SubmitForm|ImportData|GoToR|GoToE|AA|XFA|"
                          rb"EmbeddedFiles|EmbeddedFile|FileAttachment|EF|RichMedia|Rendition|Screen)"
                          rb"(?![A-Za-z0-9])")
CANARIES = (b"canary-script", b"canary-payload", b"canary-program", b"javascript:canary")


def _js(pdf: pikepdf.Pdf, code: str = SCRIPT):
    return pdf.make_indirect(Dictionary(Type=Name.Action, S=Name.JavaScript, JS=String(code)))


def _launch(pdf: pikepdf.Pdf):
    return pdf.make_indirect(Dictionary(S=Name.Launch, F=String(PROGRAM),
                                        Win=Dictionary(F=String(PROGRAM))))


def _annotate(pdf: pikepdf.Pdf, annotation: Dictionary) -> None:
    page = pdf.pages[0].obj
    annotation.Type, annotation.Rect = Name.Annot, Array([50, 50, 150, 80])
    if "/Annots" not in page:
        page.Annots = Array()
    page.Annots.append(pdf.make_indirect(annotation))


def open_action(pdf):
    """A script run when the file is opened."""
    pdf.Root.OpenAction = _js(pdf)


def launch_link(pdf):
    """A link that starts a program."""
    _annotate(pdf, Dictionary(Subtype=Name.Link, A=_launch(pdf)))


def script_tree(pdf):
    """Document-level scripts (the /Names /JavaScript tree)."""
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("init"), _js(pdf)])))


def embedded_file(pdf):
    """A file inside the file, in the attachments list and as a pin on the page."""
    spec = pikepdf.AttachedFileSpec(pdf, PAYLOAD, filename="canary-payload.exe")
    pdf.attachments["canary-payload.exe"] = spec
    _annotate(pdf, Dictionary(Subtype=Name.FileAttachment, FS=spec.obj,
                              Contents=String("canary-payload")))


def annotation_scripts(pdf):
    """Scripts on events: opening the page, entering a link's area."""
    pdf.pages[0].obj.AA = Dictionary(O=_js(pdf))
    _annotate(pdf, Dictionary(Subtype=Name.Link, A=_js(pdf),
                              AA=Dictionary(E=_js(pdf), X=_launch(pdf))))


def hidden_places(pdf):
    """Active content where a sanitiser of the usual slots would not look: a bookmark, a
    chain of actions after a harmless one, a javascript: link, a form that submits and
    an XFA form."""
    first_page = pdf.pages[0].obj
    item = pdf.make_indirect(Dictionary(Title=String("Mục lục"), A=_js(pdf)))
    pdf.Root.Outlines = pdf.make_indirect(Dictionary(Type=Name.Outlines, First=item, Last=item,
                                                     Count=1))
    item.Parent = pdf.Root.Outlines
    pdf.Root.OpenAction = Dictionary(S=Name.GoTo, D=Array([first_page, Name.Fit]),
                                     Next=Array([_launch(pdf)]))
    _annotate(pdf, Dictionary(Subtype=Name.Link,
                              A=Dictionary(S=Name.URI, URI=String("javascript:canary()"))))
    field = pdf.make_indirect(Dictionary(
        FT=Name.Btn, T=String("send"), Subtype=Name.Widget, Type=Name.Annot,
        Rect=Array([200, 50, 260, 80]), P=first_page,
        A=Dictionary(S=Name.SubmitForm, F=String("https://canary-program.example/"))))
    first_page.Annots = Array([*first_page.get("/Annots", Array()), field])
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]),
                                   XFA=pdf.make_stream(b"<xdp:xdp>canary-script</xdp:xdp>"))


def multimedia(pdf):
    """A player on the page, started by a rendition action."""
    _annotate(pdf, Dictionary(Subtype=Name.Screen, T=String("canary-program"),
                              A=Dictionary(S=Name.Rendition, OP=0)))


# name: (what it adds, what the product reports at upload)
CORPUS = {
    "open_action": (open_action, ["javascript"]),
    "launch_link": (launch_link, ["launch"]),
    "script_tree": (script_tree, ["javascript"]),
    "embedded_file": (embedded_file, ["embedded_file"]),
    "annotation_scripts": (annotation_scripts, ["javascript", "launch"]),
    "hidden_places": (hidden_places, ["javascript", "launch", "submit", "xfa"]),
    "multimedia": (multimedia, ["multimedia"]),
}


@functools.cache
def active_pdf(*names: str) -> bytes:
    """The rendered base page with the active content of each named entry of CORPUS."""
    with pikepdf.open(io.BytesIO(pdf_bytes(TEXT, pages=2))) as pdf:
        for name in names:
            CORPUS[name][0](pdf)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


def active_parts(data: bytes, allowed: tuple[bytes, ...] = ()) -> list[bytes]:
    """Every name and canary of active content in the file, read uncompressed; `allowed`
    names are left out (an evidence pack embeds its own manifest)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(out, qdf=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 compress_streams=False)
    raw = out.getvalue()
    found = [m.group(1) for m in ACTIVE_NAMES.finditer(raw) if m.group(1) not in allowed]
    return sorted(set(found + [c for c in CANARIES if c in raw.lower()]))
