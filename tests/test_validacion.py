import pytest

from cj_course import (
    CLIENTES_DE_EJEMPLO,
    CorreoBienvenida,
    ErrorCurso,
    Informe,
    Interaccion,
    MapaDeViaje,
    MetricaElegida,
    Persona,
    PlanDeMetricas,
    Segmentacion,
    Segmento,
    afirmar_valido,
    comprobar,
    mapa_ejemplo,
    persona_ejemplo,
    validar,
)


def _segmentos(n, rasgos=2):
    return Segmentacion(
        [
            Segmento(
                f"Segmento {i}",
                demograficos=[f"d{i}"] * min(rasgos, 1),
                psicograficos=[f"p{i}"] * max(rasgos - 1, 0),
            )
            for i in range(n)
        ]
    )


def test_tres_segmentos_con_rasgos_pasan():
    informe = validar(_segmentos(3))
    assert informe.ok, informe.texto()


@pytest.mark.parametrize("n", [0, 1, 2])
def test_menos_de_tres_segmentos(n):
    informe = validar(_segmentos(n))
    assert not informe.ok
    assert f"Tienes {n} segmento" in informe.texto()


def test_segmento_sin_rasgos_suficientes_y_nombres_repetidos():
    s = Segmentacion(
        [
            Segmento("A", demograficos=["x", "y"]),
            Segmento("a", conductuales=["z", "w"]),
            Segmento("C", psicograficos=["solo uno"]),
        ]
    )
    informe = validar(s)
    textos = [c.mensaje for c in informe.fallos]
    assert any("nombres de segmento repetidos" in t for t in textos)
    assert any("«C» tiene 1 rasgo clave" in t for t in textos)


def test_una_lista_de_segmentos_se_valida_como_segmentacion():
    assert validar(_segmentos(3).segmentos).ok


def test_persona_con_cuatro_caracteristicas_explica_lo_que_falta():
    p = Persona("María", edad=28, ocupacion="Ingeniera", intereses=["viajes"], desafios=["tiempo"])
    informe = validar(p)
    assert not informe.ok
    fallo = informe.fallos[0]
    assert fallo.mensaje == "Tu persona tiene 4 características; se piden al menos 5."
    assert "objetivos" in fallo.pista and "canales" in fallo.pista


def test_persona_de_ejemplo_pasa_y_la_falta_de_desafios_es_solo_sugerencia():
    assert validar(persona_ejemplo()).ok
    p = Persona("Ana", edad=30, ocupacion="x", ubicacion="y", intereses=["a"], canales=["b"])
    informe = validar(p)
    assert informe.ok
    assert any(not c.ok and not c.obligatoria for c in informe.comprobaciones)


def test_mapa_con_etapas_vacias_las_nombra():
    mapa = MapaDeViaje(objetivo="x", interacciones=[Interaccion("conciencia", "Instagram", "ve un anuncio")])
    informe = validar(mapa)
    assert not informe.ok
    assert "cubre 1 de 6 etapas" in informe.fallos[0].mensaje
    assert "Post-compra" in informe.fallos[0].mensaje


def test_mapa_ejemplo_pasa_y_otro_modelo_se_valida_con_sus_etapas():
    assert validar(mapa_ejemplo()).ok
    claves = ["prospeccion", "evaluacion", "compra", "entrega", "post_compra"]
    spark = MapaDeViaje(modelo="spark", interacciones=[Interaccion(c, "canal", "acción") for c in claves])
    assert validar(spark).ok
    incompleto = MapaDeViaje(
        modelo="spark", interacciones=[Interaccion(c, "canal", "acción") for c in claves[:-1]]
    )
    assert "cubre 4 de 5" in validar(incompleto).fallos[0].mensaje


def test_correo_de_la_fuente_con_corchetes_recibe_una_pista_util():
    correo = CorreoBienvenida(
        "Bienvenida",
        "Hola [Nombre], gracias por unirte. Aquí tienes un 10% de descuento.",
        oferta="10% de descuento",
    )
    informe = validar(correo)
    assert not informe.ok
    assert "{nombre} en lugar de [Nombre]" in informe.texto()


def test_correo_correcto_pasa_para_los_tres_clientes():
    correo = CorreoBienvenida(
        "¡Hola, {nombre}!",
        "Gracias por unirte desde {ciudad}. Te regalamos {oferta}.",
        oferta="10% de descuento",
        llamada_a_la_accion="Descubre la colección",
    )
    informe = validar(correo)
    assert informe.ok, informe.texto()
    assert f"{len(CLIENTES_DE_EJEMPLO)} clientes" in informe.texto()


@pytest.mark.parametrize(
    "correo, fragmento",
    [
        (CorreoBienvenida("Hola {nombre}", "Bienvenida"), "el campo «oferta» está vacío"),
        (CorreoBienvenida("Hola {nombre}", "Bienvenida", oferta="2x1"), "La oferta no aparece"),
        (CorreoBienvenida("Hola {nombre}", "Tu talla {talla} y {oferta}", oferta="2x1"), "{talla} no existe"),
        (CorreoBienvenida("Hola", "Gracias. {oferta}", oferta="2x1"), "no está personalizado"),
        (CorreoBienvenida("Hola {nombre", "x", oferta="y"), "sin pareja"),
    ],
)
def test_correos_incompletos(correo, fragmento):
    informe = validar(correo)
    assert not informe.ok
    assert fragmento in informe.texto()


def test_correo_con_clientes_propios():
    correo = CorreoBienvenida("Hola {nombre}", "Tu talla {talla}: {oferta}", oferta="2x1")
    assert validar(correo, clientes=({"nombre": "Ana", "talla": "24"},)).ok


def test_plan_de_metricas():
    bueno = PlanDeMetricas(
        [
            MetricaElegida("Tasa de conversión", "compras / visitas", "Google Analytics"),
            MetricaElegida("Tasa de retención", "((E-N)/S)*100 cada mes", "CRM"),
            MetricaElegida("NPS", "encuesta de 0 a 10", "Klaviyo"),
        ]
    )
    assert validar(bueno).ok
    malo = PlanDeMetricas([MetricaElegida("NPS", "encuesta"), MetricaElegida("nps", herramienta="CRM")])
    texto = validar(malo).texto()
    assert "Elegiste 2 métricas; se piden 3" in texto
    assert "Métricas repetidas" in texto
    assert "«NPS»: falta con qué herramienta" in texto
    assert "«nps»: falta cómo la medirás" in texto


def test_afirmar_valido_lanza_assertion_error_con_el_mensaje():
    with pytest.raises(AssertionError, match="Tu persona tiene 1 característica; se piden al menos 5"):
        afirmar_valido(Persona("Ana", edad=3))
    with pytest.raises(AssertionError, match="Todavía no hay respuesta"):
        afirmar_valido(None)
    with pytest.raises(AssertionError, match="No sé comprobar"):
        afirmar_valido(42)
    afirmar_valido(mapa_ejemplo())


def test_informe_html_y_texto():
    informe = validar(Persona("Ana <b>", edad=3))
    assert isinstance(informe, Informe)
    html = informe._repr_html_()
    assert "Ana &lt;b&gt;" in html and "<b>" in html and "✘" in html
    assert informe.texto().startswith("Persona «Ana <b>»: Falta 1 cosa por resolver.")


def test_comprobar_muestra_texto_fuera_de_un_cuaderno(capsys):
    assert comprobar(persona_ejemplo()) is None
    assert "¡Todo en orden!" in capsys.readouterr().out
    comprobar("no soy una respuesta")
    assert "No sé comprobar" in capsys.readouterr().out


def test_validar_tipo_desconocido():
    with pytest.raises(ErrorCurso):
        validar(3.5)


def test_marcas_y_comillas_de_una_sola_definicion():
    """What the instructor's report reads back: ✘ before each failed check, what the student wrote in «»."""
    from cj_course._texto import MARCA_FALLO, MARCA_OK, PATRON_CITA

    texto = validar(Segmentacion([Segmento("Jóvenes", demograficos=["18-25 años"])])).texto()
    lineas = texto.splitlines()
    assert f"{MARCA_FALLO} Tienes 1 segmento; se piden 3." in lineas
    assert f"{MARCA_OK} Cada segmento tiene un nombre distinto." in lineas
    assert f"{MARCA_FALLO} El segmento «Jóvenes» tiene 1 rasgo clave; se piden al menos 2." in lineas
    assert "«Jóvenes»" not in PATRON_CITA.sub("«…»", texto)


def test_manejadores_con_nombre_son_los_de_validar():
    from cj_course import validacion

    persona = Persona("Ana", edad=30)
    assert validacion.validar_persona(persona).texto() == validar(persona).texto()
    assert validacion.validar.registry[Persona] is validacion.validar_persona
    anonimos = [f for f in validacion.validar.registry.values() if f.__name__ == "_"]
    assert not anonimos
