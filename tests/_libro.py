"""Building the book from the tests: the real command, as an instructor runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent


def ejecutar_libro(*argumentos: str, raiz: Path = RAIZ, entorno: dict | None = None):
    """``cj-course libro construir --raiz RAIZ ARGUMENTOS`` in a subprocess; returns the finished process."""
    return subprocess.run(
        [sys.executable, "-m", "cj_course.cli", "libro", "construir", "--raiz", str(raiz), *argumentos],
        capture_output=True,
        text=True,
        env={**os.environ, **(entorno or {})},
        check=False,
    )
