"""Personal data is shown masked by default; unmasking is a permission and an audited service call."""

PERSONAL_FIELDS = ("complainant_name", "complainant_phone", "complainant_id_number", "complainant_address")


def mask_phone(value: str) -> str:
    """13812345678 -> 138****5678; a shorter number keeps only its last two digits (a landline's first three and
    last four would be nearly all of it), one of four or fewer characters none.

    The one masking of a phone number: the ticket page, the staff API, the admin and the alerts show this.
    """
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) >= 11:
        return f"{value[:3]}{'*' * (len(value) - 7)}{value[-4:]}"
    keep = 2 if len(value) > 4 else 0
    return "*" * (len(value) - keep) + value[len(value) - keep :]


def mask_id_number(value: str) -> str:
    """An ID number keeps its first 2 and last 3 characters."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) <= 5:
        return "*" * len(value)
    return f"{value[:2]}{'*' * (len(value) - 5)}{value[-3:]}"


def mask_name(value: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***; Latin names keep their first letter."""
    value = (value or "").strip()
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)


def mask_address(value: str, keep: int = 6) -> str:
    """The district and road stay readable; the house number and flat go."""
    value = (value or "").strip()
    if not value:
        return ""
    return value[: min(keep, max(len(value) // 2, 1))] + "****"


MASKERS = {
    "complainant_name": mask_name,
    "complainant_phone": mask_phone,
    "complainant_id_number": mask_id_number,
    "complainant_address": mask_address,
}


# A confidential work order's personal data shows nothing, not even the parts a mask keeps.
HIDDEN = "******"


def masked(ticket, field: str) -> str:
    value = getattr(ticket, field)
    if getattr(ticket, "is_confidential", False) and (value or "").strip():
        return HIDDEN
    return MASKERS[field](value)
