"""The reserve of references that keeps True alive despite the PySide6 6.12 bug."""

import sys

from kiosk.ui import refguard


def test_the_reserve_is_held_and_topped_up_only_when_short():
    refguard.top_up_true()
    assert sys.getrefcount(True) - refguard._BASELINE >= refguard.RESERVE
    assert refguard.top_up_true() == 0, "intact: nothing added"
    del refguard._held[-1000:]  # what the binding's lost references look like from here
    refguard.top_up_true()  # other live objects may hold True too: the reserve is what counts
    assert sys.getrefcount(True) - refguard._BASELINE >= refguard.RESERVE
