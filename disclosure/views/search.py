"""Public search over the site's catalog (categories, items) and publications, audience-aware."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.models import Site

from ..models import CatalogCategoryPage, Department
from ..rules.search_text import MAX_QUERY_LENGTH, MIN_QUERY_LENGTH, query_length
from ..selectors.catalog import categories_visible_to
from ..selectors.search import SearchFilters, SearchHits, search_pages
from ..services import ratelimit
from .choices import ModelChoiceField

RESULTS_PER_PAGE = 20
#: The id of the search form, which the filter fields (placed after the results) belong to.
FORM_ID = "dc-search-form"


class SearchForm(forms.Form):
    """The search box and its filters; the API validates its parameters with the same form."""

    q = forms.CharField(
        label=pgettext_lazy("disclosure", "Search for"), required=False, max_length=MAX_QUERY_LENGTH
    )
    category = ModelChoiceField(
        label=_("Category"), queryset=CatalogCategoryPage.objects.none(), required=False
    )
    department = ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    date_from = forms.DateField(
        label=_("Published from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=_("Published until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, site: Site, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories_visible_to(user, site=site)
        self.fields["department"].queryset = Department.objects.filter(site=site).order_by("name")
        for name in self.filter_names:
            self.fields[name].widget.attrs["form"] = FORM_ID

    @property
    def filter_names(self) -> list[str]:
        return [name for name in self.fields if name != "q"]

    @property
    def filters_used(self) -> int:
        """How many filters the visitor set (valid or not)."""
        return sum(1 for name in self.filter_names if self.is_bound and self.data.get(name))

    @property
    def filter_errors(self) -> bool:
        return self.is_bound and any(self.errors.get(name) for name in self.filter_names)

    def clean_q(self) -> str:
        query = " ".join(self.cleaned_data["q"].split())
        if query and query_length(query) < MIN_QUERY_LENGTH:
            raise forms.ValidationError(
                _("Enter at least %(count)d characters.") % {"count": MIN_QUERY_LENGTH}
            )
        return query

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    @property
    def filters(self) -> SearchFilters:
        cleaned = self.cleaned_data
        department = cleaned.get("department")
        return SearchFilters(
            category=cleaned.get("category"),
            department_id=department.pk if department else None,
            date_from=cleaned.get("date_from"),
            date_to=cleaned.get("date_to"),
        )


def search(request):
    site = Site.find_for_request(request)
    if site is None:  # no institution serves this host
        raise Http404
    form = SearchForm(request.GET or None, site=site, user=request.user)
    query, status = "", 200
    results = SearchHits([], ())
    if form.is_bound and form.is_valid() and form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        if ratelimit.allow_request(request, "search"):
            results = search_pages(
                root=site.root_page, user=request.user, query=query, filters=form.filters
            )
        else:
            status = 429
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return TemplateResponse(
        request,
        "disclosure/search.html",
        {
            "form": form,
            "search_query": query,
            "search_results": page,
            "capped": results.capped,
            "too_many": status == 429,
            "params": params.urlencode(),
            "filters_used": form.filters_used,
            # Closed under results (a phone shows them first) unless in use or in error.
            "filters_open": not query or form.filters_used or form.filter_errors,
        },
        status=status,
    )
