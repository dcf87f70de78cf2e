"""Admin forms of the disclosure page types."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.documents import get_document_model

from .rules.privacy import document_values, linked_document_ids, scan_values

# Form buttons that send a page on its way to the public: the privacy check runs for these.
OUTGOING_ACTIONS = (
    "action-submit",
    "action-publish",
    "action-workflow-action",
    "action-restart-workflow",
)


def _message(hits) -> str:
    """``hits`` are ``(place, hit)``; the place is named when it is not the field itself (a
    document's file name, a linked document's title)."""
    return gettext("Personal information must not be disclosed: %(hits)s") % {
        "hits": "；".join(
            gettext("%(field)s: %(kind)s “%(context)s”")
            % {"field": place, "kind": hit.label, "context": hit.context}
            if place
            else f"{hit.label}“{hit.context}”"
            for place, hit in hits
        )
    }


class ModeratedPageForm(WagtailAdminPageForm):
    """Refuses to submit a page that contains personal identifiers, and says where they are,
    on the field that holds them: the slug, the body (and the documents it links to) and each
    attachment's document, whose title and file name the public reads."""

    @property
    def is_outgoing(self) -> bool:
        """The button pressed sends the page on its way to the public (submit, publish, a
        workflow action, restarting the review)."""
        return any(self.data.get(action) for action in OUTGOING_ACTIONS)

    def clean(self):
        cleaned_data = super().clean()
        if not self.is_outgoing:
            return cleaned_data
        for name, value in list(cleaned_data.items()):
            if name not in self.fields:
                continue
            hits = scan_values([(None, value), *self._linked_documents(name, value)])
            if hits:
                self.add_error(name, _message(hits))
        for relation, formset in self.formsets.items():
            if relation == "comments":  # reviewers' comments are never published
                continue
            # The formsets are validated after this form; their values are needed now.
            formset.is_valid()
            for form in formset.forms:
                self._check_child(form)
        return cleaned_data

    def _linked_documents(self, name: str, value) -> list[tuple[str, str]]:
        """The titles and file names of the documents the rich text of field ``name`` links to."""
        try:
            field = self._meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            return []
        ids = linked_document_ids(field, value)
        if not ids:
            return []
        place = gettext("document linked in %(field)s") % {"field": field.verbose_name}
        documents = get_document_model().objects.filter(pk__in=ids).order_by("pk")
        return [pair for document in documents for pair in document_values(place, document)]

    def _check_child(self, form) -> None:
        """An attachment or position: its own text, and the document it attaches."""
        data = getattr(form, "cleaned_data", None) or {}
        if data.get("DELETE"):
            return
        for name, value in list(data.items()):
            if isinstance(value, str) and (hits := scan_values([(None, value)])):
                form.add_error(name, _message(hits))
        document = data.get("document")
        if document is not None:
            place = str(form._meta.model._meta.verbose_name)
            if hits := scan_values(document_values(place, document)):
                form.add_error("document", _message(hits))


class LoginForm(WagtailLoginForm):
    """Wagtail's login form leaves the password field without a label, so Django names it after
    the field, in English ("Password"); here it is labelled as Django's own form labels it,
    translated. ``WAGTAILADMIN_USER_LOGIN_FORM = "disclosure.forms.LoginForm"``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = gettext_lazy("Password")
