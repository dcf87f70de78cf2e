"""Admin forms of the disclosure page types."""

from django.utils.translation import gettext
from wagtail.admin.forms import WagtailAdminPageForm

from .rules.privacy import scan_values

# Form buttons that send a page on its way to the public: the privacy check runs for these.
_OUTGOING_ACTIONS = ("action-submit", "action-publish", "action-workflow-action")


def _message(hits) -> str:
    return gettext("Personal information must not be disclosed: %(hits)s") % {
        "hits": "；".join(f"{hit.label}“{hit.context}”" for _label, hit in hits)
    }


class ModeratedPageForm(WagtailAdminPageForm):
    """Refuses to submit a page that contains personal identifiers, and says where they are."""

    def clean(self):
        cleaned_data = super().clean()
        if not any(self.data.get(action) for action in _OUTGOING_ACTIONS):
            return cleaned_data
        for name, value in list(cleaned_data.items()):
            hits = scan_values([(name, value)])
            if hits and name in self.fields:
                self.add_error(name, _message(hits))
        for formset in self.formsets.values():
            for form in formset.forms:
                data = getattr(form, "cleaned_data", None) or {}
                if data.get("DELETE"):
                    continue
                values = [(key, value) for key, value in data.items() if isinstance(value, str)]
                document = data.get("document")
                if document is not None:
                    values.append(("document", document.title))
                hits = scan_values(values)
                if hits:
                    self.add_error(None, _message(hits))
        return cleaned_data
