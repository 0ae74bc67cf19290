"""Names in the order a Vietnamese reader expects (core/collation.py)."""

from __future__ import annotations

import random

from compliance.core.collation import person_key, sort_key, sorted_pairs

GIVEN = ["An", "Ánh", "Bình", "Dũng", "Đạt", "Đức", "Giang", "Hà", "Hải", "Hùng", "Khánh",
         "Long", "Minh", "Ngọc", "Phương", "Quân", "Thư", "Trâm", "Uyên", "Vy", "Yến"]


def shuffled(names):
    names = list(names)
    random.Random(16).shuffle(names)
    return names


def test_given_names_in_dictionary_order():
    assert sorted(shuffled(GIVEN), key=sort_key) == GIVEN


def test_d_with_a_bar_is_a_letter_after_d():
    assert sorted(["Đạt", "Dung", "Duy", "Đức", "Dũng", "Em"], key=sort_key) == \
        ["Dung", "Dũng", "Duy", "Đạt", "Đức", "Em"]


def test_tones_are_ignored_until_the_letters_tie():
    # "Ánh" and "Anh" share their letters: the tone breaks the tie; "Anh" < "Ánh" < "Ao".
    assert sorted(["Ao", "Ánh", "Anh", "An"], key=sort_key) == ["An", "Anh", "Ánh", "Ao"]
    # The dictionary's order of the tones: level, huyền, hỏi, ngã, sắc, nặng.
    assert sorted(["Mạ", "Má", "Mã", "Mả", "Mà", "Ma"], key=sort_key) == \
        ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    # A later letter outweighs an earlier tone.
    assert sorted(["Hải", "Hà", "Hạ", "Hai"], key=sort_key) == ["Hà", "Hạ", "Hai", "Hải"]


def test_breve_circumflex_and_horn_make_letters_of_their_own():
    assert sorted(["Ân", "Ăn", "Anh", "An"], key=sort_key) == ["An", "Anh", "Ăn", "Ân"]
    assert sorted(["Ơn", "Ôn", "Oanh"], key=sort_key) == ["Oanh", "Ôn", "Ơn"]
    assert sorted(["Ưng", "Uyên", "Út"], key=sort_key) == ["Út", "Uyên", "Ưng"]


def test_case_and_spacing_do_not_reorder():
    assert sorted(["bình", "An", "Ánh"], key=sort_key) == ["An", "Ánh", "bình"]
    assert sort_key("Hà  Nội")[:3] == sort_key("Hà Nội")[:3]


def test_numbers_count_as_numbers():
    assert sorted(["Phòng 10", "Phòng 2", "Phòng 1"], key=sort_key) == \
        ["Phòng 1", "Phòng 2", "Phòng 10"]


def test_people_are_sorted_by_given_name_then_family_name():
    people = ["Trần Minh Thư", "Nguyễn Văn An", "Lê Thị Ánh", "Đỗ Hữu Đạt", "Phạm Đức",
              "Nguyễn Hoàng Long", "Bùi Thu Hà", "Võ Thanh Hải", "Đặng Văn Dũng"]
    assert sorted(shuffled(people), key=person_key) == [
        "Nguyễn Văn An", "Lê Thị Ánh", "Đặng Văn Dũng", "Đỗ Hữu Đạt", "Phạm Đức",
        "Bùi Thu Hà", "Võ Thanh Hải", "Nguyễn Hoàng Long", "Trần Minh Thư"]
    # The same given name: the family name decides (Bùi before Đỗ before Nguyễn).
    assert sorted(["Nguyễn An", "Đỗ An", "Bùi An"], key=person_key) == \
        ["Bùi An", "Đỗ An", "Nguyễn An"]


def test_choices_sort_by_their_label():
    pairs = [(3, "Phòng Tư pháp"), (1, "Văn phòng"), (2, "Phòng Đô thị"), (4, "Phòng Dân tộc")]
    assert [value for value, _label in sorted_pairs(pairs)] == [4, 2, 3, 1]
