"""Moderation: 谁公开、谁审核, 先审核、后公开. The review's Wagtail task types, and the mixin every
disclosure page type carries to go through them (this module and the page types import each
other, as Wagtail's pages and workflows do).

Three task types resolve their approvers at run time (:mod:`.reviewers`):

* :class:`DepartmentHeadTask` (科室审核): the heads (and acting heads) of the department that owns
  the page's catalog item;
* :class:`OfficeReviewTask` (信息公开办公室审核): the institution's disclosure office, who must tick
  the confidentiality checklist (保密审查, :mod:`.checklist`) to approve;
* :class:`CatalogReviewTask` (目录变更审核): a second member of the disclosure office, for the
  catalog pages themselves.

Each page type declares the approvals it needs (``required_approvals``). Nobody acts on a
revision they authored, last edited or submitted (four eyes, :mod:`.authorship`), and
:class:`ModeratedPageMixin` refuses to publish a disclosure page revision unless those approvals
exist for that very revision, or it is a logged emergency publication (:mod:`.publishing`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm
from wagtail.models import Page, Revision, Site, Task, TaskState, WorkflowState

from .authorship import authors_since_last_publication, submitters
from .checklist import CHECKLIST, ConfidentialityChecklistForm, ConfidentialityReview
from .institutions import Department, InstitutionSettings, held_by
from .permissions import ModeratedPagePermissionTester
from .placement import Placement
from .publishing import content_refusal, privacy_refusal, publication_refusal, unpublished_ancestor
from .reviewers import department_head_ids, office_member_ids

# The office's action on a revision the department has not approved: back to the department.
RETURN_TO_DEPARTMENT = "return_to_department"


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
        # A page whose approval is decided on what the dialog shows (a price list's changes)
        # is approved from the dialog only.
        if self.approve_is_modal or getattr(obj, "approve_in_dialog", False):
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
            if refusal := privacy_refusal(latest):
                raise PermissionDenied(refusal)
            if problems := latest.content_problems():
                raise PermissionDenied(content_refusal(obj, problems))
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
        # Deferred: the catalog's pages import this module (pages <-> workflows).
        from .catalog import catalog_item_for

        item = catalog_item_for(obj)
        if item is None or item.department is None:
            return set()
        return department_head_ids(item.department)

    def get_template_for_action(self, action):
        # The head decides with what the page's type shows of the change (a price list's
        # diff against the live list) in front of them.
        if action in ("approve", "reject"):
            return "disclosure/admin/department_action_modal.html"
        return super().get_template_for_action(action)

    def moderated_pages_q(self, user) -> Q | None:
        # Deferred: the catalog's pages import this module (pages <-> workflows).
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
        # Every institution's root and whether the user is in its office, in one query: the
        # office's institutions, without the pages of one nested inside them (held_by).
        offices = InstitutionSettings.objects.filter(site=OuterRef("pk"), office_group__user=user)
        rows = list(
            Site.objects.annotate(office=Exists(offices)).values_list("root_page__path", "office")
        )
        roots = [path for path, office in rows if office]
        return held_by(roots, every=[path for path, _office in rows]) if roots else None


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


class ModeratedPageMixin:
    """For every disclosure page type: its workflow, and no publishing around it."""

    #: Whether the reviewers approve from the dialog only, where the page type shows what
    #: they decide on (a price list's diff against the live list).
    approve_in_dialog = False

    #: The approvals a revision needs to go live, in their order: a page type declares its
    #: own. By default the catalog review (a second member of the disclosure office), for the
    #: office's own pages.
    required_approvals: tuple[type[DisclosureTask], ...] = (CatalogReviewTask,)

    # A copy has never gone live: it must not carry the original's publication times, which
    # Wagtail would otherwise keep through the copied revision when the copy is published
    # (deadlines count from when a publication went live).
    exclude_fields_in_copy = ["first_published_at", "last_published_at"]

    def get_workflow(self):
        return type(self).workflow_at(self.get_site() if self.pk else None)

    @classmethod
    def workflow_at(cls, site):
        """The review a page of this type goes through in ``site``'s institution: the
        publication review for the types its departments review, the catalog review for the
        rest."""
        institution = InstitutionSettings.for_site(site) if site else None
        if institution is None:
            return None
        workflow = (
            institution.publication_workflow
            if cls.reviewed_by_department()
            else institution.catalog_workflow
        )
        return workflow if workflow is not None and workflow.active else None

    @classmethod
    def reviewed_by_department(cls) -> bool:
        """Does a page of this type go to its catalog item's department first (a publication)?
        The pages no department reviews are the disclosure office's own (the catalog's)."""
        return any(issubclass(task, DepartmentHeadTask) for task in cls.required_approvals)

    def under_public_item(self) -> bool:
        """Is this page a publication under a live item the public can read? (No page but a
        publication is.)"""
        return False

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
