"""La calificación de punta a punta con nbgrader real, en una carpeta de curso temporal.

Se genera la versión de estudiantes desde ``solutions/`` y se califican entregas de estudiantes
inventados, todas en **una** llamada a ``nbgrader autograde`` (cada llamada cuesta segundos de
arranque): las soluciones (nota completa), la versión sin tocar (0 puntos, sin fallos), respuestas a
medias (puntos parciales), números fijos en vez de cálculos (las pruebas ocultas fallan), pruebas
borradas o editadas (se califica como si estuvieran intactas), y respuestas dadas solo con los
formularios (archivos ``respuestas/*.json``). Después, retroalimentación en español sin pruebas
ocultas y exportación a CSV.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from cj_course import Persona, guardar_respuesta
from cj_course.calificacion.fugas import buscar_fugas
from cj_course.calificacion.generar import ASIGNACIONES, generar
from cj_course.proyecto import guardar_proyecto, proyecto_ejemplo

RAIZ = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.lento

CUADERNO = {a.clave: a.cuaderno for a in ASIGNACIONES}
# Cells that only code can answer (functions): a student who only uses the forms gets 0 there.
PRUEBAS_DE_FUNCIONES = {
    "m4_prueba_automatico",
    "m4_prueba_automatico_casos",
    "m5_prueba_conversion",
    "m5_prueba_conversion_otros_datos",
    "m5_prueba_nps",
    "m5_prueba_nps_otros_datos",
    "m5_prueba_retencion",
    "m5_prueba_retencion_otros_datos",
    "m5_prueba_sen",
    "m5_prueba_sen_otros_datos",
    "m6_prueba_dispositivo",
    "m6_prueba_dispositivo_otros_datos",
    "m6_prueba_cierre",
    "m6_prueba_cierre_otros_datos",
}


# --- building submissions ---------------------------------------------------------------------


def _leer(carpeta: Path, asignacion: str) -> nbformat.NotebookNode:
    return nbformat.read(str(carpeta / asignacion / f"{CUADERNO[asignacion]}.ipynb"), as_version=4)


def _celda(nb, grade_id: str):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def _responder(nb, grade_id: str, codigo: str):
    _celda(nb, grade_id).source = codigo
    return nb


def _borrar(nb, *grade_ids: str):
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in grade_ids]
    return nb


def _entregar(curso: Path, alumno: str, asignacion: str, nb, respuestas: dict | None = None) -> Path:
    carpeta = curso / "submitted" / alumno / asignacion
    carpeta.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(carpeta / f"{CUADERNO[asignacion]}.ipynb"))
    for ejercicio, objeto in (respuestas or {}).items():
        guardar_respuesta(ejercicio, objeto, carpeta=carpeta)
    return carpeta


def respuestas_de_la_solucion(curso: Path, asignacion: str) -> dict:
    """The source's answers as the objects a student would build in the forms: exercise id -> object.

    The answer cells run in order (forms stubbed as empty), then each form's exercise id is matched
    to the variable its answer cell fills.
    """
    if not next(a for a in ASIGNACIONES if a.clave == asignacion).formularios:
        return {}  # no form (the final project reads the saved project instead)
    nb = _leer(curso / "solutions", asignacion)
    espacio: dict = {}
    exec(
        "import pandas as pd\nfrom cj_course import *\nfrom cj_course.modelo import Clasificacion, "
        "RespuestasCuestionario",
        espacio,
    )
    ejercicio_de_formulario, variable_de_formulario = {}, {}
    for celda in nb.cells:
        meta = celda.metadata.get("nbgrader", {})
        for variable, ejercicio in re.findall(r'^(\w+) = Formulario\w+\("(\w+)"', celda.source, re.M):
            ejercicio_de_formulario[variable] = ejercicio
        if celda.cell_type == "code" and meta.get("solution"):
            for respuesta, formulario in re.findall(r"^(\w+) = (\w+)\.respuesta", celda.source, re.M):
                variable_de_formulario[formulario] = respuesta
                espacio[formulario] = SimpleNamespace(respuesta=None)
            exec(celda.source, espacio)
    return {
        ejercicio: espacio[variable_de_formulario[formulario]]
        for formulario, ejercicio in ejercicio_de_formulario.items()
    }


def _constantes_del_curso() -> dict:
    """What a student who hard-codes numbers would paste: the right values for the course data only."""
    from cj_course import metricas
    from cj_course.datos import cargar_datos

    z, n = cargar_datos("zapatos"), cargar_datos("nubestock")
    por_dispositivo = {}
    for dispositivo, grupo in z.clientes.groupby("dispositivo", observed=True):
        suyos = z.eventos[z.eventos["cliente_id"].isin(grupo["cliente_id"])]
        por_dispositivo[str(dispositivo)] = metricas.tasa_conversion(suyos, "inicio_pago", "compra")
    prueba = n.eventos["cliente_id"].isin(
        n.eventos.loc[n.eventos["evento"] == "prueba_gratuita", "cliente_id"]
    )
    return {
        "conversion": metricas.tasa_conversion(z.eventos, "agregar_carrito", "compra"),
        "nps": metricas.nps(z.encuestas),
        "dispositivo": por_dispositivo,
        "cierre": (
            metricas.tasa_conversion(n.eventos[prueba], "demo", "contrato"),
            metricas.tasa_conversion(n.eventos[~prueba], "demo", "contrato"),
        ),
    }


def _nbgrader(curso: Path, *argumentos: str) -> subprocess.CompletedProcess:
    entorno = dict(os.environ)
    entorno["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), entorno.get("PATH", "")])
    resultado = subprocess.run(
        [sys.executable, "-m", "nbgrader", *argumentos],
        cwd=curso,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert resultado.returncode == 0, f"nbgrader {' '.join(argumentos)} falló:\n{resultado.stderr[-6000:]}"
    return resultado


# --- the course, graded once for all tests -----------------------------------------------------


@pytest.fixture(scope="module")
def curso(tmp_path_factory) -> SimpleNamespace:
    inicio = time.perf_counter()
    curso = tmp_path_factory.mktemp("curso")
    shutil.copy(RAIZ / "nbgrader_config.py", curso)
    shutil.copytree(
        RAIZ / "solutions",
        curso / "solutions",
        ignore=shutil.ignore_patterns("respuestas", ".ipynb_checkpoints", "__pycache__"),
    )
    # An instructor who tried the forms on the source notebook leaves answers there: they must never
    # reach the release, nor be graded as a student's.
    guardar_respuesta(
        "m3_persona",
        Persona(
            "Intrusa",
            edad=30,
            ocupacion="Docente",
            ubicacion="Lima",
            intereses=["cine"],
            objetivos=["aprender"],
            desafios=["tiempo"],
            canales=["correo"],
            segmento="Universitarias con estilo",
        ),
        carpeta=curso / "solutions" / "m3_mapeo",
    )
    generar(raiz=curso)
    fuente, version = curso / "solutions", curso / "exercises"
    todas = [a.clave for a in ASIGNACIONES]

    for asignacion in todas:
        # (a) the solutions, (b) the untouched release
        _entregar(curso, "solucion", asignacion, _leer(fuente, asignacion))
        _entregar(curso, "vacio", asignacion, _leer(version, asignacion))
        # (f) only the forms: the release notebook plus the saved answer files
        _entregar(
            curso,
            "formularios",
            asignacion,
            _leer(version, asignacion),
            respuestas_de_la_solucion(curso, asignacion),
        )
        if asignacion == "m6_proyecto":  # the final project reads what the forms of modules 3 to 5 saved
            guardar_proyecto(proyecto_ejemplo("zapatos"), curso / "submitted" / "formularios" / asignacion)

    # (c) partly right
    _entregar(
        curso,
        "parcial",
        "m1_introduccion",
        _responder(
            _responder(
                _leer(version, "m1_introduccion"),
                "m1_respuesta_conceptos",
                """
conceptos = RespuestasCuestionario({
    "p1": "El camino que recorre un cliente a lo largo de toda su relación con un negocio",
    "p2": "Son lo mismo: los dos describen todo lo que vive el cliente, desde la primera visita hasta que te "
          "recomienda",
    "p3": "Empieza cuando el cliente conoce tu producto o servicio y sigue hasta que te recomienda "
          "o te da retroalimentación",
    "p4": "Alrededor del 10 %",
    "p5": "Surgen dudas en más del 40 % de esas compras: las emociones también cuentan",
})""",
            ),
            "m1_respuesta_componentes",
            """
componentes = RespuestasCuestionario({
    "c1": "Punto de contacto", "c2": "Punto de dolor", "c3": "Etapa", "c4": "Oportunidad", "c5": "Emoción",
})""",
        ),
    )
    _entregar(
        curso,
        "parcial",
        "m3_mapeo",
        _responder(
            _responder(
                _responder(
                    _responder(
                        _leer(version, "m3_mapeo"),
                        "m3_respuesta_citas",
                        """
citas = RespuestasCuestionario({
    "c1": "Punto de dolor", "c2": "Emoción", "c3": "Emoción", "c4": "Punto de dolor", "c5": "Pensamiento",
    "c6": "Pensamiento",
})""",
                    ),
                    "m3_respuesta_segmentos",
                    """
segmentacion = Segmentacion([
    Segmento("Jóvenes", demograficos=["18-25 años"], psicograficos=["tecnología y moda"]),
    Segmento("Profesionales", demograficos=["30-45 años"], psicograficos=["lujo", "viajes"]),
    Segmento("Jubilados", demograficos=["más de 65 años"]),
])""",
                ),
                "m3_respuesta_persona",
                """
persona = Persona("Ana", edad=30, ocupacion="Diseñadora", intereses=["cine"], segmento="Otro segmento")""",
            ),
            "m3_respuesta_mapa",
            """
mapa = MapaDeViaje("Entender la compra", interacciones=[
    Interaccion("conciencia", "Instagram", "Ve un anuncio"),
    Interaccion("consideracion", "Sitio web", "Compara modelos"),
    Interaccion("compra", "Tienda en línea", "Paga", puntos_de_dolor=["pago lento"]),
    Interaccion("lealtad", "Correo", "Recibe un cupón"),
])""",
        ),
    )
    _entregar(
        curso,
        "parcial",
        "m4_optimizacion",
        _responder(
            _leer(fuente, "m4_optimizacion"),
            "m4_respuesta_automatico",
            """
def correo_automatico(cliente):
    # Forgets the order of the rule: the abandoned cart goes first.
    if cliente["carrito_abandonado"]:
        return "carrito"
    if cliente["compras"] == 1 and cliente["dias_desde_ultima_compra"] <= 7:
        return "bienvenida"
    if cliente["compras"] >= 1 and cliente["dias_desde_ultima_compra"] > 90:
        return "reactivacion"
    return None""",
        ),
    )

    # (d) hard-coded numbers that even pass the small visible examples
    k = _constantes_del_curso()
    m5 = _leer(fuente, "m5_medicion")
    _responder(
        m5,
        "m5_respuesta_conversion",
        f"""
def tasa_conversion_carrito(eventos):
    return 100 / 3 if len(eventos) < 100 else {k["conversion"]!r}""",
    )
    _responder(
        m5,
        "m5_respuesta_nps",
        f"""
def calcular_nps(puntuaciones):
    return {{4: 25.0, 3: -100.0}}.get(len(puntuaciones), {k["nps"]!r})""",
    )
    _responder(
        m5,
        "m5_respuesta_retencion",
        """
def tasa_retencion_clasica(inicio, fin, nuevos):
    return {(200, 210, 30): 90.0, (50, 40, 0): 80.0}.get((inicio, fin, nuevos), 85.0)""",
    )
    _entregar(curso, "fijo", "m5_medicion", m5)
    m6 = _leer(fuente, "m6_casos")
    _responder(
        m6,
        "m6_respuesta_dispositivo",
        f"""
def conversion_pago_por_dispositivo(eventos, clientes):
    return {{"móvil": 50.0, "computadora": 100.0}} if len(clientes) < 10 else {k["dispositivo"]!r}""",
    )
    _responder(
        m6,
        "m6_respuesta_cierre",
        f"""
def tasas_de_cierre(eventos):
    return (50.0, 100 / 3) if len(eventos) < 20 else {k["cierre"]!r}""",
    )
    _entregar(curso, "fijo", "m6_casos", m6)

    # (e) right answers, but test cells deleted or edited, and read-only cells deleted
    m3 = _leer(fuente, "m3_mapeo")
    _responder(m3, "m3_prueba_persona", "print('aprobado')")
    _entregar(
        curso,
        "borra",
        "m3_mapeo",
        _borrar(m3, "m3_prueba_segmentos", "m3_prueba_mapa_etapas", "m3_formulario_mapa", "m3_preparacion"),
    )
    _entregar(
        curso,
        "borra",
        "m5_medicion",
        _borrar(_leer(fuente, "m5_medicion"), "m5_prueba_conversion_otros_datos", "m5_prueba_nps"),
    )
    # ... and the same tampering cannot turn an empty answer into points
    tramposo = _leer(version, "m3_mapeo")
    for celda in tramposo.cells:
        if celda.metadata.get("nbgrader", {}).get("grade"):
            celda.source = "pass"
    _entregar(curso, "tramposo", "m3_mapeo", _borrar(tramposo, "m3_prueba_mapa"))

    preparado = time.perf_counter()
    calificacion = _nbgrader(curso, "autograde", "*", "--student=*", "--force")
    (curso / "autograde.log").write_text(calificacion.stdout + calificacion.stderr, encoding="utf-8")
    calificado = time.perf_counter()
    _nbgrader(curso, "generate_feedback", "*", "--student=*", "--force")
    _nbgrader(curso, "export", "--to", str(curso / "notas.csv"))
    fin = time.perf_counter()
    print(
        f"\nRound trip: preparación {preparado - inicio:.1f} s, autograde {calificado - preparado:.1f} s, "
        f"retroalimentación y exportación {fin - calificado:.1f} s, total {fin - inicio:.1f} s"
    )
    return SimpleNamespace(raiz=curso, log=calificacion.stdout + calificacion.stderr)


# --- reading the gradebook ---------------------------------------------------------------------


def _notas(curso, alumno: str, asignacion: str) -> dict[str, float]:
    """grade_id -> auto score of every auto-graded test cell of a submission."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{curso.raiz / 'gradebook.db'}") as gb:
        envio = gb.find_submission_notebook(CUADERNO[asignacion], asignacion, alumno)
        return {g.name: g.auto_score for g in envio.grades if g.cell.cell_type == "code"}


def _errores(curso, alumno: str, asignacion: str) -> str:
    """The errors in the autograded notebook, to explain a failing comparison."""
    ruta = curso.raiz / "autograded" / alumno / asignacion / f"{CUADERNO[asignacion]}.ipynb"
    lineas = []
    for celda in nbformat.read(str(ruta), as_version=4).cells:
        for salida in celda.get("outputs", []):
            if salida.output_type == "error" or (salida.output_type == "stream" and salida.name == "stderr"):
                detalle = f"{salida.get('ename', 'stderr')}: {salida.get('evalue', salida.get('text', ''))}"
                lineas.append(f"{celda.metadata.get('nbgrader', {}).get('grade_id', '-')}: {detalle[:300]}")
    return "\n".join(lineas)


def _maximos(curso, asignacion: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{curso.raiz / 'gradebook.db'}") as gb:
        nb = gb.find_notebook(CUADERNO[asignacion], asignacion)
        return {c.name: c.max_score for c in nb.grade_cells if c.cell_type == "code"}


TODAS = [a.clave for a in ASIGNACIONES]


# --- the tests ---------------------------------------------------------------------------------


@pytest.mark.parametrize("asignacion", TODAS)
def test_las_soluciones_sacan_la_nota_completa(curso, asignacion):
    assert _notas(curso, "solucion", asignacion) == _maximos(curso, asignacion), _errores(
        curso, "solucion", asignacion
    )


@pytest.mark.parametrize("asignacion", TODAS)
def test_la_version_sin_tocar_saca_cero_sin_fallar(curso, asignacion):
    notas = _notas(curso, "vacio", asignacion)
    assert notas and all(v == 0 for v in notas.values()), notas
    calificado = curso.raiz / "autograded" / "vacio" / asignacion / f"{CUADERNO[asignacion]}.ipynb"
    assert calificado.is_file(), "nbgrader no escribió el cuaderno calificado: algo falló"


def test_las_respuestas_de_la_fuente_no_viajan(curso):
    assert not (curso.raiz / "exercises" / "m3_mapeo" / "respuestas").exists()
    assert not (curso.raiz / "autograded" / "vacio" / "m3_mapeo" / "respuestas").exists()
    assert _notas(curso, "vacio", "m3_mapeo")["m3_prueba_persona_rasgos"] == 0


def test_respuestas_a_medias_dan_puntos_parciales(curso):
    m1 = _notas(curso, "parcial", "m1_introduccion")
    assert m1 == {"m1_prueba_conceptos": 3.0, "m1_prueba_componentes": 5.0}
    m3 = _notas(curso, "parcial", "m3_mapeo")
    assert m3 == {
        "m3_prueba_segmentos_completos": 2.0,  # "Jubilados" has one trait only
        "m3_prueba_segmentos": 0.0,
        "m3_prueba_persona_rasgos": 2.4,  # 4 of the 5 traits asked: 3 × 4/5
        "m3_prueba_persona_segmento": 0.0,  # "Otro segmento" is not one of the student's segments
        "m3_prueba_persona": 0.0,
        "m3_prueba_mapa_etapas": 4.0,  # 4 of 6 stages
        "m3_prueba_mapa_dolor": 1.0,
        "m3_prueba_mapa": 0.0,
        "m3_prueba_citas": 2.0,  # 4 of the 6 quotes in the right lane: 0.5 each
    }
    m4 = _notas(curso, "parcial", "m4_optimizacion")
    assert m4["m4_prueba_automatico"] == 0  # the first visible example catches the wrong order
    assert 0 < m4["m4_prueba_automatico_casos"] < 2  # partial credit: some random cases are still right
    assert m4["m4_prueba_correo"] == 3 and m4["m4_prueba_tacticas"] == 3


def test_los_numeros_fijos_no_pasan_las_pruebas_ocultas(curso):
    m5 = _notas(curso, "fijo", "m5_medicion")
    m6 = _notas(curso, "fijo", "m6_casos")
    # The small visible examples pass (the student special-cased them) ...
    assert m5["m5_prueba_conversion"] == m5["m5_prueba_nps"] == m5["m5_prueba_retencion"] == 2
    assert m6["m6_prueba_dispositivo"] == m6["m6_prueba_cierre"] == 2
    # ... but fresh data with another seed does not.
    for oculta in (
        "m5_prueba_conversion_otros_datos",
        "m5_prueba_nps_otros_datos",
        "m5_prueba_retencion_otros_datos",
    ):
        assert m5[oculta] == 0, oculta
    assert m6["m6_prueba_dispositivo_otros_datos"] == m6["m6_prueba_cierre_otros_datos"] == 0


@pytest.mark.parametrize("asignacion", ["m3_mapeo", "m5_medicion"])
def test_las_pruebas_borradas_o_editadas_se_restauran(curso, asignacion):
    assert _notas(curso, "borra", asignacion) == _maximos(curso, asignacion), _errores(
        curso, "borra", asignacion
    )
    calificado = nbformat.read(
        str(curso.raiz / "autograded" / "borra" / asignacion / f"{CUADERNO[asignacion]}.ipynb"), as_version=4
    )
    ids = [c.metadata.get("nbgrader", {}).get("grade_id") for c in calificado.cells]
    fuente = [
        c.metadata.get("nbgrader", {}).get("grade_id")
        for c in _leer(curso.raiz / "solutions", asignacion).cells
    ]
    assert [i for i in ids if i] == [i for i in fuente if i], "las celdas restauradas no quedaron en su sitio"


def test_editar_o_borrar_pruebas_no_regala_puntos(curso):
    notas = _notas(curso, "tramposo", "m3_mapeo")
    assert notas and all(v == 0 for v in notas.values()), notas


@pytest.mark.parametrize("asignacion", TODAS)
def test_las_respuestas_de_los_formularios_se_califican(curso, asignacion):
    esperado = {k: (0.0 if k in PRUEBAS_DE_FUNCIONES else v) for k, v in _maximos(curso, asignacion).items()}
    assert _notas(curso, "formularios", asignacion) == esperado, _errores(curso, "formularios", asignacion)


def test_la_retroalimentacion_esta_en_espanol_y_sin_pruebas_ocultas(curso):
    carpeta = curso.raiz / "feedback"
    # One report per graded notebook (the final project's feedback also carries the student's mi_plan.html).
    informes = sorted(p for p in carpeta.glob("*/*/*.html") if p.stem == CUADERNO[p.parent.name])
    assert len(informes) == len(list((curso.raiz / "autograded").glob("*/*/*.ipynb")))
    for informe in informes:
        html = informe.read_text(encoding="utf-8")
        assert "Puntos:" in html and "Score:" not in html and 'lang="es"' in html, informe
    fugas = [f for f in buscar_fugas([carpeta], raiz=curso.raiz) if f.archivo.suffix == ".html"]
    # No hidden test, ever. Solution code only where the student wrote it: the "vacio" student did not
    # (the others submitted the solutions themselves, by hand or through the forms).
    ocultas = [f for f in fugas if "oculta" in f.motivo or "HIDDEN" in f.texto]
    assert not ocultas, "\n".join(map(str, ocultas[:5]))
    del_vacio = [f for f in fugas if f.archivo.relative_to(carpeta).parts[0] == "vacio"]
    assert not del_vacio, "\n".join(map(str, del_vacio[:5]))
    # A failing hidden test still tells the student why, in Spanish, without its code.
    fijo = (curso.raiz / "feedback" / "fijo" / "m5_medicion" / "ejercicios_m5.html").read_text(
        encoding="utf-8"
    )
    assert "Con otros datos tu función da" in fijo
    restaurado = (curso.raiz / "feedback" / "borra" / "m3_mapeo" / "ejercicios_m3.html").read_text(
        encoding="utf-8"
    )
    assert "se restauró para calificarla" in restaurado


def test_la_exportacion_a_csv_tiene_las_notas(curso):
    with open(curso.raiz / "notas.csv", encoding="utf-8") as archivo:
        filas = list(csv.DictReader(archivo))
    por_clave = {(f["student_id"], f["assignment"]): f for f in filas}
    completa = por_clave[("solucion", "m5_medicion")]
    assert float(completa["raw_score"]) == sum(_maximos(curso, "m5_medicion").values())
    assert float(por_clave[("vacio", "m1_introduccion")]["raw_score"]) == 0
    assert float(completa["max_score"]) > float(completa["raw_score"])  # the reflection is graded by hand
