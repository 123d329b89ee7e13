"""The Jinja2 environment for the few partials that repeat per row (the ticket tables of the list pages).

Pages are Django templates. A 50-row table in Django's template language cost ~12 ms of CPU a page on
this machine (every variable goes through Context lookups, every filter through its own machinery);
the same rows in Jinja2, compiled to Python, cost a tenth of that (docs/pagespeed.md). A view renders
such a partial with `render_partial` and hands the HTML to its Django template as a safe string.

Strings are translated with Django's own catalogues: `{{ _("Text") }}` in a partial is also what
`makemessages` extracts from a Django template, so the same msgids serve both engines.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates
from django.forms.renderers import Jinja2 as Jinja2Renderer
from django.template import TemplateDoesNotExist, engines
from django.template.defaultfilters import date as django_date
from django.template.defaultfilters import timesince_filter, truncatechars
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from jinja2 import Environment

# Django date formats with a strftime equivalent that prints the same (digits only, no names to translate):
# strftime is a C call, Django's DateFormat a Python object per value.
STRFTIME = {"Y-m-d H:i": "%Y-%m-%d %H:%M", "Y-m-d": "%Y-%m-%d"}


def local_time_label(value, format_string: str) -> str:
    """Django's `date` filter in the current time zone, as a Django template shows a datetime."""
    if value is None or value == "":
        return ""
    if getattr(value, "tzinfo", None) is not None:
        value = timezone.localtime(value)
    if format_string in STRFTIME:
        return value.strftime(STRFTIME[format_string])
    return django_date(value, format_string)


def url(name: str, *args) -> str:
    return reverse(name, args=args)


def environment(**options) -> Environment:
    options.pop("autoescape", None)  # always on, whatever the settings say: partials print user text
    env = Environment(autoescape=True, extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(translation.gettext, translation.ngettext, newstyle=True)
    env.filters.update(date=local_time_label, truncatechars=truncatechars, timesince=timesince_filter)
    env.globals.update(url=url)
    return env


def render_partial(template_name: str, context: dict, request=None) -> SafeString:
    """A Jinja2 partial as safe HTML for a Django template (the partial escapes what it prints).

    With the request, the partial also has `csrf_input` and `csrf_token`, as Django's Jinja2 backend gives.
    """
    html = engines["jinja2"].get_template(template_name).render(context, request)
    return mark_safe(html)  # noqa: S308


class FormRenderer(BaseRenderer):
    """Django's own form and widget templates through Jinja2 (Django ships both versions), any other
    template through Django's engine (the admin's widgets exist only as Django templates).

    A widget rendered through Django's template language cost ~0.3 ms of CPU; the ticket page shows about
    twenty of them. Jinja2's copies of the same templates print the same HTML.
    """

    def __init__(self):
        self.jinja2 = Jinja2Renderer()
        self.django = DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self.jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self.django.get_template(template_name)
