"""Uploaded files in development, with no way around the document view.

An attachment (a Wagtail document) of a staff-only item or of a draft must reach only the people
who may see it, so documents are served by Wagtail's document view alone
(``WAGTAILDOCS_SERVE_METHOD = "serve_view"``). The line that ``wagtail start`` puts in a
project's URLs for development, ``static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)``,
would hand their files to anyone at ``/media/documents/<name>``. Use this instead::

    from disclosure.media import media_urlpatterns

    urlpatterns += media_urlpatterns()

It serves the rest of ``MEDIA_ROOT`` (images and their renditions) while ``DEBUG`` is on, as
``static()`` does, and nothing in production, where the web server serves media (never the
documents' folder). ``manage.py check`` warns when the documents would be served raw
(:func:`check_documents_are_not_served_raw`, registered when the app is ready).
"""

from __future__ import annotations

import os
import posixpath
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from django.conf import settings
from django.conf.urls.static import static
from django.core import checks
from django.core.exceptions import SuspiciousFileOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, URLPattern, resolve
from django.utils._os import safe_join
from django.views.static import serve
from wagtail.documents import get_document_model

from .models.requests import private_storage


def documents_root() -> Path:
    """The folder under ``MEDIA_ROOT`` that Wagtail's documents are uploaded to (``documents``
    for Wagtail's own model). A custom document model that names its folders with a callable,
    or with a date from the first folder on (``%Y/…``), may put them anywhere: then it is
    ``MEDIA_ROOT`` itself, and nothing there is served raw."""
    upload_to = get_document_model()._meta.get_field("file").upload_to
    fixed: list[str] = []
    if isinstance(upload_to, str):
        for part in PurePosixPath(upload_to).parts:
            if "%" in part:
                break
            fixed.append(part)
    return Path(settings.MEDIA_ROOT, *fixed)


def _private_roots() -> list[Path]:
    """Folders whose files no URL may serve: the documents, and the applicants' files (which
    belong outside ``MEDIA_ROOT``, but may have been put there)."""
    return [documents_root(), Path(private_storage().location)]


def _within(path: Path, folder: Path) -> bool:
    # Case-blind, as the file systems of macOS and Windows are: /media/Documents/… is the same
    # folder there.
    path_text, folder_text = (os.path.normcase(str(p)).casefold() for p in (path, folder))
    return path_text == folder_text or path_text.startswith(folder_text.rstrip(os.sep) + os.sep)


def serve_media(request: HttpRequest, path: str) -> HttpResponse:
    """Django's development file view over ``MEDIA_ROOT``, answering 404 for the documents'
    folder, the applicants' files and anything that leads outside ``MEDIA_ROOT`` (``..``,
    ``./documents``, a symbolic link)."""
    media_root = Path(settings.MEDIA_ROOT).resolve()
    try:
        # The file Django's serve() would open, with symbolic links followed.
        target = Path(safe_join(media_root, posixpath.normpath(path).lstrip("/"))).resolve()
    except SuspiciousFileOperation as outside:
        raise Http404 from outside
    if not target.is_relative_to(media_root) or any(
        _within(target, folder.resolve()) for folder in _private_roots()
    ):
        raise Http404
    return serve(request, path, document_root=media_root)


def media_urlpatterns() -> list[URLPattern]:
    """``MEDIA_URL`` served from ``MEDIA_ROOT`` while ``DEBUG`` is on, except the documents
    (:func:`serve_media`); no pattern otherwise, or when ``MEDIA_URL`` is on another host."""
    return static(settings.MEDIA_URL, view=serve_media)


# The check a host project gets ------------------------------------------------------------


def _raw_file_view(path: str) -> bool:
    """Whether ``path`` reaches Django's file-serving view, which checks nobody's permission."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "__module__", "") == "django.views.static"


def _static_folders() -> list[Path]:
    """Folders served as static files, by WhiteNoise (and by ``collectstatic``'s copy)."""
    folders = [getattr(settings, "WHITENOISE_ROOT", None), getattr(settings, "STATIC_ROOT", None)]
    for entry in getattr(settings, "STATICFILES_DIRS", []):
        folders.append(entry[1] if isinstance(entry, tuple | list) else entry)
    return [Path(folder).resolve() for folder in folders if folder]


@checks.register(checks.Tags.security, checks.Tags.urls)
def check_documents_are_not_served_raw(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Documents (attachments, staff-only and drafts included) are served only by Wagtail's
    document view, which applies their audience: never straight from ``MEDIA_ROOT``."""
    messages: list[checks.CheckMessage] = []
    documents = documents_root()
    media_url = settings.MEDIA_URL or ""
    if media_url and not urlsplit(media_url).netloc:
        parts = (media_url.strip("/"), *documents.relative_to(settings.MEDIA_ROOT).parts)
        probe = "/" + "/".join((*(part for part in parts if part), "check.pdf"))
        if _raw_file_view(probe):
            messages.append(
                checks.Warning(
                    f"{probe} is answered by django.views.static.serve: anyone may download "
                    "any document, staff-only and draft attachments included.",
                    hint="Serve media in development with disclosure.media.media_urlpatterns() "
                    "instead of static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT).",
                    id="disclosure.W001",
                )
            )
    for folder in _static_folders():
        if documents.resolve().is_relative_to(folder):
            messages.append(
                checks.Warning(
                    f"The documents' folder {documents} is inside {folder}, which is served "
                    "as static files: anyone may download any document.",
                    hint="Keep MEDIA_ROOT out of WHITENOISE_ROOT, STATIC_ROOT and "
                    "STATICFILES_DIRS.",
                    id="disclosure.W002",
                )
            )
    return messages
