"""Phone and ID numbers in free text (log lines, notification texts), masked. Imports nothing of ours.

The masks follow tickets.masking's field masks (138****5678, 31*************234); this one finds the numbers
in text written by anyone (a platform's urging message, a work order's title, an exception).
"""

from __future__ import annotations

import re

# A mainland mobile number (11 digits from 13x to 19x), optionally +86 or 86 in front, not part of a longer number.
_MOBILE = re.compile(r"(?<![\dA-Za-z])(?:\+?86[- ]?)?(1[3-9]\d)(\d{4})(\d{4})(?![\dA-Za-z])")
# A landline with its area code: 021-12345678, 0571 1234567.
_LANDLINE = re.compile(r"(?<![\dA-Za-z])(0\d{2,3})[- ]?(\d{3,4})(\d{4})(?![\dA-Za-z])")
# A resident ID number: 18 characters (the last may be X) or the old 15 digits.
_ID_NUMBER = re.compile(r"(?<![\dA-Za-z])(\d{2})(\d{13}|\d{10})(\d{2}[\dXx]|\d{3})(?![\dA-Za-z])")


def _mask_id(match: re.Match) -> str:
    return match.group(1) + "*" * len(match.group(2)) + match.group(3)


def mask_personal_numbers(text: str) -> str:
    """Phone and ID numbers in free text, masked; everything else as it was."""
    text = _ID_NUMBER.sub(_mask_id, text)
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _LANDLINE.sub(lambda m: f"{m.group(1)}-****{m.group(3)}", text)
