"""Los pasos del flujo de nbgrader que ``cj-course`` hace para todas las tareas a la vez.

Generar, publicar, recoger, devolver la retroalimentación y exportar las notas son órdenes de
nbgrader; aquí se llaman en este mismo proceso (con la ``NbGraderAPI`` que usa formgrader) para
todas las tareas, y sus errores se cuentan en español.

>>> callable(exportar_notas)
True
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from traitlets.config import Config

from .._errores import ErrorCurso
from .paralelo import cargar_aplicacion, tareas_del_curso

Avisar = Callable[[str], object]


def _argumentos(db_url: str | None) -> list[str]:
    return [f"--CourseDirectory.db_url={db_url}"] if db_url else []


def _api(aplicacion):
    from nbgrader.apps.api import NbGraderAPI

    return NbGraderAPI(coursedir=aplicacion.coursedir, parent=aplicacion)


def elegir_tareas(aplicacion, tareas: Iterable[str] | None) -> list[str]:
    """Las tareas pedidas (todas las de la carpeta fuente si no se pide ninguna), comprobadas."""
    todas = tareas_del_curso(aplicacion.coursedir)
    if not todas:
        raise ErrorCurso(
            f"No hay tareas en {aplicacion.coursedir.source_directory}/ de {aplicacion.coursedir.root}.",
            campo="curso", pista="Ejecuta la orden en la carpeta del curso o indícala con --curso.")
    elegidas = list(tareas) if tareas else todas
    for tarea in elegidas:
        if tarea not in todas:
            raise ErrorCurso(f"La tarea «{tarea}» no existe.", campo="tarea", pista=f"Tareas: {', '.join(todas)}.")
    return elegidas


def _informar(avisar: Avisar, que: str, resultado: dict) -> bool:
    if resultado.get("success"):
        avisar(f"  ✔ {que}")
        return True
    detalle = ((resultado.get("log") or "") + (resultado.get("error") or "")).strip().splitlines()
    avisar(f"  ✘ {que}: nbgrader informó un error:\n    " + "\n    ".join(detalle[-12:]))
    return False


def _generacion_del_curso(tareas: list[str]):
    """La generación propia del curso (``cj_course.ejercicios.generar``) si conoce esas tareas."""
    try:
        from .. import ejercicios
    except ImportError:
        return None
    conocidas = {a.clave for a in getattr(ejercicios, "ASIGNACIONES", ())}
    if tareas and set(tareas) <= conocidas and hasattr(ejercicios, "generar"):
        return ejercicios
    return None


def generar_tareas(curso: str | os.PathLike | None, tareas: Iterable[str] | None = None, *,
                   db_url: str | None = None, avisar: Avisar = print) -> bool:
    """Genera la versión del estudiante de cada tarea y la registra en el libro de calificaciones.

    En este curso usa :func:`cj_course.ejercicios.generar` (nbgrader más una limpieza que deja la
    versión estable); en otro curso nbgrader, ``generate_assignment`` tal cual.
    """
    aplicacion = cargar_aplicacion(curso, _argumentos(db_url))
    lista = elegir_tareas(aplicacion, tareas)
    propia = _generacion_del_curso(lista)
    avisar(f"Generando {len(lista)} tarea(s) en {aplicacion.coursedir.release_directory}/:")
    if propia is not None:
        # Pass the gradebook explicitly: the course's own (SQLite or PostgreSQL), never a default.
        escritos = propia.generar(raiz=aplicacion.coursedir.root, db_url=aplicacion.coursedir.db_url,
                                  asignaciones=lista)
        raiz = Path(aplicacion.coursedir.root).resolve()
        for ruta in map(Path, escritos):
            ruta = ruta.resolve()
            avisar(f"  ✔ {ruta.relative_to(raiz) if ruta.is_relative_to(raiz) else ruta}")
        return True
    api = _api(aplicacion)
    return all([_informar(avisar, t, api.generate_assignment(t, force=True, create=True)) for t in lista])


def publicar_tareas(curso, tareas=None, *, db_url=None, avisar: Avisar = print) -> bool:
    """``nbgrader release_assignment`` de cada tarea; sin intercambio, lo explica y no falla."""
    aplicacion = cargar_aplicacion(curso, _argumentos(db_url))
    lista = elegir_tareas(aplicacion, tareas)
    api = _api(aplicacion)
    if not api.exchange_is_functional:
        avisar("No hay intercambio de nbgrader disponible (falta c.CourseDirectory.course_id o no existe la "
               f"carpeta c.Exchange.root): las tareas quedan en {aplicacion.coursedir.release_directory}/ para "
               "repartirlas a mano. Para JupyterHub, mira la Guía del instructor.")
        return True
    avisar(f"Publicando en el intercambio {api.exchange_root} (curso «{api.course_id}»):")
    return all([_informar(avisar, t, api.release_assignment(t)) for t in lista])


def recoger_entregas(curso, tareas=None, *, db_url=None, avisar: Avisar = print) -> bool:
    """``nbgrader collect`` de cada tarea (las entregas pasan del intercambio a ``submitted/``)."""
    aplicacion = cargar_aplicacion(curso, _argumentos(db_url))
    lista = elegir_tareas(aplicacion, tareas)
    api = _api(aplicacion)
    if not api.exchange_is_functional:
        raise ErrorCurso(
            "No hay intercambio de nbgrader configurado, así que no hay nada que recoger.", campo="curso",
            pista=f"Copia cada entrega en {aplicacion.coursedir.submitted_directory}/<estudiante>/<tarea>/ "
            "o configura c.Exchange.root y c.CourseDirectory.course_id.")
    avisar(f"Recogiendo del intercambio {api.exchange_root}:")
    return all([_informar(avisar, t, api.collect(t)) for t in lista])


def _fugas_de_pruebas_ocultas(raiz: str, carpeta: Path) -> list[str]:
    """Pruebas ocultas visibles en la retroalimentación (las respuestas del estudiante sí pueden verse)."""
    from .. import ejercicios

    fugas = ejercicios.buscar_fugas([carpeta], raiz=raiz)
    return [str(f) for f in fugas if "oculta" in f.motivo or "HIDDEN" in f.texto]


def retroalimentar(curso, tareas=None, *, db_url=None, avisar: Avisar = print) -> bool:
    """Genera la retroalimentación HTML de lo calificado y la publica si hay intercambio.

    Las pruebas ocultas nunca llegan al estudiante: si la configuración del curso no las quita
    (:class:`cj_course.calificacion.correcciones.OcultarPruebasOcultas`), se añade aquí; y antes de
    publicar se revisa la retroalimentación generada en busca de código de pruebas ocultas.
    """
    from . import correcciones

    aplicacion = cargar_aplicacion(curso, _argumentos(db_url))
    lista = elegir_tareas(aplicacion, tareas)
    configurados = aplicacion.config.get("GenerateFeedback", {}).get("preprocessors", [])
    if correcciones.OcultarPruebasOcultas not in configurados:
        extra = Config()
        correcciones.aplicar(extra)
        aplicacion.update_config(Config({"GenerateFeedback": extra.GenerateFeedback}))
    api = _api(aplicacion)
    avisar(f"Generando la retroalimentación en {aplicacion.coursedir.feedback_directory}/:")
    ok = all([_informar(avisar, t, api.generate_feedback(t)) for t in lista])
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
    return all([_informar(avisar, t, api.release_feedback(t)) for t in lista])


def exportar_notas(curso, salida: str | os.PathLike = "notas.csv", *, db_url: str | None = None) -> Path:
    """Exporta las notas del libro de calificaciones a CSV con ``nbgrader export`` (su exportador CSV)."""
    from nbgrader.apps import ExportApp

    salida = Path(salida).resolve()
    if not salida.parent.is_dir():
        raise ErrorCurso(f"No existe la carpeta {salida.parent}.", campo="salida",
                         pista="Crea la carpeta o elige otra ruta para el CSV.")
    aplicacion = cargar_aplicacion(curso, [f"--to={salida}", *_argumentos(db_url)], clase=ExportApp)
    anterior = os.getcwd()
    os.chdir(aplicacion.coursedir.root)
    try:
        aplicacion.start()
    finally:
        os.chdir(anterior)
    return salida
