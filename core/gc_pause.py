"""Pausing Python's cycle collector during bulk work.

Reading a 100,000-row sheet allocates millions of small objects and none of them
form cycles; the collector would still walk them all, again and again (a quarter
of an import's time). Reference counting keeps freeing memory meanwhile.
When the pause ends, what it allocated joins the oldest generation at once.
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
                # Everything allocated meanwhile is still "young": the next collections would walk
                # those millions of objects two or three times over. Moved to the oldest generation
                # at once instead (freeze + unfreeze: a splice of lists, nothing walked), they are
                # looked at only by the rare full collection.
                gc.freeze()
                gc.unfreeze()
                gc.enable()


paused_gc.was_enabled = True
