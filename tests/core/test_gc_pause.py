"""The cycle collector paused for bulk work, and what was allocated meanwhile left in peace afterwards."""

from __future__ import annotations

import gc

from core.gc_pause import paused_gc


def test_paused_then_resumed_with_the_new_objects_in_the_oldest_generation():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():  # nested: still paused when the inner one ends
            pass
        assert not gc.isenabled()
        made = [[n] for n in range(50_000)]  # lists are tracked by the collector (small dicts may not be)
    assert gc.isenabled()
    assert gc.get_count()[0] < 1_000  # nothing young left for the next collection to walk
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert id(made) in oldest and id(made[-1]) in oldest
    cycle = []
    cycle.append(cycle)
    del cycle, made
    assert gc.collect() >= 1  # still collected by a full collection: nothing is frozen for good


def test_a_collector_turned_off_before_stays_off():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
