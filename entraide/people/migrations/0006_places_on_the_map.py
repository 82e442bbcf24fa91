from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0005_volunteer_zone_reach"),
    ]

    operations = [
        migrations.AddField(
            model_name="volunteer",
            name="home_address",
            field=models.CharField(blank=True, max_length=255, verbose_name="home address"),
        ),
        migrations.AddField(
            model_name="volunteer",
            name="home_precision",
            field=models.CharField(
                blank=True, editable=False, max_length=10, verbose_name="home location precision"
            ),
        ),
        migrations.AddField(
            model_name="volunteer",
            name="home_geocoded_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="home placed on the map"
            ),
        ),
        migrations.AddField(
            model_name="organisationoffer",
            name="address",
            field=models.CharField(
                blank=True,
                help_text="Where the help is given or leaves from; placed on the map by itself.",
                max_length=255,
                verbose_name="address of the place",
            ),
        ),
        migrations.AddField(
            model_name="organisationoffer",
            name="location_precision",
            field=models.CharField(
                blank=True, editable=False, max_length=10, verbose_name="location precision"
            ),
        ),
        migrations.AddField(
            model_name="organisationoffer",
            name="geocoded_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="placed on the map"
            ),
        ),
    ]
