"""SPARQL workers are shared fairly: no client holds them all, a waiting client is next."""

from __future__ import annotations

import threading
import time

from kb.serve.sparql import FairSlots


def test_one_client_cannot_take_every_worker() -> None:
    slots = FairSlots(3)
    assert slots.acquire("heavy", 1) and slots.acquire("heavy", 1)
    assert not slots.acquire("heavy", 0.2)  # the last place is kept for somebody else
    assert slots.acquire("normal", 0.2)


def test_a_waiting_client_goes_before_a_looping_one() -> None:
    slots = FairSlots(1)
    assert slots.acquire("heavy", 1)
    got: list[bool] = []
    waiter = threading.Thread(target=lambda: got.append(slots.acquire("normal", 5)))
    waiter.start()
    time.sleep(0.2)
    slots.release("heavy")
    # The heavy client asks again at once, but the normal one has waited longer.
    assert not slots.acquire("heavy", 0.5)
    waiter.join(5)
    assert got == [True]
    slots.release("normal")
    assert slots.acquire("heavy", 1)
