"""The visitor's input at the glass: the dock under the screen, the on-screen keyboard, the
kiosk's own pad, the kinds of input a field asks for, and the guard against double taps."""
