import pytest

from core.process_cache import ProcessCache
from tickets.models import Category


class Loads:
    def __init__(self):
        self.count = 0

    def __call__(self):
        self.count += 1
        return sorted(Category.objects.filter(is_active=True).values_list("code", flat=True))


@pytest.fixture
def loads():
    return Loads()


def test_process_cache_loads_once_while_fresh(db, loads):
    cache = ProcessCache(loads)

    first, second = cache.get(), cache.get()

    assert (first, second, loads.count) == (second, first, 1)


def test_process_cache_loads_again_once_stale(db, loads):
    cache = ProcessCache(loads, seconds=0)

    cache.get()
    cache.get()

    assert loads.count == 2


def test_process_cache_saving_a_named_model_drops_the_copy(reference_data, loads):
    cache = ProcessCache(loads, invalidated_by=[Category])
    assert "education" in cache.get()
    category = Category.objects.get(code="education")

    category.is_active = False
    category.save()

    assert "education" not in cache.get()
    assert loads.count == 2


def test_process_cache_deleting_a_named_model_drops_the_copy(reference_data, loads):
    cache = ProcessCache(loads, invalidated_by=[Category])
    Category.objects.create(code="zz-new", name="新类别")
    assert "zz-new" in cache.get()

    Category.objects.get(code="zz-new").delete()

    assert "zz-new" not in cache.get()


def test_process_cache_other_models_leave_the_copy(reference_data, loads):
    from org.models import Role

    cache = ProcessCache(loads, invalidated_by=[Category])
    cache.get()

    Role.objects.create(code="zz-role", name="角色")
    cache.get()

    assert loads.count == 1


def test_process_cache_a_load_overtaken_by_a_change_is_not_kept(db):
    answers = iter(["read before the change", "read after"])
    cache = None

    def load():
        answer = next(answers)
        if answer == "read before the change":
            cache.invalidate()  # a change committed while this load was reading
        return answer

    cache = ProcessCache(load)

    assert (cache.get(), cache.get(), cache.get()) == ("read before the change", "read after", "read after")
