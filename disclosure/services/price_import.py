"""The import of a price list's rows from an XLSX or CSV file (收费价格公示).

An import is all or nothing: every row is checked first, and one bad row means that no row is
saved and every problem is reported (row, column, reason) on the refused version. A file that
passes becomes a new version of the list, its rows written in one transaction, and a new draft
revision of the page names it: the editor submits it for review as any other change, and the
live list stays what it was until the office approves.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..models import InstitutionSettings, PriceListPage
from ..models.prices import ImportStatus, PriceListVersion, PriceRow
from ..models.requests import private_storage
from ..rules import prices as rules
from ..rules.price_columns import (
    DEFAULT_GRADE,
    HEADER_SEARCH_ROWS,
    MAX_COLUMNS,
    MAX_ROWS,
    RowError,
    cell_text,
    check_table,
    institution_price_grade,
)
from .audit import create_as
from .moderation import rewrite_refusal

__all__ = [
    "BATCH_SIZE",
    "PriceImportError",
    "RowError",
    "abandon_price_import",
    "import_price_list",
    "import_refusal",
    "read_price_file",
    "run_stored_import",
    "start_price_import",
    "store_price_file",
]

#: Rows checked between two progress reports, and rows written per INSERT.
BATCH_SIZE = 2000
SUFFIXES = (".xlsx", ".csv")

Progress = Callable[[int, int], None]
UNEXPECTED = gettext_noop("The import stopped on an unexpected error; nothing was saved.")


class PriceImportError(Exception):
    """The file was refused; nothing of it was saved. ``errors`` lists every problem."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(
            "\n".join(f"{error.row} {error.column}: {error.message}" for error in errors[:20])
        )


# Reading files ------------------------------------------------------------------------------


def read_price_file(upload, *, filename: str) -> list[list[str]]:
    """The cells of an XLSX (its first sheet) or CSV file as text, row by row.

    ``upload`` is a binary file (an upload, an open file). A CSV file is read as UTF-8 (with
    or without BOM) and, failing that, as GB18030 (what Excel saves on a Chinese Windows)."""
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise PriceImportError(
            [
                RowError(
                    0,
                    "",
                    _("Unsupported file type %(suffix)s: use .xlsx or .csv.")
                    % {"suffix": suffix or "''"},
                )
            ]
        )
    if suffix == ".xlsx":
        return _read_xlsx(upload)
    data = upload.read()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise PriceImportError(
                [RowError(0, "", _("The file is neither UTF-8 nor GB18030 text."))]
            ) from None
    return _bounded_rows(list(row) for row in csv.reader(io.StringIO(text, newline="")))


def _bounded_rows(rows) -> list[list[str]]:
    """The rows read, each cut to :data:`MAX_COLUMNS` cells; the file refused past
    :data:`MAX_ROWS` rows (read no further: a small compressed file can hold millions)."""
    table = []
    for row in rows:
        if len(table) > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise PriceImportError(
                [
                    RowError(
                        0,
                        "",
                        _("The file has more than %(limit)s rows: split it by category.")
                        % {"limit": f"{MAX_ROWS:,}"},
                    )
                ]
            )
        table.append(row[:MAX_COLUMNS])
    return table


#: An XLSX file is a zip: what its parts hold unpacked, at most (a 20 MB file of prices
#: unpacks to some 200 MB; a few kilobytes can unpack to gigabytes).
MAX_UNPACKED_BYTES = 400 * 1024 * 1024


def _unpacked_size(upload) -> int:
    try:
        with zipfile.ZipFile(upload) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0  # not a zip: openpyxl says so below
    finally:
        upload.seek(0)
    return size


def _without_trailing_blanks(cells: list[str]) -> list[str]:
    # A sheet read to a fixed width pads every row with blanks.
    while cells and cells[-1] == "":
        cells.pop()
    return cells


def _read_xlsx(upload) -> list[list[str]]:
    # Deferred: openpyxl is read only for a spreadsheet (as Wagtail's own export does).
    from openpyxl import load_workbook

    if _unpacked_size(upload) > MAX_UNPACKED_BYTES:
        raise PriceImportError(
            [RowError(0, "", _("The spreadsheet is too large once unpacked: split it."))]
        )
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise PriceImportError(
            [RowError(0, "", _("The file could not be read as an XLSX spreadsheet."))]
        ) from None
    try:
        sheet = workbook.worksheets[0]
        # Read every row there is: some programs write a sheet's size wrong, and a read-only
        # sheet trusts it. Row by row, no further than the limit allows.
        sheet.reset_dimensions()
        return _bounded_rows(
            _without_trailing_blanks([cell_text(value) for value in row])
            for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        )
    finally:
        workbook.close()


# Importing ----------------------------------------------------------------------------------


def effective_date_problem(page: PriceListPage, effective_date: dt.date) -> str | None:
    """Why a new version of ``page`` may not take effect on ``effective_date`` (the rule:
    :func:`disclosure.rules.prices.effective_date_problem`, against the live version)."""
    live = PriceListPage.objects.filter(pk=page.pk).values_list(
        "rows_version__effective_date", flat=True
    )
    return rules.effective_date_problem(
        effective_date, live_effective_date=live.first(), today=timezone.localdate()
    )


def import_refusal(page: PriceListPage, user) -> str | None:
    """Why ``user`` may not import rows into ``page`` (``None``: they may)."""
    return rewrite_refusal(
        page,
        user,
        not_editable=_("You may not edit this price list."),
        in_review=_(
            "The price list is in review: the reviewers approve the rows they see. Import "
            "after it is returned or approved."
        ),
    )


def start_price_import(
    *,
    page: PriceListPage,
    user,
    effective_date: dt.date,
    basis: str = "",
    source_name: str = "",
) -> PriceListVersion:
    """A new RUNNING version of ``page``'s rows, for an import that runs later (a task): the
    progress bar follows it from the start. Refused (``PermissionDenied``) to a user who may
    not edit the page."""
    page = PriceListPage.objects.get(pk=page.pk)
    if (refusal := import_refusal(page, user)) is not None:
        raise PermissionDenied(refusal)
    if (problem := effective_date_problem(page, effective_date)) is not None:
        raise PriceImportError([RowError(0, "", problem)])
    return _new_version(
        page,
        user,
        kind=page.get_latest_revision_as_object().price_kind,
        effective_date=effective_date,
        basis=basis,
        source_name=source_name,
    )


def _new_version(
    page: PriceListPage, user, *, kind: str, effective_date: dt.date, basis: str, source_name: str
) -> PriceListVersion:
    return create_as(
        user,
        PriceListVersion,
        page=page,
        price_kind=kind,
        effective_date=effective_date,
        basis=basis,
        source_name=source_name[:255],
        status=ImportStatus.RUNNING,
        imported_by=user,
    )


def import_price_list(
    *,
    page: PriceListPage,
    user,
    table: list[list[str]],
    effective_date: dt.date | None = None,
    basis: str = "",
    source_name: str = "",
    progress: Progress | None = None,
    version: PriceListVersion | None = None,
) -> PriceListVersion:
    """Import ``table`` (headings first) as the new rows of ``page``.

    Every row is checked against the columns of the page's kind of prices. On any problem the
    version is FAILED with every problem listed, no row is saved and
    :class:`PriceImportError` is raised. Otherwise, in one transaction, the rows are written
    (in batches), the version is READY and a new draft revision of the page names it (not
    submitted for review: the editor submits it as usual).

    ``version`` is an existing RUNNING version of the page (see :func:`start_price_import`),
    whose effective date, basis and file are then kept; without it one is made.
    ``progress(done, total)`` is called after every batch of rows checked (the version's
    ``processed_rows`` follows it); the write that follows is one transaction, seen whole.
    Refused (``PermissionDenied``) to a user who may not edit the page.
    """
    # As the database has it now: a caller's copy may name an older latest revision.
    page = PriceListPage.objects.get(pk=page.pk)
    if (refusal := import_refusal(page, user)) is not None:
        raise PermissionDenied(refusal)
    draft = page.get_latest_revision_as_object()
    if version is None:
        if effective_date is None:
            raise ValueError("An import needs its effective date.")
        version = _new_version(
            page,
            user,
            kind=draft.price_kind,
            effective_date=effective_date,
            basis=basis,
            source_name=source_name,
        )
    elif version.page_id != page.pk:
        raise PermissionDenied(_("The version belongs to another price list."))
    elif version.status != ImportStatus.RUNNING:
        raise ValueError(f"Version {version.pk} has already run ({version.status}).")

    def report(done: int, total: int) -> None:
        # Outside the write's transaction: the progress bar reads it from another request.
        version.total_rows, version.processed_rows = total, done
        PriceListVersion.objects.filter(pk=version.pk).update(total_rows=total, processed_rows=done)
        if progress is not None:
            progress(done, total)

    try:
        _check_version(version, kind=draft.price_kind)
        checked = check_table(
            draft.price_kind,
            table,
            grade=_price_grade(page),
            progress=report,
            batch_size=BATCH_SIZE,
        )
        if checked.errors:
            raise PriceImportError(checked.errors)
        with transaction.atomic():
            # Again, under the page's lock: the list may have gone into review while its rows
            # were checked, and the reviewers approve the rows they saw.
            page = PriceListPage.objects.select_for_update().get(pk=page.pk)
            if (refusal := import_refusal(page, user)) is not None:
                raise PriceImportError([RowError(0, "", refusal)])
            draft = page.get_latest_revision_as_object()
            if (problem := effective_date_problem(page, version.effective_date)) is not None:
                raise PriceImportError([RowError(0, "", problem)])
            _write_rows(version, checked.rows)
            version.total_rows = version.processed_rows = checked.total
            version.status = ImportStatus.READY
            version.errors = []
            version._history_user = user
            version.save()
            draft.rows_version = version
            # The form's other fields are as the latest revision left them; the edit view
            # saves without a second full clean too.
            draft.save_revision(user=user, log_action=True, clean=False)
    except PriceImportError as refused:
        _fail(version, refused.errors, user=user)
        raise
    except Exception:
        _fail(version, [RowError(0, "", _(UNEXPECTED))], user=user)
        raise
    return version


def _check_version(version: PriceListVersion, *, kind: str) -> None:
    if version.price_kind != kind:
        raise PriceImportError(
            [RowError(0, "", _("The rows are of another kind: import the list again."))]
        )


def _price_grade(page: PriceListPage) -> str:
    site = page.get_site()
    if site is None:
        return DEFAULT_GRADE
    return institution_price_grade(InstitutionSettings.for_site(site).grade)


def _write_rows(version: PriceListVersion, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH_SIZE):
        PriceRow.objects.bulk_create(
            [PriceRow(version=version, **row) for row in rows[start : start + BATCH_SIZE]]
        )


def _fail(version: PriceListVersion, errors: list[RowError], *, user) -> None:
    version.status = ImportStatus.FAILED
    version.errors = [error.as_dict() for error in errors]
    version._history_user = user
    version.save()


# Imports that run as a task ----------------------------------------------------------------

#: The largest file accepted (a list of tens of thousands of rows is a few megabytes).
MAX_FILE_BYTES = 20 * 1024 * 1024
_STORED_FOLDER = "price-imports"


def store_price_file(version: PriceListVersion, upload, *, filename: str) -> str:
    """Keep an uploaded file for its import task where the private files are kept (no URL):
    its stored name, which names the version, never the uploader's file name."""
    suffix = Path(filename).suffix.lower()
    return private_storage().save(f"{_STORED_FOLDER}/version-{version.pk}{suffix}", upload)


def abandon_price_import(version: PriceListVersion, *, file_name: str, user) -> None:
    """Refuse a RUNNING version whose task could not be queued, and delete its file."""
    _fail(version, [RowError(0, "", _(UNEXPECTED))], user=user)
    private_storage().delete(file_name)


def run_stored_import(*, version_id: int, file_name: str) -> dict[str, object]:
    """Import the stored file ``file_name`` into its RUNNING version (the task's body), in the
    name of the user who uploaded it, then delete the file. Returns the outcome: the status,
    the rows imported and the problems found."""
    version = PriceListVersion.objects.select_related("page", "imported_by").get(pk=version_id)
    storage = private_storage()
    try:
        with storage.open(file_name, "rb") as handle:
            table = read_price_file(handle, filename=file_name)
        import_price_list(page=version.page, user=version.imported_by, table=table, version=version)
    except PriceImportError as refused:
        if version.status == ImportStatus.RUNNING:  # refused before the import began
            _fail(version, refused.errors, user=version.imported_by)
    except PermissionDenied as refusal:
        _fail(version, [RowError(0, "", str(refusal))], user=version.imported_by)
    except Exception:
        if version.status == ImportStatus.RUNNING:  # the file could not even be opened
            _fail(version, [RowError(0, "", _(UNEXPECTED))], user=version.imported_by)
        raise
    finally:
        storage.delete(file_name)
    return {"status": version.status, "rows": version.total_rows, "errors": len(version.errors)}
