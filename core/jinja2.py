"""The Jinja2 environment of every application page (settings.TEMPLATES; the admin keeps Django's own).

Jinja2 compiles a template to Python: a 50-row table cost a tenth of the CPU of Django's template language
(docs/pagespeed.md). Pages live in each app's jinja2/ folder and `{% extends "base.html" %}`
(core/jinja2/base.html, with the top bar, the messages and the one pager beside it); the engine gives them
the request, `csrf_input` and settings.PAGE_CONTEXT_PROCESSORS. The error pages are here too: 500.html is
rendered without a request, so it uses no context processor's value.

Strings are translated with Django's catalogues through Jinja2's i18n extension (newstyle gettext):
`{{ _("Text") }}`, `{{ _("Hello %(name)s", name=...) }}`, `{{ pgettext("button", "Filter") }}` and
`{% trans count=n %}...{% pluralize %}...{% endtrans %}`. The project's `makemessages`
(core/management/commands/makemessages.py) reads these templates with Jinja2's own parser, so every form
reaches the catalogues. Functions of feature apps that pages call (the ticket page's review panel, its alert
flag) are named in settings.HOTLINE_TEMPLATE_GLOBALS: this module imports no feature app.
"""

from django.conf import settings
from django.forms.renderers import BaseRenderer, DjangoTemplates
from django.forms.renderers import Jinja2 as Jinja2Renderer
from django.template import TemplateDoesNotExist
from django.template.backends import jinja2 as jinja2_backend
from django.template.backends.utils import csrf_input_lazy, csrf_token_lazy
from django.template.defaultfilters import (
    capfirst,
    filesizeformat,
    floatformat,
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
from django.utils.module_loading import import_string
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


def query_without(request, name: str) -> str:
    """The request's query string less one parameter: the pager's links keep a list's filters."""
    params = request.GET.copy()
    params.pop(name, None)
    return params.urlencode()


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
        floatformat=floatformat,
        yesno=yesno,
    )
    env.globals.update(
        url=url, static=static, query_without=query_without, get_current_language=translation.get_language
    )
    # The feature apps' functions (the ticket page's review panel, its alert flag) are named in settings, each
    # app's entry beside the others: this module imports no feature app.
    env.globals.update(
        {name: import_string(path) for name, path in getattr(settings, "HOTLINE_TEMPLATE_GLOBALS", {}).items()}
    )
    return env


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
