"""Settings read from the environment at start-up: checked in a fresh interpreter (they are read once, at import)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def settings_value(name: str, env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "WHITENOISE_USE_FINDERS")}
    return subprocess.run(
        [sys.executable, "-c", f"import hotline.settings as s; print(s.{name})"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "false"}, "False"),
        ({"DEBUG": "true"}, "True"),
        ({"DEBUG": "false", "WHITENOISE_USE_FINDERS": "true"}, "True"),
        ({"DEBUG": "true", "WHITENOISE_USE_FINDERS": "false"}, "False"),
    ],
)
def test_whitenoise_use_finders_comes_from_the_environment_defaulting_to_debug(env, expected):
    # QA: a demo with DEBUG=false could not be told to serve static files from the source folders.
    result = settings_value("WHITENOISE_USE_FINDERS", env)

    assert (result.returncode, result.stdout.strip()) == (0, expected), result.stderr


def test_whitenoise_use_finders_nonsense_stops_the_start():
    result = settings_value("WHITENOISE_USE_FINDERS", {"WHITENOISE_USE_FINDERS": "maybe"})

    assert result.returncode != 0
    assert "WHITENOISE_USE_FINDERS" in result.stderr


def settings_without_secret_key(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    return subprocess.run(
        [sys.executable, "-c", "import hotline.settings as s; print(s.SECRET_KEY)"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_secret_key_missing_with_debug_off_stops_the_start():
    # Issue 14: with DEBUG off and no SECRET_KEY, Hotline ran on the fallback key written in the source.
    result = settings_without_secret_key({"DEBUG": "false"})

    assert result.returncode == 1
    assert "ImproperlyConfigured: SECRET_KEY is required when DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    "key",
    [
        "change-me-to-50-random-characters",  # .env.example's placeholder
        "django-insecure-" + "x1y2z3" * 10,
        "short-but-random-9f8e7d",
        "a" * 60,
    ],
)
def test_secret_key_placeholder_or_weak_with_debug_off_stops_the_start(key):
    result = settings_without_secret_key({"DEBUG": "false", "SECRET_KEY": key})

    assert result.returncode == 1
    assert "ImproperlyConfigured: SECRET_KEY is a placeholder or too weak" in result.stderr


def test_secret_key_missing_with_debug_on_uses_the_development_key():
    result = settings_without_secret_key({"DEBUG": "true"})

    assert (result.returncode, result.stdout.strip()) == (0, "django-insecure-hotline-development-key-change-me")


def test_secret_key_given_with_debug_off_is_used():
    key = "Zq8vN2kR5tW9yB3mC6fH1jL4pS7uX0aE-d2g5i8k1n4q7t0w3z6"

    result = settings_without_secret_key({"DEBUG": "false", "SECRET_KEY": key})

    assert (result.returncode, result.stdout.strip()) == (0, key)
