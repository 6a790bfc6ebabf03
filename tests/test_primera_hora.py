"""La primera hora del estudiante en un núcleo real: los fallos esperados se ven en un recuadro corto en
español, sin rastreo, pero siguen siendo salidas de error (nbgrader las cuenta como fallidas)."""

from __future__ import annotations

import re
import textwrap

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

PREPARACION = "from cj_course.mensajes import activar_mensajes_del_curso\nactivar_mensajes_del_curso()"


def _ejecutar(*celdas: str, permitir_errores: bool = True) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(textwrap.dedent(c).strip()) for c in (PREPARACION, *celdas)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    NotebookClient(nb, timeout=120, allow_errors=permitir_errores, kernel_name="python3").execute()
    return nb


def _error(celda) -> dict:
    errores = [s for s in celda.outputs if s.output_type == "error"]
    assert len(errores) == 1, celda.outputs
    return errores[0]


def _sin_rastreo(error: dict) -> str:
    texto = "\n".join(error["traceback"])
    assert "Traceback" not in texto
    assert ".py" not in texto and "File " not in texto and "site-packages" not in texto
    assert len(error["traceback"]) <= 4
    return texto


@pytest.fixture(scope="module")
def cuaderno():
    return _ejecutar(
        'assert 1 + 1 == 3, "La persona necesita al menos 5 características; tiene 4."',
        'from cj_course import Persona\nPersona("María", edad="veintiocho")',
        """
        def calcular_nps(respuestas):
            raise NotImplementedError("Completa la función calcular_nps y borra esta línea.")
        calcular_nps([10, 9])
        """,
        """
        def tasa(x):
            raise NotImplementedError()
        tasa(1)
        """,
        "1 / 0",
        'print("la última celda también se ejecuta")',
    )


def test_una_comprobacion_que_falla_es_un_recuadro_en_espanol_y_sigue_siendo_error(cuaderno):
    error = _error(cuaderno.cells[1])
    assert error["ename"] == "AssertionError"  # what nbgrader and the grader read
    texto = _sin_rastreo(error)
    assert "La comprobación no pasó" in texto
    assert "tiene 4" in texto


def test_un_constructor_que_rechaza_un_dato_no_muestra_el_interior_de_la_biblioteca(cuaderno):
    error = _error(cuaderno.cells[2])
    assert error["ename"] == "ErrorCurso"
    texto = _sin_rastreo(error)
    assert "modelo" not in texto
    assert "Hay un dato que corregir" in texto and "edad" in texto.lower()


def test_una_funcion_sin_terminar_lo_dice_en_espanol(cuaderno):
    texto = _sin_rastreo(_error(cuaderno.cells[3]))
    assert "todavía está por escribir" in texto and "calcular_nps" in texto
    # without a message of its own, the function is still named
    assert "Completa la función tasa" in _sin_rastreo(_error(cuaderno.cells[4]))


def test_los_errores_inesperados_conservan_su_rastreo(cuaderno):
    error = _error(cuaderno.cells[5])
    assert error["ename"] == "ZeroDivisionError"
    assert len(error["traceback"]) > 1


def test_el_nucleo_sigue_informando_el_fallo_a_quien_ejecuta():
    # The kernel's execute_reply is still an error: "Run all" stops here unless the cell is tagged
    # raises-exception, and nbclient (nbgrader) records it as a failure.
    with pytest.raises(CellExecutionError):
        _ejecutar('assert False, "no"', permitir_errores=False)


@pytest.mark.parametrize(
    "formulario, constructor",
    [
        ("FormularioMapa", "MapaDeViaje(...)"),
        ("FormularioPersona", "Persona(...)"),
        ("FormularioSegmentos", "Segmentacion(...)"),
        ("FormularioCorreo", "CorreoBienvenida(...)"),
    ],
)
def test_cada_formulario_vacio_nombra_su_propio_constructor(tmp_path, formulario, constructor):
    from cj_course import widgets

    clase = getattr(widgets, formulario)
    texto = clase("prueba_vacia", carpeta=tmp_path)._informe_de(None).texto()
    assert constructor in texto
    assert constructor == "Persona(...)" or "Persona(" not in texto


def test_los_mensajes_nombran_la_pregunta_por_su_numero_no_por_su_clave():
    from cj_course import validar
    from cj_course.modelo import RespuestasCuestionario

    texto = validar(RespuestasCuestionario({"p1": "A"}), ["p1", "i2", "p3"]).texto()
    assert "Pregunta 2" in texto and "Pregunta 3" in texto
    assert "«i2»" not in texto and "i2" not in texto


def test_un_marcador_que_no_existe_no_lleva_visto_y_una_errata_sugiere_el_bueno():
    from cj_course import CorreoBienvenida, validar

    correo = CorreoBienvenida(
        asunto="Hola, {nombre}",
        cuerpo="Te esperamos en {cuidad} y en {tienda} con {oferta}.",
        oferta="10 % de descuento",
    )
    informe = validar(correo)
    texto = informe.texto()
    assert not informe.ok
    assert "✔ El correo se personaliza con {nombre}." in texto  # {cuidad}, {tienda} personalise nothing
    assert "¿quisiste decir {ciudad}?" in texto
    assert "El marcador {tienda} no existe: no es un dato de los clientes." in texto
    assert "Todos los marcadores se rellenan" not in texto


def test_las_tacticas_se_cuentan_como_tacticas():
    from cj_course.widgets import FormularioClasificacion

    formulario = FormularioClasificacion(
        "prueba_tacticas",
        ["Videos en TikTok", "Pago en un clic"],
        elementos=("táctica", "tácticas"),
        carpeta=None,
    )
    texto = formulario._informe_de(None).texto()
    assert "Clasificaste 0 de 2 tácticas" in texto and "punto" not in texto


def test_las_plantillas_de_correo_concuerdan_con_cualquier_producto():
    from cj_course import CLIENTES_DE_EJEMPLO, CorreoBienvenida
    from cj_course.widgets.correo import PLANTILLAS

    for asunto, cuerpo, _accion in PLANTILLAS.values():
        for cliente in CLIENTES_DE_EJEMPLO:
            texto = CorreoBienvenida(asunto, cuerpo, oferta="un regalo").renderizar(cliente)[1]
            assert not re.search(r"\blos (zapatillas|botas|sandalias|botines)\b", texto), texto


def test_el_formulario_de_persona_no_dice_todo_en_orden_si_el_segmento_no_es_tuyo(tmp_path):
    from cj_course import Segmentacion, Segmento
    from cj_course.widgets import FormularioPersona

    tuyos = Segmentacion(
        [
            Segmento("Profesionistas urbanas", ["25-35 años", "oficina"]),
            Segmento("Estudiantes", ["18-24 años", "presupuesto justo"]),
            Segmento("Mamás activas", ["30-45 años", "poco tiempo"]),
        ]
    )
    formulario = FormularioPersona("m3_persona", segmentos=tuyos, carpeta=tmp_path)
    for campo, valor in {
        "nombre": "María",
        "edad": "28",
        "ocupacion": "Ingeniera",
        "ubicacion": "Guadalajara",
        "intereses": "tecnología",
        "objetivos": "verse bien",
        "segmento": "Deportistas",
    }.items():
        formulario.controles[campo].value = valor
    assert "¡Todo en orden!" not in formulario._informe.value
    assert "que no está entre tus segmentos" in formulario._informe.value
    formulario.controles["segmento"].value = "profesionistas  urbanas"
    assert "¡Todo en orden!" in formulario._informe.value


def test_una_edad_en_palabras_no_cuenta_ni_en_el_formulario_ni_en_la_comprobacion(tmp_path):
    from cj_course import afirmar_valido
    from cj_course.widgets import FormularioPersona

    formulario = FormularioPersona("m3_persona", carpeta=tmp_path)
    for campo, valor in {
        "nombre": "María",
        "edad": "veintiocho",
        "ocupacion": "Ingeniera",
        "ubicacion": "Guadalajara",
        "intereses": "tecnología",
        "objetivos": "verse bien",
    }.items():
        formulario.controles[campo].value = valor
    assert "¡Todo en orden!" not in formulario._informe.value
    assert "no es un número de años válido" in formulario._informe.value
    with pytest.raises(AssertionError, match="4 características"):
        afirmar_valido(formulario.respuesta)


def test_las_tablas_del_cuaderno_llevan_coma_decimal_como_las_figuras():
    nb = _ejecutar("""
        import pandas as pd
        from cj_course.tablas import activar_formato_de_tablas
        activar_formato_de_tablas()
        pd.DataFrame({"paso": ["visita_web", "ver_producto"], "clientes": [16704, 14226],
                      "conversion_paso": [100.0, 85.165230], "importe_medio": [899.5, 1234.25]})
        """)
    html = nb.cells[1].outputs[0]["data"]["text/html"]
    assert "85,2 %" in html and "100,0 %" in html
    assert "16\u202f704" in html and "1234,2" in html  # thin space from five digits on, as in the figures
    assert "85.165230" not in html and "85.16" not in html


def test_una_tabla_rara_se_muestra_sin_romper_la_celda():
    """Columnas numeradas (una matriz de cohortes), repetidas o de varios niveles: la celda nunca falla."""
    nb = _ejecutar("""
        import pandas as pd
        from cj_course.tablas import activar_formato_de_tablas
        activar_formato_de_tablas()
        display(pd.DataFrame([[1, 2.5], [3, 4.25]]))
        display(pd.DataFrame([[1, 2]], columns=["a", "a"]))
        pd.DataFrame({("x", "tasa"): [85.16523]})
        """)
    salidas = nb.cells[1].outputs
    assert [s["output_type"] for s in salidas] == ["display_data", "display_data", "execute_result"]
    assert "2,5" in salidas[0]["data"]["text/html"]
