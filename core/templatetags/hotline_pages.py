"""`{% topbar %}` and `{% page_messages %}`: the Jinja2 partials of the page chrome, for Django's base.html.

The busiest pages are Jinja2 throughout (hotline/jinja2/base.html); the others are Django templates. Both
show the same top bar and messages from the same partials.
"""

from django import template

from core.jinja2 import render_partial

register = template.Library()

TOPBAR_KEYS = ("request", "user", "nav_items", "LANGUAGE_CODE", "notifications_bell", "calendar_warning_text")


@register.simple_tag(takes_context=True)
def topbar(context):
    values = {key: context.get(key) for key in TOPBAR_KEYS}
    return render_partial("topbar.html", values, request=values["request"])


@register.simple_tag(takes_context=True)
def page_messages(context):
    return render_partial("messages.html", {"messages": context.get("messages")})
