"""The text of each notification code, built in the recipient's language (never stored translated)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Message:
    subject: str
    body: str


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
        subject = _("Urging: work order %(number)s is due today") % params
        body = _("Work order %(number)s (%(title)s): only the due day is left for “%(clock)s” (due %(due)s).")
    else:
        subject = _("Warning: work order %(number)s is overdue") % params
        body = _("Work order %(number)s (%(title)s) is overdue: “%(clock)s” was due %(due)s.")
    return Message(subject=subject, body=body % params)


def _urged(data: dict) -> Message:
    params = {"number": data.get("external_id", ""), "message": data.get("message", "")}
    return Message(
        subject=_("The platform urges work order %(number)s") % params,
        body=_("The platform urges work order %(number)s: %(message)s") % params,
    )


def render(code: str, data: dict, *, language: str | None = None) -> Message:
    """The subject and body of a notification, in `language` (the current one when None)."""
    with translation.override(language or translation.get_language()):
        if code.startswith("escalation.tier"):
            return _escalation(int(code.removeprefix("escalation.tier") or 0), data)
        if code == "ticket.urged":
            return _urged(data)
        text = data.get("text") or code
        return Message(subject=str(data.get("subject") or text), body=str(text))
