"""La parte de confianza del calificador: lo que sale del núcleo del estudiante se trata como datos.

Cualquier cosa que el núcleo publique (también basura, objetos anidados sin fin, números enormes) se
reconstruye sin error como un valor simple o un marcador; una función del estudiante solo «devuelve» lo que
devolvió en la caja con los mismos argumentos.
"""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cj_course import Persona
from cj_course.calificacion.arnes import a_datos
from cj_course.calificacion.calificar.confiable import (
    RespuestaFuncion,
    RespuestaNoValida,
    ValorDelEstudiante,
    desde_datos,
    huella,
    leer_exportaciones,
)

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda hijos: st.lists(hijos, max_size=4) | st.dictionaries(st.text(max_size=5), hijos, max_size=4),
    max_leaves=30,
)
SIMPLES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**62), max_value=2**62)
    | st.floats(allow_nan=False)
    | st.text(max_size=20),
    lambda hijos: (
        st.lists(hijos, max_size=4)
        | st.dictionaries(st.text(max_size=5), hijos, max_size=4)
        | st.tuples(hijos, hijos)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_cualquier_cosa_que_publique_el_nucleo_se_lee_sin_error(dato):
    desde_datos(dato)
    desde_datos({"t": "numpy", "dtype": dato if isinstance(dato, str) else "int64", "v": dato})
    desde_datos({"t": "modelo", "v": dato})
    leer_exportaciones(
        [
            dato,
            {"prueba": "p", "nombre": "x", "valor": dato},
            {"prueba": "p", "nombre": "f", "llamada": 0, "resultado": dato},
        ]
    )


@settings(max_examples=200, deadline=None)
@given(SIMPLES)
def test_los_datos_simples_van_y_vuelven_iguales(valor):
    assert desde_datos(a_datos(valor)) == valor


def test_los_objetos_del_curso_vuelven_como_objetos_del_curso_y_los_demas_no():
    persona = Persona("Ana", edad=30, ocupacion="Diseñadora")
    assert desde_datos(a_datos(persona)) == persona

    class Trampa(float):
        def __eq__(self, otro):
            return True

    for extrano in (Trampa(1.0), object(), np.array([1, 2])):
        reconstruido = desde_datos(a_datos(extrano))
        assert isinstance(reconstruido, ValorDelEstudiante)
        assert reconstruido != 1.0
    assert desde_datos({"t": "numpy", "dtype": "int64", "v": 10**30}).__class__ is ValorDelEstudiante
    assert math.isnan(desde_datos(a_datos(np.float64("nan"))))
    malo = desde_datos({"t": "modelo", "v": {"tipo": "Persona", "nombre": "Ana", "edad": "veinte"}})
    assert isinstance(malo, RespuestaNoValida) and "edad" in malo.mensaje


def _funcion(resultados: dict, *llamadas) -> RespuestaFuncion:
    return RespuestaFuncion(
        "calcular_nps", [huella(pickle.dumps((a, {}), protocol=4)) for a in llamadas], resultados
    )


def test_la_funcion_del_estudiante_solo_devuelve_lo_que_devolvio_en_la_caja():
    f = _funcion({0: {"t": "float", "v": 25.0, "metricas": [], "vigilado": True}}, ([10, 9, 8, 6],))
    assert f([10, 9, 8, 6]) == 25.0
    with pytest.raises(AssertionError, match="No se pudo comprobar calcular_nps"):
        f([1, 2, 3])  # an argument the grader never prepared


@pytest.mark.parametrize(
    ("resultado", "error", "mensaje"),
    [
        (
            {"t": "float", "v": 1.0, "metricas": ["nps"], "vigilado": True},
            AssertionError,
            "cj_course.metricas.nps",
        ),
        ({"t": "float", "v": 1.0, "metricas": [], "vigilado": False}, AssertionError, "sys.setprofile"),
        (
            {"t": "sin_hacer", "mensaje": "Completa la función", "metricas": []},
            NotImplementedError,
            "Completa",
        ),
        (
            {"t": "error", "clase": "ZeroDivisionError", "mensaje": "division by zero", "metricas": []},
            ZeroDivisionError,
            "dio un error",
        ),
        ({"t": "error", "clase": "SystemExit", "mensaje": "", "metricas": []}, RuntimeError, "dio un error"),
        (None, AssertionError, "no terminó a tiempo"),
    ],
)
def test_lo_que_hizo_la_funcion_en_la_caja_se_explica(resultado, error, mensaje):
    f = _funcion({} if resultado is None else {0: resultado}, ([1],))
    with pytest.raises(error, match=mensaje):
        f([1])
