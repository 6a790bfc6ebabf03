"""Ninguna entrega puede dejar sin retroalimentación al resto de la clase.

Con nbgrader real sobre un curso de muestra: la página de quien filtra una prueba oculta (su código
imprime la pila de llamadas desde la prueba oculta) se retiene, con un mensaje que dice quién, qué
archivo y qué línea; las demás se publican en el intercambio. Lo que escribió el propio estudiante (un
marcador impreso en su celda, una respuesta guardada en ``respuestas/`` con el texto de una prueba
oculta) no cuenta como fuga.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from nbgrader.utils import notebook_hash

from cj_course.calificacion import muestra
from cj_course.calificacion.fugas import fugas_en_retroalimentacion

pytestmark = pytest.mark.lento

BIN = Path(sys.executable).parent
TAREA, CUADERNO = muestra.TAREA_MUESTRA, muestra.CUADERNO_MUESTRA
OCULTA = 'assert abs(tasa_conversion - 2.5) < 1e-9, "La tasa es compras / visitas × 100: revisa la fórmula."'
CORRECTAS = muestra.respuestas_de("completa")
ENTREGAS = {
    "honesta": CORRECTAS,
    # Prints a marker and the text of a hidden test line in its own cell, and saves the line as an answer.
    "marcador": {
        **CORRECTAS,
        "tasa": CORRECTAS["tasa"] + f"\nprint('### BEGIN HIDDEN TESTS')\nprint({OCULTA!r})",
    },
    # Shadows abs(): when the hidden test calls it, the call stack (hidden line included) is printed
    # into the hidden test cell's output.
    "espia": {
        **CORRECTAS,
        "tasa": "import traceback\n\ndef abs(x):\n    traceback.print_stack()\n    return 0\n\n"
        + CORRECTAS["tasa"],
    },
}


def _orden(programa: str, *argumentos: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    entorno = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", COLUMNS="200")
    return subprocess.run(
        [str(BIN / programa), *argumentos], cwd=cwd, env=entorno, capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def curso(tmp_path_factory):
    base = tmp_path_factory.mktemp("retro")
    intercambio = base / "intercambio"
    intercambio.mkdir()
    intercambio.chmod(0o1777)
    raiz = muestra.crear_curso_de_muestra(base / "curso", tiempo_maximo=20, exchange=intercambio)
    generado = _orden("nbgrader", "generate_assignment", TAREA, "--force", cwd=raiz)
    assert generado.returncode == 0, generado.stderr[-2000:]
    muestra.crear_entregas(raiz, {e: e for e in ENTREGAS}, respuestas=ENTREGAS)
    for estudiante in ENTREGAS:
        (raiz / "submitted" / estudiante / TAREA / "submission_secret.txt").write_text(
            f"secreto-{estudiante}"
        )
    respuestas = raiz / "submitted" / "marcador" / TAREA / "respuestas"
    respuestas.mkdir()
    # A correct quiz answer whose text is a hidden test's line.
    (respuestas / "quiz.json").write_text(
        json.dumps({"respuesta": OCULTA}, ensure_ascii=False), encoding="utf-8"
    )
    calificado = _orden("nbgrader", "autograde", TAREA, "--force", cwd=raiz)
    assert calificado.returncode == 0, calificado.stderr[-3000:]
    resultado = _orden("cj-course", "retroalimentar", "--curso", str(raiz), cwd=raiz)
    return raiz, intercambio, resultado


def _publicadas(intercambio: Path) -> set[str]:
    carpeta = intercambio / "curso_muestra" / "feedback"
    return {p.name for p in carpeta.glob("*.html")}


def _nombre_publicado(estudiante: str) -> str:
    return f"{notebook_hash(secret=f'secreto-{estudiante}', notebook_id=CUADERNO)}.html"


def test_el_espia_muestra_de_verdad_la_prueba_oculta(curso):
    raiz, _, _ = curso
    retenida = raiz / "retenida" / "espia" / TAREA / f"{CUADERNO}.html"
    assert retenida.exists()
    texto = retenida.read_text(encoding="utf-8")
    assert "2.5) &lt; 1e-9" in texto or "2.5) < 1e-9" in texto  # the leak is real, not a false alarm


def test_solo_se_retiene_la_retroalimentacion_de_quien_filtra(curso):
    raiz, intercambio, resultado = curso
    assert resultado.returncode == 1, resultado.stdout + resultado.stderr
    assert not (raiz / "feedback" / "espia" / TAREA / f"{CUADERNO}.html").exists()
    for estudiante in ("honesta", "marcador"):
        assert (raiz / "feedback" / estudiante / TAREA / f"{CUADERNO}.html").exists(), estudiante
    assert _publicadas(intercambio) == {_nombre_publicado("honesta"), _nombre_publicado("marcador")}


def test_el_mensaje_dice_quien_que_archivo_y_que_linea(curso):
    raiz, _, resultado = curso
    salida = resultado.stdout
    linea = next(linea for linea in salida.splitlines() if "retenida:" in linea)
    assert "«espia»" in linea and f"feedback/espia/{TAREA}/{CUADERNO}.html" in linea
    assert "línea" in linea and "código de prueba oculta" in linea and "2.5) < 1e-9" in linea
    assert "«honesta»" not in salida and "«marcador»" not in salida
    assert "Retroalimentación retenida de 1 estudiante(s): espia" in salida
    nota = (raiz / "retenida" / "espia" / TAREA / f"{CUADERNO}.motivo.txt").read_text(encoding="utf-8")
    assert "«espia»" in nota and "cj-course retroalimentar muestra" in nota
    # The line number points at the hidden line in the retained page.
    numero = int(linea.split("línea ")[1].split(")")[0])
    pagina = (
        (raiz / "retenida" / "espia" / TAREA / f"{CUADERNO}.html").read_text(encoding="utf-8").splitlines()
    )
    assert "1e-9" in pagina[numero - 1]


def test_lo_que_escribe_el_estudiante_no_es_una_fuga(curso):
    raiz, _, _ = curso
    carpeta = raiz / "feedback" / "marcador" / TAREA
    pagina = (carpeta / f"{CUADERNO}.html").read_text(encoding="utf-8")
    assert "### BEGIN HIDDEN TESTS" in pagina  # the student printed it: it is on the page...
    assert (carpeta / "respuestas" / "quiz.json").exists()  # ...and nbgrader copied the answer file
    calificado = raiz / "autograded" / "marcador" / TAREA / f"{CUADERNO}.ipynb"
    assert (
        fugas_en_retroalimentacion(carpeta / f"{CUADERNO}.html", TAREA, calificado=calificado, raiz=raiz)
        == []
    )
    # Without the student's notebook nothing is excused: the same page would be held back.
    motivos = {f.motivo for f in fugas_en_retroalimentacion(carpeta / f"{CUADERNO}.html", TAREA, raiz=raiz)}
    assert motivos == {"código de prueba oculta", "marcador de nbgrader"}


def test_una_vez_resuelto_se_publica_y_la_copia_retenida_se_borra(curso, tmp_path):
    raiz, intercambio, _ = curso
    # The instructor fixes the graded notebook of "espia" (drops the printed stack) and runs it again.
    calificado = raiz / "autograded" / "espia" / TAREA / f"{CUADERNO}.ipynb"
    nb = json.loads(calificado.read_text(encoding="utf-8"))
    for celda in nb["cells"]:
        celda["outputs"] = [s for s in celda.get("outputs", []) if s.get("name") != "stderr"]
    calificado.write_text(json.dumps(nb), encoding="utf-8")
    otra = _orden("cj-course", "retroalimentar", "--curso", str(raiz), cwd=raiz)
    assert otra.returncode == 0, otra.stdout + otra.stderr
    assert not (raiz / "retenida" / "espia" / TAREA / f"{CUADERNO}.html").exists()
    assert _nombre_publicado("espia") in _publicadas(intercambio)
