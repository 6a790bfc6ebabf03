"""Construye el libro del curso (Jupyter Book 1) y mantiene sus recursos JavaScript sin CDN.

Dos ediciones salen del mismo índice (``_toc.yml``):

* **estudiante** (por defecto): módulos + cuadernos de ``exercises/`` (sin soluciones) en ``_build/html``;
* **con soluciones**: los mismos capítulos, pero con los cuadernos de ``solutions/``,
  en ``_build/soluciones/html`` (para instructores y autodidactas).

Uso desde la terminal::

    cj-course libro construir                    # edición del estudiante
    cj-course libro construir --con-soluciones   # edición con soluciones
    cj-course libro construir --limpio           # desde cero (borra la caché de ejecución)
    cj-course libro construir --pdf              # también en PDF: _build/pdf/curso-customer-journey.pdf
    cj-course libro vendorizar                   # vuelve a descargar require.js, widgets y MathJax

Ejemplo desde Python::

    >>> from cj_course.libro import rutas_de_edicion
    >>> rutas_de_edicion("/curso", con_soluciones=True).html.as_posix()
    '/curso/_build/soluciones/html'
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cj_course._entorno import variable_de_entorno
from cj_course._errores import ErrorCurso

__all__ = [
    "EDICIONES",
    "ResultadoLibro",
    "RutasEdicion",
    "archivos_del_indice",
    "construir",
    "indice_con_soluciones",
    "leer_cuaderno",
    "raiz_del_libro",
    "rutas_de_edicion",
    "vendorizar",
]

EDICIONES = ("estudiante", "soluciones")
CARPETA_EJERCICIOS = "exercises"
CARPETA_SOLUCIONES = "solutions"
ETIQUETA_SIN_EJECUTAR = "skip-execution"  # the tag nbclient honours

# ---------------------------------------------------------------------------------------------
# Reading notebooks for the book
# ---------------------------------------------------------------------------------------------


def leer_cuaderno(texto: str, edicion: str = "estudiante", hub: bool = False):
    """Lee un cuaderno para el libro; en la edición del estudiante no ejecuta respuestas ni pruebas.

    Las celdas de respuesta de nbgrader (``solution``) solo contienen el esbozo que lanza
    ``NotImplementedError`` y las celdas de prueba (``grade``) fallarían sin respuesta: el libro
    las muestra como código, sin salida, en lugar de llenar la página de errores. El resto del
    cuaderno (explicaciones, formularios, figuras) sí se ejecuta. Es el lector que ``_config.yml``
    registra para ``.ipynb`` (``nb_custom_formats``); ``hub`` dice si el libro tiene un JupyterHub al que
    abrir los ejercicios (el aviso de las páginas de ejercicio solo lo menciona entonces).

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
    ...     "raise NotImplementedError()", metadata={"nbgrader": {"solution": True, "grade": False}})])
    >>> leer_cuaderno(nbformat.writes(nb)).cells[-1].metadata["tags"]
    ['skip-execution']
    """
    import nbformat

    if edicion not in EDICIONES:
        raise ErrorCurso(
            f"Edición desconocida: {edicion!r}.",
            campo="edicion",
            pista=f"Usa una de estas: {', '.join(EDICIONES)}.",
        )
    cuaderno = nbformat.reads(texto, as_version=4)
    _aviso_de_formularios(cuaderno, hub)
    if edicion != "estudiante":
        return cuaderno
    hay_nbgrader = False
    for celda in cuaderno.cells:
        meta = celda.get("metadata", {}).get("nbgrader", {})
        if not meta:
            continue
        hay_nbgrader = True
        if celda.cell_type == "code" and (meta.get("solution") or meta.get("grade")):
            etiquetas = list(celda.metadata.get("tags", []))
            if ETIQUETA_SIN_EJECUTAR not in etiquetas:
                etiquetas.append(ETIQUETA_SIN_EJECUTAR)
            celda.metadata["tags"] = etiquetas
    if hay_nbgrader:
        # Safety net: a helper cell that needs the (absent) answer shows its message instead of
        # aborting the whole page; tests/test_libro.py still fails if any page shows a traceback.
        cuaderno.metadata.setdefault("mystnb", {})["execution_allow_errors"] = True
    return cuaderno


AVISO_FORMULARIOS = """\
:::{admonition} En la web, los formularios de este ejercicio no responden
:class: tip cj-aviso-ejercicio

Esta página muestra el ejercicio tal como es, pero aquí los formularios son una imagen fija: no guardan
nada ni comprueban nada. Para responderlo, ábrelo en JupyterLab:

- **En tu computadora:** en la carpeta del curso ejecuta `bash scripts/curso.sh`; se abre JupyterLab en
  tu espacio de trabajo (`mi_curso/`). Allí abre este ejercicio en la carpeta `exercises/` (en el
  explorador de archivos, a la izquierda) y ejecuta las celdas con *Ejecutar → Ejecutar todas las celdas*.
:::
"""
AVISO_HUB = """\
- **En el JupyterHub del curso:** usa el botón de lanzar (el cohete) de la parte de arriba de esta
  página; abre el ejercicio directamente en el hub.
"""


def _aviso_de_formularios(cuaderno, hub: bool) -> None:
    """Exercise pages (nbgrader notebooks) say first that their forms are static on the web."""
    import nbformat

    if not any(c.get("metadata", {}).get("nbgrader") for c in cuaderno.cells):
        return
    if any("cj-aviso-ejercicio" in c.source for c in cuaderno.cells if c.cell_type == "markdown"):
        return
    # After the title cell, so the page keeps its title.
    posicion = 1 if cuaderno.cells and cuaderno.cells[0].cell_type == "markdown" else 0
    aviso = AVISO_FORMULARIOS.replace("\n:::\n", "\n" + AVISO_HUB + ":::\n") if hub else AVISO_FORMULARIOS
    cuaderno.cells.insert(posicion, nbformat.v4.new_markdown_cell(aviso))


# ---------------------------------------------------------------------------------------------
# Sphinx extension (listed in _config.yml): Spanish for the few theme strings without a translation
# ---------------------------------------------------------------------------------------------

TRADUCCIONES_TEMA = {
    "Launch on": "Abrir en",
    "Launch interactive content": "Abrir el contenido interactivo",
    "Link to this heading": "Enlace a este título",
    "Link to this image": "Enlace a esta imagen",
    "Link to this table": "Enlace a esta tabla",
    "Link to this code": "Enlace a este código",
    "Link to this definition": "Enlace a esta definición",
    "Link to this equation": "Enlace a esta ecuación",
}


def _anadir_traducciones(app) -> None:
    import gettext

    from sphinx import locale

    class _Extra(gettext.NullTranslations):
        def gettext(self, mensaje):
            return TRADUCCIONES_TEMA.get(mensaje, mensaje)

    if not str(app.config.language or "").startswith("es"):
        return
    # The Spanish catalogues lack these messages: gettext falls back to ours instead of English.
    for clave in (("general", "sphinx"), ("general", "booktheme")):
        traductor = locale.translators.get(clave)
        if traductor is not None:
            traductor.add_fallback(_Extra())


# a Markdown link target "](…", a role target "<…>" or a bare role target "{doc}`…"
_ENLACE_A_EJERCICIOS = re.compile(r"(\]\(|<|\}`)((?:\.{1,2}/)*)" + CARPETA_EJERCICIOS + "/")


def _enlaces_de_la_edicion(app, docname, fuente) -> None:
    """In the solutions edition, links to exercises/… point to their solutions/… page instead.

    The modules link to their exercises; in that edition those pages are the solutions'
    (the folders mirror each other), so a link to the student version would be broken.
    """
    if app.config.cj_libro_edicion == "soluciones":
        fuente[0] = _ENLACE_A_EJERCICIOS.sub(r"\1\2" + CARPETA_SOLUCIONES + "/", fuente[0])


# ---------------------------------------------------------------------------------------------
# Saved widget state: lighter pages, and every page's state in the one-page (PDF) edition
# ---------------------------------------------------------------------------------------------

ESTADO_WIDGETS = "application/vnd.jupyter.widget-state+json"
_CLAVE_ESTADO = "ipywidgets_state"  # myst-nb's key for the state script of a page


def aligerar_estado_de_widgets(estado: dict) -> dict:
    """El estado guardado de los widgets sin lo que el gestor de widgets ya sabe por sí mismo.

    Cada modelo de diseño o de estilo (``LayoutModel``, ``…StyleModel``) guarda unas cuarenta
    propiedades CSS, casi todas ``null``: ``null`` es también su valor por omisión en el navegador, así
    que se quitan. ``_view_count`` nulo y los ``_model_*`` repetidos del registro del modelo tampoco
    cambian nada. Es idempotente.

    >>> e = {"state": {"a": {"model_name": "LayoutModel", "model_module": "@jupyter-widgets/base",
    ...     "model_module_version": "2.0.0", "state": {"_model_name": "LayoutModel", "_view_count": None,
    ...     "width": None, "display": "none"}}}}
    >>> aligerar_estado_de_widgets(e)["state"]["a"]["state"]
    {'display': 'none'}
    """
    modelos = {}
    for clave, modelo in (estado.get("state") or {}).items():
        propio = dict(modelo.get("state") or {})
        nombre = modelo.get("model_name", "")
        if modelo.get("model_module") in ("@jupyter-widgets/base", "@jupyter-widgets/controls") and (
            nombre == "LayoutModel" or nombre.endswith("StyleModel")
        ):
            propio = {k: v for k, v in propio.items() if v is not None}
        if propio.get("_view_count", 0) is None:
            del propio["_view_count"]
        for atributo, registro in (
            ("_model_name", "model_name"),
            ("_model_module", "model_module"),
            ("_model_module_version", "model_module_version"),
        ):
            if atributo in propio and propio[atributo] == modelo.get(registro):
                del propio[atributo]
        modelos[clave] = {**modelo, "state": propio}
    return {**estado, "state": modelos}


def _cuerpo_aligerado(cuerpo: str) -> str:
    import json

    estado = aligerar_estado_de_widgets(json.loads(cuerpo.replace("<\\/script>", "</script>")))
    # Compact separators: the state is read by a program, never by a person.
    return json.dumps(estado, separators=(",", ":")).replace("</script>", "<\\/script>")


def _estado_de_widgets(app, pagename, plantilla, contexto, doctree) -> None:
    """Before myst-nb adds a page's scripts: the widget state goes lighter, and the one-page build
    (``singlehtml``, the source of the PDF) gets the state of every page, not only the cover's."""
    entorno = app.env
    metadatos = getattr(entorno, "nb_metadata", None)
    if metadatos is None or app.builder is None or app.builder.format != "html":
        return
    for datos in metadatos.values():
        guion = (datos.get("js_files") or {}).get(_CLAVE_ESTADO)
        if guion and "body" in guion[1] and not guion[1].get("data-cj-aligerado"):
            guion[1]["body"] = _cuerpo_aligerado(guion[1]["body"])
            # myst-nb passes these kwargs as attributes of the <script> tag: the mark avoids trimming twice.
            guion[1]["data-cj-aligerado"] = "1"
    if app.builder.name != "singlehtml":
        return
    propios = (metadatos.get(pagename) or {}).get("js_files") or {}
    cargadores_pendientes = not any(k.startswith("ipywidgets_") and k != _CLAVE_ESTADO for k in propios)
    for docname in entorno.all_docs:
        if docname == pagename:
            continue
        archivos = (metadatos.get(docname) or {}).get("js_files") or {}
        guion = archivos.get(_CLAVE_ESTADO)
        if not guion:
            continue
        app.add_js_file(None, **guion[1])
        if cargadores_pendientes:
            for clave, (ruta, opciones) in archivos.items():
                if clave != _CLAVE_ESTADO and clave.startswith("ipywidgets_"):
                    app.add_js_file(ruta, **opciones)
            cargadores_pendientes = False


# The theme (pydata-sphinx-theme) loads Font Awesome twice: its CSS already has every icon as a webfont,
# and scripts/fontawesome.js (1.5 MB, 540 kB gzipped, on every page) only turns the same <i> tags into SVG.
_FONTAWESOME_JS = re.compile(
    r'[ \t]*<script defer src="[^"]*_static/scripts/fontawesome\.js[^"]*"></script>\n?'
)
# The widget manager's CSS brings Font Awesome 5 and claims the short classes (fas, fab, far): on pages with
# widgets the theme's icons would then download FA5's fonts too. The long FA6 names are the theme's alone.
_CLASES_CORTAS = {"fas": "fa-solid", "fab": "fa-brands", "far": "fa-regular"}
_ATRIBUTO_CLASE = re.compile(r'(<i\b[^>]*?\bclass=")([^"]*)(")')


def aligerar_pagina(html: str) -> str:
    """Una página del libro sin el Font Awesome en JavaScript del tema, con sus iconos en la fuente del CSS.

    >>> aligerar_pagina('<script defer src="../_static/scripts/fontawesome.js?d=1"></script>\\n<i class="fab fa-github"></i>')
    '<i class="fa-brands fa-github"></i>'
    """
    html = _FONTAWESOME_JS.sub("", html)

    def largas(m: re.Match[str]) -> str:
        clases = " ".join(_CLASES_CORTAS.get(c, c) for c in m.group(2).split())
        return f"{m.group(1)}{clases}{m.group(3)}"

    return _ATRIBUTO_CLASE.sub(largas, html)


# A CSS rule and the glyphs it names: `.fa-bars:before{content:"\f0c9"}`, `:root{--pst-icon-x:"\f05a"}`.
_REGLA = re.compile(r"([^{}]+)\{([^{}]*)\}")
_GLIFO = re.compile(r'"\\([0-9a-fA-F]{4,5})"')
# Minified CSS may also write the glyph itself, a character of Unicode's private use area.
_GLIFO_LITERAL = re.compile("[\ue000-\uf8ff]")
_SELECTOR_DE_ICONO = re.compile(r"^\.(fa-[a-z0-9-]+):{1,2}(?:before|after)$")
_CLASE_FA = re.compile(r"\bfa-[a-z0-9-]+")
_FUENTES_FA = "vendor/fontawesome/webfonts"


def glifos_usados(css: str, clases: set[str]) -> set[int]:
    r"""Los puntos de código de Font Awesome que hacen falta: los de las clases de icono que se usan y los
    que el CSS pone por sí mismo (flechas del índice, iconos de los avisos en variables CSS…).

    >>> css = '.fa-bars:before{content:"\\f0c9"}.fa-at:before,.fa-x:before{content:"\\f1fa"}'
    >>> css += '.toc a:after{content:"\\f105"}:root{--pst-icon-info:"\\f05a";--pst-icon-x:"\uf35d"}'
    >>> sorted(hex(c) for c in glifos_usados(css, {"fa-bars"}))
    ['0xf05a', '0xf0c9', '0xf105', '0xf35d']
    """
    puntos = set()
    for selectores, cuerpo in _REGLA.findall(css):
        codigos = {int(c, 16) for c in _GLIFO.findall(cuerpo)}
        codigos |= {ord(c) for c in _GLIFO_LITERAL.findall(cuerpo)}
        if not codigos:
            continue
        nombres = [_SELECTOR_DE_ICONO.match(s.strip()) for s in selectores.split(",")]
        if all(nombres) and not {m.group(1) for m in nombres if m} & clases:
            continue  # an icon class no page uses
        puntos |= codigos
    return puntos


def _subconjunto_de_iconos(salida: Path) -> None:
    """The theme's Font Awesome webfonts cut down to the icons the book shows (300 kB -> a few kB a page)."""
    import pydata_sphinx_theme
    from fontTools import subset

    origen = (
        Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / _FUENTES_FA
    )
    css = salida / "_static" / "styles" / "pydata-sphinx-theme.css"
    if not origen.is_dir() or not css.is_file():
        return
    clases: set[str] = set()
    for archivo in [*salida.rglob("*.html"), *(salida / "_static").rglob("*.js")]:
        # Font Awesome's own script names every icon; the widget manager brings its own fonts (FA5).
        if archivo.name in ("fontawesome.js", "embed-amd.js"):
            continue
        clases |= set(_CLASE_FA.findall(archivo.read_text(encoding="utf-8", errors="replace")))
    puntos = glifos_usados(css.read_text(encoding="utf-8"), clases)
    opciones = subset.Options()
    opciones.flavor = "woff2"
    opciones.layout_features = ["*"]
    opciones.notdef_outline = True
    for fuente in sorted(origen.glob("*.woff2")):
        # Always from the theme's full font, so that rebuilding never cuts an already cut font.
        letra = subset.load_font(str(fuente), opciones)
        cortador = subset.Subsetter(opciones)
        cortador.populate(unicodes=puntos)
        cortador.subset(letra)
        destino = salida / "_static" / _FUENTES_FA / fuente.name
        destino.parent.mkdir(parents=True, exist_ok=True)
        subset.save_font(letra, str(destino), opciones)


# Literal English names in the theme's templates, which gettext never sees (sphinx-book-theme's layout.html
# names the print-only contents "Page").
_NOMBRES_LITERALES = {'<nav aria-label="Page">': '<nav aria-label="Contenido de la página">'}


def nombres_en_espanol(html: str) -> str:
    """Los nombres accesibles que el tema escribe en inglés dentro de sus plantillas, en español.

    >>> nombres_en_espanol('<nav aria-label="Page"><ul></ul></nav>')
    '<nav aria-label="Contenido de la página"><ul></ul></nav>'
    """
    for ingles, espanol in _NOMBRES_LITERALES.items():
        html = html.replace(ingles, espanol)
    return html


def _aligerar_al_terminar(app, excepcion) -> None:
    if excepcion is not None or app.builder is None or app.builder.format != "html":
        return
    salida = Path(app.outdir)
    # When no page is out of date Sphinx copies no static file: after `cj-course libro vendorizar` the
    # book would keep serving the old _vendor/ files. Ours are copied whenever they differ.
    for carpeta in app.config.html_static_path:
        origen = Path(app.confdir) / carpeta
        for archivo in (p for p in origen.rglob("*") if p.is_file()) if origen.is_dir() else ():
            destino = salida / "_static" / archivo.relative_to(origen)
            if not destino.is_file() or destino.read_bytes() != archivo.read_bytes():
                destino.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(archivo, destino)
    for pagina in salida.rglob("*.html"):
        texto = pagina.read_text(encoding="utf-8")
        nuevo = nombres_en_espanol(aligerar_pagina(texto))
        if nuevo != texto:
            pagina.write_text(nuevo, encoding="utf-8")
    _subconjunto_de_iconos(salida)


def _mathjax_solo_con_formulas(app, pagename, plantilla, contexto, doctree) -> None:
    """MathJax (264 kB con gzip y sus fuentes) solo en las páginas que tienen una fórmula propia.

    Sphinx lo añade también a una página cuyo índice incluye otra con fórmulas: la portada, la página
    que más se abre, lo descargaba para nada.
    """
    if doctree is None or app.builder is None or app.builder.name != "html":
        return  # singlehtml (the PDF) holds every page, and its formulas
    if any(True for _ in doctree.findall(lambda n: getattr(n, "tagname", "") in ("math", "math_block"))):
        return
    ruta = app.config.mathjax_path
    guiones = contexto.get("script_files") or []
    # The list is the builder's own for this page (restored after it): remove in place.
    guiones[:] = [g for g in guiones if ruta not in str(getattr(g, "filename", g))]


def setup(app):
    """Extensión de Sphinx del libro: termina de traducir el tema y mejora los resúmenes de búsqueda."""
    app.add_config_value("cj_libro_edicion", "estudiante", "env", types=[str])
    app.connect("source-read", _enlaces_de_la_edicion)
    app.connect("builder-inited", _anadir_traducciones)
    # Before myst-nb's own handler (priority 500), which writes the state into the page.
    app.connect("html-page-context", _estado_de_widgets, priority=400)
    app.connect("build-finished", _aligerar_al_terminar)
    # After sphinx.ext.mathjax (priority 500) has added MathJax to the page.
    app.connect("html-page-context", _mathjax_solo_con_formulas, priority=600)
    # book/_recursos/cj-busqueda.js patches Sphinx's Search object: it must load after searchtools.js.
    app.add_js_file("cj-busqueda.js", priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


# ---------------------------------------------------------------------------------------------
# Paths, table of contents and editions
# ---------------------------------------------------------------------------------------------


def raiz_del_libro(raiz: str | os.PathLike[str] | None = None) -> Path:
    """Carpeta que contiene ``_config.yml`` y ``_toc.yml`` (por defecto: la actual o la del paquete).

    >>> raiz_del_libro().joinpath("_toc.yml").is_file()
    True
    """
    candidatas = [Path(raiz)] if raiz is not None else [Path.cwd(), Path(__file__).resolve().parents[1]]
    for candidata in candidatas:
        if (candidata / "_config.yml").is_file() and (candidata / "_toc.yml").is_file():
            return candidata.resolve()
    raise ErrorCurso(
        f"No encuentro el libro del curso en {', '.join(str(c) for c in candidatas)}.",
        campo="raiz",
        pista="Ejecuta la orden desde la carpeta del curso (la que tiene _config.yml y _toc.yml) "
        "o indícala con --raiz.",
    )


@dataclass(frozen=True)
class RutasEdicion:
    """Dónde deja cada edición su HTML, su estado de Sphinx y su índice."""

    raiz: Path
    edicion: str
    html: Path
    doctrees: Path
    indice: Path
    cache: Path
    ejecutados: Path

    @property
    def portada(self) -> Path:
        return self.html / "index.html"

    @property
    def pagina_unica(self) -> Path:
        """Carpeta del libro en una sola página (``singlehtml``), la fuente del PDF."""
        return self.html.parent / "singlehtml"

    @property
    def pdf(self) -> Path:
        """El libro en PDF (``--pdf``)."""
        from cj_course.libro_pdf import NOMBRE_PDF

        return self.html.parent / "pdf" / NOMBRE_PDF


def rutas_de_edicion(raiz: str | os.PathLike[str], *, con_soluciones: bool = False) -> RutasEdicion:
    """Rutas de salida de una edición; la del estudiante coincide con ``jupyter-book build .``.

    Las dos ediciones comparten la caché de ejecución (``_build/.jupyter_cache``): se indexa por el
    código de cada cuaderno, así que un módulo se ejecuta una sola vez y los cuadernos de
    ``exercises/`` y ``solutions/`` nunca se confunden.

    >>> rutas_de_edicion("/curso").html.as_posix()
    '/curso/_build/html'
    """
    raiz = Path(raiz)
    build = raiz / "_build"
    base = build / "soluciones" if con_soluciones else build
    return RutasEdicion(
        raiz=raiz,
        edicion="soluciones" if con_soluciones else "estudiante",
        html=base / "html",
        doctrees=base / ".doctrees",
        indice=(base / "_toc.yml") if con_soluciones else (raiz / "_toc.yml"),
        cache=build / ".jupyter_cache",
        ejecutados=base / "jupyter_execute",
    )


def _leer_yaml(ruta: Path) -> Any:
    import yaml

    try:
        return yaml.safe_load(ruta.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ErrorCurso(
            f"{ruta.name} no es YAML válido: {exc}",
            campo=ruta.name,
            pista="Revisa la sangría y los dos puntos de la línea indicada.",
        ) from exc


def _recorrer_indice(nodo: Any):
    """Yields every dict of the toc that names a file, depth first (the reading order)."""
    if isinstance(nodo, dict):
        if "file" in nodo:
            yield nodo
        for clave in ("parts", "chapters", "sections"):
            for hijo in nodo.get(clave, []) or []:
                yield from _recorrer_indice(hijo)
    elif isinstance(nodo, list):
        for hijo in nodo:
            yield from _recorrer_indice(hijo)


def archivos_del_indice(indice: dict) -> list[str]:
    """Páginas del índice en orden de lectura (raíz primero), sin extensión.

    >>> archivos_del_indice({"root": "book/portada", "chapters": [{"file": "modules/01_introduccion"}]})
    ['book/portada', 'modules/01_introduccion']
    """
    return [indice["root"], *(nodo["file"] for nodo in _recorrer_indice(indice))]


def indice_con_soluciones(indice: dict) -> dict:
    """Copia del índice con cada cuaderno de ``exercises/`` cambiado por su fuente en ``solutions/``.

    >>> indice_con_soluciones({"root": "x", "chapters": [{"file": "exercises/m1/ejercicios_m1"}]})
    {'root': 'x', 'chapters': [{'file': 'solutions/m1/ejercicios_m1'}]}
    """

    nuevo = copy.deepcopy(indice)
    prefijo = CARPETA_EJERCICIOS + "/"
    for nodo in _recorrer_indice(nuevo):
        if nodo["file"].startswith(prefijo):
            nodo["file"] = CARPETA_SOLUCIONES + "/" + nodo["file"][len(prefijo) :]
    return nuevo


def _paginas_que_faltan(raiz: Path, paginas: list[str]) -> list[str]:
    return [
        pagina
        for pagina in paginas
        if not any((raiz / f"{pagina}{sufijo}").is_file() for sufijo in ("", ".md", ".ipynb"))
    ]


# ---------------------------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------------------------


@dataclass
class ResultadoLibro:
    """Resultado de una construcción: dónde quedó, cuánto tardó y qué avisos dio Sphinx."""

    rutas: RutasEdicion
    segundos: float
    avisos: list[str] = field(default_factory=list)
    error: str | None = None
    pdf: Path | None = None  # the PDF, when it was asked for and printed

    @property
    def ok(self) -> bool:
        return self.error is None and not self.avisos


class _Duplicador(io.TextIOBase):
    """Writes to the real stream and keeps a copy, so warnings are both shown and counted."""

    def __init__(self, destino):
        self.destino = destino
        self.copia = io.StringIO()

    def write(self, texto: str) -> int:
        self.destino.write(texto)
        self.copia.write(texto)
        return len(texto)

    def flush(self) -> None:
        self.destino.flush()

    def isatty(self) -> bool:  # no colour codes in the captured warnings
        return False


def _extraer_avisos(texto: str) -> list[str]:
    texto = re.sub(r"\x1b\[[0-9;]*m", "", texto)  # colour codes
    return [
        linea.strip()
        for linea in texto.splitlines()
        if "WARNING:" in linea or "ERROR:" in linea or "CRITICAL:" in linea
    ]


def _bloqueo(ruta: Path):
    """Exclusive lock on _build so two builds (e.g. pytest-xdist workers) never interleave."""
    import fcntl

    ruta.parent.mkdir(parents=True, exist_ok=True)

    @contextlib.contextmanager
    def _cm():
        with open(ruta, "w") as fichero:
            fcntl.flock(fichero, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fichero, fcntl.LOCK_UN)

    return _cm()


def _entorno_de_kernels() -> contextlib.AbstractContextManager[None]:
    """Kernels inherit our environment: make sure their figures end up in the page.

    Test runs and CI export ``MPLBACKEND=Agg``; a kernel started with it draws nothing inline and
    the book would silently lose every figure. The inline backend is what a notebook uses anyway.
    """
    return variable_de_entorno("MPLBACKEND", "module://matplotlib_inline.backend_inline")


def _sustituciones(
    rutas: RutasEdicion,
    config: dict,
    *,
    jupyterhub: str | None,
    repositorio: str | None,
) -> dict:
    """Sphinx settings laid over _config.yml for this edition (merged recursively by Jupyter Book)."""
    sustituir: dict[str, Any] = {
        "external_toc_path": rutas.indice.as_posix(),
        "latex_individualpages": False,  # Jupyter Book's own CLI always passes it
        "nitpicky": True,
        "nb_execution_cache_path": rutas.cache.as_posix(),
    }
    tema: dict[str, Any] = {}
    if jupyterhub is not None:
        tema["launch_buttons"] = {"jupyterhub_url": jupyterhub}
    hub = bool(
        jupyterhub if jupyterhub is not None else (config.get("launch_buttons") or {}).get("jupyterhub_url")
    )
    sustituir["nb_custom_formats"] = {
        ".ipynb": ["cj_course.libro.leer_cuaderno", {"edicion": rutas.edicion, "hub": hub}, False]
    }
    if repositorio is not None:
        tema["repository_url"] = repositorio
    if rutas.edicion == "soluciones":
        sustituir["cj_libro_edicion"] = "soluciones"
        titulo = config.get("title") or "Curso de Customer Journey"
        sustituir["html_title"] = f"{titulo} (edición con soluciones)"
        tema["announcement"] = (
            "Edición con soluciones, para instructores y autodidactas: "
            "intenta cada ejercicio antes de leer su solución."
        )
        excluir = [
            patron
            for patron in config.get("exclude_patterns", [])
            if not patron.startswith(CARPETA_SOLUCIONES)
        ]
        excluir.append(CARPETA_EJERCICIOS)
        sustituir["exclude_patterns"] = sorted({*excluir, "_build", "**.ipynb_checkpoints"})
    if tema:
        sustituir["html_theme_options"] = tema
    return sustituir


def construir(
    raiz: str | os.PathLike[str] | None = None,
    *,
    con_soluciones: bool = False,
    limpio: bool = False,
    jupyterhub: str | None = None,
    repositorio: str | None = None,
    pdf: bool = False,
) -> ResultadoLibro:
    """Construye una edición del libro con los avisos tratados como errores.

    ``limpio`` borra la salida de la edición y la caché de ejecución (todo se vuelve a ejecutar).
    ``pdf`` imprime además la edición en PDF (``rutas.pdf``) con el Chromium del sistema, sin internet.
    ``jupyterhub`` y ``repositorio`` sustituyen, solo en esta construcción, a
    ``launch_buttons.jupyterhub_url`` y ``repository.url`` de ``_config.yml``.
    """
    raiz = raiz_del_libro(raiz)
    rutas = rutas_de_edicion(raiz, con_soluciones=con_soluciones)
    config = _leer_yaml(raiz / "_config.yml") or {}
    indice = _leer_yaml(raiz / "_toc.yml") or {}
    if "root" not in indice:
        raise ErrorCurso(
            "_toc.yml no tiene página raíz.", campo="_toc.yml", pista="Añade una línea 'root: book/portada'."
        )
    if con_soluciones:
        indice = indice_con_soluciones(indice)
    faltan = _paginas_que_faltan(raiz, archivos_del_indice(indice))
    if faltan:
        raise ErrorCurso(
            "Faltan páginas que el índice (_toc.yml) enumera: " + ", ".join(faltan) + ".",
            campo="_toc.yml",
            pista="Crea esos archivos (los ejercicios se generan con nbgrader desde solutions/) "
            "o quítalos del índice.",
        )
    try:
        from jupyter_book.sphinx import build_sphinx
    except ImportError as exc:  # the book is an optional extra of the package
        raise ErrorCurso(
            "Jupyter Book no está instalado en este entorno.",
            pista="Instala el curso completo: pip install -e '.[curso]' (o bash scripts/curso.sh).",
        ) from exc

    sustituir = _sustituciones(rutas, config, jupyterhub=jupyterhub, repositorio=repositorio)
    with _bloqueo(raiz / "_build" / ".bloqueo-libro"):
        if limpio:
            for carpeta in (rutas.html, rutas.doctrees, rutas.ejecutados, rutas.cache):
                shutil.rmtree(carpeta, ignore_errors=True)
        if con_soluciones:
            import yaml

            rutas.indice.parent.mkdir(parents=True, exist_ok=True)
            rutas.indice.write_text(
                "# Generado por cj_course.libro a partir de _toc.yml: no lo edites.\n"
                + yaml.safe_dump(indice, allow_unicode=True, sort_keys=False),
                encoding="utf-8",
            )
        if pdf:
            from cj_course.libro_pdf import comprobar_lo_necesario

            comprobar_lo_necesario()  # say what to install before a long build, not after it
        inicio = time.perf_counter()
        salidas = [("html", rutas.html, rutas.doctrees)]
        if pdf:
            # The same sources, config and execution cache, as one page; its own Sphinx state so
            # that the HTML build's incremental state is never confused by another builder.
            salidas.append(("singlehtml", rutas.pagina_unica, rutas.pagina_unica.parent / ".doctrees-pdf"))
        avisos: list[str] = []
        error = None
        for constructor, salida, doctrees in salidas:
            duplicador = _Duplicador(sys.stderr)
            with contextlib.redirect_stderr(duplicador), _entorno_de_kernels():
                estado = build_sphinx(
                    raiz,
                    salida,
                    doctreedir=doctrees,
                    noconfig=True,
                    path_config=raiz / "_config.yml",
                    # build_sphinx pops keys out of it: each build gets its own copy
                    confoverrides=copy.deepcopy(sustituir),
                    builder=constructor,
                    warningiserror=True,
                    keep_going=True,
                )
            avisos = _extraer_avisos(duplicador.copia.getvalue())
            if isinstance(estado, BaseException):
                error = f"{type(estado).__name__}: {estado}"
            elif estado and not avisos:
                error = f"Sphinx terminó con el código {estado}."
            if error or avisos:
                # Sphinx would consider the pages with warnings up to date and the next build would
                # report success: forget its state so the next build reads (and warns) again.
                shutil.rmtree(doctrees, ignore_errors=True)
                break
        hecho = None
        if pdf and not (error or avisos):
            hecho = _imprimir_pdf(rutas, indice, sustituir.get("html_title") or config.get("title"))
        segundos = time.perf_counter() - inicio
    return ResultadoLibro(rutas=rutas, segundos=segundos, avisos=avisos, error=error, pdf=hecho)


def _imprimir_pdf(rutas: RutasEdicion, indice: dict, titulo: str | None) -> Path:
    """Prints the one-page build: its page sits at the root doc's path but links relative to the root."""
    from cj_course.libro_pdf import imprimir

    origen = rutas.pagina_unica / f"{indice['root']}.html"
    pagina = rutas.pagina_unica / "curso-completo.html"
    shutil.copyfile(origen, pagina)
    return imprimir(pagina, rutas.pdf, titulo=titulo or "Curso de Customer Journey")


# ---------------------------------------------------------------------------------------------
# Vendoring the JavaScript the pages need (no CDN at reading time)
# ---------------------------------------------------------------------------------------------

# npm package -> version, and (file inside the package -> destination inside _vendor/).
PAQUETES_NPM: dict[str, tuple[str, dict[str, str]]] = {
    "requirejs": ("2.3.7", {"package/require.js": "require.js"}),
    "@jupyter-widgets/html-manager": (
        "1.0.15",
        {
            "package/dist/embed-amd.js": "embed-amd.js",
            # Font Awesome for widget icons: the bundle loads them from its own folder.
            "package/dist/*.woff2": ".",
            "package/dist/*.woff": ".",
            "package/dist/embed.js.LICENSE.txt": "licencias/html-manager-TERCEROS.txt",
        },
    ),
    "mathjax": (
        "3.2.2",
        {
            "package/es5/tex-chtml.js": "mathjax/tex-chtml.js",
            "package/es5/output/chtml/fonts/woff-v2/*.woff": "mathjax/output/chtml/fonts/woff-v2",
            "package/LICENSE": "licencias/mathjax-LICENSE.txt",
        },
    ),
}

# Licence texts the npm tarballs do not carry as files (their package.json names the licence).
_LICENCIAS_FALTANTES = {
    "licencias/requirejs-LICENSE.txt": """\
RequireJS 2.3.7 — MIT License

Copyright jQuery Foundation and other contributors, https://jquery.org/

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to
the following conditions:

The above copyright notice and this permission notice shall be included in all copies or substantial
portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR
THE USE OR OTHER DEALINGS IN THE SOFTWARE.
""",
    "licencias/html-manager-LICENSE.txt": """\
@jupyter-widgets/html-manager 1.0.15 (ipywidgets) — BSD 3-Clause License

Copyright (c) 2015 Project Jupyter Contributors
All rights reserved.

Redistribution and use in source and binary forms, with or without modification, are permitted provided
that the following conditions are met:

1. Redistributions of source code must retain the above copyright notice, this list of conditions and
   the following disclaimer.

2. Redistributions in binary form must reproduce the above copyright notice, this list of conditions and
   the following disclaimer in the documentation and/or other materials provided with the distribution.

3. Neither the name of the copyright holder nor the names of its contributors may be used to endorse or
   promote products derived from this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED
WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A
PARTICULAR PURPOSE ARE DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE FOR
ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES (INCLUDING, BUT NOT LIMITED
TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION)
HOWEVER CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT (INCLUDING
NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE, EVEN IF ADVISED OF THE
POSSIBILITY OF SUCH DAMAGE.
""",
}


_WIDGETS_7 = "/*! For license information please see base7.js.LICENSE.txt */"
_GESTOR = 'define("@jupyter-widgets/html-manager",'


def sin_widgets_7(embed: str) -> str:
    """``embed-amd.js`` sin las copias de ipywidgets 7 (``@jupyter-widgets/base7`` y ``controls7``).

    El paquete trae dos juegos de widgets, los de ipywidgets 8 y los de ipywidgets 7 (825 kB, 230 kB con
    gzip, en cada página con widgets). El curso guarda sus widgets con ipywidgets 8 (módulos 2.0.0), y
    ningún otro módulo del archivo pide ``base7`` ni ``controls7``: se quitan esos dos ``define``.

    >>> js = 'define("a",[],1);\\n' + _WIDGETS_7 + '\\ndefine("@jupyter-widgets/base7",[],2);\\n/*! x */\\n' + _GESTOR + '[],3)'
    >>> sin_widgets_7(js)
    'define("a",[],1);\\n/*! x */\\ndefine("@jupyter-widgets/html-manager",[],3)'
    """
    inicio = embed.find(_WIDGETS_7)
    gestor = embed.find(_GESTOR)
    fin = embed.rfind("/*!", 0, gestor)
    if inicio < 0 or gestor < 0 or not inicio < fin < gestor:
        raise ErrorCurso(
            "embed-amd.js ya no tiene la forma esperada (widgets 7 antes del gestor de widgets).",
            pista="Revisa sin_widgets_7 en cj_course/libro.py para esta versión de @jupyter-widgets/html-manager.",
        )
    recortado = embed[:inicio] + embed[fin:]
    if "@jupyter-widgets/base7" in recortado.replace("controls7/css", ""):
        raise ErrorCurso(
            "embed-amd.js aún nombra @jupyter-widgets/base7 tras quitar los widgets de ipywidgets 7.",
            pista="Revisa sin_widgets_7 en cj_course/libro.py para esta versión de @jupyter-widgets/html-manager.",
        )
    return recortado


# Files rewritten after unpacking: what each change is for is in the function's docstring.
_RETOQUES = {"embed-amd.js": sin_widgets_7}


def _npm_pack(paquete: str, version: str, destino: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise ErrorCurso(
            "No encuentro npm, que hace falta para descargar los recursos JavaScript.",
            pista="Instala Node.js (por ejemplo: apt-get install -y npm) y repite la orden.",
        )
    proceso = subprocess.run(
        [npm, "pack", f"{paquete}@{version}", "--silent", "--pack-destination", str(destino)],
        capture_output=True,
        text=True,
        cwd=destino,
        check=False,
    )
    if proceso.returncode != 0:
        raise ErrorCurso(
            f"npm no pudo descargar {paquete}@{version}: {proceso.stderr.strip()[-500:]}",
            pista="Comprueba la conexión con el registro de npm y repite la orden.",
        )
    return destino / proceso.stdout.strip().splitlines()[-1]


def vendorizar(raiz: str | os.PathLike[str] | None = None) -> list[Path]:
    """Vuelve a llenar ``_vendor/`` desde el registro de npm y devuelve los archivos escritos.

    Sustituye la carpeta entera, escribe las licencias y un ``LEEME.txt`` con versiones y
    sumas SHA-256 para poder comprobar que nada ha cambiado a mano.
    """
    import fnmatch

    raiz = raiz_del_libro(raiz)
    destino = raiz / "_vendor"
    with tempfile.TemporaryDirectory(prefix="cj-vendor-") as tmp:
        nueva = Path(tmp) / "_vendor"
        nueva.mkdir()
        for paquete, (version, archivos) in PAQUETES_NPM.items():
            tgz = _npm_pack(paquete, version, Path(tmp))
            with tarfile.open(tgz) as tar:
                miembros = [m for m in tar.getmembers() if m.isfile()]
                for patron, donde in archivos.items():
                    elegidos = [m for m in miembros if fnmatch.fnmatch(m.name, patron)]
                    if not elegidos:
                        raise ErrorCurso(
                            f"{paquete}@{version} ya no contiene {patron}.",
                            pista="Revisa PAQUETES_NPM en cj_course/libro.py para esta versión.",
                        )
                    for miembro in elegidos:
                        extraido = tar.extractfile(miembro)
                        if extraido is None:  # not a regular file: only files were kept above
                            continue
                        contenido = extraido.read()
                        if "*" in patron or donde == ".":
                            salida = nueva / donde / Path(miembro.name).name
                        else:
                            salida = nueva / donde
                        salida.parent.mkdir(parents=True, exist_ok=True)
                        salida.write_bytes(contenido)
        for nombre, retoque in _RETOQUES.items():
            archivo = nueva / nombre
            archivo.write_text(retoque(archivo.read_text(encoding="utf-8")), encoding="utf-8")
        for nombre, texto in _LICENCIAS_FALTANTES.items():
            (nueva / nombre).parent.mkdir(parents=True, exist_ok=True)
            (nueva / nombre).write_text(texto, encoding="utf-8")
        todos = sorted(p for p in nueva.rglob("*") if p.is_file())
        lineas = [
            "Recursos de terceros servidos con el libro, para que funcione sin internet.",
            "No los edites a mano: se regeneran con `cj-course libro vendorizar`.",
            "",
            *(f"{paquete}@{version} (registro de npm)" for paquete, (version, _) in PAQUETES_NPM.items()),
            "",
            "embed-amd.js va sin los widgets de ipywidgets 7 (base7, controls7): el libro guarda los de",
            "ipywidgets 8 y así cada página con widgets descarga 230 kB menos (cj_course.libro.sin_widgets_7).",
            "",
            "SHA-256:",
            *(
                f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(nueva).as_posix()}"
                for p in todos
            ),
        ]
        (nueva / "LEEME.txt").write_text("\n".join(lineas) + "\n", encoding="utf-8")
        shutil.rmtree(destino, ignore_errors=True)
        shutil.copytree(nueva, destino)
    return sorted(p for p in destino.rglob("*") if p.is_file())
