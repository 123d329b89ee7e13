"""The text of each notification code, built in the recipient's language (never stored translated)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.masking import mask_personal_numbers
from org.context_processors import nav_label


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    link: str = ""  # a page of Hotline that goes with the message (a path), if any


def _clock_label(code: str) -> str:
    from tickets.choices import Clock

    try:
        return str(Clock(code).label)
    except ValueError:
        return code


def _due(value: str) -> str:
    if not value:
        return ""
    from workdays.calendar import SHANGHAI

    return dt.datetime.fromisoformat(value).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def _escalation(tier: int, data: dict) -> Message:
    params = {
        "number": data.get("external_id", ""),
        "title": data.get("title", ""),
        "clock": _clock_label(data.get("clock", "")),
        "due": _due(data.get("due_at", "")),
    }
    if tier == 1:
        subject = _("Reminder: work order %(number)s is due soon") % params
        body = _("Work order %(number)s (%(title)s): the deadline “%(clock)s” is %(due)s. Please handle it in time.")
    elif tier == 2:
        # The due day by its date, never "today": the sweep runs on a Saturday for a Monday deadline too.
        params["day"] = params["due"][:10]
        subject = _("Urging: work order %(number)s is due on %(day)s, its last working day") % params
        body = _("Work order %(number)s (%(title)s): only the due day is left for “%(clock)s” (due %(due)s).")
    else:
        subject = _("Warning: work order %(number)s is overdue") % params
        body = _("Work order %(number)s (%(title)s) is overdue: “%(clock)s” was due %(due)s.")
    return Message(subject=subject, body=body % params)


def _digest(data: dict, viewer) -> Message:
    """The escalation sweep's digest: N work orders reached one tier in one sweep (a catch-up)."""
    tier = int(data.get("tier") or 0)
    count = int(data.get("work_orders") or 0)
    params = {"count": count}
    if tier == 1:
        subject = ngettext(
            "Reminder: %(count)s work order is due soon", "Reminder: %(count)s work orders are due soon", count
        )
    elif tier == 2:
        subject = ngettext(
            "Urging: %(count)s work order has only its due day left",
            "Urging: %(count)s work orders have only their due day left",
            count,
        )
    else:
        subject = ngettext(
            "Warning: %(count)s work order is overdue", "Warning: %(count)s work orders are overdue", count
        )
    body = ngettext(
        "One reminder sweep found %(count)s work order at this tier; this message counts it instead of one "
        "message per work order.",
        "One reminder sweep found %(count)s work orders at this tier at once; this message counts them instead "
        "of one message per work order.",
        count,
    )
    body = body % params
    link = ""
    # The page is named as the menu names it (org.context_processors.nav_label), so the two cannot differ.
    if viewer is not None and viewer.has_perm("notifications.view_due_panel"):
        body += " " + _("“%(page)s” lists them.") % {"page": nav_label("notifications:due")}
        link = reverse("notifications:due")
    elif viewer is not None and viewer.has_perm("notifications.view_tier_counts"):
        body += " " + _("“%(page)s” counts them per unit.") % {"page": nav_label("notifications:tiers")}
        link = reverse("notifications:tiers")
    return Message(subject=subject % params, body=body, link=link)


def _urged(data: dict) -> Message:
    params = {"number": data.get("external_id", ""), "message": data.get("message", "")}
    return Message(
        subject=_("The platform urges work order %(number)s") % params,
        body=_("The platform urges work order %(number)s: %(message)s") % params,
    )


def _returned(data: dict) -> Message:
    """A reply returned for redo (reviews.services.review_return): who returned it, the reasons and the comment."""
    from tickets.timeline import redo_reason_labels

    stages = {"unit": _("the unit leader"), "section": _("the section")}
    params = {
        "number": data.get("external_id", ""),
        "title": data.get("title", ""),
        "by": stages.get(data.get("stage", ""), data.get("stage", "")),
        "reasons": _("; ").join(redo_reason_labels(data.get("reasons"))),
    }
    body = _("Work order %(number)s (%(title)s) was returned for redo by %(by)s. Reasons: %(reasons)s.") % params
    if data.get("comment"):
        body += " " + _("Comment: %(comment)s") % {"comment": data["comment"]}
    link = ""
    if data.get("ticket_id"):
        try:
            link = reverse("tickets:detail", args=[data["ticket_id"]])
        except NoReverseMatch:
            link = ""
    return Message(subject=_("Returned for redo: work order %(number)s") % params, body=body, link=link)


def _alert_opened(data: dict) -> Message:
    """A cluster alert opened (alerts.services): the section and the units hear of it at once."""
    kinds = {
        "business": _("many work orders about one business"),
        "complainant": _("many work orders from one phone"),
        "template": _("many work orders with the same text"),
        "claimant": _("one complainant reporting many businesses"),
    }
    params = {
        "what": kinds.get(data.get("kind", ""), data.get("kind", "")),
        "label": data.get("label", ""),
        "count": int(data.get("count") or 0),
    }
    link = ""
    if data.get("alert_id"):
        try:
            link = reverse("alerts:detail", args=[data["alert_id"]])
        except NoReverseMatch:  # the alerts app is not installed
            link = ""
    return Message(
        subject=_("Cluster alert: %(label)s") % params,
        body=_(
            "Suspected mass complaint or professional claimant: %(what)s (%(label)s), %(count)s work orders so far. "
            "Consult and agree a unified reply line; whether each is accepted stays the handler's decision."
        )
        % params,
        link=link,
    )


def _alert_ticket_joined(data: dict) -> Message:
    """Work orders a unit holds are in a cluster alert (alerts.services): they joined it after it opened, or reached
    the unit after they were linked."""
    params = {
        "label": data.get("label", ""),
        "number": data.get("external_id", ""),
        "count": int(data.get("count") or 0),
    }
    link = ""
    if data.get("alert_id"):
        try:
            link = reverse("alerts:detail", args=[data["alert_id"]])
        except NoReverseMatch:  # the alerts app is not installed
            link = ""
    if params["number"]:
        body = _("Work order %(number)s of your unit is in the cluster alert %(label)s.") % params
    else:
        body = _("%(count)s work orders of your unit are in the cluster alert %(label)s.") % params
    if data.get("unit_added"):
        body += " " + _("Your unit is now one of the alert's units.")
    body += " " + _("Answer along the unified reply line once the section has agreed it.")
    return Message(subject=_("Cluster alert: %(label)s") % params, body=body, link=link)


def _objection(code: str, data: dict) -> Message:
    """A dispatch objection (tickets.services.objections): raised (to the section), upheld or rejected (to the unit)."""
    from tickets.choices import ObjectionReason

    try:
        reason_code = str(ObjectionReason(data.get("reason_code", "")).label)
    except ValueError:
        reason_code = data.get("reason_code", "")
    params = {
        "number": data.get("external_id", ""),
        "title": data.get("title", ""),
        "unit": data.get("unit", ""),
        "reason_code": reason_code,
        "new_unit": data.get("new_unit", ""),
        "reason": data.get("reason", ""),
    }
    link = ""
    if data.get("ticket_id"):
        try:
            link = reverse("tickets:detail", args=[data["ticket_id"]])
        except NoReverseMatch:
            link = ""
    if code == "objection.raised":
        subject = _("Objection to the dispatch of work order %(number)s") % params
        body = _("%(unit)s objects to the dispatch of work order %(number)s (%(title)s): %(reason_code)s.") % params
    elif code == "objection.upheld":
        subject = _("Objection upheld: work order %(number)s") % params
        body = _("Your objection to work order %(number)s (%(title)s) was upheld: it went to %(new_unit)s.") % params
    else:
        subject = _("Objection rejected: work order %(number)s") % params
        body = (
            _(
                "Your objection to work order %(number)s (%(title)s) was rejected; your unit keeps it. "
                "Reason: %(reason)s"
            )
            % params
        )
    return Message(subject=subject, body=body, link=link)


def _assist(code: str, data: dict) -> Message:
    """Lead and assisting units (协办): an assisting unit asked or released, the lead's handler told of an answer."""
    params = {
        "number": data.get("external_id", ""),
        "title": data.get("title", ""),
        "unit": data.get("unit_name", ""),
        "due": _due(data.get("due_at", "")),
    }
    link = ""
    if data.get("ticket_id"):
        try:
            link = reverse("tickets:detail", args=[data["ticket_id"]])
        except NoReverseMatch:
            link = ""
    if code == "ticket.assist_requested":
        subject = _("Your unit is asked to assist on work order %(number)s") % params
        body = (
            _(
                "Work order %(number)s (%(title)s): %(unit)s is an assisting unit. Record your findings and answer "
                "by %(due)s."
            )
            % params
        )
    elif code == "ticket.assist_released":
        subject = _("Released from assisting on work order %(number)s") % params
        body = _("Work order %(number)s (%(title)s): the dispatcher released %(unit)s; no answer is needed.") % params
    else:
        subject = _("An assisting unit answered on work order %(number)s") % params
        body = _("Work order %(number)s (%(title)s): %(unit)s recorded its findings.") % params
    return Message(subject=subject, body=body, link=link)


def render(code: str, data: dict, *, language: str | None = None, viewer=None) -> Message:
    """The subject and body of a notification, in `language` (the current one when None). `viewer`, the
    person reading it, decides which page a digest links to (the one they may open)."""
    with translation.override(language or translation.get_language()):
        message = _render(code, data, viewer)
    # Titles and the platform's urging messages are free text a citizen's number can sit in: every channel
    # (the bell, email, SMS) gets it masked.
    return Message(
        subject=mask_personal_numbers(message.subject), body=mask_personal_numbers(message.body), link=message.link
    )


def _render(code: str, data: dict, viewer) -> Message:
    if code == "escalation.digest":
        return _digest(data, viewer)
    if code.startswith("escalation.tier"):
        return _escalation(int(code.removeprefix("escalation.tier") or 0), data)
    if code == "ticket.urged":
        return _urged(data)
    if code == "ticket.returned":
        return _returned(data)
    if code.startswith("objection."):
        return _objection(code, data)
    if code in ("ticket.assist_requested", "ticket.assist_released", "ticket.assist_done"):
        return _assist(code, data)
    if code == "alert.opened":
        return _alert_opened(data)
    if code == "alert.ticket_joined":
        return _alert_ticket_joined(data)
    text = data.get("text") or code
    return Message(subject=str(data.get("subject") or text), body=str(text))
