"""The keys a work order is clustered by: pure functions, the same input gives the same key.

- business: the id of the ticket's `Business` row (tickets.services.business_for already merges the same
  credit code, or the same name without one, into one row);
- complainant: the phone's digits, without a leading country code 86/0086 (so "+86 139-0000-1234" and
  "13900001234" are one person); fewer than 7 digits is no key (an extension, a typo);
- template: a fingerprint of the content: Unicode NFKC, lower case, then only letters kept (CJK
  characters included): white space, digits and punctuation dropped, so that a template re-sent with other
  dates, amounts, order numbers, shop numbers or line breaks gives the same key; the SHA-256 of that,
  first 32 hex digits. Fewer than 12 letters is no key: "请尽快处理" alone is not a template.
  Deliberately exact after normalising: a template with one word changed is a different key (a shingle
  signature would catch it, at the price of a fuzzy search per ticket; not done, docs/alerts.md).
"""

import hashlib
import re
import unicodedata

MIN_PHONE_DIGITS = 7
MIN_TEMPLATE_LETTERS = 12

_NON_DIGITS = re.compile(r"\D+")


def phone_key(phone: str) -> str:
    digits = _NON_DIGITS.sub("", phone or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


def normalised_text(content: str) -> str:
    text = unicodedata.normalize("NFKC", content or "").lower()
    # Letters only: categories L* (Latin, CJK ideographs, kana ...); digits, marks, punctuation, spaces go.
    return "".join(ch for ch in text if unicodedata.category(ch).startswith("L"))


def template_key(content: str) -> str:
    text = normalised_text(content)
    if len(text) < MIN_TEMPLATE_LETTERS:
        return ""
    return hashlib.sha256(text.encode()).hexdigest()[:32]
