"""A progress bar on stderr for long runs (only when stderr is a terminal)."""

import sys


class Progress:
    def __init__(self, total, label, enabled=None):
        self.total = max(total, 1)
        self.label = label
        self.done = 0
        self.enabled = sys.stderr.isatty() if enabled is None else enabled

    def advance(self, count):
        self.done += count
        if not self.enabled:
            return
        width = 30
        filled = int(width * min(self.done, self.total) / self.total)
        bar = "#" * filled + "." * (width - filled)
        sys.stderr.write(f"\r{self.label} [{bar}] {self.done}/{self.total}")
        sys.stderr.flush()

    def close(self):
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()
