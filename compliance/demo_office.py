"""The demo's office document: the one-stop-shop procedure, written in Word (a DOCX built
here), in force as revision 01 and revised once. Revision 02 changes a few paragraphs and
waits in review under the document's own two-step approval chain: the ISO coordinator has
checked it (step 1), the approval for use (step 2) is awaited. So the demo has two revisions
whose text can be compared, the PDF renditions LibreOffice makes of them at upload (none
when it is not installed: the document page then says the copies are the originals), and a
revision waiting for a signature at a step of a chain. Everything goes through the services
the pages use."""

from __future__ import annotations

import io
from datetime import date

from compliance.auth.models import User
from compliance.documents import services as documents
from compliance.documents.services import approval, chains

TITLE_VI = "Quy trình tiếp nhận và trả kết quả hồ sơ một cửa"
TITLE_EN = "One-stop-shop intake and return of results procedure"
FILENAME = "quy-trinh-mot-cua.docx"
AUTHOR, CHECKER = "hanh.vo", "thu.tran"  # the head of VP writes it, the coordinator checks
FIRST_SUMMARY = "Ban hành lần đầu"
SECOND_SUMMARY = ("Tiếp nhận cả hồ sơ nộp qua Cổng dịch vụ công, rút ngắn thời gian chuyển "
                  "hồ sơ, thêm bước lấy ý kiến hài lòng của công dân")
# The document's own chain (the procedure type keeps the single default step), and why.
STEPS = ((1, "checked", "coordinator"), (2, "approved", "approver"))
CHAIN_REASON = ("Thủ tục hành chính giải quyết cho công dân: Thư ký ISO kiểm tra trước khi "
                "trình phê duyệt ban hành")
CHECKED_COMMENT = "Đã kiểm tra, phù hợp Nghị định 107/2021/NĐ-CP"

# (heading, paragraphs) of revision 01; REVISED maps a paragraph to its text in revision 02.
SECTIONS = [
    ("1. Mục đích", ["Quy định trình tự tiếp nhận, chuyển xử lý và trả kết quả hồ sơ thủ tục "
                     "hành chính tại Bộ phận tiếp nhận và trả kết quả của huyện, bảo đảm công "
                     "khai, minh bạch và đúng hạn."]),
    ("2. Phạm vi áp dụng", ["Áp dụng cho các thủ tục hành chính thuộc thẩm quyền giải quyết của "
                            "Ủy ban nhân dân huyện và các phòng chuyên môn."]),
    ("3. Tài liệu viện dẫn", ["Nghị định 61/2018/NĐ-CP về thực hiện cơ chế một cửa, một cửa "
                              "liên thông trong giải quyết thủ tục hành chính.",
                              "TCVN ISO 9001:2015 Hệ thống quản lý chất lượng — Các yêu cầu."]),
    ("4. Nội dung", [
        "Bước 1. Công chức tiếp nhận kiểm tra tính đầy đủ của hồ sơ; hồ sơ đầy đủ thì lập "
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
        "Bước 2. Chuyển hồ sơ đến phòng chuyên môn trong ngày làm việc.",
        "Bước 3. Phòng chuyên môn thẩm định, trình lãnh đạo ký và chuyển kết quả về Bộ phận "
        "tiếp nhận và trả kết quả.",
        "Bước 4. Trả kết quả cho công dân và thu phí, lệ phí (nếu có)."]),
]
REVISED = {
    "TCVN ISO 9001:2015 Hệ thống quản lý chất lượng — Các yêu cầu.":
        "Nghị định 107/2021/NĐ-CP sửa đổi, bổ sung Nghị định 61/2018/NĐ-CP.\n"
        "TCVN ISO 9001:2015 Hệ thống quản lý chất lượng — Các yêu cầu.",
    "Bước 1. Công chức tiếp nhận kiểm tra tính đầy đủ của hồ sơ; hồ sơ đầy đủ thì lập "
    "Giấy tiếp nhận hồ sơ và hẹn trả kết quả.":
        "Bước 1. Công chức tiếp nhận kiểm tra tính đầy đủ của hồ sơ nộp trực tiếp hoặc qua "
        "Cổng dịch vụ công; hồ sơ đầy đủ thì lập Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
    "Bước 2. Chuyển hồ sơ đến phòng chuyên môn trong ngày làm việc.":
        "Bước 2. Chuyển hồ sơ điện tử đến phòng chuyên môn chậm nhất 4 giờ làm việc sau khi "
        "tiếp nhận.",
    "Bước 4. Trả kết quả cho công dân và thu phí, lệ phí (nếu có).":
        "Bước 4. Trả kết quả cho công dân tại quầy hoặc qua dịch vụ bưu chính công ích; thu "
        "phí, lệ phí (nếu có).\n"
        "Bước 5. Lấy ý kiến đánh giá mức độ hài lòng của công dân về việc giải quyết hồ sơ.",
}
# The records kept (section 5, a table): revision 02 keeps the control sheet longer.
RECORDS = [("Hồ sơ lưu", "Nơi lưu", "Thời gian lưu"),
           ("Sổ theo dõi hồ sơ", "Bộ phận tiếp nhận và trả kết quả", "5 năm"),
           ("Phiếu kiểm soát quá trình giải quyết hồ sơ", "Phòng chuyên môn", "5 năm")]
REVISED_RECORDS = {"Phiếu kiểm soát quá trình giải quyết hồ sơ": "10 năm"}


def procedure_docx(code: str, label: str) -> bytes:
    """The procedure as a Word file: revision 01's text, or revision 02's (any other label)."""
    # python-docx (and lxml) only when the demo is loaded, not with every command.
    import docx

    revised = label != "01"
    document = docx.Document()
    document.add_heading(TITLE_VI.upper(), level=0)
    document.add_paragraph(f"Mã số: {code} · Lần ban hành: {label}")
    for heading, paragraphs in SECTIONS:
        document.add_heading(heading, level=1)
        for paragraph in paragraphs:
            text = REVISED.get(paragraph, paragraph) if revised else paragraph
            for line in text.split("\n"):
                document.add_paragraph(line)
    document.add_heading("5. Hồ sơ lưu", level=1)
    table = document.add_table(rows=0, cols=3)
    table.style = "Table Grid"
    for record in RECORDS:
        cells = table.add_row().cells
        kept = REVISED_RECORDS.get(record[0], record[2]) if revised else record[2]
        for cell, text in zip(cells, (*record[:2], kept), strict=True):
            cell.text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def load(people: dict[str, User], department, password: str, today: date) -> None:
    """The procedure: revision 01 in force, revision 02 checked and awaiting approval."""
    author, checker = people[AUTHOR], people[CHECKER]
    document = documents.create_document(
        author, doc_type="procedure", department_id=department.id, title_vi=TITLE_VI,
        title_en=TITLE_EN, owner_id=author.id, review_interval_months=12, is_public=False)
    first = documents.upload_revision(author, document, io.BytesIO(
        procedure_docx(document.code, "01")), FILENAME, FIRST_SUMMARY)
    documents.submit_for_review(author, document, first)
    approval.sign_revision(checker, document, first, meaning="approved", credential=password,
                           today=today)
    chains.set_document_chain(checker, document, 0, steps=STEPS, reason=CHAIN_REASON)
    second = documents.upload_revision(author, document, io.BytesIO(
        procedure_docx(document.code, "02")), FILENAME, SECOND_SUMMARY)
    documents.submit_for_review(author, document, second)
    approval.sign_revision(checker, document, second, meaning="checked", credential=password,
                           comment=CHECKED_COMMENT, today=today)
