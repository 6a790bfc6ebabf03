"""Explicar en español lo que pasó con una entrega: por qué nbgrader no pudo calificarla, qué celdas
faltaban, qué celda agotó el tiempo; y reconocer un libro de calificaciones bloqueado.

>>> import sqlite3
>>> bloqueo = sqlite3.OperationalError("database is locked")
>>> bloqueo.sqlite_errorcode = sqlite3.SQLITE_BUSY
>>> es_bloqueo(bloqueo), es_bloqueo(ValueError("database is locked"))
(True, False)
"""

from __future__ import annotations

import sqlite3
import traceback
from typing import Any

from .._curso import carpeta_de_entrega

_CODIGOS_DE_BLOQUEO = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}


def _tipos_de_bloqueo_postgresql() -> tuple[type[BaseException], ...]:
    try:
        from psycopg import errors
    except ImportError:  # psycopg is optional: only a PostgreSQL gradebook needs it
        return ()
    return (errors.LockNotAvailable, errors.DeadlockDetected, errors.SerializationFailure)


def es_bloqueo(error: BaseException) -> bool:
    """Si ``error`` (o lo que lo causó) es un libro de calificaciones ocupado por otro escritor.

    Se reconoce por el tipo y el código del error del controlador (SQLite: ``SQLITE_BUSY`` o
    ``SQLITE_LOCKED``; PostgreSQL: bloqueo no disponible, interbloqueo o fallo de serialización),
    también cuando SQLAlchemy lo envuelve (``.orig``) o llega como causa de otro error.
    """
    postgresql = _tipos_de_bloqueo_postgresql()
    vistos: set[int] = set()
    pendientes: list[BaseException | None] = [error]
    while pendientes:
        actual = pendientes.pop()
        if actual is None or id(actual) in vistos:
            continue
        vistos.add(id(actual))
        if (
            isinstance(actual, sqlite3.Error)
            and getattr(actual, "sqlite_errorcode", None) in _CODIGOS_DE_BLOQUEO
        ):
            return True
        if postgresql and isinstance(actual, postgresql):
            return True
        pendientes.extend([getattr(actual, "orig", None), actual.__cause__, actual.__context__])
    return False


def explicar_error(error: BaseException, estado: dict[str, Any]) -> str:
    """Un motivo en español para una entrega que nbgrader no pudo calificar."""
    from nbformat.reader import NotJSONError

    cuaderno = estado.get("cuaderno", "el cuaderno")
    nombre = type(error).__name__
    if isinstance(error, NotJSONError) or nombre in ("NotJSONError", "JSONDecodeError"):
        return (
            f"{cuaderno} no es un cuaderno válido (el archivo no es JSON: está dañado o incompleto). "
            "Pide al estudiante que lo vuelva a entregar."
        )
    if nombre in ("ValidationError", "NBFormatError") or "validat" in nombre.lower():
        return (
            f"{cuaderno} no cumple el formato de cuaderno de Jupyter ({str(error).splitlines()[0][:200]}). "
            "Pide al estudiante que lo vuelva a entregar."
        )
    if nombre in ("UnresponsiveKernelError", "DeadKernelError"):
        celda = estado.get("celda")
        donde = ""
        if celda and celda[0] is not None:
            indice, contenido = celda
            primera = (contenido.source.strip().splitlines() or [""])[0][:80] if contenido is not None else ""
            donde = f" al ejecutar la celda {indice + 1} («{primera}»)"
        return (
            f"El núcleo de Python se cerró{donde} en {cuaderno}: el código terminó el proceso "
            "(os._exit, falta de memoria o un fallo del intérprete) y el resto no se pudo ejecutar. "
            "Corrige esa celda en la entrega o califica a mano con formgrader."
        )
    if nombre in ("SchemaTooOldError", "SchemaTooNewError"):
        return (
            f"{cuaderno} usa otra versión de los metadatos de nbgrader. "
            "Actualízalo con «nbgrader update» o pide una entrega nueva."
        )
    if es_bloqueo(error) or nombre == "OperationalError":
        return (
            "No se pudo escribir en el libro de calificaciones: "
            f"{str(error).splitlines()[0][:200]}. Vuelve a ejecutar «cj-course calificar» cuando esté libre."
        )
    if nombre == "MissingEntry":
        return "La tarea o el cuaderno no está en el libro de calificaciones: genera la tarea antes de calificar."
    detalle = "".join(traceback.format_exception_only(type(error), error)).strip().splitlines()[-1][:300]
    return f"nbgrader no pudo calificar la entrega ({detalle}). Mira los detalles en el registro."


def diagnosticar(
    coursedir: Any,
    tarea: str,
    estudiante: str,
    esperadas: dict[str, list[str]],
    observado: dict[str, dict[str, Any]],
) -> list[str]:
    """Avisos en español sobre una entrega ya calificada: cuadernos que faltan, celdas borradas
    (y si se restauraron), tiempo agotado, ``sys.exit`` y salidas enormes."""
    avisos = []
    entregado = carpeta_de_entrega(coursedir, estudiante, tarea)
    for cuaderno, ids in esperadas.items():
        if not (entregado / f"{cuaderno}.ipynb").exists():
            avisos.append(f"Falta {cuaderno}.ipynb en la entrega: sus ejercicios valen 0.")
            continue
        visto = observado.get(cuaderno, {})
        presentes = visto.get("entregado", set(ids))
        calificadas = visto.get("calificado", presentes)
        borradas = [i for i in ids if i not in presentes]
        # Whether they came back depends on the course's configuration (RestaurarCeldas,
        # OverwriteCells.add_missing_cells): look at what was actually graded.
        restauradas = [i for i in borradas if i in calificadas]
        perdidas = [i for i in borradas if i not in calificadas]
        if restauradas:
            avisos.append(
                f"Borró celdas calificables de {cuaderno} ({', '.join(restauradas)}): se "
                "restauraron desde el original y se calificaron."
            )
        if perdidas:
            avisos.append(
                f"Borró celdas calificables de {cuaderno} ({', '.join(perdidas)}): nbgrader no "
                "las restaura y quedan sin nota automática (califícalas a mano en formgrader o "
                "activa la restauración en nbgrader_config.py)."
            )
        avisos.extend(visto.get("avisos", []))
    return avisos
