"""Choice fields for lists of pages and departments (a commission's report offers hundreds)."""

from __future__ import annotations

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator


class LongSelect(forms.Select):
    """A select of hundreds of options (every institution's departments, for a commission),
    rendered without a template include per option (the same HTML as Django's)."""

    template_name = "disclosure/forms/select.html"
    option_inherits_attrs = False


class _ReadWhole(ModelChoiceIterator):
    """The choices read with a plain query. Django reads them with ``iterator()``, which on
    PostgreSQL opens a cursor planned for its first rows: for the 120 categories of a commission's
    overdue report, a walk of the whole page tree in path order (15 ms) instead of a sort of 120
    rows (0.3 ms); for one hospital's categories in the search form, 6 ms."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, with its choices read in one plain query and written in one template."""

    iterator = _ReadWhole
    widget = LongSelect


class ChoiceFilter(django_filters.ModelChoiceFilter):
    """A model choice among hundreds: read in one plain query, rendered in one template."""

    field_class = ModelChoiceField
