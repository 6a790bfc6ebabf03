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
from collections.abc import Iterable
from pathlib import Path

from .._errores import ErrorCurso
from ._curso import (
    Avisar,
    api_de,
    argumentos_db,
    cargar_aplicacion,
    con_programas_del_entorno,
    elegir_tareas,
    informar_resultado,
)


def publicar_tareas(curso: str | os.PathLike[str] | None, tareas: Iterable[str] | None = None, *,
                    db_url: str | None = None, avisar: Avisar = print) -> bool:
    """``nbgrader release_assignment`` de cada tarea; sin intercambio, lo explica y no falla."""
    aplicacion = cargar_aplicacion(curso, argumentos_db(db_url))
    lista = elegir_tareas(aplicacion, tareas)
    api = api_de(aplicacion)
    if not api.exchange_is_functional:
        avisar("No hay intercambio de nbgrader disponible (falta c.CourseDirectory.course_id o no existe la "
               f"carpeta c.Exchange.root): las tareas quedan en {aplicacion.coursedir.release_directory}/ para "
               "repartirlas a mano. Para JupyterHub, mira la Guía del instructor.")
        return True
    avisar(f"Publicando en el intercambio {api.exchange_root} (curso «{api.course_id}»):")
    with con_programas_del_entorno():
        return all([informar_resultado(avisar, t, api.release_assignment(t)) for t in lista])


def recoger_entregas(curso: str | os.PathLike[str] | None, tareas: Iterable[str] | None = None, *,
                     db_url: str | None = None, avisar: Avisar = print) -> bool:
    """``nbgrader collect`` de cada tarea (las entregas pasan del intercambio a ``submitted/``)."""
    aplicacion = cargar_aplicacion(curso, argumentos_db(db_url))
    lista = elegir_tareas(aplicacion, tareas)
    api = api_de(aplicacion)
    if not api.exchange_is_functional:
        raise ErrorCurso(
            "No hay intercambio de nbgrader configurado, así que no hay nada que recoger.", campo="curso",
            pista=f"Copia cada entrega en {aplicacion.coursedir.submitted_directory}/<estudiante>/<tarea>/ "
            "o configura c.Exchange.root y c.CourseDirectory.course_id.")
    avisar(f"Recogiendo del intercambio {api.exchange_root}:")
    with con_programas_del_entorno():
        return all([informar_resultado(avisar, t, api.collect(t)) for t in lista])


def exportar_notas(curso: str | os.PathLike[str] | None, salida: str | os.PathLike[str] = "notas.csv", *,
                   db_url: str | None = None) -> Path:
    """Exporta las notas del libro de calificaciones a CSV con ``nbgrader export`` (su exportador CSV)."""
    from nbgrader.apps import ExportApp

    salida = Path(salida).resolve()
    if not salida.parent.is_dir():
        raise ErrorCurso(f"No existe la carpeta {salida.parent}.", campo="salida",
                         pista="Crea la carpeta o elige otra ruta para el CSV.")
    aplicacion = cargar_aplicacion(curso, [f"--to={salida}", *argumentos_db(db_url)], clase=ExportApp)
    with contextlib.chdir(aplicacion.coursedir.root), con_programas_del_entorno():
        aplicacion.start()
    return salida
