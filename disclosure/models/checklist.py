"""The confidentiality checklist (保密审查): what the disclosure office ticks to approve a
publication, the form it ticks it on, and the record kept with the approval."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from wagtail.forms import TaskStateCommentForm
from wagtail.models import TaskState

from ..rules.people import full_name
from .audit import local_minute

# Every ground of 第七条 of 《医疗卫生机构信息公开管理办法》 (what must not be disclosed), in its
# own wording, then the two checks of the review itself.
CHECKLIST = (
    ("no_state_secret", _("Does not involve state secrets (Article 7 (1))")),
    ("no_commercial_secret", _("Does not involve commercial secrets (Article 7 (2))")),
    (
        "no_personal_information",
        _(
            "Does not involve the protection of natural persons' personal information "
            "(Article 7 (3))"
        ),
    ),
    (
        "no_security_risk",
        _(
            "Its disclosure cannot endanger national security, public security, economic "
            "security, practice security, social stability or normal medical order "
            "(Article 7 (4))"
        ),
    ),
    (
        "no_advertising_breach",
        _(
            "Does not breach the Advertising Law or other laws and regulations, and makes no "
            "exaggerated or false claims (Article 7 (5))"
        ),
    ),
    (
        "no_other_prohibited",
        _(
            "Is not information that laws, regulations or rules say shall not be disclosed "
            "(Article 7 (6))"
        ),
    ),
    ("listed_in_catalog", _("The information is listed in the disclosure catalog")),
    ("accurate", _("The information is accurate")),
)


class ConfidentialityChecklistForm(TaskStateCommentForm):
    """The office's approval form: every ground of 第七条 must be ticked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in CHECKLIST:
            self.fields[name] = forms.BooleanField(
                label=label,
                required=True,
                error_messages={"required": _("Tick this item to approve.")},
            )


class ConfidentialityReview(models.Model):
    """What the office ticked (保密审查), by whom and when, stored with the approval."""

    task_state = models.OneToOneField(
        TaskState, on_delete=models.PROTECT, related_name="confidentiality_review"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), auto_now_add=True)
    no_state_secret = models.BooleanField(CHECKLIST[0][1])
    no_commercial_secret = models.BooleanField(CHECKLIST[1][1])
    no_personal_information = models.BooleanField(CHECKLIST[2][1])
    no_security_risk = models.BooleanField(CHECKLIST[3][1])
    no_advertising_breach = models.BooleanField(CHECKLIST[4][1])
    # Empty on reviews made before the checklist named this ground.
    no_other_prohibited = models.BooleanField(CHECKLIST[5][1], null=True)
    listed_in_catalog = models.BooleanField(CHECKLIST[6][1])
    accurate = models.BooleanField(CHECKLIST[7][1])
    comment = models.TextField(pgettext_lazy("disclosure", "comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("confidentiality review")
        verbose_name_plural = _("confidentiality reviews")

    def __str__(self) -> str:
        # Recorded once in the audit trail, so in the words a reader there uses: the full name
        # and the local time.
        return f"{full_name(self.reviewer)} {local_minute(self.reviewed_at)}"

    def audit_page(self):
        """The page reviewed: the row is filed under its scope in the audit trail."""
        return self.task_state.revision.content_object
