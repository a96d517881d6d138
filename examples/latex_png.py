"""Make the README's picture of symgrad's LaTeX: the real PDF, as a PNG.

    python examples/latex_png.py [--output docs/hessian.png] [symgrad options ...]

Runs ``symgrad ... --latex --standalone``, compiles the document with
``pdflatex -halt-on-error``, renders the page with ``pdftoppm`` (Debian's
poppler-utils) in grey, trims the white margins and writes a PNG. Only the
standard library and NumPy are used for the trimming and the PNG itself.
"""

from __future__ import annotations

import argparse
import shutil
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ["(x - 1)**2*y + x*exp(y*z) - z**3/3", "--hessian", "--latex-env", "pmatrix"]


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        sys.exit(f"error: {name} is not installed (apt-get install texlive-latex-base poppler-utils)")
    return path


def render_pdf(args: list[str], directory: Path) -> Path:
    tex = subprocess.run(
        [sys.executable, "-m", "symgrad", *args, "--latex", "--standalone"],
        capture_output=True, text=True, check=True,
    ).stdout
    # a page with no page number, so that the trimmed picture is the maths alone
    tex = tex.replace("\\begin{document}", "\\pagestyle{empty}\n\\begin{document}", 1)
    (directory / "doc.tex").write_text(tex, encoding="utf-8")
    subprocess.run(
        [tool("pdflatex"), "-halt-on-error", "-interaction=nonstopmode", "doc.tex"],
        cwd=directory, check=True, capture_output=True,
    )
    return directory / "doc.pdf"


def read_pgm(path: Path) -> np.ndarray:
    """A binary PGM (P5, 8-bit) as a 2-D array."""
    data = path.read_bytes()
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:  # magic, width, height, maxval
        while data[pos : pos + 1].isspace():
            pos += 1
        start = pos
        while not data[pos : pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    assert fields[0] == b"P5" and int(fields[3]) == 255, "expected an 8-bit binary PGM"
    width, height = int(fields[1]), int(fields[2])
    return np.frombuffer(data[pos + 1 : pos + 1 + width * height], dtype=np.uint8).reshape(height, width)


def trim(image: np.ndarray, margin: int = 12) -> np.ndarray:
    ink = np.argwhere(image < 250)
    (top, left), (bottom, right) = ink.min(axis=0), ink.max(axis=0)
    h, w = image.shape
    return image[max(0, top - margin) : min(h, bottom + margin + 1), max(0, left - margin) : min(w, right + margin + 1)]


def write_png(image: np.ndarray, path: Path) -> None:
    """A greyscale 8-bit PNG: signature, IHDR, one IDAT, IEND."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    height, width = image.shape
    rows = b"".join(b"\x00" + image[r].tobytes() for r in range(height))  # filter type 0 per row
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
    path.write_bytes(png + chunk(b"IEND", b""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "hessian.png")
    parser.add_argument("--dpi", type=int, default=150)
    options, symgrad_args = parser.parse_known_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        pdf = render_pdf(symgrad_args or DEFAULT, directory)
        subprocess.run(
            [tool("pdftoppm"), "-gray", "-r", str(options.dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(directory / "page")],
            check=True, capture_output=True,
        )
        image = trim(read_pgm(directory / "page.pgm"))
    options.output.parent.mkdir(parents=True, exist_ok=True)
    write_png(image, options.output)
    print(f"wrote {options.output} ({image.shape[1]}x{image.shape[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
