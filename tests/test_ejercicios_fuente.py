"""La forma de los cuadernos fuente (``solutions/``), de su versión para estudiantes y de la configuración.

Reglas que un instructor puede romper sin darse cuenta al editar un cuaderno fuente: cada ejercicio
calificable con su solución entre marcadores, pruebas bloqueadas, pruebas ocultas, una reflexión
calificada a mano, los formularios declarados en :data:`cj_course.ejercicios.ASIGNACIONES`...
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from traitlets.config.loader import PyFileConfigLoader

from cj_course import ErrorCurso
from cj_course.calificacion.correcciones import OcultarPruebasOcultas, RestaurarCeldas
from cj_course.ejercicios import ASIGNACIONES, archivos_de_respuesta, generar, main, normalizar_cuaderno

RAIZ = Path(__file__).resolve().parent.parent
POR_CLAVE = {a.clave: a for a in ASIGNACIONES}
ENUNCIADOS_DEL_CURSO = {  # the seed's exercises, quoted in the notebooks
    "m3_mapeo": ["Identifica tres segmentos de clientes para tu negocio", "Incluye al menos cinco características clave",
                 "Incluye al menos una interacción en cada etapa del journey"],
    "m4_optimizacion": ["Diseña un correo de bienvenida personalizado para nuevos clientes",
                        "Incluye una oferta especial o incentivo"],
    "m5_medicion": ["Selecciona tres métricas clave para tu negocio",
                    "Describe cómo medirás cada métrica y qué herramientas utilizarás"],
}


def _cuaderno(carpeta: str, asignacion) -> nbformat.NotebookNode:
    return nbformat.read(str(RAIZ / carpeta / asignacion.clave / f"{asignacion.cuaderno}.ipynb"), as_version=4)


def _meta(celda) -> dict:
    return celda.metadata.get("nbgrader", {})


def test_hay_una_tarea_por_modulo_y_nada_mas():
    assert [a.clave[:2] for a in ASIGNACIONES] == ["m1", "m2", "m3", "m4", "m5", "m6"]
    for carpeta in ("solutions", "exercises"):
        archivos = sorted(str(p.relative_to(RAIZ / carpeta)) for p in (RAIZ / carpeta).rglob("*") if p.is_file())
        assert archivos == sorted(f"{a.clave}/{a.cuaderno}.ipynb" for a in ASIGNACIONES), carpeta


@pytest.mark.parametrize("asignacion", ASIGNACIONES, ids=lambda a: a.clave)
def test_el_cuaderno_fuente_sigue_las_reglas(asignacion):
    nb = _cuaderno("solutions", asignacion)
    celdas = [c for c in nb.cells if _meta(c)]
    ids = [_meta(c)["grade_id"] for c in celdas]
    assert len(ids) == len(set(ids)), "grade_id repetidos"
    assert all(i.startswith(asignacion.clave[:3]) for i in ids), "cada grade_id empieza con su módulo"
    for celda in nb.cells:
        if celda.cell_type == "code":
            assert celda.outputs == [] and celda.execution_count is None, "los cuadernos se guardan sin salidas"
    respuestas = [c for c in celdas if _meta(c)["solution"] and c.cell_type == "code"]
    pruebas = [c for c in celdas if _meta(c)["grade"] and not _meta(c)["solution"]]
    reflexiones = [c for c in celdas if _meta(c)["grade"] and _meta(c)["solution"] and c.cell_type == "markdown"]
    assert respuestas and pruebas and len(reflexiones) == 1
    for celda in respuestas:
        assert "### BEGIN SOLUTION" in celda.source and "### END SOLUTION" in celda.source, _meta(celda)["grade_id"]
        if celda.source.lstrip().startswith("def "):
            # The release keeps the `def` line and a Spanish NotImplementedError after the solution region.
            final = celda.source.split("### END SOLUTION")[1]
            assert re.search(r'raise NotImplementedError\("Completa la función \w+', final), _meta(celda)["grade_id"]
    for celda in pruebas:
        assert _meta(celda)["locked"] and celda.source.startswith("# Comprobación"), _meta(celda)["grade_id"]
        assert _meta(celda)["points"] > 0
    assert any("### BEGIN HIDDEN TESTS" in c.source for c in pruebas), "hay pruebas ocultas"
    for celda in celdas:  # read-only cells: setup and forms
        if not (_meta(celda)["grade"] or _meta(celda)["solution"]):
            assert _meta(celda)["locked"], _meta(celda)["grade_id"]


@pytest.mark.parametrize("asignacion", ASIGNACIONES, ids=lambda a: a.clave)
def test_los_formularios_son_los_declarados(asignacion):
    texto = "\n".join(c.source for c in _cuaderno("solutions", asignacion).cells)
    assert set(re.findall(r'Formulario\w+\("(\w+)"', texto)) == set(asignacion.formularios)
    assert archivos_de_respuesta()[asignacion.clave] == [
        f"respuestas/{f}{ext}" for f in asignacion.formularios for ext in (".json", ".borrador.json")]


@pytest.mark.parametrize("clave", ENUNCIADOS_DEL_CURSO)
def test_los_ejercicios_citan_el_enunciado_del_curso(clave):
    fuentes = (re.sub(r"^>\s?", "", c.source, flags=re.M) for c in _cuaderno("exercises", POR_CLAVE[clave]).cells)
    texto = " ".join(" ".join(f.split()) for f in fuentes)
    for enunciado in ENUNCIADOS_DEL_CURSO[clave]:
        assert enunciado in texto


@pytest.mark.parametrize("asignacion", ASIGNACIONES, ids=lambda a: a.clave)
def test_la_version_de_estudiantes_habla_espanol(asignacion):
    nb = _cuaderno("exercises", asignacion)
    texto = "\n".join(c.source for c in nb.cells)
    for ingles in ("YOUR CODE HERE", "YOUR ANSWER HERE", "raise NotImplementedError()"):
        assert ingles not in texto
    manuales = [c for c in nb.cells if _meta(c).get("solution") and c.cell_type == "markdown"]
    assert [c.source for c in manuales] == ["Escribe aquí tu respuesta."]
    for celda in nb.cells:
        if _meta(celda).get("solution") and celda.cell_type == "code":
            assert "# Escribe aquí tu respuesta" in celda.source
            # Form answers keep reading the form; function stubs still define the function.
            assert re.search(r"^\w+ = formulario_\w+\.respuesta$", celda.source, re.M) or \
                celda.source.startswith("def ")


def test_la_configuracion_de_nbgrader():
    c = PyFileConfigLoader("nbgrader_config.py", path=str(RAIZ)).load_config()
    assert c.CourseDirectory.root == str(RAIZ)
    assert (c.CourseDirectory.source_directory, c.CourseDirectory.release_directory) == ("solutions", "exercises")
    assert c.ClearSolutions.code_stub == {"python": "# Escribe aquí tu respuesta"}
    assert c.Execute.timeout >= 30
    ignoradas = [p for p in c.CourseDirectory.ignore if "respuestas" in p]
    assert ignoradas and all(Path(p).is_absolute() and "solutions" in p for p in ignoradas), (
        "un patrón relativo como 'respuestas' también dejaría fuera las respuestas de los estudiantes")
    assert c.Autograde.exclude_overwriting == archivos_de_respuesta()
    assert RestaurarCeldas in c.Autograde.sanitize_preprocessors
    assert OcultarPruebasOcultas in c.GenerateFeedback.preprocessors


def test_normalizar_quita_lo_volatil():
    nb = nbformat.v4.new_notebook(metadata={"widgets": {"estado": 1}, "kernelspec": {"name": "otro", "display_name": "Otro"}}, cells=[
        nbformat.v4.new_code_cell("1", execution_count=4, outputs=[nbformat.v4.new_output("stream", text="1")],
                                  metadata={"execution": {"shell.execute_reply": "2026-01-01T00:00:00Z"}, "nbgrader": {"grade": False}, "editable": False}),
    ])
    limpio = normalizar_cuaderno(nb)
    assert limpio.metadata["kernelspec"]["name"] == "python3" and "widgets" not in limpio.metadata
    assert dict(limpio.cells[0].metadata) == {"nbgrader": {"grade": False}, "editable": False}
    assert limpio.cells[0].outputs == [] and limpio.cells[0].execution_count is None


def test_errores_claros_al_generar(tmp_path, capsys):
    with pytest.raises(ErrorCurso, match="No existe la tarea 'm9'"):
        generar(tmp_path, asignaciones=["m9"])
    with pytest.raises(ErrorCurso, match="no parece la carpeta del curso"):
        generar(tmp_path, raiz=tmp_path)
    assert main(["generar", "--destino", str(tmp_path), "m9"]) == 2
    assert "No existe la tarea 'm9'" in capsys.readouterr().err
