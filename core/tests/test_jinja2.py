"""The pages' engine: its globals from settings, the one pager, and the makemessages that reads its templates."""

from pathlib import Path

from django.conf import settings
from django.core.paginator import Paginator
from django.template import engines
from django.utils import translation

from core.jinja2 import environment
from core.management.commands.makemessages import jinja2_calls


def test_environment_globals_are_the_functions_named_in_settings(settings):
    settings.HOTLINE_TEMPLATE_GLOBALS = {"page_title": "django.utils.text.capfirst"}

    env = environment()

    assert env.from_string("{{ page_title('work orders') }}").render() == "Work orders"


def test_environment_without_the_setting_has_only_its_own_globals(settings):
    del settings.HOTLINE_TEMPLATE_GLOBALS

    env = environment()

    assert ("review_panel" in env.globals, "url" in env.globals) == (False, True)


def test_pager_keeps_the_list_parameters_and_counts_the_pages(rf):
    page = Paginator(list(range(45)), 20).page(2)
    request = rf.get("/reviews/returns/", {"unit": "7", "page": "2"})

    pager = engines["jinja2"].env.get_template("pager.html")

    with translation.override("en"):
        html = pager.render({"request": request, "page_obj": page, "is_paginated": True})

    assert html.split() == [
        '<nav', 'class="pager"', 'aria-label="Pages">',
        '<a', 'class="button"', 'href="?unit=7&amp;page=1">Previous</a>',
        '<span', 'class="muted">Page', '2', 'of', '3', '·', '45', 'in', 'all</span>',
        '<a', 'class="button"', 'href="?unit=7&amp;page=3">Next</a>',
        "</nav>",
    ]  # fmt: skip


def test_pager_prints_nothing_for_a_single_page(rf):
    page = Paginator([1, 2], 20).page(1)

    html = (
        engines["jinja2"]
        .env.get_template("pager.html")
        .render({"request": rf.get("/"), "page_obj": page, "is_paginated": False})
    )

    assert html == ""


def test_makemessages_reads_every_translation_form_of_a_jinja2_page_on_its_line():
    source = "\n".join(
        [
            '<h1>{{ _("Home") }}</h1>',
            '<p>{{ _("Welcome, %(name)s", name=user.display_name) }} {{ pgettext("button", "Filter") }}</p>',
            "{% trans counter=n %}{{ counter }} work order{% pluralize %}{{ counter }} work orders{% endtrans %}",
            '{{ ngettext("%(num)s day", "%(num)s days", days) }}',
        ]
    )

    calls = jinja2_calls(source)

    assert calls.splitlines() == [
        "gettext('Home')",
        "gettext('Welcome, %(name)s'); pgettext('button', 'Filter')",
        "ngettext('%(counter)s work order', '%(counter)s work orders', n)",
        "ngettext('%(num)s day', '%(num)s days', n)",
    ]


def test_no_app_ships_a_django_template_but_for_the_admin():
    """The application's pages are Jinja2 only: a Django template of an app would be a second base layout. The
    Django admin keeps its own engine, so an app may extend an admin page (templates/admin/...)."""
    base = Path(settings.BASE_DIR)

    files = sorted(
        str(path.relative_to(base))
        for path in base.glob("*/templates/**/*")
        if path.is_file() and path.relative_to(base).parts[2] != "admin"
    )

    assert files == []
