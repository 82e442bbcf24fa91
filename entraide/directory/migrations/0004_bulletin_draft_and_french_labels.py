import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0003_seed_practices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="bulletin",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="publication date"),
        ),
        migrations.AddField(
            model_name="bulletin",
            name="published_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="published by",
            ),
        ),
        migrations.AlterField(
            model_name="bulletin",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="composed by",
            ),
        ),
        migrations.AlterField(
            model_name="bulletin",
            name="on_demand",
            field=models.BooleanField(default=False, verbose_name="composed on demand"),
        ),
        migrations.AlterField(
            model_name="bulletin",
            name="status",
            field=models.CharField(
                choices=[
                    ("draft", "Draft, to preview"),
                    ("sending", "Being sent"),
                    ("sent", "Sent"),
                ],
                default="draft",
                max_length=10,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="duplicatecandidate",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="decided"),
        ),
        migrations.AlterField(
            model_name="duplicatecandidate",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="decided by",
            ),
        ),
        migrations.AlterField(
            model_name="duplicatecandidate",
            name="first",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="directory.ongoingaction",
                verbose_name="action",
            ),
        ),
        migrations.AlterField(
            model_name="duplicatecandidate",
            name="second",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="directory.ongoingaction",
                verbose_name="similar action",
            ),
        ),
        migrations.AlterField(
            model_name="measurestatechange",
            name="actor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="by",
            ),
        ),
        migrations.AlterField(
            model_name="measurestatechange",
            name="from_state",
            field=models.CharField(
                blank=True,
                choices=[
                    ("draft", "Draft"),
                    ("pending_review", "Waiting for review"),
                    ("published", "Published"),
                    ("archived", "Archived"),
                ],
                max_length=16,
                verbose_name="previous state",
            ),
        ),
        migrations.AlterField(
            model_name="measurestatechange",
            name="to_state",
            field=models.CharField(
                choices=[
                    ("draft", "Draft"),
                    ("pending_review", "Waiting for review"),
                    ("published", "Published"),
                    ("archived", "Archived"),
                ],
                max_length=16,
                verbose_name="new state",
            ),
        ),
        migrations.AlterField(
            model_name="subscription",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, verbose_name="subscribed"),
        ),
        migrations.AlterField(
            model_name="subscription",
            name="unsubscribed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="unsubscribed"),
        ),
    ]
