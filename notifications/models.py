from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one person, stored before anything is sent: the row is the outbox.

    It holds a code and data, never prose: the text is built in the recipient's language when it is
    sent and when it is shown (notifications.messages).
    """

    # notification_recipient_idx (recipient, -created_at) serves lookups by recipient.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        db_index=False,
    )
    code = models.CharField(_("kind"), max_length=40)
    data = models.JSONField(default=dict, blank=True)
    ticket = models.ForeignKey(
        "tickets.Ticket",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("work order"),
    )
    created_at = models.DateTimeField(_("created at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Delivery by email and SMS: pending while sent_at is null; a sender claims rows before sending.
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    channels = models.JSONField(_("sent by"), default=list, blank=True)
    last_error = models.CharField(max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # serves: a person's notification list, newest first
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            # serves: the bell, the count of a person's unread notifications
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            # serves: notifications_send_pending, the sweep that sends what the broker never got
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="notification_pending_idx"),
        ]

    def __str__(self):
        return f"{self.code} -> {self.recipient_id}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
