"""El libro como lo lee un autodidacta (issue 14, punto 5): aviso de formularios fijos en cada ejercicio,
autoevaluaciones sin la clave a la vista, sin botón de lanzar hacia un hub que no existe y un solo
buscador por página."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from cj_course import libro

RAIZ = Path(__file__).resolve().parent.parent
MODULOS = sorted((RAIZ / "modules").glob("*.ipynb"))


@pytest.fixture(scope="module")
def html_estudiante() -> Path:
    proceso = subprocess.run(
        [sys.executable, "-m", "cj_course.cli", "libro", "construir", "--raiz", str(RAIZ)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proceso.returncode == 0, proceso.stdout[-2000:] + proceso.stderr[-4000:]
    return libro.rutas_de_edicion(RAIZ).html


def test_el_lector_pone_el_aviso_arriba_solo_en_los_ejercicios():
    ejercicio = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Ejercicios"),
            nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"grade": False, "solution": True}}),
        ]
    )
    leido = libro.leer_cuaderno(nbformat.writes(ejercicio))
    assert "cj-aviso-ejercicio" in leido.cells[1].source
    assert "bash scripts/curso.sh" in leido.cells[1].source
    modulo = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Módulo")])
    assert len(libro.leer_cuaderno(nbformat.writes(modulo)).cells) == 1


@pytest.mark.parametrize("cuaderno", MODULOS, ids=[m.stem for m in MODULOS])
def test_las_autoevaluaciones_no_muestran_su_clave(cuaderno):
    for celda in nbformat.read(cuaderno, as_version=4).cells:
        if celda.cell_type == "code" and "correctas" in celda.source and "Formulario" in celda.source:
            assert {"hide-input", "remove-input"} & set(celda.metadata.get("tags", [])), celda.source[:200]


def test_paginas_de_ejercicio_con_aviso_sin_boton_de_lanzar_y_un_buscador(html_estudiante):
    ejercicio = (html_estudiante / "exercises" / "m3_mapeo" / "ejercicios_m3.html").read_text(
        encoding="utf-8"
    )
    assert "cj-aviso-ejercicio" in ejercicio and "no responden" in ejercicio
    for pagina in [
        ejercicio,
        (html_estudiante / "modules" / "01_introduccion.html").read_text(encoding="utf-8"),
    ]:
        assert "127.0.0.1:8000" not in pagina and "user-redirect" not in pagina
        # the sidebar's search field stays; the header's magnifier button (a second search) is gone
        assert (
            len(re.findall(r'class="sidebar-primary-item">\s*<button[^>]*search-button-field', pagina)) == 1
        )
        assert "pst-navbar-icon search-button" not in pagina
