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


@pytest.fixture(scope="module")
def navegador():
    """Debian's headless Chromium, one per test module (see _navegador.chromium)."""
    from _navegador import chromium

    with chromium() as abierto:
        yield abierto


@pytest.fixture
def raiz() -> Path:
    """The repository's root folder."""
    return RAIZ


# The developers' fast loop (`bash scripts/pruebas.sh -m rapido`): the unit and property tests, which
# need no nbgrader run, no book build, no browser and no notebook execution.
MODULOS_RAPIDOS = {
    "test_modelo",
    "test_validacion",
    "test_persistencia",
    "test_etapas",
    "test_metricas",
    "test_datos",
    "test_graficos",
    "test_graficos_colores",
    "test_widgets",
    "test_widgets_respuesta_apartada",
    "test_propiedades",
    "test_proyecto",
    "test_importar",
    "test_importar_propiedades",
    "test_arranque",
    "test_ejercicios_fugas",
    "test_verificar_fugas",
    "test_calificacion_correcciones",
    "test_proyecto_minegocio",
    "test_confiable",
}


@pytest.hookimpl(tryfirst=True)  # before -m deselects: the marker must already be there
def pytest_collection_modifyitems(config, items):
    for item in items:
        modulo = getattr(item, "module", None)
        nombre = modulo.__name__.rsplit(".", 1)[-1] if modulo is not None else ""
        lento = any(item.get_closest_marker(m) is not None for m in ("lento", "navegador", "jupyterhub"))
        if nombre in MODULOS_RAPIDOS and not lento:
            item.add_marker(pytest.mark.rapido)


@pytest.fixture(scope="session")
def construcciones():
    """Both editions of the book, built once per session (no-ops when _build is up to date): the processes."""
    from _libro import ejecutar_libro

    return {"estudiante": ejecutar_libro(), "soluciones": ejecutar_libro("--con-soluciones")}


@pytest.fixture(scope="session")
def libros_construidos(construcciones) -> dict[str, Path]:
    """Edition -> its html folder (``estudiante``: ``_build/html``; ``soluciones``: ``_build/soluciones/html``)."""
    from cj_course import libro

    carpetas = {}
    for edicion, proceso in construcciones.items():
        assert proceso.returncode == 0, (
            f"La edición {edicion} no se construyó:\n{proceso.stdout[-3000:]}\n{proceso.stderr[-5000:]}"
        )
        carpetas[edicion] = libro.rutas_de_edicion(RAIZ, con_soluciones=edicion == "soluciones").html
    return carpetas
