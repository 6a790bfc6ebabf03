"""importar: the exports of real tools become the course's events, and say what was recognised."""

from __future__ import annotations

import doctest
import warnings

import numpy as np
import pandas as pd
import pytest

import cj_course
from cj_course import ErrorCurso, metricas
from cj_course.datos import importar, importar_clientes, importar_encuestas, muestras
from cj_course.datos import importar as modulo_importar  # the function; its package is below
from cj_course.datos.importar import _comun, analitica, correo, crm, generico, tiendas
from cj_course.metricas import AvisoOrden

ESQUEMA = ["cliente_id", "momento", "evento", "canal", "importe"]


def _escribir(tmp_path, nombre, texto, codificacion="utf-8"):
    ruta = tmp_path / nombre
    ruta.write_bytes(texto.encode(codificacion))
    return ruta


# --- the sample exports --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("archivo", "formato"),
    [
        ("ga4_eventos.csv", "ga4"),
        ("ga4_eventos.jsonl", "ga4"),
        ("shopify_pedidos.csv", "shopify"),
        ("tiendanube_ventas.csv", "tiendanube"),
        ("klaviyo_actividad.csv", "klaviyo"),
        ("mailchimp_actividad.csv", "mailchimp"),
        ("hubspot_contactos.csv", "hubspot"),
    ],
)
def test_cada_muestra_se_reconoce_y_queda_en_el_esquema(archivo, formato):
    tabla = importar(muestras.ruta(archivo))
    informe = tabla.attrs["importacion"]
    assert informe.formato == formato
    assert informe.reconocido_por, "auto debe decir por qué columnas lo reconoció"
    assert list(tabla.columns[:5]) == ESQUEMA
    assert tabla["momento"].dtype == np.dtype("datetime64[ns]")
    assert tabla["importe"].dtype == np.float64
    for columna in ("cliente_id", "evento"):
        assert isinstance(tabla[columna].dtype, pd.StringDtype)
        assert tabla[columna].notna().all()
    assert tabla["momento"].is_monotonic_increasing
    assert informe.filas == len(tabla) > 0
    texto = str(informe)
    assert archivo in texto and "cliente_id" in texto


def test_todas_las_muestras_listadas_existen():
    for nombre in muestras.ARCHIVOS:
        assert muestras.ruta(nombre).is_file(), nombre
    with pytest.raises(ErrorCurso, match=r"shopify_pedidos\.csv"):
        muestras.ruta("shopify_pedido.csv")


def test_la_muestra_de_ga4_cuenta_la_caida_del_pago_en_el_celular():
    ga = importar(muestras.ruta("ga4_eventos.csv"))
    assert set(ga["dispositivo"].unique()) == {"móvil", "computadora"}
    movil = metricas.tasa_conversion(ga[ga["dispositivo"] == "móvil"], "inicio_pago", ["compra", "recompra"])
    compu = metricas.tasa_conversion(
        ga[ga["dispositivo"] == "computadora"], "inicio_pago", ["compra", "recompra"]
    )
    # The generator's story: ~45 % from the phone against ~85 % from the computer.
    assert movil < 55 < 70 < compu, (movil, compu)
    pasos = ["visita_web", "ver_producto", "agregar_carrito", "inicio_pago", "compra"]
    tabla = metricas.embudo(ga[ga["dispositivo"] == "móvil"], pasos)
    peor = tabla.iloc[1:]["conversion_paso"].idxmin()
    assert tabla.loc[peor, "paso"] == "compra"  # the weakest step on the phone is paying


def test_la_muestra_de_json_lineas_coincide_con_la_de_csv():
    csv = importar(muestras.ruta("ga4_eventos.csv"))
    jsonl = importar(muestras.ruta("ga4_eventos.jsonl"))
    n = len(jsonl)
    # The JSON file holds the first 400 rows of the export; sorted by time both read the same.
    primeras = csv.sort_values("momento", kind="stable").head(n).reset_index(drop=True)
    pd.testing.assert_frame_equal(
        jsonl[ESQUEMA].reset_index(drop=True), primeras[ESQUEMA].reset_index(drop=True), check_dtype=False
    )


def test_klaviyo_y_shopify_juntos_muestran_que_el_correo_de_bienvenida_funciona():
    pedidos = importar(muestras.ruta("shopify_pedidos.csv"))
    actividad = importar(muestras.ruta("klaviyo_actividad.csv"))
    assert (actividad["evento"] == "correo_bienvenida").sum() > 100
    # The same customers in both tools (e-mails are compared in lower case).
    assert set(actividad["cliente_id"]) <= set(pedidos["cliente_id"]) | set(actividad["cliente_id"])
    juntas = pd.concat([pedidos, actividad[ESQUEMA]], ignore_index=True).sort_values("momento")
    primeras = juntas[(juntas["evento"] == "compra") & (juntas["momento"] >= "2024-10-01")]
    con = set(juntas.loc[juntas["evento"] == "correo_bienvenida", "cliente_id"])
    vuelven = set(juntas.loc[juntas["evento"] == "recompra", "cliente_id"])
    grupo = primeras["cliente_id"].isin(con)
    tasa_con = primeras.loc[grupo, "cliente_id"].isin(vuelven).mean()
    tasa_sin = primeras.loc[~grupo, "cliente_id"].isin(vuelven).mean()
    assert grupo.sum() > 100 and (~grupo).sum() > 20
    assert tasa_con > tasa_sin + 0.08, (tasa_con, tasa_sin)


def test_metricas_sobre_las_muestras():
    pedidos = importar(muestras.ruta("shopify_pedidos.csv"))
    cohortes = metricas.retencion_cohortes(pedidos)
    assert (cohortes[0] == 100).all() and cohortes.iloc[:, 1:].max().max() > 0
    assert 500 < metricas.valor_medio_pedido(pedidos) < 3000
    encuestas = importar_encuestas(muestras.ruta("encuestas_nps.csv"))
    assert -100 <= metricas.nps(encuestas) <= 100
    assert encuestas["comentario"].notna().any()
    hubspot = importar(muestras.ruta("hubspot_contactos.csv"))
    embudo = metricas.embudo(hubspot, ["lead", "lead_calificado_marketing", "oportunidad", "compra"])
    assert embudo["clientes"].is_monotonic_decreasing and embudo["clientes"].iloc[-1] > 0


def test_s_e_n_de_la_retencion_salen_de_los_pedidos():
    pedidos = importar(muestras.ruta("shopify_pedidos.csv"))
    primera = pedidos.groupby("cliente_id")["momento"].min()
    inicio, fin = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-04-01")
    s = int((primera < inicio).sum())
    e = int((primera < fin).sum())
    n = int(((primera >= inicio) & (primera < fin)).sum())
    # Customers are everyone who ever bought: S − (E − N) = 0 and retention is 100 by construction…
    assert metricas.tasa_retencion(s, e, n) == 100.0
    # …so "active" needs a window: those who bought in the period.
    activas_fin = set(pedidos.loc[(pedidos["momento"] >= inicio) & (pedidos["momento"] < fin), "cliente_id"])
    antes = set(primera[primera < inicio].index)
    retenidas = len(activas_fin & antes)
    tasa = metricas.tasa_retencion(len(antes), retenidas + n, n)
    assert 0 < tasa < 100


def test_clientes_de_shopify_y_de_hubspot():
    clientes = importar_clientes(muestras.ruta("shopify_clientes.csv"))
    assert clientes.attrs["importacion"].formato == "shopify_clientes"
    assert clientes["cliente_id"].is_unique and clientes["cliente_id"].str.contains("@").all()
    contactos = importar_clientes(muestras.ruta("hubspot_contactos.csv"))
    assert contactos["alta"].dtype == np.dtype("datetime64[ns]") and len(contactos) == 300
    with pytest.raises(ErrorCurso, match=r"tipo='clientes'"):
        importar(muestras.ruta("shopify_clientes.csv"))


# --- GA4 ------------------------------------------------------------------------------------------

_GA4 = (
    "event_date,event_timestamp,event_name,user_pseudo_id,user_id,device.category,traffic_source.source,"
    "traffic_source.medium,ecommerce.purchase_revenue\n"
)


def test_ga4_microsegundos_utc_a_la_hora_de_la_tienda(tmp_path):
    # 2024-03-01 13:42:11.5 UTC is 07:42:11.5 in Mexico City (UTC-6, no daylight saving since 2022).
    ruta = _escribir(
        tmp_path, "ga4.csv", _GA4 + "20240301,1709300531500000,purchase,111.222,,mobile,google,cpc,1299.5\n"
    )
    ev = importar(ruta)
    assert ev["momento"].iloc[0] == pd.Timestamp("2024-03-01 07:42:11.5")
    assert ev["importe"].iloc[0] == 1299.5 and ev["evento"].iloc[0] == "compra"
    assert importar(ruta, zona_horaria="America/Bogota")["momento"].iloc[0] == pd.Timestamp(
        "2024-03-01 08:42:11.5"
    )
    assert importar(ruta, zona_horaria="UTC")["momento"].iloc[0] == pd.Timestamp("2024-03-01 13:42:11.5")


def test_ga4_no_toma_el_user_id_vacio_como_cliente(tmp_path):
    filas = []
    for k in range(30):
        cliente = f"{1000 + k % 13}.1700000000"
        usuario = "cliente-7" if k == 0 else ""
        evento = "purchase" if k % 2 else "session_start"
        filas.append(
            f"2024030{1 + k % 9},{1709300531000000 + k * 10**9},{evento},{cliente},{usuario},desktop,"
            f"(direct),(none),{'100' if k % 2 else ''}"
        )
    ev = importar(_escribir(tmp_path, "ga4.csv", _GA4 + "\n".join(filas) + "\n"))
    assert ev["cliente_id"].nunique() == 13
    informe = ev.attrs["importacion"]
    assert informe.columnas["user_pseudo_id"] == "cliente_id"
    assert any("user_id" in a for a in informe.avisos)
    # Second and later purchases of the same browser are repurchases: retention is not zero.
    assert (ev["evento"] == "recompra").sum() > 0
    ids = importar(_escribir(tmp_path, "ga4b.csv", _GA4 + "\n".join(filas) + "\n"), cliente="user_id")
    assert "cliente-7" in set(ids["cliente_id"])


def test_ga4_con_tiempos_en_segundos_es_un_error_claro(tmp_path):
    ruta = _escribir(tmp_path, "ga4.csv", _GA4 + "20240301,1709300531,page_view,1.2,,mobile,google,cpc,\n")
    with pytest.raises(ErrorCurso, match="microsegundos") as e:
        importar(ruta)
    assert "ga4.csv" in str(e.value)


def test_ga4_con_texto_en_el_tiempo_nombra_la_linea(tmp_path):
    ruta = _escribir(
        tmp_path,
        "ga4.csv",
        _GA4 + "20240301,1709300531000000,page_view,1.2,,mobile,google,cpc,\n"
        "20240301,ayer,page_view,1.2,,mobile,google,cpc,\n",
    )
    with pytest.raises(ErrorCurso, match=r"línea 3|fila 3"):
        importar(ruta)


def test_ga4_nombres_y_fuentes_que_parecen_numeros_quedan_como_se_escribieron(tmp_path):
    # Names and sources are read as categories, and pandas turns number-like categories into numbers.
    ruta = _escribir(
        tmp_path,
        "ga4.csv",
        _GA4 + "20240301,1709300531000000,0420,007.10,,mobile,007,cpc,\n"
        "20240301,1709300532000000,purchase,007.10,,,google,,10\n",
    )
    ev = importar(ruta)
    assert ev["cliente_id"].tolist() == ["007.10", "007.10"]
    assert ev["evento"].tolist() == ["0420", "compra"]
    assert ev["canal"].tolist() == ["007", "google"]
    assert ev["dispositivo"].iloc[0] == "móvil" and pd.isna(ev["dispositivo"].iloc[1])


def test_canal_desde_la_fuente_de_trafico():
    assert analitica.canal_de("l.instagram.com", "referral") == "instagram"
    assert analitica.canal_de("klaviyo", "email") == "correo"
    assert analitica.canal_de("bing", "organic") == "bing"
    assert analitica.canal_de("", "") == "directo"


# --- Shopify ----------------------------------------------------------------------------------------

_SHOPIFY = "Name,Email,Financial Status,Total,Created at,Lineitem quantity,Lineitem name,Cancelled at,Refunded Amount,Id\n"


def test_shopify_una_compra_por_pedido_con_su_total_y_offsets_cambiantes(tmp_path):
    texto = (
        _SHOPIFY
        + (
            "#1001,Ana@Ejemplo.mx,paid,1500.00,2024-03-09 10:00:00 -0600,1,Tenis,,0.00,5001\n"
            "#1001,Ana@Ejemplo.mx,,,2024-03-09 10:00:00 -0600,2,Botas,,,\n"
            "#1001,Ana@Ejemplo.mx,,,2024-03-09 10:00:00 -0600,1,Flats,,,\n"
            "#1002,ana@ejemplo.mx,paid,800.00,2024-03-12 10:00:00 -0500,1,Flats,,0.00,5002\n"  # after US DST change
            "#1003,bea@ejemplo.mx,voided,300.00,2024-03-12 11:00:00 -0500,1,Flats,,0.00,5003\n"
            "#1004,bea@ejemplo.mx,refunded,300.00,2024-03-13 11:00:00 -0500,1,Flats,,300.00,5004\n"
            "#1005,bea@ejemplo.mx,paid,300.00,2024-03-14 11:00:00 -0500,1,Flats,2024-03-14 12:00:00 -0500,0.00,5005\n"
            "#1006,caro@ejemplo.mx,partially_refunded,1000.00,2024-11-04 09:00:00 -0600,1,Botas,,250.00,5006\n"
            "#1007,,paid,999.00,2024-11-05 09:00:00 -0600,1,Botas,,0.00,5007\n"
        )
    )
    ev = importar(_escribir(tmp_path, "orders_export.csv", texto))
    informe = ev.attrs["importacion"]
    assert informe.formato == "shopify"
    assert ev["cliente_id"].tolist() == ["ana@ejemplo.mx", "ana@ejemplo.mx", "caro@ejemplo.mx"]
    assert ev["evento"].tolist() == ["compra", "recompra", "compra"]
    assert ev["importe"].tolist() == [1500.0, 800.0, 750.0]
    # -0600 and -0500 are both converted to Mexico City (UTC-6 all year): 10:00 and 09:00.
    assert ev["momento"].tolist() == [
        pd.Timestamp("2024-03-09 10:00"),
        pd.Timestamp("2024-03-12 09:00"),
        pd.Timestamp("2024-11-04 09:00"),
    ]
    assert sum(informe.descartadas.values()) == 4
    assert {"pago anulado (voided)", "reembolso total (refunded)", "pedido cancelado (Cancelled at)"} <= set(
        informe.descartadas
    )
    assert informe.columnas["Email"] == "cliente_id" and "Id" not in informe.columnas


def test_shopify_pedido_sin_total_en_su_primera_fila_es_un_error(tmp_path):
    texto = _SHOPIFY + "#1001,ana@x.mx,paid,,2024-03-09 10:00:00 -0600,1,Tenis,,0.00,5001\n"
    with pytest.raises(ErrorCurso, match="#1001") as e:
        importar(_escribir(tmp_path, "orders.csv", texto))
    assert "línea 2" in str(e.value)


# --- Tiendanube and amounts ---------------------------------------------------------------------

_NUBE = "Número de orden;Email;Fecha;Estado de la orden;Estado del pago;Total;Nombre del producto\n"


def test_tiendanube_latin1_punto_y_coma_y_coma_decimal(tmp_path):
    texto = _NUBE + (
        "101;sofía@ejemplo.cl;15/03/2024 10:22:11;Cerrada;Pagado;12.990;Zapatilla\n"
        "101;sofía@ejemplo.cl;15/03/2024 10:22:11;Cerrada;Pagado;12.990;Calcetín\n"
        "102;josé@ejemplo.cl;16/03/2024;Cancelada;Reembolsado;5.000;Bota\n"
        "103;josé@ejemplo.cl;17/03/2024 09:00:00;Abierta;Pagado;7.490;Sandalia\n"
    )
    ev = importar(_escribir(tmp_path, "ventas.csv", texto, "latin-1"), zona_horaria="America/Santiago")
    informe = ev.attrs["importacion"]
    assert informe.formato == "tiendanube" and informe.separador == ";"
    assert ev["importe"].tolist() == [12990.0, 7490.0]
    assert ev["cliente_id"].tolist() == ["sofía@ejemplo.cl", "josé@ejemplo.cl"]
    assert any("12.990" in a and "12990" in a for a in informe.avisos), informe.avisos
    assert informe.descartadas == {"orden cancelada": 1}


def test_importe_ambiguo_en_un_csv_cualquiera_pide_decidir(tmp_path):
    texto = "cliente,fecha,evento,monto\na,2024-03-01 10:00,compra,12.990\nb,2024-03-02 10:00,compra,5.500\n"
    ruta = _escribir(tmp_path, "ventas.csv", texto)
    with pytest.raises(ErrorCurso, match="decimal") as e:
        importar(ruta)
    assert "12.990" in str(e.value) and "ventas.csv" in str(e.value)
    assert importar(ruta, decimal=",")["importe"].tolist() == [12990.0, 5500.0]
    assert importar(ruta, decimal=".")["importe"].tolist() == [12.99, 5.5]


@pytest.mark.parametrize(
    ("valores", "esperado"),
    [
        (["1.299,50", "12,5"], [1299.5, 12.5]),
        (["1,299.50", "12.5"], [1299.5, 12.5]),
        (["$ 1,299.00", "MXN 15"], [1299.0, 15.0]),
        (["12,99", "3"], [12.99, 3.0]),
    ],
)
def test_importes_que_no_son_ambiguos(tmp_path, valores, esperado):
    filas = "".join(f'c{k},2024-03-0{k + 1} 10:00,compra,"{v}"\n' for k, v in enumerate(valores))
    ev = importar(_escribir(tmp_path, "v.csv", "cliente,fecha,evento,monto\n" + filas))
    assert ev["importe"].tolist() == esperado


# --- any CSV ----------------------------------------------------------------------------------------


def test_csv_dice_que_columna_se_volvio_cual_y_avisa_de_un_id_generico(tmp_path):
    texto = "Id,Fecha,Evento\n1,2024-03-01T10:00:00Z,visita_web\n2,2024-03-01T11:00:00+01:00,compra\n"
    ev = importar(_escribir(tmp_path, "mis_datos.csv", texto))
    informe = ev.attrs["importacion"]
    assert informe.formato == "csv" and informe.reconocido_por == []
    assert informe.columnas == {"Id": "cliente_id", "Fecha": "momento", "Evento": "evento"}
    assert any("Id" in a and "cliente_id" in a for a in informe.avisos)
    # Offsets are converted: 10:00Z is 04:00 in Mexico City, 11:00+01:00 is 04:00 too.
    assert ev["momento"].tolist() == [pd.Timestamp("2024-03-01 04:00")] * 2


def test_csv_con_id_casi_vacio_no_se_toma_como_cliente(tmp_path):
    texto = "user_id,fecha,evento\n,2024-03-01,visita_web\n,2024-03-02,compra\nu1,2024-03-03,compra\n"
    with pytest.raises(ErrorCurso, match="vacía"):
        importar(_escribir(tmp_path, "d.csv", texto))


def test_csv_con_columnas_indicadas(tmp_path):
    texto = "Correo,Cuándo,Qué\nA@x.mx,15/03/2024,compra\nb@x.mx,16/03/2024,visita_web\n"
    ev = importar(
        _escribir(tmp_path, "d.csv", texto),
        columnas={"Correo": "cliente_id", "Cuándo": "momento", "Qué": "evento"},
    )
    assert ev["momento"].tolist() == [pd.Timestamp("2024-03-15"), pd.Timestamp("2024-03-16")]
    assert isinstance(ev["cliente_id"].dtype, pd.StringDtype)


def test_fechas_mezcladas_y_numeros_de_excel(tmp_path):
    texto = "cliente,fecha,evento\na,15/03/2024 10:30,visita_web\nb,2024-03-16 11:00,compra\nc,45367,compra\n"
    ev = importar(_escribir(tmp_path, "d.csv", texto))
    assert ev["momento"].tolist() == [
        pd.Timestamp("2024-03-15 10:30"),
        pd.Timestamp("2024-03-16"),
        pd.Timestamp("2024-03-16 11:00"),
    ]
    assert any("Excel" in a for a in ev.attrs["importacion"].avisos)


def test_excel_con_fechas_de_celda(tmp_path):
    ruta = tmp_path / "datos.xlsx"
    pd.DataFrame(
        {
            "Cliente": ["a", "b"],
            "Fecha": pd.to_datetime(["2024-03-01 10:00", "2024-03-02 12:00"]),
            "Evento": ["visita_web", "compra"],
            "Monto": [None, 1299.5],
        }
    ).to_excel(ruta, index=False)
    ev = importar(ruta)
    assert ev["momento"].tolist() == [pd.Timestamp("2024-03-01 10:00"), pd.Timestamp("2024-03-02 12:00")]
    assert ev["importe"].iloc[1] == 1299.5


# --- what cannot be read ------------------------------------------------------------------------------


def test_columna_duplicada(tmp_path):
    with pytest.raises(ErrorCurso, match="«fecha» aparece dos veces") as e:
        importar(_escribir(tmp_path, "d.csv", "cliente,fecha,fecha,evento\na,2024-03-01,2024-03-01,compra\n"))
    assert "línea 1" in str(e.value) and "d.csv" in str(e.value)


def test_excel_danado(tmp_path):
    ruta = tmp_path / "ventas.xlsx"
    ruta.write_bytes(b"PK\x03\x04 esto no es un excel de verdad" * 10)
    with pytest.raises(ErrorCurso, match=r"ventas\.xlsx.*dañado") as e:
        importar(ruta)
    assert e.value.pista


def test_excel_con_columna_duplicada(tmp_path):
    ruta = tmp_path / "dup.xlsx"
    tabla = pd.DataFrame([["a", "2024-03-01", "2024-03-02", "compra"]], columns=["c", "f", "f2", "e"])
    tabla.columns = ["cliente", "fecha", "fecha", "evento"]
    tabla.to_excel(ruta, index=False)
    with pytest.raises(ErrorCurso, match=r"fecha.*dos veces"):
        importar(ruta)


@pytest.mark.parametrize("separador", [";;", "::", "ab"])
def test_separador_de_varios_caracteres(tmp_path, separador):
    ruta = _escribir(tmp_path, "d.csv", "cliente,fecha,evento\na,2024-03-01,compra\n")
    with pytest.raises(ErrorCurso, match="un solo carácter"):
        importar(ruta, separador=separador)


def test_fila_con_columnas_de_mas_nombra_la_linea(tmp_path):
    texto = "cliente,fecha,evento\na,2024-03-01,compra\nb,2024-03-02,compra,extra,otra\n"
    with pytest.raises(ErrorCurso, match="línea 3") as e:
        importar(_escribir(tmp_path, "d.csv", texto))
    assert "separador" in str(e.value)


@pytest.mark.parametrize(
    ("contenido", "mensaje"),
    [(b"", "vacío"), (b"cliente,fecha,evento\n", "sin filas"), (b"\n\n\n", "encabezado")],
)
def test_archivos_vacios(tmp_path, contenido, mensaje):
    ruta = tmp_path / "d.csv"
    ruta.write_bytes(contenido)
    with pytest.raises(ErrorCurso, match=mensaje):
        importar(ruta)


def test_archivo_inexistente_y_extension_desconocida(tmp_path):
    with pytest.raises(ErrorCurso, match="No encuentro"):
        importar(tmp_path / "no_esta.csv")
    with pytest.raises(ErrorCurso, match="tipo de archivo"):
        importar(_escribir(tmp_path, "d.pdf", "hola"))
    with pytest.raises(ErrorCurso, match=r"\.xls"):
        importar(_escribir(tmp_path, "d.xls", "hola"))


def test_json_lineas_roto_nombra_la_linea(tmp_path):
    texto = '{"event_timestamp": "1709300531000000", "event_name": "x", "user_pseudo_id": "1"}\n{roto\n'
    with pytest.raises(ErrorCurso, match="línea 2"):
        importar(_escribir(tmp_path, "ga4.jsonl", texto))


@pytest.mark.parametrize("codificacion", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
def test_codificaciones(tmp_path, codificacion):
    texto = "cliente;fecha;evento;ciudad\nSofía;15/03/2024 10:00;compra;Querétaro\nÑandú;16/03/2024;visita_web;León\n"
    ev = importar(_escribir(tmp_path, "d.csv", texto, codificacion))
    assert set(ev["cliente_id"]) == {"Sofía", "Ñandú"}
    assert "Querétaro" in set(ev["ciudad"])


@pytest.mark.parametrize("separador", [",", ";", "\t", "|"])
def test_separadores(tmp_path, separador):
    texto = (
        separador.join(["cliente", "fecha", "evento"])
        + "\n"
        + separador.join(["a", "2024-03-01", "compra"])
        + "\n"
    )
    assert importar(_escribir(tmp_path, "d.csv", texto))["evento"].tolist() == ["compra"]


def test_opciones_malas(tmp_path):
    ruta = muestras.ruta("shopify_pedidos.csv")
    with pytest.raises(ErrorCurso, match="formato"):
        importar(ruta, formato="amazon")
    with pytest.raises(ErrorCurso, match="zona horaria"):
        importar(ruta, zona_horaria="Mexico/Narnia")
    with pytest.raises(ErrorCurso, match="tipo"):
        importar(ruta, tipo="pedidos")
    with pytest.raises(ErrorCurso, match="codificación"):
        importar(ruta, codificacion="klingon")
    with pytest.raises(ErrorCurso, match="no tiene la opción «columnass»"):
        importar(ruta, columnass={"a": "b"})


def test_no_imprime_nada_salvo_que_se_pida(capsys):
    importar(muestras.ruta("klaviyo_actividad.csv"))
    assert capsys.readouterr().out == ""
    importar(muestras.ruta("klaviyo_actividad.csv"), mostrar=True)
    assert "Importé «klaviyo_actividad.csv» como klaviyo" in capsys.readouterr().out


def test_el_resumen_es_legible_y_tiene_html():
    informe = importar(muestras.ruta("shopify_pedidos.csv")).attrs["importacion"]
    texto = str(informe)
    assert "Apartadas:" in texto and "Email → cliente_id" in texto
    assert informe._repr_html_().startswith("<pre")


def test_fechas_sin_hora_hacen_que_el_embudo_avise(tmp_path):
    filas = "".join(f"c{k},2024-03-01,visita_web\nc{k},2024-03-01,compra\n" for k in range(5))
    ev = importar(_escribir(tmp_path, "d.csv", "cliente,fecha,evento\n" + filas))
    with pytest.warns(AvisoOrden, match="solo tienen fechas"):
        metricas.embudo(ev, ["visita_web", "compra"])
    with pytest.warns(AvisoOrden, match="mismo momento"):
        metricas.tasa_conversion(ev, "visita_web", "compra")


def test_nombres_publicos():
    assert cj_course.importar is modulo_importar
    assert callable(cj_course.datos.importar)
    assert set(cj_course.datos.FORMATOS) >= {
        "ga4",
        "shopify",
        "tiendanube",
        "mailchimp",
        "klaviyo",
        "hubspot",
        "csv",
    }


@pytest.mark.parametrize(
    "modulo",
    [_comun, analitica, correo, crm, generico, tiendas, muestras, pytest.param("paquete", id="importar")],
)
def test_ejemplos_de_la_documentacion(modulo):
    import importlib

    if modulo == "paquete":
        modulo = importlib.import_module("cj_course.datos.importar")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        resultado = doctest.testmod(modulo, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert resultado.failed == 0


@pytest.mark.parametrize(
    "muestra",
    [
        "ga4_eventos.csv",
        "hubspot_contactos.csv",
        "klaviyo_actividad.csv",
        "mailchimp_actividad.csv",
        "shopify_pedidos.csv",
        "tiendanube_ventas.csv",
    ],
)
def test_los_eventos_de_cada_exportacion_tienen_etapa(muestra):
    """Lo que trae cualquier exportación de muestra se cuenta por etapa sin pasar un mapeo propio."""
    from pathlib import Path

    eventos = importar(Path(muestras.__file__).parent / muestra)
    por_etapa = metricas.clientes_por_etapa(eventos)
    assert por_etapa["clientes"].sum() > 0


@pytest.mark.parametrize(
    ("cabecera", "fila", "dice"),
    [
        ("Correo,Fecha {alta},Qué,Total {MXN}", "a@x.mx,15/03/2024,compra,mil", "Total {MXN}"),
        ("Correo,Fecha {alta},Qué,Total {MXN}", "a@x.mx,ayer,compra,10", "Fecha {alta}"),
    ],
)
def test_una_columna_con_llaves_en_el_nombre_da_el_error_en_espanol(tmp_path, cabecera, fila, dice):
    """The student's column names go into the message as they are: braces must not break it."""
    columnas = {"Correo": "cliente_id", "Fecha {alta}": "momento", "Qué": "evento", "Total {MXN}": "importe"}
    with pytest.raises(ErrorCurso) as error:
        importar(_escribir(tmp_path, "d.csv", f"{cabecera}\n{fila}\n"), columnas=columnas)
    assert f"«{dice}»" in str(error.value) and "1 " in error.value.mensaje


def test_un_lector_mal_llamado_se_nombra_a_si_mismo():
    from cj_course.datos import leer_clientes, leer_eventos

    with pytest.raises(ErrorCurso, match=r"^leer_eventos no recibió bien sus argumentos"):
        leer_eventos()
    with pytest.raises(ErrorCurso, match="leer_clientes") as error:
        leer_clientes(pd.DataFrame(), {}, "de más")
    assert "_leer" not in str(error.value)
