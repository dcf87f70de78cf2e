"""The admin form of Wagtail's documents (the attachments of publications).

Apart from ``forms.py``: Wagtail's document forms query the database when imported, so they
must not be imported with the models.
"""

import os

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_lazy
from wagtail.documents.forms import BaseDocumentForm

from .rules.privacy import find_identifiers
from .rules.uploads import check_upload


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, accepting only the allowed types, checked by their content
    (``rules.uploads``): a renamed program or web page is refused. Nor does it take a title or
    a file name holding a personal identifier: both are public once the document is attached
    (the title on the page, the file name in the download address). Set
    ``WAGTAILDOCS_DOCUMENT_FORM_BASE = "disclosure.document_forms.DocumentForm"``: every form
    that adds or edits a document is built on it (the admin's, the multiple upload's, the
    chooser's upload and the v3 API's)."""

    def clean_title(self):
        title = self.cleaned_data.get("title")
        if title:
            _refuse_identifiers(
                title,
                gettext_lazy(
                    "The title contains a personal identifier (%(kind)s “%(context)s”): "
                    "remove it or mask it (e.g. 138****1234)."
                ),
            )
        return title

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file and "file" in self.changed_data:
            head = file.read(8192)
            file.seek(0)
            if not check_upload(file.name, head).ok:
                raise ValidationError(
                    gettext(
                        "Only PDF, Word, Excel, JPG and PNG files are accepted, and the file's "
                        "content must match its type."
                    ),
                    code="file_type",
                )
            # The file keeps its name: it stands in the address the public downloads it from.
            _refuse_identifiers(
                os.path.basename(file.name),
                gettext_lazy(
                    "The file name contains a personal identifier (%(kind)s “%(context)s”): "
                    "rename the file and upload it again."
                ),
            )
        return file


def _refuse_identifiers(text: str, message) -> None:
    """Raise ``message`` about the first personal identifier in ``text``, if there is one."""
    if hits := find_identifiers(text):
        raise ValidationError(
            str(message) % {"kind": hits[0].label, "context": hits[0].context},
            code="personal_identifier",
        )
