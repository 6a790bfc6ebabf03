"""``cj-course generar``: la versión de estudiantes (``exercises/``) a partir de la fuente (``solutions/``).

``solutions/`` es la carpeta *fuente* de nbgrader (soluciones y pruebas ocultas, solo para
instructores); ``exercises/`` es la versión para estudiantes y **se genera, nunca se edita**.
:func:`generar` llama a ``nbgrader generate_assignment`` (en este mismo proceso) para cada tarea y
después limpia lo que nbgrader escribe, para que la versión sea estable: sin salidas, con
metadatos fijos y el mismo texto cada vez.

>>> [a.clave for a in ASIGNACIONES][:2]
['m1_introduccion', 'm2_etapas']
>>> archivos_de_respuesta()["m3_mapeo"][0]
'respuestas/m3_segmentos.json'
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import nbformat

from .._errores import ErrorCurso
from ._curso import (
    CARPETA_VERSION,
    Avisar,
    api_de,
    argumentos_db,
    cargar_aplicacion,
    con_programas_del_entorno,
    elegir_tareas,
    exigir_tareas,
    informar_resultado,
    raiz_del_curso,
)


class Asignacion(NamedTuple):
    """Una tarea de nbgrader: su carpeta, su cuaderno y los formularios que guardan respuestas."""

    clave: str
    cuaderno: str
    titulo: str
    formularios: tuple[str, ...] = ()


ASIGNACIONES: tuple[Asignacion, ...] = (
    Asignacion(
        "m1_introduccion",
        "ejercicios_m1",
        "Módulo 1 · Introducción al customer journey",
        ("m1_conceptos", "m1_componentes"),
    ),
    Asignacion(
        "m2_etapas",
        "ejercicios_m2",
        "Módulo 2 · Etapas del customer journey",
        ("m2_clasificar", "m2_modelos"),
    ),
    Asignacion(
        "m3_mapeo",
        "ejercicios_m3",
        "Módulo 3 · Mapeo del customer journey",
        ("m3_segmentos", "m3_persona", "m3_mapa", "m3_citas"),
    ),
    Asignacion(
        "m4_optimizacion",
        "ejercicios_m4",
        "Módulo 4 · Optimización de cada etapa",
        ("m4_correo", "m4_tacticas"),
    ),
    Asignacion(
        "m5_medicion", "ejercicios_m5", "Módulo 5 · Medición y análisis", ("m5_metricas", "m5_interpretar")
    ),
    Asignacion(
        "m6_casos",
        "ejercicios_m6",
        "Módulo 6 · Casos de estudio y mejores prácticas",
        ("m6_mapa", "m6_practicas"),
    ),
    Asignacion(
        "m6_proyecto",
        "proyecto_final",
        "Módulo 6 · Proyecto final: tu plan",  # no form: it reads respuestas/mi_negocio.json
    ),
)
"""Las tareas en orden: una por módulo y, al final, el proyecto final del módulo 6."""


def archivos_de_respuesta() -> dict[str, list[str]]:
    """Los archivos de respuesta de los formularios de cada tarea (relativos a su carpeta).

    Van en ``Autograde.exclude_overwriting``: nbgrader nunca debe pisarlos con los de la fuente.
    """
    from ..persistencia import ruta_borrador, ruta_respuesta

    return {
        a.clave: [ruta(f, ".").as_posix() for f in a.formularios for ruta in (ruta_respuesta, ruta_borrador)]
        for a in ASIGNACIONES
    }


# --- a clean, stable release ------------------------------------------------------------------

METADATOS_DE_CELDA = ("deletable", "editable", "nbgrader", "tags")
METADATOS_DE_CUADERNO = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def normalizar_cuaderno(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Quita salidas y metadatos volátiles (ejecución, vistas, versiones) y fija los del cuaderno.

    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=3,
    ...                                      metadata={"scrolled": True})])
    >>> celda = normalizar_cuaderno(nb).cells[0]
    >>> celda.execution_count, dict(celda.metadata)
    (None, {})
    """
    nb.metadata = nbformat.from_dict(json.loads(json.dumps(METADATOS_DE_CUADERNO)))
    nb.nbformat, nb.nbformat_minor = 4, 5
    for i, celda in enumerate(nb.cells):
        celda.metadata = nbformat.from_dict(
            {k: v for k, v in celda.metadata.items() if k in METADATOS_DE_CELDA}
        )
        celda.pop("attachments", None)
        if celda.cell_type == "code":
            celda.outputs = []
            celda.execution_count = None
        if "id" not in celda:
            celda.id = f"celda-{i:02d}"
    return nb


def comparable(nb: nbformat.NotebookNode) -> dict[str, Any]:
    """El cuaderno como diccionario sin los ids de celda (para comparar dos generaciones)."""
    datos: dict[str, Any] = json.loads(json.dumps(nb))
    for celda in datos.get("cells", []):
        celda.pop("id", None)
    return datos


def _configuracion(raiz: Path, destino: Path, db_url: str) -> Any:
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=str(raiz)).load_config()
    config.CourseDirectory.root = str(raiz)
    config.CourseDirectory.release_directory = str(destino)
    config.CourseDirectory.db_url = db_url
    config.NbGraderAPI.log_level = "WARN"
    return config


def generar(
    destino: str | os.PathLike[str] | None = None,
    *,
    raiz: str | os.PathLike[str] | None = None,
    db_url: str | None = None,
    asignaciones: Iterable[str] | None = None,
) -> list[Path]:
    """Genera la versión de estudiantes de cada tarea y devuelve los cuadernos escritos.

    Sin ``destino`` escribe en ``exercises/`` y registra las tareas en la base de calificaciones
    del curso (``gradebook.db``), como ``nbgrader generate_assignment``. Con ``destino`` escribe allí
    y usa una base temporal (salvo que se indique ``db_url``): no toca nada del curso.
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    raiz = raiz_del_curso(raiz)
    destino = Path(destino).resolve() if destino is not None else raiz / CARPETA_VERSION
    claves = [a.clave for a in ASIGNACIONES]
    elegidas = exigir_tareas(claves if asignaciones is None else asignaciones, claves, "solutions")
    with tempfile.TemporaryDirectory(prefix="cj-gradebook-") as temporal, con_programas_del_entorno():
        if db_url is None:
            en_curso = destino == raiz / CARPETA_VERSION
            db_url = f"sqlite:///{(raiz if en_curso else Path(temporal)) / 'gradebook.db'}"
        config = _configuracion(raiz, destino, db_url)
        api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
        escritos = []
        for clave in elegidas:
            resultado = api.generate_assignment(clave, force=True, create=True)
            if not resultado["success"]:
                raise ErrorCurso(
                    f"nbgrader no pudo generar la tarea '{clave}'.",
                    campo="asignaciones",
                    pista=f"Revisa el cuaderno fuente en solutions/{clave}/. Registro de nbgrader:\n"
                    f"{resultado.get('log', '')}{resultado.get('error', '')}",
                )
            for ruta in sorted((destino / clave).glob("*.ipynb")):
                nb = normalizar_cuaderno(nbformat.read(str(ruta), as_version=4))
                nbformat.validate(nb)
                nbformat.write(nb, str(ruta))
                escritos.append(ruta)
    return escritos


def generar_tareas(
    curso: str | os.PathLike[str] | None,
    tareas: Iterable[str] | None = None,
    *,
    db_url: str | None = None,
    destino: str | os.PathLike[str] | None = None,
    avisar: Avisar = print,
) -> bool:
    """Genera la versión del estudiante de cada tarea y la registra en el libro de calificaciones.

    Las tareas de este curso pasan por :func:`generar` (nbgrader más una limpieza que deja la
    versión estable); las de otro curso nbgrader, por ``generate_assignment`` tal cual.
    """
    aplicacion = cargar_aplicacion(curso, argumentos_db(db_url))
    lista = elegir_tareas(aplicacion, tareas)
    raiz = Path(aplicacion.coursedir.root).resolve()
    avisar(f"Generando {len(lista)} tarea(s) en {destino or aplicacion.coursedir.release_directory}/:")
    propias = {a.clave for a in ASIGNACIONES}
    if set(lista) <= propias:
        # Pass the gradebook explicitly: the course's own (SQLite or PostgreSQL), never a default.
        escritos = generar(
            destino, raiz=raiz, db_url=None if destino else aplicacion.coursedir.db_url, asignaciones=lista
        )
        for ruta in (p.resolve() for p in escritos):
            avisar(f"  ✔ {ruta.relative_to(raiz) if ruta.is_relative_to(raiz) else ruta}")
        return True
    if destino is not None:
        aplicacion = cargar_aplicacion(
            curso, [*argumentos_db(db_url), f"--CourseDirectory.release_directory={Path(destino).resolve()}"]
        )
    api = api_de(aplicacion)
    with con_programas_del_entorno():
        return all(
            [
                informar_resultado(avisar, t, api.generate_assignment(t, force=True, create=True))
                for t in lista
            ]
        )
