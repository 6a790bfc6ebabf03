"""``cj-course verificar`` encuentra cada camino por el que una solución puede llegar a un estudiante.

Sobre una copia del curso se planta una línea de solución (o de prueba oculta) en cada sitio que un
estudiante puede leer —metadatos de celda y de cuaderno, salidas, un .yaml, una copia de seguridad,
``.ipynb_checkpoints``, una lección de ``modules/``, una página del libro construido—, también retocada
(espacios, mayúsculas, comillas, prosa con otros saltos de línea). Cada hallazgo dice archivo, lugar y qué.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from typer.testing import CliRunner

from cj_course.calificacion import muestra
from cj_course.calificacion.fugas import buscar_fugas, carpetas_por_omision, lineas_protegidas
from cj_course.cli import app

RAIZ = Path(__file__).resolve().parent.parent
SOLUCION = "return 100 * (promotores - detractores)"  # a line of module 5's solution
M5 = Path("exercises") / "m5_medicion" / "ejercicios_m5.ipynb"


@pytest.fixture
def copia(tmp_path) -> Path:
    """What buscar_fugas reads of the course: solutions/, exercises/, modules/, book/ and the nbgrader config."""
    destino = tmp_path / "curso"
    for carpeta in ("solutions", "exercises", "modules", "book"):
        shutil.copytree(RAIZ / carpeta, destino / carpeta)
    shutil.copy(RAIZ / "nbgrader_config.py", destino)
    return destino


def _hallazgos(raiz: Path) -> list[tuple[str, str, str, str]]:
    return [
        (f.archivo.relative_to(raiz).as_posix(), f.donde, f.motivo, f.texto) for f in buscar_fugas(raiz=raiz)
    ]


def _prosa() -> str:
    """The longest line of a model answer of a written question (a markdown solution cell of module 1)."""
    nb = nbformat.read(RAIZ / "solutions" / "m1_introduccion" / "ejercicios_m1.ipynb", as_version=4)
    return max(
        (
            " ".join(linea.split())
            for c in nb.cells
            if c.cell_type == "markdown" and c.metadata.get("nbgrader", {}).get("solution")
            for linea in c.source.splitlines()
        ),
        key=len,
    )


def _celda_de_codigo(nb) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")


def test_el_curso_limpio_no_tiene_hallazgos_y_se_revisa_rapido(copia):
    inicio = time.perf_counter()
    assert _hallazgos(copia) == []
    assert time.perf_counter() - inicio < 5  # a second or two; generous for a shared machine
    assert [c.name for c in carpetas_por_omision(copia)] == ["exercises", "modules", "book"]


def test_en_los_metadatos_de_una_celda_y_del_cuaderno(copia):
    ruta = copia / M5
    nb = nbformat.read(ruta, as_version=4)
    nb.cells[2].metadata["notas_del_profe"] = {"pista": f"usa {SOLUCION}\ny listo"}
    nb.metadata["borrador"] = [SOLUCION.upper()]
    nbformat.write(nb, ruta)
    hallazgos = _hallazgos(copia)
    assert (
        M5.as_posix(),
        "celda 3, metadatos: notas_del_profe.pista, línea 1",
        "código de solución",
        SOLUCION,
    ) in hallazgos
    assert (
        M5.as_posix(),
        "metadatos del cuaderno: borrador, línea 1",
        "código de solución",
        SOLUCION,
    ) in hallazgos
    assert len(hallazgos) == 2, hallazgos


def test_en_una_salida_aunque_este_retocada(copia):
    ruta = copia / M5
    nb = nbformat.read(ruta, as_version=4)
    retocada = "   RETURN 100*(Promotores-Detractores)"  # spaces, case
    n = _celda_de_codigo(nb)
    nb.cells[n].outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"hola\n{retocada}\n")]
    nbformat.write(nb, ruta)
    assert _hallazgos(copia) == [
        (M5.as_posix(), f"celda {n + 1}, salida 1 (text), línea 2", "código de solución", SOLUCION)
    ]


def test_con_otras_comillas_dentro_de_una_linea_mas_larga(copia):
    oculta = next(
        linea
        for linea, tipo in sorted(lineas_protegidas(RAIZ).items())
        if tipo == "prueba oculta" and '"' in linea and len(linea) > 40
    )
    ruta = copia / "exercises" / "m5_medicion" / "traza.log"
    ruta.write_text(
        "Traceback:\n----> 3 " + oculta.replace('"', "«", 1).replace('"', "»", 1) + "\n", encoding="utf-8"
    )
    assert _hallazgos(copia) == [
        (ruta.relative_to(copia).as_posix(), "línea 2", "código de prueba oculta", oculta)
    ]


@pytest.mark.parametrize(
    "nombre",
    [
        "m5_medicion/config.yaml",
        "m5_medicion/ejercicios_m5.ipynb.bak",
        "m5_medicion/notas~",
        "m5_medicion/.ipynb_checkpoints/ejercicios_m5-checkpoint.ipynb",
        "m5_medicion/.oculto/sin_extension",
    ],
)
def test_en_cualquier_archivo_de_texto_de_exercises(copia, nombre):
    ruta = copia / "exercises" / nombre
    ruta.parent.mkdir(parents=True, exist_ok=True)
    if ruta.name.endswith("checkpoint.ipynb"):
        nb = nbformat.read(copia / M5, as_version=4)
        nb.cells[3].source += f"\n    {SOLUCION}"
        nbformat.write(nb, ruta)
        donde = "celda 4, línea"
    else:
        ruta.write_text(f"formula: |\n  {SOLUCION}\n", encoding="utf-8")
        donde = "línea 2"
    hallazgos = _hallazgos(copia)
    assert len(hallazgos) == 1, hallazgos
    archivo, lugar, motivo, texto = hallazgos[0]
    assert (archivo, motivo, texto) == (f"exercises/{nombre}", "código de solución", SOLUCION)
    assert lugar.startswith(donde)


def test_en_un_json_con_los_saltos_de_linea_escapados(copia):
    ruta = copia / "exercises" / "m5_medicion" / "respuestas" / "nps.json"
    ruta.parent.mkdir()
    ruta.write_text(json.dumps({"codigo": ["x = 1", f"def nps():\n    {SOLUCION}\n"]}), encoding="utf-8")
    assert _hallazgos(copia) == [
        ("exercises/m5_medicion/respuestas/nps.json", "clave codigo, línea 2", "código de solución", SOLUCION)
    ]


def test_los_archivos_binarios_se_saltan(copia):
    (copia / "exercises" / "m5_medicion" / "imagen.png").write_bytes(b"\x89PNG\0\0" + SOLUCION.encode())
    assert _hallazgos(copia) == []


def test_prosa_de_una_respuesta_modelo_con_otros_saltos_de_linea(copia):
    prosa = _prosa()
    palabras = prosa.split()
    partida = "\n".join(" ".join(palabras[i : i + 4]) for i in range(0, len(palabras), 4))
    ruta = copia / "exercises" / "m1_introduccion" / "LEEME.md"
    ruta.write_text(f"# Notas\n\n{partida}\n", encoding="utf-8")
    hallazgos = _hallazgos(copia)
    assert [(a, m, t) for a, _, m, t in hallazgos] == [
        (ruta.relative_to(copia).as_posix(), "texto de solución", prosa)
    ]
    assert hallazgos[0][1] == "línea 3"


def test_en_una_leccion_de_modules(copia):
    ruta = copia / "modules" / "05_medicion.ipynb"
    nb = nbformat.read(ruta, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(f"def nps(respuestas):\n    {SOLUCION}"))
    nbformat.write(nb, ruta)
    hallazgos = _hallazgos(copia)
    assert hallazgos == [
        ("modules/05_medicion.ipynb", f"celda {len(nb.cells)}, línea 2", "código de solución", SOLUCION)
    ]


def test_en_una_pagina_del_libro_construido(copia):
    pagina = copia / "_build" / "html" / "exercises" / "m5_medicion" / "ejercicios_m5.html"
    pagina.parent.mkdir(parents=True)
    resaltada = "".join(f'<span class="n">{c}</span>' if c.isalpha() else c for c in SOLUCION)
    pagina.write_text(
        f"<html>\n<body>\n<p>Ejercicio</p>\n<pre>{resaltada}</pre>\n</body></html>\n", encoding="utf-8"
    )
    fuente = copia / "_build" / "html" / "_sources" / "ejercicios_m5.ipynb"
    fuente.parent.mkdir(parents=True)
    shutil.copy(copia / M5, fuente)
    nb = nbformat.read(fuente, as_version=4)
    nb.cells[3].source += "\n### BEGIN SOLUTION"
    nbformat.write(nb, fuente)
    hallazgos = _hallazgos(copia)
    assert (
        "_build/html/exercises/m5_medicion/ejercicios_m5.html",
        "línea 4",
        "código de solución",
        SOLUCION,
    ) in hallazgos
    assert (
        "_build/html/_sources/ejercicios_m5.ipynb",
        "celda 4, línea " + str(nb.cells[3].source.count("\n") + 1),
        "marcador de nbgrader",
        "### BEGIN SOLUTION",
    ) in hallazgos
    assert len(hallazgos) == 2, hallazgos


def test_un_cuaderno_danado_se_revisa_como_texto(copia):
    ruta = copia / "exercises" / "m5_medicion" / "roto.ipynb"
    ruta.write_text('{"cells": [ {"source": "' + SOLUCION + '", ', encoding="utf-8")
    assert [(a, m) for a, _, m, _ in _hallazgos(copia)] == [
        ("exercises/m5_medicion/roto.ipynb", "código de solución")
    ]


# --- the command, on the small sample course ----------------------------------------------------------


@pytest.mark.lento
def test_verificar_informa_archivo_lugar_y_que(tmp_path):
    raiz = muestra.crear_curso_de_muestra(tmp_path / "curso", tiempo_maximo=10)
    runner = CliRunner()
    generado = runner.invoke(app, ["generar", "--curso", str(raiz)])
    assert generado.exit_code == 0, generado.output
    limpio = runner.invoke(app, ["verificar", "--curso", str(raiz)])
    assert limpio.exit_code == 0, limpio.output
    solucion = "tasa_conversion = compras / visitas * 100"
    ruta = raiz / "exercises" / muestra.TAREA_MUESTRA / f"{muestra.CUADERNO_MUESTRA}.ipynb"
    nb = json.loads(ruta.read_text(encoding="utf-8"))
    nb["cells"][6]["metadata"]["nbgrader"]["pista"] = solucion
    ruta.write_text(json.dumps(nb), encoding="utf-8")
    copia = ruta.parent / ".ipynb_checkpoints" / f"{muestra.CUADERNO_MUESTRA}-checkpoint.ipynb"
    copia.parent.mkdir()
    copia.write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "source": ["x = 1\n", solucion.upper()],
                        "metadata": {},
                        "outputs": [],
                    }
                ],
                "metadata": {},
            }
        ),
        encoding="utf-8",
    )
    (raiz / "modules").mkdir()
    (raiz / "modules" / "leccion.md").write_text(f"Ejemplo:\n\n    {solucion}\n", encoding="utf-8")
    salida = runner.invoke(app, ["verificar", "--curso", str(raiz)])
    assert salida.exit_code == 1
    texto = salida.output
    assert (
        f"muestra.ipynb (celda 7, metadatos: nbgrader.pista, línea 1): código de solución: {solucion!r}"
        in texto
    )
    assert f"muestra-checkpoint.ipynb (celda 1, línea 2): código de solución: {solucion!r}" in texto
    assert f"leccion.md (línea 3): código de solución: {solucion!r}" in texto
