"""An SMS sender for tests that run a real worker: each text is a line in a file, and the sender can be made to
hang (a gateway that stops answering) so that the test can kill the worker in the middle of a delivery."""

import os
import time
from pathlib import Path


class FileSMSBackend:
    """Appends each text to $HOTLINE_TEST_SMS_FILE; once it holds $HOTLINE_TEST_SMS_HANG_AFTER lines (when set),
    the next send hangs before it sends anything."""

    def send(self, *, phone: str, text: str) -> None:
        path = Path(os.environ["HOTLINE_TEST_SMS_FILE"])
        hang_after = int(os.environ.get("HOTLINE_TEST_SMS_HANG_AFTER") or 0)
        if hang_after and path.exists() and len(path.read_text().splitlines()) >= hang_after:
            time.sleep(3600)
        with path.open("a") as outbox:
            outbox.write(f"{phone} {' '.join(text.split())}\n")
