"""The certificate of volunteering as a PDF (fpdf2 and segno, as the posters).

It names the volunteer, the period, the total of confirmed hours, the organisations
(and the city) they gave them to, the issuing territory and the verification code with
its URL and QR code. The code is printed here only: the platform keeps its hash.
"""

import datetime as dt
import io

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from .models import Certificate


def hours_label(minutes: int) -> str:
    """125 → "2 h 05"."""
    hours, rest = divmod(int(minutes), 60)
    return f"{hours} h {rest:02d}"


def verification_url(code: str) -> str:
    base = settings.ENTRAIDE_PUBLIC_BASE_URL.rstrip("/")
    return base + reverse("recognition:verify_code", kwargs={"code": code})


def _plain(value: object) -> str:
    table = str.maketrans(
        {
            "\u2018": "'",
            "\u2019": "'",
            "\u201c": '"',
            "\u201d": '"',
            "\u2026": "...",
            "\u2013": "-",
            "\u2014": "-",
            "\u202f": " ",
            "\u00a0": " ",
        }
    )
    return str(value).translate(table).encode("latin-1", "replace").decode("latin-1")


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="png", scale=8, border=4)
    buffer.seek(0)
    return buffer


def _date(value: dt.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def certificate_pdf(
    *,
    certificate: Certificate,
    code: str,
    holder: str,
    organisations: list[tuple[str, int]],
) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_title(_plain(_("Certificate of volunteering")))
    pdf.set_author(_plain(certificate.territory.name))
    pdf.set_creator("Entraide")
    pdf.add_page()
    pdf.set_margins(20, 20, 20)
    width = pdf.w - 40

    def line(text: object, size: float, style: str = "", height: float = 8) -> None:
        pdf.set_font("Helvetica", style, size)
        pdf.multi_cell(width, height, _plain(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    line(certificate.territory.name, 12, "B")
    pdf.ln(6)
    line(_("Certificate of volunteering"), 24, "B", 12)
    pdf.ln(6)
    line(_("%(territory)s certifies that") % {"territory": certificate.territory.name}, 12)
    line(holder, 18, "B", 10)
    line(
        _(
            "gave %(hours)s of volunteering between %(start)s and %(end)s, confirmed by "
            "the coordinators (%(count)s pieces of work)."
        )
        % {
            "hours": hours_label(certificate.total_minutes),
            "start": _date(certificate.period_start),
            "end": _date(certificate.period_end),
            "count": certificate.entry_count,
        },
        12,
    )
    pdf.ln(4)
    line(_("Given to"), 13, "B")
    for name, minutes in organisations:
        line(f"- {name}: {hours_label(minutes)}", 12, height=7)
    pdf.ln(4)
    issued = timezone.localtime(certificate.issued_at).date()
    line(_("Issued on %(date)s.") % {"date": _date(issued)}, 11)
    pdf.ln(6)
    line(_("Check this certificate"), 13, "B")
    url = verification_url(code)
    line(_("Verification code: %(code)s") % {"code": code}, 12, "B")
    line(
        _(
            "Anyone can check that this certificate exists at the address below (or with "
            "the QR code): the page shows its period, total and date, never the person."
        ),
        10,
        height=6,
    )
    line(url, 10, height=6)
    pdf.image(_qr_png(url), x=pdf.l_margin, y=pdf.get_y() + 2, w=40, h=40)
    return bytes(pdf.output())
