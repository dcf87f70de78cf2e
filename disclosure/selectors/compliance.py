"""Where every catalog item stands against its update rule: one query, then the engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from wagtail.models import Page, Site
from wagtail.query import PageQuerySet

from .. import workdays
from ..models import CatalogItemPage, InstitutionSettings
from ..models.compliance import Attestation, ChangeEvent
from ..rules.deadlines import ComplianceStatus, Deadline, compute_deadline
from ..rules.update_rules import DEFAULT_WORKING_DAYS
from .catalog import default_working_days_for, latest_publication_date


@dataclass
class ItemCompliance:
    item: CatalogItemPage
    deadline: Deadline
    institution: str
    category: str
    default_working_days: int

    @property
    def rule_words(self) -> str:
        return self.item.update_rule.describe(default_working_days=self.default_working_days)

    @property
    def status_label(self) -> str:
        return str(ComplianceStatus(self.deadline.status).label)


def _latest(model, field: str) -> Subquery:
    rows = model.objects.filter(item=OuterRef("pk")).values("item")
    return Subquery(rows.annotate(latest=Max(field)).values("latest")[:1])


def annotated_items(items: PageQuerySet) -> PageQuerySet:
    """Items with the dates the engine needs, annotated in SQL."""
    return items.select_related("department").annotate(
        last_published_on=latest_publication_date(),
        last_attested_on=_latest(Attestation, "attested_on"),
        last_change_on=_latest(ChangeEvent, "changed_on"),
    )


def _institutions() -> list[tuple[str, str, int]]:
    """(root path, institution name, default working days) for every site, longest path first."""
    settings_by_site = {s.site_id: s for s in InstitutionSettings.objects.all()}
    rows = []
    for site in Site.objects.select_related("root_page"):
        institution = settings_by_site.get(site.pk)
        rows.append(
            (
                site.root_page.path,
                (institution.full_name if institution else "") or site.site_name or site.hostname,
                institution.default_update_working_days if institution else DEFAULT_WORKING_DAYS,
            )
        )
    return sorted(rows, key=lambda row: -len(row[0]))


def item_compliance(*, items: PageQuerySet, today: dt.date | None = None) -> list[ItemCompliance]:
    """Every item of ``items`` with its deadline today. A fixed number of queries."""
    today = today or timezone.localdate()
    calendar = workdays.calendar()
    institutions = _institutions()
    items = list(annotated_items(items).order_by("path"))
    category_paths = {item.path[: -Page.steplen] for item in items}
    categories = dict(Page.objects.filter(path__in=category_paths).values_list("path", "title"))
    results = []
    for item in items:
        name, days = next(
            ((name, days) for root, name, days in institutions if item.path.startswith(root)),
            ("", DEFAULT_WORKING_DAYS),
        )
        deadline = compute_deadline(
            rule=item.update_rule,
            today=today,
            calendar=calendar,
            default_working_days=days,
            last_published=item.last_published_on,
            last_attested=item.last_attested_on,
            last_change=item.last_change_on,
        )
        results.append(
            ItemCompliance(
                item=item,
                deadline=deadline,
                institution=name,
                category=categories.get(item.path[: -Page.steplen], ""),
                default_working_days=days,
            )
        )
    return results


def deadline_for_item(item: CatalogItemPage, *, today: dt.date | None = None) -> ItemCompliance:
    """One item's standing (for its public label and the API)."""
    return item_compliance(items=CatalogItemPage.objects.filter(pk=item.pk), today=today)[0]


def period_records(item: CatalogItemPage, *, today: dt.date | None = None, count: int = 8):
    """A periodic item's last ``count`` periods: on time, late, missing or not due yet."""
    from ..models import PublicationPage
    from ..rules.deadlines import period_history

    dates = list(
        PublicationPage.objects.child_of(item).live().values_list("publication_date", flat=True)
    )
    return period_history(
        rule=item.update_rule,
        publication_dates=dates,
        today=today or timezone.localdate(),
        calendar=workdays.calendar(),
        default_working_days=default_working_days_for(item.get_site()),
        count=count,
    )


def change_outcomes(
    item: CatalogItemPage,
) -> list[tuple[ChangeEvent, dt.date, dt.date | None, bool]]:
    """Each recorded change with its due date, the first publication after it, and whether that
    publication was late (or, when none yet, whether the change is now overdue)."""
    from ..models import PublicationPage

    days = item.rule_working_days or default_working_days_for(item.get_site())
    dates = sorted(
        PublicationPage.objects.child_of(item).live().values_list("publication_date", flat=True)
    )
    calendar = workdays.calendar()
    outcomes = []
    for event in item.change_events.select_related("recorded_by"):
        due = calendar.add_working_days(event.changed_on, days).date
        published = next((d for d in dates if d >= event.changed_on), None)
        late = (published or timezone.localdate()) > due
        outcomes.append((event, due, published, late))
    return outcomes
