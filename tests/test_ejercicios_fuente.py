"""La forma de los cuadernos fuente (``solutions/``), de su versión para estudiantes y de la configuración.

Reglas que un instructor puede romper sin darse cuenta al editar un cuaderno fuente: cada ejercicio
calificable con su solución entre marcadores, pruebas bloqueadas, pruebas ocultas, una reflexión
calificada a mano, los formularios declarados en :data:`cj_course.ejercicios.ASIGNACIONES`...
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest
from traitlets.config.loader import PyFileConfigLoader

from cj_course import ErrorCurso
from cj_course.calificacion.correcciones import OcultarPruebasOcultas, RestaurarCeldas
from cj_course.calificacion.generar import ASIGNACIONES, archivos_de_respuesta, generar, normalizar_cuaderno
from cj_course.cli import app

RAIZ = Path(__file__).resolve().parent.parent
POR_CLAVE = {a.clave: a for a in ASIGNACIONES}
ENUNCIADOS_DEL_CURSO = {  # the seed's exercises, quoted in the notebooks
    "m3_mapeo": [
        "Identifica tres segmentos de clientes para tu negocio",
        "Incluye al menos cinco características clave",
        "Incluye al menos una interacción en cada etapa del journey",
    ],
    "m4_optimizacion": [
        "Diseña un correo de bienvenida personalizado para nuevos clientes",
        "Incluye una oferta especial o incentivo",
    ],
    "m5_medicion": [
        "Selecciona tres métricas clave para tu negocio",
        "Describe cómo medirás cada métrica y qué herramientas utilizarás",
    ],
}


def _cuaderno(carpeta: str, asignacion) -> nbformat.NotebookNode:
    return nbformat.read(
        str(RAIZ / carpeta / asignacion.clave / f"{asignacion.cuaderno}.ipynb"), as_version=4
    )


def _meta(celda) -> dict:
    return celda.metadata.get("nbgrader", {})


def test_hay_una_tarea_por_modulo_y_nada_mas():
    # One per module and, closing module 6, the final project (m6_proyecto).
    assert [a.clave[:2] for a in ASIGNACIONES] == ["m1", "m2", "m3", "m4", "m5", "m6", "m6"]
    for carpeta in ("solutions", "exercises"):
        archivos = sorted(
            str(p.relative_to(RAIZ / carpeta)) for p in (RAIZ / carpeta).rglob("*") if p.is_file()
        )
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
            assert celda.outputs == [] and celda.execution_count is None, (
                "los cuadernos se guardan sin salidas"
            )
    respuestas = [c for c in celdas if _meta(c)["solution"] and c.cell_type == "code"]
    pruebas = [c for c in celdas if _meta(c)["grade"] and not _meta(c)["solution"]]
    reflexiones = [
        c for c in celdas if _meta(c)["grade"] and _meta(c)["solution"] and c.cell_type == "markdown"
    ]
    assert respuestas and pruebas and len(reflexiones) == 1
    for celda in respuestas:
        assert "### BEGIN SOLUTION" in celda.source and "### END SOLUTION" in celda.source, _meta(celda)[
            "grade_id"
        ]
        if celda.source.lstrip().startswith("def "):
            # The release keeps the `def` line and a Spanish NotImplementedError after the solution region.
            final = celda.source.split("### END SOLUTION")[1]
            assert re.search(r'raise NotImplementedError\("Completa la función \w+', final), _meta(celda)[
                "grade_id"
            ]
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
        f"respuestas/{f}{ext}" for f in asignacion.formularios for ext in (".json", ".borrador.json")
    ]


@pytest.mark.parametrize("clave", ENUNCIADOS_DEL_CURSO)
def test_los_ejercicios_citan_el_enunciado_del_curso(clave):
    fuentes = (
        re.sub(r"^>\s?", "", c.source, flags=re.M) for c in _cuaderno("exercises", POR_CLAVE[clave]).cells
    )
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
            # Form answers keep reading the form (the final project, the saved project); function stubs
            # still define the function.
            assert re.search(
                r"^\w+ = (formulario_\w+\.respuesta|proyecto_guardado if .*)$", celda.source, re.M
            ) or celda.source.startswith("def ")


def test_la_configuracion_de_nbgrader():
    c = PyFileConfigLoader("nbgrader_config.py", path=str(RAIZ)).load_config()
    assert c.CourseDirectory.root == str(RAIZ)
    assert (c.CourseDirectory.source_directory, c.CourseDirectory.release_directory) == (
        "solutions",
        "exercises",
    )
    assert c.ClearSolutions.code_stub == {"python": "# Escribe aquí tu respuesta"}
    assert c.Execute.timeout >= 30
    ignoradas = [p for p in c.CourseDirectory.ignore if "respuestas" in p]
    assert ignoradas and all(Path(p).is_absolute() and "solutions" in p for p in ignoradas), (
        "un patrón relativo como 'respuestas' también dejaría fuera las respuestas de los estudiantes"
    )
    assert c.Autograde.exclude_overwriting == archivos_de_respuesta()
    assert RestaurarCeldas in c.Autograde.sanitize_preprocessors
    assert OcultarPruebasOcultas in c.GenerateFeedback.preprocessors


def test_normalizar_quita_lo_volatil():
    nb = nbformat.v4.new_notebook(
        metadata={"widgets": {"estado": 1}, "kernelspec": {"name": "otro", "display_name": "Otro"}},
        cells=[
            nbformat.v4.new_code_cell(
                "1",
                execution_count=4,
                outputs=[nbformat.v4.new_output("stream", text="1")],
                metadata={
                    "execution": {"shell.execute_reply": "2026-01-01T00:00:00Z"},
                    "nbgrader": {"grade": False},
                    "editable": False,
                },
            ),
        ],
    )
    limpio = normalizar_cuaderno(nb)
    assert limpio.metadata["kernelspec"]["name"] == "python3" and "widgets" not in limpio.metadata
    assert dict(limpio.cells[0].metadata) == {"nbgrader": {"grade": False}, "editable": False}
    assert limpio.cells[0].outputs == [] and limpio.cells[0].execution_count is None


def test_errores_claros_al_generar(tmp_path):
    from typer.testing import CliRunner

    with pytest.raises(ErrorCurso, match="La tarea «m9» no existe en solutions/"):
        generar(tmp_path, asignaciones=["m9"])
    with pytest.raises(ErrorCurso, match="no parece la carpeta del curso"):
        generar(tmp_path, raiz=tmp_path)
    resultado = CliRunner().invoke(app, ["generar", "--curso", str(RAIZ), "--destino", str(tmp_path), "m9"])
    assert resultado.exit_code == 2
    assert "La tarea «m9» no existe" in resultado.output


# --- code exercises test what they teach (issue 13, item 3) --------------------------------------

# Function exercise -> the cj_course functions that compute its metric (not allowed there).
FUNCIONES_PROHIBIDAS = {
    ("m5_medicion", "m5_respuesta_conversion"): ("tasa_conversion", "embudo"),
    ("m5_medicion", "m5_respuesta_nps"): ("nps", "nps_intervalo"),
    ("m5_medicion", "m5_respuesta_retencion"): ("tasa_retencion", "tasa_abandono"),
    ("m5_medicion", "m5_respuesta_sen"): ("clientes_activos", "tasa_retencion"),
    ("m6_casos", "m6_respuesta_dispositivo"): ("tasa_conversion", "embudo"),
    ("m6_casos", "m6_respuesta_cierre"): ("tasa_conversion", "embudo"),
}


def _indice(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if _meta(c).get("grade_id") == grade_id)


def _ejecutar(fuente: str, espacio: dict):
    """Runs a cell's source like a kernel does: the value of its last expression (or None)."""
    arbol = ast.parse(fuente)
    final = arbol.body.pop() if arbol.body and isinstance(arbol.body[-1], ast.Expr) else None
    exec(compile(arbol, "<celda>", "exec"), espacio)
    if final is not None:
        return eval(compile(ast.Expression(final.value), "<celda>", "eval"), espacio)
    return None


def test_ningun_cuaderno_de_funciones_importa_todo_cj_course():
    for clave in ("m5_medicion", "m6_casos"):
        for carpeta in ("solutions", "exercises"):
            texto = "\n".join(
                c.source for c in _cuaderno(carpeta, POR_CLAVE[clave]).cells if c.cell_type == "code"
            )
            assert not re.search(r"^\s*from cj_course(\.\w+)* import \*", texto, re.M), (clave, carpeta)


@pytest.mark.parametrize(("clave", "grade_id"), list(FUNCIONES_PROHIBIDAS), ids=lambda v: v)
def test_las_funciones_de_la_metrica_no_estan_a_mano(clave, grade_id, tmp_path, monkeypatch):
    """Everything a student runs before the exercise leaves no library metric under a bare name."""
    from cj_course import metricas

    monkeypatch.chdir(tmp_path)  # the form cells read respuestas/ from here
    nb = _cuaderno("solutions", POR_CLAVE[clave])
    espacio: dict = {}
    for celda in nb.cells[: _indice(nb, grade_id)]:
        if celda.cell_type == "code" and not _meta(celda).get("solution") and not _meta(celda).get("grade"):
            _ejecutar(celda.source, espacio)
    assert "pd" in espacio and espacio, "la preparación no se ejecutó"
    prohibidas = [getattr(metricas, n) for n in FUNCIONES_PROHIBIDAS[(clave, grade_id)]]
    a_mano = sorted(n for n, v in espacio.items() if any(v is f for f in prohibidas))
    assert not a_mano, f"{grade_id}: {a_mano} se pueden llamar sin importarlas"


@pytest.mark.parametrize(("clave", "grade_id"), list(FUNCIONES_PROHIBIDAS), ids=lambda v: v)
def test_cada_funcion_dice_que_no_se_usa_la_biblioteca_y_trae_pasos(clave, grade_id):
    nb = _cuaderno("exercises", POR_CLAVE[clave])
    i = _indice(nb, grade_id)
    enunciado = next(c.source for c in reversed(nb.cells[:i]) if c.cell_type == "markdown")
    stub = nb.cells[i].source
    for nombre in FUNCIONES_PROHIBIDAS[(clave, grade_id)]:
        assert f"`{nombre}`" in enunciado and nombre in stub, (grade_id, nombre)
    assert (
        "**Regla de este ejercicio:** no llames a" in enunciado
        and "la nota tiene que reflejar" in enunciado.lower()
    )
    # Steps with blanks, before the line the student replaces.
    pasos = stub.split("# Escribe aquí tu respuesta")[0]
    assert "# Pasos" in pasos and pasos.count("___") >= 2 and re.search(r"# 2\. ", pasos), grade_id


# A beginner who follows the steps of each stub (sets of customers, no time order).
SIGUIENDO_LOS_PASOS = {
    "m5_medicion": """
def tasa_conversion_carrito(eventos):
    carrito = set(eventos.loc[eventos["evento"] == "agregar_carrito", "cliente_id"])
    compraron = set(eventos.loc[eventos["evento"] == "compra", "cliente_id"])
    ambas = carrito & compraron
    return 100 * len(ambas) / len(carrito)

def calcular_nps(puntuaciones):
    total = len(puntuaciones)
    n_promotores = (puntuaciones >= 9).sum()
    n_detractores = (puntuaciones <= 6).sum()
    return 100 * (n_promotores - n_detractores) / total

def tasa_retencion_clasica(inicio, fin, nuevos):
    siguen = fin - nuevos
    return 100 * siguen / inicio
""",
    "m6_casos": """
def conversion_pago_por_dispositivo(eventos, clientes):
    con_dispositivo = eventos.merge(clientes[["cliente_id", "dispositivo"]], on="cliente_id")
    tasas = {}
    for dispositivo, suyos in con_dispositivo.groupby("dispositivo", observed=True):
        pagaron = set(suyos.loc[suyos["evento"] == "inicio_pago", "cliente_id"])
        compraron = set(suyos.loc[suyos["evento"] == "compra", "cliente_id"])
        tasas[str(dispositivo)] = 100 * len(pagaron & compraron) / len(pagaron)
    return tasas

def tasas_de_cierre(eventos):
    con_demo = set(eventos.loc[eventos["evento"] == "demo", "cliente_id"])
    probaron = set(eventos.loc[eventos["evento"] == "prueba_gratuita", "cliente_id"])
    firmaron = set(eventos.loc[eventos["evento"] == "contrato", "cliente_id"])
    con = con_demo & probaron
    sin = con_demo - probaron
    con_prueba = 100 * len(con & firmaron) / len(con)
    sin_prueba = 100 * len(sin & firmaron) / len(sin)
    return con_prueba, sin_prueba
""",
}


def _pruebas_de(nb, nombres: set[str]) -> list:
    return [
        c
        for c in nb.cells
        if _meta(c).get("grade")
        and not _meta(c).get("solution")
        and any(re.search(rf"\b{n}\(", c.source) for n in nombres)
    ]


@pytest.mark.parametrize("clave", list(SIGUIENDO_LOS_PASOS))
def test_quien_sigue_los_pasos_pasa_todas_las_pruebas(clave, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    nb = _cuaderno("solutions", POR_CLAVE[clave])
    espacio: dict = {}
    _ejecutar(
        next(c.source for c in nb.cells if _meta(c).get("grade_id", "").endswith("_preparacion")), espacio
    )
    antes = set(espacio)
    exec(SIGUIENDO_LOS_PASOS[clave], espacio)
    pruebas = _pruebas_de(nb, set(espacio) - antes)
    assert len(pruebas) == 2 * (len(set(espacio) - antes)), "una prueba visible y una oculta por función"
    for celda in pruebas:  # the full source: visible checks and hidden tests
        _ejecutar(celda.source, espacio)


# --- hidden tests do not reveal the expected value (issue 13, item 6) -----------------------------

FUNCIONES_ERRONEAS = {  # a wrong answer of the right type for each function exercise
    "tasa_conversion_carrito": "lambda eventos: 12.345",
    "calcular_nps": "lambda puntuaciones: 12.345",
    "tasa_retencion_clasica": "lambda inicio, fin, nuevos: 12.345",
    "conversion_pago_por_dispositivo": "lambda eventos, clientes: {'móvil': 12.345, 'computadora': 12.345}",
    "tasas_de_cierre": "lambda eventos: (12.345, 12.345)",
}


def _formas(valor: float) -> set[str]:
    """How a number could be printed in a message (dot or comma decimals)."""
    formas = {f"{valor:.1f}", f"{valor:.2f}", f"{valor:.3f}", repr(valor), f"{valor:g}"}
    formas |= {f.replace(".", ",") for f in formas}
    return {f for f in formas if len(f) >= 3 and not re.fullmatch(r"-?\d{1,3}", f)}


@pytest.mark.parametrize("funcion", list(FUNCIONES_ERRONEAS))
def test_las_pruebas_ocultas_no_dicen_el_valor_esperado(funcion, monkeypatch):
    import pandas as pd

    from cj_course import metricas

    referencias: list[float] = []
    for nombre in ("tasa_conversion", "nps", "tasa_retencion"):
        original = getattr(metricas, nombre)

        def anotada(*args, _original=original, **kwargs):
            valor = _original(*args, **kwargs)
            referencias.append(float(valor))
            return valor

        monkeypatch.setattr(metricas, nombre, anotada)
    ocultas = [
        c
        for a in ("m5_medicion", "m6_casos")
        for c in _cuaderno("solutions", POR_CLAVE[a]).cells
        if "### BEGIN HIDDEN TESTS" in c.source and re.search(rf"\b{funcion}\(", c.source)
    ]
    assert len(ocultas) == 1
    espacio = {"pd": pd, funcion: eval(FUNCIONES_ERRONEAS[funcion])}
    with pytest.raises(AssertionError) as fallo:
        _ejecutar(ocultas[0].source, espacio)
    mensaje = str(fallo.value)
    assert referencias and len(mensaje) > 60, "la prueba oculta debe comparar con la biblioteca y explicar"
    assert "Revisa" in mensaje or "revisa" in mensaje, mensaje  # says how to find the mistake
    reveladas = sorted({f for v in referencias for f in _formas(v) if f in mensaje})
    assert not reveladas, f"el mensaje revela {reveladas}: {mensaje}"


# --- a valid map scores full marks in every stage model (issue 13, item 6) ------------------------


def _mapa_valido(modelo: str):
    from cj_course import Interaccion, MapaDeViaje
    from cj_course.etapas import MODELOS

    etapas = MODELOS[modelo].etapas
    return MapaDeViaje(
        f"Entender el recorrido ({modelo})",
        modelo=modelo,
        interacciones=[
            Interaccion(
                e.clave,
                f"Canal de {e.nombre}",
                f"La clienta vive la etapa {e.nombre}",
                emocion=0,
                puntos_de_dolor=[f"Algo le frustra en {e.nombre}"] if n == 0 else [],
            )
            for n, e in enumerate(etapas)
        ],
    )


@pytest.mark.parametrize("modelo", ["clasico", "spark", "accion"])
@pytest.mark.parametrize(("clave", "variable"), [("m3_mapeo", "mapa"), ("m6_casos", "mapa_nubestock")])
def test_un_mapa_valido_saca_todos_los_puntos_en_cualquier_modelo(
    clave, variable, modelo, tmp_path, monkeypatch
):
    from cj_course import afirmar_valido

    monkeypatch.chdir(tmp_path)
    mapa = _mapa_valido(modelo)
    afirmar_valido(mapa)  # valid for the course's own checks: so it must not lose any point
    nb = _cuaderno("solutions", POR_CLAVE[clave])
    espacio: dict = {}
    for celda in nb.cells:  # setup and form cells, as the grader builds the namespace
        if celda.cell_type == "code" and _meta(celda).get("locked") and not _meta(celda).get("grade"):
            _ejecutar(celda.source, espacio)
    espacio[variable] = mapa
    pruebas = [
        c
        for c in nb.cells
        if _meta(c).get("grade")
        and c.cell_type == "code"
        and re.search(rf"\b{variable}\b", c.source)
        and not re.search(r"\bpersona\.", c.source)
    ]
    assert len(pruebas) >= 2
    for celda in pruebas:
        valor = _ejecutar(celda.source, espacio)
        if isinstance(valor, int | float):
            assert valor == _meta(celda)["points"], (_meta(celda)["grade_id"], valor)


@pytest.mark.parametrize("asignacion", ASIGNACIONES, ids=lambda a: a.clave)
def test_sin_respuesta_el_formulario_dice_por_que(asignacion):
    """Every check that needs an answer explains, through the form, why there is none (set aside, empty...)."""
    nb = _cuaderno("solutions", asignacion)
    formulario_de = {}
    for celda in nb.cells:
        if _meta(celda).get("solution") and celda.cell_type == "code":
            formulario_de.update(re.findall(r"^(\w+) = (formulario_\w+)\.respuesta$", celda.source, re.M))
    vistas = 0
    for celda in nb.cells:
        if not (_meta(celda).get("grade") and celda.cell_type == "code"):
            continue
        assert "Todavía no hay" not in celda.source, _meta(celda)["grade_id"]
        for nodo in ast.walk(ast.parse(celda.source)):
            prueba = getattr(nodo, "test", None)
            if not (
                isinstance(nodo, ast.Assert)
                and isinstance(prueba, ast.Compare)
                and isinstance(prueba.left, ast.Name)
                and isinstance(prueba.ops[0], ast.IsNot)
            ):
                continue
            variable, mensaje = prueba.left.id, ast.unparse(nodo.msg) if nodo.msg else ""
            assert variable in formulario_de, (_meta(celda)["grade_id"], variable)
            assert f"{formulario_de[variable]}.motivo_sin_respuesta" in mensaje, (
                _meta(celda)["grade_id"],
                mensaje,
            )
            vistas += 1
    assert vistas >= len(formulario_de), "cada respuesta de formulario tiene su comprobación"
