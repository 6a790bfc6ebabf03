import json

import pytest

from cj_course import (
    CorreoBienvenida,
    ErrorCurso,
    Interaccion,
    MapaDeViaje,
    MetricaElegida,
    Persona,
    PlanDeMetricas,
    Segmentacion,
    Segmento,
    desde_json,
    mapa_ejemplo,
    persona_ejemplo,
)

EJEMPLOS = [
    Segmento(
        "Jóvenes",
        demograficos=["18-25 años"],
        psicograficos=["tecnología", "moda"],
        conductuales=["compra en móvil"],
    ),
    Segmentacion([Segmento("A", demograficos=["18-25"]), Segmento("B", psicograficos=["lujo"])]),
    persona_ejemplo(),
    Interaccion("decision", "Reseñas", "Lee reseñas", "¿Será buena?", -1, ["pocas fotos"], ["pedir fotos"]),
    mapa_ejemplo(),
    MapaDeViaje(
        objetivo="x",
        modelo="spark",
        interacciones=[Interaccion("entrega", "Mensajería", "Recibe el paquete")],
    ),
    CorreoBienvenida(
        "Hola {nombre}", "Usa {oferta}", oferta="10% de descuento", llamada_a_la_accion="Compra ya"
    ),
    MetricaElegida("NPS", como="encuesta 0-10", herramienta="Typeform"),
    PlanDeMetricas([MetricaElegida("Conversión", "compras/visitas", "Google Analytics")]),
]


@pytest.mark.parametrize("obj", EJEMPLOS, ids=lambda o: type(o).__name__)
def test_ida_y_vuelta_por_json(obj):
    texto = obj.a_json()
    datos = json.loads(texto)
    assert datos["tipo"] == type(obj).__name__ and datos["version"] == 1
    assert type(obj).desde_json(texto) == obj
    assert desde_json(texto) == obj
    assert type(obj).desde_dict(obj.a_dict()) == obj


def test_textos_se_limpian_y_listas_aceptan_texto_separado_por_comas():
    p = Persona("  Ana  ", intereses="moda, viajes;\n café ,", ocupacion="   ")
    assert p.nombre == "Ana"
    assert p.intereses == ["moda", "viajes", "café"]
    assert p.ocupacion is None


def test_caracteristicas_de_la_persona():
    p = persona_ejemplo()
    c = p.caracteristicas()
    assert c["Edad"] == "28 años"
    assert c["Intereses"] == "tecnología, viajes, fitness"
    assert len(c) == 8
    assert "cita" not in {k.lower() for k in c}


@pytest.mark.parametrize(
    "crear, campo, fragmento",
    [
        (lambda: Persona(""), "nombre", "vacío"),
        (lambda: Persona(None), "nombre", "Falta"),
        (lambda: Persona(42), "nombre", "texto"),
        (lambda: Persona("Ana", edad="28"), "edad", "entero"),
        (lambda: Persona("Ana", edad=-1), "edad", "fuera del rango"),
        (lambda: Persona("Ana", edad=True), "edad", "entero"),
        (lambda: Persona("Ana", intereses=5), "intereses", "lista"),
        (lambda: Persona("Ana", intereses=["ok", 3]), "intereses", "elemento 2"),
        (lambda: Interaccion("compra", "web", "compra", emocion=3), "emocion", "fuera del rango"),
        (lambda: Interaccion("compra", "web", "compra", emocion=1.5), "emocion", "entero"),
        (lambda: Interaccion("teletransporte", "web", "compra"), "etapa", "No reconozco"),
        (lambda: Interaccion("compra", "", "compra"), "canal", "vacío"),
        (
            lambda: MapaDeViaje(interacciones=[Interaccion("entrega", "correo", "recibe")]),
            "interacciones",
            "no pertenece",
        ),
        (lambda: MapaDeViaje(interacciones="hola"), "interacciones", "lista"),
        (lambda: MapaDeViaje(persona="María"), "persona", "Persona"),
        (lambda: Segmentacion([1, 2]), "segmentos[0]", "Segmento"),
        (lambda: CorreoBienvenida("", "cuerpo"), "asunto", "vacío"),
        (lambda: Persona("Ana", edda=3), "edda", "Quisiste decir 'edad'"),
    ],
)
def test_entradas_malas_dan_error_curso_que_nombra_el_campo(crear, campo, fragmento):
    with pytest.raises(ErrorCurso) as e:
        crear()
    assert e.value.campo == campo
    assert fragmento in str(e.value)
    assert e.value.pista, "cada error dice cómo arreglarlo"


def test_argumentos_de_mas_o_de_menos():
    with pytest.raises(ErrorCurso, match="Indica al menos: nombre"):
        Persona()
    with pytest.raises(ErrorCurso, match="argumentos de más"):
        MetricaElegida("a", "b", "c", "d")


@pytest.mark.parametrize(
    "texto, fragmento",
    [
        ("{no es json", "no es válido"),
        ('{"tipo": "Persona", "nombre": "Ana", "version": 9}', "versión 9"),
        ('{"tipo": "Segmento", "nombre": "A"}', "guardan un(a) Segmento"),
        ("[1, 2]", "diccionario"),
        (b"\xff\xfe", "UTF-8"),
        ('{"nombre": "Ana", "zapato": 1}', "no tiene el campo 'zapato'"),
    ],
)
def test_json_malo_da_error_en_espanol(texto, fragmento):
    with pytest.raises(ErrorCurso) as e:
        Persona.desde_json(texto)
    assert fragmento in str(e.value)


def test_desde_json_sin_tipo_reconocible():
    with pytest.raises(ErrorCurso, match="tipo"):
        desde_json('{"nombre": "Ana"}')


def test_correo_renderiza_para_cada_cliente_y_avisa_marcadores_que_faltan():
    correo = CorreoBienvenida("Hola {nombre}", "Desde {ciudad}: {oferta}", oferta="envío gratis")
    assert correo.marcadores() == {"nombre", "ciudad", "oferta"}
    assert correo.renderizar({"nombre": "Ana", "ciudad": "Monterrey"}) == (
        "Hola Ana",
        "Desde Monterrey: envío gratis",
    )
    with pytest.raises(ErrorCurso, match=r"\{ciudad\} no existe") as e:
        correo.renderizar({"nombre": "Ana"})
    assert "{nombre}" in e.value.pista


@pytest.mark.parametrize(
    "cuerpo, fragmento",
    [
        ("Hola {nombre", "sin pareja"),
        ("Hola {nombre.__class__}", "no es válido"),
        ("Hola {0}", "no es válido"),
        ("Hola {nombre!r}", "no es válido"),
    ],
)
def test_plantillas_mal_formadas_o_peligrosas(cuerpo, fragmento):
    correo = CorreoBienvenida("Hola", cuerpo)
    with pytest.raises(ErrorCurso, match=fragmento):
        correo.marcadores()
    with pytest.raises(ErrorCurso):
        correo.renderizar({"nombre": "Ana"})


def test_llaves_dobles_son_literales():
    assert (
        CorreoBienvenida("Hola", "Usa {{llaves}} y {nombre}").renderizar({"nombre": "Ana"})[1]
        == "Usa {llaves} y Ana"
    )


def test_mapa_agrupa_por_etapa_en_orden():
    grupos = mapa_ejemplo().por_etapa()
    assert list(grupos) == ["conciencia", "consideracion", "decision", "compra", "post_compra", "lealtad"]
    assert all(len(v) == 1 for v in grupos.values())
    assert MapaDeViaje().por_etapa()["compra"] == []
