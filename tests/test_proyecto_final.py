"""El proyecto final (``m6_proyecto``) calificado de verdad con ``cj-course calificar``, en un curso temporal.

Entregas: la solución; la versión sin tocar; la versión con un proyecto completo guardado por los formularios
(``respuestas/mi_negocio.json``); la misma con piezas pendientes; y dos hostiles, que escriben archivos de
proyecto y de plan falsos y parchean las comprobaciones del curso dentro de su núcleo. Las notas las
decide el calificador fuera de la caja, con el proyecto reconstruido a partir de los datos exportados.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from cj_course import MetricaElegida
from cj_course.calificacion.calificar import Estado, calificar_en_paralelo
from cj_course.calificacion.generar import generar
from cj_course.proyecto import guardar_proyecto, proyecto_ejemplo

RAIZ = Path(__file__).resolve().parent.parent
TAREA, CUADERNO = "m6_proyecto", "proyecto_final"
pytestmark = pytest.mark.lento

# Inside the student's kernel: every check of the course says "all done", and fake files claim the rest.
TRAMPA = """
import json as _json, pathlib as _pl
import cj_course.proyecto as _cjp
from cj_course.validacion import Comprobacion as _C, Informe as _I
_todo_bien = lambda *a, **k: _I("Todo", [_C(True, "ok")] * 7)
_cjp.comprobar_proyecto = _cjp.completitud = _todo_bien
_cjp.pendientes = lambda *a, **k: []
_cjp.plan_exportado = lambda *a, **k: _C(True, "ok")
completitud = _todo_bien
_pl.Path("respuestas").mkdir(exist_ok=True)
_pl.Path("respuestas/mi_plan.json").write_text(_json.dumps({"tipo": "RegistroDelPlan", "huella": "0" * 64}))
registro_plan = {"tipo": "RegistroDelPlan", "archivo": "mi_plan.pdf", "huella": "0" * 64}
"""
# A project file written by hand: it claims to be complete, but the course cannot read it.
PROYECTO_FALSO = '{"tipo": "MiNegocio", "nombre": "Falso", "segmentos": "tres", "completo": true}'


def _leer(carpeta: Path) -> nbformat.NotebookNode:
    return nbformat.read(str(carpeta / TAREA / f"{CUADERNO}.ipynb"), as_version=4)


def _entregar(raiz: Path, alumno: str, nb, proyecto=None, texto_proyecto: str | None = None) -> Path:
    carpeta = raiz / "submitted" / alumno / TAREA
    carpeta.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(carpeta / f"{CUADERNO}.ipynb"))
    if proyecto is not None:
        guardar_proyecto(proyecto, carpeta)
    if texto_proyecto is not None:
        (carpeta / "respuestas").mkdir(exist_ok=True)
        (carpeta / "respuestas" / "mi_negocio.json").write_text(texto_proyecto, encoding="utf-8")
    return carpeta


def _con_trampa(nb):
    celda = next(
        c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "m6_plan_respuesta_proyecto"
    )
    celda.source += "\n" + TRAMPA
    return nb


def _con_pendientes():
    """The shoe shop with two parts left undone: a metric with no stage, and no sample customers."""
    p = proyecto_ejemplo("zapatos")
    p.agregar_metrica(MetricaElegida("Tasa de recompra", como="clientes que repiten ÷ clientes"), etapas=[])
    p.clientes_muestra = []
    return p


def _notas(raiz: Path, alumno: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{raiz / 'gradebook.db'}") as gb:
        envio = gb.find_submission_notebook(CUADERNO, TAREA, alumno)
        return {g.name: g.auto_score for g in envio.grades if g.cell.cell_type == "code"}


def _maximos(raiz: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{raiz / 'gradebook.db'}") as gb:
        return {
            c.name: c.max_score
            for c in gb.find_notebook(CUADERNO, TAREA).grade_cells
            if c.cell_type == "code"
        }


@pytest.fixture(scope="module")
def clase(tmp_path_factory):
    raiz = tmp_path_factory.mktemp("proyecto_final") / "curso"
    raiz.mkdir()
    shutil.copy(RAIZ / "nbgrader_config.py", raiz)
    shutil.copytree(
        RAIZ / "solutions" / TAREA,
        raiz / "solutions" / TAREA,
        ignore=shutil.ignore_patterns("respuestas", ".ipynb_checkpoints", "__pycache__"),
    )
    generar(raiz=raiz, asignaciones=[TAREA])
    fuente, version = raiz / "solutions", raiz / "exercises"
    _entregar(raiz, "solucion", _leer(fuente))
    _entregar(raiz, "vacia", _leer(version))
    _entregar(raiz, "completo", _leer(version), proyecto_ejemplo("nubestock"))
    _entregar(raiz, "pendientes", _leer(version), _con_pendientes())
    _entregar(raiz, "trampa_vacia", _con_trampa(_leer(version)), texto_proyecto=PROYECTO_FALSO)
    _entregar(raiz, "trampa_pendientes", _con_trampa(_leer(version)), _con_pendientes())
    resultados = calificar_en_paralelo(
        raiz, [TAREA], trabajadores=2, progreso=False, tiempo_maximo=60, tiempo_total=300
    )
    return raiz, {r.estudiante: r for r in resultados}


def test_todas_se_califican_y_un_proyecto_completo_saca_todo(clase):
    raiz, resultados = clase
    assert all(r.estado is Estado.CALIFICADA for r in resultados.values()), {
        k: (r.estado, r.motivos) for k, r in resultados.items() if r.estado is not Estado.CALIFICADA
    }
    maximos = _maximos(raiz)
    assert sum(maximos.values()) == 17 and len(maximos) == 7
    assert _notas(raiz, "solucion") == maximos
    # The forms' project (a saved file, no code at all) earns every completeness point too.
    assert _notas(raiz, "completo") == maximos


def test_la_entrega_sin_tocar_saca_cero(clase):
    raiz, _ = clase
    assert set(_notas(raiz, "vacia").values()) == {0}


def test_un_proyecto_con_pendientes_saca_menos(clase):
    raiz, _ = clase
    notas, maximos = _notas(raiz, "pendientes"), _maximos(raiz)
    # Three segments, a linked persona, her map, the e-mail and three linked metrics are still there ...
    for criterio in ("segmentos", "persona", "mapa", "correo", "metricas"):
        assert notas[f"m6_plan_prueba_{criterio}"] == maximos[f"m6_plan_prueba_{criterio}"], criterio
    # ... but something is pending, and the exported plan is of an incomplete project only in part.
    assert notas["m6_plan_prueba_pendientes"] == 0
    assert sum(notas.values()) < sum(maximos.values())


def test_las_trampas_no_dan_puntos(clase):
    raiz, _ = clase
    vacia, pendientes = _notas(raiz, "vacia"), _notas(raiz, "pendientes")
    assert _notas(raiz, "trampa_vacia") == vacia
    assert _notas(raiz, "trampa_pendientes") == {
        **pendientes,
        "m6_plan_prueba_plan": 0.0,  # its fake plan record names no project
    }


def test_el_proyecto_falso_se_aparta_y_la_retroalimentacion_lo_explica(clase):
    raiz, _ = clase
    calificado = nbformat.read(
        str(raiz / "autograded" / "trampa_vacia" / TAREA / f"{CUADERNO}.ipynb"), as_version=4
    )
    salidas = "".join(
        str(o.get("text", "")) + str(o.get("evalue", ""))
        for c in calificado.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
    )
    assert "no se pudo leer" in salidas and "Segmentos: tienes 0" in salidas
