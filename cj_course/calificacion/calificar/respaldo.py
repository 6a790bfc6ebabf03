"""Una copia del libro de calificaciones antes de cada calificación, y la comprobación de que después
no falta ninguna nota.

Con SQLite se copia la base entera (la API de copia de SQLite, coherente aunque formgrader esté
abierto); con PostgreSQL u otra base, se vuelcan todas sus tablas a un JSON. Las copias quedan en
``respaldos/`` dentro de la carpeta del curso (se guardan las diez últimas).

>>> _sql_de_notas().count("JOIN")
5
"""

from __future__ import annotations

import contextlib
import datetime
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..._errores import ErrorCurso

CARPETA_RESPALDOS = "respaldos"
RESPALDOS_QUE_SE_GUARDAN = 10


@dataclass(frozen=True)
class Respaldo:
    """Dónde quedó la copia y qué notas había antes (para compararlas después)."""

    ruta: Path
    notas: frozenset[tuple[str, str, str, str]]
    manuales: frozenset[tuple[str, str, str, str]]


def _sql_de_notas() -> str:
    return (
        "SELECT sa.student_id, a.name, n.name, c.name, g.manual_score FROM grade g "
        "JOIN submitted_notebook sn ON g.notebook_id = sn.id "
        "JOIN submitted_assignment sa ON sn.assignment_id = sa.id "
        "JOIN assignment a ON sa.assignment_id = a.id "
        "JOIN notebook n ON sn.notebook_id = n.id "
        "JOIN base_cell c ON g.cell_id = c.id"
    )


def _notas(db_url: str) -> tuple[frozenset[tuple[str, str, str, str]], frozenset[tuple[str, str, str, str]]]:
    from sqlalchemy import create_engine, inspect, text

    motor = create_engine(db_url)
    try:
        if "grade" not in inspect(motor).get_table_names():
            return frozenset(), frozenset()
        with motor.connect() as conexion:
            filas = [tuple(f) for f in conexion.execute(text(_sql_de_notas()))]
    finally:
        motor.dispose()
    notas = frozenset((str(a), str(b), str(c), str(d)) for a, b, c, d, _ in filas)
    manuales = frozenset((str(a), str(b), str(c), str(d)) for a, b, c, d, m in filas if m is not None)
    return notas, manuales


def _volcar(db_url: str, destino: Path) -> None:
    """Todas las tablas de la base, fila por fila, a un JSON (respaldo lógico de PostgreSQL y otras)."""
    from sqlalchemy import MetaData, create_engine

    motor = create_engine(db_url)
    try:
        metadatos = MetaData()
        metadatos.reflect(motor)
        with motor.connect() as conexion:
            tablas = {
                t.name: [dict(f._mapping) for f in conexion.execute(t.select())]
                for t in metadatos.sorted_tables
            }
    finally:
        motor.dispose()

    def texto(valor: Any) -> Any:
        if isinstance(valor, datetime.datetime | datetime.date | datetime.timedelta):
            return str(valor)
        return valor

    destino.write_text(
        json.dumps(
            {t: [{k: texto(v) for k, v in f.items()} for f in filas] for t, filas in tablas.items()},
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )


def respaldar_libro(coursedir: Any) -> Respaldo:
    """Copia el libro de calificaciones del curso y anota sus notas actuales."""
    from sqlalchemy.engine import make_url

    db_url = str(coursedir.db_url)
    carpeta = Path(coursedir.root) / CARPETA_RESPALDOS
    carpeta.mkdir(exist_ok=True)
    carpeta.chmod(0o700)  # grades are personal data
    marca = time.strftime("%Y%m%d-%H%M%S")
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and Path(url.database).is_file():
        destino = carpeta / f"gradebook-{marca}.db"
        with (
            contextlib.closing(sqlite3.connect(url.database)) as origen,
            contextlib.closing(sqlite3.connect(destino)) as copia,
        ):
            origen.backup(copia)
    else:
        destino = carpeta / f"gradebook-{marca}.json"
        _volcar(db_url, destino)
    destino.chmod(0o600)
    viejos = sorted(carpeta.glob("gradebook-*"), key=lambda p: p.stat().st_mtime)
    for viejo in viejos[:-RESPALDOS_QUE_SE_GUARDAN]:
        viejo.unlink(missing_ok=True)
    notas, manuales = _notas(db_url)
    return Respaldo(destino, notas, manuales)


def comprobar_que_nada_se_perdio(coursedir: Any, respaldo: Respaldo) -> None:
    """Falla (``ErrorCurso``) si después de calificar falta alguna nota o calificación manual de antes."""
    notas, manuales = _notas(str(coursedir.db_url))
    perdidas = respaldo.notas - notas
    borradas = respaldo.manuales - manuales
    if perdidas or borradas:
        ejemplos = ", ".join(f"{e}/{t}/{c}" for e, t, _, c in sorted(perdidas | borradas)[:5])
        raise ErrorCurso(
            f"Después de calificar faltan {len(perdidas)} nota(s) y {len(borradas)} calificación(es) manual(es) "
            f"que había antes (por ejemplo: {ejemplos}). No doy la calificación por buena.",
            campo="libro de calificaciones",
            pista=f"El libro de antes está copiado en {respaldo.ruta}: restáuralo (cópialo sobre gradebook.db, "
            "o vuelve a cargar el JSON en PostgreSQL) y averigua qué otro programa escribió en el libro.",
        )
