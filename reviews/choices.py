"""Codes of reviews, callbacks, supervision and inspections. Imports nothing of ours."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    UNIT = "unit", _("Unit deputy leader")
    SECTION = "section", _("Section")


class ReturnReasonCode(models.TextChoices):
    GROUNDS_INSUFFICIENT = "grounds_insufficient", _("Grounds for 'not substantiated' insufficient")
    FACTS_UNCLEAR = "facts_unclear", _("Facts unclear")
    EVIDENCE_MISSING = "evidence_missing", _("Evidence missing")
    WRONG_CLASSIFICATION = "wrong_classification", _("Wrong classification")
    REPLY_SUBSTANDARD = "reply_substandard", _("Reply not up to standard")
    OTHER = "other", pgettext_lazy("return reason", "Other")


class Resolved(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    PARTLY = "partly", _("Partly resolved")
    UNRESOLVED = "unresolved", _("Not resolved")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class CallbackSource(models.TextChoices):
    PLATFORM = "platform", _("City hotline office")
    STAFF = "staff", _("Our own callback")


class CallbackTaskStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    NOT_REACHED = "not_reached", _("Not reached, to try again")
    REACHED = "reached", _("Reached")


class SupervisionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("supervision", "Open")
    CLOSED = "closed", pgettext_lazy("supervision", "Closed")


class ScoreStage(models.TextChoices):
    SELF = "self", _("Self-assessment")
    PEER = "peer", _("Peer assessment")
    SECTION = "section", _("Section check")
