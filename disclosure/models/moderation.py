"""Moderation: 谁公开、谁审核, 先审核、后公开.

Three Wagtail task types resolve their approvers at run time:

* :class:`DepartmentHeadTask` (科室审核): the heads (and acting heads) of the department that owns
  the page's catalog item;
* :class:`OfficeReviewTask` (信息公开办公室审核): the institution's disclosure office, who must tick
  the confidentiality checklist (保密审查) to approve;
* :class:`CatalogReviewTask` (目录变更审核): a second member of the disclosure office, for the
  catalog pages themselves.

Nobody acts on a revision they authored, last edited or submitted (four eyes), and
:class:`ModeratedPageMixin` refuses to publish a disclosure page revision unless those approvals
exist for that very revision, or it is a logged emergency publication.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel
from wagtail.forms import TaskStateCommentForm
from wagtail.models import Page, PagePermissionTester, Revision, Task, TaskState, WorkflowState

from ..rules.people import full_name
from ..rules.privacy import document_values, linked_document_ids, scan_values
from .audit import AuditScope, page_audit_scope
from .institutions import Department, InstitutionSettings
from .placement import Placement, move_refusal, same_readers_since

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


class ActingHead(models.Model):
    """A user delegated to approve as a department's head for a date range (代理负责人)."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="acting_heads",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    history = HistoricalRecords()
    panels = [
        FieldPanel("department"),
        FieldPanel("user"),
        FieldPanel("starts_on"),
        FieldPanel("ends_on"),
        FieldPanel("reason"),
    ]

    class Meta:
        verbose_name = _("acting head")
        verbose_name_plural = _("acting heads")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return f"{self.user} → {self.department} ({self.starts_on}–{self.ends_on})"

    def audit_scope(self) -> AuditScope:
        return AuditScope(site_id=self.department.site_id, department_id=self.department_id)

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The end date is before the start date.")})


def catalog_item_for(page: Page):
    """The catalog item a page belongs to: itself, or its nearest item ancestor."""
    from .catalog import CatalogItemPage

    paths = [page.path[:end] for end in range(Page.steplen, len(page.path) + 1, Page.steplen)]
    return (
        CatalogItemPage.objects.filter(path__in=paths)
        .select_related("department__heads_group", "department__site")
        .order_by("-depth")
        .first()
    )


def department_head_ids(department: Department, *, on=None) -> set[int]:
    on = on or timezone.localdate()
    heads = set()
    if department.heads_group_id:
        heads |= set(
            department.heads_group.user_set.filter(is_active=True).values_list("pk", flat=True)
        )
    heads |= set(
        department.acting_heads.filter(
            starts_on__lte=on, ends_on__gte=on, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    return heads


def _office_sites(user) -> set[int]:
    """The sites whose disclosure office ``user`` belongs to (kept on the user object: one
    query per request's user)."""
    if not hasattr(user, "_disclosure_office_sites"):
        user._disclosure_office_sites = set(
            InstitutionSettings.objects.filter(office_group__user=user).values_list(
                "site_id", flat=True
            )
        )
    return user._disclosure_office_sites


def office_member_ids(site) -> set[int]:
    group = InstitutionSettings.for_site(site).office_group if site else None
    if group is None:
        return set()
    return set(group.user_set.filter(is_active=True).values_list("pk", flat=True))


# Wagtail's own Page fields that hold no content an editor wrote. Not the slug: it stands in
# the page's address, which the public reads.
_TECHNICAL_FIELDS = {"path", "url_path", "draft_title", "translation_key"}


def privacy_values(page) -> list[tuple[str, object]]:
    """Every piece of text the public reads of ``page``: its fields and slug, its attachments
    and positions, and the title and file name of every document it attaches or links to."""
    from wagtail.documents import get_document_model
    from wagtail.fields import StreamField

    values = []
    text_types = (models.CharField, models.TextField, models.JSONField)
    for field in page._meta.concrete_fields:
        if field.name in _TECHNICAL_FIELDS or not isinstance(field, text_types):
            continue
        if field.name in ("channels", "publication_kinds"):
            continue
        values.append((str(field.verbose_name), field.value_from_object(page)))
    # A StreamField's internal type is "JSONField": it is found by its class.
    stream_fields = [f for f in page._meta.concrete_fields if isinstance(f, StreamField)]
    for field in stream_fields:
        values.append((str(field.verbose_name), getattr(page, field.name)))
    for relation in ("attachments", "positions"):
        for child in getattr(page, relation).all() if hasattr(page, relation) else []:
            label = str(child._meta.verbose_name)
            for field in child._meta.concrete_fields:
                if isinstance(field, (models.CharField, models.TextField)):
                    values.append((label, field.value_from_object(child)))
            if getattr(child, "document", None) is not None:
                values += document_values(label, child.document)
    linked = {
        document_id: gettext("document linked in %(field)s") % {"field": field.verbose_name}
        for field in page._meta.concrete_fields
        for document_id in linked_document_ids(field, field.value_from_object(page))
    }
    for document in get_document_model().objects.filter(pk__in=linked).order_by("pk"):
        values += document_values(linked[document.pk], document)
    return values


def privacy_problems(page) -> list[str]:
    """Where personal identifiers stand on ``page``, in words; empty when there are none."""
    return [
        gettext("%(field)s: %(kind)s “%(context)s”")
        % {"field": label, "kind": hit.label, "context": hit.context}
        for label, hit in scan_values(privacy_values(page))
    ]


# The office's action on a revision the department has not approved: back to the department.
RETURN_TO_DEPARTMENT = "return_to_department"


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


def _last_reviewed_publication(page, *, before=None):
    """When ``page`` last went live through its review (not an emergency publication, which
    nobody reviewed), before the moment ``before`` if given; ``None`` if it never did."""
    from wagtail.models import PageLogEntry

    entries = PageLogEntry.objects.filter(
        page_id=page.pk, action__in=("wagtail.publish", "wagtail.publish.scheduled")
    ).exclude(revision__in=EmergencyPublication.objects.values("revision"))
    if before is not None:
        entries = entries.filter(timestamp__lt=before)
    return entries.order_by("-timestamp").values_list("timestamp", flat=True).first()


def _authors_of(page, revisions) -> set[int]:
    """The authors of ``revisions`` of ``page``, and of every revision one of them was
    reverted from (a revert is saved in the name of whoever reverted, holding what someone
    else wrote)."""
    from wagtail.models import PageLogEntry

    revision_ids = set(revisions.values_list("pk", flat=True))
    authors: set[int] = set()
    seen: set[int] = set()
    while revision_ids:
        seen |= revision_ids
        authors |= set(
            Revision.objects.filter(pk__in=revision_ids)
            .exclude(user=None)
            .values_list("user_id", flat=True)
        )
        reverts = PageLogEntry.objects.filter(
            page_id=page.pk, action="wagtail.revert", revision_id__in=revision_ids
        ).values_list("data", flat=True)
        sources = {
            data["revision"]["id"]
            for data in reverts
            if isinstance(data, dict) and isinstance(data.get("revision"), dict)
        }
        revision_ids = {pk for pk in sources if isinstance(pk, int)} - seen
    return authors


def authors_since_last_publication(page) -> set[int]:
    """Everyone who wrote what is up for review: the authors of the revisions of ``page``
    since it last went live through its review (all of its revisions' when it never did), and
    of the revisions those were reverted from. An emergency publication, which nobody
    reviewed, does not close the window."""
    revisions = Revision.page_revisions.filter(object_id=str(page.pk))
    since = _last_reviewed_publication(page) if page.pk else None
    if since is not None:
        revisions = revisions.filter(created_at__gt=since)
    return _authors_of(page, revisions)


def authors_up_to(page, revision: Revision) -> set[int]:
    """Everyone who wrote what ``revision`` of ``page`` holds: as
    :func:`authors_since_last_publication`, for the revisions up to that one."""
    revisions = Revision.page_revisions.filter(object_id=str(page.pk), pk__lte=revision.pk)
    since = _last_reviewed_publication(page, before=revision.created_at)
    if since is not None:
        revisions = revisions.filter(created_at__gt=since)
    return _authors_of(page, revisions)


def submitters(page, task_state: TaskState | None = None) -> set[int]:
    """Who sent ``page`` into its current review."""
    workflow_state = (
        task_state.workflow_state
        if task_state is not None
        else getattr(page, "current_workflow_state", None)
    )
    if workflow_state is None or not workflow_state.requested_by_id:
        return set()
    return {workflow_state.requested_by_id}


class DisclosureTask(Task):
    """Shared behaviour: run-time approvers, four eyes, and no other way to act."""

    approve_is_modal = False
    is_final = False  # its approval is the last one, which publishes

    class Meta:
        abstract = True

    # Approvers ---------------------------------------------------------------------------

    def approver_ids(self, obj) -> set[int]:
        raise NotImplementedError

    def moderated_pages_q(self, user) -> Q | None:
        """Pages whose tasks ``user`` moderates, as a filter on ``Page``; ``None`` for none."""
        raise NotImplementedError

    def is_approver(self, obj, user) -> bool:
        if not user.is_authenticated:
            return False
        cache = self.__dict__.setdefault("_approver_cache", {})
        key = (obj.pk, user.pk)
        if key not in cache:
            cache[key] = user.pk in self.approver_ids(obj)
        return cache[key]

    @staticmethod
    def conflicting_user_ids(obj, task_state: TaskState | None = None) -> set[int]:
        """Who may not act (four eyes): everyone who wrote any revision since the page last
        went live (or since it was created), and whoever submitted it for review."""
        return authors_since_last_publication(obj) | submitters(obj, task_state)

    def refusal(self, obj, user, task_state: TaskState | None = None) -> str | None:
        """Why ``user`` may not act on ``obj`` now, or ``None`` if they may."""
        if not self.is_approver(obj, user):
            return gettext("You are not an approver of this step.")
        if user.pk in self.conflicting_user_ids(obj, task_state):
            return gettext(
                "You cannot approve or reject content you wrote or submitted since the page "
                "last went live."
            )
        if user.pk in self.earlier_approver_ids(obj, task_state):
            return gettext(
                "You approved an earlier step of this review: another person acts on this one."
            )
        return None

    def earlier_approver_ids(self, obj, task_state: TaskState | None = None) -> set[int]:
        """Who approved another step of the review ``obj`` is in (someone both a department
        head and a member of the office approves one step only)."""
        workflow_state = task_state.workflow_state if task_state else None
        if workflow_state is None:
            workflow_state = getattr(obj, "current_workflow_state", None)
        if workflow_state is None:
            return set()
        return set(
            TaskState.objects.filter(
                workflow_state=workflow_state, status=TaskState.STATUS_APPROVED
            )
            .exclude(task_id=self.pk)
            .exclude(finished_by=None)
            .values_list("finished_by_id", flat=True)
        )

    # Wagtail's task API -------------------------------------------------------------------

    def user_can_access_editor(self, obj, user):
        return self.is_approver(obj, user)

    def locked_for_user(self, obj, user):
        return not self.is_approver(obj, user)

    def user_can_lock(self, obj, user):
        return False

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if self.refusal(obj, user) is not None:
            return []
        actions = [("reject", pgettext_lazy("disclosure", "Request changes"), True)]
        if self.approve_is_modal:
            return [*actions, ("approve", pgettext_lazy("disclosure", "Approve"), True)]
        return [
            *actions,
            ("approve", pgettext_lazy("disclosure", "Approve"), False),
            ("approve", pgettext_lazy("disclosure", "Approve with comment"), True),
        ]

    def approval_refusal(self, task_state: TaskState) -> str | None:
        """Why the revision in front of this step may not be approved yet, or ``None``: the page
        could not go live where it stands (a subclass adds its rule about earlier steps)."""
        page = task_state.workflow_state.content_object
        ancestor = unpublished_ancestor(page)
        if ancestor is not None:
            return gettext(
                "“%(title)s” cannot go live while “%(ancestor)s” above it is not published."
            ) % {"title": page.title, "ancestor": ancestor.title}
        return None

    def get_form_for_action(self, action):
        return TaskStateCommentForm if action in ("approve", "reject") else None

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        obj = task_state.workflow_state.content_object
        reason = self.refusal(obj, user, task_state)
        if reason is not None:
            raise PermissionDenied(reason)
        comment = kwargs.get("comment", "")
        if action_name == "approve":
            not_yet = self.approval_refusal(task_state)
            if not_yet is not None:
                raise PermissionDenied(not_yet)
            # Scan what would go live: the latest revision, which may be newer than the step's.
            latest = obj.get_latest_revision_as_object()
            problems = privacy_problems(latest)
            if problems:
                raise PermissionDenied(
                    gettext("Personal information found: %(problems)s")
                    % {"problems": "；".join(problems)}
                )
            if problems := latest.content_problems():
                raise PermissionDenied(_content_refusal(obj, problems))
            self.before_approve(task_state, user, **kwargs)
            if self.is_final:
                # Where it was approved: it goes live only where the same people read it.
                Placement.record(
                    page=obj,
                    cause=Placement.Cause.APPROVED,
                    revision=task_state.revision,
                    user=user,
                )
            task_state.approve(user=user, comment=comment)
        elif action_name == "reject":
            if not comment.strip():
                raise PermissionDenied(gettext("Say what needs to change."))
            task_state.reject(user=user, comment=comment)
        elif action_name == RETURN_TO_DEPARTMENT and not department_approved(
            task_state.workflow_state,
            task_state.workflow_state.content_object.get_latest_revision(),
        ):
            # Wagtail then starts the first step this revision still lacks: the department's.
            task_state.cancel(user=user, comment=self.approval_refusal(task_state))
        else:
            raise PermissionDenied

    def before_approve(self, task_state, user, **kwargs) -> None:
        """Checks a subclass adds to approval."""

    def get_task_states_user_can_moderate(self, user, **kwargs):
        pages = self.moderated_pages_q(user) if user.is_authenticated else None
        if pages is None:
            return TaskState.objects.none()
        page_ids = (
            Page.objects.filter(pages).annotate(pk_text=Cast("pk", CharField())).values("pk_text")
        )
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS, workflow_state__object_id__in=page_ids
        ).exclude(workflow_state__requested_by=user)


class DepartmentHeadTask(DisclosureTask):
    """科室审核: the heads of the department that owns the page's catalog item approve."""

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("department head review")
        verbose_name_plural = _("department head reviews")

    @classmethod
    def get_description(cls):
        return _("The heads (and acting heads) of the item's department approve.")

    def approver_ids(self, obj) -> set[int]:
        item = catalog_item_for(obj)
        if item is None or item.department is None:
            return set()
        return department_head_ids(item.department)

    def moderated_pages_q(self, user) -> Q | None:
        from .catalog import CatalogItemPage

        today = timezone.localdate()
        departments = Department.objects.filter(
            Q(heads_group__user=user)
            | Q(
                acting_heads__user=user,
                acting_heads__starts_on__lte=today,
                acting_heads__ends_on__gte=today,
            )
        )
        paths = CatalogItemPage.objects.filter(department__in=departments).values_list(
            "path", flat=True
        )
        query = Q()
        for path in paths:
            query |= Q(path__startswith=path, depth__gt=len(path) // Page.steplen)
        return query or None


class _OfficeTask(DisclosureTask):
    is_final = True

    class Meta:
        abstract = True

    def approver_ids(self, obj) -> set[int]:
        return office_member_ids(obj.get_site())

    def get_template_for_action(self, action):
        # The office decides with the department's approval and comment in front of it.
        if action in ("approve", "reject"):
            return "disclosure/admin/office_action_modal.html"
        return super().get_template_for_action(action)

    def moderated_pages_q(self, user) -> Q | None:
        roots = [
            institution.site.root_page.path
            for institution in InstitutionSettings.objects.filter(
                office_group__user=user
            ).select_related("site__root_page")
        ]
        query = Q()
        for path in roots:
            query |= Q(path__startswith=path)
        return query or None


def department_approved(workflow_state: WorkflowState, revision: Revision | None) -> bool:
    """Has the department's step of ``workflow_state`` approved this very revision?"""
    return (
        revision is not None
        and workflow_state.task_states.filter(
            revision=revision,
            status=TaskState.STATUS_APPROVED,
            task__in=DepartmentHeadTask.objects.values("pk"),
        ).exists()
    )


class OfficeReviewTask(_OfficeTask):
    """信息公开办公室审核: office approval with the confidentiality checklist; it publishes.

    The office reviews what the department approved, and its approval is the last one: a
    revision the department has not approved (a resubmission, which Wagtail resumes at the step
    that asked for changes, or an edit while the office reviews) goes back to the department
    first.
    """

    approve_is_modal = True
    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("disclosure office review")
        verbose_name_plural = _("disclosure office reviews")

    @classmethod
    def get_description(cls):
        return _("The disclosure office approves after the confidentiality checklist.")

    def approval_refusal(self, task_state: TaskState) -> str | None:
        revision = task_state.workflow_state.content_object.get_latest_revision()
        if department_approved(task_state.workflow_state, revision):
            return super().approval_refusal(task_state)
        return gettext(
            "The department has not approved this revision yet: it goes to the department "
            "first, and comes back to the disclosure office once approved there."
        )

    def start(self, workflow_state, user=None):
        revision = workflow_state.content_object.get_latest_revision()
        if department_approved(workflow_state, revision):
            return super().start(workflow_state, user=user)
        # This step does not start. The cancelled state says why, and Wagtail, finding the
        # current step not in progress, starts the first step this revision has not passed.
        task_state = self.get_task_state_class()(
            workflow_state=workflow_state,
            revision=revision,
            task=self,
            status=TaskState.STATUS_CANCELLED,
            finished_at=timezone.now(),
            comment=gettext(
                "The department has not approved this revision yet: it goes to the department "
                "first, and comes back to the disclosure office once approved there."
            ),
        )
        task_state.save()
        return task_state

    def get_actions(self, obj, user):
        state = obj.current_workflow_task_state
        if (
            state is not None
            and self.refusal(obj, user) is None
            and self.approval_refusal(state) is not None
        ):
            return [
                ("reject", pgettext_lazy("disclosure", "Request changes"), True),
                (
                    RETURN_TO_DEPARTMENT,
                    _("Return to the department (it has not approved this revision)"),
                    False,
                ),
            ]
        return super().get_actions(obj, user)

    def get_form_for_action(self, action):
        return (
            ConfidentialityChecklistForm
            if action == "approve"
            else super().get_form_for_action(action)
        )

    def before_approve(self, task_state, user, **kwargs) -> None:
        missing = [str(label) for name, label in CHECKLIST if kwargs.get(name) is not True]
        if missing:
            raise PermissionDenied(
                gettext("Tick every item of the confidentiality checklist: %(missing)s")
                % {"missing": "；".join(missing)}
            )
        review = ConfidentialityReview(
            task_state=task_state,
            reviewer=user,
            comment=kwargs.get("comment", ""),
            **{name: True for name, _label in CHECKLIST},
        )
        review._history_user = user
        review.save()


class CatalogReviewTask(_OfficeTask):
    """目录变更审核: another member of the disclosure office approves a catalog change."""

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("catalog change review")
        verbose_name_plural = _("catalog change reviews")

    @classmethod
    def get_description(cls):
        return _("A second member of the disclosure office approves changes to the catalog.")

    def approval_refusal(self, task_state: TaskState) -> str | None:
        # The catalog is the office's: a change is made by one of its members (or a
        # superuser) and approved by another, never made by a department and approved alone.
        page = task_state.workflow_state.content_object
        office = office_member_ids(page.get_site())
        makers = authors_since_last_publication(page) | submitters(page, task_state)
        outsiders = get_user_model().objects.filter(pk__in=makers - office, is_superuser=False)
        if outsiders.exists():
            return gettext(
                "Catalog changes are made by the disclosure office: this one was written or "
                "submitted by someone outside it."
            )
        return super().approval_refusal(task_state)


def _local_minute(moment) -> str:
    """``moment`` in the site's time zone, to the minute, as records name it."""
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else ""


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
        return f"{full_name(self.reviewer)} {_local_minute(self.reviewed_at)}"

    def audit_scope(self) -> AuditScope:
        return page_audit_scope(self.task_state.revision.content_object)


class EmergencyPublication(models.Model):
    """Published at once by the office (突发事件、舆情); the department head confirms afterwards."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    reason = models.TextField(_("reason"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmation_comment = models.TextField(_("confirmation comment"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("emergency publication")
        verbose_name_plural = _("emergency publications")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.page} ({_local_minute(self.published_at)})"

    def audit_scope(self) -> AuditScope:
        return page_audit_scope(self.page)

    @property
    def awaiting_confirmation(self) -> bool:
        return self.confirmed_at is None


# The pages' side ---------------------------------------------------------------------------


class ModeratedPagePermissionTester(PagePermissionTester):
    """Nobody publishes a disclosure page directly: the final approval does it. Nor moves one
    where other people would read it (Wagtail lets whoever holds the publish permission at the
    destination move live pages there). And the catalog pages (index, categories, items) are
    the disclosure office's: a department, whose page permissions on its items let it add
    publications under them, may not edit, move, copy, unpublish or delete the items
    themselves (an editor changing an item's audience to 社会公众 would make its staff-only
    publications public on one office member's approval)."""

    def __init__(self, user, page):
        super().__init__(user, page)
        from .publications import PublicationPage

        if user.is_active and not user.is_superuser and not isinstance(page, PublicationPage):
            # The site's id from Wagtail's cached site root paths: no query per page listed.
            url_parts = page.get_url_parts()
            site_id = url_parts[0] if url_parts else None
            if site_id is not None and site_id not in _office_sites(user):
                self.permissions = self.permissions & {"add"}

    def can_publish(self):
        return False

    def can_publish_subpage(self):
        return False

    def can_move_to(self, destination):
        return super().can_move_to(destination) and move_refusal(self.page, destination) is None


def approvals_required(page) -> tuple[type[DisclosureTask], ...]:
    from .publications import PublicationPage

    if isinstance(page, PublicationPage):
        return (DepartmentHeadTask, OfficeReviewTask)
    return (CatalogReviewTask,)


def unpublished_ancestor(page) -> Page | None:
    """The nearest ancestor of ``page`` below the tree's root that is not live, if any: no
    disclosure page is live, served or listed while one is."""
    return page.get_ancestors().filter(depth__gt=1, live=False).order_by("-depth").first()


def under_public_item(page) -> bool:
    """Is ``page`` a publication under a live item the public can read?"""
    from .catalog import Audience
    from .publications import PublicationPage

    if not isinstance(page, PublicationPage):
        return False
    item = catalog_item_for(page)
    return not (
        item is None
        or not item.live
        or item.audience == Audience.STAFF
        or unpublished_ancestor(item) is not None
        or item.get_view_restrictions().exists()
    )


def emergency_publication_refusal(page) -> str | None:
    """Why ``page`` may not be published in an emergency (突发事件、舆情) now, or ``None``.

    Emergency publication skips the review for a publication the public must see at once,
    under an item the public can already read. Never a catalog page (its changes need a second
    office member), never a change of who may read anything, never a page moved while it was
    not live (what was written or approved where other people read goes through its new
    place's review)."""
    from wagtail.models import PageLogEntry

    from .publications import PublicationPage

    if not isinstance(page, PublicationPage):
        return gettext(
            "Only a publication can be published in an emergency: changes to the catalog go "
            "through the catalog review."
        )
    if not page.publishable_in_emergency:
        return gettext("%(kind)s is not published in an emergency: it goes through its review.") % {
            "kind": capfirst(page._meta.verbose_name)
        }
    if not under_public_item(page):
        return gettext(
            "Only a publication under an item the public can already read can be published in "
            "an emergency."
        )
    if page.pk and not page.live:
        # Moved while it was not live (a live page moves only where the same people read it):
        # what was written or approved for other readers goes through its new place's review.
        last_live = (
            PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.publish")
            .order_by("-timestamp")
            .values_list("timestamp", flat=True)
            .first()
        )
        moves = PageLogEntry.objects.filter(page_id=page.pk, action="wagtail.move")
        if last_live is not None:
            moves = moves.filter(timestamp__gt=last_live)
        if moves.exists():
            return gettext(
                "A page that was moved while it was not live goes through the review, not an "
                "emergency."
            )
    return None


def clearance_moment(page, revision: Revision):
    """When ``revision`` of ``page`` was cleared to go live, or ``None`` if it never was: the
    last of its approvals, when it has every approval it needs in order (for a publication:
    its department, then the disclosure office, whose approval is the last), each by someone
    other than its author and the approvers all different people; or the moment of its logged
    emergency publication, for a publication whose item is public."""
    emergency = EmergencyPublication.objects.filter(revision=revision).first()
    if emergency is not None:
        return emergency.published_at if under_public_item(page) else None
    approvals = list(
        TaskState.objects.filter(revision=revision, status=TaskState.STATUS_APPROVED)
        .exclude(finished_by=None)
        .order_by("finished_at", "pk")
        .values_list("task_id", "finished_by_id", "finished_at")
    )
    kinds = {
        task.pk: type(task)
        for task in Task.objects.filter(pk__in=[a[0] for a in approvals]).specific()
    }
    required = approvals_required(page)
    # The last approvals, in the required order (earlier rounds may precede them).
    last = [(kinds[task_id], user_id, at) for task_id, user_id, at in approvals[-len(required) :]]
    if len(last) != len(required):
        return None
    in_order = all(
        issubclass(kind, wanted) for (kind, _user, _at), wanted in zip(last, required, strict=True)
    )
    approvers = {user_id for _kind, user_id, _at in last}
    if in_order and len(approvers) == len(required) and revision.user_id not in approvers:
        return last[-1][2]
    return None


def revision_is_cleared(page, revision: Revision) -> bool:
    """Was this exact revision cleared to go live (see :func:`clearance_moment`)?"""
    return clearance_moment(page, revision) is not None


def went_live_since(page, revision: Revision, moment) -> int:
    """How many times ``revision`` went live since ``moment``."""
    from wagtail.models import PageLogEntry

    return PageLogEntry.objects.filter(
        page_id=page.pk,
        revision=revision,
        action__in=("wagtail.publish", "wagtail.publish.scheduled"),
        timestamp__gte=moment,
    ).count()


def publication_refusal(page, revision: Revision) -> None:
    """Raise ``PermissionDenied`` unless ``revision`` of ``page`` may go live now.

    An approval (or an emergency publication) takes a revision live once, where it was given:
    a page unpublished afterwards, or moved where other people read, goes through the review
    again. And nothing goes live below a page that is not live."""
    moment = clearance_moment(page, revision)
    if moment is None:
        raise PermissionDenied(
            gettext(
                "“%(title)s” can only go live through its approvals "
                "(department head, then disclosure office) or an emergency publication."
            )
            % {"title": page.title}
        )
    if page.pk and went_live_since(page, revision, moment):
        raise PermissionDenied(
            gettext(
                "“%(title)s” went live once with these approvals: after it was unpublished, it "
                "goes through the review again."
            )
            % {"title": page.title}
        )
    if page.pk and not same_readers_since(page, revision):
        raise PermissionDenied(
            gettext(
                "“%(title)s” was approved where other people read it: it goes through the "
                "review its new place requires."
            )
            % {"title": page.title}
        )
    if page.pk and (ancestor := unpublished_ancestor(page)) is not None:
        raise PermissionDenied(
            gettext("“%(title)s” cannot go live while “%(ancestor)s” above it is not published.")
            % {"title": page.title, "ancestor": ancestor.title}
        )
    going_live = revision.as_object()
    if problems := privacy_problems(going_live):
        raise PermissionDenied(
            gettext("Personal information found: %(problems)s") % {"problems": "；".join(problems)}
        )
    if problems := going_live.content_problems():
        raise PermissionDenied(_content_refusal(page, problems))


def _content_refusal(page, problems) -> str:
    return gettext("“%(title)s” does not pass its checks: %(problems)s") % {
        "title": page.title,
        "problems": "；".join(str(problem) for problem in problems),
    }


class ModeratedPageMixin:
    """For every disclosure page type: its workflow, and no publishing around it."""

    # A copy has never gone live: it must not carry the original's publication times, which
    # Wagtail would otherwise keep through the copied revision when the copy is published
    # (deadlines count from when a publication went live).
    exclude_fields_in_copy = ["first_published_at", "last_published_at"]

    def get_workflow(self):
        return type(self).workflow_at(self.get_site() if self.pk else None)

    @classmethod
    def workflow_at(cls, site):
        """The review a page of this type goes through in ``site``'s institution: the
        publication review for publications, the catalog review for the rest."""
        institution = InstitutionSettings.for_site(site) if site else None
        if institution is None:
            return None
        from .publications import PublicationPage

        workflow = (
            institution.publication_workflow
            if issubclass(cls, PublicationPage)
            else institution.catalog_workflow
        )
        return workflow if workflow is not None and workflow.active else None

    @cached_property
    def has_workflow(self):
        return self.get_workflow() is not None

    def content_problems(self) -> list:
        """What in this page's own content stops it from going for review or live (a page type
        with figures to check overrides this); each problem reads as a sentence."""
        return []

    def permissions_for_user(self, user):
        return ModeratedPagePermissionTester(user, self)

    def save(self, *args, **kwargs):
        # A disclosure page is born as a draft; only publish() (and its checks) makes it live.
        if self._state.adding and self.live:
            raise PermissionDenied(
                gettext("A new disclosure page starts as a draft and goes live through review.")
            )
        return super().save(*args, **kwargs)

    def publish(self, revision, *args, **kwargs):
        publication_refusal(self, revision)
        # The approvals (or the logged emergency) are the authority to publish this revision;
        # nobody holds a publish permission of their own on disclosure pages.
        kwargs["skip_permission_checks"] = True
        return super().publish(revision, *args, **kwargs)
