"""Tests of the service layer (kiosk.services) over the real store, bureau and printers."""
