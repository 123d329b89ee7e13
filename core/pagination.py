"""Paging of the HTML lists: a page number from the address never answers 404 or 500.

Django's ListView answers 404 for `?page=abc`, `?page=0` or a page past the end; a bookmarked or edited
address then looks like a missing page. Staff get the page they most likely meant instead.
"""

from django.core.paginator import Page, Paginator


def page_for(paginator: Paginator, number) -> Page:
    """Page 1 for anything that is not a whole number or is below 1, the last page for a number past the end.

    Like Paginator.get_page, except that 0 and negative numbers give the first page, not the last. "last"
    gives the last page, as Django's ListView does. One count, as before: `num_pages` is cached.
    """
    if number == "last":
        return paginator.page(paginator.num_pages)
    try:
        number = int(number)
    except (TypeError, ValueError):  # ValueError also for digit strings longer than int() accepts
        number = 1
    return paginator.get_page(max(number, 1))


class LenientPageMixin:
    """For a ListView (before ListView in the bases): `?page=` never answers 404, see page_for()."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        page = page_for(paginator, self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()
