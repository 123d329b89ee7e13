"""Reference data kept per process: rows that change a few times a year, read on every intake.

The working-day calendar (workdays.calendar) started the pattern; deadline rules, reminder rules and
categories follow it through `ProcessCache`: the value is loaded in one query when first asked for and
kept for `seconds`. Saving or deleting a row of a model it names (admin, shell, tests) drops the copy of
this process at once and again after the commit (another thread may have reloaded the old rows in
between); other processes see the change within `seconds`, as with the calendar. A `.update()` or
`bulk_create` sends no signal: code that writes these models in bulk calls `invalidate()` itself.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from django.db import transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

CACHE_SECONDS = 60


class ProcessCache(Generic[T]):
    every: list[ProcessCache] = []  # for tests: conftest drops them all around each test

    def __init__(self, load: Callable[[], T], *, invalidated_by: Iterable[type] = (), seconds: float = CACHE_SECONDS):
        self._load = load
        self.seconds = seconds
        self._lock = threading.Lock()
        self._value: T | None = None
        self._loaded_at: float | None = None
        # Bumped by invalidate(): a load that started before it must not store what it read.
        self._generation = 0
        for model in invalidated_by:
            for signal in (post_save, post_delete):
                signal.connect(self._changed, sender=model, weak=False, dispatch_uid=f"{id(self)}-{model.__name__}")
        ProcessCache.every.append(self)

    def get(self) -> T:
        with self._lock:
            if self._loaded_at is not None and time.monotonic() - self._loaded_at < self.seconds:
                return self._value
            generation = self._generation
        value = self._load()
        with self._lock:
            if generation == self._generation:
                self._value, self._loaded_at = value, time.monotonic()
        return value

    def invalidate(self) -> None:
        with self._lock:
            self._generation += 1
            self._value, self._loaded_at = None, None

    def _changed(self, **kwargs) -> None:
        self.invalidate()
        transaction.on_commit(self.invalidate, using=kwargs.get("using"))


def invalidate_all() -> None:
    for cache in ProcessCache.every:
        cache.invalidate()
