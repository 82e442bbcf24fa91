from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.utils import timezone


def fill_next_shift(apps, schema_editor):
    Mission = apps.get_model("missions", "Mission")
    Shift = apps.get_model("missions", "Shift")
    upcoming = Shift.objects.filter(
        mission=OuterRef("pk"), status="scheduled", starts_at__gt=timezone.now()
    ).order_by("starts_at")
    Mission.objects.update(next_shift_at=Subquery(upcoming.values("starts_at")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("missions", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="mission",
            name="next_shift_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="Start of its next scheduled shift: kept by the shift services.",
                null=True,
                verbose_name="next shift",
            ),
        ),
        migrations.AddIndex(
            model_name="mission",
            index=models.Index(fields=["status", "next_shift_at"], name="mission_next_shift"),
        ),
        migrations.RunPython(fill_next_shift, migrations.RunPython.noop),
    ]
