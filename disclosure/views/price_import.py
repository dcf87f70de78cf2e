"""The admin's import of a price list's rows (导入价格表): the upload form, the progress page
with its status endpoint, the example file of each kind, and the buttons that lead there.

Only a user who may edit the list imports into it, follows an import's progress or reads its
errors; the upload is kept with the private files (no URL) until its task has read it.
"""

from __future__ import annotations

import io
from pathlib import Path

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET
from wagtail.admin.widgets import AdminDateInput, Button

from ..models import PriceListPage
from ..models.prices import ImportStatus, PriceListVersion
from ..rules.price_columns import COLUMNS, EXAMPLE_ROWS, GRADES, grade_heading
from ..rules.prices import PriceKind
from ..rules.uploads import check_upload
from ..services.price_import import (
    MAX_FILE_BYTES,
    SUFFIXES,
    abandon_price_import,
    effective_date_problem,
    import_refusal,
    start_price_import,
    store_price_file,
)
from ..tasks import import_price_list_task

#: How many of a list's earlier imports the form lists.
RECENT_IMPORTS = 10


class PriceImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "An XLSX or CSV file, its headings in the first row (see the example file)."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}),
    )
    effective_date = forms.DateField(
        label=pgettext_lazy("price", "Effective date"),
        help_text=gettext_lazy("The day these prices apply from."),
        widget=AdminDateInput,
    )
    basis = forms.CharField(
        label=gettext_lazy("Basis (document number)"),
        help_text=gettext_lazy("The pricing document, e.g. 示医保发〔2026〕12号."),
        max_length=255,
        required=False,
    )

    def __init__(self, *args, page: PriceListPage, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page

    def clean_effective_date(self):
        day = self.cleaned_data["effective_date"]
        if (problem := effective_date_problem(self.page, day)) is not None:
            raise forms.ValidationError(problem)
        return day

    def clean_file(self):
        upload = self.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        if suffix not in SUFFIXES:
            raise forms.ValidationError(_("Upload an .xlsx or .csv file."))
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // 2**20}
            )
        if suffix == ".xlsx":
            head = upload.read(8192)
            upload.seek(0)
            if not check_upload(upload.name, head).ok:
                raise forms.ValidationError(_("The file is not an XLSX spreadsheet."))
        return upload


def _editable_price_list(request, page_id: int) -> PriceListPage:
    """The list, for a user who may edit it; refused (403) to anyone else."""
    page = get_object_or_404(PriceListPage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return page


def _columns_of(kind: str) -> list[tuple[str, bool]]:
    """The kind's headings with whether each is required, for the form's explanation."""
    return [(column.heading, column.required) for column in COLUMNS[kind]]


def import_view(request, page_id: int):
    """导入价格表: upload a file; its import runs as a task and the progress page follows it."""
    page = _editable_price_list(request, page_id)
    draft = page.get_latest_revision_as_object()
    refusal = import_refusal(page, request.user)
    form = None
    if refusal is None:
        form = PriceImportForm(request.POST or None, request.FILES or None, page=page)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            version = start_price_import(
                page=page,
                user=request.user,
                effective_date=form.cleaned_data["effective_date"],
                basis=form.cleaned_data["basis"],
                source_name=Path(upload.name).name,
            )
            stored = store_price_file(version, upload, filename=upload.name)
            try:
                import_price_list_task.enqueue(version_id=version.pk, file_name=stored)
            except Exception:
                # No task will ever run it: the version is refused, not left running.
                abandon_price_import(version, file_name=stored, user=request.user)
                raise
            return redirect("disclosure_admin:price_import_progress", page.pk, version.pk)
    context = {
        "page": page,
        "form": form,
        "refusal": refusal,
        "kind_label": PriceKind(draft.price_kind).label,
        "columns": _columns_of(draft.price_kind),
        "grade_headings": [grade_heading(grade) for grade in GRADES]
        if draft.price_kind == PriceKind.SERVICE
        else [],
        "example_url": reverse("disclosure_admin:price_import_example", args=[draft.price_kind]),
        "imports": page.versions.select_related("imported_by")[:RECENT_IMPORTS],
        "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
    }
    return TemplateResponse(request, "disclosure/admin/price_import.html", context)


def _version_of(request, page_id: int, version_id: int) -> tuple[PriceListPage, PriceListVersion]:
    page = _editable_price_list(request, page_id)
    version = get_object_or_404(
        PriceListVersion.objects.select_related("imported_by"), pk=version_id, page=page
    )
    return page, version


def progress_view(request, page_id: int, version_id: int):
    """The import's progress bar while it runs (a static script polls the status), then its
    result: the rows imported and the way to the editor, or every row's problem."""
    page, version = _version_of(request, page_id, version_id)
    context = {
        "page": page,
        "version": version,
        "running": version.status == ImportStatus.RUNNING,
        "ready": version.status == ImportStatus.READY,
        "status_url": reverse("disclosure_admin:price_import_status", args=[page.pk, version.pk]),
        "edit_url": reverse("wagtailadmin_pages:edit", args=[page.pk]),
        "import_url": reverse("disclosure_admin:price_import", args=[page.pk]),
    }
    return TemplateResponse(request, "disclosure/admin/price_import_progress.html", context)


@require_GET
def status_view(request, page_id: int, version_id: int):
    """The progress bar's JSON: ``{"status", "total", "processed", "done"}``."""
    _page, version = _version_of(request, page_id, version_id)
    response = JsonResponse(
        {
            "status": version.status,
            "total": version.total_rows,
            "processed": version.processed_rows,
            "done": version.status != ImportStatus.RUNNING,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def example_view(request, kind: str):
    """An example file of a kind's list: its headings and a few rows, as XLSX."""
    if kind not in PriceKind.values:
        raise Http404
    # Deferred: openpyxl is needed only for a spreadsheet (as Wagtail's own export does).
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(PriceKind(kind).label)[:31]
    headings = [column.heading for column in COLUMNS[kind]]
    sheet.append(headings)
    for cell, column in zip(sheet[1], COLUMNS[kind], strict=True):
        cell.font = Font(bold=column.required)
    for row in EXAMPLE_ROWS[kind]:
        sheet.append([row.get(heading, "") for heading in headings])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.number_format = "@"  # text: a code keeps its digits, a price as written
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="price-list-{kind}-{stamp}.xlsx"'
    return response


def price_import_buttons(page, user, view_name=None, next_url=None):
    """The ``register_page_header_buttons`` and ``register_page_listing_more_buttons`` hooks:
    导入价格表 on a price list, for a user who may edit it."""
    if page.specific_class is not PriceListPage:
        return
    if not page.permissions_for_user(user).can_edit():
        return
    yield Button(
        gettext_lazy("Import the price list"),
        reverse("disclosure_admin:price_import", args=[page.pk]),
        icon_name="upload",
        priority=35,
    )
