"""The shared cache lives in a database table when Redis is not configured: create it
with the schema, so every `migrate` (local, CI, production, benches) has it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("platform", "0002_erasurerecord")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
