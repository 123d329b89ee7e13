"""Typed readers for environment variables.

Every setting that production changes comes through here, so that a wrong value stops
the process at start with a message naming the variable, instead of misbehaving later.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true/false, 1/0, yes/no, on/off).")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not a whole number.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


# What Django's `check --deploy` calls a weak key (security.W009), and the placeholders shipped in the source.
INSECURE_SECRET_KEY_PREFIX = "django-insecure-"
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def env_secret_key(*, debug: bool, development_key: str) -> str:
    """SECRET_KEY from the environment; without DEBUG, a missing or placeholder key stops the start.

    Sessions, password-reset links and CSRF tokens are signed with it: a server running on the key written in
    the source would accept anything signed by whoever read the source."""
    value = os.environ.get("SECRET_KEY", "")
    if debug:
        return value or development_key
    if not value:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off: set it to at least 50 random characters "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))'), or set DEBUG=true "
            "on a developer's machine."
        )
    if (
        value.startswith(INSECURE_SECRET_KEY_PREFIX)
        or value.startswith("change-me")
        or len(value) < SECRET_KEY_MIN_LENGTH
        or len(set(value)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
    ):
        raise ImproperlyConfigured(
            f"SECRET_KEY is a placeholder or too weak for DEBUG off: use at least {SECRET_KEY_MIN_LENGTH} random "
            "characters (for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    return value
