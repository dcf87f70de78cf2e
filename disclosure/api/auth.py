"""Who is calling: a Wagtail API token (``Authorization: Bearer …``) or nobody.

A session cookie never counts, so a page that embeds the API cannot be made to act for a
logged-in editor. A token that is presented but unknown, revoked or of an inactive user is
refused (401) rather than silently treated as anonymous.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import AuthenticationError
from wagtail.api.v3.auth import AllowAnonymous, BearerTokenAuth


class TokenAuth(BearerTokenAuth):
    def authenticate(self, request: HttpRequest, token: str):
        api_token = super().authenticate(request, token)
        if api_token is None:
            raise AuthenticationError
        return api_token


#: Public reads: a token if one is given, otherwise anonymous.
PUBLIC = [TokenAuth(), AllowAnonymous()]
#: Staff reads: a token is required.
STAFF = [TokenAuth()]
