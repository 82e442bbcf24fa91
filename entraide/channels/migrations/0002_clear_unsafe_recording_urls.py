"""Recording URLs stored before they were checked: keep only https ones.

The console shows a link only for the provider's own https host (recordings.py); this
also removes from the database the ones that could never be shown (javascript:, data:,
plain http), so that no export or later template turns them into a link.
"""

from django.db import migrations


def clear_unsafe(apps, schema_editor):
    VoiceMessage = apps.get_model("channels", "VoiceMessage")
    VoiceMessage.objects.exclude(recording_url="").exclude(
        recording_url__startswith="https://"
    ).update(recording_url="")


class Migration(migrations.Migration):
    dependencies = [("channels", "0001_initial")]

    operations = [migrations.RunPython(clear_unsafe, migrations.RunPython.noop)]
