"""The audit trail in the admin: the report, an item's timeline, what was live when, and the
history of the plugin's other models. Every screen is read-only; the one write is the office's
revert of a configuration record, which is itself recorded."""

from __future__ import annotations

import django_filters
from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.widgets import AdminDateTimeInput, Button
from wagtail.models import Page, Revision, Site

from ..models import AuditEntry, AuditSource, CatalogItemPage, Department
from ..models.catalog import catalog_item_for
from ..models.moderation import ModeratedPageMixin
from ..rules.people import full_name
from ..rules.privacy import mask_change, mask_identifiers
from ..selectors.admin_pages import draft_readable_ids
from ..selectors.audit import (
    audit_entries_visible_to,
    can_read_audit,
    described_changes,
    item_timeline,
    live_revisions_at,
    reason_words,
    with_shown_objects,
)
from ..selectors.commissions import CommissionAccess
from ..selectors.compliance import change_outcomes, period_records
from ..selectors.scope import (
    commission_site_ids,
    department_ids_of,
    is_office_member,
    overseen_items,
    overseen_site_ids,
    oversees_institution_of,
)
from ..selectors.supervision import revision_standing
from ..services.audit import action_label, revert_to_history, scope_of
from .exports import ReportView
from .revision_banner import with_revision_banner

# Configuration records the office may put back to an earlier version; records of what people
# did (attestations, changes, reviews, reminders) are never "reverted".
REVERTIBLE = {
    "disclosure.department",
    "disclosure.actinghead",
    "disclosure.calendarday",
    "disclosure.calendaryear",
    "disclosure.institutionsettings",
}


#: Every time on these screens and in their exports is the site's local time (``TIME_ZONE``).
def _time_heading() -> str:
    return _("Time (local time, %(zone)s)") % {"zone": settings.TIME_ZONE}


TIME_HEADING = lazy(_time_heading, str)()


def _require_audit_reader(request) -> None:
    if not can_read_audit(request.user):
        raise PermissionDenied


# The report --------------------------------------------------------------------------------


class AuditFilterSet(WagtailFilterSet):
    site = django_filters.ModelChoiceFilter(label=gettext_lazy("Institution"), queryset=None)
    department = django_filters.ModelChoiceFilter(label=gettext_lazy("Department"), queryset=None)
    user = django_filters.ModelChoiceFilter(label=gettext_lazy("User"), queryset=None)
    action = django_filters.ChoiceFilter(label=pgettext_lazy("disclosure", "Action"), choices=())
    content_type = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Object type"), queryset=None
    )
    # The names as the user reads them (selectors.audit.with_shown_objects): a draft's title
    # the user may not read neither shows nor matches.
    object_repr = django_filters.CharFilter(
        label=pgettext_lazy("disclosure", "Object"),
        field_name="shown_object",
        lookup_expr="icontains",
    )
    timestamp = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Date"), widget=DateRangePickerWidget
    )

    class Meta:
        model = AuditEntry
        fields = ["site", "department", "user", "action", "content_type", "object_repr"]

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            # People by their full names, the login beside.
            form.fields["user"].label_from_instance = lambda user: (
                f"{full_name(user)}（{user.get_username()}）"
                if full_name(user) != user.get_username()
                else user.get_username()
            )
        return self._form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choices come from the entries this user may read, so that no filter names an
        # institution, department or person outside the user's scope.
        user = self.request.user
        visible = audit_entries_visible_to(user)
        sites = Site.objects.order_by("site_name")
        if not user.is_superuser:
            sites = sites.filter(pk__in=[*overseen_site_ids(user), *commission_site_ids(user)])
        self.filters["site"].queryset = sites
        self.filters["department"].queryset = Department.objects.filter(
            pk__in=visible.exclude(department=None).values("department")
        ).order_by("site", "sort_order", "name")
        self.filters["user"].queryset = (
            get_user_model()
            .objects.filter(pk__in=visible.exclude(user=None).values("user"))
            .order_by("username")
        )
        self.filters["content_type"].queryset = ContentType.objects.filter(
            pk__in=visible.exclude(content_type=None).values("content_type")
        ).order_by("app_label", "model")
        actions = visible.order_by().values_list("action", flat=True).distinct()
        self.filters["action"].extra["choices"] = sorted(
            ((action, action_label(action)) for action in actions), key=lambda pair: pair[1]
        )


class AuditReportView(ReportView):
    page_title = gettext_lazy("Audit trail")
    header_icon = "history"
    template_name = "disclosure/admin/audit_report.html"
    results_template_name = "disclosure/admin/audit_report_results.html"
    index_url_name = "disclosure_admin:audit_report"
    index_results_url_name = "disclosure_admin:audit_report_results"
    filterset_class = AuditFilterSet
    paginate_by = 50
    list_export = [
        "local_time",
        "site_name",
        "department_name",
        "user_name",
        "username",
        "action_label",
        "object_type",
        "object_repr",
        "comment",
        "changes_text",
        "seq",
    ]
    export_headings = {
        "local_time": TIME_HEADING,
        "site_name": gettext_lazy("Institution"),
        "department_name": gettext_lazy("Department"),
        "user_name": gettext_lazy("User"),
        "username": pgettext_lazy("disclosure", "Login"),
        "action_label": pgettext_lazy("disclosure", "Action"),
        "object_type": gettext_lazy("Object type"),
        "object_repr": pgettext_lazy("disclosure", "Object"),
        "comment": pgettext_lazy("disclosure", "Comment"),
        "changes_text": pgettext_lazy("disclosure", "Changes"),
        "seq": gettext_lazy("Chain position"),
    }

    def dispatch(self, request, *args, **kwargs):
        _require_audit_reader(request)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return with_shown_objects(
            audit_entries_visible_to(self.request.user), self.request.user
        ).select_related("site", "department", "content_type", "user")

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["time_heading"] = TIME_HEADING
        return context

    def decorate_paginated_queryset(self, object_list):
        for entry in object_list:
            _decorate(entry)
        return object_list

    def to_row_dict(self, item):
        _decorate(item)
        return super().to_row_dict(item)

    def get_filename(self):
        return f"audit-trail-{timezone.localdate():%Y-%m-%d}"


def _decorate(entry: AuditEntry) -> AuditEntry:
    """Labels for display and export, computed without queries.

    Entries indexed before identifiers were masked hold them in full, and entries are never
    rewritten (the chain covers them): every text is masked here, on the way out."""
    entry.object_repr = mask_identifiers(getattr(entry, "shown_object", entry.object_repr))
    entry.comment = mask_identifiers(reason_words(entry.comment))
    entry.action_label = action_label(entry.action)
    entry.local_time = timezone.localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S")
    entry.site_name = entry.site.site_name if entry.site else ""
    entry.department_name = entry.department.name if entry.department else ""
    model = entry.content_type.model_class() if entry.content_type_id else None
    entry.object_type = str(model._meta.verbose_name) if model else ""
    # People by their full names, fields and choices by their labels.
    entry.user_name = full_name(entry.user) or entry.username if entry.user_id else entry.username
    changes = described_changes(model, entry.data.get("changes") or [])
    entry.changes_text = mask_identifiers(
        "；".join(f"{change['field']}：{change['old']} → {change['new']}" for change in changes)
    )
    entry.history_url_args = (
        (entry.content_type.app_label, entry.content_type.model, entry.object_id)
        if entry.source == AuditSource.HISTORY and entry.content_type_id
        else None
    )
    return entry


# An item's timeline ------------------------------------------------------------------------


def shown_title(user, page: Page) -> str:
    """How a screen's heading names ``page``: by its latest draft's title for whoever may read
    its drafts, by its live title for anyone else."""
    if page.draft_title and draft_readable_ids(user, [page.pk]):
        return page.draft_title
    return page.title


def _overseen_item_or_403(user, item_id) -> CatalogItemPage:
    item = get_object_or_404(CatalogItemPage, pk=item_id)
    if not overseen_items(user).filter(pk=item.pk).exists():
        raise PermissionDenied
    return item


def item_timeline_view(request, item_id):
    item = _overseen_item_or_403(request.user, item_id)
    events = item_timeline(item, user=request.user)
    for event in events:
        _decorate(event.entry)
    return TemplateResponse(
        request,
        "disclosure/admin/item_timeline.html",
        {
            "item": item,
            "item_title": shown_title(request.user, item),
            "time_heading": TIME_HEADING,
            "events": events,
            "changes": change_outcomes(item),
            "periods": period_records(item),
            "as_of_form": AsOfForm(),
        },
    )


# What did the public see on date D? ---------------------------------------------------------


class AsOfForm(forms.Form):
    at = forms.DateTimeField(label=gettext_lazy("At"), widget=AdminDateTimeInput)


def _page_in_scope_or_403(user, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    item = catalog_item_for(page)
    if item is None or not overseen_items(user).filter(pk=item.pk).exists():
        raise PermissionDenied
    return page, item


def as_of_view(request, page_id):
    """The revision of the page (and, for an item, of each of its publications) live at a
    moment, with a link to see it as the public did."""
    page, item = _page_in_scope_or_403(request.user, page_id)
    form = AsOfForm(request.GET or None)
    rows = None
    if form.is_valid():
        moment = form.cleaned_data["at"]
        pages = [page]
        if page.pk == item.pk:
            pages += list(Page.objects.child_of(item).order_by("path"))
        # Publications not yet published at that moment are left out.
        rows = [
            row
            for row in live_revisions_at(pages, moment)
            if row.ever_published or row.page.pk == page.pk
        ]
    return TemplateResponse(
        request,
        "disclosure/admin/as_of.html",
        {
            "page": page,
            "page_title": shown_title(request.user, page),
            "item": item,
            "form": form,
            "rows": rows,
        },
    )


def _revision_page_or_403(user, page_id):
    """A page whose revisions ``user`` may open: one of a catalog item they oversee, or a
    catalog page above the items (index, category) of an institution they oversee."""
    page = get_object_or_404(Page, pk=page_id).specific
    item = catalog_item_for(page)
    if item is not None:
        if not overseen_items(user).filter(pk=item.pk).exists():
            raise PermissionDenied
    elif not (isinstance(page, ModeratedPageMixin) and oversees_institution_of(user, page)):
        raise PermissionDenied
    return page


def revision_view(request, page_id, revision_id):
    """A revision rendered as the public saw it (or would see it), read-only and under a band
    that says what it is: the live version, an earlier version with when it was public, a
    draft nobody published, or a revision that never went live. No edit permission needed.

    A revision that never went live opens only for whoever may read the page's drafts
    (``selectors.admin_pages.draft_readable_ids``: who may edit or review the page, and the
    supervisors of its institution); to anyone else it does not exist."""
    page = _revision_page_or_403(request.user, page_id)
    revision = get_object_or_404(
        Revision.objects.page_revisions().select_related("user"),
        pk=revision_id,
        object_id=str(page.pk),
    )
    standing = revision_standing(page, revision)
    if not standing.went_live and not draft_readable_ids(request.user, [page.pk]):
        raise Http404
    shown = revision.as_object()
    response = shown.make_preview_request(request, page.default_preview_mode)
    response["X-Robots-Tag"] = "noindex"
    return with_revision_banner(request, response, page=shown, revision=revision, standing=standing)


# Model history ----------------------------------------------------------------------------


def _history_target(app_label, model_name):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    if app_label != "disclosure" or not hasattr(model, "history"):
        raise Http404
    return model


#: What a health commission does not read of an institution, not even as history: its cases
#: (the applicants' correspondence) and its settings (groups, workflows, contacts).
NOT_FOR_COMMISSIONS = frozenset(
    {
        "disclosure.disclosurerequest",
        "disclosure.consultation",
        "disclosure.requestfile",
        "disclosure.institutionsettings",
    }
)


def _can_see_object_history(user, model, scope) -> bool:
    """The same rule as the report: institution overseers, or the object's department, or a
    health commission over the institution (but for its cases and settings); a commission's
    own records, its members."""
    if user.is_superuser:
        return True
    if scope.commission_id is not None:
        return CommissionAccess.of(user).reads_commission(scope.commission_id)
    sites = overseen_site_ids(user)
    if scope.site_id is None:
        return bool(sites)
    if scope.site_id in sites:
        return True
    if scope.department_id is not None and scope.department_id in department_ids_of(user):
        return True
    return (
        scope.site_id in commission_site_ids(user)
        and model._meta.label_lower not in NOT_FOR_COMMISSIONS
    )


def _can_revert(user, model, scope) -> bool:
    """Only the disclosure office (of the object's institution) reverts configuration."""
    if model._meta.label_lower not in REVERTIBLE:
        return False
    return user.is_superuser or is_office_member(user, site_id=scope.site_id)


def _history_context(request, app_label, model_name, object_id):
    model = _history_target(app_label, model_name)
    records = list(
        model.history.filter(**{model._meta.pk.attname: object_id})
        .select_related("history_user")
        .order_by("-history_date", "-history_id")
    )
    if not records:
        raise Http404
    scope = scope_of(records[0].instance)
    if not _can_see_object_history(request.user, model, scope):
        raise PermissionDenied
    return model, records, scope


def _shown_changes(model, record) -> list[dict]:
    """What changed in ``record``, masked as the audit trail masks it: applicants' personal
    fields by their own masks, identifiers in any other text (a file name, a note)."""
    previous = record.prev_record
    if previous is None:
        return []
    personal = getattr(model, "personal_fields", ())

    def shown(field, value):
        return None if value is None else mask_change(field, value, personal=personal)

    return described_changes(
        model,
        [
            {
                "field": change.field,
                "old": shown(change.field, change.old),
                "new": shown(change.field, change.new),
            }
            for change in record.diff_against(previous).changes
        ],
    )


def model_history_view(request, app_label, model_name, object_id):
    model, records, scope = _history_context(request, app_label, model_name, object_id)
    rows = [
        {
            "record": record,
            "changes": _shown_changes(model, record),
            "reason": mask_identifiers(reason_words(record.history_change_reason or "")),
        }
        for record in records
    ]
    return TemplateResponse(
        request,
        "disclosure/admin/model_history.html",
        {
            "model_name": model._meta.verbose_name,
            "object_repr": mask_identifiers(str(records[0].instance)),
            "rows": rows,
            "can_revert": _can_revert(request.user, model, scope),
            "time_zone": settings.TIME_ZONE,
            "path_args": (app_label, model_name, object_id),
        },
    )


@require_POST
def model_revert_view(request, app_label, model_name, object_id, history_id):
    model, records, scope = _history_context(request, app_label, model_name, object_id)
    if not _can_revert(request.user, model, scope):
        raise PermissionDenied
    record = next((r for r in records if r.history_id == int(history_id)), None)
    if record is None or record.history_type == "-":
        raise Http404
    revert_to_history(record, user=request.user)
    messages.success(
        request,
        _("“%(object)s” was put back to its version of %(date)s; the revert is recorded.")
        % {
            "object": mask_identifiers(str(record.instance)),
            "date": timezone.localtime(record.history_date).strftime("%Y-%m-%d %H:%M"),
        },
    )
    return redirect("disclosure_admin:model_history", app_label, model_name, object_id)


def page_audit_buttons(page, user, view_name=None, next_url=None):
    """The ``register_page_header_buttons`` hook: on a catalog page's edit screen, its timeline
    and what the public saw when."""
    item = catalog_item_for(page)
    if item is None or not overseen_items(user).filter(pk=item.pk).exists():
        return
    yield Button(
        pgettext_lazy("disclosure", "Timeline"),
        reverse("disclosure_admin:item_timeline", args=[item.pk]),
        icon_name="history",
        priority=60,
    )
    yield Button(
        gettext_lazy("What the public saw"),
        reverse("disclosure_admin:page_as_of", args=[page.pk]),
        icon_name="view",
        priority=61,
    )
