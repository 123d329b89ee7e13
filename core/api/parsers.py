"""Parsers that never read more than DATA_UPLOAD_MAX_MEMORY_SIZE: a larger body answers 413."""

from django.conf import settings
from django.http import QueryDict
from rest_framework import parsers

from core.api.exceptions import PayloadTooLarge


def _read_limited(stream) -> bytes:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    body = stream.read(limit + 1) if stream is not None else b""
    if len(body) > limit:
        raise PayloadTooLarge()
    return body


class LimitedJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        import io

        return super().parse(io.BytesIO(_read_limited(stream)), media_type, parser_context)


class LimitedFormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return QueryDict(_read_limited(stream), encoding=encoding)
        except UnicodeDecodeError:
            from rest_framework.exceptions import ParseError

            raise ParseError("The form body is not valid text.") from None
