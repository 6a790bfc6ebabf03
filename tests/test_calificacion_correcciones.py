"""Las correcciones a nbgrader, pieza por pieza y sin lanzar nbgrader (la prueba de punta a punta está
en ``test_calificacion_round_trip.py``)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbgrader.api import Gradebook
from nbgrader.preprocessors import OverwriteCells
from nbgrader.utils import compute_checksum
from traitlets.config import Config

from cj_course.calificacion.correcciones import (
    METADATO_RESTAURADA,
    ExportadorRetroalimentacion,
    OcultarPruebasOcultas,
    RestaurarCeldas,
    aplicar,
)

TAREA, CUADERNO = "tarea", "cuaderno"


def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _fuente() -> nbformat.NotebookNode:
    """A small source notebook: read-only setup, answer, two tests, a written answer."""
    return new_notebook(
        cells=[
            new_markdown_cell("# Tarea"),
            new_code_cell("import math", metadata=_meta("preparacion", locked=True)),
            new_code_cell(
                "x = None\n# Escribe aquí tu respuesta", metadata=_meta("respuesta", solution=True)
            ),
            new_code_cell(
                "assert x is not None, 'Falta x'",
                metadata=_meta("prueba_1", grade=True, locked=True, points=1),
            ),
            new_code_cell(
                "assert x == 2, 'x debe valer 2'\n### BEGIN HIDDEN TESTS\nassert x * x == 4\n"
                "### END HIDDEN TESTS",
                metadata=_meta("prueba_2", grade=True, locked=True, points=2),
            ),
            new_markdown_cell(
                "Escribe aquí tu respuesta.", metadata=_meta("reflexion", grade=True, solution=True, points=3)
            ),
        ]
    )


@pytest.fixture(scope="module")
def base_de_calificaciones(tmp_path_factory) -> Path:
    """The source notebook's cells in a gradebook, built once (a new gradebook costs seconds)."""
    ruta = tmp_path_factory.mktemp("base") / "gradebook.db"
    with pytest.MonkeyPatch.context() as mp:
        # nbgrader runs the `alembic` program, installed beside this Python, to create a gradebook.
        mp.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
        with Gradebook(f"sqlite:///{ruta}") as gb:
            gb.add_assignment(TAREA)
            gb.add_notebook(CUADERNO, TAREA)
            for celda in _fuente().cells:
                meta = celda.metadata.get("nbgrader")
                if not meta:
                    continue
                if meta["grade"]:
                    gb.add_grade_cell(
                        meta["grade_id"], CUADERNO, TAREA, max_score=meta["points"], cell_type=celda.cell_type
                    )
                if meta["solution"]:
                    gb.add_solution_cell(meta["grade_id"], CUADERNO, TAREA)
                gb.add_source_cell(
                    meta["grade_id"],
                    CUADERNO,
                    TAREA,
                    cell_type=celda.cell_type,
                    locked=meta["locked"],
                    source=celda.source,
                    checksum=compute_checksum(celda),
                )
    return ruta


@pytest.fixture
def curso(tmp_path, base_de_calificaciones):
    """A course folder with the source notebook on disk and a copy of the gradebook."""
    fuente = _fuente()
    carpeta = tmp_path / "solutions" / TAREA
    carpeta.mkdir(parents=True)
    nbformat.write(fuente, str(carpeta / f"{CUADERNO}.ipynb"))
    shutil.copy(base_de_calificaciones, tmp_path / "gradebook.db")
    config = Config()
    config.CourseDirectory.root = str(tmp_path)
    config.CourseDirectory.source_directory = "solutions"
    recursos = {
        "nbgrader": {
            "notebook": CUADERNO,
            "assignment": TAREA,
            "db_url": f"sqlite:///{tmp_path / 'gradebook.db'}",
            "student": "ana",
        }
    }
    return config, recursos, fuente


def _ids(nb) -> list[str | None]:
    return [c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells]


def _entrega(fuente, *borradas):
    nb = nbformat.reads(nbformat.writes(fuente), as_version=4)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in borradas]
    return nb


@pytest.mark.parametrize(
    "borradas",
    [
        ("prueba_1",),
        ("prueba_1", "prueba_2"),  # consecutive cells
        ("preparacion",),  # the first nbgrader cell
        ("reflexion",),  # the last one
        ("preparacion", "respuesta", "prueba_1", "prueba_2", "reflexion"),  # all of them
    ],
)
def test_restaura_las_celdas_borradas_en_su_sitio(curso, borradas):
    config, recursos, fuente = curso
    entrega = _entrega(fuente, *borradas)
    restaurada, _ = RestaurarCeldas(config=config).preprocess(entrega, recursos)
    assert _ids(restaurada) == _ids(fuente)
    nbformat.validate(restaurada)  # valid and unique cell ids included
    for celda in restaurada.cells:
        grade_id = celda.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in borradas:
            assert celda.metadata[METADATO_RESTAURADA]
            original = next(
                c for c in fuente.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id
            )
            assert celda.source == original.source and celda.cell_type == original.cell_type
            assert celda.metadata.nbgrader.get("points") == original.metadata.nbgrader.get("points")
            assert celda.metadata.nbgrader["solution"] == original.metadata.nbgrader["solution"]


def test_una_entrega_completa_no_cambia(curso):
    config, recursos, fuente = curso
    entrega = _entrega(fuente)
    antes = nbformat.writes(entrega)
    RestaurarCeldas(config=config).preprocess(entrega, recursos)
    assert nbformat.writes(entrega) == antes


def test_sin_cuaderno_fuente_usa_el_orden_de_la_base(curso, tmp_path):
    config, recursos, fuente = curso
    (tmp_path / "solutions" / TAREA / f"{CUADERNO}.ipynb").unlink()
    restaurada, _ = RestaurarCeldas(config=config).preprocess(_entrega(fuente, "prueba_2"), recursos)
    assert "prueba_2" in _ids(restaurada)


def test_la_celda_restaurada_pasa_por_overwritecells_sin_quejas(curso):
    config, recursos, fuente = curso
    entrega, _ = RestaurarCeldas(config=config).preprocess(_entrega(fuente, "prueba_2"), recursos)
    entrega, _ = OverwriteCells(config=config).preprocess(entrega, recursos)
    restaurada = entrega.cells[_ids(entrega).index("prueba_2")]
    assert "BEGIN HIDDEN TESTS" in restaurada.source  # the full test, hidden part included, is graded
    assert restaurada.metadata.nbgrader["checksum"] == compute_checksum(restaurada)


def _celda_con_error():
    celda = new_code_cell(
        "assert x == 2, 'x debe valer 2'\n### BEGIN HIDDEN TESTS\nassert abs(f(otros) - 7) < 1e-9, "
        "'Con otros datos tu función falla'\n### END HIDDEN TESTS",
        metadata=_meta("prueba", grade=True, locked=True, points=2),
    )
    celda.outputs = [
        new_output("stream", name="stdout", text="hola\n"),
        new_output(
            "error",
            ename="AssertionError",
            evalue="Con otros datos tu función falla",
            traceback=[
                "\x1b[0;31mAssertionError\x1b[0m Traceback",
                "----> 4 assert abs(f(otros) - 7) < 1e-9",
                "AssertionError: Con otros datos tu función falla",
            ],
        ),
    ]
    return celda


def test_la_retroalimentacion_no_muestra_pruebas_ocultas_ni_sus_trazas():
    nb = new_notebook(cells=[_celda_con_error(), new_code_cell("print(1)")])
    nb, _ = OcultarPruebasOcultas().preprocess(nb, {})
    prueba = nb.cells[0]
    assert prueba.source == "assert x == 2, 'x debe valer 2'"
    assert prueba.outputs[0].text == "hola\n"
    assert prueba.outputs[1].traceback == ["AssertionError: Con otros datos tu función falla"]
    assert nb.cells[1].source == "print(1)"


def test_la_plantilla_de_retroalimentacion_esta_en_espanol():
    nb = new_notebook(
        cells=[_celda_con_error()],
        metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}},
    )
    nb.cells[0].metadata.nbgrader.update(score=0.0, points=2.0)
    nb.cells[0].metadata[METADATO_RESTAURADA] = (
        "Esta celda faltaba en tu entrega; se restauró para calificarla."
    )
    nb, _ = OcultarPruebasOcultas().preprocess(nb, {})
    recursos = {"nbgrader": {"notebook": "cuaderno", "score": 0.0, "max_score": 2.0, "late_penalty": 0}}
    config = Config()
    config.HTMLExporter.template_name = "feedback"  # what nbgrader sets: the Spanish template must still win
    html, _ = ExportadorRetroalimentacion(config=config).from_notebook_node(nb, resources=recursos)
    assert 'lang="es"' in html and "Puntos: 0.0 / 2.0" in html and "Prueba automática" in html
    assert "se restauró para calificarla" in html
    assert "Score" not in html and "HIDDEN" not in html and "otros) - 7" not in html


def test_aplicar_conecta_las_correcciones():
    c = Config()
    aplicar(c)
    orden = list(c.Autograde.sanitize_preprocessors)
    assert orden.index(RestaurarCeldas) < orden.index(OverwriteCells)
    assert OcultarPruebasOcultas in c.GenerateFeedback.preprocessors
    assert c.GenerateFeedback.exporter_class is ExportadorRetroalimentacion
