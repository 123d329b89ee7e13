"""Audit action codes and results. Stored as codes, translated only when shown (imports nothing of ours)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Result(models.TextChoices):
    OK = "ok", _("succeeded")
    REFUSED = "refused", _("refused")
    FAILED = "failed", _("failed")


class Action(models.TextChoices):
    LOGIN = "auth.login", _("signed in")
    LOGOUT = "auth.logout", _("signed out")
    LOGIN_FAILED = "auth.login_failed", _("sign-in failed")
    LOCKED_OUT = "auth.locked_out", _("account locked")
    PERSONAL_DATA_REVEALED = "personal_data.revealed", _("personal data revealed")
    ACCESS_REFUSED = "access.refused", _("access refused")
    ATTACHMENT_DOWNLOADED = "attachment.downloaded", _("attachment downloaded")
    DATA_EXPORTED = "data.exported", _("data exported")
    DOCUMENT_DOWNLOADED = "document.downloaded", _("document downloaded")
    TICKET_ASSIGNED = "ticket.assigned", _("work order dispatched")
    TICKET_REASSIGNED = "ticket.reassigned", _("work order re-dispatched")
    TICKET_TRANSITION = "ticket.transition", _("work order status changed")
    TICKET_RETURNED = "review.returned", _("work order returned for rework")
    TICKET_MERGED = "ticket.merged", _("work orders merged")
    TICKET_SPLIT = "ticket.split", _("merged work order split off")
    CATALOGUE_CHANGED = "dispatch.catalogue_changed", _("dispatch catalogue changed")
    WEBHOOK_CHANGED = "integration.webhook_changed", _("platform webhook address or secret changed")
    OBJECTION_RAISED = "ticket.objection_raised", _("dispatch objection raised")
    OBJECTION_DECIDED = "ticket.objection_decided", _("dispatch objection decided")
    ASSIST_REQUESTED = "ticket.assist_requested", _("assisting unit requested")
    ASSIST_DONE = "ticket.assist_done", _("assisting unit answered")
    ASSIST_RELEASED = "ticket.assist_released", _("assisting unit released")
    USER_CREATED = "user.created", _("account created")
    USER_PERMISSIONS_CHANGED = "user.permissions_changed", _("roles or permissions changed")
    AUDIT_PRUNED = "audit.pruned", _("old audit records removed")
