"""Las respuestas se guardan en ``respuestas/<ejercicio>.json`` junto al cuaderno.

Este módulo es la única definición de esas rutas (:func:`ruta_respuesta`, :func:`ruta_borrador`,
:data:`CARPETA_RESPUESTAS`, :data:`SUFIJOS`) y de la escritura atómica (:func:`escribir_atomico`):
los formularios y la generación de ejercicios las usan de aquí.

Así sobreviven a reiniciar el núcleo, a «Run All» y a la calificación automática: nbgrader
ejecuta el cuaderno entregado en su carpeta y la respuesta se vuelve a cargar de ese archivo.
Cada escritura es atómica (archivo temporal + ``os.replace``): un corte a mitad nunca deja un
archivo a medias. Un archivo dañado o de otro ejercicio se aparta con otro nombre, nunca se pisa.

>>> import tempfile
>>> from cj_course import Persona
>>> carpeta = tempfile.mkdtemp()
>>> ruta = guardar_respuesta("persona", Persona("Ana", edad=30), carpeta=carpeta)
>>> cargar_respuesta("persona", Persona, carpeta=carpeta)[0].edad
30
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from ._errores import ErrorCurso, exigir_tipo
from .modelo import ObjetoDelCurso

M = TypeVar("M", bound=ObjetoDelCurso)
Carpeta = str | os.PathLike[str] | None

CARPETA_RESPUESTAS = "respuestas"
SUFIJO_RESPUESTA = ".json"  # the answer that is graded
SUFIJO_BORRADOR = ".borrador.json"  # a form's full state, with the parts that do not count yet
SUFIJOS = (SUFIJO_RESPUESTA, SUFIJO_BORRADOR)
_NOMBRE_VALIDO = re.compile(r"^[A-Za-z0-9_\-]+$")


def carpeta_respuestas(carpeta: Carpeta = None) -> Path:
    """La carpeta de respuestas: ``respuestas/`` en la carpeta actual (la del cuaderno) o en ``carpeta``."""
    base = Path(carpeta) if carpeta is not None else Path.cwd()
    return base / CARPETA_RESPUESTAS


def ruta_respuesta(ejercicio: str, carpeta: Carpeta = None) -> Path:
    """Dónde se guarda la respuesta de ``ejercicio``; un nombre que no sirve de archivo es un error.

    >>> ruta_respuesta("m3_persona", "/curso").as_posix()
    '/curso/respuestas/m3_persona.json'
    """
    if not isinstance(ejercicio, str) or not _NOMBRE_VALIDO.match(ejercicio):
        raise ErrorCurso(
            f"El nombre de ejercicio {ejercicio!r} no es válido.",
            campo="ejercicio",
            pista="Usa solo letras sin tildes, números, '-' y '_', por ejemplo \"m3_persona\".",
        )
    return carpeta_respuestas(carpeta) / f"{ejercicio}{SUFIJO_RESPUESTA}"


def ruta_borrador(ejercicio: str, carpeta: Carpeta = None) -> Path:
    """Dónde guarda un formulario su borrador, junto a la respuesta.

    >>> ruta_borrador("m3_persona", "/curso").as_posix()
    '/curso/respuestas/m3_persona.borrador.json'
    """
    return ruta_respuesta(ejercicio, carpeta).with_name(f"{ejercicio}{SUFIJO_BORRADOR}")


def escribir_atomico(ruta: Path, texto: str) -> None:
    """Escribe ``texto`` en ``ruta`` (UTF-8) de una vez: un corte a mitad deja el archivo anterior intacto.

    Escribe a un temporal de la misma carpeta, lo lleva al disco y lo renombra con ``os.replace``.

    >>> import tempfile
    >>> ruta = Path(tempfile.mkdtemp()) / "sub" / "a.json"
    >>> escribir_atomico(ruta, "{}")
    >>> ruta.read_text(encoding="utf-8"), [p.name for p in ruta.parent.iterdir()]
    ('{}', ['a.json'])
    """
    ruta.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporal = tempfile.mkstemp(dir=ruta.parent, prefix=f".{ruta.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as archivo:
            archivo.write(texto)
            archivo.flush()
            os.fsync(archivo.fileno())
        os.replace(temporal, ruta)
    except BaseException:
        Path(temporal).unlink(missing_ok=True)
        raise


def guardar_respuesta(ejercicio: str, respuesta: ObjetoDelCurso, carpeta: Carpeta = None) -> Path:
    """Guarda ``respuesta`` de forma atómica y devuelve la ruta del archivo."""
    exigir_tipo(
        respuesta,
        ObjetoDelCurso,
        "Solo se pueden guardar objetos del curso",
        pista="Guarda un Persona, MapaDeViaje, CorreoBienvenida, Segmentacion o PlanDeMetricas.",
    )
    ruta = ruta_respuesta(ejercicio, carpeta)
    escribir_atomico(ruta, respuesta.a_json())
    return ruta


def apartar(ruta: Path) -> Path:
    """Renombra un archivo dañado a ``<nombre>.corrupto-<fecha>`` sin pisar ningún otro."""
    marca = time.strftime("%Y%m%d-%H%M%S")
    destino = ruta.with_name(f"{ruta.name}.corrupto-{marca}")
    n = 1
    while destino.exists():
        n += 1
        destino = ruta.with_name(f"{ruta.name}.corrupto-{marca}-{n}")
    os.replace(ruta, destino)
    return destino


def cargar_respuesta(ejercicio: str, tipo: type[M], carpeta: Carpeta = None) -> tuple[M | None, str | None]:
    """Carga la respuesta guardada: ``(objeto, None)``, ``(None, None)`` si no hay, o ``(None, aviso)``.

    Si el archivo está dañado o guarda otra cosa, se aparta (no se borra) y el aviso dice dónde quedó.
    """
    return cargar_guardado(
        ruta_respuesta(ejercicio, carpeta),
        tipo,
        lambda ruta, motivo, apartado: (
            f"La respuesta guardada en {ruta.name} no se pudo leer ({motivo}). "
            f"La guardé aparte como {apartado.name} y el formulario empieza vacío."
        ),
    )


def cargar_guardado(
    ruta: Path, tipo: type[M], aviso_danado: Callable[[Path, str, Path], str]
) -> tuple[M | None, str | None]:
    """Un objeto del curso guardado en ``ruta``: ``(objeto, None)``, ``(None, None)`` si no hay archivo, o
    ``(None, aviso)``. Un archivo dañado se aparta (:func:`apartar`) y ``aviso_danado(ruta, motivo,
    apartado)`` dice dónde quedó; uno que no se puede abrir pide revisar los permisos.

    >>> import tempfile
    >>> from cj_course import Persona
    >>> ruta = Path(tempfile.mkdtemp()) / "persona.json"
    >>> _ = ruta.write_text("{roto")
    >>> objeto, aviso = cargar_guardado(ruta, Persona, lambda r, m, a: f"{r.name} quedó como {a.name}")
    >>> objeto, aviso.startswith("persona.json quedó como persona.json.corrupto-")
    (None, True)
    """
    if not ruta.exists():
        return None, None
    try:
        return tipo.desde_json(ruta.read_bytes()), None
    except ErrorCurso as e:
        return None, aviso_danado(ruta, e.mensaje, apartar(ruta))
    except OSError as e:
        return None, f"No se pudo leer {ruta}: {e.strerror}. Revisa los permisos de la carpeta."
