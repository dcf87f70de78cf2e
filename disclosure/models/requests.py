"""Requests for information (依申请公开) and consultations (咨询), with their files and numbers.

A case belongs to one institution (a Wagtail ``Site``). Its tracking number is drawn from a
:class:`~disclosure.models.numbering.NumberCounter` in the transaction that stores it, so numbers
have neither gaps nor duplicates (see :mod:`disclosure.services.requests`). Applicants' personal
data (names, ID numbers, contacts) is masked everywhere except for the institution's disclosure
office. Every change is a django-simple-history row whose change reason is the handler's note.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from ..rules.requests import (
    OPEN_STATES,
    ApplicantType,
    CaseKind,
    CaseState,
    DeliveryWay,
    IdDocument,
    Outcome,
    ProvisionForm,
)
from .audit import AuditScope
from .moderation import ModeratedPageMixin


class PrivateStorage(LazyObject):
    """Files that have no public URL: applicants' attachments and replies.

    They live under ``DISCLOSURE_PRIVATE_ROOT`` (outside ``MEDIA_ROOT``) and are served only
    through permission-checked views.
    """

    def _setup(self):
        root = getattr(settings, "DISCLOSURE_PRIVATE_ROOT", None) or (
            Path(settings.MEDIA_ROOT).parent / "private-media"
        )
        self._wrapped = FileSystemStorage(location=root, base_url=None)


_private_storage = PrivateStorage()


def private_storage():
    """The storage of applicants' files. A callable, so that a migration names it rather than
    the folder of the machine that made the migration."""
    return _private_storage


def _history():
    # The change reason is the handler's note, which may be longer than a line.
    return HistoricalRecords(
        history_change_reason_field=models.TextField(null=True),
        excluded_fields=["lookup_digest"],
    )


class Case(models.Model):
    """What requests and consultations share: number, contact, state, department and reply."""

    kind: str  # set by each concrete model

    # Personal fields: masked for everyone but the disclosure office.
    personal_fields: tuple[str, ...] = ("name", "phone", "email", "address")

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("tracking number"), max_length=32, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    lookup_digest = models.CharField(max_length=64, editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=CaseState.choices, default=CaseState.REGISTERED
    )
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("postal address"), max_length=200, blank=True)
    department = models.ForeignKey(
        "disclosure.Department",
        verbose_name=_("handling department"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    reply = models.TextField(_("reply"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    reply_released_on = models.DateField(
        _("reply released to the applicant on"), null=True, blank=True
    )
    # The day the case left the open states (answered, withdrawn, deemed abandoned): what the
    # annual report counts a case as handled in, and carried over until.
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["-received_on", "-sequence"]

    def __str__(self) -> str:
        return self.number

    def get_kind_display(self) -> str:
        return str(CaseKind(self.kind).label)

    def audit_scope(self) -> AuditScope:
        return AuditScope(site_id=self.site_id, department_id=self.department_id)


class DisclosureRequest(Case):
    """依申请公开: a formal request for information, answered within statutory limits."""

    kind = CaseKind.REQUEST
    personal_fields = (*Case.personal_fields, "contact_person", "id_number")

    applicant_type = models.CharField(
        _("applicant type"), max_length=30, choices=ApplicantType.choices
    )
    id_type = models.CharField(
        _("ID document"), max_length=20, choices=IdDocument.choices, default=IdDocument.RESIDENT_ID
    )
    id_number = models.CharField(_("ID number"), max_length=40)
    contact_person = models.CharField(_("contact person"), max_length=100, blank=True)
    description = models.TextField(_("information sought"))
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    provision_form = models.CharField(
        _("form of provision"), max_length=20, choices=ProvisionForm.choices
    )
    delivery = models.CharField(_("way of receiving"), max_length=20, choices=DeliveryWay.choices)

    correction_requested_on = models.DateField(_("correction asked for on"), null=True, blank=True)
    correction_note = models.TextField(_("what to correct"), blank=True)
    correction_due = models.DateField(_("correction due from the applicant"), null=True, blank=True)
    corrected_on = models.DateField(_("correction received on"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    extended_on = models.DateField(_("extension approved on"), null=True, blank=True)
    third_party_started_on = models.DateField(_("third party consulted on"), null=True, blank=True)
    third_party_answered_on = models.DateField(_("third party answered on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=40, choices=Outcome.choices, blank=True)
    publication = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("disclosed proactively as"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )

    history = _history()

    class Meta(Case.Meta):
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="unique_request_number"),
            # Every closed request ends in one row of table 三 (see CLOSING_OUTCOMES).
            models.CheckConstraint(
                condition=models.Q(state__in=[state.value for state in OPEN_STATES])
                | ~models.Q(outcome=""),
                name="closed_request_has_outcome",
            ),
            models.UniqueConstraint(
                fields=["site", "year", "sequence"], name="unique_request_sequence"
            ),
        ]


class Consultation(Case):
    """咨询: a question, answered within a short limit."""

    kind = CaseKind.CONSULTATION

    question = models.TextField(_("question"))

    history = _history()

    class Meta(Case.Meta):
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.UniqueConstraint(fields=["site", "number"], name="unique_consultation_number"),
            models.UniqueConstraint(
                fields=["site", "year", "sequence"], name="unique_consultation_sequence"
            ),
        ]


class FileRole(models.TextChoices):
    APPLICANT = "applicant", _("From the applicant")
    REPLY = "reply", _("Reply document")


class RequestFile(models.Model):
    """A file of a request: the applicant's attachment or the reply document. Never public."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.CASCADE, related_name="files")
    role = models.CharField(_("role"), max_length=20, choices=FileRole.choices)
    file = models.FileField(upload_to="requests/%Y/", storage=private_storage)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request file")
        verbose_name_plural = _("request files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def audit_scope(self) -> AuditScope:
        return self.request.audit_scope()


class RequestCentrePage(RoutablePageMixin, ModeratedPageMixin, Page):
    """依申请公开与咨询: the guide, the request and consultation forms, and case tracking.

    Its routes call the public views of :mod:`disclosure.views.requests`, imported when a
    route is served, so that the models module imports no form or service.
    """

    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])
    guide = RichTextField(
        _("how to apply"),
        blank=True,
        features=["h3", "bold", "italic", "ol", "ul", "link"],
        help_text=_("The application guide (申请指南): who may apply, how, and the time limits."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("guide")]

    parent_page_types = ["disclosure.DisclosureIndexPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "disclosure/request_centre_page.html"

    class Meta:
        verbose_name = _("requests and consultations page")
        verbose_name_plural = _("requests and consultations pages")

    @path("")
    def landing(self, request):
        return self.render(request)

    @path("request/")
    def request_form(self, request):
        # Deferred to the call: Wagtail's idiom, a page's routes call its views (DESIGN.md §3,
        # the written exception); the views import the models.
        from ..views.requests import request_form

        return request_form(request, self)

    @path("consultation/")
    def consultation_form(self, request):
        # Deferred to the call: Wagtail's idiom, a page's routes call its views (DESIGN.md §3,
        # the written exception); the views import the models.
        from ..views.requests import consultation_form

        return consultation_form(request, self)

    @path("received/")
    def received(self, request):
        # Deferred to the call: Wagtail's idiom, a page's routes call its views (DESIGN.md §3,
        # the written exception); the views import the models.
        from ..views.requests import received

        return received(request, self)

    @path("track/")
    def track(self, request):
        # Deferred to the call: Wagtail's idiom, a page's routes call its views (DESIGN.md §3,
        # the written exception); the views import the models.
        from ..views.requests import track

        return track(request, self)

    @path("track/recover/")
    def recover(self, request):
        # Deferred to the call: Wagtail's idiom, a page's routes call its views (DESIGN.md §3,
        # the written exception); the views import the models.
        from ..views.requests import recover

        return recover(request, self)

    @path("track/file/<str:token>/")
    def tracked_file(self, request, token):
        # Deferred to the call: Wagtail's idiom, a page's routes call its views (DESIGN.md §3,
        # the written exception); the views import the models.
        from ..views.requests import tracked_file

        return tracked_file(request, self, token)
