"""Un curso nbgrader de muestra, pequeño y completo, para probar la calificación sin tocar el real.

Sirve a las pruebas, al banco de pruebas y a quien quiera ensayar ``cj-course`` antes de usarlo con
su clase: una tarea con tres ejercicios calificados automáticamente (buyer persona, tasa de
conversión, etapas del recorrido) y una reflexión que se califica a mano, y entregas sintéticas de
estudiantes, incluidas las problemáticas (bucle infinito, ``os._exit``, salida enorme, celdas
borradas, cuaderno dañado, cuaderno que falta).

>>> import tempfile
>>> raiz = crear_curso_de_muestra(tempfile.mkdtemp())
>>> sorted(p.name for p in (raiz / "solutions" / TAREA_MUESTRA).iterdir())
['muestra.ipynb']
"""

from __future__ import annotations

import json
import os
import random
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

TAREA_MUESTRA = "muestra"
CUADERNO_MUESTRA = "muestra"

# The solution code of each auto-graded exercise and the wrong answers students typically give.
_RESPUESTAS = {
    "persona": {
        "correcta": (
            'persona = Persona("Lucía", edad=29, ocupacion="Diseñadora gráfica", ubicacion="Madrid",\n'
            '                  intereses=["running", "apps de salud"], objetivos=["entrenar sin lesionarse"],\n'
            '                  desafios=["poco tiempo"], canales=["Instagram"])'
        ),
        "incorrecta": 'persona = Persona("Lucía", edad=29, ocupacion="Diseñadora gráfica")',
    },
    "tasa": {
        "correcta": "tasa_conversion = compras / visitas * 100",
        "incorrecta": "tasa_conversion = compras / visitas",
    },
    "etapas": {
        "correcta": (
            'etapa_de = {"Anuncio en Instagram": "Conciencia", "Comparar precios": "Consideración",\n'
            '            "Encuesta de satisfacción": "Post-compra"}'
        ),
        "incorrecta": (
            'etapa_de = {"Anuncio en Instagram": "Conciencia", "Comparar precios": "Decisión",\n'
            '            "Encuesta de satisfacción": "Lealtad"}'
        ),
    },
}

# What a hostile or broken submission puts in the first answer cell.
_CODIGO_HOSTIL = {
    "bucle_infinito": "while True:\n    pass",
    "sys_exit": "import sys\nsys.exit(1)",
    "os_exit": "import os\nos._exit(1)",
    "salida_enorme": "for i in range(5_000):\n    print('línea', i, 'x' * 40)",
}

TIPOS_DE_ENTREGA = (
    "completa",
    "parcial",
    "vacia",
    "aleatoria",
    *_CODIGO_HOSTIL,
    "celdas_borradas",
    "json_invalido",
    "sin_cuaderno",
)


def _meta(grade_id: str, *, solucion: bool = False, puntos: float | None = None) -> dict:
    meta = {
        "grade_id": grade_id,
        "grade": puntos is not None,
        "solution": solucion,
        "locked": not solucion,
        "schema_version": 3,
        "task": False,
    }
    if puntos is not None:
        meta["points"] = puntos
    return {"nbgrader": meta}


def _ejercicio(
    numero: int, clave: str, titulo: str, enunciado: str, prueba: str, *, puntos: float, datos: str = ""
) -> list[nbformat.NotebookNode]:
    """One auto-graded exercise: its heading, the solution cell (after the given ``datos``) and its test cell."""
    return [
        new_markdown_cell(f"## {numero}. {titulo}\n\n{enunciado}", metadata=_meta(f"titulo_{clave}")),
        new_code_cell(
            f"{datos}### BEGIN SOLUTION\n{_RESPUESTAS[clave]['correcta']}\n### END SOLUTION",
            metadata=_meta(clave, solucion=True),
        ),
        new_code_cell(prueba, metadata=_meta(f"prueba_{clave}", puntos=puntos)),
    ]


def cuaderno_fuente() -> nbformat.NotebookNode:
    """La versión del profesor: soluciones entre marcas y pruebas (algunas ocultas)."""
    celdas = [
        new_markdown_cell(
            "# Ejercicios de muestra\n\nResponde en las celdas marcadas y ejecuta las pruebas.",
            metadata=_meta("enunciado"),
        ),
        new_code_cell(
            "from cj_course import Persona, afirmar_valido, normalizar_etapa", metadata=_meta("importar")
        ),
        *_ejercicio(
            1,
            "persona",
            "Buyer persona",
            "Describe a tu cliente ideal con al menos cinco rasgos.",
            "# Comprobación (2 puntos): la persona tiene al menos cinco rasgos.\nafirmar_valido(persona)",
            puntos=2,
        ),
        *_ejercicio(
            2,
            "tasa",
            "Tasa de conversión",
            "Calcula la tasa de conversión en porcentaje.",
            "# Comprobación (1 punto): la tasa de conversión, en porcentaje.\n"
            'assert isinstance(tasa_conversion, float), "La tasa debe ser un número."\n'
            "### BEGIN HIDDEN TESTS\n"
            'assert abs(tasa_conversion - 2.5) < 1e-9, "La tasa es compras / visitas × 100: revisa la fórmula."\n'
            "### END HIDDEN TESTS",
            puntos=1,
            datos="visitas = 2000\ncompras = 50\n",
        ),
        *_ejercicio(
            3,
            "etapas",
            "Etapas del recorrido",
            "Clasifica cada punto de contacto en su etapa.",
            "# Comprobación (2 puntos): cada punto de contacto está en su etapa.\n"
            'assert normalizar_etapa(etapa_de["Anuncio en Instagram"]) == "conciencia", '
            '"Un anuncio que descubre la marca es conciencia."\n'
            "### BEGIN HIDDEN TESTS\n"
            'assert normalizar_etapa(etapa_de["Comparar precios"]) == "consideracion", '
            '"Comparar opciones es consideración."\n'
            'assert normalizar_etapa(etapa_de["Encuesta de satisfacción"]) == "post_compra", '
            '"Preguntar por la satisfacción ocurre en la post-compra."\n'
            "### END HIDDEN TESTS",
            puntos=2,
        ),
        new_markdown_cell(
            "## 4. Reflexión\n\n¿Qué etapa de tu negocio tiene más puntos de dolor? ¿Por qué?",
            metadata=_meta("titulo_reflexion"),
        ),
        new_markdown_cell(
            "### BEGIN SOLUTION\nLa consideración: ...\n### END SOLUTION",
            metadata=_meta("reflexion", solucion=True, puntos=1),
        ),
    ]
    nb = new_notebook(cells=celdas)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def crear_curso_de_muestra(
    raiz: str | os.PathLike,
    *,
    db_url: str | None = None,
    tiempo_maximo: int = 30,
    course_id: str = "curso_muestra",
    exchange: str | os.PathLike | None = None,
) -> Path:
    """Crea en ``raiz`` un curso nbgrader con la tarea de muestra (sin generar la versión del estudiante).

    ``db_url`` elige el libro de calificaciones (SQLite en ``raiz/gradebook.db`` si no se da);
    ``tiempo_maximo`` es el límite de segundos por celda al calificar.
    """
    raiz = Path(raiz)
    (raiz / "solutions" / TAREA_MUESTRA).mkdir(parents=True, exist_ok=True)
    lineas = [
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {course_id!r}",
        'c.CourseDirectory.source_directory = "solutions"',
        'c.CourseDirectory.release_directory = "exercises"',
        f"c.Execute.timeout = {int(tiempo_maximo)}",
        'c.ClearSolutions.code_stub = {"python": "# ESCRIBE AQUÍ TU CÓDIGO\\nraise NotImplementedError()"}',
        'c.ClearSolutions.text_stub = "ESCRIBE AQUÍ TU RESPUESTA"',
    ]
    if db_url:
        lineas.append(f"c.CourseDirectory.db_url = {db_url!r}")
    # The same fixes the real course uses: deleted test cells restored, hidden tests out of the feedback.
    lineas += [
        "try:",
        "    from cj_course.calificacion import correcciones",
        "except ImportError:",
        "    pass",
        "else:",
        "    correcciones.aplicar(c)",
    ]
    if exchange:
        lineas.append(f"c.Exchange.root = {str(exchange)!r}")
    (raiz / "nbgrader_config.py").write_text("\n".join(lineas) + "\n", encoding="utf-8")
    nbformat.write(cuaderno_fuente(), raiz / "solutions" / TAREA_MUESTRA / f"{CUADERNO_MUESTRA}.ipynb")
    return raiz


def _cuaderno_liberado(raiz: Path, tarea: str, cuaderno: str) -> nbformat.NotebookNode:
    ruta = raiz / "exercises" / tarea / f"{cuaderno}.ipynb"
    if not ruta.exists():
        raise FileNotFoundError(
            f"No existe {ruta}: genera antes la versión del estudiante (cj-course liberar)."
        )
    return nbformat.read(ruta, as_version=4)


def _responder(nb: nbformat.NotebookNode, respuestas: Mapping[str, str]) -> nbformat.NotebookNode:
    """Pone ``respuestas[grade_id]`` en lugar del código de relleno de cada celda de respuesta."""
    for celda in nb.cells:
        grade_id = celda.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in respuestas and celda.cell_type == "code":
            lineas = celda.source.splitlines()
            # Keep the statement lines the release left (visitas = ..., compras = ...), replace the stub.
            fijas = [
                linea for linea in lineas if not linea.startswith("#") and "NotImplementedError" not in linea
            ]
            celda.source = "\n".join([*fijas, respuestas[grade_id]])
    return nb


def respuestas_de(tipo: str, rng: random.Random | None = None) -> dict[str, str]:
    """Las respuestas de una entrega de un ``tipo`` (ver :data:`TIPOS_DE_ENTREGA`)."""
    if tipo in ("completa", "celdas_borradas"):
        return {k: v["correcta"] for k, v in _RESPUESTAS.items()}
    if tipo == "parcial":
        return {
            "persona": _RESPUESTAS["persona"]["correcta"],
            "tasa": _RESPUESTAS["tasa"]["incorrecta"],
            "etapas": _RESPUESTAS["etapas"]["correcta"],
        }
    if tipo == "vacia":
        return {}
    if tipo == "aleatoria":
        rng = rng or random.Random(0)
        # Different concepts, different difficulty: the class report must show which one failed most.
        acierto = {"persona": 0.8, "tasa": 0.45, "etapas": 0.65}
        return {
            k: v["correcta" if rng.random() < acierto[k] else "incorrecta"] for k, v in _RESPUESTAS.items()
        }
    if tipo in _CODIGO_HOSTIL:
        respuestas = {k: v["correcta"] for k, v in _RESPUESTAS.items()}
        respuestas["persona"] = _CODIGO_HOSTIL[tipo] + "\n" + respuestas["persona"]
        return respuestas
    raise ValueError(f"Tipo de entrega desconocido: {tipo!r}. Usa uno de {', '.join(TIPOS_DE_ENTREGA)}.")


def crear_entregas(
    raiz: str | os.PathLike,
    entregas: Mapping[str, str] | Iterable[tuple[str, str]],
    *,
    tarea: str = TAREA_MUESTRA,
    cuaderno: str = CUADERNO_MUESTRA,
    respuestas: Mapping[str, Mapping[str, str]] | None = None,
    semilla: int = 0,
) -> Path:
    """Escribe en ``submitted/<estudiante>/<tarea>/`` una entrega por estudiante.

    ``entregas`` asocia cada estudiante a un tipo de entrega; ``respuestas`` (opcional) da para
    tipos propios el código por ``grade_id`` (para usar la función con otras tareas).
    """
    raiz = Path(raiz)
    rng = random.Random(semilla)
    liberado = _cuaderno_liberado(raiz, tarea, cuaderno)
    pares = entregas.items() if isinstance(entregas, Mapping) else entregas
    for i, (estudiante, tipo) in enumerate(pares):
        carpeta = raiz / "submitted" / estudiante / tarea
        if carpeta.exists():
            shutil.rmtree(carpeta)
        carpeta.mkdir(parents=True)
        (carpeta / "timestamp.txt").write_text(f"2026-11-20 10:{i % 60:02d}:00.000000 UTC", encoding="utf-8")
        if tipo == "sin_cuaderno":
            (carpeta / "notas.txt").write_text("Se me olvidó el cuaderno.", encoding="utf-8")
            continue
        ruta = carpeta / f"{cuaderno}.ipynb"
        if tipo == "json_invalido":
            ruta.write_text('{"cells": [ {"cell_type": "code", "source": "roto', encoding="utf-8")
            continue
        nb = _responder(
            nbformat.from_dict(json.loads(json.dumps(liberado))),
            respuestas[tipo] if respuestas and tipo in respuestas else respuestas_de(tipo, rng),
        )
        if tipo == "celdas_borradas":
            nb.cells = [
                c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != "prueba_tasa"
            ]
        nbformat.write(nb, ruta)
    return raiz / "submitted"


def _sin_marcas(fuente: str) -> str:
    return "\n".join(
        linea
        for linea in fuente.splitlines()
        if "BEGIN SOLUTION" not in linea and "END SOLUTION" not in linea
    )


def crear_entregas_sinteticas(
    raiz: str | os.PathLike,
    tarea: str,
    estudiantes: int | Iterable[str],
    *,
    acierto: float = 0.7,
    semilla: int = 0,
) -> list[str]:
    """Entregas de cualquier tarea del curso: cada respuesta es la solución (con probabilidad ``acierto``)
    o se deja sin hacer, como la libera nbgrader. Devuelve los nombres de los estudiantes.

    Sirve para ensayar la calificación con las tareas reales sin datos de estudiantes reales.
    """
    raiz = Path(raiz)
    rng = random.Random(semilla)
    nombres = (
        [f"estudiante_{i:03d}" for i in range(estudiantes)]
        if isinstance(estudiantes, int)
        else list(estudiantes)
    )
    fuentes = sorted((raiz / "solutions" / tarea).glob("*.ipynb"))
    if not fuentes:
        raise FileNotFoundError(f"La tarea {tarea!r} no tiene cuadernos en {raiz / 'solutions' / tarea}.")
    pares = []
    for fuente in fuentes:
        original = nbformat.read(fuente, as_version=4)
        soluciones = {
            c.metadata["nbgrader"]["grade_id"]: _sin_marcas(c.source)
            for c in original.cells
            if c.metadata.get("nbgrader", {}).get("solution")
        }
        pares.append((fuente.stem, _cuaderno_liberado(raiz, tarea, fuente.stem), soluciones))
    for i, estudiante in enumerate(nombres):
        carpeta = raiz / "submitted" / estudiante / tarea
        if carpeta.exists():
            shutil.rmtree(carpeta)
        # What the student downloaded besides the notebooks (data files) travels with the submission.
        shutil.copytree(raiz / "exercises" / tarea, carpeta, ignore=shutil.ignore_patterns("*.ipynb"))
        (carpeta / "timestamp.txt").write_text(f"2026-11-20 10:{i % 60:02d}:00.000000 UTC", encoding="utf-8")
        for nombre, liberado, soluciones in pares:
            nb = nbformat.from_dict(json.loads(json.dumps(liberado)))
            for celda in nb.cells:
                grade_id = celda.metadata.get("nbgrader", {}).get("grade_id")
                if grade_id in soluciones and rng.random() < acierto:
                    celda.source = soluciones[grade_id]
            nbformat.write(nb, carpeta / f"{nombre}.ipynb")
    return nombres
