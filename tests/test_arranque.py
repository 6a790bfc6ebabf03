"""`import cj_course` is light: matplotlib, ipywidgets and nbgrader load only when something needs them.

Each check runs in a fresh interpreter and reads ``sys.modules``: the test process itself has long
imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PESADOS = ("matplotlib", "ipywidgets", "nbgrader", "pandas")


def _modulos_tras(codigo: str) -> dict[str, bool]:
    programa = (
        f"import sys\n{codigo}\nimport json\n"
        f"print(json.dumps({{m: m in sys.modules for m in {list(PESADOS)!r}}}))"
    )
    salida = subprocess.run(
        [sys.executable, "-c", programa], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(salida.stdout.strip().splitlines()[-1])


def test_importar_el_paquete_no_carga_nada_pesado():
    cargados = _modulos_tras("import cj_course")
    assert cargados == dict.fromkeys(PESADOS, False), cargados


def test_el_modelo_y_la_validacion_no_necesitan_pandas():
    cargados = _modulos_tras("import cj_course as cj\nassert cj.validar(cj.mapa_ejemplo()).ok")
    assert not any(cargados.values()), cargados


def test_una_metrica_carga_pandas_pero_no_graficos_ni_formularios():
    cargados = _modulos_tras("import cj_course as cj\nassert cj.nps([10, 9, 3]) > 0")
    assert cargados["pandas"]
    assert not cargados["matplotlib"] and not cargados["ipywidgets"] and not cargados["nbgrader"]


def test_importar_datos_no_carga_matplotlib():
    cargados = _modulos_tras(
        "from cj_course.datos import importar, muestras\nimportar(muestras.ruta('ga4_eventos.csv'))"
    )
    assert not cargados["matplotlib"] and not cargados["ipywidgets"]


def test_un_grafico_carga_matplotlib_al_usarlo():
    cargados = _modulos_tras("import cj_course as cj\ncj.dibujar_nps")
    assert cargados["matplotlib"]


def test_importacion_con_asterisco_da_los_mismos_nombres_que_all():
    codigo = (
        "import cj_course\nns = {}\nexec('from cj_course import *', ns)\n"
        "faltan = sorted(set(cj_course.__all__) - set(ns))\nassert not faltan, faltan\n"
        "assert callable(ns['embudo']) and callable(ns['importar']) and ns['widgets'].__name__ == 'cj_course.widgets'"
    )
    _modulos_tras(codigo)


@pytest.mark.parametrize(
    "nombre", ["embudo", "cargar_datos", "dibujar_mapa", "importar", "widgets", "metricas"]
)
def test_cada_nombre_perezoso_existe(nombre):
    import cj_course

    assert getattr(cj_course, nombre) is not None
    assert nombre in dir(cj_course)


def test_un_nombre_que_no_existe_da_attribute_error():
    import cj_course

    with pytest.raises(AttributeError, match="no_existe"):
        cj_course.no_existe  # noqa: B018
