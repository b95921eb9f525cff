"""``kiosk demo``: a scripted visit through the real window, typed on its own keyboard.

Outside the kiosk's production import graph: only the ``demo`` command and the
tests import this package.  ``person`` taps and types as a visitor does;
``visit`` is the script of the visit; ``staff`` is the guide's part.
"""

from kiosk.ui.demo.visit import DemoVisit, finish_work, page_of, run_demo, settle

__all__ = ["DemoVisit", "finish_work", "page_of", "run_demo", "settle"]
