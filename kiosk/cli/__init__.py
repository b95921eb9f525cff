"""The command line beside ``kiosk run``: commands that work on the stores and the bureau.

Registered on kiosk.app's parser; each command builds what it needs from the
settings (composition level) and calls into the store or the sync module.
"""

from kiosk.cli.database import register as register_database_commands

__all__ = ["register_database_commands"]
