"""Shared test setup: Jupyter, IPython and matplotlib write to a temporary home, never the user's."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parent.parent

_HOME = Path(tempfile.mkdtemp(prefix="cj-pruebas-home-"))
for variable, sub in {
    "HOME": "",
    "MPLCONFIGDIR": "mpl",
    "IPYTHONDIR": "ipython",
    "JUPYTER_CONFIG_DIR": "jupyter-config",
    "JUPYTER_RUNTIME_DIR": "jupyter-runtime",
    "JUPYTER_DATA_DIR": "jupyter-data",
}.items():
    # scripts/pruebas.sh already sets these; a bare `pytest` gets its own temporary ones.
    if variable not in os.environ or not os.environ[variable].startswith(tempfile.gettempdir()):
        os.environ[variable] = str(_HOME / sub)
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture
def raiz() -> Path:
    """The repository's root folder."""
    return RAIZ
