"""Evidence pack benchmark: documents of 5 pages each plus the generated sections, built by the
real build server, beside the floor (the same generated HTML rendered alone plus the same
PDFs merged alone).

    .venv/bin/python -m bench.evidence [--docs 50 100 200] [--pages 5] [--write-docs]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import tempfile
import time
from datetime import date
from pathlib import Path

BEGIN, END = "<!-- bench:evidence:begin -->", "<!-- bench:evidence:end -->"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def seed(app, count: int, pages: int) -> int:
    """A department, a coordinator and `count` documents in force; returns the user id."""
    from compliance.audit_trail.services import record
    from compliance.auth.models import User, UserRole
    from compliance.core.db import utcnow, write_intent
    from compliance.core.extensions import db
    from compliance.core.pdf import html_to_pdf
    from compliance.core.storage import get_store
    from compliance.documents.models import Approval, Document, Revision
    from compliance.org.models import Department

    with app.app_context(), write_intent():
        dept = Department(code="TCKH", name_vi="Phòng Tài chính – Kế hoạch", name_en="Finance")
        # Nobody signs in as this user: an unusable hash is enough.
        user = User(email="bench@example.com", name="Trần Minh Thư", password_hash="!",  # noqa: S106
                    locale="vi")
        user.roles.append(UserRole(role="coordinator"))
        db.session.add_all([dept, user])
        db.session.flush()
        for n in range(count):
            body = "".join(f'<p style="page-break-after: always">Quy trình số {n} — trang '
                           f'{p + 1}: thẩm định, phê duyệt dự toán ngân sách.</p>'
                           for p in range(pages))
            data = html_to_pdf(f"<html><body>{body}</body></html>")
            blob = get_store().put(io.BytesIO(data), max_bytes=len(data))
            doc = Document(code=f"QT-TCKH-{n + 1:03d}", doc_type="procedure",
                           department_id=dept.id, title_vi=f"Quy trình thẩm định số {n + 1}",
                           title_en=f"Procedure {n + 1}", owner_id=user.id, status="effective")
            db.session.add(doc)
            db.session.flush()
            rev = Revision(document_id=doc.id, number=1, label="01", status="effective",
                           blob_sha256=blob.sha256, file_size=blob.size, file_kind="pdf",
                           filename=f"qt-{n + 1}.pdf", change_summary="Ban hành",
                           author_id=user.id, created_at=utcnow(),
                           effective_date=date(2026, 1, 15))
            db.session.add(rev)
            db.session.flush()
            db.session.add(Approval(revision_id=rev.id, signer_id=user.id, signer_name=user.name,
                                    meaning="approved", signed_at=utcnow()))
            record(user, "revision.effective", "document", doc.id, after=rev.snapshot())
        db.session.commit()
        return user.id


def build(app, user_id: int) -> tuple[float, dict]:
    """Queue an organisation pack, run the real build server, wait; time and timings."""
    from compliance.core.db import utcnow, write_intent
    from compliance.core.extensions import db
    from compliance.evidence import worker
    from compliance.evidence.models import EvidencePack

    with app.app_context(), write_intent():
        pack = EvidencePack(scope_kind="organisation", scope_id=None, scope_label="Toàn cơ quan",
                            period_start=date(2026, 1, 1), period_end=date(2026, 12, 31),
                            locale="vi", status="queued", step="queued", job_key=os.urandom(8)
                            .hex(), created_by_id=user_id, created_at=utcnow())
        db.session.add(pack)
        db.session.flush()
        pack_id, key = pack.id, pack.job_key
        db.session.commit()
    with app.app_context():
        started = time.perf_counter()
        worker.launch(app, pack_id, key)
        while True:  # the build server's child writes the end on the row
            time.sleep(0.05)
            db.session.rollback()
            pack = db.session.get(EvidencePack, pack_id)
            if pack.status in ("ready", "failed"):
                break
        elapsed = time.perf_counter() - started
        assert pack.status == "ready", pack.error
    log = Path(app.instance_path, "evidence-worker.log").read_text().splitlines()
    timings = [json.loads(line.split("evidence-timings ", 1)[1]) for line in log
               if "evidence-timings " in line][-1]
    return elapsed, timings


def floor(app, user_id: int) -> dict[str, float]:
    """The same generated HTML rendered alone, and the same (stamped) PDFs merged alone."""
    from flask_babel import force_locale
    from pypdf import PdfReader, PdfWriter

    from compliance.core.extensions import db
    from compliance.core.pdf import html_to_pdf
    from compliance.evidence.builder import assemble
    from compliance.evidence.builder.collect import collect
    from compliance.evidence.builder.run import org_name, stamp_documents
    from compliance.evidence.models import EvidencePack

    with app.app_context(), force_locale("vi"):
        pack = db.session.scalars(db.select(EvidencePack).order_by(EvidencePack.id.desc())
                                  ).first()
        org = org_name(pack)
        collected = collect(pack, org)
        stamped, _attachments, _new = stamp_documents(collected, org, lambda *_: None)
        files = [assemble.file_record(e, None) for e in collected.documents]
        html = [*collected.html.values(), assemble.manifest_section(pack, org, collected, files)]
        started = time.perf_counter()
        rendered = [html_to_pdf(h) for h in html]
        render = time.perf_counter() - started
        # The contents, rendered once, with as many entries as the pack's.
        titles = assemble.section_titles()
        parts = [assemble.Part("s", "s", r) for r in rendered]
        parts += [assemble.Part("d", e.code, stamped[e.revision_id], level=1)
                  for e in collected.documents]
        assemble._layout(parts)
        started = time.perf_counter()
        rendered.append(assemble._front(pack, org, titles, parts, 3))
        render += time.perf_counter() - started
        pages = sum(len(PdfReader(io.BytesIO(r)).pages) for r in rendered)
        started = time.perf_counter()
        writer = PdfWriter()
        for data in [*rendered, *stamped.values()]:
            writer.append(PdfReader(io.BytesIO(data)), import_outline=False)
        writer.write(io.BytesIO())
        merge = time.perf_counter() - started
    return {"render": render, "merge": merge, "total": render + merge, "generated_pages": pages}


def run(count: int, pages: int) -> dict:
    """One size: seed, cold build (stamps made), warm build (stamps reused), floor."""
    from compliance import create_app
    from compliance.core.extensions import db
    from tests.conftest import load_reference_data

    with tempfile.TemporaryDirectory(prefix="bench-evidence-") as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite"
        app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": tmp, "SECRET_KEY": "bench",
                          "LOG_LEVEL": "INFO"})
        with app.app_context():
            db.create_all()
            load_reference_data()
            db.session.commit()
        user_id = seed(app, count, pages)
        cold, cold_t = build(app, user_id)
        warm, warm_t = build(app, user_id)
        base = floor(app, user_id)
        with app.app_context():
            db.engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"docs": count, "pages": warm_t["pages"], "cold": cold, "warm": warm,
            "cold_t": cold_t, "warm_t": warm_t, "floor": base, "peak_mb": peak}


def lines(results: list[dict], load: float) -> list[str]:
    """The figures as a Markdown table."""
    out = [f"Evidence pack benchmark — {date.today().isoformat()}, {platform.machine()}, "
           f"{os.cpu_count()} cores, load average {load:.1f} at the end; SQLite; "
           "organisation scope, every document a 5-page PDF", "",
           "| documents | pack pages | build, first (stamps made) | build, again (stamps reused)"
           " | in-worker build time | floor (render alone + merge alone) | in-worker ÷ floor |"
           " generated pages/s | peak memory (worker, so far) |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        inner = sum(v for k, v in r["warm_t"].items() if k not in ("pages", "pack_id",
                                                                     "generated_pages"))
        gen_rate = r["warm_t"]["generated_pages"] / (r["warm_t"]["render_sections"]
                                                     + r["warm_t"]["render_front_manifest"])
        out.append(f"| {r['docs']} | {r['pages']} | {r['cold']:.1f} s | {r['warm']:.1f} s "
                   f"({r['pages'] / r['warm']:.0f} pages/s) | {inner:.1f} s | "
                   f"{r['floor']['total']:.1f} s ({r['floor']['render']:.1f} + "
                   f"{r['floor']['merge']:.1f}) | {inner / r['floor']['total']:.2f}× | "
                   f"{gen_rate:.1f} | {r['peak_mb']:.0f} MB |")
    last = results[-1]["warm_t"]
    out += ["", "Inside the worker, last size (seconds): " + ", ".join(
        f"{k} {v:.2f}" for k, v in last.items() if isinstance(v, float))]
    return out


def main() -> None:
    """Run the sizes, print the figures, optionally write them into docs/performance.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--pages", type=int, default=5)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    results = []
    for count in sorted(args.docs):
        results.append(run(count, args.pages))
        print(json.dumps(results[-1], default=str), flush=True)
    text = lines(results, os.getloadavg()[0])
    print("\n".join(text))
    if args.write_docs:
        import re

        block = "\n".join([BEGIN, *text, END])
        current = DOCS.read_text()
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
        DOCS.write_text(pattern.sub(block, current) if pattern.search(current)
                        else current.rstrip() + "\n\n" + block + "\n")


if __name__ == "__main__":
    main()
