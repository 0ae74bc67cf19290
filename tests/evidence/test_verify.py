"""Verify: an untouched pack passes; a changed byte, page or embedded file is named."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from compliance.core.extensions import db
from tests.conftest import Maker, do_login, make_app
from tests.evidence.helpers import doc_in_force, download, request_build, wait_for

# Verification reads the pack's bytes; building packs on PostgreSQL is tests/evidence/test_pack.py.
pytestmark = pytest.mark.one_database


@pytest.fixture(scope="module")
def built_pack(tmp_path_factory):
    """A ready department pack with a PDF and a DOCX document, built once for the tests that
    only read it (verifying writes nothing): its app, its bytes, and the bytes on disk."""
    folder = tmp_path_factory.mktemp("verify")
    app = make_app("sqlite", folder)
    make = Maker(app)
    dept = make.department(code="TCKH")
    coordinator = make.user(roles=["coordinator"])
    doc_in_force(app, dept.id, coordinator.id, code="QT-TCKH-01", title="Quy trình dự toán")
    doc_in_force(app, dept.id, coordinator.id, code="HD-TCKH-02", title="Hướng dẫn",
                 kind="docx")
    client = app.test_client()
    do_login(client, coordinator.email)
    pack_id = request_build(client, scope_kind="department", department_id=dept.id)
    assert wait_for(client, pack_id)["status"] == "ready"
    data = download(client, pack_id)
    path = folder / "pack.pdf"
    path.write_bytes(data)
    yield app, client, data, path
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def built(built_pack):
    """The pack's signed-in client, bytes and file."""
    return built_pack[1:]


@pytest.fixture
def pack_app(built_pack):
    """The app the pack was built in."""
    return built_pack[0]


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def _one_byte_changed(data: bytes) -> bytes:
    # A byte inside the first stream's data: the file still parses, but is not the same.
    start = data.index(b"stream\n", data.index(b"/Contents")) + 20
    return data[:start] + bytes([data[start] ^ 0x01]) + data[start + 1:]


def _page_replaced(data: bytes, page_index: int) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    other = PdfReader(io.BytesIO(data)).pages[0]
    writer.pages[page_index].replace_contents(other.get_contents())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _attachment_changed(data: bytes) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    names = writer.root_object["/Names"]["/EmbeddedFiles"]["/Names"]
    for name, spec in zip(names[::2], names[1::2], strict=True):
        if name.startswith("HD-TCKH-02"):
            spec.get_object()["/EF"]["/F"].get_object().set_data(b"changed")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_cli_passes_an_untouched_pack(built, pack_app):
    _client, _data, path = built
    result = pack_app.test_cli_runner().invoke(args=["evidence", "verify", str(path)])
    assert result.exit_code == 0, result.output
    assert "intact" in result.output


def test_cli_detects_one_changed_byte(built, pack_app, tmp_path):
    _client, data, _path = built
    changed = _write(tmp_path, "changed.pdf", _one_byte_changed(data))
    result = pack_app.test_cli_runner().invoke(args=["evidence", "verify", changed])
    assert result.exit_code == 1
    assert "bytes differ from the pack recorded on" in result.output


def test_cli_names_the_changed_page_of_a_document(built, pack_app, tmp_path):
    _client, data, _path = built
    reader = PdfReader(io.BytesIO(data))
    outline = [i for i in reader.outline if isinstance(i, list)][0]
    first_doc_page = reader.get_destination_page_number(outline[0])
    changed = _write(tmp_path, "page.pdf", _page_replaced(data, first_doc_page + 1))
    result = pack_app.test_cli_runner().invoke(args=["evidence", "verify", changed])
    assert result.exit_code == 1
    assert "Page 2 of document QT-TCKH-01 revision 01 (page" in result.output


def test_cli_names_a_changed_embedded_file(built, pack_app, tmp_path):
    _client, data, _path = built
    changed = _write(tmp_path, "attachment.pdf", _attachment_changed(data))
    result = pack_app.test_cli_runner().invoke(args=["evidence", "verify", changed])
    assert result.exit_code == 1
    assert "Embedded file HD-TCKH-02" in result.output


def test_the_form_passes_an_untouched_pack_and_names_a_changed_byte(built):
    client, data, _path = built
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post("/evidence/verify", data={"file": (io.BytesIO(data), "pack.pdf")},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "The pack is intact" in response.get_data(as_text=True)
    response = client.post("/evidence/verify",
                           data={"file": (io.BytesIO(_one_byte_changed(data)), "pack.pdf")},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The pack does not match." in page
    assert "differ from the pack recorded on" in page


def test_the_form_refuses_what_is_not_a_pdf_or_too_large(app, as_role, client):
    as_role("auditor")
    response = client.post("/evidence/verify",
                           data={"file": (io.BytesIO(b"hello, not a pdf"), "pack.pdf")})
    assert response.status_code == 400
    assert "not a PDF" in response.get_data(as_text=True)
    app.config["EVIDENCE_VERIFY_MAX_MB"] = 1
    big = b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10)
    response = client.post("/evidence/verify", data={"file": (io.BytesIO(big), "big.pdf")})
    assert response.status_code == 413
    response = client.post("/evidence/verify", data={})
    assert response.status_code == 400
