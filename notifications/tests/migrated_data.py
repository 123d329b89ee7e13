"""Transactional tests flush every table, data migrations' rows included; tests that run after one
and need roles, deadline rules or reminder rules put them back with this (idempotent)."""

import importlib

from django.apps import apps

DATA_MIGRATIONS = [
    ("org.migrations.0002_create_roles", "create_roles"),
    ("tickets.migrations.0002_categories_and_default_deadline_rules", "load"),
    ("tickets.migrations.0004_default_reminder_rules", "add_defaults"),
    ("tickets.migrations.0019_assisting_units", "add_assist_rule"),
]


def reload_migrated_data() -> None:
    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
