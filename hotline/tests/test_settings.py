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
