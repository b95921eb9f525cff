"""Reading printed PDFs back: text (pypdf), fonts (pdffonts), a rendered page (pdftoppm)."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

import pypdf


def pages_text(pdf: bytes | Path) -> list[str]:
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    reader = pypdf.PdfReader(io.BytesIO(data))
    return [page.extract_text() or "" for page in reader.pages]


def first_page_text(pdf: bytes) -> str:
    return pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or ""


def text(pdf: bytes | Path) -> str:
    return "\n".join(pages_text(pdf))


def squash(value: str) -> str:
    """Text with all whitespace gone: line wrapping must not change what was printed."""
    return re.sub(r"\s+", "", value)


def fonts(path: Path) -> list[dict[str, str]]:
    """pdffonts' table: one dict per font (name, type, emb, sub, uni)."""
    out = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True, timeout=30
    ).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) < 7:
            continue
        # name, type (may be two words), encoding, emb, sub, uni, object, id
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def render_png(path: Path, out_dir: Path, dpi: int = 50) -> Path:
    prefix = out_dir / path.stem
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", str(path), str(prefix)],
        check=True,
        timeout=60,
        capture_output=True,
    )
    (png,) = out_dir.glob(f"{path.stem}*.png")
    return png


def body_text(pdf: bytes, bottom: float, top: float) -> list[str]:
    """Each page's text drawn between two heights (points): the body without header/footer."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = []
    for page in reader.pages:
        parts: list[str] = []

        def visit(
            text: str, cm: list[float], tm: list[float], *_: object, parts: list[str] = parts
        ) -> None:
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if bottom < y < top:
                parts.append(text)

        page.extract_text(visitor_text=visit)
        pages.append("".join(parts))
    return pages
