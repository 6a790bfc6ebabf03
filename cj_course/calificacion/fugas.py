"""Buscar soluciones y pruebas ocultas donde un estudiante podría verlas (``cj-course verificar``).

:func:`buscar_fugas` revisa todo lo que ve un estudiante: ``exercises/`` (cualquier archivo de texto,
copias de seguridad y ``.ipynb_checkpoints`` incluidos), las lecciones de ``modules/``, las páginas de
``book/`` y el libro construido (``_build/html``, si existe). En un cuaderno mira el texto de cada
celda, sus salidas y los metadatos (de la celda y del cuaderno). Encuentra también las líneas
retocadas (espacios, mayúsculas, comillas) y la prosa con otros saltos de línea.

:func:`fugas_en_retroalimentacion` revisa la página de retroalimentación de **un** estudiante: solo
cuenta lo que no escribió él.

>>> str(Fuga(Path("a.ipynb"), "marcador de nbgrader", "### BEGIN SOLUTION", "celda 3, línea 2"))
"a.ipynb (celda 3, línea 2): marcador de nbgrader: '### BEGIN SOLUTION'"
>>> normalizar("  Return 100 * ( «a» )") == normalizar('return 100*("a")')
True
"""

from __future__ import annotations

import bisect
import json
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat

from .._errores import ErrorCurso
from ._curso import CARPETA_FUENTE, CARPETA_VERSION, raiz_del_curso

CARPETA_LIBRO = Path("_build") / "html"

# A marker as nbgrader sees it in a cell: after a comment sign, or alone on its line (a markdown heading
# loses its "###" when rendered). A guide that merely *names* the markers in a sentence is not a leak.
MARCADORES = re.compile(
    r"#+[ \t]*(?:BEGIN|END) (?:SOLUTION|HIDDEN TESTS)"
    r"|^[ \t]*(?:BEGIN|END) (?:SOLUTION|HIDDEN TESTS)[ \t]*$",
    re.MULTILINE,
)
_NUCLEO_MARCADOR = re.compile(r"(?:BEGIN|END) (?:SOLUTION|HIDDEN TESTS)")
_INICIO = {"BEGIN SOLUTION": "solución", "BEGIN HIDDEN TESTS": "prueba oculta"}
_FIN = {"END SOLUTION", "END HIDDEN TESTS"}
LONGITUD_MINIMA = 14  # shorter lines ("return total", "else:") are not distinctive
# A protected code line this long (without spaces) is a leak even inside a longer line (a traceback's
# "----> 3 assert ...", a printed repr); shorter ones only as a whole line, so that a hint comment that
# mentions `mapa = MapaDeViaje(` is not a leak, nor a one-line answer `{"c1": "Punto de contacto", ...}`
# that holds a hidden test's `"c1": "Punto de contacto",` (measured: 20 flagged those in the feedback).
LONGITUD_EN_LINEA = 30
# What a student can read besides exercises/: the lessons and the pages of the default book.
CARPETAS_PUBLICAS = ("modules", "book")
# Solution lines that a lesson shows on purpose (the same worked example). Everything else of a
# solution that turns up in modules/ or book/ is a leak.
PUBLICAS_A_PROPOSITO = frozenset(
    {
        'llamada_a_la_accion="Descubre la colección",',  # the welcome email of module 4's worked example
    }
)
# Third-party assets of a built book (theme CSS/JS, fonts) and Sphinx's pickles: never course text.
_SIN_ESCANEAR = {"_static", "_vendor", "_sphinx_design_static", ".doctrees", "__pycache__"}
_COMILLAS = str.maketrans({c: "'" for c in '"`´‘’‚‛“”„‟«»‹›'})
_ESPACIOS = re.compile(r"\s+")


def normalizar(texto: str) -> str:
    """El texto sin espacios, en minúsculas y con un solo tipo de comillas: lo que sobrevive a un retoque."""
    return _ESPACIOS.sub("", unicodedata.normalize("NFKC", texto).casefold().translate(_COMILLAS))


@dataclass(frozen=True)
class Fuga:
    """Algo que no debía llegar a los estudiantes: en qué archivo, qué es, el texto y dónde está."""

    archivo: Path
    motivo: str
    texto: str
    donde: str = ""

    def __str__(self) -> str:
        lugar = f" ({self.donde})" if self.donde else ""
        return f"{self.archivo}{lugar}: {self.motivo}: {self.texto!r}"


@dataclass(frozen=True)
class _Protegida:
    original: str  # the line as written in solutions/ (spaces compacted)
    tipo: str  # "solución" or "prueba oculta"
    prosa: bool  # a model answer in a markdown cell: searched as running text
    tareas: frozenset[str]


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
    """Long enough and with at least two words: `interacciones=[` or `]),` say nothing about a solution.

    A bare opening with two words (`persona = Persona(`) is how every lesson starts an example too.
    """
    palabras = len(re.findall(r"[^\W\d_]{3,}", linea))
    if linea.rstrip().endswith(("(", "[", "{")) and palabras <= 2:
        return False
    return len(linea) >= LONGITUD_MINIMA and palabras >= 2


def _protegidas_normalizadas(raiz: Path) -> dict[str, _Protegida]:
    """Normalised protected line -> what it is, for every assignment of ``solutions/``."""
    encontradas: dict[str, tuple[str, str, bool, set[str]]] = {}
    visibles: set[str] = set()
    for ruta in sorted((raiz / CARPETA_FUENTE).glob("*/*.ipynb")):
        nb = nbformat.read(str(ruta), as_version=4)
        tarea = ruta.parent.name
        for celda in nb.cells:
            dentro, fuera = _regiones(celda)
            visibles.update(normalizar(linea) for linea in fuera)
            for tipo, linea in dentro:
                compacta = _compactar(linea)
                if _distintiva(compacta):
                    clave = normalizar(compacta)
                    previa = encontradas.setdefault(
                        clave, (compacta, tipo, celda.cell_type == "markdown", set())
                    )
                    previa[3].add(tarea)
    publicas = {normalizar(linea) for linea in PUBLICAS_A_PROPOSITO}
    return {
        clave: _Protegida(o, t, p, frozenset(ts))
        for clave, (o, t, p, ts) in encontradas.items()
        if clave not in visibles and clave not in publicas
    }


def lineas_protegidas(raiz: str | os.PathLike | None = None) -> dict[str, str]:
    """Líneas distintivas de las soluciones y pruebas ocultas de ``solutions/`` → de qué tipo son.

    Se descartan las cortas o sin palabras y las que también aparecen fuera de esas regiones (los
    estudiantes las ven igualmente en ``exercises/``).
    """
    return {p.original: p.tipo for p in _protegidas_normalizadas(raiz_del_curso(raiz)).values()}


# --- texts of a file, each with where it is -------------------------------------------------------


@dataclass
class _Texto:
    """A piece of text a student could read, where it is, and the file line each character comes from."""

    donde: str
    texto: str
    linea: int = 0  # the file line where the text starts (0: not a line-based text)
    saltos: list[int] | None = None  # for HTML: text offsets where a new file line starts

    _normales: list[str] | None = None

    def normales(self) -> list[str]:
        """Each text line, normalised (computed once: a page with many leaks asks for it often)."""
        if self._normales is None:
            self._normales = [normalizar(linea) for linea in self.texto.split("\n")]
        return self._normales

    def linea_de(self, posicion: int) -> int:
        if self.saltos is not None:
            return bisect.bisect_right(self.saltos, posicion) + 1
        return self.linea + self.texto.count("\n", 0, posicion) if self.linea else 0


class _LectorHtml(HTMLParser):
    """The page's text with the file line of each piece (highlighting spans and entities removed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.partes: list[str] = []
        self.saltos: list[int] = []  # offsets in the text where file lines 2, 3... start
        self._largo = 0
        self._ancla = 0

    def _hasta_linea(self, linea: int) -> None:
        while len(self.saltos) < linea - 1:
            self.saltos.append(self._largo)

    def handle_starttag(self, tag, attrs):
        if tag == "a" and "anchor-link" in (dict(attrs).get("class") or ""):
            self._ancla += 1  # the "¶" after a heading is not part of its text

    def handle_endtag(self, tag):
        if tag == "a" and self._ancla:
            self._ancla -= 1

    def handle_data(self, data):
        if self._ancla:
            return
        linea = self.getpos()[0]
        self._hasta_linea(linea)
        for i, trozo in enumerate(data.split("\n")):
            if i:
                linea += 1
                self._largo += 1
                self.partes.append("\n")
                self._hasta_linea(linea)
            self.partes.append(trozo)
            self._largo += len(trozo)


def _texto_html(contenido: str) -> _Texto:
    lector = _LectorHtml()
    lector.feed(contenido)
    lector.close()
    return _Texto("", "".join(lector.partes), saltos=lector.saltos)


def _cadenas(valor, clave: str = "") -> Iterator[tuple[str, str]]:
    """Every string inside a JSON value, with its key path (`widgets.state.x.value`)."""
    if isinstance(valor, str):
        yield clave, valor
    elif isinstance(valor, dict):
        for k, v in valor.items():
            yield from _cadenas(v, f"{clave}.{k}" if clave else str(k))
    elif isinstance(valor, list):
        if valor and all(isinstance(v, str) for v in valor):
            yield clave, "".join(valor)  # a multi-line string as nbformat stores it
        else:
            for i, v in enumerate(valor):
                yield from _cadenas(v, f"{clave}[{i}]")


def _textos_de_cuaderno(nb: dict) -> Iterator[_Texto]:
    for clave, texto in _cadenas(nb.get("metadata", {})):
        yield _Texto(f"metadatos del cuaderno: {clave}", texto, linea=1)
    for n, celda in enumerate(nb.get("cells", []), start=1):
        if not isinstance(celda, dict):
            continue
        fuente = celda.get("source", "")
        yield _Texto(f"celda {n}", "".join(fuente) if isinstance(fuente, list) else str(fuente), linea=1)
        for clave, texto in _cadenas(celda.get("metadata", {})):
            yield _Texto(f"celda {n}, metadatos: {clave}", texto, linea=1)
        for clave, texto in _cadenas(celda.get("attachments", {})):
            yield _Texto(f"celda {n}, adjunto: {clave}", texto, linea=1)
        for k, salida in enumerate(celda.get("outputs", []) or [], start=1):
            for clave, texto in _cadenas(salida):
                if clave != "output_type":
                    yield _Texto(f"celda {n}, salida {k} ({clave})", texto, linea=1)


def _es_binario(datos: bytes) -> bool:
    return b"\0" in datos[:8192]


def _textos(ruta: Path) -> Iterator[_Texto]:
    """The texts of a file a student could read: any text file, by content; binary files give none."""
    try:
        datos = ruta.read_bytes()
    except OSError:
        return
    if _es_binario(datos):
        return
    contenido = datos.decode("utf-8", errors="replace")
    if contenido.lstrip()[:1] in ("{", "["):
        try:
            valor = json.loads(contenido)
        except ValueError:
            valor = None  # not JSON after all (or a damaged notebook): read below as plain text
        if isinstance(valor, dict) and isinstance(valor.get("cells"), list):
            yield from _textos_de_cuaderno(valor)  # a notebook, whatever its name (.bak, checkpoints)
            return
        if isinstance(valor, (dict, list)):
            # JSON escapes line breaks: each string is read as the text it holds (saved answers, widget state).
            for clave, texto in _cadenas(valor):
                yield _Texto(f"clave {clave}" if clave else "", texto, linea=1)
            return
    if ruta.suffix.lower() in (".html", ".htm", ".xhtml") or "<html" in contenido[:2000].lower():
        yield _texto_html(contenido)
    yield _Texto("", contenido, linea=1)


def _archivos(carpeta: Path) -> list[Path]:
    # Every file, hidden ones too (.ipynb_checkpoints, editor backups): what matters is the content.
    return sorted(
        p for p in carpeta.rglob("*") if p.is_file() and not _SIN_ESCANEAR & set(p.relative_to(carpeta).parts)
    )


# --- matching ---------------------------------------------------------------------------------------


def _linea_de_coincidencia(texto: _Texto, clave: str, entera: bool) -> int | None:
    """The text line (0-based) holding the protected line ``clave``, or None if it is not there as needed."""
    for i, normal in enumerate(texto.normales()):
        if normal == clave or (not entera and clave in normal):
            return i
    return None


def _donde(texto: _Texto, posicion: int) -> str:
    linea = texto.linea_de(posicion)
    partes = [texto.donde] if texto.donde else []
    if linea:
        partes.append(f"línea {linea}")
    return ", ".join(partes)


def _posicion_de_linea(texto: str, indice: int) -> int:
    posicion = 0
    for _ in range(indice):
        posicion = texto.index("\n", posicion) + 1
    return posicion


def _en_texto(texto: _Texto, protegidas: dict[str, _Protegida]) -> Iterator[tuple[str, str, str]]:
    """(motivo, texto, dónde) of each marker and protected line found in one text."""
    for marca in MARCADORES.finditer(texto.texto):
        yield "marcador de nbgrader", marca.group(0).strip(), _donde(texto, marca.start())
    compacto = normalizar(texto.texto)
    for clave, protegida in protegidas.items():
        if clave not in compacto:
            continue
        if protegida.prosa:
            # Prose is reflowed when rendered: searched as running text, located by its first words.
            indice = _linea_de_coincidencia(texto, clave[:LONGITUD_MINIMA], entera=False)
            posicion = _posicion_de_linea(texto.texto, indice) if indice is not None else 0
            yield f"texto de {protegida.tipo}", protegida.original, _donde(texto, posicion)
            continue
        indice = _linea_de_coincidencia(texto, clave, entera=len(clave) < LONGITUD_EN_LINEA)
        if indice is not None:
            yield (
                f"código de {protegida.tipo}",
                protegida.original,
                _donde(texto, _posicion_de_linea(texto.texto, indice)),
            )


def _fugas_de_archivo(ruta: Path, protegidas: dict[str, _Protegida]) -> list[Fuga]:
    vistas: dict[tuple[str, str, str], str] = {}
    for texto in _textos(ruta):
        for motivo, encontrado, donde in _en_texto(texto, protegidas):
            # Once per place (cell, output, metadata key; a page's text and its markup are one place).
            vistas.setdefault((texto.donde, motivo, encontrado), donde)
    return [Fuga(ruta, motivo, encontrado, donde) for (_, motivo, encontrado), donde in vistas.items()]


def carpetas_por_omision(raiz: str | os.PathLike | None = None) -> list[Path]:
    """Lo que ven los estudiantes: ``exercises/``, ``modules/``, ``book/`` y el libro construido, si existen."""
    raiz = raiz_del_curso(raiz)
    candidatas = [raiz / CARPETA_VERSION, *(raiz / c for c in CARPETAS_PUBLICAS), raiz / CARPETA_LIBRO]
    return [c for c in candidatas if c.is_dir()]


def buscar_fugas(
    carpetas: Sequence[str | os.PathLike] | None = None, *, raiz: str | os.PathLike | None = None
) -> list[Fuga]:
    """Busca en ``carpetas`` (por omisión, :func:`carpetas_por_omision`) lo que no debe verse.

    Una fuga es un marcador de nbgrader (``BEGIN SOLUTION``, ``END HIDDEN TESTS``...) o una línea
    distintiva del código de una solución o de una prueba oculta de ``solutions/``, aunque esté
    retocada, en cualquier archivo de texto (celdas, salidas, metadatos, copias, páginas HTML).
    Devuelve la lista de fugas (vacía si todo está bien), cada una con su archivo y su lugar.
    """
    raiz = raiz_del_curso(raiz)
    carpetas = carpetas_por_omision(raiz) if carpetas is None else [Path(c) for c in carpetas]
    protegidas = _protegidas_normalizadas(raiz)
    fugas: list[Fuga] = []
    for carpeta in map(Path, carpetas):
        if not carpeta.is_dir():
            raise ErrorCurso(
                f"No existe la carpeta '{carpeta}'.",
                campo="carpetas",
                pista="Genera los ejercicios o construye el libro antes de revisarlos.",
            )
        for ruta in _archivos(carpeta):
            fugas.extend(_fugas_de_archivo(ruta, protegidas))
    return fugas


# --- one student's feedback ---------------------------------------------------------------------------


def pruebas_ocultas_de(tarea: str, raiz: str | os.PathLike | None = None) -> dict[str, _Protegida]:
    """Las líneas de las pruebas ocultas de ``tarea`` (normalizadas), las que la retroalimentación no muestra."""
    return {
        clave: p
        for clave, p in _protegidas_normalizadas(raiz_del_curso(raiz)).items()
        if p.tipo == "prueba oculta" and tarea in p.tareas
    }


def _es_del_estudiante(celda: dict) -> bool:
    """A cell the student wrote: an answer cell, or one they added (no nbgrader metadata)."""
    meta = (celda.get("metadata") or {}).get("nbgrader") or {}
    return bool(meta.get("solution")) or not (meta.get("grade") or meta.get("locked"))


def _lo_que_escribio(calificado: Path | None) -> tuple[list[str], list[str]]:
    """What the student wrote, for hidden lines (own cells: sources and outputs) and for markers (own
    sources and every output: the student's code may print from a test cell too). Empty if the graded
    notebook cannot be read: then nothing on the page is excused."""
    fuentes: list[str] = []
    propias: list[str] = []
    todas: list[str] = []
    try:
        nb = json.loads(calificado.read_text(encoding="utf-8", errors="replace")) if calificado else {}
    except (OSError, ValueError):
        nb = {}
    for celda in nb.get("cells", []) if isinstance(nb, dict) else []:
        if not isinstance(celda, dict):
            continue
        salidas = [t for salida in celda.get("outputs", []) or [] for _, t in _cadenas(salida)]
        todas.extend(salidas)
        if _es_del_estudiante(celda):
            fuente = celda.get("source", "")
            fuentes.append("".join(fuente) if isinstance(fuente, list) else str(fuente))
            propias.extend(salidas)
    return fuentes + propias, fuentes + todas


def _lineas_que_coinciden(texto: str, clave: str) -> list[int]:
    entera = len(clave) < LONGITUD_EN_LINEA
    return [
        i
        for i, linea in enumerate(texto.split("\n"))
        if (normal := normalizar(linea)) == clave or (not entera and clave in normal)
    ]


def fugas_en_retroalimentacion(
    pagina: str | os.PathLike,
    tarea: str,
    *,
    calificado: str | os.PathLike | None = None,
    raiz: str | os.PathLike | None = None,
    ocultas: dict[str, _Protegida] | None = None,
) -> list[Fuga]:
    """Lo que la página de retroalimentación de un estudiante muestra de las pruebas ocultas de ``tarea``.

    Solo cuenta lo que el estudiante no escribió: una línea de una prueba oculta o un marcador de
    nbgrader que aparece en la página **más veces** que en sus propias celdas y salidas
    (``calificado``, el cuaderno calificado del que sale la página). Sus respuestas guardadas en
    ``respuestas/`` no están en la página y no cuentan. Cada fuga dice la línea de la página.
    """
    pagina = Path(pagina)
    ocultas = pruebas_ocultas_de(tarea, raiz) if ocultas is None else ocultas
    texto = _texto_html(pagina.read_text(encoding="utf-8", errors="replace"))
    propios, para_marcas = _lo_que_escribio(Path(calificado) if calificado is not None else None)
    fugas: list[Fuga] = []

    def lineas_de_pagina(indices: list[int]) -> str:
        numeros = sorted({texto.linea_de(_posicion_de_linea(texto.texto, i)) for i in indices})
        return (
            "línea " + ", ".join(map(str, numeros[:3]))
            if len(numeros) == 1
            else "líneas " + ", ".join(map(str, numeros[:3])) + ("…" if len(numeros) > 3 else "")
        )

    compacto = normalizar(texto.texto)
    for clave, protegida in ocultas.items():
        if clave not in compacto:
            continue
        en_pagina = _lineas_que_coinciden(texto.texto, clave)
        suyas = sum(len(_lineas_que_coinciden(t, clave)) for t in propios)
        if len(en_pagina) > suyas:
            fugas.append(
                Fuga(pagina, "código de prueba oculta", protegida.original, lineas_de_pagina(en_pagina))
            )

    marcas: dict[str, list[int]] = {}
    for marca in MARCADORES.finditer(texto.texto):
        nucleo = _NUCLEO_MARCADOR.findall(marca.group(0))[0]  # every marker match holds its core
        marcas.setdefault(nucleo, []).append(texto.texto.count("\n", 0, marca.start()))
    for nucleo, indices in sorted(marcas.items()):
        suyas = sum(1 for t in para_marcas for m in MARCADORES.finditer(t) if nucleo in m.group(0))
        if len(indices) > suyas:
            fugas.append(Fuga(pagina, "marcador de nbgrader", nucleo, lineas_de_pagina(indices)))
    return fugas
