"""Sorting names as a Vietnamese reader does, on Vietnamese and English pages alike.

The alphabet is a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y: the letters with a
breve, circumflex, horn or bar are letters of their own (Đ comes after D, never beside it).
The five tones are ignored at first, so Ánh sits between An and Bình, and break ties only
when the letters are the same, in the dictionary's order: level, huyền (à), hỏi (ả),
ngã (ã), sắc (á), nặng (ạ). Case decides last. Digits count as numbers ("Phòng 2" before
"Phòng 10"). People are sorted by their given name, the last word ("Nguyễn Văn An" before
"Lê Bình"), then by family and middle names, as Vietnamese lists of people are.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")

# Combining marks that make a letter of its own (breve, circumflex, horn) and their rank
# after the bare letter: a < ă < â, o < ô < ơ, u < ư.
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}
# The tones in the dictionary's order (0 is the level tone, no mark).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_DIGITS = re.compile(r"(\d+)")

Key = tuple


def _letters(text: str) -> tuple[tuple, tuple, tuple]:
    """(letters, tones, cases) of a text: what to compare first, second and last."""
    letters: list = []
    tones: list[int] = []
    cases: list[int] = []
    for part in _DIGITS.split(unicodedata.normalize("NFD", text)):
        if part.isdigit():
            # A number sorts before any letter and by its value.
            letters.append((" ", int(part), 0))
            continue
        for char in part:
            if char in _LETTER_MARKS and letters:
                base, number, rank = letters[-1]
                letters[-1] = (base, number, rank + _LETTER_MARKS[char])
            elif char in _TONES and tones:
                tones[-1] = _TONES[char]
            elif unicodedata.combining(char):
                continue  # any other accent (a French é in a name): ignored at every level
            else:
                lower = char.casefold()
                bar = 4 if lower == "đ" else 0
                letters.append(("d" if bar else lower, 0, bar))
                tones.append(0)
                cases.append(0 if lower == char else 1)
    return tuple(letters), tuple(tones), tuple(cases)


def sort_key(text: str | None) -> Key:
    """The key that sorts a text (a department's name, a title) in Vietnamese order."""
    text = " ".join((text or "").split())
    letters, tones, cases = _letters(text)
    return letters, tones, cases, text


def person_key(name: str | None) -> Key:
    """The key that sorts a person's name: given name first, then family and middle names."""
    words = (name or "").split()
    return sort_key(" ".join(words[-1:] + words[:-1]))


def sorted_by(items: Iterable[T], text: Callable[[T], str], *, person: bool = False) -> list[T]:
    """The items sorted by the text of each (a person's name when `person`)."""
    key = person_key if person else sort_key
    return sorted(items, key=lambda item: key(text(item)))


def sorted_people(users: Iterable[T]) -> list[T]:
    """People (anything with a `name`) in the order a Vietnamese list of people takes."""
    return sorted_by(users, lambda user: user.name, person=True)


def sorted_pairs(pairs: Iterable[tuple], *, person: bool = False) -> list[tuple]:
    """(value, label) choices sorted by their label."""
    return sorted_by(pairs, lambda pair: str(pair[1]), person=person)


def plain(text: str | None) -> str:
    """A text without tones, marks or case, for matching what someone typed ("quy trinh"
    finds "Quy trình", "dat" finds "Đạt"), as the pickers' type-to-search matches."""
    decomposed = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()
