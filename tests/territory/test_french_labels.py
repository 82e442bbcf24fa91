"""The back office shows people's and territory's models in French: every model and
field name (Django makes up English ones from field names otherwise)."""

import pytest
from django.apps import apps
from django.utils import translation

# Words French writes the same way (translated to themselves in the catalogue).
SAME_IN_FRENCH = {
    "code",
    "date",
    "description",
    "incident",
    "incidents",
    "latitude",
    "longitude",
    "slug",
    "zone",
    "zones",
}


@pytest.mark.parametrize("app_label", ["people", "territory"])
def test_every_model_and_field_has_a_french_name(app_label):
    untranslated = []
    for model in apps.get_app_config(app_label).get_models():
        names = [("model", model._meta.verbose_name), ("plural", model._meta.verbose_name_plural)]
        names += [(field.name, field.verbose_name) for field in model._meta.fields]
        names += [(field.name, field.verbose_name) for field in model._meta.many_to_many]
        for where, name in names:
            with translation.override("en"):
                english = str(name)
            with translation.override("fr"):
                french = str(name)
            if where != "id" and english == french and english not in SAME_IN_FRENCH:
                untranslated.append(f"{model.__name__}.{where}: {english}")
    assert not untranslated
