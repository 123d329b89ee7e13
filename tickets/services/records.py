"""Personal data (audited reveal) and attachments."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.choices import Action, Result
from audit.services import audit_record
from org.models import User
from tickets.choices import (
    AttachmentPurpose,
)
from tickets.models import (
    Attachment,
    Ticket,
)
from tickets.services.core import (
    event_write,
)

# ---------------------------------------------------------------- personal data


PERSONAL_FIELDS = {
    "complainant_name": "name",
    "complainant_phone": "phone",
    "complainant_id_number": "id_number",
    "complainant_address": "address",
}


def ticket_reveal_check(ticket: Ticket, *, actor: User) -> None:
    """Refuse (PermissionDenied) someone who may not reveal this work order's personal data, and record the
    attempt: an access to personal data that was tried and refused is traced as well as one that was made."""
    if not actor.has_perm("tickets.reveal_personal_data", ticket):
        audit_record(Action.PERSONAL_DATA_REVEALED, actor=actor, obj=ticket, result=Result.REFUSED)
        raise PermissionDenied


def ticket_reveal_personal_data(ticket: Ticket, *, actor: User, field: str) -> str:
    """Show one personal field unmasked; who, when and which field go to the timeline and the audit records.

    Both are written before the value is returned, in one transaction: when the audit record cannot be
    written the exception reaches the caller and nothing is shown.
    """
    if field not in PERSONAL_FIELDS:
        raise ValidationError({"field": _("Unknown field.")})
    ticket_reveal_check(ticket, actor=actor)
    data = {"field": PERSONAL_FIELDS[field]}
    with transaction.atomic():
        event_write(ticket, "personal_data_revealed", actor=actor, data=data, is_internal=True)
        audit_record(Action.PERSONAL_DATA_REVEALED, actor=actor, obj=ticket, data=data)
    return getattr(ticket, field)


# ---------------------------------------------------------------- attachments

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# extension -> (content type, magic-byte prefixes that file must start with; empty: not checked)
ALLOWED_ATTACHMENTS = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}


def ticket_add_attachment(
    ticket: Ticket, *, actor: User | None, uploaded_file, purpose: str = AttachmentPurpose.EVIDENCE
) -> Attachment:
    import os

    # Shorten the stem, not the extension: a long name must not lose its type on the way.
    stem, suffix = os.path.splitext(os.path.basename(uploaded_file.name or "file"))
    suffix = suffix.lower()[:10]
    name = stem[: 200 - len(suffix)] + suffix
    if suffix not in ALLOWED_ATTACHMENTS:
        raise ValidationError({"file": _("Only images (JPG, PNG, GIF, WebP), PDF and Office files are accepted.")})
    if uploaded_file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("A file may be at most 20 MB.")})
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    content_type, magics = ALLOWED_ATTACHMENTS[suffix]
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    if magics and not any(head.startswith(magic) for magic in magics):
        raise ValidationError({"file": _("The file's content does not match its type.")})
    with transaction.atomic():
        attachment = Attachment(
            ticket=ticket,
            purpose=purpose,
            original_name=name,
            content_type=content_type,
            size=uploaded_file.size,
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        attachment.file.save(name, uploaded_file, save=False)
        attachment.save()
        event_write(ticket, "attachment_added", actor=actor, data={"name": name, "purpose": purpose})
    return attachment
