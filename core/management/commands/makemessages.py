"""`makemessages` that reads the Jinja2 templates with Jinja2's own parser.

Django's command reads every template as a Django template, which finds in a Jinja2 page only `_("...")`
without arguments. A template under a `jinja2/` folder is handed to the project's Jinja2 environment
instead, which finds every translation the page asks for: `_("... %(name)s", name=...)`, `ngettext`,
`pgettext`, `npgettext` and `{% trans %}...{% pluralize %}...{% endtrans %}` blocks, with the msgids the
page looks up at run time. They are written as Python calls, each on its template line, into the file
that xgettext reads in place of the template (as Django does with its own templates).
"""

from collections import defaultdict
from pathlib import Path

from django.core.management.commands import makemessages
from django.template import engines
from django.utils.functional import cached_property

# What xgettext reads for each function: its message arguments (the count of a plural as `n`).
FUNCTIONS = {
    "_": "gettext",
    "gettext": "gettext",
    "pgettext": "pgettext",
    "ngettext": "ngettext",
    "npgettext": "npgettext",
}
MESSAGES = {"gettext": 1, "pgettext": 2, "ngettext": 2, "npgettext": 3}


def jinja2_calls(source: str) -> str:
    """The template's translations as Python calls, on the lines where the template has them."""
    calls: dict[int, list[str]] = defaultdict(list)
    for lineno, function, message in engines["jinja2"].env.extract_translations(source):
        name = FUNCTIONS[function]
        strings = message if isinstance(message, tuple) else (message,)
        arguments = [repr(string) for string in strings[: MESSAGES[name]]]
        if name in ("ngettext", "npgettext"):
            arguments.append("n")
        calls[lineno].append(f"{name}({', '.join(arguments)})")
    last = max(calls, default=0)
    return "\n".join("; ".join(calls.get(lineno, [])) for lineno in range(1, last + 1)) + "\n"


class BuildFile(makemessages.BuildFile):
    @cached_property
    def is_jinja2(self) -> bool:
        return self.is_templatized and "jinja2" in Path(self.path).parts[:-1]

    def preprocess(self):
        if not self.is_jinja2:
            return super().preprocess()
        source = Path(self.path).read_text(encoding="utf-8")
        Path(self.work_path).write_text(jinja2_calls(source), encoding="utf-8")


class Command(makemessages.Command):
    build_file_class = BuildFile
