"""Printable posters and stickers for a zone, in the chosen language (PDF, fpdf2 + segno).

Three designs: the A4 "ask for help" poster, an A4 sheet of four A6 stickers with the
same essentials, and the A4 fill-in poster a resident hangs in their building to offer
help. Posters carry no personal data: the hotline, the SMS keyword, a QR code to the
request form (stickers: the zone's board; the offer poster: the offer form) and safety advice.
"""

import io
from dataclasses import dataclass

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from entraide.needs.categories import CATEGORIES
from entraide.platform.phones import public_hotline_number
from entraide.territory.models import Zone
from entraide.territory.postcodes import PostcodeFormat, postcode_format
from entraide.territory.selectors import zone_numbers

DESIGNS = ("help", "stickers", "offer")

# The first word of an SMS that asks for help, per language (as the SMS channel reads it).
SMS_KEYWORDS = {"fr": "AIDE", "en": "HELP", "es": "AYUDA", "ca": "AJUT", "pt": "AJUDA"}

# The PDF core fonts speak Latin-1: typographic signs are written the plain way.
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
        "\u2013": "-",
        "\u2014": "-",
        "\u202f": " ",
    }
)


def _text(value) -> str:
    return str(value).translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


@dataclass(frozen=True)
class PosterContent:
    zone_name: str
    hotline: str
    sms_keyword: str
    board_url: str
    request_url: str
    offer_url: str
    # Where postcodes have letters (Canada), the phone menu asks for this number instead.
    zone_number: int | None = None


def _sms_place(zone: Zone, shape: PostcodeFormat) -> str:
    """What follows the keyword in the poster's SMS: the zone's code where postcodes are
    digits, else one of its postcodes (a Canadian FSA, ``H2X``) the SMS channel reads."""
    if shape.digits_only:
        return zone.code
    first = zone.postcodes.order_by("code").values_list("code", flat=True).first()
    return first or zone.code


def poster_content(*, zone: Zone, language: str) -> PosterContent:
    base = settings.ENTRAIDE_PUBLIC_BASE_URL.rstrip("/")
    hotline = public_hotline_number()
    shape = postcode_format(zone.territory.country_code)
    number = None if shape.digits_only else zone_numbers(territory=zone.territory).get(zone.pk)
    keyword = SMS_KEYWORDS.get(language.split("-")[0], "AIDE")
    return PosterContent(
        zone_name=zone.name,
        hotline=hotline,
        zone_number=number,
        sms_keyword=f"{keyword} {_sms_place(zone, shape)}",
        board_url=base + reverse("needs:board", kwargs={"code": zone.code}),
        request_url=base + reverse("needs:request_create") + f"?zone={zone.code}",
        offer_url=base + reverse("needs:offer_create") + f"?zone={zone.code}",
    )


def qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=10, border=4)
    buffer.seek(0)
    return buffer


class _Poster(FPDF):
    def write_line(self, text, size: float, *, style: str = "", height: float | None = None):
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, height or size * 0.5, _text(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _safety(pdf: _Poster, size: float) -> None:
    pdf.write_line(_("Stay safe"), size + 2, style="B")
    for advice in (
        _("Never hand over your bank card, your PIN or cash in advance."),
        _("Ask the volunteer for their code word before you open the door."),
        _("Entraide and its volunteers never ask you for money."),
    ):
        pdf.write_line(f"- {advice}", size)


def _how_to_reach(pdf: _Poster, content: PosterContent, size: float) -> None:
    if content.hotline:
        pdf.write_line(_("Call %(number)s") % {"number": content.hotline}, size + 6, style="B")
        pdf.write_line(
            _('Or send "%(keyword)s" by SMS to %(number)s')
            % {"keyword": content.sms_keyword, "number": content.hotline},
            size,
        )
        if content.zone_number:
            pdf.write_line(
                _("On the phone, type the number of your zone: %(number)s")
                % {"number": content.zone_number},
                size,
                style="B",
            )
    else:
        # No number to call or text (a start-up warning says so, entraide.W001): the
        # web form, which anyone may fill in for someone else.
        pdf.write_line(_("Ask for help online: scan the code."), size + 2, style="B")
        pdf.write_line(
            _("No internet? A neighbour, a relative or your town hall can do it for you."),
            size,
        )


def _help_poster(pdf: _Poster, content: PosterContent) -> None:
    pdf.add_page()
    pdf.write_line(_("Need a hand? Your neighbours can help."), 30, style="B", height=13)
    pdf.write_line(content.zone_name, 20, height=12)
    pdf.ln(4)
    _how_to_reach(pdf, content, 16)
    pdf.ln(4)
    top = pdf.get_y()
    pdf.image(qr_png(content.request_url), x=pdf.l_margin, y=top, w=55)
    pdf.set_xy(pdf.l_margin + 62, top + 4)
    pdf.set_font("Helvetica", "", 14)
    pdf.multi_cell(
        0,
        7,
        _text(_("Scan this code to ask for help online:")),
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )
    pdf.multi_cell(0, 7, _text(content.request_url), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(top + 60)
    pdf.write_line(_("We can help with:"), 16, style="B")
    labels = [str(category.label) for category in CATEGORIES if not category.sensitive]
    pdf.write_line(" - ".join(labels), 13, height=7)
    pdf.ln(4)
    _safety(pdf, 13)


def _sticker_sheet(pdf: _Poster, content: PosterContent) -> None:
    """Four A6 stickers on one A4 sheet, with cutting lines."""
    pdf.add_page()
    width, height = 105, 148.5
    pdf.set_draw_color(150)
    pdf.line(width, 0, width, 2 * height)
    pdf.line(0, height, 2 * width, height)
    qr = qr_png(content.board_url)
    for row in range(2):
        for column in range(2):
            x, y = column * width + 8, row * height + 8
            pdf.set_left_margin(x)
            pdf.set_right_margin(2 * width - (x + width - 16))
            pdf.set_xy(x, y)
            pdf.write_line(_("Need a hand?"), 18, style="B", height=8)
            pdf.write_line(content.zone_name, 11, height=6)
            _how_to_reach(pdf, content, 10)
            pdf.image(qr, x=x, y=pdf.get_y() + 2, w=36)
            pdf.set_y(pdf.get_y() + 40)
            pdf.write_line(_("Never hand over your bank card or cash in advance."), 9, height=4.5)
    pdf.set_left_margin(10)
    pdf.set_right_margin(10)


def _offer_poster(pdf: _Poster, content: PosterContent) -> None:
    pdf.add_page()
    pdf.write_line(_("I live in this building and can help with..."), 26, style="B", height=12)
    pdf.write_line(content.zone_name, 16, height=9)
    pdf.ln(4)
    pdf.set_font("Helvetica", "", 14)
    for category in CATEGORIES:
        if category.sensitive:
            continue
        y = pdf.get_y()
        pdf.rect(pdf.l_margin, y + 1.5, 6, 6)
        pdf.set_x(pdf.l_margin + 10)
        pdf.cell(0, 9, _text(category.label), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    for prompt in (_("My first name:"), _("Flat or floor:"), _("How to reach me:")):
        pdf.set_font("Helvetica", "B", 14)
        pdf.cell(55, 12, _text(prompt))
        y = pdf.get_y() + 10
        pdf.line(pdf.l_margin + 55, y, pdf.w - pdf.r_margin, y)
        pdf.ln(14)
    pdf.ln(2)
    pdf.write_line(_("Only write what you are happy to share. Never ask for money."), 12, height=6)
    top = pdf.get_y() + 2
    pdf.image(qr_png(content.offer_url), x=pdf.l_margin, y=top, w=40)
    pdf.set_xy(pdf.l_margin + 46, top + 4)
    pdf.set_font("Helvetica", "", 12)
    pdf.multi_cell(
        0,
        6,
        _text(_("You can also offer your help on Entraide: scan this code.")),
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )
    pdf.multi_cell(0, 6, _text(content.offer_url))


_DRAW = {"help": _help_poster, "stickers": _sticker_sheet, "offer": _offer_poster}


def poster_pdf(*, zone: Zone, design: str, language: str) -> bytes:
    """The poster as PDF bytes. Raise ValueError for an unknown design."""
    if design not in _DRAW:
        raise ValueError(design)
    with translation.override(language):
        content = poster_content(zone=zone, language=language)
        pdf = _Poster(format="A4")
        pdf.set_auto_page_break(auto=False)
        pdf.set_margins(15, 15, 15)
        pdf.set_title(_text(_("Entraide - %(zone)s") % {"zone": zone.name}))
        pdf.set_lang(language)
        _DRAW[design](pdf, content)
        return bytes(pdf.output())
