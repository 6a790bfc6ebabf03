"""La orden ``cj-course``: ayuda en español y cada suborden sobre un curso nbgrader de verdad."""

from __future__ import annotations

import csv
import getpass
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook
from typer.testing import CliRunner

from cj_course.calificacion import muestra
from cj_course.cli import app

BIN = Path(sys.executable).parent
RAIZ = Path(__file__).resolve().parent.parent
TAREA = muestra.TAREA_MUESTRA
ORDENES = ("generar", "liberar", "recoger", "calificar", "retroalimentar", "informe", "exportar", "verificar")
INGLES = ("Usage:", "Show this message", "Options ", "Commands ", "Arguments ")


def _ejecutar(*argumentos: str) -> subprocess.CompletedProcess[str]:
    entorno = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", COLUMNS="120")
    return subprocess.run(
        [str(BIN / "cj-course"), *argumentos], capture_output=True, text=True, env=entorno, timeout=600
    )


def _nbgrader(*argumentos: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    entorno = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run(
        [str(BIN / "nbgrader"), *argumentos],
        cwd=cwd,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=600,
    )


def invocar(*argumentos: str):
    return CliRunner().invoke(app, list(argumentos), env={"COLUMNS": "120"})


@pytest.fixture(scope="module")
def generado(tmp_path_factory) -> Path:
    """Un curso de muestra con la versión del estudiante ya generada por ``cj-course generar``."""
    raiz = muestra.crear_curso_de_muestra(tmp_path_factory.mktemp("generado") / "curso", tiempo_maximo=10)
    resultado = invocar("generar", "--curso", str(raiz))
    assert resultado.exit_code == 0, resultado.output
    assert "✔ muestra" in resultado.output
    return raiz


@pytest.fixture
def curso(generado, tmp_path) -> Path:
    return Path(shutil.copytree(generado, tmp_path / "curso"))


# ----------------------------------------------------------------------------- help


def test_la_ayuda_general_esta_en_espanol_y_lista_todas_las_ordenes():
    resultado = _ejecutar("--help")  # the installed console script, as the instructor runs it
    assert resultado.returncode == 0, resultado.stderr
    texto = resultado.stdout
    assert "Uso: cj-course [OPCIONES] ORDEN" in texto
    assert "Opciones" in texto and "Órdenes" in texto and "Muestra esta ayuda y termina." in texto
    for orden in ORDENES:
        assert f" {orden} " in texto, orden
    for palabra in INGLES:
        assert palabra not in texto, palabra


@pytest.mark.parametrize("orden", ORDENES)
def test_la_ayuda_de_cada_orden_esta_en_espanol(orden):
    resultado = invocar(orden, "--help")
    assert resultado.exit_code == 0, resultado.output
    assert f"Uso: cj-course {orden} [OPCIONES]" in resultado.output
    assert "--curso" in resultado.output and "Carpeta del curso" in resultado.output
    for palabra in INGLES:
        assert palabra not in resultado.output, palabra


def test_una_orden_desconocida_se_explica_en_espanol():
    resultado = invocar("calificarr")
    assert resultado.exit_code == 2
    assert "No existe la orden «calificarr»" in resultado.output
    assert "No such command" not in resultado.output


# ----------------------------------------------------------------------------- the workflow


def test_generar_escribe_la_version_del_estudiante_sin_soluciones(generado):
    nb = nbformat.read(generado / "exercises" / TAREA / f"{muestra.CUADERNO_MUESTRA}.ipynb", as_version=4)
    texto = "\n".join(c.source for c in nb.cells)
    assert "ESCRIBE AQUÍ TU CÓDIGO" in texto
    assert "BEGIN SOLUTION" not in texto and "HIDDEN TESTS" not in texto
    assert "compras / visitas * 100" not in texto
    with Gradebook(f"sqlite:///{generado / 'gradebook.db'}") as gb:
        assert [a.name for a in gb.assignments] == [TAREA]


def test_generar_usa_la_generacion_del_curso_para_sus_tareas(tmp_path):
    """Con las tareas del curso, ``generar`` usa cj_course.calificacion.generar.generar (versión estable y
    limpia) y registra la tarea en el libro de calificaciones que dice la configuración."""
    from cj_course.calificacion import generar

    fuentes = sorted(p.name for p in (RAIZ / "solutions").iterdir() if p.is_dir() and any(p.glob("*.ipynb")))
    assert fuentes, "el curso aún no tiene tareas en solutions/"
    tarea = fuentes[0]
    raiz = tmp_path / "curso"
    shutil.copytree(RAIZ / "solutions" / tarea, raiz / "solutions" / tarea)
    shutil.copy(RAIZ / "nbgrader_config.py", raiz / "nbgrader_config.py")
    libro = tmp_path / "otro" / "libro.db"
    libro.parent.mkdir()
    resultado = invocar("generar", tarea, "--curso", str(raiz), "--db-url", f"sqlite:///{libro}")
    assert resultado.exit_code == 0, resultado.output
    publicado = sorted((raiz / "exercises" / tarea).glob("*.ipynb"))
    assert publicado
    nb = nbformat.read(publicado[0], as_version=4)
    assert nb.metadata == generar.METADATOS_DE_CUADERNO  # the course's clean-up ran
    with Gradebook(f"sqlite:///{libro}") as gb:
        assert [a.name for a in gb.assignments] == [tarea]
    assert not (raiz / "gradebook.db").exists()


# NbGraderAPI.release_feedback passes a misspelt keyword (`authentictor`) to traitlets: nbgrader's, not ours.
@pytest.mark.filterwarnings("ignore:Passing unrecognized arguments:DeprecationWarning")
def test_el_flujo_completo_con_el_intercambio_de_nbgrader(tmp_path):
    intercambio = tmp_path / "intercambio"
    intercambio.mkdir()
    intercambio.chmod(0o1777)
    raiz = muestra.crear_curso_de_muestra(tmp_path / "curso", tiempo_maximo=10, exchange=intercambio)

    liberado = invocar("liberar", "--curso", str(raiz))
    assert liberado.exit_code == 0, liberado.output
    publicado = intercambio / "curso_muestra" / "outbound" / TAREA / f"{muestra.CUADERNO_MUESTRA}.ipynb"
    assert publicado.exists()
    assert "HIDDEN TESTS" not in publicado.read_text(encoding="utf-8")

    # A student fetches, answers and submits with nbgrader's own commands.
    estudiante = tmp_path / "estudiante"
    estudiante.mkdir()
    opciones = ["--course", "curso_muestra", f"--Exchange.root={intercambio}"]
    recogida = _nbgrader("fetch_assignment", TAREA, *opciones, cwd=estudiante)
    assert recogida.returncode == 0, recogida.stderr[-2000:]
    ruta = estudiante / TAREA / f"{muestra.CUADERNO_MUESTRA}.ipynb"
    nbformat.write(
        muestra._responder(nbformat.read(ruta, as_version=4), muestra.respuestas_de("completa")), ruta
    )
    enviada = _nbgrader("submit", TAREA, *opciones, cwd=estudiante)
    assert enviada.returncode == 0, enviada.stderr[-2000:]

    recogidas = invocar("recoger", "--curso", str(raiz))
    assert recogidas.exit_code == 0, recogidas.output
    yo = getpass.getuser()
    assert (raiz / "submitted" / yo / TAREA / f"{muestra.CUADERNO_MUESTRA}.ipynb").exists()

    calificado = invocar("calificar", "--curso", str(raiz), "-t", "2", "--sin-progreso")
    assert calificado.exit_code == 0, calificado.output
    assert "calificadas: 1" in calificado.output

    devuelta = invocar("retroalimentar", "--curso", str(raiz))
    assert devuelta.exit_code == 0, devuelta.output
    pagina = (raiz / "feedback" / yo / TAREA / f"{muestra.CUADERNO_MUESTRA}.html").read_text(encoding="utf-8")
    texto = html.unescape(re.sub(r"<[^>]+>", "", pagina))  # code is split into highlighting spans
    assert "afirmar_valido(persona)" in texto  # the visible test is there...
    assert "2.5) < 1e-9" not in texto  # ...the hidden one is not
    assert "HIDDEN" not in texto
    assert list((intercambio / "curso_muestra" / "feedback").rglob("*.html"))

    exportado = invocar("exportar", "--curso", str(raiz), "-o", str(tmp_path / "notas.csv"))
    assert exportado.exit_code == 0, exportado.output
    filas = list(csv.DictReader((tmp_path / "notas.csv").open(encoding="utf-8")))
    assert [(f["student_id"], float(f["score"]), float(f["max_score"])) for f in filas] == [(yo, 5.0, 6.0)]


def test_liberar_sin_intercambio_lo_explica_y_deja_exercises(curso):
    resultado = invocar("liberar", "--curso", str(curso), "--sin-generar")
    assert resultado.exit_code == 0, resultado.output
    assert "No hay intercambio de nbgrader disponible" in resultado.output
    recoger = invocar("recoger", "--curso", str(curso))
    assert recoger.exit_code == 2
    assert "no hay nada que recoger" in recoger.output


def test_calificar_lista_lo_que_no_pudo_calificar_y_califica_al_resto(curso):
    muestra.crear_entregas(curso, {"ana": "completa", "beto": "json_invalido", "carla": "parcial"})
    resultado = _ejecutar("calificar", "--curso", str(curso), "--trabajadores", "2")
    assert resultado.returncode == 1, resultado.stdout + resultado.stderr
    assert "calificadas: 2" in resultado.stdout
    assert "✘ muestra / beto" in resultado.stdout and "no es un cuaderno válido" in resultado.stdout
    assert "El resto de la clase quedó calificada" in resultado.stdout
    assert "Calificando" in resultado.stderr  # the progress bar
    assert "Traceback" not in resultado.stdout + resultado.stderr
    with Gradebook(f"sqlite:///{curso / 'gradebook.db'}") as gb:
        assert gb.find_submission(TAREA, "ana").score == 5.0
        assert gb.find_submission(TAREA, "carla").score == 4.0


def test_informe_coincide_con_el_libro_de_calificaciones(curso, tmp_path):
    muestra.crear_entregas(curso, {f"e{i}": "aleatoria" for i in range(6)} | {"ana": "completa"}, semilla=7)
    assert invocar("calificar", "--curso", str(curso), "--sin-progreso").exit_code == 0
    salida = tmp_path / "informe"
    resultado = invocar("informe", "--curso", str(curso), "-o", str(salida))
    assert resultado.exit_code == 0, resultado.output

    filas = {f["prueba"]: f for f in csv.DictReader((salida / "pruebas.csv").open(encoding="utf-8-sig"))}
    with Gradebook(f"sqlite:///{curso / 'gradebook.db'}") as gb:
        entregas = gb.find_assignment(TAREA).submissions
        for prueba in ("prueba_persona", "prueba_tasa", "prueba_etapas"):
            notas = [g for e in entregas for g in e.notebooks[0].grades if g.name == prueba]
            aprobadas = sum(g.score == g.max_score for g in notas)
            assert int(filas[prueba]["aprobadas"]) == aprobadas
            assert int(filas[prueba]["entregas"]) == len(notas) == 7
            assert float(filas[prueba]["tasa_aprobado"]) == pytest.approx(aprobadas / 7, abs=1e-4)
    assert filas["prueba_tasa"]["ejercicio"] == "2. Tasa de conversión"
    assert filas["prueba_tasa"]["tipo"] == "automatica" and filas["reflexion"]["tipo"] == "manual"
    if int(filas["prueba_tasa"]["aprobadas"]) < 7:
        assert "compras / visitas × 100" in filas["prueba_tasa"]["error_mas_frecuente"]

    html = (salida / "informe.html").read_text(encoding="utf-8")
    assert "Los conceptos que más fallaron" in html
    assert "data:image/png;base64," in html
    assert "1. Buyer persona" in html and "2. Tasa de conversión" in html
    assert (salida / "ejercicios.csv").exists() and (
        salida / f"distribucion_{TAREA}.png"
    ).stat().st_size > 1000


def test_informe_sin_notas_lo_explica_y_sin_curso_usa_la_carpeta_actual(tmp_path, monkeypatch):
    raiz = muestra.crear_curso_de_muestra(tmp_path / "vacio")
    monkeypatch.chdir(raiz)  # no --curso: the current folder, as with nbgrader
    resultado = invocar("informe", "-o", str(tmp_path / "informe"))
    assert resultado.exit_code == 2
    assert "No hay tareas calificadas" in resultado.output


def test_exportar_escribe_lo_mismo_que_nbgrader_export(curso, tmp_path):
    muestra.crear_entregas(curso, {"ana": "completa", "beto": "vacia"})
    assert invocar("calificar", "--curso", str(curso), "--sin-progreso").exit_code == 0
    resultado = invocar("exportar", "--curso", str(curso), "-o", str(tmp_path / "nuestro.csv"))
    assert resultado.exit_code == 0, resultado.output
    assert _nbgrader("export", "--to", str(tmp_path / "suyo.csv"), cwd=curso).returncode == 0
    assert (tmp_path / "nuestro.csv").read_text() == (tmp_path / "suyo.csv").read_text()
    assert "ana" in (tmp_path / "nuestro.csv").read_text()


def test_verificar_acepta_un_curso_al_dia_y_detecta_ediciones_sobrantes_y_filtraciones(curso):
    bien = invocar("verificar", "--curso", str(curso))
    assert bien.exit_code == 0, bien.output
    assert "Sin filtraciones y con exercises/ al día" in bien.output

    ruta = curso / "exercises" / TAREA / f"{muestra.CUADERNO_MUESTRA}.ipynb"
    original = ruta.read_text(encoding="utf-8")
    nb = nbformat.read(ruta, as_version=4)
    nb.cells[0].source += "\nUn cambio hecho a mano."
    nbformat.write(nb, ruta)
    (curso / "exercises" / TAREA / "borrador.txt").write_text("notas del profesor", encoding="utf-8")
    editado = invocar("verificar", "--curso", str(curso))
    assert editado.exit_code == 1
    assert "no coincide con solutions/" in editado.output and "celda 1 difiere en el texto" in editado.output
    assert "borrador.txt sobra" in editado.output

    ruta.write_text(original, encoding="utf-8")
    (curso / "exercises" / TAREA / "borrador.txt").unlink()
    nb = nbformat.read(ruta, as_version=4)
    nb.cells[3].source = muestra.respuestas_de("completa")["persona"]  # the solution, pasted in
    nbformat.write(nb, ruta)
    filtrado = invocar("verificar", "--curso", str(curso))
    assert filtrado.exit_code == 1
    assert "Filtración" in filtrado.output and "solución" in filtrado.output


def test_una_carpeta_que_no_es_un_curso_da_un_mensaje_sin_traza(tmp_path):
    resultado = _ejecutar("calificar", "--curso", str(tmp_path / "no_existe"))
    assert resultado.returncode == 2
    assert "La carpeta del curso" in resultado.stderr and "no existe" in resultado.stderr
    assert "Traceback" not in resultado.stderr
