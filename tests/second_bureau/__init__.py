"""A second, smaller bureau's catalog (山北乡) for the tests and the demo: see catalog.yaml."""

from pathlib import Path

SECOND_CATALOG = Path(__file__).with_name("catalog.yaml")
