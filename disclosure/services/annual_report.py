"""The annual report's writes: generate a draft for a year from the records, regenerate the
statistics of a draft. Both check what the admin's buttons check, so a command cannot do more.

A report's statistics change only here, and only as a new draft revision: the live revision
keeps the figures it was approved with.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Revision

from ..models import AnnualReportPage, CatalogItemPage, InstitutionSettings
from ..models.institutions import institution_name
from ..rules.annual_report import overview_paragraph
from ..selectors.annual_report import report_statistics
from ..selectors.catalog import free_slug, site_of, site_roots
from .moderation import rewrite_refusal


def _institution(page: Page) -> tuple:
    site = site_of(page.path, site_roots())
    if site is None:
        raise ValidationError(_("This page belongs to no institution."))
    settings = InstitutionSettings.for_site(site)
    return site, institution_name(site, settings)


def generation_refusal(item: CatalogItemPage, user) -> str | None:
    """Why ``user`` may not generate a report under ``item``, or ``None``."""
    if not AnnualReportPage.can_create_at(item):
        return _("This catalog item does not take annual reports.")
    if not item.permissions_for_user(user).can_add_subpage():
        return _("You may not add publications under this catalog item.")
    return None


@transaction.atomic
def generate_draft(
    *, item: CatalogItemPage, year: int, user, today: dt.date | None = None
) -> AnnualReportPage:
    """A new draft report for ``year`` under ``item``, its statistics generated from the
    records (1 January to 31 December), its overview offered from the key figures."""
    refusal = generation_refusal(item, user)
    if refusal:
        raise PermissionDenied(refusal)
    today = today or timezone.localdate()
    if year > today.year:
        raise ValidationError({"year": _("That year has not begun.")})
    if AnnualReportPage.objects.child_of(item).filter(year=year).exists():
        raise ValidationError({"year": _("This item already has a report for that year.")})
    site, institution = _institution(item)
    start, end = AnnualReportPage.default_period(year)
    statistics = report_statistics(site=site, start=start, end=end, today=today)
    title = _("%(institution)s annual report on disclosure work for %(year)s") % {
        "institution": institution,
        "year": year,
    }
    page = AnnualReportPage(
        title=title,
        slug=free_slug(item, f"annual-report-{year}"),
        year=year,
        period_start=start,
        period_end=end,
        publication_date=today,
        statistics=statistics.as_json(),
        overview=overview_paragraph(institution=institution, year=year, statistics=statistics),
        owner=user,
        live=False,
    )
    item.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    return page


def regeneration_refusal(page: AnnualReportPage, user) -> str | None:
    return rewrite_refusal(
        page,
        user,
        not_editable=_("You may not edit this report."),
        in_review=_(
            "The report is in review: its figures are what the reviewers approve. Regenerate "
            "them after it is returned or approved."
        ),
    )


@transaction.atomic
def regenerate(*, page: AnnualReportPage, user, today: dt.date | None = None) -> Revision:
    """A new draft revision of ``page`` (from its latest one) with the statistics counted
    anew for the period it sets; the text sections and table 四 stay as they were."""
    page = AnnualReportPage.objects.select_for_update().get(pk=page.pk)
    refusal = regeneration_refusal(page, user)
    if refusal:
        raise PermissionDenied(refusal)
    draft = page.get_latest_revision_as_object()
    site, _name = _institution(page)
    draft.statistics = report_statistics(
        site=site, start=draft.period_start, end=draft.period_end, today=today
    ).as_json()
    return draft.save_revision(user=user, log_action=True)
