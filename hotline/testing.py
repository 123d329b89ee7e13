"""Helpers for tests that need a real service: they fail in CI and may skip elsewhere."""

import os
import shutil
import socket

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("HOTLINE_CHROMIUM", "/usr/bin/chromium")


def need(condition: bool, why: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI needs this and cannot have it: {why}")
    pytest.skip(why)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def need_redis(url: str = "redis://127.0.0.1:6379/0") -> str:
    need(port_open("127.0.0.1", 6379), "Redis is not running on 127.0.0.1:6379")
    return url


def need_chromium() -> str:
    need(
        os.path.exists(CHROMIUM) or shutil.which("chromium") is not None,
        "Debian's chromium is not installed (apt-get install chromium fonts-wqy-microhei)",
    )
    return CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
