"""Queries whose SQL Django's ORM writes once per database connection, for the two reads of every request.

Every signed-in request reads its session row and then its user (org.backends.StaffBackend). Each is one
short query, but Django's ORM builds and compiles the queryset again each time: about 0.3 ms of CPU for
the session and 0.7 ms for the user (a join, an aggregate and a GROUP BY), five to ten times what
running the SQL costs. `PreparedQuery` lets the ORM write the SQL the first time a connection needs it
and then only executes it, with the same converters Django would apply to the rows.

The SQL is Django's own for the queryset (nothing is written by hand), kept per connection object (so
per thread, and per database vendor), and its parameters must be exactly the arguments in order: that
is checked when it is compiled. The queries still go through `connection.cursor()`, so query counting
(tests, DEBUG, execute wrappers) sees them as before.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

# Each PreparedQuery's key on a connection. Not id(self): a query freed and another made later may get the
# same id, and would then run the first one's SQL.
_keys = itertools.count()


@dataclass(frozen=True)
class Compiled:
    sql: str
    compiler: SQLCompiler  # select, klass_info and annotation_col_map say what each column is
    converters: dict

    def instances(self, rows: list) -> list:
        """Model instances from the rows, with their select_related objects and annotations, as
        django.db.models.query.ModelIterable makes them."""
        compiler = self.compiler
        select, klass_info, annotation_col_map = compiler.select, compiler.klass_info, compiler.annotation_col_map
        model_cls = klass_info["model"]
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, compiler.using)
        objects = []
        for row in rows:
            obj = model_cls.from_db(compiler.using, init_list, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for attr_name, position in annotation_col_map.items():
                setattr(obj, attr_name, row[position])
            objects.append(obj)
        return objects


class PreparedQuery:
    """`build(*arguments)` (a queryset of plain rows) compiled once per connection, executed per call.

    The arguments must be plain values that reach the database unchanged (ints, strings) and be the
    query's only parameters, in order; `rows()` refuses a queryset for which that is not so.
    """

    def __init__(self, build: Callable[..., QuerySet], *, using: str = "default"):
        self.build = build
        self.using = using
        self._key = f"_hotline_prepared_{next(_keys)}"

    def compiled(self, arguments: tuple) -> Compiled:
        connection = connections[self.using]
        compiled = connection.__dict__.get(self._key)
        if compiled is None:
            compiler = self.build(*arguments).query.get_compiler(using=self.using)
            sql, params = compiler.as_sql()
            if tuple(params) != arguments:
                raise ValueError(f"the query's parameters {params!r} are not its arguments {arguments!r}")
            converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
            compiled = Compiled(sql, compiler, converters)
            connection.__dict__[self._key] = compiled
        return compiled

    def rows(self, *arguments) -> tuple[Compiled, list]:
        """The rows (lists of values, converted as the ORM converts them) and what was compiled."""
        if not all(type(argument) in (int, str) for argument in arguments):
            raise TypeError("prepared queries take ints and strings only")
        compiled = self.compiled(arguments)
        connection = connections[self.using]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, arguments)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        return compiled, rows

    def instances(self, *arguments) -> list:
        """What `list(build(*arguments))` answers (model instances), without building the queryset."""
        compiled, rows = self.rows(*arguments)
        return compiled.instances(rows)
