"""The database fixtures of tests/store, visible here."""

from tests.store.conftest import pg_server  # noqa: F401 (a fixture, used by name)
