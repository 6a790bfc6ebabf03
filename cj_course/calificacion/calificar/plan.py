"""Qué se califica: las entregas de ``submitted/``, su estado y lo que se espera de cada una.

>>> resultado = Resultado("m1", "ana", Estado.FALLIDA, ["El cuaderno no es JSON válido."])
>>> resultado.calificada, resultado.estado.value
(False, 'fallida')
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..._errores import ErrorCurso
from .._curso import carpeta_de_entrega, entregas_de


class Estado(StrEnum):
    """Lo que pasó con una entrega (el resumen de ``cj-course calificar`` cuenta cada uno)."""

    CALIFICADA = "calificada"
    OMITIDA = "omitida"
    FALLIDA = "fallida"
    SIN_ENTREGA = "sin_entrega"
    INTERRUMPIDA = "interrumpida"


@dataclass
class Resultado:
    """Lo que pasó con una entrega: su estado, los motivos (en español) y la nota del libro."""

    tarea: str
    estudiante: str
    estado: Estado
    motivos: list[str] = field(default_factory=list)
    puntos: float | None = None
    maximo: float | None = None
    segundos: float = 0.0
    registro: str = ""
    sospechas: list[str] = field(default_factory=list)
    """Señales para el instructor (la comprobación visible falló pero la de confianza pasó, tiempo agotado...)."""

    @property
    def calificada(self) -> bool:
        return self.estado is Estado.CALIFICADA


class Calificacion(list[Resultado]):
    """Los :class:`Resultado` de una calificación, y el archivo de registro con el detalle."""

    registro: Path | None = None
    respaldo: Path | None = None


@dataclass(frozen=True)
class Pendiente:
    """Una entrega que hay que calificar, con los ``grade_id`` que se esperan en cada cuaderno."""

    tarea: str
    estudiante: str
    esperadas: dict[str, list[str]]


def celdas_calificables(db_url: str, course_id: str, tarea: str) -> dict[str, list[str]]:
    """Por cuaderno de la tarea, los ``grade_id`` de sus celdas calificables (del libro)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gb:
        try:
            asignacion = gb.find_assignment(tarea)
        except MissingEntry:
            raise ErrorCurso(
                f"La tarea «{tarea}» no está en el libro de calificaciones.",
                campo="tarea",
                pista="Genera antes la versión del estudiante: cj-course liberar (o nbgrader generate_assignment).",
            ) from None
        return {nb.name: sorted(c.name for c in nb.grade_cells) for nb in asignacion.notebooks}


def planificar(
    coursedir: Any, tareas: list[str], estudiantes: set[str] | None
) -> tuple[list[Resultado], list[Pendiente]]:
    """Las entregas que se califican y, aparte, las que no se pueden calificar (con el motivo)."""
    resultados: list[Resultado] = []
    pendientes: list[Pendiente] = []
    for tarea in tareas:
        quienes = entregas_de(coursedir, tarea)
        if not quienes:
            continue
        esperadas = celdas_calificables(coursedir.db_url, coursedir.course_id, tarea)
        for estudiante in quienes:
            if estudiantes is not None and estudiante not in estudiantes:
                continue
            if glob.has_magic(estudiante):
                resultados.append(
                    Resultado(
                        tarea,
                        estudiante,
                        Estado.FALLIDA,
                        [
                            "El nombre de la carpeta del estudiante contiene *, ? o [ y nbgrader lo leería como patrón: "
                            "renómbrala."
                        ],
                    )
                )
                continue
            carpeta = carpeta_de_entrega(coursedir, estudiante, tarea)
            if not any((carpeta / f"{nb}.ipynb").exists() for nb in esperadas):
                nombres = ", ".join(f"{nb}.ipynb" for nb in esperadas)
                resultados.append(
                    Resultado(
                        tarea,
                        estudiante,
                        Estado.SIN_ENTREGA,
                        [
                            f"La entrega no contiene {nombres}: no hay nada que calificar "
                            "(¿subió otro archivo o cambió el nombre del cuaderno?)."
                        ],
                    )
                )
                continue
            pendientes.append(Pendiente(tarea, estudiante, esperadas))
    if estudiantes:
        vistos = {r.estudiante for r in resultados} | {p.estudiante for p in pendientes}
        for faltante in sorted(estudiantes - vistos):
            for tarea in tareas:
                resultados.append(
                    Resultado(tarea, faltante, Estado.SIN_ENTREGA, ["No hay carpeta de entrega."])
                )
    return resultados, pendientes
