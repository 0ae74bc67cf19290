"""Documents in the state's format (Nghị định 30/2020/NĐ-CP, Phụ lục I): the layout rules
as data, and the parts of a document every Vietnamese PDF of the product writes the same way.

The template `pdf/_state_format.html` draws a `StateDocument` with these rules; tests parse
the PDF back. The decree names Times New Roman; Liberation Serif (Debian fonts-liberation2,
SIL OFL) has the same advance widths, so a page breaks as it would in Word, and it covers
every Vietnamese letter. It is a system font found by fontconfig: nothing is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from markupsafe import Markup

from compliance.core.locale import formal_vi

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
RECIPIENTS_HEADING = "Nơi nhận:"
FONT_FAMILY = "Liberation Serif"


@dataclass(frozen=True)
class Margins:
    """Page margins in millimetres (decree: top and bottom 20–25, left 30–35, right 15–20)."""

    top: float = 20
    bottom: float = 20
    left: float = 30
    right: float = 15


@dataclass(frozen=True)
class Layout:
    """Page, font and type sizes (points) of each part, within the decree's ranges."""

    page: str = "A4"
    margins: Margins = field(default_factory=Margins)
    font: str = FONT_FAMILY
    national_title_pt: float = 12.5   # 12–13, upper case, bold
    motto_pt: float = 13.5            # 13–14, bold, underlined by a rule
    issuer_pt: float = 12.5           # 12–13: superior regular, issuer bold, both upper case
    number_pt: float = 13             # 13
    place_date_pt: float = 13.5       # 13–14, italic
    kind_pt: float = 13.5             # 13–14, bold, upper case ("QUYẾT ĐỊNH")
    summary_pt: float = 13.5          # 13–14, bold
    body_pt: float = 13.5             # 13–14
    recipients_heading_pt: float = 12  # 12, bold italic
    recipients_pt: float = 11         # 11
    signer_pt: float = 13.5           # 13–14, bold; the authority line upper case
    header_left_mm: float = 70        # width of the issuer's block; the rest is the title's


LAYOUT = Layout()


def number_line(number: int | None, symbol: str) -> str:
    """'Số: 12/QĐ-UBND'; numbers below 10 take a leading zero ('Số: 05/QĐ-UBND'), and a
    document not numbered yet leaves the number blank ('Số:     /BC-UBND')."""
    written = f"{number:02d}" if number else "\u00a0" * 6
    return f"Số: {written}/{symbol}"


# The levels of government a body's name ends with ("... huyện Thanh Bình"): the place line
# names what follows the last of them.
LEVELS = ("thành phố", "thị trấn", "thị xã", "huyện", "quận", "tỉnh", "phường", "xã")


def place_from(name: str) -> str:
    """'Thanh Bình' from 'Ủy ban nhân dân huyện Thanh Bình'; the name itself otherwise."""
    lowered = name.lower()
    cut = max((lowered.rfind(f"{level} ") + len(level) + 1 for level in LEVELS
               if f"{level} " in lowered), default=0)
    return name[cut:].strip() or name


def place_date_line(place: str, day: date) -> str:
    """'Thanh Bình, ngày 05 tháng 02 năm 2026' with the decree's leading zeros."""
    return f"{place}, {formal_vi(day)}"


@dataclass
class StateDocument:
    """What the header, footer and signature of a document in the state's format say."""

    superior: str                 # the issuing body's superior ("UBND TỈNH ĐỒNG THÁP")
    issuer: str                   # the issuing body ("ỦY BAN NHÂN DÂN HUYỆN THANH BÌNH")
    symbol: str                   # "QĐ-UBND"; empty for a document without a number line
    place: str                    # "Thanh Bình"
    day: date
    kind: str                     # "QUYẾT ĐỊNH", "BÁO CÁO"
    summary: str                  # the summary line under the kind
    signer_title: str             # "CHỦ TỊCH"
    signer_name: str
    authority: str = ""           # "TM. ỦY BAN NHÂN DÂN" above the title, when signing for a body
    number: int | None = None
    recipients: list[str] = field(default_factory=list)
    # How the signer proved who they are again at signing (auth.reauth.printed), under the name.
    signature_proof: str = ""

    @property
    def number_text(self) -> str:
        """The number-and-symbol line."""
        return number_line(self.number, self.symbol)

    @property
    def place_date(self) -> str:
        """The place-and-date line."""
        return place_date_line(self.place, self.day)


def page_css(layout: Layout = LAYOUT) -> str:
    """The @page rule and base font of the layout (the template adds the parts' styles)."""
    m = layout.margins
    return (f"@page {{ size: {layout.page}; margin: {m.top}mm {m.right}mm {m.bottom}mm "
            f"{m.left}mm }}\n"
            f'body {{ font-family: "{layout.font}", "Times New Roman", serif; '
            f"font-size: {layout.body_pt}pt; line-height: 1.3; color: #000 }}")


def context(doc: StateDocument, layout: Layout = LAYOUT) -> dict:
    """What `pdf/state_document.html` (and the templates extending it) render with."""
    # The page CSS is made of our own constants, not input: kept as written (escaping would
    # break the font name's quotes).
    return {"doc": doc, "layout": layout,
            "page_css": Markup(page_css(layout)),  # noqa: S704
            "national_title": NATIONAL_TITLE, "motto": MOTTO,
            "recipients_heading": RECIPIENTS_HEADING}
