"""The auditor's question answered from the demo in three clicks, following the links each
page really shows: the home page → Phòng Tư pháp → its quality page (objectives, progress,
measures, its processes' risks) → the six-monthly report's section, whose PDF prints them."""

from __future__ import annotations

import html
import re

from tests.reports.test_six_monthly import pdf_text

LINK = re.compile(r'<a\b[^>]*href="([^"]+)"[^>]*>(.*?)</a>', re.S)


def _links(page: str) -> list[tuple[str, str]]:
    return [(html.unescape(href), " ".join(re.sub(r"<[^>]+>", " ", text).split()))
            for href, text in LINK.findall(page)]


def click(client, page: str, *, text: str | None = None, href: str | None = None):
    """Follow the one link on the page with that text (or whose address holds `href`)."""
    found = [(h, t) for h, t in _links(page)
             if (text is None or t == text) and (href is None or href in h)]
    assert found, f"no link {text or href!r} on the page"
    response = client.get(found[0][0])
    assert response.status_code == 200, found[0][0]
    return found[0][0], response.get_data(as_text=True)


def walk_to_the_justice_office(client, year: int) -> None:
    """Signed in as the demo coordinator, in English: three clicks from the home page to the
    demo year's objectives, measures and risks of Phòng Tư pháp, then its report's PDF."""
    client.post("/language", data={"locale": "en", "next": "/"})
    home = client.get("/").get_data(as_text=True)
    _, department = click(client, home, text="TP")                                # 1
    _, quality = click(client, department, text="Objectives, measures and risks")  # 2
    assert f"Quality system of Justice Office, {year}" in quality
    objectives = quality.split('data-testid="department-objectives"')[1].split("</table>")[0]
    assert objectives.count("data-objective=") == 3
    assert "100% of administrative dossiers settled on time" in objectives
    assert "1 of 2 done" in objectives and "In progress" in objectives
    measures = quality.split('data-testid="department-measures"')[1].split("</table>")[0]
    assert measures.count("data-measure=") >= 3 and "Target m" in measures
    risks = quality.split('data-testid="department-risks"')[1].split("</table>")[0]
    references = re.findall(r'data-reference="(R-\d+)"', risks)
    assert len(references) >= 3 and "TTHC-TP-03" in risks
    url, report = click(client, quality, href="/reports/six-monthly/department/")  # 3
    assert url.endswith("#quality") and "Quality objectives and risks" in report
    printed = report.split('data-testid="report-risks"')[1].split("</table>")[0]
    assert set(references) <= set(re.findall(r'data-reference="(R-\d+)"', printed))
    pdf = client.get(re.search(r'href="([^"]+lang=en)"[^>]*data-testid="pdf-en"',
                               report).group(1).replace("&amp;", "&"))
    text = pdf_text(pdf.data)
    assert f"Quality objectives {year}" in text
    assert "Risks and opportunities of its processes" in text
    assert "100% of administrative dossiers settled on time" in text
    assert all(reference in text for reference in references)
