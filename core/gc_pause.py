"""Pausing Python's cycle collector during bulk work.

Reading a 100,000-row sheet allocates millions of small objects and none of them
form cycles; the collector would still walk them all, again and again (a quarter
of an import's time). Reference counting keeps freeing memory meanwhile.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # nested or concurrent pauses: the collector resumes when the last one ends


@contextmanager
def paused_gc():
    global _depth
    with _lock:
        if _depth == 0:
            was_enabled = gc.isenabled()
            gc.disable()
            paused_gc.was_enabled = was_enabled
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and paused_gc.was_enabled:
                gc.enable()


paused_gc.was_enabled = True
