"""Files that users uploaded, sent back as downloads that the browser cannot render as a page of ours.

An uploaded file is someone else's content: shown inline on Hotline's origin, an HTML or SVG file could run
script with the reader's session. So every such file goes out as an attachment (saved, never displayed),
with a type a browser will not execute, a sandboxing Content-Security-Policy should it be displayed anyway,
no sniffing, no caching, and a name that cannot break the header or name a path.
"""

import re
import unicodedata

from django.http import FileResponse

# Types a browser would render or run if it ever displayed the file: sent as plain bytes instead.
_ACTIVE_TYPE = re.compile(r"html|xml|svg|javascript|ecmascript|^text/|multipart|application/x-", re.IGNORECASE)
_UNSAFE_NAME_CHARACTERS = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]')
FALLBACK_NAME = "file"
MAX_NAME_LENGTH = 200


def download_safe_name(name: str) -> str:
    """The file's name without path parts, control characters, quotes or separators; Chinese names stay."""
    name = unicodedata.normalize("NFC", name or "")
    name = _UNSAFE_NAME_CHARACTERS.sub("_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(" .")
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, suffix = name.rpartition(".")
        name = stem[: MAX_NAME_LENGTH - len(suffix) - 1] + dot + suffix if dot and len(suffix) <= 10 else name[:200]
    return name or FALLBACK_NAME


def download_safe_type(content_type: str) -> str:
    content_type = (content_type or "").strip().lower()
    if not content_type or _ACTIVE_TYPE.search(content_type):
        return "application/octet-stream"
    return content_type


def file_download(handle, *, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_safe_name(filename),
        content_type=download_safe_type(content_type),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Pragma"] = "no-cache"
    return response
