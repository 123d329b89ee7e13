"""The keys a work order is clustered by: pure functions, the same input gives the same key.

- business: the id of the ticket's `Business` row (tickets.services.business_for already merges the same
  credit code, or the same normalised name (tickets.names.business_name_key), into one row);
- complainant: the phone's digits, without a leading country code 86/0086 (so "+86 139-0000-1234" and
  "13900001234" are one person); fewer than 7 digits is no key (an extension, a typo);
- template: a fingerprint of the content: Unicode NFKC, lower case, then only letters kept (CJK
  characters included): white space, digits and punctuation dropped, so that a template re-sent with other
  dates, amounts, order numbers, shop numbers or line breaks gives the same key; the SHA-256 of that,
  first 32 hex digits. Fewer than 12 letters is no key: "请尽快处理" alone is not a template.
  Exact after normalising: a template with one word changed is a different key; the detection catches it as a
  near-identical text through tickets.similarity (alerts.services, docs/alerts.md).
- claimant (one complainant reporting many businesses): the ID number's fingerprint when given, else the
  phone's digits (claimant_key); counted by the number of different businesses, not of work orders.
"""

import hashlib
import re
import unicodedata

MIN_PHONE_DIGITS = 7
MIN_TEMPLATE_LETTERS = 12
MIN_ID_CHARACTERS = 8

_NON_DIGITS = re.compile(r"\D+")


def phone_key(phone: str) -> str:
    digits = _NON_DIGITS.sub("", phone or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if len(digits) >= MIN_PHONE_DIGITS else ""


def id_key(id_number: str) -> str:
    """A complainant's ID number as a key: upper case, letters and digits only, then a SHA-256 fingerprint (first 32
    hex digits), so that the signature table holds no ID number; under 8 characters: no key."""
    value = "".join(ch for ch in (id_number or "").upper() if ch.isalnum())
    if len(value) < MIN_ID_CHARACTERS:
        return ""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def claimant_key(phone: str, id_number: str) -> str:
    """The person behind a work order for the professional-claimant kind: the ID number's key when given (it names
    one person), else the phone's digits; prefixed so the two never meet. Empty when neither gives a key."""
    by_id = id_key(id_number)
    if by_id:
        return f"id:{by_id}"
    by_phone = phone_key(phone)
    return f"phone:{by_phone}" if by_phone else ""


def normalised_text(content: str) -> str:
    text = unicodedata.normalize("NFKC", content or "").lower()
    # Letters only: categories L* (Latin, CJK ideographs, kana ...); digits, marks, punctuation, spaces go.
    return "".join(ch for ch in text if unicodedata.category(ch).startswith("L"))


def template_key(content: str) -> str:
    text = normalised_text(content)
    if len(text) < MIN_TEMPLATE_LETTERS:
        return ""
    return hashlib.sha256(text.encode()).hexdigest()[:32]
