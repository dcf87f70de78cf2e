"""A price list's draft against its live list, in full: paged, filtered by the kind of change,
and exported as a workbook. The reviewers' dialogs link here.

It shows the draft's rows, so it opens for exactly those who may read the page's drafts
(``selectors.admin_pages.draft_readable_ids``: who may edit or review the page, and the
supervisors of its institution); to anyone else it is refused as any other admin page is.
"""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from wagtail.admin.widgets import Button

from ..models.prices import ChangeKind, PriceListPage
from ..rules.spreadsheets import neutralise_formula
from ..rules.uploads import ALLOWED_TYPES
from ..selectors.admin_pages import draft_readable_ids
from ..selectors.price_history import PriceDiff, review_diff

PER_PAGE = 100


def _page_or_403(request, page_id: int) -> PriceListPage:
    page = get_object_or_404(PriceListPage, pk=page_id)
    if not draft_readable_ids(request.user, [page.pk]):
        raise PermissionDenied
    return page


def price_diff_buttons(page, user, view_name=None, next_url=None):
    """The ``register_page_header_buttons`` hook: on a price list's edit screen, its draft's
    diff against the live list, for whoever may read the draft."""
    kind = page.specific_class
    if kind is None or not issubclass(kind, PriceListPage):
        return
    if not draft_readable_ids(user, [page.pk]):
        return
    yield Button(
        _("Price changes against the live list"),
        reverse("disclosure_admin:price_diff", args=[page.pk]),
        icon_name="table",
        priority=62,
    )


def _kind(request) -> str:
    kind = request.GET.get("change", "")
    return kind if kind in ChangeKind.values else ""


def price_diff_view(request, page_id: int):
    """The full diff, ``?change=`` one kind, a hundred rows a page."""
    page = _page_or_403(request, page_id)
    diff = review_diff(page)
    kind = _kind(request)
    rows = [row for row in diff.changes if not kind or row.change == kind]
    paginator = Paginator(rows, PER_PAGE)
    return TemplateResponse(
        request,
        "disclosure/admin/price_diff.html",
        {
            "page": page,
            "diff": diff,
            "kind": kind,
            "kinds": ChangeKind.choices,
            "page_obj": paginator.get_page(request.GET.get("page")),
            "params": urlencode({"change": kind}) if kind else "",
        },
    )


def price_diff_export_view(request, page_id: int):
    """The full diff (of one kind with ``?change=``) as an XLSX workbook."""
    page = _page_or_403(request, page_id)
    diff = review_diff(page)
    kind = _kind(request)
    content = diff_workbook(diff, kind=kind, title=page.title)
    response = HttpResponse(content, content_type=ALLOWED_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="price-diff-{page.pk}.xlsx"'
    return response


def diff_workbook(diff: PriceDiff, *, kind: str = "", title: str = "") -> bytes:
    """One row per changed row: change, code, name, unit, old price, new price. Written in
    write-only mode (20,000 rows in a moment); every text cell as plain text, never a
    formula."""
    # Deferred to an export, as Wagtail's own exports do: openpyxl is slow to import.
    from openpyxl import Workbook

    labels = dict(ChangeKind.choices)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Price changes")[:31])
    sheet.column_dimensions["C"].width = 40
    if title:
        sheet.append([neutralise_formula(title)])
    sheet.append(
        [
            pgettext("price", "Change"),
            pgettext("price", "Code"),
            pgettext("price", "Name"),
            _("Unit"),
            _("Old price"),
            _("New price"),
        ]
    )
    for row in diff.changes:
        if kind and row.change != kind:
            continue
        sheet.append(
            [
                str(labels.get(row.change, row.change)),
                neutralise_formula(row.code),
                neutralise_formula(row.name),
                neutralise_formula(row.unit),
                row.old_price,
                row.new_price,
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
