"""Admin forms of the disclosure page types."""

from collections import defaultdict

from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm
from wagtail.documents import get_document_model

from .rules.privacy import personal_information_refusal, public_texts, scan_values

# Form buttons that send a page on its way to the public: the privacy check runs for these.
OUTGOING_ACTIONS = (
    "action-submit",
    "action-publish",
    "action-workflow-action",
    "action-restart-workflow",
)


def _refuse_personal_information(form, model, values) -> None:
    """Put the refusal on each field of ``form`` whose text, or a document it attaches or
    links to, holds a personal identifier."""
    hits = defaultdict(list)
    texts = public_texts(model, values, documents=get_document_model().objects.in_bulk)
    for text, hit in scan_values((text, text.value) for text in texts):
        hits[text.field].append((text.place, hit))
    for name, found in hits.items():
        form.add_error(name, personal_information_refusal(found))


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
        values = {name: value for name, value in cleaned_data.items() if name in self.fields}
        _refuse_personal_information(self, self._meta.model, values)
        for relation, formset in self.formsets.items():
            if relation == "comments":  # reviewers' comments are never published
                continue
            # The formsets are validated after this form; their values are needed now.
            formset.is_valid()
            for form in formset.forms:
                data = getattr(form, "cleaned_data", None) or {}
                if not data.get("DELETE"):
                    _refuse_personal_information(form, form._meta.model, data)
        return cleaned_data


class LoginForm(WagtailLoginForm):
    """Wagtail's login form leaves the password field without a label, so Django names it after
    the field, in English ("Password"); here it is labelled as Django's own form labels it,
    translated. ``WAGTAILADMIN_USER_LOGIN_FORM = "disclosure.forms.LoginForm"``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = gettext_lazy("Password")


def check_site_form() -> None:
    """Give Wagtail's site form (the admin's Sites and the v3 API's ``/sites/``) the refusal of
    a root page that overlaps another institution's, beside the field, before anything is
    saved; the ``pre_save`` guard (signal_handlers) refuses every other path."""
    # Deferred: wagtail.sites is optional (DisclosureConfig.ready calls this only when it is
    # installed), and the models import this module for their base_form_class (a cycle).
    from wagtail.sites.forms import SiteForm

    from .models.institutions import overlap_refusal  # deferred: the cycle above

    if getattr(SiteForm, "refuses_overlap", False):
        return
    wagtail_clean = SiteForm.clean

    def clean(self):
        cleaned = wagtail_clean(self)
        if "root_page" not in self.errors and cleaned.get("root_page") is not None:
            site = self.instance
            site.root_page = cleaned["root_page"]
            refusal = overlap_refusal(site)
            if refusal is not None:
                self.add_error("root_page", refusal)
        return cleaned

    SiteForm.clean = clean
    SiteForm.refuses_overlap = True
