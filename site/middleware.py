"""The site's Content-Security-Policy (django-csp): strict on the public site and the APIs,
looser where Wagtail's admin needs it.

Public pages and API answers are cached whole, so the policy holds no per-request nonce: the
public templates load every script and style from static files. The admin (Wagtail's own
inline scripts and styles), Django's admin and the APIs' interactive docs get the
``CONTENT_SECURITY_POLICY_ADMIN`` directives in place of the strict ones.
"""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.replace is None
            and request.path_info.startswith(tuple(settings.CONTENT_SECURITY_POLICY_ADMIN_PATHS))
        ):
            parts.replace = settings.CONTENT_SECURITY_POLICY_ADMIN
        return parts
