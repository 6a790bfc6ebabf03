"""Los pasos del flujo de nbgrader que ``cj-course`` hace para todas las tareas a la vez: publicar,
recoger y exportar las notas.

Son órdenes de nbgrader; aquí se llaman en este mismo proceso (con la ``NbGraderAPI`` que usa
formgrader) para todas las tareas, y sus errores se cuentan en español.

>>> callable(exportar_notas)
True
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._errores import ErrorCurso
from . import _curso
from ._curso import Avisar, OrdenDeTareas


def _en_el_intercambio(
    nombre: str, accion: str, que: str, sin_intercambio: Callable[[Any, Avisar], bool], documentacion: str
) -> OrdenDeTareas:
    """La orden que hace ``accion`` de la API de nbgrader con cada tarea; sin intercambio, decide
    ``sin_intercambio`` (con la aplicación de nbgrader y ``avisar``)."""

    def hacer(aplicacion: Any, lista: list[str], avisar: Avisar) -> bool:
        api = _curso.api_de(aplicacion)
        if not api.exchange_is_functional:
            return sin_intercambio(aplicacion, avisar)
        avisar(f"{que} {api.exchange_root} (curso «{api.course_id}»):")
        with _curso.con_programas_del_entorno():
            return all([_curso.informar_resultado(avisar, t, getattr(api, accion)(t)) for t in lista])

    hacer.__name__ = nombre
    return OrdenDeTareas(hacer, documentacion)


def _repartir_a_mano(aplicacion: Any, avisar: Avisar) -> bool:
    avisar(
        "No hay intercambio de nbgrader disponible (falta c.CourseDirectory.course_id o no existe la "
        f"carpeta c.Exchange.root): las tareas quedan en {aplicacion.coursedir.release_directory}/ para "
        "repartirlas a mano. Para JupyterHub, mira la Guía del instructor."
    )
    return True


def _nada_que_recoger(aplicacion: Any, avisar: Avisar) -> bool:
    raise ErrorCurso(
        "No hay intercambio de nbgrader configurado, así que no hay nada que recoger.",
        campo="curso",
        pista=f"Copia cada entrega en {aplicacion.coursedir.submitted_directory}/<estudiante>/<tarea>/ "
        "o configura c.Exchange.root y c.CourseDirectory.course_id.",
    )


publicar_tareas = _en_el_intercambio(
    "publicar_tareas",
    "release_assignment",
    "Publicando en el intercambio",
    _repartir_a_mano,
    "``nbgrader release_assignment`` de cada tarea; sin intercambio, lo explica y no falla.",
)
recoger_entregas = _en_el_intercambio(
    "recoger_entregas",
    "collect",
    "Recogiendo del intercambio",
    _nada_que_recoger,
    "``nbgrader collect`` de cada tarea (las entregas pasan del intercambio a ``submitted/``).",
)


def exportar_notas(
    curso: str | os.PathLike[str] | None,
    salida: str | os.PathLike[str] = "notas.csv",
    *,
    db_url: str | None = None,
) -> Path:
    """Exporta las notas del libro de calificaciones a CSV con ``nbgrader export`` (su exportador CSV)."""
    from nbgrader.apps import ExportApp

    salida = Path(salida).resolve()
    if not salida.parent.is_dir():
        raise ErrorCurso(
            f"No existe la carpeta {salida.parent}.",
            campo="salida",
            pista="Crea la carpeta o elige otra ruta para el CSV.",
        )
    aplicacion = _curso.cargar_aplicacion(
        curso, [f"--to={salida}", *_curso.argumentos_db(db_url)], clase=ExportApp
    )
    with contextlib.chdir(aplicacion.coursedir.root), _curso.con_programas_del_entorno():
        aplicacion.start()
    return salida
