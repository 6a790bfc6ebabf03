"""Métricas: ejemplos calculados a mano, casos límite, errores en español y propiedades."""

from __future__ import annotations

import doctest
import math
from itertools import combinations
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cj_course import ErrorCurso, metricas
from cj_course.datos import cargar_datos, leer_eventos
from cj_course.metricas import (
    IntervaloNPS,
    ces,
    clientes_por_etapa,
    clv,
    csat,
    embudo,
    intervalo_bootstrap,
    intervalo_bootstrap_diferencia,
    nps,
    nps_intervalo,
    prueba_de_permutacion,
    retencion_cohortes,
    tasa_abandono,
    tasa_conversion,
    tasa_retencion,
    tiempo_hasta_conversion,
    valor_medio_pedido,
)


def registro(filas, categorias: bool = False) -> pd.DataFrame:
    """A small event log from (cliente, 'YYYY-MM-DD HH:MM', evento[, importe]) tuples."""
    tabla = pd.DataFrame(
        [(f[0], f[1], f[2], f[3] if len(f) > 3 else None) for f in filas],
        columns=["cliente_id", "momento", "evento", "importe"],
    )
    tabla["momento"] = pd.to_datetime(tabla["momento"], format="ISO8601")
    tabla["importe"] = tabla["importe"].astype(float)
    if categorias:
        tabla = tabla.astype({"cliente_id": "category", "evento": "category"})
    return tabla


EJEMPLO = [
    # a: visits, views, carts, buys — in order
    ("a", "2025-01-01 10:00", "visita_web"),
    ("a", "2025-01-01 10:05", "ver_producto"),
    ("a", "2025-01-01 10:20", "agregar_carrito"),
    ("a", "2025-01-03 09:00", "compra", 800),
    # b: bought before visiting (older purchase), then visited and viewed
    ("b", "2024-12-20 12:00", "compra", 1200),
    ("b", "2025-01-02 08:00", "visita_web"),
    ("b", "2025-01-02 08:10", "ver_producto"),
    # c: carts before viewing, then views, then buys
    ("c", "2025-01-04 11:00", "visita_web"),
    ("c", "2025-01-04 11:01", "agregar_carrito"),
    ("c", "2025-01-04 11:30", "ver_producto"),
    ("c", "2025-01-05 11:00", "compra", 500),
    # d: only a visit
    ("d", "2025-01-06 15:00", "visita_web"),
]


@pytest.fixture(params=[False, True], ids=["texto", "categorias"])
def ejemplo(request):
    return registro(EJEMPLO, categorias=request.param)


# --- conversion ---------------------------------------------------------------------------------


def test_tasa_conversion_a_mano(ejemplo):
    # visitors a, b, c, d; a and c buy after visiting; b's purchase is older than the visit.
    assert tasa_conversion(ejemplo, "visita_web", "compra") == pytest.approx(50.0)
    # viewers a, b, c: a and c buy after viewing (c viewed after carting, still before buying); b bought earlier.
    assert tasa_conversion(ejemplo, "ver_producto", "compra") == pytest.approx(200 / 3)
    assert tasa_conversion(ejemplo, ["visita_web", "ver_producto"], "compra") == pytest.approx(50.0)


def test_tasa_conversion_cuenta_el_mismo_instante():
    ev = registro([("a", "2025-01-01 10:00", "inicio_pago"), ("a", "2025-01-01 10:00", "compra")])
    assert tasa_conversion(ev, "inicio_pago", "compra") == 100.0


def test_tasa_conversion_errores(ejemplo):
    with pytest.raises(ErrorCurso, match="compraa") as error:
        tasa_conversion(ejemplo, "visita_web", "compraa")
    assert "Quisiste decir 'compra'" in error.value.pista
    assert "visita_web" in error.value.pista  # lists the events present
    with pytest.raises(ErrorCurso, match="comparten"):
        tasa_conversion(ejemplo, "compra", "compra")
    with pytest.raises(ErrorCurso, match="momento"):
        tasa_conversion(ejemplo.drop(columns="momento"), "visita_web", "compra")
    with pytest.raises(ErrorCurso, match="fechas"):
        tasa_conversion(ejemplo.assign(momento=ejemplo["momento"].astype(str)), "visita_web", "compra")
    with pytest.raises(ErrorCurso, match="vacía"):
        tasa_conversion(ejemplo.iloc[:0], "visita_web", "compra")
    with pytest.raises(ErrorCurso, match="DataFrame"):
        tasa_conversion([1, 2], "visita_web", "compra")
    with pytest.raises(ErrorCurso):
        tasa_conversion(ejemplo, 5, "compra")
    sin_cliente = ejemplo.astype({"cliente_id": object})
    sin_cliente.loc[0, "cliente_id"] = None
    with pytest.raises(ErrorCurso, match="sin cliente_id"):
        tasa_conversion(sin_cliente, "visita_web", "compra")
    lejano = ejemplo.assign(momento=ejemplo["momento"].astype("datetime64[s]"))
    lejano.loc[0, "momento"] = pd.Timestamp("2300-01-01").as_unit("s")
    with pytest.raises(ErrorCurso, match="rango"):
        tasa_conversion(lejano, "visita_web", "compra")
    sin_nombre = ejemplo.copy()
    sin_nombre.loc[1, "evento"] = None
    with pytest.raises(ErrorCurso, match="sin nombre"):
        clientes_por_etapa(sin_nombre)
    con_nat = ejemplo.copy()
    con_nat.loc[0, "momento"] = pd.NaT
    with pytest.raises(ErrorCurso, match="sin fecha"):
        tasa_conversion(con_nat, "visita_web", "compra")


def test_evento_en_categorias_sin_filas_es_un_cero_no_un_error():
    ev = registro(EJEMPLO, categorias=True)
    solo_d = ev[ev["cliente_id"] == "d"]  # filtered: 'compra' is still a known category
    assert tasa_conversion(solo_d, "visita_web", "compra") == 0.0
    with pytest.raises(ErrorCurso, match="Ningún cliente"):
        tasa_conversion(solo_d, "compra", "visita_web")


# --- funnel ---------------------------------------------------------------------------------------


def test_embudo_a_mano(ejemplo):
    tabla = embudo(ejemplo, ["visita_web", "ver_producto", "agregar_carrito", "compra"])
    assert list(tabla.columns) == ["paso", "clientes", "conversion_paso", "conversion_total"]
    assert tabla["paso"].tolist() == ["visita_web", "ver_producto", "agregar_carrito", "compra"]
    # visit: a b c d; then view: a b c; then cart after view: a only (c carted before viewing); then buy: a.
    assert tabla["clientes"].tolist() == [4, 3, 1, 1]
    np.testing.assert_allclose(tabla["conversion_paso"], [100, 75, 100 / 3, 100])
    np.testing.assert_allclose(tabla["conversion_total"], [100, 75, 25, 25])


def test_embudo_paso_sin_clientes_da_nan(ejemplo):
    tabla = embudo(
        registro([*EJEMPLO, ("e", "2025-02-01 10:00", "recompra")]), ["compra", "recompra", "visita_web"]
    )
    assert tabla["clientes"].tolist() == [3, 0, 0]
    assert math.isnan(tabla["conversion_paso"].iloc[2])
    assert tabla["conversion_total"].iloc[2] == 0


def test_embudo_errores(ejemplo):
    with pytest.raises(ErrorCurso, match="al menos dos"):
        embudo(ejemplo, ["visita_web"])
    with pytest.raises(ErrorCurso, match="al menos dos"):
        embudo(ejemplo, "visita_web")
    with pytest.raises(ErrorCurso, match="más de una vez"):
        embudo(ejemplo, ["visita_web", "compra", "visita_web"])
    with pytest.raises(ErrorCurso, match="agregar_carito"):
        embudo(ejemplo, ["visita_web", "agregar_carito"])


def test_embudo_con_pasos_alternativos():
    ev = registro(
        [
            ("a", "2025-01-01", "visita_web"),
            ("a", "2025-01-02", "recompra"),
            ("b", "2025-01-01", "visita_web"),
            ("b", "2025-01-02", "compra"),
        ]
    )
    tabla = embudo(ev, ["visita_web", ["compra", "recompra"]])
    assert tabla["paso"].tolist() == ["visita_web", "compra o recompra"]
    assert tabla["clientes"].tolist() == [2, 2]


# --- time and money --------------------------------------------------------------------------------


def test_tiempo_hasta_conversion_a_mano(ejemplo):
    # a: 10:00 → 3 Jan 09:00 = 47 h; c: 4 Jan 11:00 → 5 Jan 11:00 = 24 h; median = 35.5 h.
    assert tiempo_hasta_conversion(ejemplo, "visita_web", "compra", unidad="horas") == pytest.approx(35.5)
    assert tiempo_hasta_conversion(ejemplo, "visita_web", "compra") == pytest.approx(35.5 / 24)
    assert tiempo_hasta_conversion(ejemplo, "visita_web", "compra", unidad="minutos") == pytest.approx(
        35.5 * 60
    )
    with pytest.raises(ErrorCurso, match="unidad"):
        tiempo_hasta_conversion(ejemplo, "visita_web", "compra", unidad="semanas")
    solo_d = registro(EJEMPLO, categorias=True).query("cliente_id == 'd'")  # 'compra' known, no rows
    with pytest.raises(ErrorCurso, match="Ningún cliente pasó"):
        tiempo_hasta_conversion(solo_d, "visita_web", "compra")


def test_tiempo_hasta_conversion_usa_la_primera_llegada():
    ev = registro(
        [("a", "2025-01-01", "visita_web"), ("a", "2025-01-03", "compra"), ("a", "2025-01-10", "compra")]
    )
    assert tiempo_hasta_conversion(ev, "visita_web", "compra") == 2.0


def test_valor_medio_pedido_a_mano(ejemplo):
    assert valor_medio_pedido(ejemplo) == pytest.approx((800 + 1200 + 500) / 3)
    con_recompra = registro([*EJEMPLO, ("a", "2025-02-01 10:00", "recompra", 100)])
    assert valor_medio_pedido(con_recompra) == pytest.approx(2600 / 4)
    assert valor_medio_pedido(con_recompra, compras="recompra") == 100


def test_valor_medio_pedido_errores(ejemplo):
    sin_importe = ejemplo.copy()
    sin_importe.loc[3, "importe"] = np.nan
    with pytest.raises(ErrorCurso, match="sin importe"):
        valor_medio_pedido(sin_importe)
    with pytest.raises(ErrorCurso, match="importe"):
        valor_medio_pedido(ejemplo.drop(columns="importe"))
    with pytest.raises(ErrorCurso, match="numérica"):
        valor_medio_pedido(ejemplo.assign(importe=ejemplo["importe"].astype(str)))
    with pytest.raises(ErrorCurso, match="ningún evento"):
        valor_medio_pedido(ejemplo, compras="pedido")
    with pytest.raises(ErrorCurso, match="ningún evento"):
        valor_medio_pedido(ejemplo[ejemplo["evento"] == "visita_web"].astype({"evento": "str"}))


def test_clv():
    assert clv(1000, compras_por_anio=2, anios=3) == 6000
    assert clv(1000, 2, 3, margen=0.25) == 1500
    assert clv(0, 2, 3) == 0
    with pytest.raises(ErrorCurso, match="margen"):
        clv(1000, 2, 3, margen=40)
    with pytest.raises(ErrorCurso, match="negativo"):
        clv(-1, 2, 3)
    with pytest.raises(ErrorCurso, match="número"):
        clv("1000", 2, 3)
    with pytest.raises(ErrorCurso, match="finito"):
        clv(float("inf"), 2, 3)


# --- retention and churn -------------------------------------------------------------------------


def test_tasa_retencion_y_abandono_a_mano():
    assert tasa_retencion(inicio=100, fin=110, nuevos=20) == 90.0
    assert tasa_abandono(inicio=100, fin=110, nuevos=20) == 10.0
    assert tasa_retencion(50, 50, 0) == 100.0
    assert tasa_retencion(50, 0, 0) == 0.0
    assert tasa_abandono(50, 0, 0) == 100.0


@pytest.mark.parametrize(
    "inicio, fin, nuevos, mensaje",
    [
        (0, 10, 5, "0 clientes al inicio"),
        (10, 5, 6, "más clientes nuevos"),
        (10, 30, 5, "no puede superar"),
        (-1, 5, 0, "negativo"),
        (10, 5, -1, "negativo"),
        (True, 5, 0, "número"),
        ("10", 5, 0, "número"),
        (float("nan"), 5, 0, "finito"),
    ],
)
def test_tasa_retencion_imposible(inicio, fin, nuevos, mensaje):
    with pytest.raises(ErrorCurso, match=mensaje):
        tasa_retencion(inicio, fin, nuevos)
    with pytest.raises(ErrorCurso, match=mensaje):
        tasa_abandono(inicio, fin, nuevos)


def test_retencion_cohortes_a_mano():
    ev = registro(
        [
            ("a", "2025-01-05", "compra"),
            ("a", "2025-02-10", "recompra"),
            ("a", "2025-02-20", "recompra"),
            ("a", "2025-04-01", "recompra"),
            ("b", "2025-01-20", "compra"),
            ("c", "2025-02-01", "compra"),
            ("c", "2025-03-03", "recompra"),
            ("d", "2025-02-15", "visita_web"),  # never buys: in no cohort
            ("e", "2025-04-30", "compra"),
        ]
    )
    matriz = retencion_cohortes(ev)
    assert [str(p) for p in matriz.index] == ["2025-01", "2025-02", "2025-04"]  # March has no new buyers
    assert list(matriz.columns) == [0, 1, 2, 3]
    esperado = np.array(
        [
            [100, 50, 0, 50],  # Jan: a back in Feb (twice, counts once) and Apr; b never
            [100, 100, 0, np.nan],  # Feb: c back in Mar; Apr observable (offset 2), offset 3 not yet
            [100, np.nan, np.nan, np.nan],
        ]
    )
    np.testing.assert_allclose(matriz.to_numpy(), esperado, equal_nan=True)
    assert matriz.attrs["clientes"].tolist() == [2, 1, 1]
    assert matriz.attrs["periodo"] == "mes"


def test_retencion_cohortes_periodos_y_retorno():
    ev = registro(
        [
            ("a", "2025-01-06", "compra"),
            ("a", "2025-01-14", "compra"),
            ("b", "2025-01-07", "compra"),
            ("b", "2025-03-31", "resena"),
        ]
    )
    semanal = retencion_cohortes(ev, periodo="semana")
    assert semanal.loc[:, 1].iloc[0] == 50.0  # a buys again the next week (weeks start on Monday)
    trimestral = retencion_cohortes(ev, retorno="resena", periodo="trimestre")
    assert trimestral.shape == (1, 1) and trimestral.iloc[0, 0] == 100.0
    mensual = retencion_cohortes(ev, retorno=["compra", "resena"])
    assert mensual.loc[:, 2].iloc[0] == 50.0
    with pytest.raises(ErrorCurso, match="periodo"):
        retencion_cohortes(ev, periodo="año")
    with pytest.raises(ErrorCurso, match="recompraa"):
        retencion_cohortes(ev, retorno="recompraa")


def test_retencion_periodo_cero_siempre_cien():
    matriz = retencion_cohortes(cargar_datos("zapatos").eventos)
    assert (matriz[0] == 100).all()
    valores = matriz.to_numpy()
    assert np.nanmin(valores) >= 0 and np.nanmax(valores) <= 100
    # The unobservable corner is NaN and only the corner.
    n = len(matriz)
    assert np.isnan(valores[-1, 1:]).all() and not np.isnan(valores[0]).any() and n >= 12


# --- reach by stage ------------------------------------------------------------------------------


def test_clientes_por_etapa(ejemplo):
    tabla = clientes_por_etapa(ejemplo)
    assert tabla["etapa"].tolist() == [
        "conciencia",
        "consideracion",
        "decision",
        "compra",
        "post_compra",
        "lealtad",
    ]
    assert tabla["clientes"].tolist() == [4, 3, 2, 3, 0, 0]
    assert tabla["porcentaje"].tolist() == [100, 75, 50, 75, 0, 0]
    with pytest.raises(ErrorCurso, match="pedido_enviado"):
        clientes_por_etapa(registro([*EJEMPLO, ("a", "2025-01-10", "pedido_enviado")]))
    propio = clientes_por_etapa(
        registro([*EJEMPLO, ("a", "2025-01-10", "pedido_enviado")]), mapeo={"pedido_enviado": "post_compra"}
    )
    assert propio["clientes"].tolist()[4] == 1


# --- NPS, CSAT, CES ------------------------------------------------------------------------------


def test_nps_a_mano():
    assert nps([10, 9, 8, 7, 6, 0]) == pytest.approx(0.0)
    assert nps([10, 10, 10]) == 100.0
    assert nps([0, 3, 6]) == -100.0
    assert nps([7, 8]) == 0.0
    assert nps(pd.Series([9, 10, 5, 8])) == 25.0
    assert nps(np.array([9, 9, 9, 1])) == 50.0
    assert nps(pd.DataFrame({"puntuacion": [10, 2]})) == 0.0
    assert nps([9.0, 6.0, 10.0]) == pytest.approx(100 / 3)  # integral floats are fine


@pytest.mark.parametrize(
    "malas, mensaje",
    [
        ([], "al menos una"),
        ([10, 11], "fuera de la escala"),
        ([10, -1], "fuera de la escala"),
        ([10, 8.5], "decimales"),
        ([10, None], "sin puntuación"),
        ([10, float("nan")], "sin puntuación"),
        (["10", 9], "no son números"),
        ([True, 9], "no son números"),
        ("9", "lista"),
        (9, "lista"),
        (pd.Series(["a", "b"]), "números"),
        (pd.DataFrame({"nota": [9]}), "puntuacion"),
    ],
)
def test_nps_no_descarta_en_silencio(malas, mensaje):
    with pytest.raises(ErrorCurso, match=mensaje):
        nps(malas)
    with pytest.raises(ErrorCurso):
        nps_intervalo(malas)


def test_nps_intervalo_a_mano():
    # 40 promoters, 30 passives, 30 detractors: adjusted n = 103, p = 40.75/103, d = 30.75/103.
    valores = [10] * 40 + [8] * 30 + [5] * 30
    p, d = 40.75 / 103, 30.75 / 103
    z = NormalDist().inv_cdf(0.975)
    margen = z * math.sqrt((p + d - (p - d) ** 2) / 103)
    intervalo = nps_intervalo(valores)
    assert isinstance(intervalo, IntervaloNPS)
    assert intervalo.inferior == pytest.approx(100 * (p - d - margen))
    assert intervalo.superior == pytest.approx(100 * (p - d + margen))
    assert str(intervalo) == "[-6,3; 25,7]"
    estrecho = nps_intervalo(valores, confianza=0.80)
    assert estrecho.inferior > intervalo.inferior and estrecho.superior < intervalo.superior


def test_nps_intervalo_casos_limite():
    todos = nps_intervalo([10])
    assert -100 <= todos.inferior < todos.superior <= 100  # the adjustment keeps a width with one answer
    assert nps_intervalo([10] * 5000).superior == 100.0  # clipped
    for mala in (0, 1, 1.5, -0.1, "0.95", True):
        with pytest.raises(ErrorCurso, match="confianza"):
            nps_intervalo([10, 9], confianza=mala)


def test_csat_y_ces_a_mano():
    assert csat([5, 4, 3, 2, 1]) == 40.0
    assert csat([5, 4, 3], satisfechos_desde=5) == pytest.approx(100 / 3)
    assert csat([10, 8, 7], escala=10, satisfechos_desde=8) == pytest.approx(200 / 3)
    assert ces([7, 7, 1]) == 5.0
    assert ces([5, 4], escala=5) == 4.5
    with pytest.raises(ErrorCurso, match="de 1 a 5"):
        csat([6])
    with pytest.raises(ErrorCurso, match="de 1 a 5"):
        csat([0])
    with pytest.raises(ErrorCurso, match="satisfechos_desde"):
        csat([4], satisfechos_desde=6)
    with pytest.raises(ErrorCurso, match="escala"):
        ces([3], escala=1)
    with pytest.raises(ErrorCurso, match="de 1 a 7"):
        ces([8])


# --- consistency with the course data -----------------------------------------------------------


def test_metricas_sobre_los_datos_del_curso_son_coherentes():
    d = cargar_datos("zapatos")
    pasos = ["visita_web", "ver_producto", "agregar_carrito", "inicio_pago", "compra"]
    tabla = embudo(d.eventos, pasos)
    assert (np.diff(tabla["clientes"]) <= 0).all()
    assert 0 < tabla["conversion_total"].iloc[-1] < 100
    # A two-step funnel is exactly the first-to-last conversion restricted to ordered journeys.
    dos = embudo(d.eventos, ["inicio_pago", "compra"])
    assert dos["conversion_total"].iloc[1] == pytest.approx(
        tasa_conversion(d.eventos, "inicio_pago", "compra")
    )
    assert -100 <= nps(d.encuestas) <= 100
    assert 500 < valor_medio_pedido(d.eventos) < 3000  # pesos: a pair of shoes or two


def test_leer_eventos_y_metricas_encajan(tmp_path):
    ruta = tmp_path / "tienda.csv"
    filas = [(f[0], f[1], f[2], f[3] if len(f) > 3 else "") for f in EJEMPLO]
    pd.DataFrame(filas, columns=["Cliente", "Fecha", "Evento", "Monto"]).to_csv(ruta, index=False)
    ev = leer_eventos(ruta)
    assert tasa_conversion(ev, "visita_web", "compra") == pytest.approx(50.0)
    assert valor_medio_pedido(ev) == pytest.approx(2500 / 3)


# --- plain text columns (what any CSV gives) -----------------------------------------------------


def test_texto_y_categorias_dan_lo_mismo_en_los_datos_del_curso():
    d = cargar_datos("zapatos")
    texto = d.eventos.astype({"cliente_id": "str", "evento": "str", "canal": "str"})
    objeto = d.eventos.astype({"cliente_id": object, "evento": object})
    pasos = ["visita_web", "ver_producto", "agregar_carrito", "inicio_pago", "compra"]
    for tabla in (texto, objeto):
        pd.testing.assert_frame_equal(embudo(tabla, pasos), embudo(d.eventos, pasos))
        assert tasa_conversion(tabla, "visita_web", "compra") == tasa_conversion(
            d.eventos, "visita_web", "compra"
        )
        pd.testing.assert_frame_equal(retencion_cohortes(tabla), retencion_cohortes(d.eventos))
        assert tiempo_hasta_conversion(tabla, "visita_web", "compra") == tiempo_hasta_conversion(
            d.eventos, "visita_web", "compra"
        )
        pd.testing.assert_frame_equal(clientes_por_etapa(tabla), clientes_por_etapa(d.eventos))
        assert valor_medio_pedido(tabla) == valor_medio_pedido(d.eventos)


def test_un_cliente_vacio_en_las_filas_usadas_es_un_error_con_su_posicion():
    ev = registro(EJEMPLO)
    ev.loc[3, "cliente_id"] = None  # a's purchase
    with pytest.raises(ErrorCurso, match=r"sin cliente_id \(posiciones \[3\]\)"):
        tasa_conversion(ev, "visita_web", "compra")
    # A metric that does not use that row is not changed by it.
    assert tasa_conversion(ev, "visita_web", "ver_producto") == tasa_conversion(
        registro(EJEMPLO), "visita_web", "ver_producto"
    )


def test_evento_inexistente_sugiere_el_parecido():
    with pytest.raises(ErrorCurso, match=r"¿Quisiste decir 'compra'\?"):
        tasa_conversion(registro(EJEMPLO), "visita_web", "compar")


def test_pasos_empatados_avisan_y_el_resultado_no_cambia():
    filas = [(c, "2025-01-01 10:00", "visita_web") for c in "abcd"] + [
        (c, "2025-01-01 10:00", "compra", 10) for c in "ab"
    ]
    ev = registro(filas)
    with pytest.warns(metricas.AvisoOrden, match="2 cliente") as avisos:
        assert tasa_conversion(ev, "visita_web", "compra") == 50.0
    assert "solo tienen fechas" not in str(avisos[0].message)
    with pytest.warns(metricas.AvisoOrden):
        assert embudo(ev, ["visita_web", "compra"])["clientes"].tolist() == [4, 2]


def test_los_datos_del_curso_no_avisan_de_empates():
    import warnings

    d = cargar_datos("zapatos")
    with warnings.catch_warnings():
        warnings.simplefilter("error", metricas.AvisoOrden)
        embudo(d.eventos, ["visita_web", "ver_producto", "agregar_carrito", "inicio_pago", "compra"])
        tasa_conversion(d.eventos, "inicio_pago", "compra")


def test_lo_guardado_entre_llamadas_no_oculta_un_cambio_en_la_tabla():
    d = cargar_datos("zapatos")
    ev = d.eventos.astype({"cliente_id": "str", "evento": "str", "canal": "str"})
    pasos = ["visita_web", "agregar_carrito", "compra"]
    for _ in range(3):  # the second and third calls use what the first ones kept
        assert embudo(ev, pasos)["clientes"].tolist() == embudo(d.eventos, pasos)["clientes"].tolist()
    # Every customer of the first rows becomes one: the kept codes must not be used any more.
    ev.loc[ev.index[:5000], "cliente_id"] = "misma"
    nueva = ev.copy(deep=True).astype({"cliente_id": "category", "evento": "category"})
    assert embudo(ev, pasos).equals(embudo(nueva, pasos))
    assert tasa_conversion(ev, "visita_web", "compra") == tasa_conversion(nueva, "visita_web", "compra")
    ev.loc[ev["evento"] == "compra", "evento"] = "pedido"
    with pytest.raises(ErrorCurso, match="¿Quisiste decir"):
        tasa_conversion(ev, "visita_web", "compra")
    assert tasa_conversion(ev, "visita_web", "pedido") == tasa_conversion(nueva, "visita_web", "compra")


def test_clientes_activos_para_s_e_n():
    ev = registro(
        [
            ("a", "2024-06-01", "compra", 1),
            ("a", "2025-02-01", "recompra", 1),
            ("b", "2023-12-15", "compra", 1),
            ("c", "2024-03-01", "compra", 1),
            ("d", "2025-03-10", "compra", 1),
            ("e", "2023-06-01", "compra", 1),
            ("e", "2025-02-15", "recompra", 1),
            ("f", "2025-02-20", "visita_web"),
        ]
    )
    inicio, fin = metricas.clientes_activos(ev, "2025-01-01"), metricas.clientes_activos(ev, "2025-04-01")
    assert inicio == {"a", "c"} and fin == {"a", "d", "e"}  # f only visited: not a customer
    assert tasa_retencion(len(inicio), len(fin), len(fin - inicio)) == 50.0
    assert metricas.clientes_activos(ev, "2025-04-01", dias=30) == {"d"}
    assert metricas.clientes_activos(ev, "2025-03-10") == {"a", "e"}  # the date itself does not count
    assert metricas.clientes_activos(ev, "2025-04-01", compras="visita_web") == {"f"}
    with pytest.raises(ErrorCurso, match="dias"):
        metricas.clientes_activos(ev, "2025-01-01", dias=0)
    with pytest.raises(ErrorCurso, match="fecha"):
        metricas.clientes_activos(ev, "el lunes")


# --- property tests: compare with a plain per-customer reference ---------------------------------

EVENTOS = ["a", "b", "c", "d"]
_log = st.lists(
    st.tuples(st.integers(0, 7), st.integers(0, 40), st.sampled_from(EVENTOS)), min_size=1, max_size=60
)


def _tabla(filas, categorias):
    tabla = pd.DataFrame(filas, columns=["cliente_id", "dia", "evento"])
    tabla["cliente_id"] = "c" + tabla["cliente_id"].astype(str)
    tabla["momento"] = pd.Timestamp("2025-01-01") + pd.to_timedelta(tabla["dia"], unit="D")
    tabla = tabla[["cliente_id", "momento", "evento"]]
    return tabla.astype({"cliente_id": "category", "evento": "category"}) if categorias else tabla


def _conversion_de_referencia(filas, desde, hasta):
    por_cliente: dict[int, list[tuple[int, str]]] = {}
    for c, t, e in filas:
        por_cliente.setdefault(c, []).append((t, e))
    base = conv = 0
    for eventos in por_cliente.values():
        tiempos_desde = [t for t, e in eventos if e == desde]
        if not tiempos_desde:
            continue
        base += 1
        conv += any(e == hasta and t >= min(tiempos_desde) for t, e in eventos)
    return base, conv


def _embudo_de_referencia(filas, pasos):
    por_cliente: dict[int, list[tuple[int, str]]] = {}
    for c, t, e in filas:
        por_cliente.setdefault(c, []).append((t, e))
    conteo = [0] * len(pasos)
    for eventos in por_cliente.values():
        t_prev = None
        for k, paso in enumerate(pasos):
            tiempos = [t for t, e in eventos if e == paso and (t_prev is None or t >= t_prev)]
            if not tiempos:
                break
            t_prev = min(tiempos)
            conteo[k] += 1
    return conteo


@pytest.mark.filterwarnings("ignore::cj_course.metricas.AvisoOrden")  # ties are the point here
@settings(max_examples=150, deadline=None)
@given(filas=_log, categorias=st.booleans())
def test_propiedad_conversion_igual_a_la_referencia(filas, categorias):
    presentes = {e for _, _, e in filas}
    if not {"a", "b"} <= presentes:
        return
    base, conv = _conversion_de_referencia(filas, "a", "b")
    assert tasa_conversion(_tabla(filas, categorias), "a", "b") == pytest.approx(100 * conv / base)


@pytest.mark.filterwarnings("ignore::cj_course.metricas.AvisoOrden")  # ties are the point here
@settings(max_examples=150, deadline=None)
@given(filas=_log, pasos=st.permutations(EVENTOS).map(lambda p: p[:3]), categorias=st.booleans())
def test_propiedad_embudo_igual_a_la_referencia(filas, pasos, categorias):
    if not set(pasos) <= {e for _, _, e in filas}:
        return
    tabla = embudo(_tabla(filas, categorias), list(pasos))
    assert tabla["clientes"].tolist() == _embudo_de_referencia(filas, pasos)
    assert (np.diff(tabla["clientes"]) <= 0).all()
    assert tabla["conversion_total"].between(0, 100).all()


@pytest.mark.filterwarnings("ignore::cj_course.metricas.AvisoOrden")  # ties are the point here
@settings(max_examples=100, deadline=None)
@given(filas=_log)
def test_propiedad_cohortes_igual_a_la_referencia(filas):
    if "a" not in {e for _, _, e in filas}:
        return
    retorno = ["a", "b"] if "b" in {e for _, _, e in filas} else ["a"]  # every listed event must exist
    matriz = retencion_cohortes(
        _tabla(filas, categorias=False), inicio="a", retorno=retorno, periodo="semana"
    )
    # 2025-01-01 is a Wednesday: day d falls in the Monday-based week (d + 2) // 7.
    semana = {d: (d + 2) // 7 for d in range(41)}
    ultima = max(semana[d] for _, d, _ in filas)
    primera = {}
    for c, d, e in filas:
        if e == "a":
            primera[c] = min(primera.get(c, d), d)
    cohortes = sorted({semana[d] for d in primera.values()})
    assert len(matriz) == len(cohortes)
    for fila, cohorte in zip(matriz.to_numpy(), cohortes, strict=True):
        miembros = [c for c, d in primera.items() if semana[d] == cohorte]
        for k, valor in enumerate(fila):
            if cohorte + k > ultima:
                assert math.isnan(valor)
                continue
            activos = sum(
                k == 0
                or any(
                    cc == c and e in ("a", "b") and d >= primera[c] and semana[d] - cohorte == k
                    for cc, d, e in filas
                )
                for c in miembros
            )
            assert valor == pytest.approx(100 * activos / len(miembros))


@settings(max_examples=200, deadline=None)
@given(valores=st.lists(st.integers(0, 10), min_size=1, max_size=300), confianza=st.floats(0.5, 0.999))
def test_propiedad_nps(valores, confianza):
    valor = nps(valores)
    promotores = sum(v >= 9 for v in valores)
    detractores = sum(v <= 6 for v in valores)
    assert valor == pytest.approx(100 * (promotores - detractores) / len(valores))
    assert -100 <= valor <= 100
    intervalo = nps_intervalo(valores, confianza)
    assert -100 <= intervalo.inferior < intervalo.superior <= 100
    centro_ajustado = 100 * ((promotores + 0.75) - (detractores + 0.75)) / (len(valores) + 3)
    assert intervalo.inferior <= centro_ajustado <= intervalo.superior
    assert nps(pd.Series(valores)) == valor


@settings(max_examples=100, deadline=None)
@given(s=st.integers(1, 10_000), retenidos=st.integers(0, 10_000), nuevos=st.integers(0, 10_000))
def test_propiedad_retencion(s, retenidos, nuevos):
    retenidos = min(retenidos, s)
    r = tasa_retencion(s, retenidos + nuevos, nuevos)
    assert 0 <= r <= 100
    assert r + tasa_abandono(s, retenidos + nuevos, nuevos) == pytest.approx(100)


def test_ejemplos_de_la_documentacion():
    resultado = doctest.testmod(metricas, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert resultado.attempted > 10 and resultado.failed == 0


# --- inference by simulation ---------------------------------------------------------------------


def test_permutacion_da_la_diferencia_observada_y_un_p_valor_entre_0_y_1():
    prueba = prueba_de_permutacion([1, 1, 0, 1], [0, 0, 1], repeticiones=500, semilla=7)
    assert prueba.diferencia == pytest.approx(0.75 - 1 / 3)
    assert 0 <= prueba.p_valor <= 1
    assert len(prueba.simuladas) == 500


def test_permutacion_es_reproducible_con_la_misma_semilla():
    a, b = [3.0, 5.0, 8.0, 1.0, 9.0], [2.0, 4.0, 4.0, 7.0]
    uno = prueba_de_permutacion(a, b, repeticiones=300, semilla=11)
    otro = prueba_de_permutacion(a, b, repeticiones=300, semilla=11)
    assert uno.p_valor == otro.p_valor
    np.testing.assert_array_equal(uno.simuladas, otro.simuladas)


def test_permutacion_conserva_los_valores_de_cada_barajada():
    # A shuffle only moves labels: A's and B's sums always add up to the total, so the simulated
    # differences can only take the values that a split of these numbers allows.
    a, b = [1.0, 2.0, 3.0], [10.0, 20.0]
    prueba = prueba_de_permutacion(a, b, repeticiones=2000, semilla=0)
    juntos = a + b
    posibles = set()
    for eleccion in combinations(range(5), 3):
        suma_a = sum(juntos[i] for i in eleccion)
        posibles.add(round(suma_a / 3 - (sum(juntos) - suma_a) / 2, 9))
    assert {round(x, 9) for x in prueba.simuladas} <= posibles
    # The observed split is the most extreme one: exactly 1 in 10 splits is as extreme on the left side.
    menor = prueba_de_permutacion(a, b, repeticiones=20_000, semilla=0, alternativa="menor")
    assert menor.p_valor == pytest.approx(0.1, abs=0.01)


def test_sin_diferencia_real_el_p_valor_es_grande():
    # Same distribution in both groups: p-values spread over [0, 1]; their median is near 0.5.
    azar = np.random.default_rng(2024)
    p_valores = [
        prueba_de_permutacion(
            azar.integers(0, 2, 80), azar.integers(0, 2, 60), repeticiones=400, semilla=s
        ).p_valor
        for s in range(40)
    ]
    assert 0.3 < float(np.median(p_valores)) < 0.7
    # and a test at the 5 % level rarely says "real" when there is nothing.
    assert sum(p < 0.05 for p in p_valores) <= 6


def test_con_una_diferencia_grande_el_p_valor_es_muy_chico():
    # The welcome email: 42 % vs 23 % of repeat purchases, in groups of the course's size.
    prueba = prueba_de_permutacion([1] * 607 + [0] * 838, [1] * 80 + [0] * 267, semilla=1)
    assert prueba.diferencia == pytest.approx(607 / 1445 - 80 / 347)
    assert prueba.p_valor < 0.001
    assert "p < 0,0001" in str(prueba)


def test_permutacion_una_cola_y_dos_colas():
    a, b = [1] * 30 + [0] * 20, [1] * 20 + [0] * 30
    dos = prueba_de_permutacion(a, b, repeticiones=4000, semilla=3)
    mayor = prueba_de_permutacion(a, b, repeticiones=4000, semilla=3, alternativa="mayor")
    menor = prueba_de_permutacion(a, b, repeticiones=4000, semilla=3, alternativa="menor")
    assert mayor.p_valor < dos.p_valor
    assert menor.p_valor > 0.9
    assert dos.p_valor == pytest.approx(2 * mayor.p_valor, abs=0.02)  # a symmetric null


def test_permutacion_acepta_verdadero_falso_y_columnas():
    serie = pd.Series([True, False, True, True])
    prueba = prueba_de_permutacion(serie, [False, False, True], repeticiones=200, semilla=0)
    assert prueba.diferencia == pytest.approx(0.75 - 1 / 3)


@pytest.mark.parametrize(
    ("argumentos", "campo"),
    [
        ({"grupo_a": [], "grupo_b": [1, 0]}, "grupo_a"),
        ({"grupo_a": [1, 0], "grupo_b": ["sí", "no"]}, "grupo_b"),
        ({"grupo_a": "101", "grupo_b": [1]}, "grupo_a"),
        ({"grupo_a": [1.0, None], "grupo_b": [1]}, "grupo_a"),
        ({"grupo_a": [1], "grupo_b": [0], "repeticiones": 10}, "repeticiones"),
        ({"grupo_a": [1], "grupo_b": [0], "semilla": -1}, "semilla"),
        ({"grupo_a": [1], "grupo_b": [0], "alternativa": "dos colas"}, "alternativa"),
    ],
)
def test_permutacion_errores_en_espanol(argumentos, campo):
    with pytest.raises(ErrorCurso) as error:
        prueba_de_permutacion(**argumentos)
    assert error.value.campo == campo
    assert error.value.pista


def test_bootstrap_de_una_constante_es_un_punto():
    intervalo = intervalo_bootstrap([4.0] * 10, repeticiones=200, semilla=0)
    assert (intervalo.inferior, intervalo.superior) == (4.0, 4.0)


def test_bootstrap_contiene_la_estimacion_y_se_estrecha_con_mas_datos():
    azar = np.random.default_rng(5)
    chica = azar.normal(10, 3, 50)
    grande = azar.normal(10, 3, 2000)
    i_chica = intervalo_bootstrap(chica, semilla=1)
    i_grande = intervalo_bootstrap(grande, semilla=1)
    assert i_chica.inferior < chica.mean() < i_chica.superior
    assert (i_grande.superior - i_grande.inferior) < (i_chica.superior - i_chica.inferior) / 3


def test_bootstrap_cubre_el_valor_verdadero_en_la_mayoria_de_las_simulaciones():
    # 100 seeded samples from a known population (30 % repeat buyers): a 95 % interval should cover
    # 0.30 about 95 times; the bounds allow for the method's small bias with n = 200.
    azar = np.random.default_rng(12)
    cubre = 0
    for semilla in range(100):
        muestra = azar.random(200) < 0.30
        intervalo = intervalo_bootstrap(muestra, repeticiones=1000, semilla=semilla)
        cubre += intervalo.inferior <= 0.30 <= intervalo.superior
    assert 88 <= cubre <= 99


def test_bootstrap_del_nps_se_parece_al_de_la_formula():
    puntuaciones = cargar_datos("zapatos").encuestas["puntuacion"]
    por_simulacion = intervalo_bootstrap(puntuaciones, "nps", semilla=0)
    por_formula = nps_intervalo(puntuaciones)
    assert por_simulacion.inferior < nps(puntuaciones) < por_simulacion.superior
    assert por_simulacion.inferior == pytest.approx(por_formula.inferior, abs=1.0)
    assert por_simulacion.superior == pytest.approx(por_formula.superior, abs=1.0)


def test_bootstrap_nps_valida_las_puntuaciones():
    with pytest.raises(ErrorCurso) as error:
        intervalo_bootstrap([10, 11, 3], "nps")
    assert error.value.campo == "puntuacion"


def test_bootstrap_con_una_funcion_propia_y_la_mediana():
    valores = [1.0, 2.0, 3.0, 100.0]
    propia = intervalo_bootstrap(valores, lambda m: m.max(axis=1), repeticiones=500, semilla=0)
    assert propia.superior == 100.0
    mediana = intervalo_bootstrap(valores, "mediana", repeticiones=500, semilla=0)
    assert mediana.superior <= 100.0 and mediana.inferior >= 1.0


@pytest.mark.parametrize(
    ("argumentos", "campo"),
    [
        ({"valores": [1, 2], "estadistico": "moda"}, "estadistico"),
        ({"valores": [1, 2], "confianza": 95}, "confianza"),
        ({"valores": [], "estadistico": "media"}, "valores"),
    ],
)
def test_bootstrap_errores_en_espanol(argumentos, campo):
    with pytest.raises(ErrorCurso) as error:
        intervalo_bootstrap(**argumentos)
    assert error.value.campo == campo


def test_bootstrap_de_la_diferencia_incluye_o_no_el_cero():
    grande = intervalo_bootstrap_diferencia([1] * 607 + [0] * 838, [1] * 80 + [0] * 267, semilla=0)
    assert 0 < grande.inferior < 607 / 1445 - 80 / 347 < grande.superior
    iguales = intervalo_bootstrap_diferencia([1, 0] * 40, [0, 1] * 30, semilla=0)
    assert iguales.inferior < 0 < iguales.superior
    assert str(iguales).startswith("[-0,")


def test_la_simulacion_no_depende_del_tamano_del_bloque(monkeypatch):
    # Blocks only bound memory: with a tiny block the same seed must give the same result.
    a, b = list(range(30)), list(range(5, 40))
    normal = prueba_de_permutacion(a, b, repeticiones=300, semilla=4)
    intervalo = intervalo_bootstrap(a, repeticiones=300, semilla=4)
    monkeypatch.setattr(metricas, "_NUMEROS_POR_BLOQUE", 7)
    np.testing.assert_array_equal(
        prueba_de_permutacion(a, b, repeticiones=300, semilla=4).simuladas, normal.simuladas
    )
    np.testing.assert_array_equal(
        intervalo_bootstrap(a, repeticiones=300, semilla=4).estimaciones, intervalo.estimaciones
    )
