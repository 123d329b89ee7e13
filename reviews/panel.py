"""The review panel of a ticket page (reviews/jinja2/reviews/ticket_review_panel.html): the Jinja2 global
`review_panel`, named in settings.HOTLINE_TEMPLATE_GLOBALS."""

from django.utils.datastructures import MultiValueDict

from reviews.forms import ApproveForm, CallbackForm, ReturnForm
from reviews.selectors import callback_own_recorded_this_round, key_points_for_ticket

TYPED_KEY = "reviews.typed.%s"


def keep_typed(request, ticket, form_name: str) -> None:
    """A refused review or callback form: keep what was typed for the page the user is sent back to."""
    data = {key: request.POST.getlist(key) for key in request.POST if key not in ("csrfmiddlewaretoken", "next")}
    request.session[TYPED_KEY % ticket.pk] = {"form": form_name, "data": data}


def _typed(request, ticket) -> tuple[str, MultiValueDict | None]:
    kept = request.session.pop(TYPED_KEY % ticket.pk, None) if request is not None else None
    return (kept["form"], MultiValueDict(kept["data"])) if kept else ("", None)


def review_panel(ticket, user, request=None) -> dict:
    """What the review panel on a ticket page needs: the permissions, the forms and the matching key points.
    A form refused just before comes back bound to what was typed, with its errors (keep_typed)."""
    can_review = user.has_perm("reviews.review_ticket", ticket)
    may_callback = user.has_perm("reviews.record_callback", ticket)
    # One own callback per completion (callback_record refuses a second): the form goes once it is recorded.
    callback_done = may_callback and callback_own_recorded_this_round(ticket)
    can_callback = may_callback and not callback_done
    initial = {"version": ticket.version}
    typed_form, typed = _typed(request, ticket)

    def form(name, form_class, **options):
        if typed_form == name:
            bound = form_class(data=typed, **options)
            bound.is_valid()
            return bound
        return form_class(**options)

    return {
        "can_review": can_review,
        "can_callback": can_callback,
        "callback_done": callback_done,
        "approve_form": form("approve", ApproveForm, initial=initial, auto_id="id_approve_%s") if can_review else None,
        "return_form": form("return", ReturnForm, initial=initial, auto_id="id_return_%s") if can_review else None,
        "callback_form": form("callback", CallbackForm, auto_id="id_callback_%s") if can_callback else None,
        "key_points": list(key_points_for_ticket(ticket)),
    }
