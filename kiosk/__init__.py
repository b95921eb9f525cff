"""一窗通 — the self-service kiosk of a one-stop administrative approval bureau."""

from pathlib import Path

__version__ = "0.1.0"

SHIPPED_CATALOG = Path(__file__).with_name("catalog.yaml")
