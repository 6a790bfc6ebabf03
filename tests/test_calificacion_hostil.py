"""Entregas hostiles calificadas por ``cj-course calificar``: ninguna saca más que el mismo cuaderno sin la
trampa, ninguna daña a nadie, y quien entrega bien, en la misma calificación, conserva su nota y sus archivos.

Cada entrega hostil parte de la versión del estudiante sin responder (que saca 0) o de la solución (nota
completa) y añade una trampa o un daño de los que encontró la auditoría del curso: leer ``solutions/``,
reescribir el libro de calificaciones, borrar el trabajo de otros, tapar builtins y funciones del curso,
objetos con ``__eq__`` siempre verdadero, un formateador de IPython que cambia el crédito parcial, métricas del
curso parcheadas o llamadas en lugar de calcular, exportaciones falsas, ``os._exit``, bucles, procesos y
salidas enormes.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import nbformat
import pytest
from test_calificacion_round_trip import _celda, _entregar, _leer

from cj_course.calificacion.arnes import MIME
from cj_course.calificacion.calificar import Estado, calificar_en_paralelo
from cj_course.calificacion.generar import generar

RAIZ = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.lento

# Code that walks up from the submission to the course folder, whatever the grader calls it.
SUBIR = """
import os, pathlib
def _cursos():
    aqui = pathlib.Path.cwd().resolve()
    vistos = []
    for base in [aqui, *aqui.parents, pathlib.Path("/tmp"), pathlib.Path("/work"), pathlib.Path("/root")]:
        try:
            for hijo in [base, *base.iterdir()]:
                if (hijo / "nbgrader_config.py").exists():
                    vistos.append(hijo)
        except OSError:
            pass
    return vistos
"""

LEER_SOLUCIONES = (
    SUBIR
    + """
import json
for _c in _cursos():
    for _nb in _c.glob("solutions/*/*.ipynb"):
        for _celda in json.load(open(_nb))["cells"]:
            if _celda["metadata"].get("nbgrader", {}).get("solution"):
                try:
                    exec("".join(_celda["source"]).replace(".respuesta", ".respuesta or None"))
                except Exception:
                    pass
"""
)

REESCRIBIR_LIBRO = (
    SUBIR
    + """
import sqlite3
for _c in _cursos():
    for _db in _c.glob("*.db"):
        _con = sqlite3.connect(_db)
        _con.execute("UPDATE grade SET manual_score = 999, auto_score = 999")
        _con.execute("DELETE FROM grade WHERE id IN (SELECT id FROM grade LIMIT 3)")
        _con.commit()
"""
)

BORRAR_CLASE = (
    SUBIR
    + """
import shutil
for _c in _cursos():
    for _r in _c.glob("submitted/*/*/respuestas/*.json"):
        _r.write_text("{roto")
    for _nb in _c.glob("submitted/*/*/*.ipynb"):
        _nb.write_text("")
    shutil.rmtree(_c / "solutions", ignore_errors=True)
    for _db in _c.glob("*.db"):
        _db.unlink()
"""
)

TAPAR_BUILTINS = """
import builtins
import cj_course, cj_course.validacion
builtins.isinstance = lambda *a: True
builtins.len = lambda *a: 99
builtins.abs = lambda *a: 0
builtins.min = lambda *a, **k: 99
builtins.round = lambda *a, **k: 99
validar = comprobar = afirmar_valido = lambda *a, **k: None
cj_course.afirmar_valido = cj_course.comprobar = cj_course.validar = lambda *a, **k: None
cj_course.validacion.afirmar_valido = lambda *a, **k: None
"""

EQ_SIEMPRE = """
class _Todo(str):
    def __eq__(self, otro): return True
    def __ne__(self, otro): return False
    def __hash__(self): return 0
    def __len__(self): return 99
    def __bool__(self): return True
class _PersonaFalsa(Persona):
    def caracteristicas(self): return list(range(99))
    def __eq__(self, otro): return True
segmentacion = Segmentacion([Segmento(_Todo("a"), demograficos=[_Todo("x")])])
persona = _PersonaFalsa("Ana")
persona.segmento = _Todo("cualquiera")
mapa = MapaDeViaje("objetivo", interacciones=[Interaccion("conciencia", "Instagram", "Ve un anuncio")])
mapa.interacciones = mapa.interacciones * 6
"""

FORMATEADOR = """
_ip = get_ipython()
_ip.display_formatter.formatters["text/plain"].for_type(int, lambda n, p, c: p.text("99.0"))
_ip.display_formatter.formatters["text/plain"].for_type(float, lambda n, p, c: p.text("99.0"))
"""

EXPORTACION_FALSA = f"""
from IPython.display import display
for _prueba in ["m3_prueba_segmentos_completos", "m3_prueba_persona_rasgos", "m3_prueba_mapa_etapas"]:
    display({{"{MIME}": {{"prueba": _prueba, "nombre": "persona", "valor": {{"t": "int", "v": 5}}}}}}, raw=True)
"""

PROCESOS_Y_MEMORIA = """
import os
_hijos = []
for _ in range(400):
    try:
        _pid = os.fork()
    except OSError:
        break
    if _pid == 0:
        import time
        time.sleep(30)
        os._exit(0)
    _hijos.append(_pid)
print("procesos creados:", len(_hijos))
try:
    _grande = bytearray(10 * 2**30)
except MemoryError:
    print("sin memoria")
import socket
try:
    socket.create_connection(("127.0.0.1", 80), timeout=2)
    print("¡con red!")
except OSError as e:
    print("sin red:", e)
"""

SALIDA_ENORME = 'print("x" * 50_000_000)\n'
BUCLE = "while True:\n    pass\n"

PARCHEAR_METRICAS = """
import cj_course.metricas as _m, cj_course.datos as _d
_m.tasa_conversion = lambda *a, **k: 0.0
_m.nps = lambda *a, **k: 0.0
_m.tasa_retencion = lambda *a, **k: 0.0
def tasa_conversion_carrito(eventos):
    return 0.0
def calcular_nps(puntuaciones):
    return 0.0
def tasa_retencion_clasica(inicio, fin, nuevos):
    return 0.0
"""

LLAMAR_BIBLIOTECA = """
from cj_course import metricas as _metricas
def tasa_conversion_carrito(eventos):
    return _metricas.tasa_conversion(eventos, "agregar_carrito", "compra")
def calcular_nps(puntuaciones):
    return _metricas.nps(puntuaciones)
def tasa_retencion_clasica(inicio, fin, nuevos):
    return _metricas.tasa_retencion(inicio, fin, nuevos)
"""

# tarea -> the answer cell where the attack is written (the first one of the notebook)
PRIMERA_RESPUESTA = {"m3_mapeo": "m3_respuesta_segmentos", "m5_medicion": "m5_respuesta_conversion"}
ATAQUES = {
    "lee_soluciones": LEER_SOLUCIONES,
    "reescribe_libro": REESCRIBIR_LIBRO,
    "borra_clase": BORRAR_CLASE,
    "tapa_builtins": TAPAR_BUILTINS,
    "formateador": FORMATEADOR,
    "exportacion_falsa": EXPORTACION_FALSA,
    "procesos": PROCESOS_Y_MEMORIA,
    "salida_enorme": SALIDA_ENORME,
    "bucle": BUCLE,
}
ATAQUES_M3 = {"eq_siempre": EQ_SIEMPRE}
ATAQUES_M5 = {"parchea_metricas": PARCHEAR_METRICAS, "llama_biblioteca": LLAMAR_BIBLIOTECA}


def _huella_de_carpeta(carpeta: Path) -> dict[str, str]:
    return {
        str(p.relative_to(carpeta)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(carpeta.rglob("*"))
        if p.is_file()
    }


CUADERNO = {"m3_mapeo": "ejercicios_m3", "m5_medicion": "ejercicios_m5"}


def _notas(raiz: Path, tarea: str, estudiante: str) -> dict[str, float]:
    """grade_id -> auto score of every auto-graded test cell of a submission."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{raiz / 'gradebook.db'}") as gb:
        envio = gb.find_submission_notebook(CUADERNO[tarea], tarea, estudiante)
        return {g.name: g.auto_score for g in envio.grades if g.cell.cell_type == "code"}


def _maximos(raiz: Path, tarea: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{raiz / 'gradebook.db'}") as gb:
        nb = gb.find_notebook(CUADERNO[tarea], tarea)
        return {c.name: c.max_score for c in nb.grade_cells if c.cell_type == "code"}


@pytest.fixture(scope="module")
def clase(tmp_path_factory):
    raiz = tmp_path_factory.mktemp("hostil") / "curso"
    raiz.mkdir()
    shutil.copy(RAIZ / "nbgrader_config.py", raiz)
    shutil.copytree(
        RAIZ / "solutions",
        raiz / "solutions",
        ignore=shutil.ignore_patterns("respuestas", ".ipynb_checkpoints", "__pycache__"),
    )
    tareas = list(PRIMERA_RESPUESTA)
    generar(raiz=raiz, asignaciones=tareas)
    fuente, version = raiz / "solutions", raiz / "exercises"
    for tarea in tareas:
        _entregar(raiz, "honesta", tarea, _leer(fuente, tarea))
        _entregar(raiz, "vacia", tarea, _leer(version, tarea))
        ataques = {**ATAQUES, **(ATAQUES_M3 if tarea == "m3_mapeo" else ATAQUES_M5)}
        for nombre, codigo in ataques.items():
            nb = _leer(version, tarea)
            celda = _celda(nb, PRIMERA_RESPUESTA[tarea])
            celda.source = celda.source + "\n" + codigo
            _entregar(raiz, nombre, tarea, nb)
        # the solution, then the kernel ends itself: the grades it earned stay
        nb = _leer(fuente, tarea)
        nb.cells.append(nbformat.v4.new_code_cell("import os\nos._exit(0)"))
        _entregar(raiz, "os_exit_final", tarea, nb)
    # an honest student's saved form answer, which the attacks try to overwrite
    from cj_course import Persona, guardar_respuesta

    guardar_respuesta(
        "m3_persona",
        Persona(
            "Daniela",
            edad=33,
            ocupacion="Contadora",
            ubicacion="Zapopan",
            intereses=["yoga"],
            objetivos=["comprar rápido"],
            desafios=["talla"],
            canales=["correo"],
            segmento="Profesionistas urbanas",
        ),
        carpeta=raiz / "submitted" / "honesta" / "m3_mapeo",
    )
    antes = {
        "solutions": _huella_de_carpeta(raiz / "solutions"),
        "honesta": _huella_de_carpeta(raiz / "submitted" / "honesta"),
    }
    resultados = calificar_en_paralelo(
        raiz, tareas, trabajadores=3, progreso=False, tiempo_maximo=20, tiempo_total=120
    )
    return raiz, {(r.tarea, r.estudiante): r for r in resultados}, antes


def test_nadie_se_queda_sin_calificar_y_la_honesta_saca_todo(clase):
    raiz, resultados, _ = clase
    assert all(r.estado is Estado.CALIFICADA for r in resultados.values()), {
        k: (r.estado, r.motivos) for k, r in resultados.items() if r.estado is not Estado.CALIFICADA
    }
    for tarea in PRIMERA_RESPUESTA:
        assert _notas(raiz, tarea, "honesta") == _maximos(raiz, tarea), tarea
        assert set(_notas(raiz, tarea, "vacia").values()) == {0}


@pytest.mark.parametrize("tarea", list(PRIMERA_RESPUESTA))
def test_ninguna_trampa_saca_mas_que_la_entrega_sin_trampa(clase, tarea):
    raiz, _resultados, _ = clase
    vacia = _notas(raiz, tarea, "vacia")
    ataques = {**ATAQUES, **(ATAQUES_M3 if tarea == "m3_mapeo" else ATAQUES_M5)}
    for nombre in ataques:
        notas = _notas(raiz, tarea, nombre)
        mejores = {k: v for k, v in notas.items() if v > vacia[k]}
        assert not mejores, f"{nombre} sacó más que la entrega vacía en {mejores}"


def test_nada_de_fuera_de_la_entrega_cambia(clase):
    raiz, _, antes = clase
    assert _huella_de_carpeta(raiz / "solutions") == antes["solutions"]
    assert _huella_de_carpeta(raiz / "submitted" / "honesta") == antes["honesta"]
    # every grade in the gradebook is a real one: nothing at 999, the honest marks intact
    for tarea in PRIMERA_RESPUESTA:
        assert all(v is not None and v < 99 for v in _notas(raiz, tarea, "honesta").values())


def test_os_exit_al_final_conserva_la_nota(clase):
    raiz, resultados, _ = clase
    for tarea in PRIMERA_RESPUESTA:
        assert _notas(raiz, tarea, "os_exit_final") == _maximos(raiz, tarea), resultados[
            (tarea, "os_exit_final")
        ]


def test_llamar_a_la_metrica_del_curso_no_da_puntos_y_se_explica(clase):
    raiz, _, _ = clase
    notas = _notas(raiz, "m5_medicion", "llama_biblioteca")
    for prueba in ("m5_prueba_conversion_otros_datos", "m5_prueba_nps_otros_datos"):
        assert notas[prueba] == 0, notas
    calificado = raiz / "autograded" / "llama_biblioteca" / "m5_medicion" / "ejercicios_m5.ipynb"
    texto = json.dumps(nbformat.read(str(calificado), as_version=4).cells, ensure_ascii=False)
    assert "cj_course.metricas.tasa_conversion" in texto and "lo calcules tú" in texto


def test_los_limites_se_cumplen_y_quedan_señalados(clase):
    raiz, resultados, _ = clase
    for tarea in PRIMERA_RESPUESTA:
        enorme = raiz / "autograded" / "salida_enorme" / tarea
        assert sum(p.stat().st_size for p in enorme.glob("*.ipynb")) < 10 * 2**20
        assert any("recortó" in s for s in resultados[(tarea, "salida_enorme")].sospechas)
        assert any("tiempo" in s for s in resultados[(tarea, "bucle")].sospechas)
        procesos = raiz / "autograded" / "procesos" / tarea / f"{CUADERNO[tarea]}.ipynb"
        celda = _celda(nbformat.read(str(procesos), as_version=4), PRIMERA_RESPUESTA[tarea])
        salida = "".join(o.get("text", "") for o in celda.outputs)
        assert "sin red" in salida and "¡con red!" not in salida and "sin memoria" in salida, salida
        creados = [int(t) for t in __import__("re").findall(r"procesos creados: (\d+)", salida)]
        assert creados and creados[0] < 400, creados
    assert any("solutions" in s for s in resultados[("m3_mapeo", "lee_soluciones")].sospechas)


def test_el_informe_de_la_clase_señala_las_entregas_sospechosas(clase, tmp_path):
    from cj_course.calificacion.informe import generar_informe

    raiz, _, _ = clase
    rutas = generar_informe(raiz, list(PRIMERA_RESPUESTA), salida=tmp_path / "informe")
    html = rutas[0].read_text(encoding="utf-8")
    assert "Entregas para revisar" in html
    for tramposa in ("lee_soluciones", "reescribe_libro", "bucle", "salida_enorme"):
        assert tramposa in html, tramposa
    assert "honesta" not in html.split("Entregas para revisar")[1].split("</section>")[0]
    assert (tmp_path / "informe" / "sospechas.csv").read_text(encoding="utf-8-sig").count(
        "lee_soluciones"
    ) >= 1
