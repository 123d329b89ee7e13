"""The ticket page: facts, clocks, timeline, tracks, attachments, and the forms of the steps this user may take."""

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views import View

from org.selectors import unit_names_by_code
from tickets import duplicates, selectors, timeline
from tickets.choices import ClockStatus, Status
from tickets.display import calendar_warning, clock_badge, clock_days_left
from tickets.forms import (
    AcceptanceForm,
    AssistDoneForm,
    AssistReleaseForm,
    AttachmentForm,
    DispatchForm,
    ExtensionForm,
    FirstContactForm,
    MergeForm,
    NoteForm,
    ObjectionForm,
    PauseForm,
    ReplyForm,
    ReporterNoticeForm,
    ReturnRequestForm,
)
from tickets.masking import PERSONAL_FIELDS, masked
from tickets.models import Ticket
from tickets.rules import assists_outstanding, objection_window_end, step_refusal
from tickets.suggestions import Suggestion, suggestion_for

# The page's steps: the key of the step's form -> the step's permission (tickets/rules.py), which the page's
# action view and the staff API's ask too.
STEPS = {
    "dispatch": "tickets.dispatch_ticket",
    "recall": "tickets.recall_ticket",
    "accept": "tickets.accept_ticket",
    "first_contact": "tickets.record_first_contact",
    "reply": "tickets.submit_reply",
    "acceptance": "tickets.record_acceptance",
    "reporter_notice": "tickets.record_reporter_notice",
    "pause": "tickets.pause_clocks",
    "pause_request": "tickets.request_pause",
    "resume": "tickets.resume_clocks",
    "extension": "tickets.request_extension",
    "return_request": "tickets.request_return",
    "upload": "tickets.add_attachment",
    "archive": "tickets.archive_ticket",
    "merge": "tickets.merge_ticket",
    "split": "tickets.split_ticket",
    "objection": "tickets.object_to_dispatch",
    "assist_done": "tickets.assist_done",
    "assist_release": "tickets.assist_release",
}


def ticket_permissions(user, ticket: Ticket) -> dict[str, bool]:
    """What this user may do here: each step's permission, and the two that are no step of the ticket."""
    can = {key: user.has_perm(name, ticket) for key, name in STEPS.items()}
    can["reveal_personal_data"] = user.has_perm("tickets.reveal_personal_data", ticket)
    can["decide_request"] = user.has_perm("tickets.decide_request", ticket)
    can["decide_objection"] = user.has_perm("tickets.decide_objection", ticket)
    return can


def build_forms(request, ticket: Ticket, can: dict, suggestion: Suggestion | None = None) -> dict:
    """Unbound forms for every step shown; a failed POST replaces its own one with the bound form."""
    forms = {}
    if can["dispatch"]:
        forms["dispatch"] = DispatchForm(
            ticket=ticket, units=selectors.unit_choices_for_user(request.user), suggestion=suggestion
        )
    if can["recall"]:
        forms["recall"] = NoteForm(ticket=ticket, prefix="recall")
    if can["accept"]:
        forms["accept"] = NoteForm(ticket=ticket, prefix="accept")
    if can["first_contact"]:
        forms["first_contact"] = FirstContactForm(ticket=ticket, prefix="contact")
    if can["reply"]:
        forms["reply"] = ReplyForm(ticket=ticket)
    if can["acceptance"]:
        forms["acceptance"] = AcceptanceForm(ticket=ticket, prefix="acceptance")
    if can["reporter_notice"]:
        forms["reporter_notice"] = ReporterNoticeForm(ticket=ticket, prefix="reporter")
    if can["pause"]:
        forms["pause"] = PauseForm(ticket=ticket, prefix="pause")
    if can["pause_request"]:
        forms["pause_request"] = PauseForm(ticket=ticket, prefix="pause")
    if can["resume"]:
        forms["resume"] = NoteForm(ticket=ticket, prefix="resume")
    if can["extension"]:
        running = [
            c.clock
            for c in ticket.clock_list
            if c.status in (ClockStatus.OPEN, ClockStatus.PAUSED) and c.unit_id is None
        ]
        forms["extension"] = ExtensionForm(ticket=ticket, clocks=running, prefix="extension")
    if can["return_request"]:
        forms["return_request"] = ReturnRequestForm(ticket=ticket, prefix="return")
    if can["archive"]:
        forms["archive"] = NoteForm(ticket=ticket, prefix="archive")
    if can["upload"]:
        forms["upload"] = AttachmentForm(ticket=ticket, prefix="upload")
    if can["merge"]:
        forms["merge"] = MergeForm(ticket=ticket, prefix="merge")
    if can["split"]:
        forms["split"] = NoteForm(ticket=ticket, prefix="split")
    if can["objection"]:
        forms["objection"] = ObjectionForm(ticket=ticket, prefix="objection")
    if can["assist_done"]:
        forms["assist_done"] = AssistDoneForm(ticket=ticket, prefix="assist")
    if can["assist_release"]:
        forms["assist_release"] = AssistReleaseForm(
            ticket=ticket, prefix="release", assists=assists_outstanding(ticket)
        )
    return forms


def clock_rows(clocks) -> list[dict]:
    """The deadline panel: each clock with its badge and its wording (plurals are Python's: hotline/jinja2.py)."""
    rows = []
    for clock in clocks:
        if clock.status == ClockStatus.OPEN:
            days = clock_days_left(clock)
            if days < 0:
                badge_text = ngettext("overdue %(days)s working day", "overdue %(days)s working days", abs(days)) % {
                    "days": abs(days)
                }
            else:
                badge_text = ngettext("%(days)s working day left", "%(days)s working days left", days) % {"days": days}
        else:
            badge_text = clock.get_status_display()
        rows.append(
            {
                "clock": clock,
                "badge_css": clock_badge(clock),
                "badge_text": badge_text,
                "extended_text": gettext("extended +%(days)s") % {"days": clock.extended_working_days}
                if clock.extended_working_days
                else "",
                "paused_text": gettext("paused %(days)s") % {"days": clock.paused_working_days}
                if clock.paused_working_days
                else "",
                "warning_text": calendar_warning(clock.calendar_warning) if clock.calendar_warning else "",
            }
        )
    return rows


def render_detail(
    request,
    ticket_pk: int,
    *,
    bound: dict | None = None,
    status: int = 200,
    conflict: str = "",
    revealed: dict | None = None,
):
    ticket = selectors.ticket_detail_for_user(request.user, ticket_pk)
    can = ticket_permissions(request.user, ticket)
    if not request.user.has_perm("tickets.view_ticket", ticket):
        # found only as an assisting unit's (协办): the limited page, without the lead unit's steps and panels
        return render_assisting(request, ticket, can, bound=bound, status=status, conflict=conflict)
    # The catalogue's suggestion, for a first dispatch (a re-dispatch is a decision about the unit that has it).
    suggestion = suggestion_for(ticket) if can["dispatch"] and ticket.status == Status.RECEIVED else None
    forms = build_forms(request, ticket, can, suggestion)
    forms.update(bound or {})
    revealed = revealed or {}
    personal = [
        {
            "field": field,
            "label": Ticket._meta.get_field(field).verbose_name,
            "value": revealed.get(field, masked(ticket, field)),
            "is_revealed": field in revealed,
            "is_empty": not getattr(ticket, field),
        }
        for field in PERSONAL_FIELDS
    ]
    unit_names = unit_names_by_code(ticket.bureau_id)
    visible = selectors.ticket_events_for_timeline(ticket)
    events = [
        {
            "event": event,
            "label": timeline.event_label(event.code, ticket),
            "by": timeline.event_by(event),
            "details": timeline.event_details(event, unit_names),
        }
        for event in visible
    ]
    merging = merge_context(request.user, ticket, can)
    suggested_assisting = []
    if suggestion is not None and suggestion.assisting_unit_ids and "dispatch" in forms:
        units = {unit.pk: unit for unit in forms["dispatch"].fields["assisting_units"].queryset}
        suggested_assisting = [units[pk] for pk in suggestion.assisting_unit_ids if pk in units]
    context = {
        "assists": assist_rows(ticket.assist_list),
        "reply_refusal": step_refusal(request.user, "tickets.submit_reply", ticket),
        "suggested_assisting": suggested_assisting,
        **merging,
        "ticket": ticket,
        "can": can,
        "forms": forms,
        "personal": personal,
        "timeline": events,
        "redo": timeline.redo_open(ticket, visible),
        "clocks": clock_rows(ticket.clock_list),
        "conflict": conflict,
        "suggestion": suggestion,
        **objection_context(request.user, ticket, can),
        "has_results": bool(ticket.reply_text) or any(t.finding or t.outcome for t in ticket.track_list),
    }
    return render(request, "tickets/ticket_detail.html", context, status=status, using="jinja2")


def objection_context(user, ticket: Ticket, can: dict) -> dict:
    """The objections panel: the work order's objections, the window's end for the unit that may object, the
    units to re-dispatch to for the section deciding a pending one."""
    pending = next((o for o in ticket.objection_list if o.status == "pending"), None)
    return {
        "objections": ticket.objection_list,
        "objection_window_end": objection_window_end(ticket.dispatched_at) if can["objection"] else None,
        "objection_hours": settings.HOTLINE_OBJECTION_WINDOW_WORKING_HOURS,
        "objection_units": list(selectors.unit_choices_for_user(user))
        if pending is not None and can["decide_objection"]
        else [],
    }


def assist_rows(assists) -> list[dict]:
    """The assisting units panel (协办): each unit, its state, its due time and its answer."""
    return [
        {"assist": assist, "is_late": assist.status == "requested" and assist.due_at < timezone.now()}
        for assist in assists
    ]


def render_assisting(request, ticket: Ticket, can: dict, *, bound=None, status=200, conflict=""):
    """The ticket page as an assisting unit sees it: the request (personal data masked, none to reveal), its own
    assistance with its deadline and the answer form, the files and the timeline; nothing of the lead's steps."""
    forms = {"assist_done": AssistDoneForm(ticket=ticket, prefix="assist")} if can["assist_done"] else {}
    forms.update({key: form for key, form in (bound or {}).items() if key == "assist_done"})
    unit_id = request.user.unit_id
    mine = [assist for assist in ticket.assist_list if assist.unit_id == unit_id]
    clock_ids = {assist.clock_id for assist in mine}
    visible = selectors.ticket_events_for_timeline(ticket)
    unit_names = unit_names_by_code(ticket.bureau_id)
    context = {
        "ticket": ticket,
        "can": can,
        "forms": forms,
        "conflict": conflict,
        "assists": assist_rows(mine),
        "clocks": clock_rows([clock for clock in ticket.clock_list if clock.pk in clock_ids]),
        "timeline": [
            {
                "event": event,
                "label": timeline.event_label(event.code),
                "by": timeline.event_by(event),
                "details": timeline.event_details(event, unit_names),
            }
            for event in visible
        ],
    }
    return render(request, "tickets/ticket_assisting.html", context, status=status, using="jinja2")


def merge_context(user, ticket: Ticket, can: dict) -> dict:
    """The merge panel (docs/duplicates.md): the master of a merged work order (one query, when merged) and, for
    who may merge, the possible duplicates and the work orders merged into this one (two queries)."""
    found = {"master": None, "merged_tickets": [], "duplicates": []}
    ids = duplicates.proposals_for([ticket.pk])[ticket.pk] if can["merge"] else []
    condition = Q(pk=ticket.merged_into_id) if ticket.merged_into_id else Q(pk__in=ids) | Q(merged_into=ticket)
    if not (ticket.merged_into_id or can["merge"]):
        return found
    related = list(
        selectors.ticket_list_for_user(user)
        .filter(condition)
        .only("pk", "external_id", "title", "status", "merged_into_id", "received_at")
        .order_by("-received_at", "-pk")
    )
    found["master"] = next((t for t in related if t.pk == ticket.merged_into_id), None)
    found["merged_tickets"] = [t for t in related if t.merged_into_id == ticket.pk]
    found["duplicates"] = [t for t in related if t.pk in ids]
    return found


class TicketDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return render_detail(request, pk)
