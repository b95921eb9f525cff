"""README's layout section names every module of the tree, and the submit path is real.

The layout is read from README.md's "## Layout" code block; every top-level module and
package of kiosk/, every module of kiosk/ui and kiosk/services must be named there (a
new one cannot slip past), and the "From the 提交 tap to the bureau row" list names at
most eight modules, each of which exists.
"""

from __future__ import annotations

import re
from pathlib import Path

import kiosk

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(kiosk.__file__).parent


def section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(title)
    end = text.find("\n## ", start + len(title))
    return text[start : end if end != -1 else None]


def test_the_layout_names_every_module_of_the_tree() -> None:
    layout = section("## Layout")
    block = layout[layout.index("```") : layout.index("```", layout.index("```") + 3)]
    names = set(re.findall(r"[\w]+", block))
    top = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    top |= {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()}
    ui = {p.stem for p in (PACKAGE / "ui").glob("*.py") if p.stem != "__init__"}
    ui |= {p.name for p in (PACKAGE / "ui").iterdir() if p.is_dir() and p.name != "__pycache__"}
    services = {p.stem for p in (PACKAGE / "services").glob("*.py") if p.stem != "__init__"}
    missing = sorted((top | ui | services) - names)
    assert not missing, f"README's layout does not name: {missing}"


def test_the_submit_path_names_at_most_eight_modules_that_exist() -> None:
    path = section("**From the 提交 tap to the bureau row**")
    steps = re.findall(r"^\d+\. `(kiosk/[\w/]+\.py)`", path, re.M)
    assert 1 <= len(steps) <= 8
    assert steps[0] == "kiosk/ui/screens/preview.py" and steps[-1] == "kiosk/store/gateway.py"
    for module in re.findall(r"`((?:kiosk|store)/[\w/]+\.py)`", path):
        relative = module if module.startswith("kiosk/") else f"kiosk/{module}"
        assert (ROOT / relative).is_file(), module
