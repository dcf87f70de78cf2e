"""A list of choices stored as JSON: portable across SQLite and PostgreSQL, edited as checkboxes."""

from django import forms
from django.db import models


class ChoiceListField(models.JSONField):
    """A JSON list whose items come from ``choices``; the admin shows one checkbox per choice."""

    def __init__(self, *args, choices_class=None, **kwargs):
        self.choices_class = choices_class
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("choices_class", None)
        return name, "django.db.models.JSONField", args, kwargs

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=self.choices_class.choices,
            required=not self.blank,
            widget=forms.CheckboxSelectMultiple,
            label=self.verbose_name,
            help_text=self.help_text,
        )

    def validate(self, value, model_instance):
        super().validate(value, model_instance)
        unknown = set(value or []) - set(self.choices_class.values)
        if unknown:
            raise forms.ValidationError(
                "Unknown choices: %(values)s", params={"values": ", ".join(sorted(unknown))}
            )
