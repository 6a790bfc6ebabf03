"""De extremo a extremo en un JupyterLab real y Chromium sin cabeza: se rellena el formulario solo con
el teclado, se reinicia el núcleo, se ejecuta todo… y la respuesta vuelve y la comprobación pasa.

Las capturas quedan en ``artefactos/`` (no se suben a git).
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from _navegador import CHROMIUM, chromium, esperar_a_jupyterlab, parar_servidor

pytestmark = pytest.mark.navegador

ARTEFACTOS = Path(__file__).resolve().parent.parent / "artefactos"
EJERCICIO = "prueba_persona"
ESPERA = 120_000  # ms: the first JupyterLab start on a cold machine can take a minute or more


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cuaderno() -> nbformat.NotebookNode:
    celdas = [
        f"""
        import os
        from cj_course import afirmar_valido
        from cj_course.widgets import FormularioPersona

        formulario = FormularioPersona("{EJERCICIO}")
        formulario
        """,
        "persona = formulario.respuesta",
        """
        print("NUCLEO", os.getpid())
        afirmar_valido(persona)
        print("COMPROBACION SUPERADA:", persona.nombre)
        """,
    ]
    return nbformat.v4.new_notebook(
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        cells=[nbformat.v4.new_code_cell(textwrap.dedent(c).strip()) for c in celdas],
    )


def _apagar_nucleos(url: str, ficha: str) -> None:
    try:
        with urllib.request.urlopen(f"{url}/api/kernels?token={ficha}", timeout=10) as r:
            nucleos = json.load(r)
        for nucleo in nucleos:
            peticion = urllib.request.Request(
                f"{url}/api/kernels/{nucleo['id']}?token={ficha}", method="DELETE"
            )
            urllib.request.urlopen(peticion, timeout=30).close()
    except OSError:
        pass  # the server is already gone: its kernels were shut down with it


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """A JupyterLab on 127.0.0.1 with its own home; always stopped at the end."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Falta Chromium: instálalo con `apt-get install -y chromium chromium-driver` "
            "(scripts/pruebas.sh lo hace solo)."
        )
    raiz = tmp_path_factory.mktemp("cuadernos")
    casa = tmp_path_factory.mktemp("casa")
    nbformat.write(_cuaderno(), raiz / "persona.ipynb")
    entorno = dict(os.environ)
    entorno.update(
        {
            "HOME": str(casa),
            "JUPYTER_CONFIG_DIR": str(casa / "jc"),
            "JUPYTER_DATA_DIR": str(casa / "jd"),
            "JUPYTER_RUNTIME_DIR": str(casa / "jr"),
            "IPYTHONDIR": str(casa / "ip"),
            "MPLCONFIGDIR": str(casa / "mpl"),
            "MPLBACKEND": "Agg",
            # The kernel spec runs "python": the course's environment must come first.
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
    )
    # No "news" pop-up over the page in a test.
    (casa / "jc" / "labconfig").mkdir(parents=True)
    (casa / "jc" / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}),
        encoding="utf-8",
    )
    puerto, ficha = _puerto_libre(), secrets.token_hex(16)
    registro = open(casa / "jupyterlab.log", "w", encoding="utf-8")  # noqa: SIM115 - closed in finally
    servidor = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--port={puerto}",
            f"--IdentityProvider.token={ficha}",
            f"--ServerApp.root_dir={raiz}",
            "--LabApp.expose_app_in_browser=True",
        ],
        env=entorno,
        stdout=registro,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        url = f"http://127.0.0.1:{puerto}"
        registro.flush()
        esperar_a_jupyterlab(url, ficha, servidor, casa / "jupyterlab.log", ESPERA)
        yield {"url": url, "ficha": ficha, "raiz": raiz}
    finally:
        # Kernels run in their own process groups: ask the server to shut them down first, then stop
        # the server's whole process group.
        _apagar_nucleos(f"http://127.0.0.1:{puerto}", ficha)
        parar_servidor(servidor)
        registro.close()


@pytest.fixture
def pagina(jupyterlab):
    with chromium() as navegador:
        contexto = navegador.new_context(viewport={"width": 1280, "height": 1400}, locale="es-ES")
        pagina = contexto.new_page()
        pagina.set_default_timeout(ESPERA)
        yield pagina


def _ejecutar(pagina, comando: str) -> None:
    # Not awaited: a command that opens a dialog only resolves once the dialog is answered.
    pagina.evaluate("c => { window.jupyterapp.commands.execute(c); }", comando)


def _salida_con(pagina, texto: str) -> str:
    salida = pagina.locator(".jp-OutputArea-output", has_text=texto).first
    salida.wait_for(state="visible")
    return salida.inner_text()


def _captura(pagina, nombre: str) -> None:
    ARTEFACTOS.mkdir(exist_ok=True)
    pagina.screenshot(path=str(ARTEFACTOS / nombre), full_page=True)


def test_rellenar_con_teclado_reiniciar_y_ejecutar_todo(jupyterlab, pagina):
    try:
        _recorrido(jupyterlab, pagina)
    except BaseException:
        _captura(pagina, "jupyterlab_fallo.png")  # what the page showed when it failed
        raise


def _recorrido(jupyterlab, pagina) -> None:
    raiz = jupyterlab["raiz"]
    pagina.goto(f"{jupyterlab['url']}/lab/tree/persona.ipynb?token={jupyterlab['ficha']}")
    pagina.locator(".jp-Notebook").first.wait_for(state="visible")
    pagina.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget "
        "&& window.jupyterapp.shell.currentWidget.sessionContext.session "
        "&& window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
    )
    _ejecutar(pagina, "notebook:run-all-cells")

    # The form renders; displaying it wrote nothing, and the check says there is no answer yet.
    nombre = pagina.get_by_label("Nombre", exact=True)
    nombre.wait_for(state="visible")
    _salida_con(pagina, "Todavía no hay respuesta")
    primer_nucleo = _salida_con(pagina, "NUCLEO").split()[1]
    assert not (raiz / "respuestas").exists()

    # Keyboard only: focus the first field, type, Tab to the next one (the Tab order is the form's).
    nombre.focus()
    campos = [
        ("Nombre", "María"),
        ("Edad (años)", "28"),
        ("Ocupación", "Ingeniera de software"),
        ("Ubicación", "Guadalajara"),
        ("Intereses", "tecnología, viajes, fitness"),
        ("Objetivos", "verse bien en la oficina"),
    ]
    for i, (etiqueta, valor) in enumerate(campos):
        foco = pagina.evaluate("() => document.activeElement.id")
        assert foco and foco == pagina.get_by_label(etiqueta, exact=True).get_attribute("id"), etiqueta
        pagina.keyboard.type(valor, delay=20)
        if i < len(campos) - 1:
            pagina.keyboard.press("Tab")
    archivo = raiz / "respuestas" / f"{EJERCICIO}.json"
    limite = time.monotonic() + 60
    while time.monotonic() < limite:
        if archivo.exists() and "oficina" in archivo.read_text(encoding="utf-8"):
            break
        time.sleep(0.3)
    guardado = json.loads(archivo.read_text(encoding="utf-8"))
    assert guardado["nombre"] == "María" and guardado["edad"] == 28
    assert guardado["intereses"] == ["tecnología", "viajes", "fitness"]
    pagina.locator(".cj-informe", has_text="Todo en orden").first.wait_for(state="visible", timeout=30_000)
    _captura(pagina, "jupyterlab_1_formulario_relleno.png")

    # Restart the kernel and run everything again, as after closing the laptop.
    _ejecutar(pagina, "notebook:restart-run-all")
    pagina.locator(".jp-Dialog-button.jp-mod-accept").click()
    # Only the printed line (the old traceback quotes the code, not this text).
    texto = _salida_con(pagina, "COMPROBACION SUPERADA: María")
    segundo_nucleo = texto.split("NUCLEO")[1].split()[0]
    assert segundo_nucleo != primer_nucleo  # really a new kernel
    nombre = pagina.get_by_label("Nombre", exact=True)
    assert nombre.input_value() == "María"
    assert pagina.get_by_label("Edad (años)", exact=True).input_value() == "28"
    assert "viajes" in pagina.get_by_label("Intereses", exact=True).input_value()
    _captura(pagina, "jupyterlab_2_tras_reiniciar.png")
