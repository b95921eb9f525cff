"""One module per screen of the kiosk window; each a ScreenPage built from a ScreenContext."""
