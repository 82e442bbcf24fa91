"""Offers get a scrubbed public copy of their availability, and every public text is
scrubbed again with the current scrubber and the author's first name.

Requests whose public text was withheld (emptied after screening) stay withheld.
"""

from django.conf import settings
from django.db import migrations, models
from django.utils import translation

from entraide.platform.privacy import scrub_public_text


def _first_name(entry, contact_model, link: str) -> str:
    contact = contact_model.objects.filter(**{link: entry.pk}).first()
    return contact.first_name if contact else ""


def scrub_existing(apps, schema_editor):
    HelpOffer = apps.get_model("needs", "HelpOffer")
    HelpRequest = apps.get_model("needs", "HelpRequest")
    OfferContact = apps.get_model("needs", "OfferContact")
    RequestContact = apps.get_model("needs", "RequestContact")
    with translation.override(settings.LANGUAGE_CODE):
        for offer in HelpOffer.objects.iterator():
            names = (_first_name(offer, OfferContact, "offer_id"),)
            offer.public_availability = scrub_public_text(offer.availability, names=names)
            offer.public_description = scrub_public_text(offer.description, names=names)
            offer.save(update_fields=["public_availability", "public_description"])
        for help_request in HelpRequest.objects.exclude(public_description="").iterator():
            names = (_first_name(help_request, RequestContact, "help_request_id"),)
            help_request.public_description = scrub_public_text(
                help_request.description, names=names
            )
            help_request.save(update_fields=["public_description"])


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0003_helprequest_screened_at"),
    ]

    operations = [
        migrations.AddField(
            model_name="helpoffer",
            name="public_availability",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="The availability, scrubbed.",
                verbose_name="public availability",
            ),
        ),
        migrations.RunPython(scrub_existing, migrations.RunPython.noop),
    ]
