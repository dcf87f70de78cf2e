"""Errors as RFC 7807 problem documents (``application/problem+json``), one shape for all:
``{"type", "title", "status", "detail", "errors"?}``; validation errors (422) list each
field's ``loc`` and ``msg``. Wagtail's v3 API uses the same shape."""

from __future__ import annotations

import logging

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from pydantic import ValidationError as PydanticValidationError
from wagtail.api.v3.errors import ProblemDetail, problem_response, register_exception_handlers

logger = logging.getLogger(__name__)


def problems(*codes: int) -> dict[int, type[ProblemDetail]]:
    """The error answers an operation documents besides its 200."""
    return dict.fromkeys(codes, ProblemDetail)


def register(api: NinjaAPI) -> None:
    register_exception_handlers(api)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError):
        response = problem_response(status=401, detail=_("A valid API token is required."))
        response["WWW-Authenticate"] = "Bearer"
        return response

    # Input is validated by Ninja (its own ValidationError, a 422 from Wagtail's handler); a
    # pydantic error can then only come from building an answer, which is our fault.
    @api.exception_handler(PydanticValidationError)
    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception):
        # Logged with its traceback; the caller learns nothing of the internals.
        logger.exception("disclosure API error on %s", request.path)
        return problem_response(status=500, detail=_("Internal error."))


def not_found_view(request: HttpRequest, *args, **kwargs):
    """Any other path under the API: the same 404 document as a missing object."""
    return problem_response(status=404, detail=_("Not found."))
