"""The review panel of a ticket page (reviews/jinja2/reviews/ticket_review_panel.html): the Jinja2 global
`review_panel`, named in settings.HOTLINE_TEMPLATE_GLOBALS."""

from reviews.forms import ApproveForm, CallbackForm, ReturnForm
from reviews.selectors import callback_own_recorded_this_round, key_points_for_ticket


def review_panel(ticket, user) -> dict:
    """What the review panel on a ticket page needs: the permissions, the forms and the matching key points."""
    can_review = user.has_perm("reviews.review_ticket", ticket)
    may_callback = user.has_perm("reviews.record_callback", ticket)
    # One own callback per completion (callback_record refuses a second): the form goes once it is recorded.
    callback_done = may_callback and callback_own_recorded_this_round(ticket)
    can_callback = may_callback and not callback_done
    initial = {"version": ticket.version}
    return {
        "can_review": can_review,
        "can_callback": can_callback,
        "callback_done": callback_done,
        "approve_form": ApproveForm(initial=initial, auto_id="id_approve_%s") if can_review else None,
        "return_form": ReturnForm(initial=initial, auto_id="id_return_%s") if can_review else None,
        "callback_form": CallbackForm(auto_id="id_callback_%s") if can_callback else None,
        "key_points": list(key_points_for_ticket(ticket)),
    }
