from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AlertKind(models.TextChoices):
    BUSINESS = "business", _("Same business")
    COMPLAINANT = "complainant", _("Same complainant")
    TEMPLATE = "template", _("Same text")
    # one complainant (phone or ID number) reporting many different businesses: a professional claimant
    CLAIMANT = "claimant", _("One complainant, many businesses")


class AlertStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("alert status", "Open")
    CONSULTED = "consulted", pgettext_lazy("alert status", "Consulted")
    CLOSED = "closed", pgettext_lazy("alert status", "Closed")
    # merged into another alert (ClusterAlert.merged_into), which gathers its key's work orders from then on
    MERGED = "merged", pgettext_lazy("alert status", "Merged")


# An alert that is not closed still gathers the cluster's new work orders: one per (bureau, kind, key).
ACTIVE_STATUSES = (AlertStatus.OPEN, AlertStatus.CONSULTED)
