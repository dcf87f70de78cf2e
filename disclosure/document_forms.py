"""The admin form of Wagtail's documents (the attachments of publications).

Apart from ``forms.py``: Wagtail's document forms query the database when imported, so they
must not be imported with the models.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from wagtail.documents.forms import BaseDocumentForm

from .rules.uploads import check_upload


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form, accepting only the allowed types, checked by their content
    (``rules.uploads``): a renamed program or web page is refused. Set
    ``WAGTAILDOCS_DOCUMENT_FORM_BASE = "disclosure.document_forms.DocumentForm"``."""

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
        return file
