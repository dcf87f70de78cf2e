"""What the admin's forms share around the services: the institutions a user may choose, a
service's refusal shown on a form, the fields of a rectification finding (the ledger's and a
commission notice's), and the form that attaches evidence (a page, a document or a URL) to a
score or a finding."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from wagtail.admin.widgets import AdminPageChooser
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from ..models import CatalogItemPage, Department, Evidence, InstitutionSettings
from ..rules.rectification import MAX_WORKING_DAYS
from ..selectors.inspections import published_documents
from ..selectors.scope import held_by


class FindingFields(forms.Form):
    """A finding's department, catalog item, problem, measure and time limit, for the
    institutions ``sites``: the services check them again (services.rectification
    .finding_errors)."""

    department = forms.ModelChoiceField(
        label=gettext_lazy("Responsible department"), queryset=Department.objects.none()
    )
    item = forms.ModelChoiceField(
        label=gettext_lazy("Catalog item"), queryset=CatalogItemPage.objects.none(), required=False
    )
    problem = forms.CharField(
        label=gettext_lazy("Problem found"), widget=forms.Textarea(attrs={"rows": 3})
    )
    measure = forms.CharField(
        label=gettext_lazy("Required measure"), widget=forms.Textarea(attrs={"rows": 3})
    )
    working_days = forms.IntegerField(
        label=gettext_lazy("Time limit (working days)"),
        min_value=1,
        max_value=MAX_WORKING_DAYS,
        required=False,
    )
    due_date = forms.DateField(
        label=gettext_lazy("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = (
            Department.objects.filter(site__in=sites)
            .select_related("site")
            .order_by("site__site_name", "sort_order", "name")
        )
        roots = sites.values_list("root_page__path", flat=True)
        items = CatalogItemPage.objects.filter(held_by(roots))
        self.fields["item"].queryset = items.order_by("path")


def institution_label(site: Site) -> str:
    """An institution as a choice names it: by its name, without Wagtail's [default] mark."""
    return site.site_name or site.hostname


def sites_among(site_ids, *, superuser: bool):
    """The institutions of ``site_ids`` to choose from, by name (every one for a superuser)."""
    sites = Site.objects.all() if superuser else Site.objects.filter(pk__in=site_ids)
    return sites.order_by("site_name")


def show_service_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on ``form``: each message on the field it names where the form has
    that field, the rest (and a refusal naming no field) above the form."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class EvidenceForm(forms.Form):
    """Evidence from the institution's own pages and documents, or a URL (the services refuse
    anything else; the choices here offer nothing else)."""

    page = forms.ModelChoiceField(
        label=gettext_lazy("Page"),
        queryset=Page.objects.none(),
        required=False,
        widget=AdminPageChooser(),
    )
    document = forms.ModelChoiceField(
        label=gettext_lazy("Document"), queryset=get_document_model().objects.none(), required=False
    )
    url = forms.URLField(
        label=gettext_lazy("URL"),
        required=False,
        max_length=Evidence._meta.get_field("url").max_length,
        assume_scheme="https",
    )
    label = forms.CharField(label=gettext_lazy("Label"), max_length=200, required=False)

    def __init__(self, *args, site: Site, published_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].queryset = Page.objects.descendant_of(
            site.root_page, inclusive=True
        ).live()
        collection = InstitutionSettings.for_site(site).document_collection
        documents = get_document_model().objects.none()
        if collection is not None:
            documents = get_document_model().objects.filter(
                collection__in=collection.get_descendants(inclusive=True)
            )
        if published_only:
            documents = documents.filter(pk__in=published_documents(site).values("pk"))
        self.fields["document"].queryset = documents.order_by("title")
