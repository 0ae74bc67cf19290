"""Text a visitor chose that the product shows back (file names, names found inside files):
without the characters that change how the rest of it reads."""

from __future__ import annotations

import re
import unicodedata

# Control (Cc), format (Cf: the bidirectional embeddings, overrides and isolates U+202A-U+202E
# and U+2066-U+2069, zero-width characters, the byte-order mark), surrogates, private use,
# and the line and paragraph separators: none belongs in a name, and each can make a name
# read as another ("invoice\u202egpj.pdf" shows as "invoicefdp.jpg").
_HIDDEN = frozenset(("Cc", "Cf", "Cs", "Co", "Zl", "Zp"))
_SPACES = re.compile(r"\s+")


def visible(text: str) -> str:
    """NFC text without control and format characters, with runs of white space as one space."""
    kept = "".join(" " if unicodedata.category(ch) == "Zs" else ch for ch in text or ""
                   if unicodedata.category(ch) not in _HIDDEN)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", kept)).strip()


def shortened(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
