from django.db import models
from django.utils.translation import gettext_lazy as _

from audit.choices import Action, Result


class AuditRecord(models.Model):
    """Who did what to which object, when, with what result, from where. Written once, never changed.

    The user is kept as an id and the username as it was (no foreign key): deleting or renaming an account
    must neither touch its records (the table refuses updates on PostgreSQL) nor change what they say.
    """

    at = models.DateTimeField(_("when"), db_index=True)
    user_id = models.BigIntegerField(_("user ID"), null=True, blank=True)
    username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=64, choices=Action.choices)
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, default=Result.OK)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object ID"), max_length=64, blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit records")
        ordering = ["-at", "-id"]
        # The admin's filters: one action over a period, one person's records, one object's history.
        indexes = [
            models.Index(fields=["action", "at"], name="audit_action_at_idx"),
            models.Index(fields=["user_id", "at"], name="audit_user_at_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]
        # Only the view permission is meaningful: nothing in the application adds, changes or deletes them.
        default_permissions = ("view",)

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action} {self.result}"
