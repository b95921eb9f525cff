"""Guide-staff (导服) mode in the window: hidden entry, PIN pad, the staff panel, assisted entry,
and the ID-card reader button on form pages.

:class:`~kiosk.ui.staff.mode.StaffMode` is built by the window (one line) and owns
everything here; each panel page is its own module.  Nothing in this package is
reachable by a visitor except through the PIN pad.
"""
