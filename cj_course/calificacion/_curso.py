"""Lo que comparten todas las órdenes del instructor: la carpeta del curso, la aplicación de nbgrader
con su configuración, las tareas, las entregas y el libro de calificaciones.

Nada aquí cambia el estado global del proceso sin devolverlo: la carpeta actual y el ``PATH`` se
cambian solo dentro de un ``with`` y se restauran al salir.

>>> with con_programas_del_entorno():
...     os.path.dirname(sys.executable) in os.environ["PATH"].split(os.pathsep)
True
"""

from __future__ import annotations

import contextlib
import glob
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .._entorno import variable_de_entorno
from .._errores import ErrorCurso

Avisar = Callable[[str], object]
"""Cómo una orden cuenta lo que hace (``print``, ``typer.echo``...)."""

CARPETA_FUENTE = "solutions"
CARPETA_VERSION = "exercises"


def con_programas_del_entorno() -> contextlib.AbstractContextManager[None]:
    """Pone la carpeta de programas de este Python en ``PATH`` mientras dura el bloque.

    nbgrader ejecuta ``alembic`` como programa al crear un libro de calificaciones: debe encontrarse
    aunque ``cj-course`` se llame por su ruta completa sin activar el entorno.
    """
    carpeta = os.path.dirname(sys.executable)
    partes = os.environ.get("PATH", "").split(os.pathsep)
    if carpeta in partes:
        return contextlib.nullcontext()
    return variable_de_entorno("PATH", os.pathsep.join([carpeta, *[p for p in partes if p]]))


def argumentos_db(db_url: str | None) -> list[str]:
    """Las opciones de nbgrader que eligen el libro de calificaciones (ninguna: el de la configuración)."""
    return [f"--CourseDirectory.db_url={db_url}"] if db_url else []


def raiz_del_curso(raiz: str | os.PathLike[str] | None = None) -> Path:
    """La carpeta del curso: la indicada, la actual si tiene ``solutions/``, o la del repositorio."""
    if raiz is not None:
        candidata = Path(raiz).resolve()
    elif (Path.cwd() / CARPETA_FUENTE).is_dir() and (Path.cwd() / "nbgrader_config.py").is_file():
        candidata = Path.cwd().resolve()
    else:
        candidata = Path(__file__).resolve().parent.parent.parent
    if not (candidata / CARPETA_FUENTE).is_dir() or not (candidata / "nbgrader_config.py").is_file():
        raise ErrorCurso(
            f"'{candidata}' no parece la carpeta del curso: le falta solutions/ o nbgrader_config.py.",
            campo="raiz",
            pista="Ejecuta la orden desde la raíz del repositorio del curso o indica la carpeta con --curso.",
        )
    return candidata


def cargar_aplicacion(
    raiz: str | os.PathLike[str] | None = None, argumentos: Sequence[str] = (), clase: type | None = None
) -> Any:
    """Una aplicación de nbgrader con la configuración del curso, como la cargaría ``nbgrader``.

    Con ``raiz``, la del ``nbgrader_config.py`` de esa carpeta; sin ella, la de la carpeta actual y
    la de Jupyter (``~/.jupyter``, ``/etc/jupyter``), que puede fijar ``c.CourseDirectory.root``.
    ``argumentos`` son opciones de línea de órdenes de nbgrader (``--Execute.timeout=5``) que
    prevalecen sobre los archivos, como en ``nbgrader``.
    """
    from nbgrader.apps import AutogradeApp

    carpeta = Path(raiz).resolve() if raiz is not None else Path.cwd()
    if not carpeta.is_dir():
        raise ErrorCurso(
            f"La carpeta del curso {carpeta} no existe.",
            campo="curso",
            pista="Indica la carpeta que contiene nbgrader_config.py con --curso.",
        )
    # nbgrader reads nbgrader_config.py from the current folder: change it only while it loads.
    with contextlib.chdir(carpeta):
        try:
            app = (clase or AutogradeApp)()
            app.initialize(list(argumentos))
        except SystemExit as e:
            raise ErrorCurso(
                "nbgrader no pudo leer la configuración del curso.",
                campo="curso",
                pista="Revisa nbgrader_config.py y las opciones que pasaste.",
            ) from e
    if raiz is not None:
        app.coursedir.root = str(carpeta)
    if not Path(app.coursedir.root).is_dir():
        raise ErrorCurso(
            f"La carpeta del curso {app.coursedir.root} (c.CourseDirectory.root) no existe.",
            campo="curso",
            pista="Corrige c.CourseDirectory.root o indica la carpeta con --curso.",
        )
    return app


def api_de(aplicacion: Any) -> Any:
    """La ``NbGraderAPI`` (la que usa formgrader) sobre la aplicación ya cargada."""
    from nbgrader.apps.api import NbGraderAPI

    return NbGraderAPI(coursedir=aplicacion.coursedir, parent=aplicacion)


class OrdenDeTareas:
    """Una orden del instructor sobre las tareas del curso (todas si no se nombra ninguna).

    Every such command takes the same arguments, written here once: it loads nbgrader's application for
    ``curso`` (with ``db_url``), picks the tasks and calls ``hacer(aplicacion, tareas, avisar)``, which
    says whether everything went well.
    """

    def __init__(self, hacer: Callable[[Any, list[str], Avisar], bool], documentacion: str) -> None:
        self._hacer = hacer
        self.__name__ = self.__qualname__ = hacer.__name__.lstrip("_")
        self.__doc__ = documentacion

    def __call__(
        self,
        curso: str | os.PathLike[str] | None,
        tareas: Iterable[str] | None = None,
        *,
        db_url: str | None = None,
        avisar: Avisar = print,
    ) -> bool:
        aplicacion = cargar_aplicacion(curso, argumentos_db(db_url))
        return self._hacer(aplicacion, elegir_tareas(aplicacion, tareas), avisar)

    def __repr__(self) -> str:
        return f"<orden {self.__name__} de cj_course.calificacion>"


def tareas_del_curso(coursedir: Any) -> list[str]:
    """Las tareas de la carpeta fuente (``solutions/`` en este curso), en orden."""
    fuente = Path(coursedir.format_path(coursedir.source_directory, ".", "*"))
    return sorted(Path(p).name for p in glob.glob(str(fuente)) if Path(p).is_dir())


def elegir_tareas(aplicacion: Any, tareas: Iterable[str] | None) -> list[str]:
    """Las tareas pedidas (todas las de la carpeta fuente si no se pide ninguna), comprobadas."""
    coursedir = aplicacion.coursedir
    todas = tareas_del_curso(coursedir)
    if not todas:
        raise ErrorCurso(
            f"No hay tareas en {coursedir.source_directory}/ de {coursedir.root}.",
            campo="curso",
            pista="Ejecuta la orden en la carpeta del curso o indícala con --curso.",
        )
    return exigir_tareas(tareas or todas, todas, coursedir.source_directory)


def exigir_tareas(pedidas: Iterable[str], todas: Iterable[str], carpeta: str) -> list[str]:
    """Las tareas ``pedidas``, comprobadas: cada una está entre ``todas`` (las de ``carpeta``).

    Every command that takes task names (grading and generating the release) says the same thing
    when one does not exist, so the message lives here once.
    """
    conocidas = list(todas)
    elegidas = list(pedidas)
    for tarea in elegidas:
        if tarea not in conocidas:
            raise ErrorCurso(
                f"La tarea «{tarea}» no existe en {carpeta}/.",
                campo="tarea",
                pista=f"Tareas del curso: {', '.join(conocidas)}.",
            )
    return elegidas


def entregas_de(coursedir: Any, tarea: str) -> list[str]:
    """Los estudiantes con una carpeta de entrega para ``tarea`` en ``submitted/``."""
    patron = coursedir.format_path(coursedir.submitted_directory, "*", tarea)
    base = Path(coursedir.root) / coursedir.submitted_directory
    return sorted(Path(c).relative_to(base).parts[0] for c in glob.glob(patron) if os.path.isdir(c))


def carpeta_de_entrega(coursedir: Any, estudiante: str, tarea: str) -> Path:
    """``submitted/<estudiante>/<tarea>`` de ese curso."""
    return Path(coursedir.format_path(coursedir.submitted_directory, estudiante, tarea))


def informar_resultado(avisar: Avisar, que: str, resultado: dict[str, Any]) -> bool:
    """Cuenta en español el resultado de una llamada a la API de nbgrader."""
    if resultado.get("success"):
        avisar(f"  ✔ {que}")
        return True
    detalle = ((resultado.get("log") or "") + (resultado.get("error") or "")).strip().splitlines()
    avisar(f"  ✘ {que}: nbgrader informó un error:\n    " + "\n    ".join(detalle[-12:]))
    return False
