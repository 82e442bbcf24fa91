"""A fake SMS provider for the crash-injection proof (ENTRAIDE_SMS_SENDER points here).

It records every SMS it accepts in the file named by FAKE_SMS_LOG (one delivery key a
line, flushed to disk before answering) and then takes FAKE_SMS_DELAY seconds to answer:
the window in which the proof kills the worker. Like a real provider with idempotency
keys, the handset receives one SMS per distinct delivery key.
"""

import os
import time


class RecordingSmsSender:
    def send(self, *, to: str, body: str, delivery_key: str) -> str:
        with open(os.environ["FAKE_SMS_LOG"], "a", encoding="utf-8") as log:
            log.write(f"{delivery_key}\n")
            log.flush()
            os.fsync(log.fileno())
        time.sleep(float(os.environ.get("FAKE_SMS_DELAY", "0")))
        return f"fake-{delivery_key}"


def received(path: str) -> list[str]:
    """Every accepted delivery key, in order, repeats included."""
    try:
        with open(path, encoding="utf-8") as log:
            return [line.strip() for line in log if line.strip()]
    except FileNotFoundError:
        return []
