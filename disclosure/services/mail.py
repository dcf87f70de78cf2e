"""E-mail written from a pair of templates, ``disclosure/emails/<name>_subject.txt`` and
``<name>.txt``, in the site's language (``LANGUAGE_CODE``) whoever triggered it: review
notifications, reminders, an applicant's receipt and a lost lookup code."""

from __future__ import annotations

from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation


def send_templated_mail(name: str, context: dict, recipients: Sequence[str]) -> int:
    """Render the ``name`` e-mail with ``context`` and send it to ``recipients``; mail errors
    (``OSError``, ``smtplib.SMTPException``) go up to the caller."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"disclosure/emails/{name}_subject.txt", context).strip()
        body = render_to_string(f"disclosure/emails/{name}.txt", context)
    return send_mail(subject, body, None, list(recipients))
