"""Hypothesis over the importers: whatever the file, the result is right or an ErrorCurso that says where."""

from __future__ import annotations

import io
import warnings
import zipfile
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cj_course import ErrorCurso
from cj_course.datos import importar, muestras

AJUSTES = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

_letras = st.text(alphabet="abcdefghijklmnñopqrstuvwxyzáéíóúüABCDEZÑ0123456789", min_size=1, max_size=10)
_eventos = st.sampled_from(["visita_web", "ver_producto", "agregar_carrito", "compra"])
_fila = st.tuples(_letras, st.integers(0, 400 * 86400), _eventos, st.integers(0, 10**7))


def _texto_importe(centavos: int, decimal: str) -> str:
    texto = f"{centavos / 100:.2f}"
    return texto.replace(".", ",") if decimal == "," else texto


@AJUSTES
@given(
    filas=st.lists(_fila, min_size=1, max_size=40),
    separador=st.sampled_from([",", ";", "\t", "|"]),
    codificacion=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    decimal=st.sampled_from([".", ","]),
    fechas=st.sampled_from(["iso", "dia_primero", "utc", "desfase"]),
)
def test_un_csv_escrito_de_cualquier_forma_se_lee_igual(
    tmp_path, filas, separador, codificacion, decimal, fechas
):
    assume(not (separador == "," and decimal == ","))  # a spreadsheet never writes that without quotes
    base = datetime(2024, 1, 1, 9, 0, 0)
    zona = ZoneInfo("America/Mexico_City")
    lineas = [separador.join(["cliente", "fecha", "evento", "monto"])]
    esperados = []
    for cliente, segundos, evento, centavos in filas:
        local = base + timedelta(seconds=segundos)
        if fechas == "iso":
            fecha = local.strftime("%Y-%m-%d %H:%M:%S")
        elif fechas == "dia_primero":
            fecha = local.strftime("%d/%m/%Y %H:%M:%S")
        elif fechas == "utc":
            fecha = local.replace(tzinfo=zona).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        else:  # an offset that is not Mexico City's: the instant is what counts
            fecha = (
                local.replace(tzinfo=zona)
                .astimezone(ZoneInfo("America/New_York"))
                .strftime("%Y-%m-%d %H:%M:%S%z")
            )
        lineas.append(separador.join([cliente, fecha, evento, _texto_importe(centavos, decimal)]))
        esperados.append((cliente, pd.Timestamp(local), evento, centavos / 100))
    ruta = tmp_path / "datos.csv"
    ruta.write_bytes(("\n".join(lineas) + "\n").encode(codificacion))
    ev = importar(ruta, formato="csv")
    obtenidos = sorted(zip(ev["cliente_id"], ev["momento"], ev["evento"], ev["importe"], strict=True))
    assert [(c, m, e) for c, m, e, _ in obtenidos] == [(c, m, e) for c, m, e, _ in sorted(esperados)]
    np.testing.assert_allclose([x[3] for x in obtenidos], [x[3] for x in sorted(esperados)])
    assert ev.attrs["importacion"].separador == separador


@AJUSTES
@given(
    contenido=st.binary(min_size=1, max_size=400),
    nombre=st.sampled_from(["d.csv", "d.xlsx", "d.jsonl", "d.txt"]),
)
def test_bytes_cualesquiera_dan_un_resultado_o_error_curso(tmp_path, contenido, nombre):
    ruta = tmp_path / nombre
    ruta.write_bytes(contenido)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tabla = importar(ruta)
    except ErrorCurso as e:
        assert nombre in str(e) or "archivo" in str(e).lower()
        assert e.pista
    else:
        assert list(tabla.columns[:5]) == ["cliente_id", "momento", "evento", "canal", "importe"]


@AJUSTES
@given(
    columnas=st.lists(
        st.sampled_from(["cliente", "fecha", "evento", "monto", "canal", "Fecha"]), min_size=2, max_size=7
    )
)
def test_encabezados_repetidos_dan_el_nombre_y_la_linea(tmp_path, columnas):
    ruta = tmp_path / "d.csv"
    ruta.write_text(",".join(columnas) + "\n" + ",".join("x" for _ in columnas) + "\n", encoding="utf-8")
    repetidas = {c for c in columnas if columnas.count(c) > 1}
    try:
        importar(ruta)
    except ErrorCurso as e:
        if repetidas:
            assert "aparece dos veces" in str(e) and "línea 1" in str(e)
            assert any(f"«{c}»" in str(e) for c in repetidas)
    else:
        assert not repetidas


def _excel_valido() -> bytes:
    salida = io.BytesIO()
    pd.DataFrame(
        {"cliente": ["a", "b"], "fecha": ["2024-03-01", "2024-03-02"], "evento": ["compra"] * 2}
    ).to_excel(salida, index=False)
    return salida.getvalue()


_EXCEL = _excel_valido()


@AJUSTES
@given(
    corte=st.integers(0, len(_EXCEL) - 1),
    basura=st.binary(min_size=0, max_size=30),
    posicion=st.integers(0, len(_EXCEL) - 1),
)
def test_excel_danado_da_error_curso(tmp_path, corte, basura, posicion):
    datos = bytearray(_EXCEL[: max(corte, 1)] if corte % 2 else _EXCEL)
    datos[posicion % len(datos) : posicion % len(datos) + len(basura)] = basura
    ruta = tmp_path / "ventas.xlsx"
    ruta.write_bytes(bytes(datos))
    try:
        tabla = importar(ruta)
    except ErrorCurso as e:
        assert "ventas.xlsx" in str(e)
    else:  # the damage hit nothing that matters
        assert len(tabla) == 2


def test_excel_sin_hojas_de_datos(tmp_path):
    ruta = tmp_path / "vacio.xlsx"
    with zipfile.ZipFile(ruta, "w") as z:
        z.writestr("hola.txt", "no soy un excel")
    with pytest.raises(ErrorCurso, match=r"vacio\.xlsx"):
        importar(ruta)


@AJUSTES
@given(n_filas=st.integers(1, 20), mala=st.integers(0, 19), extra=st.integers(1, 4))
def test_una_fila_con_columnas_de_mas_dice_su_linea(tmp_path, n_filas, mala, extra):
    mala = mala % n_filas
    lineas = ["cliente,fecha,evento"]
    for k in range(n_filas):
        lineas.append(f"c{k},2024-03-01 10:00,compra" + ",x" * (extra if k == mala else 0))
    ruta = tmp_path / "d.csv"
    ruta.write_text("\n".join(lineas) + "\n", encoding="utf-8")
    with pytest.raises(ErrorCurso, match=f"línea {mala + 2}"):
        importar(ruta)


_pseudo = st.integers(10**8, 10**9 - 1).map(lambda n: f"{n}.1700000000")


@AJUSTES
@given(
    filas=st.lists(
        st.tuples(
            _pseudo,
            st.integers(1_704_067_200, 1_767_225_599),
            st.integers(0, 999_999),
            st.sampled_from(["session_start", "view_item", "purchase", "scroll"]),
        ),
        min_size=1,
        max_size=40,
    ),
    zona=st.sampled_from(["America/Mexico_City", "America/Santiago", "America/Bogota", "Europe/Madrid"]),
)
def test_ga4_convierte_cada_instante_a_la_zona(tmp_path, filas, zona):
    lineas = ["event_timestamp,event_name,user_pseudo_id,user_id,ecommerce.purchase_revenue"]
    esperados = []
    for pseudo, segundos, micro, evento in filas:
        lineas.append(
            f"{segundos * 10**6 + micro},{evento},{pseudo},,{'10.5' if evento == 'purchase' else ''}"
        )
        local = datetime.fromtimestamp(segundos, UTC).astimezone(ZoneInfo(zona)).replace(tzinfo=None)
        esperados.append(pd.Timestamp(local) + pd.Timedelta(microseconds=micro))
    ruta = tmp_path / "ga4.csv"
    ruta.write_text("\n".join(lineas) + "\n", encoding="utf-8")
    ev = importar(ruta, zona_horaria=zona)
    assert sorted(ev["momento"]) == sorted(esperados)
    assert ev["cliente_id"].nunique() == len({p for p, *_ in filas})
    compras = ev[ev["evento"].isin(["compra", "recompra"])]
    # Exactly one first purchase per customer who bought.
    assert (compras["evento"] == "compra").sum() == compras["cliente_id"].nunique()


@AJUSTES
@given(
    pedidos=st.lists(
        st.tuples(
            st.sampled_from(["ana@x.mx", "bea@x.mx", "caro@x.mx"]),
            st.integers(1, 4),
            st.integers(100, 10**6),
            st.sampled_from(["paid", "paid", "voided", "refunded", "partially_refunded"]),
            st.integers(0, 300 * 86400),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_shopify_un_evento_por_pedido_pagado(tmp_path, pedidos):
    lineas = ["Name,Email,Financial Status,Total,Created at,Lineitem name,Cancelled at,Refunded Amount"]
    pagados = []
    base = datetime(2024, 1, 1, tzinfo=ZoneInfo("America/Chicago"))
    for numero, (email, n_lineas, centavos, estado, segundos) in enumerate(pedidos, start=1001):
        creado = (base + timedelta(seconds=segundos)).strftime("%Y-%m-%d %H:%M:%S %z")
        devuelto = centavos // 4 if estado == "partially_refunded" else 0
        for k in range(n_lineas):
            primera = k == 0
            lineas.append(
                f"#{numero},{email},{estado if primera else ''},{centavos / 100:.2f}"
                if primera
                else f"#{numero},{email},,"
            )
            lineas[-1] += (
                f",{creado},Producto {k},,{devuelto / 100:.2f}" if primera else f",{creado},Producto {k},,"
            )
        if estado in ("paid", "partially_refunded"):
            pagados.append((email, (centavos - devuelto) / 100))
    ruta = tmp_path / "orders_export.csv"
    ruta.write_text("\n".join(lineas) + "\n", encoding="utf-8")
    try:
        ev = importar(ruta)
    except ErrorCurso as e:
        assert not pagados and "ninguna fila" in str(e)
        return
    assert len(ev) == len(pagados)
    assert sorted(zip(ev["cliente_id"], ev["importe"].round(2), strict=True)) == sorted(pagados)
    descartados = ev.attrs["importacion"].descartadas
    assert sum(descartados.values()) == len(pedidos) - len(pagados)


def test_un_archivo_grande_se_lee_entero(tmp_path):
    origen = pd.read_csv(muestras.ruta("ga4_eventos.csv"), dtype=str, keep_default_na=False)
    grande = pd.concat([origen] * 30, ignore_index=True)
    ruta = tmp_path / "ga4_grande.csv"
    grande.to_csv(ruta, index=False)
    ev = importar(ruta)
    assert len(ev) == len(grande) > 100_000
