"""The public intake and tracking forms; the API validates with the same forms."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Site

from ..models import Consultation, DisclosureRequest
from ..rules.privacy import is_resident_id
from ..rules.requests import ApplicantType, DeliveryWay, IdDocument
from ..rules.tracking_numbers import TRACKING_NUMBER
from ..rules.uploads import ALLOWED_TYPES, MAX_UPLOAD_BYTES, MAX_UPLOAD_FILES, check_upload

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?")
_CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}")
_ORGANISATIONS = set(ApplicantType.values) - {ApplicantType.NATURAL_PERSON}


class HoneypotMixin(forms.Form):
    """A field people never see (hidden by CSS and from assistive technology); bots fill it."""

    website = forms.CharField(required=False, label=_("Leave this field empty"))

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This submission could not be accepted."))
        return ""


# On a phone, a telephone field brings up the number pad and an e-mail field the @ keyboard.
PHONE_INPUT = forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"})
EMAIL_INPUT = forms.EmailInput(attrs={"inputmode": "email", "autocomplete": "email"})


def clean_phone(value: str) -> str:
    value = re.sub(r"[\s()（）]", "", value or "")
    if value and not (_MOBILE.fullmatch(value) or _LANDLINE.fullmatch(value)):
        raise forms.ValidationError(
            _("Enter a mobile number of 11 digits or a landline such as 010-12345678.")
        )
    return value


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to five files of the allowed types, checked by their content."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = ",".join(f".{ext}" for ext in ALLOWED_TYPES)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > MAX_UPLOAD_FILES:
            raise forms.ValidationError(
                _("Attach at most %(count)s files.") % {"count": MAX_UPLOAD_FILES}
            )
        errors = []
        for upload in files:
            if upload.size > MAX_UPLOAD_BYTES:
                errors.append(
                    _("“%(name)s” is larger than %(size)s MB.")
                    % {"name": upload.name, "size": MAX_UPLOAD_BYTES // (1024 * 1024)}
                )
                continue
            head = upload.read(8192)
            upload.seek(0)
            if not check_upload(upload.name, head).ok:
                errors.append(
                    _("“%(name)s” is not a PDF, Word, Excel, JPG or PNG file.")
                    % {"name": upload.name}
                )
        if errors:
            raise forms.ValidationError(errors)
        return files


class RequestForm(HoneypotMixin, forms.ModelForm):
    attachments = AttachmentsField(
        label=_("Attachments"),
        help_text=_("Optional: up to 5 files (PDF, Word, Excel, JPG, PNG), 10 MB each."),
    )

    class Meta:
        model = DisclosureRequest
        fields = [
            "applicant_type",
            "name",
            "contact_person",
            "id_type",
            "id_number",
            "phone",
            "email",
            "address",
            "description",
            "purpose",
            "provision_form",
            "delivery",
        ]
        labels = {"name": _("Name (of the person or organisation)")}
        help_texts = {
            "contact_person": _("For an organisation: who we should contact."),
            "description": _("Describe the information: its title, number or period if known."),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "phone": PHONE_INPUT,
            "email": EMAIL_INPUT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].required = True
        self.fields["purpose"].required = True

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_id_number(self):
        return (self.cleaned_data.get("id_number") or "").strip().upper()

    def clean_description(self):
        value = (self.cleaned_data.get("description") or "").strip()
        if len(value) < 10:
            raise forms.ValidationError(
                _("Describe the information you seek in at least 10 characters.")
            )
        return value

    def clean(self):
        data = super().clean()
        kind, id_type, number = (
            data.get("applicant_type"),
            data.get("id_type"),
            data.get("id_number", ""),
        )
        if kind and id_type:
            if kind == ApplicantType.NATURAL_PERSON and id_type == IdDocument.CREDIT_CODE:
                self.add_error("id_type", _("A natural person gives an identity document."))
            if kind in _ORGANISATIONS and id_type != IdDocument.CREDIT_CODE:
                self.add_error(
                    "id_type", _("An organisation gives its unified social credit code.")
                )
            if kind in _ORGANISATIONS and not data.get("contact_person"):
                self.add_error("contact_person", _("Name the person we should contact."))
        if number and id_type == IdDocument.RESIDENT_ID and not is_resident_id(number):
            self.add_error(
                "id_number",
                _("This is not a valid resident ID number: check the 18 characters."),
            )
        if number and id_type == IdDocument.CREDIT_CODE and not _CREDIT_CODE.fullmatch(number):
            self.add_error(
                "id_number", _("A unified social credit code has 18 characters; check it.")
            )
        other_document = id_type not in (IdDocument.RESIDENT_ID, IdDocument.CREDIT_CODE)
        if number and other_document and not re.fullmatch(r"[0-9A-Z()（）-]{5,40}", number):
            self.add_error("id_number", _("Enter the document number as printed on it."))
        delivery = data.get("delivery")
        if delivery == DeliveryWay.EMAIL and not data.get("email"):
            self.add_error("email", _("Give an email address to receive the reply by email."))
        if delivery == DeliveryWay.POST and not data.get("address"):
            self.add_error("address", _("Give a postal address to receive the reply by post."))
        return data

    def case_values(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data
        }


class ConsultationForm(HoneypotMixin, forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["name", "phone", "email", "question"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 5}),
            "phone": PHONE_INPUT,
            "email": EMAIL_INPUT,
        }

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_question(self):
        value = (self.cleaned_data.get("question") or "").strip()
        if len(value) < 5:
            raise forms.ValidationError(_("Write your question in at least 5 characters."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and not self.has_error("phone"):
            self.add_error("phone", _("Give a phone number or an email address for the answer."))
        return data

    def case_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class TrackingForm(forms.Form):
    number = forms.CharField(
        label=_("Tracking number"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "YSQ-2026-000001"}),
    )
    code = forms.CharField(
        label=_("Lookup code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_number(self):
        value = self.cleaned_data["number"].strip().upper()
        if not TRACKING_NUMBER.fullmatch(value):
            raise forms.ValidationError(
                _("A tracking number looks like YSQ-2026-000123 or ZX-2026-000045.")
            )
        return value


class RecoveryForm(HoneypotMixin, TrackingForm):
    """忘记查询码: the tracking number and the contact given on the application."""

    code = None
    contact = forms.CharField(
        label=_("E-mail address or phone number given when applying"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["number", "contact"]


class StaffIntakeMixin(forms.Form):
    """The office registers a request handed in on paper, by post or by mail (第二十九条:
    the office fills in the form for an applicant who cannot write it)."""

    institution = forms.ModelChoiceField(label=_("Institution"), queryset=Site.objects.none())
    received_on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "In person: the day it was handed in; by post: the day it was signed for; "
            "by email: the day the mailbox received it."
        ),
    )

    def __init__(self, *args, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.pop("website", None)
        self.fields["institution"].queryset = Site.objects.filter(pk__in=[s.pk for s in sites])
        if len(sites) == 1:
            self.fields["institution"].initial = sites[0].pk
        self.fields["received_on"].initial = timezone.localdate()
        # Institution and date first, as on the paper register.
        self.order_fields(["institution", "received_on"])

    def clean_received_on(self):
        value = self.cleaned_data["received_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("This date cannot be in the future."))
        return value


class StaffRequestForm(StaffIntakeMixin, RequestForm):
    pass


class StaffConsultationForm(StaffIntakeMixin, ConsultationForm):
    pass
