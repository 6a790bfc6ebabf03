"""El espacio del estudiante: se copia una vez, nunca se pisa lo que el estudiante cambió, lo nuevo va al
lado; el modo estudiante quita los paneles del instructor; un libro roto no cierra el curso."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest

from cj_course import espacio

RAIZ = Path(__file__).resolve().parent.parent


def _curso(tmp_path: Path) -> Path:
    raiz = tmp_path / "curso"
    for relativa, texto in {
        "modules/01_introduccion.ipynb": "modulo 1",
        "exercises/m1_introduccion/ejercicios_m1.ipynb": "ejercicio 1",
        "exercises/m1_introduccion/respuestas/persona.json": "{}",
    }.items():
        (raiz / relativa).parent.mkdir(parents=True, exist_ok=True)
        (raiz / relativa).write_text(texto, encoding="utf-8")
    return raiz


def test_primera_vez_copia_modulos_y_ejercicios_sin_respuestas_y_se_ignora_en_git(tmp_path):
    raiz = _curso(tmp_path)
    informe = espacio.preparar_espacio(raiz)
    assert informe.nuevo
    assert sorted(informe.copiados) == [
        "exercises/m1_introduccion/ejercicios_m1.ipynb",
        "modules/01_introduccion.ipynb",
    ]
    carpeta = raiz / "mi_curso"
    assert (carpeta / "modules/01_introduccion.ipynb").read_text(encoding="utf-8") == "modulo 1"
    assert not (carpeta / "exercises/m1_introduccion/respuestas").exists()
    assert "*" in (carpeta / ".gitignore").read_text(encoding="utf-8").split()
    assert "mi_curso" in informe.resumen()[0]


def test_la_carpeta_del_espacio_no_aparece_en_git_status(tmp_path):
    raiz = _curso(tmp_path)
    subprocess.run(["git", "init", "-q", str(raiz)], check=True)
    espacio.preparar_espacio(raiz)
    estado = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=raiz,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "mi_curso" not in estado
    assert "modules/01_introduccion.ipynb" in estado  # the check itself can see untracked files


def test_lo_que_cambio_el_estudiante_nunca_se_sobrescribe_y_lo_nuevo_va_al_lado(tmp_path):
    raiz = _curso(tmp_path)
    espacio.preparar_espacio(raiz)
    carpeta = raiz / "mi_curso"
    (carpeta / "modules/01_introduccion.ipynb").write_text("mi trabajo", encoding="utf-8")
    # The course is updated: both files change, and a module is added.
    (raiz / "modules/01_introduccion.ipynb").write_text("modulo 1 v2", encoding="utf-8")
    (raiz / "exercises/m1_introduccion/ejercicios_m1.ipynb").write_text("ejercicio 1 v2", encoding="utf-8")
    (raiz / "modules/02_etapas.ipynb").write_text("modulo 2", encoding="utf-8")

    informe = espacio.preparar_espacio(raiz)
    assert not informe.nuevo
    assert (carpeta / "modules/01_introduccion.ipynb").read_text(encoding="utf-8") == "mi trabajo"
    assert (carpeta / "modules/01_introduccion (versión nueva).ipynb").read_text(
        encoding="utf-8"
    ) == "modulo 1 v2"
    # untouched by the student: updated in place
    assert (carpeta / "exercises/m1_introduccion/ejercicios_m1.ipynb").read_text(
        encoding="utf-8"
    ) == "ejercicio 1 v2"
    assert (carpeta / "modules/02_etapas.ipynb").read_text(encoding="utf-8") == "modulo 2"
    texto = "\n".join(informe.resumen())
    assert "Nuevo en el curso: modules/02_etapas.ipynb" in texto
    assert "Actualizado (no lo habías cambiado): exercises/m1_introduccion/ejercicios_m1.ipynb" in texto
    assert "tu versión queda intacta" in texto and "01_introduccion (versión nueva).ipynb" in texto

    # A third launch with nothing new says nothing and touches nothing.
    tercero = espacio.preparar_espacio(raiz)
    assert tercero.resumen() == []
    assert (carpeta / "modules/01_introduccion.ipynb").read_text(encoding="utf-8") == "mi trabajo"


def test_un_manifiesto_danado_no_cuesta_el_trabajo_del_estudiante(tmp_path):
    raiz = _curso(tmp_path)
    espacio.preparar_espacio(raiz)
    carpeta = raiz / "mi_curso"
    (carpeta / espacio.MANIFIESTO).write_text("{roto", encoding="utf-8")
    (carpeta / "modules/01_introduccion.ipynb").write_text("mi trabajo", encoding="utf-8")
    (raiz / "modules/01_introduccion.ipynb").write_text("modulo 1 v2", encoding="utf-8")
    espacio.preparar_espacio(raiz)
    assert (carpeta / "modules/01_introduccion.ipynb").read_text(encoding="utf-8") == "mi trabajo"


def test_modo_estudiante_sin_paneles_del_instructor_y_como_root(tmp_path):
    carpeta = tmp_path / "mi_curso"
    carpeta.mkdir()
    arranque = espacio.orden_de_jupyterlab(carpeta, puerto=8899, ficha="f", abrir_navegador=False)
    config = Path(arranque.entorno["JUPYTER_CONFIG_PATH"].split(os.pathsep)[0])
    pagina = json.loads((config / "labconfig" / "page_config.json").read_text(encoding="utf-8"))
    assert pagina["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True
    assert pagina["disabledExtensions"]["@jupyter/nbgrader:create-assignment"] is True
    servidor = json.loads((config / "jupyter_server_config.json").read_text(encoding="utf-8"))
    assert servidor["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is False
    assert f"--ServerApp.root_dir={carpeta}" in arranque.orden
    assert ("--ServerApp.allow_root=True" in arranque.orden) == (os.geteuid() == 0)
    assert arranque.url.endswith("/lab/tree/modules/01_introduccion.ipynb?token=f")


def test_un_cuaderno_roto_da_una_linea_en_espanol_y_no_lanza(tmp_path):
    raiz = tmp_path / "libro"
    (raiz / "modules").mkdir(parents=True)
    (raiz / "_config.yml").write_text(
        textwrap.dedent("""\
        title: Prueba
        only_build_toc_files: true
        execute:
          execute_notebooks: cache
          allow_errors: false
        sphinx:
          config:
            language: es
        """),
        encoding="utf-8",
    )
    (raiz / "_toc.yml").write_text("format: jb-book\nroot: modules/01_introduccion\n", encoding="utf-8")
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Módulo 1"),
            nbformat.v4.new_code_cell("x = 1"),
            nbformat.v4.new_code_cell("y = variable_que_no_existe + 1"),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, raiz / "modules" / "01_introduccion.ipynb")
    linea = espacio.construir_libro_en_silencio(raiz)
    assert linea is not None
    assert "\n" not in linea
    assert "modules/01_introduccion.ipynb" in linea
    assert "celda 3" in linea
    assert "NameError" in linea
    assert "--sin-libro" in linea
    # Sphinx's own chatter went to the log file, not to the student.
    assert "Running Sphinx" in (raiz / "_build" / "registro-libro.txt").read_text(encoding="utf-8")


def test_opcion_desconocida_en_espanol(capsys):
    assert espacio.main(["--rapido"]) == 2
    assert "Opción desconocida: --rapido" in capsys.readouterr().err


@pytest.mark.parametrize("guion", ["curso.sh", "_entorno.sh"])
def test_guiones_sin_errores_de_sintaxis(guion):
    subprocess.run(["bash", "-n", str(RAIZ / "scripts" / guion)], check=True)
    assert sys.executable


def test_abrir_el_curso_habla_en_espanol_de_principio_a_fin(tmp_path):
    """The real launch (as root here): Spanish lines, the module-1 URL, and Ctrl+C closes it in Spanish."""
    import re
    import signal
    import time
    import urllib.request

    raiz = _curso(tmp_path)
    casa = tmp_path / "casa"
    entorno = {
        **os.environ,
        "HOME": str(casa),
        "JUPYTER_RUNTIME_DIR": str(casa / "jr"),
        "JUPYTER_CONFIG_DIR": str(casa / "jc"),
        "JUPYTER_DATA_DIR": str(casa / "jd"),
    }
    codigo = (
        "import sys; from cj_course.espacio import abrir_curso; "
        f"sys.exit(abrir_curso({str(raiz)!r}, libro=False, abrir_navegador=False))"
    )
    proceso = subprocess.Popen(
        [sys.executable, "-c", codigo],
        env=entorno,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lineas = []
    try:
        for linea in proceso.stdout:
            lineas.append(linea)
            if "token=" in linea:
                break
        url = lineas[-1].strip()
        assert re.fullmatch(
            r"http://127\.0\.0\.1:\d+/lab/tree/modules/01_introduccion\.ipynb\?token=\w+", url
        )
        base, ficha = url.split("/lab/")[0], url.split("token=")[1]
        limite = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={ficha}", timeout=3).close()
                break
            except OSError:
                assert time.monotonic() < limite and proceso.poll() is None, "".join(lineas)
                time.sleep(0.3)
        os.killpg(proceso.pid, signal.SIGINT)  # what Ctrl+C in the terminal does
        resto, _ = proceso.communicate(timeout=60)
    finally:
        if proceso.poll() is None:
            os.killpg(proceso.pid, signal.SIGKILL)
    salida = "".join(lineas) + resto
    assert proceso.returncode == 0, salida
    assert "JupyterLab se cerró" in salida
    if os.geteuid() == 0:
        assert "administrador (root)" in salida
    # Nothing from JupyterLab's own (English) log reaches the student's terminal.
    for ingles in (
        "Running as root",
        "ServerApp]",
        "Shut down this",
        "Kernel is running over TCP",
        "Traceback",
    ):
        assert ingles not in salida, salida
    assert (raiz / "mi_curso" / ".registro-jupyterlab.txt").exists()


def test_la_primera_construccion_muestra_una_barra_de_progreso_en_espanol(tmp_path):
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    raiz = tmp_path / "libro"
    (raiz / "modules").mkdir(parents=True)
    (raiz / "_config.yml").write_text(
        "title: Prueba\nonly_build_toc_files: true\nexecute:\n"
        "  execute_notebooks: cache\nsphinx:\n  config:\n    language: es\n",
        encoding="utf-8",
    )
    (raiz / "_toc.yml").write_text(
        "format: jb-book\nroot: modules/a\nchapters:\n- file: modules/b\n", encoding="utf-8"
    )
    for nombre in "ab":
        nbformat.write(
            nbformat.v4.new_notebook(
                cells=[nbformat.v4.new_markdown_cell(f"# {nombre}"), nbformat.v4.new_code_cell("1 + 1")],
                metadata={
                    "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
                },
            ),
            raiz / "modules" / f"{nombre}.ipynb",
        )
    terminal = Terminal()
    assert espacio.construir_libro_en_silencio(raiz, salida=terminal) is None
    pantalla = terminal.getvalue()
    assert "Libro: [" in pantalla and pantalla.rstrip().endswith("2/2")
    assert "Running Sphinx" not in pantalla and "WARNING" not in pantalla


def test_la_huella_del_libro_cambia_si_cambia_una_fuente(tmp_path):
    raiz = _curso(tmp_path)
    (raiz / "_config.yml").write_text("title: x\n", encoding="utf-8")
    antes = espacio.huella_del_libro(raiz)
    assert espacio.huella_del_libro(raiz) == antes
    (raiz / "modules" / "01_introduccion.ipynb").write_text("modulo 1 cambiado", encoding="utf-8")
    assert espacio.huella_del_libro(raiz) != antes
    # the student's workspace is not a source of the book
    despues = espacio.huella_del_libro(raiz)
    espacio.preparar_espacio(raiz)
    (raiz / "mi_curso" / "modules" / "01_introduccion.ipynb").write_text("mi trabajo", encoding="utf-8")
    assert espacio.huella_del_libro(raiz) == despues
