"""The ISO 9001:2015 clause catalogue page, in reading order and the reader's language."""

from __future__ import annotations

import re

from compliance.org.clauses import read_catalogue, sort_key

ROW = re.compile(r"<tr><td[^>]*><strong>([\d.]+)</strong></td>\s*<td[^>]*>(.*?)</td></tr>", re.S)
CATALOGUE = {row["clause"]: row for row in read_catalogue()}


def _rows(client) -> list[tuple[str, str]]:
    response = client.get("/clauses/")
    assert response.status_code == 200
    return ROW.findall(response.get_data(as_text=True))


def test_clauses_4_to_10_in_reading_order(client, make, login):
    user = make.user(locale="en", departments=[(make.department().id, "staff")])
    login(client, user.email)
    rows = _rows(client)
    numbers = [number for number, _title in rows]
    assert len(numbers) == 75
    assert [n for n in numbers if "." not in n] == ["4", "5", "6", "7", "8", "9", "10"]
    assert numbers == sorted(CATALOGUE, key=sort_key)
    # Numeric, not alphabetical: 10 comes after 9.3, and 7.1.6 before 7.5.
    assert numbers.index("10") > numbers.index("9.3")
    assert numbers.index("7.1.6") < numbers.index("7.5")
    assert dict(rows)["7.5"] == "Documented information"


def test_clause_titles_in_vietnamese(client, make, login):
    user = make.user(locale="vi", roles=["auditor"])
    login(client, user.email)
    titles = dict(_rows(client))
    assert titles["4"] == "Bối cảnh của tổ chức"
    assert titles["10"] == "Cải tiến"
    assert all(titles[n] == CATALOGUE[n]["title_vi"] for n in CATALOGUE)


def test_clause_catalogue_needs_a_sign_in(client):
    response = client.get("/clauses/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
