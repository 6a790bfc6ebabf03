"""Las respuestas se guardan en ``respuestas/<ejercicio>.json`` junto al cuaderno.

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
from pathlib import Path

from ._errores import ErrorCurso
from .modelo import _Modelo

CARPETA_RESPUESTAS = "respuestas"
_NOMBRE_VALIDO = re.compile(r"^[A-Za-z0-9_\-]+$")


def carpeta_respuestas(carpeta: str | os.PathLike | None = None) -> Path:
    """La carpeta de respuestas: ``respuestas/`` en la carpeta actual (la del cuaderno) o en ``carpeta``."""
    base = Path(carpeta) if carpeta is not None else Path.cwd()
    return base / CARPETA_RESPUESTAS


def ruta_respuesta(ejercicio: str, carpeta: str | os.PathLike | None = None) -> Path:
    if not isinstance(ejercicio, str) or not _NOMBRE_VALIDO.match(ejercicio):
        raise ErrorCurso(
            f"El nombre de ejercicio {ejercicio!r} no es válido.",
            campo="ejercicio",
            pista="Usa solo letras sin tildes, números, '-' y '_', por ejemplo \"m3_persona\".",
        )
    return carpeta_respuestas(carpeta) / f"{ejercicio}.json"


def guardar_respuesta(ejercicio: str, respuesta: _Modelo, carpeta: str | os.PathLike | None = None) -> Path:
    """Guarda ``respuesta`` de forma atómica y devuelve la ruta del archivo."""
    if not isinstance(respuesta, _Modelo):
        raise ErrorCurso(
            f"Solo se pueden guardar objetos del curso, no {type(respuesta).__name__}.",
            pista="Guarda un Persona, MapaDeViaje, CorreoBienvenida, Segmentacion o PlanDeMetricas.",
        )
    ruta = ruta_respuesta(ejercicio, carpeta)
    ruta.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporal = tempfile.mkstemp(dir=ruta.parent, prefix=f".{ejercicio}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as archivo:
            archivo.write(respuesta.a_json())
            archivo.flush()
            os.fsync(archivo.fileno())
        os.replace(temporal, ruta)
    except BaseException:
        Path(temporal).unlink(missing_ok=True)
        raise
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


def cargar_respuesta(
    ejercicio: str, tipo: type[_Modelo], carpeta: str | os.PathLike | None = None
) -> tuple[_Modelo | None, str | None]:
    """Carga la respuesta guardada: ``(objeto, None)``, ``(None, None)`` si no hay, o ``(None, aviso)``.

    Si el archivo está dañado o guarda otra cosa, se aparta (no se borra) y el aviso dice dónde quedó.
    """
    ruta = ruta_respuesta(ejercicio, carpeta)
    if not ruta.exists():
        return None, None
    try:
        return tipo.desde_json(ruta.read_bytes()), None
    except ErrorCurso as e:
        apartado = apartar(ruta)
        return None, (
            f"La respuesta guardada en {ruta.name} no se pudo leer ({e.mensaje}). "
            f"La guardé aparte como {apartado.name} y el formulario empieza vacío."
        )
    except OSError as e:
        return None, f"No se pudo leer {ruta}: {e.strerror}. Revisa los permisos de la carpeta."
