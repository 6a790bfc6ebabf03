"""Buscar soluciones y pruebas ocultas donde un estudiante podría verlas (``cj-course verificar``).

:func:`buscar_fugas` revisa ``exercises/`` (y el libro construido, si existe) en busca de código de las
soluciones, marcadores de nbgrader y pruebas ocultas.

>>> Fuga(Path("a.ipynb"), "marcador de nbgrader", "### BEGIN SOLUTION").motivo
'marcador de nbgrader'
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat

from .._errores import ErrorCurso
from ._curso import CARPETA_FUENTE, CARPETA_VERSION, raiz_del_curso

CARPETA_LIBRO = Path("_build") / "html"

# A marker as nbgrader sees it in a cell: after a comment sign, or alone on its line (a markdown heading
# loses its "###" when rendered). A guide that merely *names* the markers in a sentence is not a leak.
MARCADORES = re.compile(r"#+[ \t]*(?:BEGIN|END) (?:SOLUTION|HIDDEN TESTS)"
                        r"|^[ \t]*(?:BEGIN|END) (?:SOLUTION|HIDDEN TESTS)[ \t]*$", re.MULTILINE)
_INICIO = {"BEGIN SOLUTION": "solución", "BEGIN HIDDEN TESTS": "prueba oculta"}
_FIN = {"END SOLUTION", "END HIDDEN TESTS"}
LONGITUD_MINIMA = 14  # shorter lines ("return total", "else:") are not distinctive
CARPETAS_PUBLICAS = ("modules", "book")


@dataclass(frozen=True)
class Fuga:
    """Algo que no debía llegar a los estudiantes: dónde está, qué es y el texto encontrado."""

    archivo: Path
    motivo: str
    texto: str

    def __str__(self) -> str:
        return f"{self.archivo}: {self.motivo}: {self.texto!r}"


def _compactar(texto: str) -> str:
    return " ".join(texto.split())


def _regiones(celda) -> tuple[list[tuple[str, str]], list[str]]:
    """The (kind, line) pairs inside solution/hidden regions of a source cell, and the lines outside."""
    dentro, fuera, tipo = [], [], None
    meta = celda.get("metadata", {}).get("nbgrader", {})
    lineas = celda.source.split("\n")
    tiene_region = any(k in celda.source for k in _INICIO)
    if meta.get("solution") and not tiene_region:
        # A solution cell without delimiters is replaced whole (markdown answers: the model answer).
        return [("solución", linea) for linea in lineas], []
    for linea in lineas:
        inicio = next((k for k in _INICIO if k in linea), None)
        if inicio:
            tipo = _INICIO[inicio]
        elif any(f in linea for f in _FIN):
            tipo = None
        elif tipo:
            dentro.append((tipo, linea))
        else:
            fuera.append(linea)
    return dentro, fuera


def _distintiva(linea: str) -> bool:
    """Long enough and with at least two words: `interacciones=[` or `]),` say nothing about a solution."""
    return len(linea) >= LONGITUD_MINIMA and len(re.findall(r"[^\W\d_]{3,}", linea)) >= 2


def _lineas_publicas(raiz: Path) -> set[str]:
    """Lines of the lessons and book pages: public by design, never a leak."""
    lineas: set[str] = set()
    for carpeta in CARPETAS_PUBLICAS:
        for ruta in sorted((raiz / carpeta).rglob("*")) if (raiz / carpeta).is_dir() else []:
            if ruta.suffix == ".ipynb":
                textos = [c.source for c in nbformat.read(str(ruta), as_version=4).cells]
            elif ruta.suffix in (".md", ".rst", ".txt"):
                textos = [ruta.read_text(encoding="utf-8", errors="replace")]
            else:
                continue
            lineas.update(_compactar(linea) for texto in textos for linea in texto.splitlines())
    return lineas


def _protegidas(raiz: Path) -> tuple[dict[str, str], set[str]]:
    """Protected lines -> kind, and which of them are prose (model answers of written questions)."""
    protegidas: dict[str, str] = {}
    prosa: set[str] = set()
    visibles: set[str] = _lineas_publicas(raiz)
    for ruta in sorted((raiz / CARPETA_FUENTE).glob("*/*.ipynb")):
        nb = nbformat.read(str(ruta), as_version=4)
        for celda in nb.cells:
            dentro, fuera = _regiones(celda)
            visibles.update(_compactar(linea) for linea in fuera)
            for tipo, linea in dentro:
                compacta = _compactar(linea)
                if _distintiva(compacta):
                    protegidas.setdefault(compacta, tipo)
                    if celda.cell_type == "markdown":
                        prosa.add(compacta)
    protegidas = {linea: tipo for linea, tipo in protegidas.items() if linea not in visibles}
    return protegidas, prosa & set(protegidas)


def lineas_protegidas(raiz: str | os.PathLike | None = None) -> dict[str, str]:
    """Líneas distintivas de las soluciones y pruebas ocultas de ``solutions/`` → de qué tipo son.

    Se descartan las cortas o sin palabras, las que también aparecen fuera de esas regiones y las de
    las lecciones (``modules/``) y páginas del libro (``book/``): esas las ven los estudiantes igualmente.
    """
    return _protegidas(raiz_del_curso(raiz))[0]


def _texto_html(contenido: str) -> str:
    partes: list[str] = []

    class Lector(HTMLParser):
        def handle_data(self, data):
            partes.append(data)

    lector = Lector(convert_charrefs=True)
    lector.feed(contenido)
    lector.close()
    return "".join(partes)


def _textos(ruta: Path) -> list[str]:
    """The texts of a file a student could read (notebook sources and outputs, page text...)."""
    if ruta.suffix == ".ipynb":
        try:
            nb = nbformat.read(str(ruta), as_version=4)
        except Exception:  # a notebook nbformat cannot read is still scanned as raw text
            return [ruta.read_text(encoding="utf-8", errors="replace")]
        textos = []
        for celda in nb.cells:
            textos.append(celda.source)
            for salida in celda.get("outputs", []):
                textos.append(json.dumps(salida, ensure_ascii=False))
                textos.extend(str(v) for v in salida.get("data", {}).values())
                textos.append(str(salida.get("text", "")))
                textos.extend(salida.get("traceback", []))
        return textos
    contenido = ruta.read_text(encoding="utf-8", errors="replace")
    if ruta.suffix in (".html", ".htm"):
        return [_texto_html(contenido), contenido]
    return [contenido]


_ESCANEABLES = {".ipynb", ".html", ".htm", ".md", ".txt", ".py", ".json", ".csv", ".js", ".xml", ".rst"}
_SIN_ESCANEAR = {"_static", "_vendor", "_sphinx_design_static", ".doctrees", "__pycache__"}


def _archivos(carpeta: Path) -> list[Path]:
    return sorted(
        p for p in carpeta.rglob("*")
        if p.is_file() and p.suffix in _ESCANEABLES and not _SIN_ESCANEAR & set(p.relative_to(carpeta).parts)
    )


def buscar_fugas(carpetas: Sequence[str | os.PathLike] | None = None, *,
                 raiz: str | os.PathLike | None = None) -> list[Fuga]:
    """Busca en ``carpetas`` (por omisión ``exercises/`` y el libro construido) lo que no debe verse.

    Una fuga es un marcador de nbgrader (``BEGIN SOLUTION``, ``END HIDDEN TESTS``...) o una línea
    distintiva del código de una solución o de una prueba oculta de ``solutions/``.
    Devuelve la lista de fugas (vacía si todo está bien).
    """
    raiz = raiz_del_curso(raiz)
    if carpetas is None:
        carpetas = [raiz / CARPETA_VERSION] + ([raiz / CARPETA_LIBRO] if (raiz / CARPETA_LIBRO).is_dir() else [])
    protegidas, prosa = _protegidas(raiz)
    fugas: list[Fuga] = []
    for carpeta in map(Path, carpetas):
        if not carpeta.is_dir():
            raise ErrorCurso(f"No existe la carpeta '{carpeta}'.", campo="carpetas",
                             pista="Genera los ejercicios o construye el libro antes de revisarlos.")
        for ruta in _archivos(carpeta):
            vistas: set[tuple[str, str]] = set()
            for texto in _textos(ruta):
                for marcador in MARCADORES.findall(texto):
                    vistas.add(("marcador de nbgrader", marcador))
                # Code leaks as whole lines (a hint comment that merely mentions `mapa = MapaDeViaje(`
                # is not a leak); prose is reflowed when rendered, so it is searched as running text.
                lineas = {_compactar(linea) for linea in texto.splitlines()}
                compacto = _compactar(texto)
                for linea, tipo in protegidas.items():
                    if linea in lineas or (linea in prosa and linea in compacto):
                        vistas.add((f"código de {tipo}" if linea not in prosa else f"texto de {tipo}", linea))
            fugas.extend(Fuga(ruta, motivo, texto) for motivo, texto in sorted(vistas))
    return fugas

