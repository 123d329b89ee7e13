"""`{% form_field field %}`: one form field (label, widget, help, errors), rendered by Jinja2.

It replaces `{% include "_field.html" %}`: an include per field was most of a form page's template time
(hotline/jinja2.py, docs/pagespeed.md).
"""

from django import template

from core.jinja2 import render_partial

register = template.Library()


@register.simple_tag
def form_field(field):
    return render_partial("field.html", {"f": field})
