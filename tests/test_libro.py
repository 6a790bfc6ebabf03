"""El libro del curso: se construye sin avisos, sin CDN, en español, y sin filtrar soluciones.

Las dos ediciones se construyen una vez por sesión con la orden real
(``cj-course libro construir``), usando la caché de ejecución de ``_build/``.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest
import yaml
from _libro import ejecutar_libro as _ejecutar_libro

from cj_course import ErrorCurso, libro

RAIZ = Path(__file__).resolve().parents[1]
MARCADORES_PROHIBIDOS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
# nbgrader's markers as they appear in code; the narrative pages may *name* the markers (the
# instructor's guide explains the leak check) but never carry them like this.
MARCADORES_DE_CODIGO = tuple(f"### {m}" for m in MARCADORES_PROHIBIDOS)
TEXTOS_EN_INGLES = (
    "Search this book",
    "Toggle primary sidebar",
    "Toggle secondary sidebar",
    'aria-label="Main"',
    "Launch on",
    "Launch interactive content",
    "Link to this heading",
    'aria-label="Page"',
)


@pytest.fixture(scope="session")
def ediciones(libros_construidos):  # built once for the session (tests/conftest.py)
    return {
        "estudiante": libro.rutas_de_edicion(RAIZ),
        "soluciones": libro.rutas_de_edicion(RAIZ, con_soluciones=True),
    }


def _indice() -> dict:
    return yaml.safe_load((RAIZ / "_toc.yml").read_text(encoding="utf-8"))


def _paginas_html(carpeta: Path) -> list[Path]:
    return sorted(p for p in carpeta.rglob("*.html") if "_static" not in p.parts)


def _texto_visible(ruta: Path) -> str:
    """Page text with tags removed and entities decoded (highlighted code becomes plain code again)."""
    crudo = ruta.read_text(encoding="utf-8", errors="replace")
    return html.unescape(re.sub(r"<[^>]+>", "", crudo))


def _archivos_de_texto(carpeta: Path):
    for ruta in carpeta.rglob("*"):
        if ruta.is_file() and ruta.suffix in {".html", ".js", ".ipynb", ".txt", ".json", ".md"}:
            if "_static" in ruta.relative_to(carpeta).parts[:1]:
                continue  # third-party assets
            yield ruta


def _normalizar(texto: str) -> str:
    """Words only: the same sentence matches in notebook source, rendered HTML and search index."""
    return " ".join(re.sub(r"\W+", " ", texto).lower().split())


def _fuente_de(ruta: Path) -> str:
    if ruta.suffix == ".ipynb":
        return "\n".join(c.source for c in nbformat.read(ruta, as_version=4).cells)
    return ruta.read_text(encoding="utf-8")


def _ejecutado(pagina: str, rutas) -> nbformat.NotebookNode:
    """The executed notebook of a page as its edition shows it, from the execution cache.

    (myst-nb's jupyter_execute/ copies carry no outputs in cache mode, so the cache is the record.)
    """
    from jupyter_cache import get_cache

    texto = (RAIZ / f"{pagina}.ipynb").read_text(encoding="utf-8")
    cuaderno = libro.leer_cuaderno(texto, edicion=rutas.edicion)
    try:
        _, ejecutado = get_cache(str(rutas.cache)).merge_match_into_notebook(cuaderno)
    except KeyError:
        pytest.fail(f"{pagina} no está en la caché de ejecución: el libro no lo ejecutó")
    return ejecutado


def _salidas(cuaderno: nbformat.NotebookNode) -> str:
    textos = []
    for celda in cuaderno.cells:
        for salida in celda.get("outputs", []):
            textos.append(salida.get("text", ""))
            for tipo in ("text/plain", "text/html", "text/markdown"):
                textos.append(
                    re.sub(r"<[^>]+>", " ", html.unescape(str(salida.get("data", {}).get(tipo, ""))))
                )
    return "\n".join(textos)


def _texto_publico(rutas=None) -> str:
    """Everything the student edition may legitimately show: its pages' own sources and what the
    modules print (a module may show the very example a solution reuses). Exercise outputs are left
    out on purpose: that is where a leak would appear."""
    fuentes = []
    for pagina in libro.archivos_del_indice(_indice()):
        for sufijo in (".ipynb", ".md"):
            if (RAIZ / f"{pagina}{sufijo}").is_file():
                fuentes.append(_fuente_de(RAIZ / f"{pagina}{sufijo}"))
        if rutas is not None and pagina.startswith("modules/"):
            fuentes.append(_salidas(_ejecutado(pagina, rutas)))
    return _normalizar("\n".join(fuentes))


def _lineas_de_solucion(rutas=None) -> dict[Path, list[str]]:
    """Per source notebook, its solution lines (normalised) that no public page contains.

    A module may show the same example a solution uses; only what is *exclusive* to the solutions
    (answer code, hidden tests, reference answers of free-text cells) proves a leak if it shows up.
    """
    publico = _texto_publico(rutas)
    resultado: dict[Path, list[str]] = {}
    for fuente in sorted((RAIZ / "solutions").glob("*/*.ipynb")):
        lineas: list[str] = []
        for celda in nbformat.read(fuente, as_version=4).cells:
            meta = celda.metadata.get("nbgrader", {})
            if celda.cell_type == "code":
                dentro = False
                for linea in celda.source.splitlines():
                    if re.search(r"BEGIN (SOLUTION|HIDDEN TESTS)", linea):
                        dentro = True
                    elif re.search(r"END (SOLUTION|HIDDEN TESTS)", linea):
                        dentro = False
                    elif dentro:
                        lineas.append(linea)
            elif meta.get("solution"):
                lineas.extend(celda.source.splitlines())
        normalizadas = (_normalizar(linea) for linea in lineas)
        # Short lines (a bare "pass", "x = 1") prove nothing either way.
        resultado[fuente] = [
            linea
            for linea in dict.fromkeys(normalizadas)
            if len(linea.replace(" ", "")) >= 12 and linea not in publico
        ]
    return resultado


class _Recursos(HTMLParser):
    """Collects every <script src> and stylesheet <link href> of a page."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        atributos = dict(attrs)
        if tag == "script" and atributos.get("src"):
            self.urls.append(atributos["src"])
        if tag == "link" and "stylesheet" in (atributos.get("rel") or "").split() and atributos.get("href"):
            self.urls.append(atributos["href"])


# ------------------------------------------------------------------------------------------------
# Building
# ------------------------------------------------------------------------------------------------


def test_las_dos_ediciones_se_construyen_sin_avisos(construcciones):
    for nombre, proceso in construcciones.items():
        assert proceso.returncode == 0, f"{nombre}:\n{proceso.stderr[-5000:]}"
        assert "Avisos: 0" in proceso.stdout
        assert "WARNING:" not in proceso.stderr, f"{nombre}:\n{proceso.stderr[-5000:]}"
        assert "Libro listo:" in proceso.stdout


def test_cada_pagina_del_indice_tiene_su_html(ediciones):
    for pagina in libro.archivos_del_indice(_indice()):
        assert (ediciones["estudiante"].html / f"{pagina}.html").is_file(), pagina
    for pagina in libro.archivos_del_indice(libro.indice_con_soluciones(_indice())):
        assert (ediciones["soluciones"].html / f"{pagina}.html").is_file(), pagina


def test_solo_se_construye_lo_que_enumera_el_indice(ediciones):
    esperadas = {f"{p}.html" for p in libro.archivos_del_indice(_indice())} | {
        "index.html",
        "genindex.html",
        "search.html",
    }
    construidas = {
        p.relative_to(ediciones["estudiante"].html).as_posix()
        for p in _paginas_html(ediciones["estudiante"].html)
    }
    assert construidas == esperadas
    assert not (ediciones["estudiante"].html / "solutions").exists()
    assert not (ediciones["soluciones"].html / "exercises").exists()


def test_un_aviso_hace_fallar_la_construccion_cada_vez(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "_config.yml").write_text(
        (RAIZ / "_config.yml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: book/portada\n", encoding="utf-8")
    (tmp_path / "_vendor").symlink_to(RAIZ / "_vendor")
    for carpeta in ("_recursos", "_plantillas"):
        (tmp_path / "book" / carpeta).symlink_to(RAIZ / "book" / carpeta)
    (tmp_path / "book" / "portada.md").write_text(
        "# Portada\n\nVer {doc}`una página que no existe <no_existe>`.\n", encoding="utf-8"
    )
    for _ in range(2):  # the second build must not forget the warning of the first one
        proceso = _ejecutar_libro(raiz=tmp_path)
        assert proceso.returncode == 1, proceso.stdout + proceso.stderr
        assert "dio 1 aviso(s)" in proceso.stderr and "no_existe" in proceso.stderr


def test_una_pagina_que_falta_se_explica_en_espanol(tmp_path):
    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: book/portada\nchapters:\n  - file: exercises/m1_introduccion/ejercicios_m1\n",
        encoding="utf-8",
    )
    with pytest.raises(ErrorCurso, match=r"Faltan páginas.*exercises/m1_introduccion/ejercicios_m1"):
        libro.construir(tmp_path)
    proceso = _ejecutar_libro(raiz=tmp_path)
    assert proceso.returncode == 2
    assert "Faltan páginas" in proceso.stderr


# ------------------------------------------------------------------------------------------------
# Offline: nothing from a CDN
# ------------------------------------------------------------------------------------------------


def test_ningun_script_ni_estilo_viene_de_fuera(ediciones):
    for edicion in ediciones.values():
        paginas = _paginas_html(edicion.html)
        assert paginas
        for pagina in paginas:
            lector = _Recursos()
            lector.feed(pagina.read_text(encoding="utf-8"))
            for url in lector.urls:
                partes = urlparse(url)
                assert not partes.scheme and not partes.netloc, f"{pagina}: recurso externo {url}"
                destino = (pagina.parent / partes.path).resolve()
                assert destino.is_file(), f"{pagina}: {url} no existe en el libro"
            texto = pagina.read_text(encoding="utf-8")
            for cdn in ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com", "googleapis.com"):
                assert cdn not in texto, f"{pagina} menciona {cdn}"


def test_los_estilos_del_libro_no_importan_nada_de_fuera(ediciones):
    for edicion in ediciones.values():
        for hoja in (edicion.html / "_static").rglob("*.css"):
            contenido = hoja.read_text(encoding="utf-8", errors="replace")
            assert not re.search(r"@import\s+(url\()?['\"]?(https?:)?//", contenido), hoja
            assert not re.search(r"url\(['\"]?(https?:)?//", contenido), hoja


def test_widgets_y_mathjax_se_sirven_desde_el_libro(ediciones):
    static = ediciones["estudiante"].html / "_static"
    for nombre in ("require.js", "embed-amd.js", "mathjax/tex-chtml.js"):
        assert (static / nombre).read_bytes() == (RAIZ / "_vendor" / nombre).read_bytes()
    # The widget manager must not fall back to a CDN for the built-in widgets.
    con_estado = [
        p
        for p in _paginas_html(ediciones["estudiante"].html)
        if "application/vnd.jupyter.widget-state+json" in p.read_text(encoding="utf-8")
    ]
    assert any(p.parent.name == "modules" for p in con_estado), "ningún módulo muestra un widget"
    for pagina in con_estado:
        texto = pagina.read_text(encoding="utf-8")
        assert re.search(r'<script data-jupyter-widgets-cdn="" src="[./]*_static/embed-amd\.js', texto), (
            pagina
        )
        assert re.search(r'<script src="[./]*_static/require\.js', texto), pagina


def test_los_recursos_vendorizados_tienen_licencia_y_suma(ediciones):
    vendor = RAIZ / "_vendor"
    leeme = (vendor / "LEEME.txt").read_text(encoding="utf-8")
    sumas = dict(
        (ruta, suma) for suma, ruta in re.findall(r"^([0-9a-f]{64})  (\S+)$", leeme, flags=re.MULTILINE)
    )
    import hashlib

    archivos = [p for p in vendor.rglob("*") if p.is_file() and p.name != "LEEME.txt"]
    assert {p.relative_to(vendor).as_posix() for p in archivos} == set(sumas)
    for ruta in archivos:
        assert hashlib.sha256(ruta.read_bytes()).hexdigest() == sumas[ruta.relative_to(vendor).as_posix()]
    for licencia in ("requirejs-LICENSE.txt", "html-manager-LICENSE.txt", "mathjax-LICENSE.txt"):
        assert (vendor / "licencias" / licencia).stat().st_size > 500
    assert not (RAIZ / "_static").exists(), "Jupyter Book cargaría dos veces los JS de _static/"


# ------------------------------------------------------------------------------------------------
# Spanish
# ------------------------------------------------------------------------------------------------


def test_la_interfaz_esta_en_espanol(ediciones):
    for pagina in _paginas_html(ediciones["estudiante"].html):
        texto = pagina.read_text(encoding="utf-8")
        if 'http-equiv="Refresh"' in texto:
            continue  # index.html only redirects to the cover
        assert '<html lang="es"' in texto, pagina
        for ingles in TEXTOS_EN_INGLES:
            assert ingles not in texto, f"{pagina}: «{ingles}» sin traducir"
    portada = (ediciones["estudiante"].html / "book" / "portada.html").read_text(encoding="utf-8")
    assert 'placeholder="Buscar en el curso…"' in portada


def test_la_busqueda_usa_el_lematizador_espanol(ediciones):
    html_dir = ediciones["estudiante"].html
    assert "LANGUAGE: 'es'" in (html_dir / "_static" / "documentation_options.js").read_text(encoding="utf-8")
    assert "SpanishStemmer" in (html_dir / "_static" / "language_data.js").read_text(encoding="utf-8")
    indice = (html_dir / "searchindex.js").read_text(encoding="utf-8")
    # "retención" and "retenciones" share one Spanish stem: the index holds the stem, not the word.
    assert '"retencion"' in indice


# ------------------------------------------------------------------------------------------------
# Launch buttons and repository link
# ------------------------------------------------------------------------------------------------


def test_boton_de_jupyterhub_y_repositorio_segun_config(ediciones):
    config = yaml.safe_load((RAIZ / "_config.yml").read_text(encoding="utf-8"))
    hub = config["launch_buttons"]["jupyterhub_url"].rstrip("/")
    repositorio = config["repository"]["url"]
    modulo = (ediciones["estudiante"].html / "modules" / "01_introduccion.html").read_text(encoding="utf-8")
    if not hub:
        # No hub configured: no launch button pointing nowhere (issue 14).
        assert "user-redirect/git-pull" not in modulo
    else:
        enlace = html.unescape(
            re.search(r'href="([^"]*/hub/user-redirect/git-pull\?[^"]*)"', modulo).group(1)
        )
        assert enlace.startswith(f"{hub}/hub/user-redirect/git-pull?")
        assert "modules/01_introduccion.ipynb" in enlace
    assert f'href="{repositorio}"' in modulo


def test_las_urls_se_pueden_cambiar_en_una_construccion():
    from jupyter_book.config import get_final_config

    config = yaml.safe_load((RAIZ / "_config.yml").read_text(encoding="utf-8"))
    rutas = libro.rutas_de_edicion(RAIZ)
    sustituir = libro._sustituciones(
        rutas, config, jupyterhub="https://hub.ejemplo.org", repositorio="https://git.ejemplo.org/curso"
    )
    final, _ = get_final_config(user_yaml=RAIZ / "_config.yml", cli_config=sustituir, sourcedir=RAIZ)
    tema = final["html_theme_options"]
    assert tema["launch_buttons"]["jupyterhub_url"] == "https://hub.ejemplo.org"
    assert tema["repository_url"] == "https://git.ejemplo.org/curso"
    # the rest of the launch settings and of the theme options survive the override
    assert tema["launch_buttons"]["notebook_interface"] == config["launch_buttons"]["notebook_interface"]
    assert tema["search_bar_text"] == "Buscar en el curso…"
    assert final["language"] == "es"


# ------------------------------------------------------------------------------------------------
# Editions: no solution ever reaches the student edition
# ------------------------------------------------------------------------------------------------


def test_la_edicion_del_estudiante_no_contiene_soluciones(ediciones):
    carpeta = ediciones["estudiante"].html
    lineas = [linea for grupo in _lineas_de_solucion(ediciones["estudiante"]).values() for linea in grupo]
    assert lineas, "las soluciones no tienen nada propio que buscar"
    for ruta in _archivos_de_texto(carpeta):
        crudo = ruta.read_text(encoding="utf-8", errors="replace")
        de_cuaderno = {"exercises", "modules"} & set(ruta.relative_to(carpeta).parts)
        for marcador in MARCADORES_PROHIBIDOS if de_cuaderno else MARCADORES_DE_CODIGO:
            assert marcador not in crudo, f"{ruta}: contiene «{marcador}»"
        texto = _normalizar(_texto_visible(ruta) if ruta.suffix == ".html" else crudo)
        for linea in lineas:
            assert linea not in texto, f"{ruta}: contiene código de una solución: {linea!r}"
    # the executed copies the default book keeps beside the HTML are student versions too
    for ruta in ediciones["estudiante"].ejecutados.rglob("*.ipynb"):
        assert not any(m in ruta.read_text(encoding="utf-8") for m in MARCADORES_PROHIBIDOS), ruta


def test_la_edicion_con_soluciones_si_las_contiene(ediciones):
    lineas_por_cuaderno = _lineas_de_solucion()
    assert lineas_por_cuaderno, "no hay cuadernos en solutions/"
    carpeta = ediciones["soluciones"].html
    for fuente, lineas in lineas_por_cuaderno.items():
        pagina = carpeta / fuente.relative_to(RAIZ).with_suffix(".html")
        texto = _texto_visible(pagina)
        assert "BEGIN SOLUTION" in texto, pagina
        texto = _normalizar(texto)
        for linea in lineas:
            assert linea in texto, f"{pagina}: falta la línea de la solución {linea!r}"
    if any("BEGIN HIDDEN TESTS" in f.read_text(encoding="utf-8") for f in lineas_por_cuaderno):
        assert any("BEGIN HIDDEN TESTS" in _texto_visible(p) for p in _paginas_html(carpeta / "solutions"))


def test_la_edicion_con_soluciones_no_enlaza_a_los_ejercicios(ediciones):
    carpeta = ediciones["soluciones"].html
    for pagina in _paginas_html(carpeta):
        for destino in re.findall(r'href="([^"#]*\.html)', pagina.read_text(encoding="utf-8")):
            if not urlparse(destino).scheme:
                assert (pagina.parent / destino).resolve().is_file(), f"{pagina}: enlace roto {destino}"


def test_los_enlaces_a_ejercicios_cambian_solo_en_la_edicion_con_soluciones():
    class App:
        class config:  # mimics Sphinx's app.config
            cj_libro_edicion = "soluciones"

    fuente = [
        "[hazlo](../exercises/m1_introduccion/ejercicios_m1.ipynb), {doc}`x <exercises/m2/e>`, "
        "{doc}`../exercises/m4/e`, la carpeta `exercises/m3`"
    ]
    libro._enlaces_de_la_edicion(App, "modules/01", fuente)
    assert fuente[0] == (
        "[hazlo](../solutions/m1_introduccion/ejercicios_m1.ipynb), {doc}`x <solutions/m2/e>`, "
        "{doc}`../solutions/m4/e`, la carpeta `exercises/m3`"
    )
    App.config.cj_libro_edicion = "estudiante"
    original = ["[hazlo](../exercises/m1_introduccion/ejercicios_m1.ipynb)"]
    libro._enlaces_de_la_edicion(App, "modules/01", original)
    assert original == ["[hazlo](../exercises/m1_introduccion/ejercicios_m1.ipynb)"]


def test_ninguna_pagina_muestra_un_error_de_python(ediciones):
    for edicion in ediciones.values():
        for pagina in _paginas_html(edicion.html):
            texto = pagina.read_text(encoding="utf-8")
            assert "output traceback" not in texto, f"{pagina} muestra un error de Python"
            assert "NotImplementedError:" not in _texto_visible(pagina), (
                f"{pagina} muestra la excepción de una respuesta sin hacer"
            )


def test_los_ejercicios_del_estudiante_se_ejecutan_sin_sus_respuestas(ediciones):
    ejercicios = sorted((RAIZ / "exercises").glob("*/*.ipynb"))
    assert ejercicios, "no hay cuadernos en exercises/"
    for cuaderno in ejercicios:
        pagina = cuaderno.relative_to(RAIZ).with_suffix("").as_posix()
        ejecutado = _ejecutado(pagina, ediciones["estudiante"])
        for celda in ejecutado.cells:
            meta = celda.metadata.get("nbgrader", {})
            if celda.cell_type == "code" and (meta.get("solution") or meta.get("grade")):
                assert celda.get("outputs", []) == [], (
                    f"{pagina}: se ejecutó una celda de respuesta o de prueba"
                )
        assert (ediciones["estudiante"].html / f"{pagina}.html").is_file()


# ------------------------------------------------------------------------------------------------
# Units
# ------------------------------------------------------------------------------------------------


def _cuaderno_nbgrader() -> str:
    v4 = nbformat.v4
    celdas = [
        v4.new_markdown_cell("# Ejercicio", metadata={"nbgrader": {"locked": True, "solution": False}}),
        v4.new_code_cell("x = 1", metadata={"nbgrader": {"locked": True, "solution": False, "grade": False}}),
        v4.new_code_cell(
            "raise NotImplementedError()", metadata={"nbgrader": {"solution": True, "grade": False}}
        ),
        v4.new_code_cell("assert respuesta", metadata={"nbgrader": {"solution": False, "grade": True}}),
        v4.new_code_cell("print(2)"),
    ]
    return nbformat.writes(v4.new_notebook(cells=celdas))


def test_el_lector_solo_salta_respuestas_y_pruebas_en_la_edicion_del_estudiante():
    estudiante = libro.leer_cuaderno(_cuaderno_nbgrader())
    # (without the page's notice that the forms are static on the web, a cell the reader adds)
    etiquetas = [c.metadata.get("tags", []) for c in estudiante.cells if "cj-aviso-ejercicio" not in c.source]
    assert etiquetas == [[], [], ["skip-execution"], ["skip-execution"], []]
    assert estudiante.metadata["mystnb"]["execution_allow_errors"] is True
    soluciones = libro.leer_cuaderno(_cuaderno_nbgrader(), edicion="soluciones")
    assert all("tags" not in c.metadata for c in soluciones.cells)
    assert "mystnb" not in soluciones.metadata
    modulo = nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")]))
    assert "mystnb" not in libro.leer_cuaderno(modulo).metadata
    with pytest.raises(ErrorCurso, match="Edición desconocida"):
        libro.leer_cuaderno(modulo, edicion="profesor")


def test_el_indice_con_soluciones_solo_cambia_los_ejercicios():
    indice = _indice()
    cambiado = libro.indice_con_soluciones(indice)
    antes, despues = libro.archivos_del_indice(indice), libro.archivos_del_indice(cambiado)
    assert len(antes) == len(despues)
    for a, d in zip(antes, despues, strict=True):
        if a.startswith("exercises/"):
            assert d == "solutions/" + a.removeprefix("exercises/")
        else:
            assert d == a
    assert any(a.startswith("exercises/") for a in antes)
    assert libro.archivos_del_indice(indice) == antes, "el índice original no debe cambiar"


def test_sin_chromium_ni_paquetes_el_pdf_dice_que_instalar_antes_de_construir(monkeypatch):
    from cj_course import libro_pdf

    monkeypatch.setenv("CJ_CHROMIUM", "/no/existe/chromium")
    monkeypatch.setattr(libro_pdf.os, "access", lambda *_: False)  # no candidate is executable
    with pytest.raises(ErrorCurso, match="No encuentro Chromium") as error:
        libro_pdf.comprobar_lo_necesario()
    assert "apt-get install -y chromium" in error.value.pista
    assert "quedó construido" not in error.value.pista  # it is checked before building anything
    monkeypatch.undo()
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda n, *a: None if n == "pypdf" else real(n, *a))
    with pytest.raises(ErrorCurso, match="pypdf") as error:
        libro_pdf.comprobar_lo_necesario()
    assert "pip install -e '.[curso]'" in error.value.pista
