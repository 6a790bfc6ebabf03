"""El recorrido de un estudiante en un JupyterLab real (modo estudiante, como lo abre scripts/curso.sh) y
Chromium sin cabeza: espacio nuevo, el módulo 1 se abre solo, menús, diálogo de reinicio y barra del
cuaderno en español, sin paneles del instructor; un ejercicio con un error que se corrige, «Ejecutar
todas» que llega al final pese a una comprobación que falla, y un reinicio que conserva las respuestas.
Nada de lo que ve el estudiante tiene palabras en inglés ni rastreos.

Las capturas quedan en ``artefactos/`` (no se suben a git).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from _navegador import CHROMIUM, esperar_a_jupyterlab, parar_servidor

from cj_course import espacio

pytestmark = pytest.mark.navegador

RAIZ = Path(__file__).resolve().parent.parent
ARTEFACTOS = RAIZ / "artefactos"
ESPERA = 120_000  # ms: the first JupyterLab start on a cold machine can take a minute or more

# Words of JupyterLab's English interface that the Spanish pack translates: any of them on screen means
# an untranslated menu, dialog or button. Whole words, case-sensitive (as the interface writes them).
# "Kernel" and "Notebook" are not here: the Spanish pack itself uses them ("Reiniciar Kernel").
INGLES = re.compile(
    r"\b(File|Edit|View|Run|Tabs|Settings|Help|Restart|Cancel|Validate|Save|Undo|Redo|"
    r"Cut|Copy|Paste|Delete|Select|Interrupt|Shut Down|Close|Open|Rename|Export|Clear|Reference|"
    r"Assignment|Formgrader|Course List|Launcher|Cells?|Show|Hide|Toggle|New|Forum|Licenses|"
    r"Traceback|Selected|All|Theme|Language)\b"
)


def _rutas_de_menu_del_curso(menus: set[str]) -> set[tuple[str, str]]:
    """The "*Menú → Elemento*" paths the student-facing texts name (modules, exercises, book pages)."""
    rutas = set()
    textos = [
        *(RAIZ / "modules").glob("*.ipynb"),
        *(RAIZ / "exercises").glob("*/*.ipynb"),
        *(RAIZ / "book").glob("*.md"),
        RAIZ / "README.md",
    ]
    for archivo in textos:
        if archivo.name == "guia_instructor.md":
            continue  # the instructor's setup keeps nbgrader's English menus on purpose
        texto = archivo.read_text(encoding="utf-8").replace("\\n", " ").replace("\n", " ")
        for menu, elemento in re.findall(r"\*([^*→]+?) → ([^*→]+?)\*", texto):
            menu, elemento = menu.strip(), " ".join(elemento.split())
            if menu in menus:
                rutas.add((menu, elemento))
    assert rutas, "no menu paths found: the pattern no longer matches the course's texts"
    return rutas


def _texto_en_ingles(texto: str) -> list[str]:
    return sorted(set(INGLES.findall(texto)))


@pytest.fixture(scope="module")
def curso(tmp_path_factory):
    """JupyterLab de un estudiante: espacio nuevo copiado de las fuentes, abierto como curso.sh."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            "Falta Chromium: instálalo con `apt-get install -y chromium chromium-driver` "
            "(scripts/pruebas.sh lo hace solo)."
        )
    raiz = tmp_path_factory.mktemp("curso")
    for carpeta in espacio.CARPETAS_DEL_CURSO:
        shutil.copytree(
            RAIZ / carpeta, raiz / carpeta, ignore=shutil.ignore_patterns("respuestas", ".ipynb_*")
        )
    informe = espacio.preparar_espacio(raiz)
    assert informe.nuevo and "modules/01_introduccion.ipynb" in informe.copiados
    casa = tmp_path_factory.mktemp("casa")
    arranque = espacio.orden_de_jupyterlab(
        informe.carpeta, puerto=espacio._puerto_libre(18888), abrir_navegador=False
    )
    entorno = dict(arranque.entorno)
    entorno.update(
        {
            "HOME": str(casa),
            "JUPYTER_CONFIG_DIR": str(casa / "jc"),
            "JUPYTER_DATA_DIR": str(casa / "jd"),
            "JUPYTER_RUNTIME_DIR": str(casa / "jr"),
            "IPYTHONDIR": str(casa / "ip"),
            "MPLCONFIGDIR": str(casa / "mpl"),
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
    )
    registro = open(casa / "jupyterlab.log", "w", encoding="utf-8")  # noqa: SIM115 - closed in finally
    servidor = subprocess.Popen(
        [*arranque.orden, "--LabApp.expose_app_in_browser=True"],
        env=entorno,
        stdout=registro,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = arranque.url.split("/lab/")[0]
    ficha = arranque.url.split("token=")[1]
    try:
        registro.flush()
        esperar_a_jupyterlab(base, ficha, servidor, casa / "jupyterlab.log", ESPERA)
        yield {
            "url": arranque.url,
            "base": base,
            "ficha": ficha,
            "carpeta": informe.carpeta,
            "registro": casa / "jupyterlab.log",
        }
    finally:
        parar_servidor(servidor)
        registro.close()


@pytest.fixture
def pagina(navegador, request):
    contexto = navegador.new_context(viewport={"width": 1400, "height": 1400}, locale="es-ES")
    pagina = contexto.new_page()
    pagina.set_default_timeout(ESPERA)
    yield pagina
    with contextlib.suppress(Exception):
        ARTEFACTOS.mkdir(exist_ok=True)
        pagina.screenshot(path=str(ARTEFACTOS / f"estudiante_{request.node.name}.png"), full_page=True)
    contexto.close()


def _ejecutar(pagina, comando: str) -> None:
    # Not awaited: a command that opens a dialog only resolves once the dialog is answered.
    pagina.evaluate("c => { window.jupyterapp.commands.execute(c); }", comando)


def _esperar_nucleo(pagina) -> None:
    pagina.wait_for_function(
        "() => window.jupyterapp?.shell.currentWidget?.sessionContext?.session?.kernel?.status === 'idle'"
    )


def test_la_url_abre_el_modulo_1_con_menus_dialogo_y_barra_en_espanol(curso, pagina):
    pagina.goto(curso["url"])  # exactly what the terminal prints
    pagina.locator(".jp-Notebook").first.wait_for(state="visible")
    actual = pagina.evaluate("() => window.jupyterapp.shell.currentWidget.context.path")
    assert actual == "modules/01_introduccion.ipynb"
    _esperar_nucleo(pagina)

    # The main menus, each opened and read item by item.
    barra = pagina.locator(".lm-MenuBar-content > .lm-MenuBar-item")
    nombres = [t.strip() for t in barra.all_inner_texts()]
    assert nombres == ["Archivo", "Editar", "Ver", "Ejecutar", "Kernel", "Pestañas", "Configuración", "Ayuda"]
    leido = list(nombres)
    por_menu: dict[str, list[str]] = {}
    for i in range(barra.count()):
        barra.nth(i).click()
        menu = pagina.locator(".lm-Menu").last
        menu.wait_for(state="visible")
        por_menu[nombres[i]] = [t.strip() for t in menu.locator(".lm-Menu-itemLabel").all_inner_texts()]
        leido.extend(por_menu[nombres[i]])
        pagina.keyboard.press("Escape")
    texto_menus = "\n".join(leido)
    # Every "*Menu → Item*" the course tells the student exists, word for word, in that menu.
    for menu, elemento in _rutas_de_menu_del_curso(set(nombres)):
        assert elemento in por_menu[menu], (
            f"El curso dice «{menu} → {elemento}», pero el menú {menu} tiene: {por_menu[menu]}"
        )
    assert "Ejecutar todas las celdas" in texto_menus and "Cortar celda" in texto_menus
    assert _texto_en_ingles(texto_menus) == [], texto_menus
    assert " and " not in texto_menus, texto_menus

    # The notebook toolbar: what its buttons say and their tooltips.
    barra_cuaderno = pagina.locator(".jp-NotebookPanel-toolbar").first
    titulos = barra_cuaderno.evaluate(
        "b => Array.from(b.querySelectorAll('[title], [aria-label]')).map("
        "e => (e.getAttribute('title') || '') + ' ' + (e.getAttribute('aria-label') || '')).join('\\n')"
    )
    texto_barra = titulos + "\n" + barra_cuaderno.inner_text()
    assert "Validate" not in texto_barra  # nbgrader's English button is not in student mode
    assert _texto_en_ingles(texto_barra) == [], texto_barra

    # The restart dialog, then "Cancel" (in Spanish).
    _ejecutar(pagina, "notebook:restart-kernel")
    dialogo = pagina.locator(".jp-Dialog-content")
    dialogo.wait_for(state="visible")
    texto_dialogo = dialogo.inner_text()
    assert "Reiniciar" in texto_dialogo or "reiniciar" in texto_dialogo
    assert _texto_en_ingles(texto_dialogo) == [], texto_dialogo
    assert "Se perderán todas las variables" in texto_dialogo
    dialogo.locator("button", has_text="Cancelar").click()

    # The file browser's header and the status bar, in Spanish too.
    marco = "\n".join(
        [
            pagina.locator(".jp-DirListing-header").first.inner_text(),
            pagina.locator("#jp-main-statusbar").inner_text(),
        ]
    )
    assert _texto_en_ingles(marco) == [] and "Modified" not in marco and "Command" not in marco, marco

    # The file browser of the workspace has no solutions/ and no instructor panels.
    archivos = pagina.evaluate(
        "() => fetch('/api/contents?token=' + new URLSearchParams("
        "location.search).get('token')).then(r => r.json())"
        ".then(d => d.content.map(c => c.name))"
    )
    assert "solutions" not in archivos and {"modules", "exercises"} <= set(archivos)
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{curso['base']}/formgrader?token={curso['ficha']}", timeout=10)


EJERCICIO_M3 = "exercises/m3_mapeo/ejercicios_m3.ipynb"
# What a beginner must never see in a notebook's outputs.
RASTREO = re.compile(
    r"Traceback|most recent call last|site-packages|File \"|\.py\b|NotImplementedError|"
    r"AssertionError|line \d+"
)


def _cuaderno_actual(pagina) -> str:
    """CSS selector of the notebook in the current tab (JupyterLab may restore other tabs beside it)."""
    return "#" + pagina.evaluate("() => window.jupyterapp.shell.currentWidget.id") + " .jp-Notebook"


def _salidas(pagina) -> str:
    return "\n".join(pagina.locator(f"{_cuaderno_actual(pagina)} .jp-OutputArea-output").all_inner_texts())


def _celda(pagina, indice: int):
    return pagina.locator(f"{_cuaderno_actual(pagina)} .jp-Cell").nth(indice)


def _ejecutar_todo_y_esperar(pagina) -> None:
    _ejecutar(pagina, "notebook:run-all-cells")
    # Done when the kernel is idle again and no cell is queued ("[*]").
    # Optional chaining: during a restart the session is briefly null.
    pagina.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " return w?.sessionContext?.session?.kernel?.status === 'idle'"
        " && !Array.from(document.querySelectorAll('.jp-InputPrompt'))"
        ".some(p => p.textContent.includes('*')); }"
    )


def _visible_sin_ingles_ni_rastreos(pagina) -> None:
    salidas = _salidas(pagina)
    assert not RASTREO.findall(salidas), RASTREO.findall(salidas)
    assert _texto_en_ingles(salidas) == [], salidas


def test_recorrido_del_estudiante_en_el_ejercicio_del_modulo_3(curso, pagina):
    pagina.goto(f"{curso['base']}/lab/tree/{EJERCICIO_M3}?token={curso['ficha']}")
    # JupyterLab restores the tabs of the last visit (module 1) too: wait until the exercise is the
    # current tab, with its own kernel ready.
    pagina.wait_for_function(
        f"() => window.jupyterapp?.shell.currentWidget?.context?.path === '{EJERCICIO_M3}'"
    )
    _esperar_nucleo(pagina)
    pagina.wait_for_timeout(500)

    # 1. Run all on a fresh notebook: the checks fail (no answers yet) and the forms below still appear.
    _ejecutar_todo_y_esperar(pagina)
    assert pagina.evaluate("() => window.jupyterapp.shell.currentWidget.context.path") == EJERCICIO_M3
    pagina.locator(
        f"{_cuaderno_actual(pagina)} .jp-OutputArea-output", has_text="La comprobación no pasó"
    ).first.wait_for()
    persona = _celda(pagina, 9)
    persona.get_by_label("Nombre", exact=True).wait_for(state="visible")
    _celda(pagina, 15).locator(".widget-text, .widget-textarea").first.wait_for(
        state="visible"
    )  # the map form
    assert "la celda de preparación" not in _salidas(pagina)
    _visible_sin_ingles_ni_rastreos(pagina)

    # 2. The persona form, filled with one mistake (the age in words), then fixed.
    campos = [
        ("Nombre", "María"),
        ("Edad (años)", "veintiocho"),
        ("Ocupación", "Ingeniera de software"),
        ("Ubicación", "Guadalajara"),
        ("Intereses", "tecnología, viajes, fitness"),
        ("Objetivos", "verse bien en la oficina"),
    ]
    for etiqueta, valor in campos:
        campo = persona.get_by_label(etiqueta, exact=True)
        campo.click()
        campo.fill(valor)
        campo.press("Tab")
    persona.get_by_text("no es un número de años válido").first.wait_for(state="visible")
    edad = persona.get_by_label("Edad (años)", exact=True)
    edad.fill("28")
    edad.press("Tab")
    archivo = curso["carpeta"] / "exercises" / "m3_mapeo" / "respuestas" / "m3_persona.json"
    limite = time.monotonic() + 60
    while time.monotonic() < limite:
        if archivo.exists() and json.loads(archivo.read_text(encoding="utf-8")).get("edad") in (28, "28"):
            break
        time.sleep(0.5)
    guardado = json.loads(archivo.read_text(encoding="utf-8"))
    assert guardado.get("nombre") == "María" and guardado.get("edad") in (28, "28"), guardado
    # The answer stays in the student's workspace: the course's sources are untouched.
    assert not (curso["carpeta"].parent / "exercises" / "m3_mapeo" / "respuestas").exists()

    # 3. Restart the kernel and run everything: the answers come back and the persona check passes.
    _ejecutar(pagina, "notebook:restart-run-all")
    dialogo = pagina.locator(".jp-Dialog-content")
    dialogo.wait_for(state="visible")
    assert _texto_en_ingles(dialogo.inner_text()) == []
    dialogo.locator("button.jp-mod-accept").click()
    pagina.wait_for_timeout(1000)
    _ejecutar_todo_y_esperar(pagina)
    assert persona.get_by_label("Nombre", exact=True).input_value() == "María"
    assert persona.get_by_label("Edad (años)", exact=True).input_value() == "28"
    rasgos = _celda(pagina, 11)
    assert (
        rasgos.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").count() == 0
    )
    assert "La comprobación no pasó" not in rasgos.inner_text()
    _visible_sin_ingles_ni_rastreos(pagina)
