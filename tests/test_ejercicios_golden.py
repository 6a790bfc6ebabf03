"""``exercises/`` es exactamente lo que genera ``cj-course generar``.

La versión de estudiantes se genera, nunca se edita: esta prueba la regenera en una carpeta temporal
y la compara con la guardada (sin contar los ids de celda). Si cambiaste ``solutions/`` a propósito,
regenera tu tarea con ``cj-course generar <tarea>`` (desde la raíz del repositorio) o actualiza la
versión guardada con::

    ACTUALIZAR_GOLDEN=1 pytest tests/test_ejercicios_golden.py
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from cj_course.calificacion.generar import (
    ASIGNACIONES,
    METADATOS_DE_CELDA,
    METADATOS_DE_CUADERNO,
    comparable,
    generar,
)

RAIZ = Path(__file__).resolve().parent.parent
VERSION = RAIZ / "exercises"
ACTUALIZAR = os.environ.get("ACTUALIZAR_GOLDEN") == "1"


def _archivos(carpeta: Path) -> list[str]:
    return sorted(str(p.relative_to(carpeta)) for p in carpeta.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def regenerada(tmp_path_factory) -> Path:
    destino = tmp_path_factory.mktemp("version")
    generar(destino)
    if ACTUALIZAR:
        for asignacion in ASIGNACIONES:
            shutil.rmtree(VERSION / asignacion.clave, ignore_errors=True)
            shutil.copytree(destino / asignacion.clave, VERSION / asignacion.clave)
    return destino


def test_la_version_guardada_tiene_los_mismos_archivos(regenerada):
    assert _archivos(VERSION) == _archivos(regenerada)


@pytest.mark.parametrize("asignacion", ASIGNACIONES, ids=lambda a: a.clave)
def test_la_version_guardada_es_la_generada(regenerada, asignacion):
    nombre = Path(asignacion.clave) / f"{asignacion.cuaderno}.ipynb"
    guardado = comparable(nbformat.read(str(VERSION / nombre), as_version=4))
    nuevo = comparable(nbformat.read(str(regenerada / nombre), as_version=4))
    if guardado != nuevo:
        diferencias = "\n".join(
            difflib.unified_diff(
                json.dumps(guardado, indent=1, ensure_ascii=False).splitlines(),
                json.dumps(nuevo, indent=1, ensure_ascii=False).splitlines(),
                "exercises (guardado)",
                "generado ahora",
                lineterm="",
                n=2,
            )
        )
        pytest.fail(
            f"{nombre} no coincide con lo que genera solutions/. Si el cambio es a propósito, "
            f"ejecuta ACTUALIZAR_GOLDEN=1 pytest {Path(__file__).name}.\n{diferencias[:6000]}"
        )


@pytest.mark.parametrize("asignacion", ASIGNACIONES, ids=lambda a: a.clave)
def test_la_version_guardada_esta_limpia(asignacion):
    ruta = VERSION / asignacion.clave / f"{asignacion.cuaderno}.ipynb"
    nb = nbformat.read(str(ruta), as_version=4)
    nbformat.validate(nb)
    assert dict(nb.metadata) == METADATOS_DE_CUADERNO
    for celda in nb.cells:
        assert set(celda.metadata) <= set(METADATOS_DE_CELDA), celda.metadata
        if celda.cell_type == "code":
            assert celda.outputs == [] and celda.execution_count is None, celda.source[:80]
    # Written the way nbformat writes it: a later regeneration changes no byte it does not have to.
    assert ruta.read_text(encoding="utf-8") == nbformat.writes(nb) + "\n"
