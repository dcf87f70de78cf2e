"""The notices a request gives rise to (补正告知书, 延期答复告知书, 答复书, 第三方意见征询函), the
templates they are written from, and their numbers.

A notice is kept with its case as issued: its number, title and filled-in text never change
after it is stored (a new notice gets a new number). Its number is drawn from a
:class:`~disclosure.models.numbering.NumberCounter` in the transaction that stores it, as
tracking numbers are (see
:mod:`disclosure.services.notices`), so each series has neither gaps nor duplicates.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..rules.notices import NoticeKind, NoticeSeries
from ..rules.requests import DeliveryWay
from .audit import AuditScope
from .requests import DisclosureRequest


class NoticeTemplate(models.Model):
    """An institution's text for one kind of notice, edited by its disclosure office."""

    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("institution"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind of notice"), max_length=30, choices=NoticeKind.choices)
    title = models.CharField(_("document title"), max_length=100)
    body = models.TextField(
        _("text"), help_text=_("Placeholders in braces are filled in when the notice is issued.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notice template")
        verbose_name_plural = _("notice templates")
        ordering = ["site", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["site", "kind"], name="unique_notice_template")
        ]

    def __str__(self) -> str:
        return self.title

    def audit_scope(self) -> AuditScope:
        return AuditScope(site_id=self.site_id)


class Notice(models.Model):
    """One notice as issued to the applicant (or, for a consultation letter, to the third
    party), and whether it has been sent."""

    request = models.ForeignKey(DisclosureRequest, on_delete=models.PROTECT, related_name="notices")
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind of notice"), max_length=30, choices=NoticeKind.choices)
    series = models.CharField(max_length=20, choices=NoticeSeries.choices, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)
    number = models.CharField(_("document number"), max_length=40, editable=False)
    institution_name = models.CharField(_("institution"), max_length=255, editable=False)
    title = models.CharField(_("document title"), max_length=100, editable=False)
    body = models.TextField(_("text"), editable=False)
    issued_on = models.DateField(_("issued on"), default=timezone.localdate, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issuing officer"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
    )
    delivery = models.CharField(_("way of receiving"), max_length=20, choices=DeliveryWay.choices)
    sent_on = models.DateField(_("sent on"), null=True, blank=True)
    sent_to = models.CharField(_("sent to"), max_length=254, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("request notice")
        verbose_name_plural = _("request notices")
        ordering = ["issued_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["site", "series", "year", "sequence"], name="unique_notice_sequence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def audit_scope(self) -> AuditScope:
        return self.request.audit_scope()
