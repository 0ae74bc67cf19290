"""The message as it leaves: headers folded so that no word of a Vietnamese subject is lost.

Python's email package (3.11, policy `default` and `SMTP` alike) folds a long non-ASCII
subject into encoded words with the space between two words left outside them, as folding
white space. RFC 2047 tells mail readers to drop white space between adjacent encoded words,
so "vẫn chưa" arrived as "vẫnchưa". Here such a subject is encoded the older way
(email.header.Header), which splits by length and keeps every space inside an encoded word.
"""

from __future__ import annotations

from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import make_msgid

# Headers that carry free text in the recipient's language (addresses are ASCII).
_TEXT_HEADERS = frozenset({"subject"})


class MailPolicy(EmailPolicy):
    """SMTP's policy (CRLF, 78 columns), with text headers encoded space-safe."""

    def _encoded(self, name: str, value) -> str | None:
        text = str(value)
        if name.lower() not in _TEXT_HEADERS or text.isascii() or self.utf8:
            return None
        words = Header(text, "utf-8", maxlinelen=self.max_line_length, header_name=name)
        return f"{name}: {words.encode(linesep=self.linesep)}{self.linesep}"

    def fold(self, name, value):
        """The header as text (Generator)."""
        return self._encoded(name, value) or super().fold(name, value)

    def fold_binary(self, name, value):
        """The header as bytes (BytesGenerator, which smtplib uses)."""
        encoded = self._encoded(name, value)
        return encoded.encode("ascii") if encoded else super().fold_binary(name, value)


POLICY = MailPolicy(linesep="\r\n")


def message(*, sender: str, to: str, subject: str, text: str, html: str,
            key: str) -> EmailMessage:
    """A multipart (plain text and HTML) message ready for smtplib."""
    mail = EmailMessage(policy=POLICY)
    mail["From"], mail["To"], mail["Subject"] = sender, to, subject
    mail["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    mail["X-Compliance-Key"] = key
    mail.set_content(text)
    mail.add_alternative(html, subtype="html")
    return mail
