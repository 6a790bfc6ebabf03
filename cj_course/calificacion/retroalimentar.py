"""``cj-course retroalimentar``: la retroalimentación HTML de lo calificado, en español y sin pruebas
ocultas, publicada en el intercambio si lo hay.

>>> callable(retroalimentar)
True
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from traitlets.config import Config

from .._errores import ErrorCurso
from . import correcciones
from ._curso import (
    Avisar,
    api_de,
    argumentos_db,
    cargar_aplicacion,
    con_programas_del_entorno,
    elegir_tareas,
    informar_resultado,
)
from .fugas import buscar_fugas


def _fugas_de_pruebas_ocultas(raiz: str, carpeta: Path) -> list[str]:
    """Pruebas ocultas visibles en la retroalimentación (las respuestas del estudiante sí pueden verse)."""
    fugas = buscar_fugas([carpeta], raiz=raiz)
    return [str(f) for f in fugas if "oculta" in f.motivo or "HIDDEN" in f.texto]


def retroalimentar(curso: str | os.PathLike[str] | None, tareas: Iterable[str] | None = None, *,
                   db_url: str | None = None, avisar: Avisar = print) -> bool:
    """Genera la retroalimentación HTML de lo calificado y la publica si hay intercambio.

    Las pruebas ocultas nunca llegan al estudiante: si la configuración del curso no las quita
    (:class:`cj_course.calificacion.correcciones.OcultarPruebasOcultas`), se añade aquí; y antes de
    publicar se revisa la retroalimentación generada en busca de código de pruebas ocultas.
    """
    aplicacion = cargar_aplicacion(curso, argumentos_db(db_url))
    lista = elegir_tareas(aplicacion, tareas)
    configurados = aplicacion.config.get("GenerateFeedback", {}).get("preprocessors", [])
    if correcciones.OcultarPruebasOcultas not in configurados:
        extra = Config()
        correcciones.aplicar(extra)
        aplicacion.update_config(Config({"GenerateFeedback": extra.GenerateFeedback}))
    api = api_de(aplicacion)
    avisar(f"Generando la retroalimentación en {aplicacion.coursedir.feedback_directory}/:")
    with con_programas_del_entorno():
        ok = all([informar_resultado(avisar, t, api.generate_feedback(t)) for t in lista])
    carpeta = Path(aplicacion.coursedir.root) / aplicacion.coursedir.feedback_directory
    if carpeta.is_dir():
        fugas = _fugas_de_pruebas_ocultas(aplicacion.coursedir.root, carpeta)
        if fugas:
            raise ErrorCurso(
                "La retroalimentación generada muestra pruebas ocultas; no se publica.", campo="retroalimentacion",
                pista="Revisa la configuración de GenerateFeedback en nbgrader_config.py. Primeras fugas: "
                + "; ".join(fugas[:3]))
    if not ok:
        return False
    if not api.exchange_is_functional:
        avisar(f"Sin intercambio de nbgrader: entrega a cada estudiante su carpeta de {carpeta}.")
        return True
    avisar("Publicando la retroalimentación en el intercambio:")
    with con_programas_del_entorno():
        return all([informar_resultado(avisar, t, api.release_feedback(t)) for t in lista])
