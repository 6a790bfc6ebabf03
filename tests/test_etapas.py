import pytest

from cj_course import ETAPAS, MODELOS, ErrorCurso, convertir_etapa, modelo_de_etapas, normalizar_etapa


def test_modelo_clasico_tiene_las_seis_etapas_en_orden():
    assert [e.clave for e in ETAPAS] == [
        "conciencia",
        "consideracion",
        "decision",
        "compra",
        "post_compra",
        "lealtad",
    ]
    assert all(e.canales for e in ETAPAS), "cada etapa trae canales de ejemplo"


@pytest.mark.parametrize(
    "texto, clave",
    [
        ("Conciencia", "conciencia"),
        ("CONSIDERACIÓN", "consideracion"),
        ("post-compra", "post_compra"),
        ("Post compra", "post_compra"),
        ("postcompra", "post_compra"),
        ("Decisión", "decision"),
        ("Prospección", "prospeccion"),
        ("acción", "accion"),
        ("fidelización", "lealtad"),
        ("awareness", "conciencia"),
    ],
)
def test_normalizar_etapa_tolera_tildes_mayusculas_y_guiones(texto, clave):
    assert normalizar_etapa(texto) == clave


@pytest.mark.parametrize("malo", ["", "   ", "etapa rara", 3, None, ["conciencia"]])
def test_etapa_desconocida_da_error_en_espanol(malo):
    with pytest.raises(ErrorCurso) as e:
        normalizar_etapa(malo)
    assert e.value.campo == "etapa"
    assert "etapa" in str(e.value).lower()


def test_los_tres_modelos_de_las_fuentes_con_equivalencias_completas():
    assert set(MODELOS) == {"clasico", "spark", "accion"}
    clasicas = set(MODELOS["clasico"].claves())
    for modelo in MODELOS.values():
        assert set(modelo.equivalencias) == set(modelo.claves())
        cubiertas = {c for eq in modelo.equivalencias.values() for c in eq}
        assert cubiertas <= clasicas
        assert cubiertas == clasicas, f"{modelo.clave} deja etapas clásicas sin equivalente"


def test_convertir_etapa_entre_modelos():
    assert convertir_etapa("prospeccion", desde="spark") == ("conciencia",)
    assert convertir_etapa("evaluacion", desde="spark") == ("consideracion", "decision")
    # Paying is compra; delivery is already post-compra, in every model (issue 17, item 1).
    assert convertir_etapa("compra", desde="clasico", hacia="spark") == ("compra",)
    assert convertir_etapa("entrega", desde="spark") == ("post_compra",)
    assert convertir_etapa("post_compra", desde="clasico", hacia="spark") == ("entrega", "post_compra")
    assert convertir_etapa("accion", desde="accion", hacia="clasico") == ("compra", "post_compra")
    with pytest.raises(ErrorCurso, match="no forma parte"):
        convertir_etapa("entrega", desde="clasico")


def test_modelo_desconocido():
    with pytest.raises(ErrorCurso, match="No existe el modelo"):
        modelo_de_etapas("aida")


def test_la_entrega_es_post_compra_y_la_compra_es_pagar():
    from cj_course.datos import EVENTO_A_ETAPA

    compra, post_compra = modelo_de_etapas().etapa("compra"), modelo_de_etapas().etapa("post_compra")
    assert "paga" in compra.descripcion.lower() and "recib" not in compra.pregunta.lower()
    assert "recibe su pedido" in post_compra.descripcion.lower()
    assert EVENTO_A_ETAPA["entrega"] == "post_compra"
    assert EVENTO_A_ETAPA["compra"] == EVENTO_A_ETAPA["inicio_pago"] == "compra"
