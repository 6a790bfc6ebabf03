"""Prueba real con nbgrader: lo que el estudiante dejó en el formulario es lo que se califica.

En una carpeta de curso temporal: un cuaderno fuente con un ejercicio de formulario y su celda de
prueba, ``nbgrader generate_assignment``, entregas de tres estudiantes (con la respuesta del
formulario guardada, sin ella y con el archivo dañado), ``nbgrader autograde`` y la nota leída de
la base de calificaciones. La carpeta fuente contiene además una respuesta del instructor (la que
quedaría si probara el formulario de la solución): no debe llegar a nadie.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from cj_course import Persona, guardar_respuesta
from cj_course.widgets import FormularioPersona

TAREA = "tarea_persona"
STUB = "# Escribe aquí tu respuesta (opcional si usaste el formulario)"
PUNTOS = 3.0

CONFIG = f"""
import glob, os
c = get_config()
RAIZ = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.root = RAIZ
c.CourseDirectory.course_id = "cj_prueba"
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
# Never put plain "respuestas" here: nbgrader also applies this list when it copies the student's
# submission (and in the exchange), so the answers would never reach the autograder. An absolute
# glob matches only the source folder: the instructor's answers neither travel nor overwrite.
# nbgrader spells the source folder ".../solutions/./<assignment>" (student "."), and compares
# paths as strings, so the glob needs that "." too (the variant without it covers other callers).
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback",
                            os.path.join(glob.escape(RAIZ), "solutions", ".", "*", "respuestas"),
                            os.path.join(glob.escape(RAIZ), "solutions", "*", "respuestas")]
# Second guard: the answer files themselves are never overwritten with a source version.
c.Autograde.exclude_overwriting = {{
    tarea: [os.path.relpath(p, os.path.join(RAIZ, "solutions", tarea))
            for p in glob.glob(os.path.join(RAIZ, "solutions", tarea, "respuestas", "*"))]
    for tarea in os.listdir(os.path.join(RAIZ, "solutions"))}}
c.ClearSolutions.code_stub = {{"python": {STUB!r}}}
c.Execute.timeout = 120
"""


def _celda(tipo: str, fuente: str, **nbgrader) -> nbformat.NotebookNode:
    crear = nbformat.v4.new_code_cell if tipo == "code" else nbformat.v4.new_markdown_cell
    celda = crear(textwrap.dedent(fuente).strip())
    if nbgrader:
        celda.metadata["nbgrader"] = {
            "schema_version": 3,
            "task": False,
            "solution": False,
            "grade": False,
            "locked": False,
            **nbgrader,
        }
    return celda


def cuaderno_fuente() -> nbformat.NotebookNode:
    """The exercise pattern of the course: form cell, answer cell (solution in code), test cell."""
    return nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        cells=[
            _celda(
                "markdown",
                "## Tu buyer persona\nRellena el formulario (o escribe tu persona en código).",
                grade_id="enunciado",
                locked=True,
            ),
            _celda(
                "code",
                """
                from cj_course import Persona, afirmar_valido
                from cj_course.widgets import FormularioPersona

                formulario = FormularioPersona("m3_persona")
                formulario
            """,
                grade_id="formulario",
                locked=True,
            ),
            _celda(
                "code",
                """
                persona = formulario.respuesta
                ### BEGIN SOLUTION
                persona = Persona("Víctor", edad=35, ocupacion="Contador", ubicacion="Monterrey",
                                  intereses=["finanzas"], desafios=["poco tiempo"])
                ### END SOLUTION
            """,
                grade_id="respuesta_persona",
                solution=True,
            ),
            _celda(
                "code",
                "afirmar_valido(persona)",
                grade_id="prueba_persona",
                grade=True,
                locked=True,
                points=PUNTOS,
            ),
        ],
    )


def _entorno(home: Path) -> dict[str, str]:
    entorno = dict(os.environ)
    # The kernel spec says "python": the course's environment must come first in PATH.
    entorno["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{entorno.get('PATH', '')}"
    for variable, sub in {
        "HOME": "",
        "JUPYTER_CONFIG_DIR": "jc",
        "JUPYTER_DATA_DIR": "jd",
        "JUPYTER_RUNTIME_DIR": "jr",
        "IPYTHONDIR": "ip",
        "MPLCONFIGDIR": "mpl",
    }.items():
        entorno[variable] = str(home / sub)
    entorno["MPLBACKEND"] = "Agg"
    return entorno


def nbgrader(curso: Path, entorno: dict[str, str], *argumentos: str) -> subprocess.CompletedProcess:
    proceso = subprocess.run(
        [sys.executable, "-m", "nbgrader", *argumentos],
        cwd=curso,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proceso.returncode == 0, f"nbgrader {argumentos[0]} falló:\n{proceso.stdout}\n{proceso.stderr}"
    return proceso


@pytest.fixture(scope="module")
def calificado(tmp_path_factory):
    """Build the course, release the assignment, submit three students and autograde them all."""
    curso = tmp_path_factory.mktemp("curso")
    entorno = _entorno(tmp_path_factory.mktemp("home"))
    (curso / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    fuente = curso / "solutions" / TAREA
    fuente.mkdir(parents=True)
    nbformat.write(cuaderno_fuente(), fuente / "persona.ipynb")
    # The instructor tried the form in the solution folder: a complete persona sits in the source.
    guardar_respuesta(
        "m3_persona",
        Persona(
            "Instructor",
            edad=40,
            ocupacion="Docente",
            ubicacion="CDMX",
            intereses=["enseñar"],
            desafios=["corregir"],
        ),
        carpeta=fuente,
    )

    nbgrader(curso, entorno, "generate_assignment", TAREA, "--force")
    liberado = curso / "exercises" / TAREA

    # ana used the form: its saved file travels with her submission.
    for alumno in ("ana", "beto", "carla"):
        entrega = curso / "submitted" / alumno / TAREA
        entrega.mkdir(parents=True)
        shutil.copy(liberado / "persona.ipynb", entrega / "persona.ipynb")
    formulario = FormularioPersona("m3_persona", carpeta=curso / "submitted" / "ana" / TAREA)
    for campo, valor in {
        "nombre": "Ana",
        "edad": "31",
        "ocupacion": "Diseñadora",
        "ubicacion": "Puebla",
        "intereses": "diseño, café",
        "desafios": "presupuesto ajustado",
    }.items():
        formulario.controles[campo].value = valor
    vista_por_ana = formulario.respuesta
    # beto submitted the notebook only; carla's saved file got damaged.
    respuestas_carla = curso / "submitted" / "carla" / TAREA / "respuestas"
    respuestas_carla.mkdir()
    (respuestas_carla / "m3_persona.json").write_text('{"tipo": "Persona", "nombre": "Carl', encoding="utf-8")

    salida = nbgrader(curso, entorno, "autograde", TAREA)
    with Gradebook(f"sqlite:///{curso / 'gradebook.db'}", course_id="cj_prueba") as libro:
        notas = {a: libro.find_submission(TAREA, a).score for a in ("ana", "beto", "carla")}
    return {
        "curso": curso,
        "liberado": liberado,
        "notas": notas,
        "vista_por_ana": vista_por_ana,
        "salida": salida.stdout + salida.stderr,
    }


def test_la_version_del_estudiante_no_lleva_ni_solucion_ni_respuestas_del_instructor(calificado):
    liberado = calificado["liberado"]
    assert not (liberado / "respuestas").exists()  # the instructor's saved answer did not travel
    celdas = nbformat.read(liberado / "persona.ipynb", as_version=4).cells
    respuesta = next(
        c for c in celdas if c.metadata.get("nbgrader", {}).get("grade_id") == "respuesta_persona"
    )
    assert respuesta.source == f"persona = formulario.respuesta\n{STUB}"  # a stub that does not raise
    assert "Víctor" not in json.dumps([c.source for c in celdas])


def test_la_respuesta_del_formulario_obtiene_la_nota_completa(calificado):
    assert calificado["notas"]["ana"] == PUNTOS
    # What was graded is what Ana saw in her form: the file in the autograded folder is hers.
    calificada = calificado["curso"] / "autograded" / "ana" / TAREA / "respuestas" / "m3_persona.json"
    assert Persona.desde_json(calificada.read_text(encoding="utf-8")) == calificado["vista_por_ana"]


def test_sin_respuesta_guardada_la_nota_es_cero_y_nada_se_rompe(calificado):
    assert calificado["notas"]["beto"] == 0
    assert not (calificado["curso"] / "autograded" / "beto" / TAREA / "respuestas").exists()
    salida = nbformat.read(
        calificado["curso"] / "autograded" / "beto" / TAREA / "persona.ipynb", as_version=4
    )
    prueba = next(
        c for c in salida.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "prueba_persona"
    )
    assert "Todavía no hay respuesta" in json.dumps(prueba.outputs, ensure_ascii=False)


def test_un_archivo_danado_da_cero_y_se_conserva_aparte(calificado):
    assert calificado["notas"]["carla"] == 0
    carpeta = calificado["curso"] / "autograded" / "carla" / TAREA / "respuestas"
    apartados = [p.name for p in carpeta.iterdir() if ".corrupto-" in p.name]
    assert len(apartados) == 1
    assert (carpeta / apartados[0]).read_text(encoding="utf-8").startswith('{"tipo": "Persona"')
    # And the student's own submission was never touched.
    assert (calificado["curso"] / "submitted" / "carla" / TAREA / "respuestas" / "m3_persona.json").exists()
