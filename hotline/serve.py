"""`make run`: the web app, a Celery worker and beat in one terminal; Ctrl-C stops all three.

Not for production (README.md says how to run each part for real); this is the one command a
newcomer types on a fresh machine.
"""

import os
import signal
import subprocess
import sys
import time

PYTHON = sys.executable


def main() -> int:
    port = os.environ.get("PORT", "8000")
    if not port.isdigit():
        print(f"PORT={port!r} is not a port number", file=sys.stderr)
        return 2
    bin_dir = os.path.dirname(PYTHON)
    commands = {
        "web": [
            os.path.join(bin_dir, "gunicorn"),
            "hotline.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            os.environ.get("WEB_CONCURRENCY", "2"),
            "--access-logfile",
            "-",
        ],
        "worker": [PYTHON, "-m", "celery", "-A", "hotline", "worker", "--loglevel", "INFO", "--concurrency", "2"],
        "beat": [PYTHON, "-m", "celery", "-A", "hotline", "beat", "--loglevel", "INFO"],
    }
    processes = {name: subprocess.Popen(command) for name, command in commands.items()}
    print(f"\nHotline is running at http://127.0.0.1:{port}/  (Ctrl-C stops it)\n", flush=True)
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for name, process in processes.items():
            if process.poll() is not None:
                print(f"{name} exited with {process.returncode}; stopping the others.", file=sys.stderr)
                exit_code = process.returncode or 1
                stopping = True
        time.sleep(0.5)
    for process in processes.values():
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + 15
    for process in processes.values():
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
