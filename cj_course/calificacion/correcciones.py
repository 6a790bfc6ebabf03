"""Dos correcciones a nbgrader 0.9 para que la calificación sea justa y la retroalimentación no revele nada.

* :class:`RestaurarCeldas` vuelve a poner, antes de calificar, las celdas calificables que un
  estudiante borró (nbgrader restaura una celda de prueba *editada*, pero no una *borrada*:
  upstream #1682). Así una respuesta correcta no saca 0 porque desapareció su prueba.
* :class:`OcultarPruebasOcultas` quita de la retroalimentación HTML las pruebas ocultas y las trazas
  de error que las citarían (nbgrader las muestra: upstream #917); el estudiante ve el mensaje en
  español de la prueba que falló, no su código.
* :class:`ExportadorRetroalimentacion` escribe esa retroalimentación con una plantilla en español.

:func:`aplicar` las conecta en una configuración de nbgrader (la usa ``nbgrader_config.py``).

>>> from traitlets.config import Config
>>> c = Config()
>>> aplicar(c)
>>> RestaurarCeldas in c.Autograde.sanitize_preprocessors
True
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
import nbgrader
from nbconvert.exporters import HTMLExporter
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader import utils
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    NbGraderPreprocessor,
    OverwriteCells,
    OverwriteKernelspec,
)
from traitlets import Unicode, default, validate

PLANTILLAS = Path(__file__).resolve().parent / "plantillas"
PLANTILLA_RETROALIMENTACION = "retroalimentacion"
METADATO_RESTAURADA = "cj_course_restaurada"
_BOOTSTRAP = (
    Path(nbgrader.__file__).parent
    / "server_extensions"
    / "formgrader"
    / "static"
    / "node_modules"
    / "bootstrap"
    / "dist"
    / "css"
)


def _coursedir_de(configurable) -> CourseDirectory:
    """The CourseDirectory of the converter running this preprocessor (or one built from the config)."""
    actual = configurable
    while actual is not None:
        coursedir = getattr(actual, "coursedir", None)
        if isinstance(coursedir, CourseDirectory):
            return coursedir
        actual = getattr(actual, "parent", None)
    return CourseDirectory(config=configurable.config)


def _ids_en_orden(ruta: Path) -> list[str]:
    """The grade_ids of a notebook's nbgrader cells, in notebook order."""
    nb = nbformat.read(str(ruta), as_version=4)
    return [
        c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "grade_id" in c.metadata.get("nbgrader", {})
    ]


class RestaurarCeldas(NbGraderPreprocessor):
    """Reinserta las celdas de nbgrader que faltan en una entrega, en su lugar y con su contenido original.

    Se ejecuta antes de ``OverwriteCells``: toma de la base de calificaciones el contenido de cada celda
    que falta (pruebas completas, incluidas las ocultas; la versión del estudiante para las celdas de
    respuesta) y la coloca tras la celda de nbgrader que la precede en el cuaderno fuente.
    """

    aviso = Unicode(
        "Esta celda faltaba en tu entrega; se restauró para calificarla.",
        help="Nota (en la retroalimentación) para las celdas restauradas.",
    ).tag(config=True)

    def preprocess(self, nb, resources):
        cuaderno = resources["nbgrader"]["notebook"]
        tarea = resources["nbgrader"]["assignment"]
        with Gradebook(resources["nbgrader"]["db_url"]) as gb:
            try:
                fuente = gb.find_notebook(cuaderno, tarea)
            except MissingEntry:
                return nb, resources
            celdas = {c.name: c for c in fuente.source_cells}
            calificables = {c.name: c.max_score for c in fuente.grade_cells}
            tareas = {c.name: c.max_score for c in fuente.task_cells}
            soluciones = {c.name for c in fuente.solution_cells}
            orden = self._orden(tarea, cuaderno, list(celdas))
            presentes = {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None}
            for i, nombre in enumerate(orden):
                if nombre in presentes or nombre not in celdas:
                    continue
                celda = self._celda(
                    celdas[nombre], calificables.get(nombre), tareas.get(nombre), nombre in soluciones
                )
                celda.id = self._id_libre(nb, nombre)
                nb.cells.insert(self._posicion(nb, orden, i), celda)
                presentes.add(nombre)
                self.log.warning("La celda '%s' faltaba en la entrega: se restauró para calificarla.", nombre)
        return nb, resources

    def _orden(self, tarea: str, cuaderno: str, respaldo: list[str]) -> list[str]:
        """Cell order from the source notebook, else the release, else the gradebook's own order."""
        coursedir = _coursedir_de(self)
        for carpeta in (coursedir.source_directory, coursedir.release_directory):
            ruta = Path(coursedir.format_path(carpeta, ".", tarea)) / f"{cuaderno}.ipynb"
            if ruta.is_file():
                try:
                    orden = _ids_en_orden(ruta)
                except (OSError, ValueError, KeyError):
                    continue
                return orden + [n for n in respaldo if n not in orden]
        return respaldo

    @staticmethod
    def _id_libre(nb, nombre: str) -> str:
        """A cell id not used in the notebook (ids allow letters, digits, '-' and '_', up to 64)."""
        usados = {c.get("id") for c in nb.cells}
        base = re.sub(r"[^A-Za-z0-9_-]", "-", nombre)[:50] or "celda"
        candidato, n = base, 1
        while candidato in usados:
            n += 1
            candidato = f"{base}-{n}"
        return candidato

    @staticmethod
    def _posicion(nb, orden: list[str], i: int) -> int:
        indices = {c.metadata.get("nbgrader", {}).get("grade_id"): k for k, c in enumerate(nb.cells)}
        for anterior in reversed(orden[:i]):
            if anterior in indices:
                return indices[anterior] + 1
        for siguiente in orden[i + 1 :]:
            if siguiente in indices:
                return indices[siguiente]
        return len(nb.cells)

    def _celda(self, fuente, puntos, puntos_tarea, es_solucion: bool):
        meta = {
            "grade": puntos is not None,
            "grade_id": fuente.name,
            "locked": fuente.locked,
            "schema_version": 3,
            "solution": es_solucion,
            "task": puntos_tarea is not None,
            "checksum": fuente.checksum,
        }
        if puntos is not None or puntos_tarea is not None:
            meta["points"] = puntos if puntos is not None else puntos_tarea
        metadata: dict[str, object] = {"nbgrader": meta, METADATO_RESTAURADA: self.aviso}
        if fuente.locked:
            metadata.update(deletable=False, editable=False)
        if fuente.cell_type == "code":
            celda = nbformat.v4.new_code_cell(fuente.source, metadata=metadata)
        else:
            celda = nbformat.v4.new_markdown_cell(fuente.source, metadata=metadata)
        return MetadataValidator().upgrade_cell_metadata(celda)


def sin_region_oculta(
    texto: str, inicio: str = "BEGIN HIDDEN TESTS", fin: str = "END HIDDEN TESTS"
) -> tuple[str, bool]:
    r"""El texto de una celda sin sus regiones de pruebas ocultas, y si había alguna.

    >>> sin_region_oculta("a = 1\n### BEGIN HIDDEN TESTS\nassert a\n### END HIDDEN TESTS\nb = 2")
    ('a = 1\nb = 2', True)
    """
    lineas, dentro, quitada = [], False, False
    for linea in texto.split("\n"):
        if inicio in linea:
            dentro, quitada = True, True
        elif fin in linea:
            dentro = False
        elif not dentro:
            lineas.append(linea)
    return "\n".join(lineas), quitada


class OcultarPruebasOcultas(NbGraderPreprocessor):
    """Quita de la retroalimentación el código de las pruebas ocultas y las trazas que lo citarían."""

    inicio = Unicode("BEGIN HIDDEN TESTS").tag(config=True)
    fin = Unicode("END HIDDEN TESTS").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        cell.source, quitada = sin_region_oculta(cell.source, self.inicio, self.fin)
        es_prueba = utils.is_grade(cell) and not utils.is_solution(cell)
        if cell.cell_type == "code" and (es_prueba or quitada):
            salidas = []
            for salida in cell.get("outputs", []):
                if salida.output_type == "error":
                    # The traceback quotes the lines around the failure, hidden ones included.
                    salida = copy.deepcopy(salida)
                    salida.traceback = [f"{salida.ename}: {salida.evalue}"]
                salidas.append(salida)
            cell.outputs = salidas
        return cell, resources


class ExportadorRetroalimentacion(HTMLExporter):
    """El exportador HTML de la retroalimentación, con la plantilla en español del curso.

    GenerateFeedback (y el botón del formgrader) configuran ``HTMLExporter.template_name = "feedback"``;
    aquí la plantilla del curso se impone a cualquier configuración, y su carpeta va primero.
    """

    # Same method names as nbconvert's handlers: a subclass overrides them, never runs both.
    @default("template_name")
    def _template_name_default(self):
        return PLANTILLA_RETROALIMENTACION

    @validate("template_name")
    def _template_name_validate(self, propuesta):
        return PLANTILLA_RETROALIMENTACION

    @default("extra_template_basedirs")
    def _default_extra_template_basedirs(self):
        return [str(PLANTILLAS)]

    @validate("extra_template_basedirs")
    def _con_la_carpeta_del_curso(self, propuesta):
        return [str(PLANTILLAS), *(c for c in propuesta["value"] if c != str(PLANTILLAS))]

    @default("extra_template_paths")
    def _default_extra_template_paths(self):
        return [str(_BOOTSTRAP)]  # the page's CSS, where GenerateFeedback also looks for it


def aplicar(c) -> None:
    """Conecta las correcciones en la configuración ``c`` de nbgrader."""
    c.Autograde.sanitize_preprocessors = [
        ClearOutput,
        DeduplicateIds,
        OverwriteKernelspec,
        RestaurarCeldas,
        OverwriteCells,
        CheckCellMetadata,
    ]
    c.GenerateFeedback.preprocessors = [GetGrades, OcultarPruebasOcultas, CSSHTMLHeaderPreprocessor]
    c.GenerateFeedback.exporter_class = ExportadorRetroalimentacion
