"""La retroalimentación HTML está toda en español: ni "No response.", ni "In [n]:"/"Out[n]:", ni trazas en inglés.

Se califica de verdad con nbgrader (``autograde`` y ``generate_feedback``) en una carpeta de curso
temporal con el módulo 5, que tiene de todo: funciones sin completar, pruebas que fallan, resultados
con indicador de salida, tablas y una respuesta que lanza un error en la propia celda del estudiante.
Luego se lee el *texto* de cada página (lo que ve el estudiante, sin etiquetas HTML ni scripts).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from cj_course.calificacion.generar import generar

RAIZ = Path(__file__).resolve().parent.parent
TAREA, CUADERNO = "m5_medicion", "ejercicios_m5"
pytestmark = pytest.mark.lento

# What nbgrader's and nbconvert's templates (and Python) print in English ("Net Promoter Score" is
# the metric's name, taught as such).
INGLES = [
    r"No response",
    r"\bIn\s*\[",
    r"\bOut\s*\[",
    r"Traceback",
    r"most recent call",
    r"\bCell\b",
    r",\s*line\s+\d",
    r"(?<!Promoter )\bScore\b",
    r"\bComments?\b",
    r"Student",
    r"\(Top\)",
    r"unknown type",
    r"Hidden",
    r"\bFile \"",
]


class _Texto(HTMLParser):
    """The text a reader sees: everything but tags, scripts and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.partes: list[str] = []
        self._oculto = 0

    def handle_starttag(self, etiqueta, atributos):
        self._oculto += etiqueta in ("script", "style")

    def handle_endtag(self, etiqueta):
        self._oculto -= etiqueta in ("script", "style")

    def handle_data(self, datos):
        if not self._oculto:
            self.partes.append(datos)


def _texto(html: str) -> str:
    lector = _Texto()
    lector.feed(html)
    return " ".join(" ".join(lector.partes).split())


def _nbgrader(curso: Path, *argumentos: str) -> None:
    entorno = dict(os.environ)
    entorno["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), entorno.get("PATH", "")])
    resultado = subprocess.run(
        [sys.executable, "-m", "nbgrader", *argumentos],
        cwd=curso,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert resultado.returncode == 0, f"nbgrader {' '.join(argumentos)} falló:\n{resultado.stderr[-4000:]}"


def _entregar(curso: Path, alumno: str, nb) -> None:
    carpeta = curso / "submitted" / alumno / TAREA
    carpeta.mkdir(parents=True)
    nbformat.write(nb, str(carpeta / f"{CUADERNO}.ipynb"))


@pytest.fixture(scope="module")
def paginas(tmp_path_factory) -> dict[str, str]:
    curso = tmp_path_factory.mktemp("curso")
    shutil.copy(RAIZ / "nbgrader_config.py", curso)
    shutil.copytree(
        RAIZ / "solutions" / TAREA,
        curso / "solutions" / TAREA,
        ignore=shutil.ignore_patterns("respuestas", ".ipynb_checkpoints", "__pycache__"),
    )
    generar(raiz=curso, asignaciones=[TAREA])
    leer = lambda carpeta: nbformat.read(str(curso / carpeta / TAREA / f"{CUADERNO}.ipynb"), as_version=4)  # noqa: E731
    _entregar(curso, "solucion", leer("solutions"))
    _entregar(curso, "vacio", leer("exercises"))  # answers left as released: nbgrader's "No response."
    con_error = leer("exercises")
    for celda in con_error.cells:  # an error raised in the student's own cell keeps its traceback
        if celda.metadata.get("nbgrader", {}).get("grade_id") == "m5_respuesta_metricas":
            celda.source = "plan = formulario_metricas.respuesta\nprint(plan.metricas)"
    _entregar(curso, "con_error", con_error)
    _nbgrader(curso, "autograde", TAREA, "--student=*", "--force")
    _nbgrader(curso, "generate_feedback", TAREA, "--student=*", "--force")
    return {
        alumno: (curso / "feedback" / alumno / TAREA / f"{CUADERNO}.html").read_text(encoding="utf-8")
        for alumno in ("solucion", "vacio", "con_error")
    }


@pytest.mark.parametrize("alumno", ["solucion", "vacio", "con_error"])
def test_la_retroalimentacion_no_tiene_ingles(paginas, alumno):
    html = paginas[alumno]
    assert 'lang="es"' in html
    texto = _texto(html)
    assert "Puntos:" in texto and len(texto) > 2000, "la página no parece una retroalimentación completa"
    encontradas = {patron: re.search(patron, texto).group(0) for patron in INGLES if re.search(patron, texto)}
    assert not encontradas, f"texto en inglés en la retroalimentación de {alumno}: {encontradas}"


def test_los_indicadores_de_celda_estan_en_espanol(paginas):
    texto = _texto(paginas["solucion"])
    assert re.search(r"Entrada\s*\[\d+\]:", texto) and re.search(r"Salida\s*\[\d+\]:", texto)


def test_una_respuesta_sin_tocar_dice_que_no_hay_respuesta(paginas):
    texto = _texto(paginas["vacio"])
    assert "Sin respuesta: esta celda quedó tal como venía en el cuaderno que recibiste." in texto
    assert "Falta completar esta parte" in texto  # the NotImplementedError of the function stubs
    assert "La comprobación no pasó" in texto


def test_un_error_en_la_celda_del_estudiante_dice_donde_en_espanol(paginas):
    texto = _texto(paginas["con_error"])
    assert "Error de Python AttributeError" in texto and "Dónde ocurrió" in texto
    assert "Rastreo (la llamada más reciente, al final)" in texto and re.search(
        r"Celda \[\d+\]\s*,\s*línea 2", texto
    )


def test_los_errores_con_nombre_en_espanol_se_muestran_tal_cual():
    """The course's trusted grader names its failures in Spanish ("Comprobación no superada"): no "Error de Python"."""
    from traitlets.config import Config

    from cj_course.calificacion.correcciones import ExportadorRetroalimentacion

    salidas = [
        nbformat.v4.new_output(
            "error",
            ename="Comprobación no superada",
            evalue="Tu función usa nps.",
            traceback=["Comprobación no superada: Tu función usa nps."],
        ),
        nbformat.v4.new_output(
            "error",
            ename="KeyError",
            evalue="'evento'",
            traceback=["Traceback (most recent call last)", "Cell In[2], line 4", "KeyError"],
        ),
    ]
    celda = nbformat.v4.new_code_cell(
        "calcular_nps([1])",
        execution_count=2,
        outputs=salidas,
        metadata={
            "nbgrader": {
                "grade": True,
                "solution": False,
                "locked": True,
                "grade_id": "m5_prueba",
                "points": 2,
                "score": 0,
                "schema_version": 3,
            }
        },
    )
    html, _ = ExportadorRetroalimentacion(config=Config()).from_notebook_node(
        nbformat.v4.new_notebook(cells=[celda]),
        resources={"nbgrader": {"notebook": "ejercicios_m5", "score": 0, "max_score": 2, "late_penalty": 0}},
    )
    texto = _texto(html)
    assert (
        "Comprobación no superada : Tu función usa nps." in texto
        and "Error de Python Comprobación" not in texto
    )
    assert "Error de Python KeyError : 'evento'" in texto
    assert re.search(r"Celda \[2\]\s*,\s*línea 4", texto) and "Traceback" not in texto
