"""Extensión de Sphinx: el libro accesible (WCAG 2.1 AA) y legible en un teléfono.

Se activa en ``_config.yml`` (``sphinx.config.extensions``). Lo que hace, página por página:

- el ``alt`` de cada figura del curso es su descripción en español (la que :class:`FiguraCurso`
  guarda dentro del PNG), no el nombre del archivo;
- las figuras anchas llevan debajo un enlace «Ver la figura a tamaño completo» (en un teléfono la
  figura se ve reducida);
- las tablas van en un contenedor con desplazamiento horizontal propio, alcanzable con el teclado
  y con nombre accesible (en un teléfono se desplaza la tabla, no la página);
- las casillas de las listas de tareas (``- [ ] …``) se nombran con el texto de su tarea.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

# A figure this wide (CSS pixels) or wider is shrunk on a laptop's text column, let alone a phone.
ANCHO_FIGURA_GRANDE = 800
TEXTO_FIGURA_COMPLETA = "Ver la figura a tamaño completo"


def _alt_de_figuras(app: Any, doctree: Any, docname: str) -> None:
    """Sets each PNG's ``alt`` to the Spanish description stored inside it (figures of cj_course)."""
    from .graficos import descripcion_de_png

    # by tag name: docutils ships no type stubs, and Sphinx always provides it at build time
    for imagen in doctree.findall(lambda nodo: getattr(nodo, "tagname", "") == "image"):
        uri = str(imagen.get("uri", ""))
        if not uri.lower().endswith(".png") or "://" in uri:
            continue
        ruta = Path(uri) if Path(uri).is_absolute() else Path(app.srcdir, uri)
        if not ruta.is_file():
            continue
        descripcion = descripcion_de_png(ruta.read_bytes())
        if descripcion:
            imagen["alt"] = descripcion


# An image Sphinx scaled comes wrapped in a link to itself (an empty-looking one for screen readers):
# the wrapper is kept whole and our link goes after it, never inside (nested links are invalid).
_IMAGEN = re.compile(
    r'(?:<a class="reference internal image-reference"[^>]*>\s*)?'
    r'<img (?=[^>]*src="([^"]+)")(?=[^>]*style="width: (\d+)px)[^>]*>(?:\s*</a>)?'
)
# sphinx-togglebutton names its <summary> "Toggle hidden content", hiding its Spanish visible text
# («Mostrar el código»); without the attribute the name is that text (WCAG 2.5.3).
_NOMBRE_INGLES_DE_PLIEGUE = ' aria-label="Toggle hidden content"'

_TABLA = re.compile(r"<table\b.*?</table>", re.S)
_CASILLA = re.compile(r'(<input class="task-list-item-checkbox"[^>]*?)(\s*/?>)(.*?)(?=</p>|</li>)', re.S)
_ETIQUETAS = re.compile(r"<[^>]+>")


def _enlace_a_figura_completa(coincidencia: re.Match[str]) -> str:
    imagen, src, ancho = coincidencia.group(0), coincidencia.group(1), int(coincidencia.group(2))
    if ancho < ANCHO_FIGURA_GRANDE:
        return imagen
    return (
        f'{imagen}<p class="cj-figura-completa"><a href="{src}" target="_blank" rel="noopener">'
        f"{TEXTO_FIGURA_COMPLETA}</a></p>"
    )


def _tablas_desplazables(cuerpo: str) -> str:
    """Wraps every table not already in the theme's scroll container in one of ours.

    The container is a focusable region (tabindex, role and name), so a keyboard user can scroll a
    wide table too (axe: scrollable-region-focusable).
    """
    partes, fin = [], 0
    for tabla in _TABLA.finditer(cuerpo):
        antes = cuerpo[max(0, tabla.start() - 200) : tabla.start()]
        partes.append(cuerpo[fin : tabla.start()])
        if "pst-scrollable-table-container" in antes[antes.rfind("<div") :]:
            partes.append(tabla.group(0))  # the theme's own container, made focusable below
        else:
            partes.append(
                '<div class="cj-tabla-desplazable" tabindex="0" role="region" aria-label="Tabla">'
                f"{tabla.group(0)}</div>"
            )
        fin = tabla.end()
    partes.append(cuerpo[fin:])
    return "".join(partes).replace(
        '<div class="pst-scrollable-table-container">',
        '<div class="pst-scrollable-table-container" tabindex="0" role="region" aria-label="Tabla">',
    )


def _nombrar_casilla(coincidencia: re.Match[str]) -> str:
    casilla, cierre, texto = coincidencia.groups()
    if "aria-label" in casilla:
        return coincidencia.group(0)
    nombre = " ".join(html.unescape(_ETIQUETAS.sub("", texto)).split()) or "Tarea"
    return f'{casilla} aria-label="{html.escape(nombre, quote=True)}"{cierre}{texto}'


def _ajustar_cuerpo(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    cuerpo = context.get("body")
    if not cuerpo:
        return
    cuerpo = _IMAGEN.sub(_enlace_a_figura_completa, cuerpo)
    cuerpo = _tablas_desplazables(cuerpo)
    cuerpo = _CASILLA.sub(_nombrar_casilla, cuerpo)
    cuerpo = cuerpo.replace(_NOMBRE_INGLES_DE_PLIEGUE, "")
    context["body"] = cuerpo


def setup(app: Any) -> dict[str, Any]:
    app.connect("doctree-resolved", _alt_de_figuras)
    app.connect("html-page-context", _ajustar_cuerpo)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
