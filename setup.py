"""Build hook: the bureau's catalog.yaml lives at the repository root; a wheel carries a copy.

Everything else about the package is in pyproject.toml.  The root file is the one
the bureau reads and edits; ``kiosk.SHIPPED_CATALOG`` finds it there in a source
tree (and so in an editable install, which runs from the tree), and inside the
package in a wheel, where this hook copies it at build time
(tests/test_packaging.py builds a wheel and loads the copy).
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithCatalog(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the root file itself
        self.copy_file(
            str(ROOT / "catalog.yaml"), str(Path(self.build_lib) / "kiosk" / "catalog.yaml")
        )


setup(cmdclass={"build_py": BuildWithCatalog})
