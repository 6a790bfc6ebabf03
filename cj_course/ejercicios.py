"""Los ejercicios calificables del curso: generar la versión de estudiantes y comprobar que no se filtre nada.

``solutions/`` es la carpeta *fuente* de nbgrader (soluciones y pruebas ocultas, solo para
instructores); ``exercises/`` es la versión para estudiantes y **se genera, nunca se edita**:

.. code-block:: console

    $ python -m cj_course.ejercicios generar            # regenera exercises/ y la base de calificaciones
    $ python -m cj_course.ejercicios generar --destino /tmp/version   # en otra carpeta, sin tocar nada más
    $ python -m cj_course.ejercicios fugas              # busca soluciones o pruebas ocultas filtradas

:func:`generar` llama a ``nbgrader generate_assignment`` (en este mismo proceso) para cada tarea y
después limpia lo que nbgrader escribe, para que la versión sea estable: sin salidas, con
metadatos fijos y el mismo texto cada vez. :func:`buscar_fugas` revisa ``exercises/`` (y el libro
construido, si existe) en busca de código de las soluciones, marcadores de nbgrader y pruebas ocultas.

>>> [a.clave for a in ASIGNACIONES][:2]
['m1_introduccion', 'm2_etapas']
>>> archivos_de_respuesta()["m3_mapeo"][0]
'respuestas/m3_segmentos.json'
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import nbformat

from ._errores import ErrorCurso

CARPETA_FUENTE = "solutions"
CARPETA_VERSION = "exercises"
CARPETA_LIBRO = Path("_build") / "html"


@dataclass(frozen=True)
class Asignacion:
    """Una tarea de nbgrader: su carpeta, su cuaderno y los formularios que guardan respuestas."""

    clave: str
    cuaderno: str
    titulo: str
    formularios: tuple[str, ...] = ()


ASIGNACIONES: tuple[Asignacion, ...] = (
    Asignacion("m1_introduccion", "ejercicios_m1", "Módulo 1 · Introducción al customer journey",
               ("m1_conceptos", "m1_componentes")),
    Asignacion("m2_etapas", "ejercicios_m2", "Módulo 2 · Etapas del customer journey",
               ("m2_clasificar", "m2_modelos")),
    Asignacion("m3_mapeo", "ejercicios_m3", "Módulo 3 · Mapeo del customer journey",
               ("m3_segmentos", "m3_persona", "m3_mapa")),
    Asignacion("m4_optimizacion", "ejercicios_m4", "Módulo 4 · Optimización de cada etapa",
               ("m4_correo", "m4_tacticas")),
    Asignacion("m5_medicion", "ejercicios_m5", "Módulo 5 · Medición y análisis",
               ("m5_metricas", "m5_interpretar")),
    Asignacion("m6_casos", "ejercicios_m6", "Módulo 6 · Casos de estudio y mejores prácticas",
               ("m6_mapa", "m6_practicas")),
)
"""Las seis tareas, una por módulo, en orden."""

EXTENSIONES_RESPUESTA = (".json", ".borrador.json")


def archivos_de_respuesta() -> dict[str, list[str]]:
    """Los archivos de respuesta de los formularios de cada tarea (relativos a su carpeta).

    Van en ``Autograde.exclude_overwriting``: nbgrader nunca debe pisarlos con los de la fuente.
    """
    return {
        a.clave: [f"respuestas/{f}{ext}" for f in a.formularios for ext in EXTENSIONES_RESPUESTA]
        for a in ASIGNACIONES
    }


def raiz_del_curso(raiz: str | os.PathLike | None = None) -> Path:
    """La carpeta del curso: la indicada, la actual si tiene ``solutions/``, o la del repositorio."""
    if raiz is not None:
        candidata = Path(raiz).resolve()
    elif (Path.cwd() / CARPETA_FUENTE).is_dir() and (Path.cwd() / "nbgrader_config.py").is_file():
        candidata = Path.cwd().resolve()
    else:
        candidata = Path(__file__).resolve().parent.parent
    if not (candidata / CARPETA_FUENTE).is_dir() or not (candidata / "nbgrader_config.py").is_file():
        raise ErrorCurso(
            f"'{candidata}' no parece la carpeta del curso: le falta solutions/ o nbgrader_config.py.",
            campo="raiz",
            pista="Ejecuta la orden desde la raíz del repositorio del curso o indica --raiz.",
        )
    return candidata


# --- a clean, stable release ------------------------------------------------------------------

METADATOS_DE_CELDA = ("deletable", "editable", "nbgrader", "tags")
METADATOS_DE_CUADERNO = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def normalizar_cuaderno(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Quita salidas y metadatos volátiles (ejecución, vistas, versiones) y fija los del cuaderno.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=3,
    ...                                      metadata={"scrolled": True})])
    >>> celda = normalizar_cuaderno(nb).cells[0]
    >>> celda.execution_count, dict(celda.metadata)
    (None, {})
    """
    nb.metadata = nbformat.from_dict(json.loads(json.dumps(METADATOS_DE_CUADERNO)))
    nb.nbformat, nb.nbformat_minor = 4, 5
    for i, celda in enumerate(nb.cells):
        celda.metadata = nbformat.from_dict(
            {k: v for k, v in celda.metadata.items() if k in METADATOS_DE_CELDA})
        celda.pop("attachments", None)
        if celda.cell_type == "code":
            celda.outputs = []
            celda.execution_count = None
        if "id" not in celda:
            celda.id = f"celda-{i:02d}"
    return nb


def comparable(nb: nbformat.NotebookNode) -> dict:
    """El cuaderno como diccionario sin los ids de celda (para comparar dos generaciones)."""
    datos = json.loads(json.dumps(nb))
    for celda in datos.get("cells", []):
        celda.pop("id", None)
    return datos


def _configuracion(raiz: Path, destino: Path, db_url: str):
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(raiz)).load_config()
    config.CourseDirectory.root = str(raiz)
    config.CourseDirectory.release_directory = str(destino)
    config.CourseDirectory.db_url = db_url
    config.NbGraderAPI.log_level = "WARN"
    return config


@contextlib.contextmanager
def _con_programas_del_entorno():
    """nbgrader runs the `alembic` program: make this Python's own bin folder reachable."""
    anterior = os.environ.get("PATH")
    carpeta = str(Path(sys.executable).parent)
    os.environ["PATH"] = os.pathsep.join([carpeta, anterior]) if anterior else carpeta
    try:
        yield
    finally:
        if anterior is None:
            os.environ.pop("PATH", None)
        else:
            os.environ["PATH"] = anterior


def generar(destino: str | os.PathLike | None = None, *, raiz: str | os.PathLike | None = None,
            db_url: str | None = None, asignaciones: Iterable[str] | None = None) -> list[Path]:
    """Genera la versión de estudiantes de cada tarea y devuelve los cuadernos escritos.

    Sin ``destino`` escribe en ``exercises/`` y registra las tareas en la base de calificaciones
    del curso (``gradebook.db``), como ``nbgrader generate_assignment``. Con ``destino`` escribe allí
    y usa una base temporal (salvo que se indique ``db_url``): no toca nada del curso.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    raiz = raiz_del_curso(raiz)
    destino = Path(destino).resolve() if destino is not None else raiz / CARPETA_VERSION
    elegidas = list(asignaciones) if asignaciones is not None else [a.clave for a in ASIGNACIONES]
    conocidas = {a.clave: a for a in ASIGNACIONES}
    for clave in elegidas:
        if clave not in conocidas:
            raise ErrorCurso(f"No existe la tarea '{clave}'.", campo="asignaciones",
                             pista=f"Usa una de estas: {', '.join(conocidas)}.")
    with tempfile.TemporaryDirectory(prefix="cj-gradebook-") as temporal, _con_programas_del_entorno():
        if db_url is None:
            en_curso = destino == raiz / CARPETA_VERSION
            db_url = f"sqlite:///{(raiz if en_curso else Path(temporal)) / 'gradebook.db'}"
        config = _configuracion(raiz, destino, db_url)
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        escritos = []
        for clave in elegidas:
            resultado = api.generate_assignment(clave, force=True, create=True)
            if not resultado["success"]:
                raise ErrorCurso(
                    f"nbgrader no pudo generar la tarea '{clave}'.",
                    campo="asignaciones",
                    pista=f"Revisa el cuaderno fuente en solutions/{clave}/. Registro de nbgrader:\n"
                    f"{resultado.get('log', '')}{resultado.get('error', '')}",
                )
            for ruta in sorted((destino / clave).glob("*.ipynb")):
                nb = normalizar_cuaderno(nbformat.read(str(ruta), as_version=4))
                nbformat.validate(nb)
                nbformat.write(nb, str(ruta))
                escritos.append(ruta)
    return escritos


# --- leak check -------------------------------------------------------------------------------

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


# --- command line -----------------------------------------------------------------------------

class _Formato(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "uso: " if prefix is None else prefix)


class _Analizador(argparse.ArgumentParser):
    """argparse in Spanish: headings, the help option and the error line."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, formatter_class=_Formato, add_help=False, **kwargs)
        self._positionals.title = "argumentos"
        self._optionals.title = "opciones"
        self.add_argument("-h", "--ayuda", action="help", help="muestra esta ayuda y termina")

    def error(self, message):
        for ingles, espanol in (("the following arguments are required", "falta indicar"),
                                ("unrecognized arguments", "no reconozco estos argumentos"),
                                ("invalid choice", "opción no válida"), ("choose from", "elige entre"),
                                ("argument ", "argumento ")):
            message = message.replace(ingles, espanol)
        self.print_usage(sys.stderr)
        self.exit(2, f"Error: {message}\nUsa --ayuda para ver las opciones.\n")


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m cj_course.ejercicios generar|fugas``."""
    analizador = _Analizador(
        prog="python -m cj_course.ejercicios",
        description="Genera la versión de estudiantes de los ejercicios y busca fugas de soluciones.",
    )
    ordenes = analizador.add_subparsers(dest="orden", required=True, metavar="ORDEN", parser_class=_Analizador,
                                        title="órdenes")
    g = ordenes.add_parser("generar", help="regenera exercises/ desde solutions/ con nbgrader")
    g.add_argument("--destino", help="carpeta donde escribir (por omisión exercises/; con otra, la base es temporal)")
    g.add_argument("--raiz", help="carpeta del curso (por omisión, la actual o la del repositorio)")
    g.add_argument("--db-url", help="base de calificaciones de nbgrader (URL de SQLAlchemy)")
    g.add_argument("tareas", nargs="*", help="tareas a generar (por omisión, todas)")
    f = ordenes.add_parser("fugas", help="busca soluciones o pruebas ocultas en exercises/ y en el libro")
    f.add_argument("carpetas", nargs="*", help="carpetas a revisar (por omisión exercises/ y _build/html)")
    f.add_argument("--raiz", help="carpeta del curso")
    args = analizador.parse_args(argv)
    try:
        if args.orden == "generar":
            escritos = generar(args.destino, raiz=args.raiz, db_url=args.db_url, asignaciones=args.tareas or None)
            for ruta in escritos:
                print(f"✔ {ruta}")
            print("Listo: 1 cuaderno generado." if len(escritos) == 1
                  else f"Listo: {len(escritos)} cuadernos generados.")
            return 0
        fugas = buscar_fugas(args.carpetas or None, raiz=args.raiz)
        for fuga in fugas:
            print(f"✘ {fuga}")
        if not fugas:
            print("Sin fugas: ninguna solución ni prueba oculta a la vista.")
        else:
            print("1 fuga encontrada." if len(fugas) == 1 else f"{len(fugas)} fugas encontradas.")
        return 1 if fugas else 0
    except ErrorCurso as e:
        print(f"Error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
