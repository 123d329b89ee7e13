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


def database_url_for_subprocess() -> str:
    """The test database as a URL, so a Celery worker started by a test uses the same one."""
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or "5432"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def start_celery_worker(var_dir, *, broker_url: str, env: dict | None = None):
    """A real `celery worker --beat` (solo pool) on the test database; returns (process, log path)."""
    import subprocess
    import sys

    from django.conf import settings

    environment = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocess(),
        "CELERY_BROKER_URL": broker_url,
        "HOTLINE_VAR_DIR": str(var_dir),
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "hotline",
        "worker",
        "--beat",
        "--pool",
        "solo",
        "--loglevel",
        "INFO",
        "--schedule",
        str(var_dir / "beat-schedule"),
    ]
    log_path = var_dir / "worker.log"
    log = log_path.open("wb")
    # a session (process group) of its own: `--beat` runs beat in a child process, which a test that kills the worker
    # with SIGKILL must kill too (kill_process_group), or it outlives the test run
    process = subprocess.Popen(
        command, env=environment, stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR, start_new_session=True
    )
    return process, log_path


def kill_process_group(process, sig) -> None:
    """Send `sig` to a process started in a session of its own (start_celery_worker) and to its children."""
    import contextlib

    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def stop_process(process) -> None:
    import subprocess

    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def free_port() -> int:
    """A port nothing listens on now (the system's choice): for a server a test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_redis(directory, port: int | None = None):
    """Our own redis-server on a free port (so the test can stop it); returns (process, port)."""
    import subprocess
    import time

    need(shutil.which("redis-server") is not None, "redis-server is not installed (apt-get install redis-server)")
    port = port or free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        + ["--dir", str(directory)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(50):
        if port_open("127.0.0.1", port):
            return process, port
        time.sleep(0.1)
    process.kill()
    pytest.fail(f"redis-server did not start on port {port}")
