"""Permission names for work orders. Every view and endpoint asks these, never roles directly."""

import rules
from django.conf import settings

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
from tickets.choices import HANDLING_STATUSES, REDISPATCHABLE, Status


@rules.predicate
def same_bureau(user, ticket) -> bool:
    return ticket is not None and user.unit_id is not None and user.unit.bureau_id == ticket.bureau_id


@rules.predicate
def of_my_unit(user, ticket) -> bool:
    return ticket is not None and user.unit_id is not None and ticket.unit_id == user.unit_id


@rules.predicate
def is_my_ticket(user, ticket) -> bool:
    return ticket is not None and ticket.handler_id == user.pk


@rules.predicate
def awaits_dispatch(user, ticket) -> bool:
    return ticket is not None and ticket.status in (Status.RECEIVED, *REDISPATCHABLE)


@rules.predicate
def awaits_signing(user, ticket) -> bool:
    return ticket is not None and ticket.status == Status.DISPATCHED


@rules.predicate
def is_being_handled(user, ticket) -> bool:
    return ticket is not None and ticket.status in HANDLING_STATUSES


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

# Permissions about one ticket (always checked with the ticket).
rules.add_perm("tickets.view_ticket", can_see)
rules.add_perm("tickets.dispatch_ticket", is_dispatcher & same_bureau & awaits_dispatch)
rules.add_perm("tickets.accept_ticket", unit_handles & awaits_signing)
rules.add_perm("tickets.handle_ticket", is_handler & of_my_unit & is_being_handled)
rules.add_perm("tickets.request_approval", unit_handles & is_being_handled)
# Telling a real-name reporter the filing decision (Art. 31): whenever the reporter-notice clock runs, which
# the ticket page checks (ticket_permissions) and the service enforces; it may run past unit review.
rules.add_perm("tickets.notify_reporter", is_handler & of_my_unit)
rules.add_perm("tickets.decide_request", (is_section_reviewer | is_section_chief) & same_bureau)
# A confidential work order (保密) reveals nothing to those who may usually reveal: only to a named role.
rules.add_perm(
    "tickets.reveal_personal_data",
    (~is_confidential & (((is_dispatcher | is_section_chief | is_section_reviewer) & same_bureau) | unit_handles))
    | (is_confidential & holds_confidential_role & can_see),
)

# Permissions about pages and lists (checked without an object).
rules.add_perm("tickets.search_tickets", is_bureau_wide | is_unit_staff)
rules.add_perm("tickets.view_my_work", is_handler)
rules.add_perm("tickets.view_unit_queue", is_unit_staff)
rules.add_perm("tickets.view_inbox", is_dispatcher)
rules.add_perm("tickets.create_ticket", is_dispatcher)
rules.add_perm("tickets.view_requests", is_section_reviewer | is_section_chief)
rules.add_perm("tickets.manage_rules", is_administrator)
