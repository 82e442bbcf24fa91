from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("needs", "0007_open_request_queue"),
    ]

    operations = [
        migrations.AddField(
            model_name="requestcontact",
            name="location_precision",
            field=models.CharField(
                blank=True, editable=False, max_length=10, verbose_name="location precision"
            ),
        ),
        migrations.AddField(
            model_name="requestcontact",
            name="geocoded_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="placed on the map"
            ),
        ),
    ]
