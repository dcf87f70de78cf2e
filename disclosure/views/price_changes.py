"""价格变动公示: a price list's recorded price changes, newest first, and the price on a date.

Routed from ``PriceListPage``'s ``changes/`` route, so it is served only where the list itself
is (the page's view restrictions and the site's audience checks run before the route).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models.prices import ChangeKind, PriceListPage, PriceRow
from ..rules.prices import PriceKind, is_service_code, normalise
from ..selectors.price_history import changes_for, find_price_on, version_on

PER_PAGE = 50


class PriceOnForm(forms.Form):
    """What the price on a date is asked by: a code or a name, and the day."""

    q = forms.CharField(
        label=_("Code or name"),
        max_length=100,
        error_messages={"required": _("Enter the item's code or name.")},
    )
    on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Enter the date the price applied."),
            "invalid": _("Enter a date such as 2026-03-01."),
        },
    )

    def __init__(self, *args, page: PriceListPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page

    def clean_q(self) -> str:
        text = normalise(self.cleaned_data["q"])
        looks_like_code = text[:1].isdigit() and all(ch.isdigit() or ch == "-" for ch in text)
        if (
            looks_like_code
            and self.page.price_kind == PriceKind.SERVICE
            and not is_service_code(text)
        ):
            raise forms.ValidationError(
                _(
                    "A service code is nine digits, with a sub-item after a hyphen where it has "
                    "one (for example 110200002 or 110200002-2)."
                )
            )
        return text

    def clean_on(self) -> dt.date:
        on = self.cleaned_data["on"]
        if on.year < 1950:
            raise forms.ValidationError(_("Enter a date such as 2026-03-01."))
        if on > timezone.localdate():
            # A list under review may change it: the future is not known.
            raise forms.ValidationError(_("Enter today or a day before it."))
        return on

    def lookup(self) -> PriceOn:
        """The answer to a valid form."""
        text, on = self.cleaned_data["q"], self.cleaned_data["on"]
        row = find_price_on(self.page, query=text, on=on)
        if row is not None:
            return PriceOn(on=on, query=text, row=row)
        version = version_on(self.page, on)
        if version is None:
            message = gettext("No price list was in force on %(date)s.") % {"date": on.isoformat()}
        else:
            message = gettext("The list in force on %(date)s has no item “%(query)s”.") % {
                "date": on.isoformat(),
                "query": text,
            }
        return PriceOn(on=on, query=text, row=None, message=message)


class PriceOn:
    def __init__(self, *, on: dt.date, query: str, row: PriceRow | None, message: str = ""):
        self.on, self.query, self.row, self.message = on, query, row, message


def price_changes_page(request, page: PriceListPage):
    """The list's price changes (``?change=`` one kind), paged, and the price-on-a-date form
    (``?q=&on=``)."""
    kind = request.GET.get("change", "")
    kind = kind if kind in ChangeKind.values else ""
    asked = "q" in request.GET or "on" in request.GET
    form = PriceOnForm(request.GET if asked else None, page=page)
    answer = form.lookup() if asked and form.is_valid() else None
    paginator = Paginator(changes_for(page, change=kind or None), PER_PAGE)
    kept = {
        key: value for key, value in request.GET.items() if key in ("change", "q", "on") and value
    }
    return TemplateResponse(
        request,
        "disclosure/price_changes_page.html",
        {
            "page": page,
            "self": page,
            "form": form,
            "answer": answer,
            "kind": kind,
            "kinds": ChangeKind.choices,
            "changes": paginator.get_page(request.GET.get("page")),
            "params": urlencode(kept),
        },
        status=400 if asked and not form.is_valid() else 200,
    )
