"""Antes de publicar: nada de soluciones a la vista y ``exercises/`` al día con ``solutions/``.

Dos comprobaciones:

* **Filtraciones**: la búsqueda de :func:`cj_course.calificacion.fugas.buscar_fugas` (marcadores de nbgrader,
  líneas de soluciones o de pruebas ocultas, aunque estén retocadas) en todo lo que lee un estudiante:
  cualquier archivo de texto de ``exercises/`` (copias, ``.ipynb_checkpoints``, .yaml...), con las
  celdas, salidas y metadatos de cada cuaderno, las lecciones de ``modules/``, ``book/`` y el libro
  construido. Cada hallazgo dice archivo, lugar (celda, salida, clave de metadatos, línea) y qué es.
* **Sincronía**: se vuelve a generar cada tarea en una carpeta temporal, con un libro de
  calificaciones temporal (el del curso no se toca), y se compara con lo publicado. Si alguien
  editó ``exercises/`` a mano o cambió una solución sin regenerar, aparece aquí.

>>> diferencias_de_cuaderno({"cells": []}, {"cells": []})
[]
"""

from __future__ import annotations

import filecmp
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import nbformat

from ._curso import argumentos_db, cargar_aplicacion, elegir_tareas
from .fugas import buscar_fugas, carpetas_por_omision
from .generar import comparable, generar_tareas, normalizar_cuaderno

Avisar = Callable[[str], object]


def _comparable(nb) -> dict:
    return comparable(normalizar_cuaderno(nbformat.from_dict(json.loads(json.dumps(nb)))))


def diferencias_de_cuaderno(publicado: dict, generado: dict) -> list[str]:
    """Qué celdas difieren entre dos cuadernos ya normalizados (en español, por número de celda)."""
    a, b = publicado.get("cells", []), generado.get("cells", [])
    cambios = []
    if len(a) != len(b):
        cambios.append(f"tiene {len(a)} celdas y debería tener {len(b)}")
    for i, (x, y) in enumerate(zip(a, b, strict=False), start=1):
        if x != y:
            que = "el texto" if x.get("source") != y.get("source") else "los metadatos"
            cambios.append(f"la celda {i} difiere en {que}")
    if publicado.get("metadata") != generado.get("metadata"):
        cambios.append("los metadatos del cuaderno difieren")
    return cambios


def _generar_en(aplicacion, tareas: list[str], destino: Path, db_url: str) -> None:
    mensajes: list[str] = []
    if not generar_tareas(
        aplicacion.coursedir.root, tareas, db_url=db_url, destino=destino, avisar=mensajes.append
    ):
        raise RuntimeError("nbgrader no pudo generar las tareas:\n" + "\n".join(mensajes))


def comprobar_sincronia(aplicacion, tareas: list[str]) -> list[str]:
    """Diferencias entre ``exercises/`` y una generación nueva desde ``solutions/``."""
    coursedir = aplicacion.coursedir
    publicada = Path(coursedir.root) / coursedir.release_directory
    problemas = []
    with tempfile.TemporaryDirectory(prefix="cj-verificar-") as temporal:
        destino = Path(temporal) / "version"
        _generar_en(aplicacion, tareas, destino, f"sqlite:///{Path(temporal) / 'gradebook.db'}")
        for tarea in tareas:
            nueva, vieja = destino / tarea, publicada / tarea
            if not vieja.is_dir():
                problemas.append(
                    f"{coursedir.release_directory}/{tarea} no existe: genera la tarea (cj-course generar)."
                )
                continue
            nuevos = {p.relative_to(nueva) for p in nueva.rglob("*") if p.is_file()}
            viejos = {
                p.relative_to(vieja)
                for p in vieja.rglob("*")
                if p.is_file() and ".ipynb_checkpoints" not in p.parts
            }
            for ruta in sorted(viejos - nuevos):
                problemas.append(
                    f"{coursedir.release_directory}/{tarea}/{ruta} sobra: no sale de solutions/ "
                    "(bórralo o vuelve a generar)."
                )
            for ruta in sorted(nuevos - viejos):
                problemas.append(
                    f"Falta {coursedir.release_directory}/{tarea}/{ruta}: vuelve a generar la tarea."
                )
            for ruta in sorted(nuevos & viejos):
                if ruta.suffix == ".ipynb":
                    cambios = diferencias_de_cuaderno(
                        _comparable(nbformat.read(vieja / ruta, as_version=4)),
                        _comparable(nbformat.read(nueva / ruta, as_version=4)),
                    )
                    if cambios:
                        problemas.append(
                            f"{coursedir.release_directory}/{tarea}/{ruta} no coincide con solutions/ "
                            f"({'; '.join(cambios[:3])}): vuelve a generarla con cj-course generar."
                        )
                elif not filecmp.cmp(vieja / ruta, nueva / ruta, shallow=False):
                    problemas.append(
                        f"{coursedir.release_directory}/{tarea}/{ruta} difiere del de solutions/."
                    )
        sobrantes = (
            sorted(
                p.name
                for p in publicada.iterdir()
                if p.is_dir() and p.name not in tareas and not p.name.startswith(".")
            )
            if publicada.is_dir()
            else []
        )
        problemas.extend(
            f"{coursedir.release_directory}/{s} no tiene tarea en {coursedir.source_directory}/."
            for s in sobrantes
        )
    return problemas


def verificar_curso(
    curso: str | os.PathLike | None = None, *, db_url: str | None = None, avisar: Avisar = print
) -> list[str]:
    """Filtraciones y sincronía de todo el curso; devuelve los problemas (lista vacía si todo está bien)."""
    aplicacion = cargar_aplicacion(curso, argumentos_db(db_url))
    tareas = elegir_tareas(aplicacion, None)
    problemas: list[str] = []
    carpetas = carpetas_por_omision(aplicacion.coursedir.root)
    avisar(
        "Buscando soluciones o pruebas ocultas a la vista en "
        + ", ".join(f"{c.relative_to(aplicacion.coursedir.root)}/" for c in carpetas)
        + "…"
    )
    problemas.extend(f"Filtración: {fuga}" for fuga in buscar_fugas(carpetas, raiz=aplicacion.coursedir.root))
    avisar(
        f"Comparando {aplicacion.coursedir.release_directory}/ con una generación nueva de "
        f"{len(tareas)} tarea(s)…"
    )
    problemas.extend(comprobar_sincronia(aplicacion, tareas))
    return problemas
