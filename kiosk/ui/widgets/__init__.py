"""Widgets the screens share: header, overlays, keypad, field inputs, touch lists."""
