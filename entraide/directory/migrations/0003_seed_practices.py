from django.db import migrations
from django.utils import timezone

from entraide.directory.seed_practices import PRACTICES


def seed(apps, schema_editor):
    Practice = apps.get_model("directory", "Practice")
    now = timezone.now()
    Practice.objects.bulk_create(
        Practice(
            title=title,
            city=city,
            country=country,
            theme=theme,
            description=description,
            lessons=lessons,
            source_document=source,
            state="published",
            published_at=now,
        )
        for title, city, country, theme, description, lessons, source in PRACTICES
    )


def unseed(apps, schema_editor):
    Practice = apps.get_model("directory", "Practice")
    sources = {entry[-1] for entry in PRACTICES}
    Practice.objects.filter(source_document__in=sources, proposed_by__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_search_index")]

    operations = [migrations.RunPython(seed, unseed)]
