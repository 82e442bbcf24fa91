import re

import phonenumbers
import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.platform.privacy import scrub_public_text, snap_to_grid


@pytest.mark.parametrize(
    "text",
    [
        "Appelez-moi au 06 12 34 56 78 svp",
        "tel: 06.12.34.56.78",
        "+33 6 12 34 56 78",
        "0033612345678",
        "(01) 43-55-22-10",
        "call 0612345678 after 6pm",
        "mon fixe 01 99 00 12 34",
    ],
)
def test_phone_numbers_are_masked(text):
    scrubbed = scrub_public_text(text)
    assert not re.search(r"\d{2}\D{0,3}\d{2}\D{0,3}\d{2}\D{0,3}\d{2}", scrubbed), scrubbed


@pytest.mark.parametrize(
    "text",
    [
        "écrivez à odette.dupont@gmail.com",
        "odette (at) gmail (dot) com",
        "odette at gmail dot com",
        "ODETTE@EXAMPLE.ORG",
    ],
)
def test_emails_are_masked(text):
    scrubbed = scrub_public_text(text)
    assert "gmail" not in scrubbed.lower() and "example" not in scrubbed.lower(), scrubbed


@pytest.mark.parametrize(
    ("text", "street"),
    [
        ("J'habite au 12 rue des Lilas, 3e étage", "Lilas"),
        ("venez au 4bis avenue Parmentier", "Parmentier"),
        ("12, boulevard Voltaire", "Voltaire"),
        ("calle Mayor 5, piso 2", "Mayor"),
        ("rua Augusta, 120", "Augusta"),
        ("221 Baker Street", "Baker"),
    ],
)
def test_street_addresses_are_masked(text, street):
    assert street not in scrub_public_text(text)


def test_ordinary_text_is_kept():
    text = "Courses pour 2 personnes, le 12/03 vers 10h, code postal 75011."
    assert scrub_public_text(text) == text


# Each case of the trust review (issue 12, finding 11), with the exact expected output.
SCRUBBED = [
    ("tel 06,12,34,56,78 merci", "tel [phone hidden] merci"),
    ("tel 06_12_34_56_78", "tel [phone hidden]"),
    ("06*12*34*56*78", "[phone hidden]"),
    ("06|12|34|56|78 le soir", "[phone hidden] le soir"),
    ("06 - 12 - 34 - 56 - 78", "[phone hidden]"),
    ("06    12    34    56    78", "[phone hidden]"),
    ("appelez le o6 12 34 56 78", "appelez le [phone hidden]"),
    ("O6.12.34.56.78", "[phone hidden]"),
    ("zéro six douze trente-quatre cinquante-six soixante-dix-huit", "[phone hidden]"),
    ("au zero six, un deux, trois quatre, cinq six, sept huit !", "au [phone hidden] !"),
    ("écrire à odette\uff20gmail.com svp", "écrire à [e-mail hidden] svp"),
    ("odette @ gmail.com merci", "[e-mail hidden] merci"),
    ("odette(a)gmail.com", "[e-mail hidden]"),
    ("odette (arobase) gmail point com merci", "[e-mail hidden] merci"),
    ("odette [at] gmail [dot] com", "[e-mail hidden]"),
    ("odette chez orange point fr merci beaucoup", "[e-mail hidden] merci beaucoup"),
    ("odette at gmail dot com. Merci", "[e-mail hidden]. Merci"),
    ("odette at gmail dot com merci", "[e-mail hidden] merci"),
    ("au 17 bis de la rue Oberkampf, 2e étage", "au [address hidden], 2e étage"),
    ("17 r Oberkampf", "[address hidden]"),
    ("12 bd. Voltaire", "[address hidden]"),
    ("bd. Voltaire 12", "[address hidden]"),
    ("le 12 01 2026 vers 10h", "le 12 01 2026 vers 10h"),
    ("le 12/01/2026 vers 10h", "le 12/01/2026 vers 10h"),
    ("les 12/03, 14/03 et 16/03", "les 12/03, 14/03 et 16/03"),
    ("commande 12345678 à retirer", "commande 12345678 à retirer"),
    ("référence n° 4471203", "référence n° 4471203"),
    ("commande 06 12 34 56 78", "commande [phone hidden]"),
    ("entre 14:30-16:00", "entre 14:30-16:00"),
    ("I will be at home. Thanks", "I will be at home. Thanks"),
    ("Je fais mes courses chez Carrefour. Merci", "Je fais mes courses chez Carrefour. Merci"),
    ("une deux trois quatre cinq six", "une deux trois quatre cinq six"),
    ("Merci, Odette", "Merci, [name hidden]"),
    ("merci d'avance, ODETTE.", "merci d'avance, [name hidden]."),
    ("Jean-Pierre ou jean, le voisin", "[name hidden] ou [name hidden], le voisin"),
    ("Bernadette aide Odette", "Bernadette aide [name hidden]"),
]


@pytest.mark.parametrize(("text", "expected"), SCRUBBED)
def test_scrubber_cases(text, expected):
    with translation.override("en"):
        assert scrub_public_text(text, names=["Odette", "Jean-Pierre"]) == expected


def test_masks_are_translated():
    with translation.override("fr"):
        scrubbed = scrub_public_text("Odette, 06 12 34 56 78", names=["Odette"])
    assert scrubbed == "[prénom masqué], [téléphone masqué]"


def _formats(number: phonenumbers.PhoneNumber) -> list[str]:
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return [national, international, e164, national.replace(" ", "."), national.replace(" ", "")]


french_numbers = st.builds(
    lambda prefix, rest: phonenumbers.parse(f"0{prefix}{rest:08d}", "FR"),
    st.sampled_from([1, 2, 3, 4, 5, 6, 7, 9]),
    st.integers(min_value=0, max_value=99_999_999),
)
surrounding = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Nd"), exclude_characters="@"),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(number=french_numbers, before=surrounding, after=surrounding, style=st.integers(0, 4))
def test_property_no_phone_number_survives(number, before, after, style):
    phone = _formats(number)[style]
    scrubbed = scrub_public_text(f"{before} {phone} {after}")
    national_digits = str(number.national_number)
    assert national_digits not in re.sub(r"\D", "", scrubbed)


emails = st.emails(domains=st.sampled_from(["gmail.com", "example.org", "orange.fr", "free.fr"]))


@settings(max_examples=300, deadline=None)
@given(email=emails, before=surrounding, after=surrounding)
def test_property_no_email_survives(email, before, after):
    scrubbed = scrub_public_text(f"{before} {email} {after}")
    assert email not in scrubbed
    assert "@" not in scrubbed


@settings(max_examples=200, deadline=None)
@given(
    lat=st.floats(min_value=-60, max_value=70),
    lon=st.floats(min_value=-179, max_value=179),
)
def test_property_snapped_point_is_the_cell_centre(lat, lon):
    snapped = snap_to_grid(lat, lon, 500)
    assert abs(snapped[0] - lat) * 111_320 <= 260
    nearby = snap_to_grid(snapped[0], snapped[1], 500)
    assert nearby == snapped


def test_grid_is_at_least_500_metres():
    assert snap_to_grid(48.85, 2.35, 10) == snap_to_grid(48.85, 2.35, 500)
