"""The Jinja2 environment: the busiest pages whole, and the partials that repeat per row or per field.

Most pages are Django templates. A 50-row table in Django's template language cost ~12 ms of CPU a page
on this machine (every variable goes through Context lookups, every filter through its own machinery);
the same rows in Jinja2, compiled to Python, cost a tenth of that (docs/pagespeed.md). Two uses:

- partials (`render_partial`): a table, a form field, a step form, rendered into a Django template as a
  safe string; they get only what they are given (and the CSRF input when given the request);
- whole pages (the lists, the ticket page, the review dashboard): `{% extends "base.html" %}` of
  hotline/jinja2/base.html, rendered by the engine with the same context processors as Django's pages.
  The top bar is one Jinja2 partial (`topbar.html`) that Django's templates/base.html includes too, so
  both kinds of page show the same header.

Strings are translated with Django's own catalogues. `{{ _("Text") }}` is also what `makemessages`
extracts from a Django template, so the same msgids serve both engines. `makemessages` reads a Jinja2
file as a Django template and sees only `_("...")` without arguments: a string with placeholders,
plurals or a context is translated in Python (a view, a context processor or `page_text` below), where
`makemessages` finds it.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates
from django.forms.renderers import Jinja2 as Jinja2Renderer
from django.template import TemplateDoesNotExist, engines
from django.template.backends import jinja2 as jinja2_backend
from django.template.backends.utils import csrf_input_lazy, csrf_token_lazy
from django.template.defaultfilters import (
    capfirst,
    filesizeformat,
    linebreaks_filter,
    linebreaksbr,
    timesince_filter,
    truncatechars,
    yesno,
)
from django.template.defaultfilters import date as django_date
from django.templatetags.static import static
from django.test.signals import template_rendered
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
    env.install_gettext_callables(
        translation.gettext, translation.ngettext, newstyle=True, pgettext=translation.pgettext
    )
    env.filters.update(
        date=local_time_label,
        truncatechars=truncatechars,
        timesince=timesince_filter,
        linebreaks=linebreaks_filter,
        linebreaksbr=linebreaksbr,
        filesizeformat=filesizeformat,
        capfirst=capfirst,
        yesno=yesno,
    )
    env.globals.update(url=url, static=static, review_panel=_review_panel, cluster_alerts=_cluster_alerts)
    return env


def _review_panel(ticket, user):
    """reviews' panel on the ticket page (reviews/jinja2/reviews/ticket_review_panel.html): imported when first
    called, as Django's template tag libraries are, so that settings can name this module."""
    from reviews.templatetags.reviews_tags import review_panel

    return review_panel(ticket, user)


def _cluster_alerts(ticket, user):
    """alerts' flag on the ticket page (alerts/jinja2/alerts/ticket_flag.html): the alerts linking the ticket
    (one query) and whether the user may open an alert's page; imported when first called, like the panel."""
    from alerts.selectors import alerts_for_ticket

    return {"alerts": alerts_for_ticket(ticket), "can_open": user.has_perm("alerts.view_alerts")}


class PageTemplate(jinja2_backend.Template):
    """Django's Jinja2 template, which also tells the test client what it rendered.

    Django's test client learns `response.context` and `response.templates` from the `template_rendered`
    signal, which only Django's own template language sends (and only under test). Without listeners
    `send` returns at once, so outside tests this costs a function call.
    """

    @property
    def name(self) -> str:
        return self.template.name

    def render(self, context=None, request=None):
        context = {} if context is None else context
        if request is not None:
            context["request"] = request
            context["csrf_input"] = csrf_input_lazy(request)
            context["csrf_token"] = csrf_token_lazy(request)
            for context_processor in self.backend.template_context_processors:
                context.update(context_processor(request))
        template_rendered.send(sender=self, template=self, context=context)
        try:
            return self.template.render(context)
        except jinja2_backend.jinja2.TemplateSyntaxError as exc:
            new = jinja2_backend.TemplateSyntaxError(exc.args)
            new.template_debug = jinja2_backend.get_exception_info(exc)
            raise new from exc


class Jinja2(jinja2_backend.Jinja2):
    """Django's Jinja2 engine with PageTemplate (settings.TEMPLATES)."""

    def get_template(self, template_name):
        template = super().get_template(template_name)
        return PageTemplate(template.template, self)


def render_partial(template_name: str, context: dict, request=None) -> SafeString:
    """A Jinja2 partial as safe HTML for a Django template (the partial escapes what it prints).

    The partial gets only its context (no context processors: it is rendered many times a page); with
    the request it also has `csrf_input` and `csrf_token`, as Django's Jinja2 backend gives.
    """
    if request is not None:
        context = {**context, "csrf_input": csrf_input_lazy(request), "csrf_token": csrf_token_lazy(request)}
    html = engines["jinja2"].env.get_template(template_name).render(context)
    return mark_safe(html)  # noqa: S308 - autoescaped by the Jinja2 engine  # nosec B308, B703


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
