"""Which uploaded files are accepted: an allow-list checked against the content, not the name."""

from __future__ import annotations

from dataclasses import dataclass

import filetype

# extension -> the content type its bytes must have (filetype tells doc from xls inside the OLE
# container, and docx from xlsx inside the zip).
ALLOWED_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_UPLOAD_FILES = 5
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class UploadVerdict:
    ok: bool
    extension: str = ""
    content_type: str = ""


def check_upload(name: str, head: bytes) -> UploadVerdict:
    """Accept a file when its name's extension is allowed and its content is of that type.

    ``head`` is the start of the file (8 KiB is enough for every allowed type).
    """
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED_TYPES:
        return UploadVerdict(ok=False, extension=extension)
    kind = filetype.guess(head[:_SNIFF_BYTES])
    if kind is None or kind.mime != ALLOWED_TYPES[extension]:
        return UploadVerdict(ok=False, extension=extension)
    return UploadVerdict(ok=True, extension=extension, content_type=kind.mime)
