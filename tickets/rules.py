"""Permission names for work orders. Every view and endpoint asks these, never roles directly."""

import rules
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from org.rules import (
    is_administrator,
    is_bureau_leader,
    is_dispatcher,
    is_handler,
    is_section_chief,
    is_section_reviewer,
    is_unit_deputy,
    is_unit_leader,
)
from tickets.choices import (
    HANDLING_STATUSES,
    OPEN_STATUSES,
    REDISPATCHABLE,
    AssistStatus,
    Clock,
    ClockStatus,
    ObjectionStatus,
    RequestKind,
    Status,
    Track,
)
from workdays import calendar


@rules.predicate
def same_bureau(user, ticket) -> bool:
    return ticket is not None and user.unit_id is not None and user.unit.bureau_id == ticket.bureau_id


@rules.predicate
def of_my_unit(user, ticket) -> bool:
    return ticket is not None and user.unit_id is not None and ticket.unit_id == user.unit_id


@rules.predicate
def is_my_ticket(user, ticket) -> bool:
    return ticket is not None and ticket.handler_id == user.pk


def in_status(*statuses: str) -> rules.Predicate:
    """The state half of a step's rule: the ticket is in one of these statuses."""
    allowed = frozenset(statuses)

    def holds(user, ticket) -> bool:
        return ticket is not None and ticket.status in allowed

    return rules.Predicate(holds, name=f"in_status({', '.join(sorted(allowed))})")


@rules.predicate
def is_merged(user, ticket) -> bool:
    """Merged under a master (并单): it follows the master and takes no step but the split."""
    return ticket is not None and ticket.merged_into_id is not None


# Merged from (docs/duplicates.md): open and not under review (tickets.services.merging.MERGEABLE_STATUSES).
may_be_merged = in_status(Status.RECEIVED, Status.DISPATCHED, Status.ACCEPTED, Status.IN_PROGRESS)
awaits_dispatch = in_status(Status.RECEIVED, *REDISPATCHABLE)
awaits_signing = in_status(Status.DISPATCHED)  # also when the dispatcher may recall it
is_being_handled = in_status(*HANDLING_STATUSES)
is_received = in_status(Status.RECEIVED)
awaits_first_contact = in_status(Status.ACCEPTED)
awaits_reply = in_status(Status.IN_PROGRESS, Status.REOPENED)


def _clocks(ticket) -> list:
    """The ticket's clocks: those the ticket page loaded (clock_list), else read once and kept on it."""
    if getattr(ticket, "clock_list", None) is None:
        ticket.clock_list = list(ticket.clocks.all())
    return ticket.clock_list


def _pending_kinds(ticket) -> set[str]:
    if getattr(ticket, "pending_requests", None) is None:
        ticket.pending_requests = list(ticket.requests.filter(status="pending"))
    return {request.kind for request in ticket.pending_requests}


def _running(ticket, *statuses: str) -> list:
    """The lead unit's clocks in these statuses (an assisting unit's clock is not the lead's to pause or extend)."""
    return [clock for clock in _clocks(ticket) if clock.status in statuses and clock.unit_id is None]


def assists_of(ticket) -> list:
    """The ticket's assisting units (TicketAssist, with their unit): those the ticket page loaded (assist_list),
    else read once and kept on it."""
    if getattr(ticket, "assist_list", None) is None:
        ticket.assist_list = list(ticket.assists.select_related("unit").order_by("requested_at", "id"))
    return ticket.assist_list


def assists_outstanding(ticket) -> list:
    """The assisting units that have neither answered nor been released (协办未反馈)."""
    return [assist for assist in assists_of(ticket) if assist.status == AssistStatus.REQUESTED]


@rules.predicate
def awaits_assists(user, ticket) -> bool:
    return ticket is not None and bool(assists_outstanding(ticket))


@rules.predicate
def is_assisting_unit(user, ticket) -> bool:
    """The user's unit is (or was) named an assisting unit of this work order."""
    return (
        ticket is not None and user.unit_id is not None and any(a.unit_id == user.unit_id for a in assists_of(ticket))
    )


@rules.predicate
def my_unit_assist_requested(user, ticket) -> bool:
    """The user's unit is asked to assist and has not answered yet (nor been released)."""
    return ticket is not None and any(a.unit_id == user.unit_id for a in assists_outstanding(ticket))


@rules.predicate
def has_open_clock(user, ticket) -> bool:
    return ticket is not None and bool(_running(ticket, ClockStatus.OPEN))


@rules.predicate
def has_paused_clock(user, ticket) -> bool:
    return ticket is not None and bool(_running(ticket, ClockStatus.PAUSED))


@rules.predicate
def has_overdue_clock(user, ticket) -> bool:
    """A running clock already past its deadline: pausing it needs the section's approval (a pause request)."""
    from django.utils import timezone

    now = timezone.now()
    return ticket is not None and any(clock.due_at < now for clock in _running(ticket, ClockStatus.OPEN))


@rules.predicate
def has_running_clock(user, ticket) -> bool:
    return ticket is not None and bool(_running(ticket, ClockStatus.OPEN, ClockStatus.PAUSED))


@rules.predicate
def awaits_acceptance_decision(user, ticket) -> bool:
    """A complaint whose acceptance clock runs (the decision is due; once met it is taken)."""
    running = _running(ticket, ClockStatus.OPEN, ClockStatus.PAUSED) if ticket is not None else []
    return (
        ticket is not None
        and Track.COMPLAINT in ticket.tracks_expected
        and any(clock.clock == Clock.ACCEPTANCE for clock in running)
    )


@rules.predicate
def reporter_waits(user, ticket) -> bool:
    """A real-name reporter waits for the filing decision: the clock starts only for one (ticket_submit_reply)."""
    running = _running(ticket, ClockStatus.OPEN, ClockStatus.PAUSED) if ticket is not None else []
    return any(clock.clock == Clock.REPORTER_NOTICE for clock in running)


@rules.predicate
def extension_pending(user, ticket) -> bool:
    return ticket is not None and RequestKind.EXTENSION in _pending_kinds(ticket)


@rules.predicate
def pause_pending(user, ticket) -> bool:
    return ticket is not None and RequestKind.PAUSE in _pending_kinds(ticket)


@rules.predicate
def return_pending(user, ticket) -> bool:
    return ticket is not None and RequestKind.RETURN_TO_PLATFORM in _pending_kinds(ticket)


def _objections(ticket) -> list:
    """The ticket's dispatch objections: those the ticket page loaded (objection_list), else read once and kept."""
    if getattr(ticket, "objection_list", None) is None:
        ticket.objection_list = list(ticket.objections.all())
    return ticket.objection_list


def objection_window_end(dispatched_at):
    """The end of the window to object to a dispatch made at `dispatched_at`: the setting's working hours later."""
    return calendar.add_working_hours(dispatched_at, settings.HOTLINE_OBJECTION_WINDOW_WORKING_HOURS)


@rules.predicate
def in_objection_window(user, ticket) -> bool:
    return (
        ticket is not None
        and ticket.dispatched_at is not None
        and timezone.now() <= objection_window_end(ticket.dispatched_at)
    )


@rules.predicate
def objection_pending(user, ticket) -> bool:
    return ticket is not None and any(o.status == ObjectionStatus.PENDING for o in _objections(ticket))


@rules.predicate
def objection_rejected_for_my_unit(user, ticket) -> bool:
    """A rejected objection is not raised again by the same unit on the same work order."""
    return ticket is not None and any(
        o.status == ObjectionStatus.REJECTED and o.unit_id == user.unit_id for o in _objections(ticket)
    )


@rules.predicate
def is_confidential(user, ticket) -> bool:
    return ticket is not None and ticket.is_confidential


@rules.predicate
def holds_confidential_role(user) -> bool:
    """A role settings.HOTLINE_CONFIDENTIAL_REVEAL_ROLES names: held, not implied by being a superuser."""
    return bool(
        user and user.is_authenticated and user.role_codes.intersection(settings.HOTLINE_CONFIDENTIAL_REVEAL_ROLES)
    )


is_bureau_wide = is_dispatcher | is_section_reviewer | is_section_chief | is_bureau_leader | is_administrator
is_unit_staff = is_handler | is_unit_deputy | is_unit_leader
can_see = (is_bureau_wide & same_bureau) | (is_unit_staff & of_my_unit)
unit_handles = is_unit_staff & of_my_unit

# Who works on a ticket, and in which of its states (the steps below are built from these).
may_dispatch = is_dispatcher & same_bureau & awaits_dispatch
may_handle = is_handler & of_my_unit & is_being_handled
may_ask_approval = unit_handles & is_being_handled
# Telling a real-name reporter the filing decision (Art. 31): whenever that clock runs, past unit review too.
may_notify_reporter = is_handler & of_my_unit

rules.add_perm("tickets.view_ticket", can_see)
rules.add_perm("tickets.handle_ticket", may_handle)
rules.add_perm("tickets.request_approval", may_ask_approval)
rules.add_perm("tickets.notify_reporter", may_notify_reporter)
rules.add_perm("tickets.decide_request", (is_section_reviewer | is_section_chief) & same_bureau)
# The dispatcher's reviewer (the section) upholds an objection (re-dispatches) or rejects it.
rules.add_perm("tickets.decide_objection", (is_section_reviewer | is_section_chief) & same_bureau)
# A confidential work order (保密) reveals nothing to those who may usually reveal: only to a named role.
rules.add_perm(
    "tickets.reveal_personal_data",
    (~is_confidential & (((is_dispatcher | is_section_chief | is_section_reviewer) & same_bureau) | unit_handles))
    | (is_confidential & holds_confidential_role & can_see),
)

# ---------------------------------------------------------------- the steps on a work order
# Whether this user may take this step on this ticket now: the ticket page shows a step's form, and the
# page's and the API's view accept it, only when its permission holds (always asked with the ticket; the
# services enforce the same states). A step is who (`role`) and when (`state`); STEP_ROLES keeps the who,
# so that a refusal to someone who has it says "the work order moved on" (409), not "forbidden" (403).
STEP_ROLES: dict[str, rules.Predicate] = {}


def add_step(name: str, role: rules.Predicate, state: rules.Predicate | None = None, *, when_merged=False) -> None:
    """A merged work order takes no step of its own (it follows its master) but those that say `when_merged`."""
    STEP_ROLES[name] = role
    if not when_merged:
        state = ~is_merged if state is None else state & ~is_merged
    rules.add_perm(name, role & state)


add_step("tickets.dispatch_ticket", is_dispatcher & same_bureau, awaits_dispatch)
add_step("tickets.recall_ticket", is_dispatcher & same_bureau, awaits_signing)
add_step("tickets.accept_ticket", unit_handles, awaits_signing)
add_step("tickets.record_first_contact", is_handler & of_my_unit, awaits_first_contact)
# The lead unit's reply goes to review only when every assisting unit has answered or was released (协办):
# refused with the outstanding units named (step_refusal), alike on the page, its action and the API.
add_step("tickets.submit_reply", is_handler & of_my_unit, awaits_reply & ~awaits_assists)
add_step("tickets.record_acceptance", may_handle, awaits_acceptance_decision)
add_step("tickets.record_reporter_notice", may_notify_reporter, reporter_waits)
# A clock already overdue is not paused by the unit alone: the handler asks, the section decides (a request).
add_step("tickets.pause_clocks", may_handle, has_open_clock & ~has_overdue_clock)
add_step("tickets.request_pause", may_handle, has_open_clock & has_overdue_clock & ~pause_pending)
add_step("tickets.resume_clocks", may_handle, has_paused_clock)
add_step("tickets.request_extension", may_ask_approval, has_running_clock & ~extension_pending)
add_step("tickets.request_return", may_ask_approval | (may_dispatch & is_received), ~return_pending)
add_step("tickets.add_attachment", may_handle | may_ask_approval | may_dispatch)
# 归档: the section files a completed work order (the documents app makes its archive sheet on that decision).
add_step("tickets.archive_ticket", (is_section_reviewer | is_section_chief) & same_bureau, in_status(Status.COMPLETED))
# 派单异议 (docs/dispatch.md): the unit holding it, within the window after the dispatch, once a rejection aside.
add_step(
    "tickets.object_to_dispatch",
    unit_handles,
    in_status(*REDISPATCHABLE) & in_objection_window & ~objection_pending & ~objection_rejected_for_my_unit,
)
add_step("tickets.merge_ticket", is_dispatcher & same_bureau, may_be_merged)
# 协办: an assisting unit's staff answer "done" with their findings; the dispatcher (or the section) releases one.
add_step("tickets.assist_done", is_unit_staff & is_assisting_unit, in_status(*OPEN_STATUSES) & my_unit_assist_requested)
add_step(
    "tickets.assist_release",
    (is_dispatcher | is_section_reviewer | is_section_chief) & same_bureau,
    in_status(*OPEN_STATUSES) & awaits_assists,
)
add_step("tickets.split_ticket", is_dispatcher & same_bureau, is_merged, when_merged=True)


def step_refusal(user, name: str, ticket) -> str:
    """Why a step is refused to someone who holds its role, when the reason is more than "the work order moved
    on": the lead unit's reply while assisting units have not answered, naming them. Empty otherwise. The page
    shows it where the form would be, its action and the API answer it (409)."""
    if name != "tickets.submit_reply" or ticket is None or not STEP_ROLES[name].test(user, ticket):
        return ""
    if ticket.merged_into_id is not None or not awaits_reply.test(user, ticket):
        return ""
    outstanding = assists_outstanding(ticket)
    if not outstanding:
        return ""
    return assists_outstanding_message(outstanding)


def assists_outstanding_message(outstanding: list) -> str:
    names = gettext(", ").join(assist.unit.name for assist in outstanding)
    return gettext(
        "The reply can go to review only when every assisting unit has answered or been released. "
        "Not yet answered: %(units)s."
    ) % {"units": names}


def step_moved_on(user, name: str, ticket, seen_version: int | None) -> bool:
    """A refused step: did the ticket move on since the user saw it at `seen_version`?

    Yes when the ticket's version is newer than the one seen (a second click, a colleague's change), or when
    the user has the step's role and only the ticket's state refuses it (a step that keeps the version: the
    clock it meets is met, the request it opens is pending). No for a user without the role (403).
    """
    if seen_version is None or seen_version > ticket.version:
        return False
    return seen_version < ticket.version or STEP_ROLES[name].test(user, ticket)


# Permissions about pages and lists (checked without an object).
rules.add_perm("tickets.search_tickets", is_bureau_wide | is_unit_staff)
rules.add_perm("tickets.view_my_work", is_handler)
rules.add_perm("tickets.view_unit_queue", is_unit_staff)
rules.add_perm("tickets.view_inbox", is_dispatcher)
rules.add_perm("tickets.create_ticket", is_dispatcher)
rules.add_perm("tickets.view_requests", is_section_reviewer | is_section_chief)
rules.add_perm("tickets.view_objections", is_section_reviewer | is_section_chief)
rules.add_perm("tickets.manage_rules", is_administrator)
