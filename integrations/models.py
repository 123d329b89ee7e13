import hashlib

from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import Bureau
from tickets.models import StatusUpdate


def key_digest(key: str) -> str:
    """Keys are stored as digests only: a copy of the database does not hand out working keys."""
    return hashlib.sha256(key.encode()).hexdigest()


class IntegrationClient(models.Model):
    """A platform (12345, 12315) that pushes work orders to one bureau with a `Token` key."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    bureau = models.ForeignKey(
        Bureau, on_delete=models.PROTECT, related_name="integration_clients", verbose_name=_("bureau")
    )
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    key_prefix = models.CharField(_("key starts with"), max_length=8, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Where this platform takes our status updates (the signed webhook), set by an administrator on the staff
    # page (integrations:client_webhook); empty: settings.HOTLINE_WEBHOOK_URL/SECRET as before. The secret signs
    # the body (HMAC-SHA256); it is shown once when made and never again.
    webhook_url = models.URLField(_("webhook address"), max_length=500, blank=True)
    webhook_secret = models.CharField(max_length=128, blank=True, editable=False)
    webhook_secret_set_at = models.DateTimeField(_("secret made at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("integration client")
        verbose_name_plural = _("integration clients")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ClientPrincipal:
    """What `request.user` is for an integration client: authenticated, but no staff member and no permission."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    unit_id = None
    pk = None
    id = None

    def __init__(self, client: IntegrationClient):
        self.client = client
        self.username = f"integration:{client.name}"

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def has_perms(self, perms, obj=None) -> bool:
        return False

    def __str__(self):
        return self.username


class UndeliveredUpdate(StatusUpdate):
    """The administrator's list of updates the webhook gave up on (admin: retry)."""

    class Meta:
        proxy = True
        verbose_name = _("undelivered update")
        verbose_name_plural = _("undelivered updates")
