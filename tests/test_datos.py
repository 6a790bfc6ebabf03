"""Datos del curso: vocabulario, generador, conjuntos incluidos y lectura de datos propios."""

from __future__ import annotations

import doctest
import gzip
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cj_course.datos as datos_pkg
from cj_course import ErrorCurso
from cj_course.datos import (
    CONJUNTOS,
    EVENTO_A_ETAPA,
    EVENTOS_CON_IMPORTE,
    VOCABULARIO,
    agregar_etapa,
    cargar_datos,
    conjuntos,
    etapa_de_evento,
    etiqueta_evento,
    generador,
    generar_datos,
    guardar_datos,
    lectura,
    leer_clientes,
    leer_datos,
    leer_encuestas,
    leer_eventos,
    mapas,
    vocabulario,
)
from cj_course.datos.generar import main as generar_main
from cj_course.etapas import ETAPAS
from cj_course.metricas import nps, tasa_conversion, tiempo_hasta_conversion

CLAVES = {e.clave for e in ETAPAS}


# --- vocabulary ---------------------------------------------------------------------------------


def test_cada_evento_pertenece_a_una_etapa_del_curso():
    assert set(EVENTO_A_ETAPA.values()) == CLAVES  # every stage has events and nothing else appears
    assert len({t.nombre for t in VOCABULARIO}) == len(VOCABULARIO)
    assert EVENTO_A_ETAPA["anuncio_visto"] == "conciencia"
    assert EVENTO_A_ETAPA["ver_producto"] == "consideracion"
    assert EVENTO_A_ETAPA["agregar_carrito"] == "decision"
    assert EVENTO_A_ETAPA["inicio_pago"] == EVENTO_A_ETAPA["compra"] == "compra"
    assert EVENTO_A_ETAPA["encuesta"] == EVENTO_A_ETAPA["resena"] == "post_compra"
    assert EVENTO_A_ETAPA["recompra"] == "lealtad"
    assert EVENTO_A_ETAPA["contrato"] == "compra" and EVENTO_A_ETAPA["negociacion"] == "decision"


def test_vocabulario_en_orden_de_recorrido():
    orden = [e.clave for e in ETAPAS]
    posiciones = [orden.index(t.etapa) for t in VOCABULARIO]
    assert posiciones == sorted(posiciones)


def test_tabla_del_vocabulario():
    tabla = datos_pkg.tabla_vocabulario()
    assert len(tabla) == len(VOCABULARIO)
    assert list(tabla.columns) == [
        "evento",
        "etapa",
        "nombre_etapa",
        "etiqueta",
        "descripcion",
        "tiene_importe",
    ]
    assert set(tabla.loc[tabla["tiene_importe"], "evento"]) == set(EVENTOS_CON_IMPORTE)
    assert tabla["descripcion"].str.len().min() > 10


def test_script_generar_rechaza_nombres_desconocidos(tmp_path, capsys):
    with pytest.raises(SystemExit):
        generar_main(["--destino", str(tmp_path), "tenis"])
    assert "no existe el conjunto 'tenis'" in capsys.readouterr().err


def test_etapa_de_evento_tolera_mayusculas_y_sugiere():
    assert etapa_de_evento("  Agregar Carrito ") == "decision"
    with pytest.raises(ErrorCurso, match="compra") as error:
        etapa_de_evento("compraa")
    assert "Quisiste decir" in str(error.value)
    with pytest.raises(ErrorCurso):
        etapa_de_evento(3)


def test_etiquetas_en_espanol():
    assert etiqueta_evento("agregar_carrito") == "Agregó al carrito"
    assert etiqueta_evento("mi_evento_raro") == "Mi evento raro"
    assert set(vocabulario.ETIQUETAS) == set(EVENTO_A_ETAPA)


def test_agregar_etapa_con_mapeo_propio():
    ev = pd.DataFrame({"evento": ["visita_web", "pedido_enviado", "compra"]})
    with pytest.raises(ErrorCurso, match="pedido_enviado"):
        agregar_etapa(ev)
    con = agregar_etapa(ev, mapeo={"pedido_enviado": "Post-compra"})
    assert con["etapa"].tolist() == ["conciencia", "post_compra", "compra"]
    assert "etapa" not in ev.columns  # the input is not modified
    with pytest.raises(ErrorCurso, match="no existe"):
        agregar_etapa(ev, mapeo={"pedido_enviado": "envio"})
    with pytest.raises(ErrorCurso):
        agregar_etapa(pd.DataFrame({"accion": ["x"]}))


# --- generator ------------------------------------------------------------------------------------


@pytest.mark.parametrize("escenario", ["zapatos", "nubestock"])
def test_generador_determinista(escenario):
    a = generar_datos(escenario, n_clientes=800, semilla=5)
    b = generar_datos(escenario, n_clientes=800, semilla=5)
    c = generar_datos(escenario, n_clientes=800, semilla=6)
    for tabla in ("clientes", "eventos", "encuestas"):
        pd.testing.assert_frame_equal(getattr(a, tabla), getattr(b, tabla))
    assert not a.eventos[["momento"]].equals(c.eventos[["momento"]])


@pytest.mark.parametrize("escenario", ["zapatos", "nubestock"])
def test_generador_produce_tablas_coherentes(escenario):
    d = generar_datos(escenario, n_clientes=2000, semilla=3)
    ev, cl, en = d.eventos, d.clientes, d.encuestas
    assert list(ev.columns) == ["cliente_id", "momento", "evento", "canal", "importe"]
    assert ev["momento"].is_monotonic_increasing
    assert set(ev["evento"].astype(str)) <= set(EVENTO_A_ETAPA)
    assert set(ev["cliente_id"].astype(str)) <= set(cl["cliente_id"])
    assert set(en["cliente_id"]) <= set(cl["cliente_id"])
    con_importe = ev["importe"].notna()
    assert set(ev.loc[con_importe, "evento"].astype(str)) <= set(EVENTOS_CON_IMPORTE)
    assert (ev.loc[con_importe, "importe"] > 0).all()
    compras = ev["evento"].astype(str).isin(["compra", "contrato"])
    assert ev.loc[compras, "importe"].notna().all()
    assert en["puntuacion"].between(0, 10).all()
    assert cl["cliente_id"].is_unique
    # Every surveyed customer answered after their "encuesta" event: the two tables tell one story.
    encuesta = ev[ev["evento"] == "encuesta"]
    assert len(encuesta) == len(en)
    # Customers start their journey at their "alta" date.
    primero = ev.groupby("cliente_id", observed=True)["momento"].min()
    alta = cl.set_index("cliente_id")["alta"].reindex(primero.index.astype(str))
    assert (primero.to_numpy() >= alta.to_numpy()).all()


def test_generador_zapatos_respeta_el_mercado_de_la_semilla():
    cl = generar_datos("zapatos", n_clientes=3000, semilla=2).clientes
    assert cl["edad"].between(18, 45).all()
    assert set(cl["ciudad"].astype(str)) == {"CDMX", "Estado de México", "Guadalajara", "Monterrey"}
    assert cl["nombre"].notna().all()


def test_generador_rapido_y_proporcional():
    d = generar_datos("zapatos", n_clientes=20_000, semilla=1)
    # ~4.5 events per customer: 1 M events needs ~220 000 customers, as the docstring promises.
    assert 3.5 < len(d.eventos) / 20_000 < 5.5


@pytest.mark.parametrize(
    "argumentos, campo",
    [
        ({"escenario": "tienda"}, "escenario"),
        ({"n_clientes": 0}, "n_clientes"),
        ({"n_clientes": 2.5}, "n_clientes"),
        ({"semilla": -1}, "semilla"),
        ({"inicio": "2024-01-01", "fin": "2024-02-01"}, "fin"),
        ({"inicio": "ayer"}, "inicio"),
    ],
)
def test_generador_rechaza_parametros_malos(argumentos, campo):
    with pytest.raises(ErrorCurso) as error:
        generar_datos(**argumentos)
    assert error.value.campo == campo


# --- planted stories (on the bundled data, what students will see) -------------------------------


def _subconjunto(ev, ids):
    return ev[ev["cliente_id"].isin(pd.Index(ids).astype(str))]


def test_historia_pago_movil():
    d = cargar_datos("zapatos")
    movil = d.clientes.loc[d.clientes["dispositivo"] == "móvil", "cliente_id"]
    compu = d.clientes.loc[d.clientes["dispositivo"] == "computadora", "cliente_id"]
    tasa_movil = tasa_conversion(_subconjunto(d.eventos, movil), "inicio_pago", "compra")
    tasa_compu = tasa_conversion(_subconjunto(d.eventos, compu), "inicio_pago", "compra")
    assert tasa_compu - tasa_movil > 25


def test_historia_correo_de_bienvenida():
    d = cargar_datos("zapatos")
    ev = d.eventos
    compras = ev[(ev["evento"] == "compra") & (ev["momento"] >= generador.CAMPANA_BIENVENIDA)]
    con_correo = set(ev.loc[ev["evento"] == "correo_bienvenida", "cliente_id"].astype(str))
    ids = compras["cliente_id"].astype(str)
    con = tasa_conversion(_subconjunto(ev, ids[ids.isin(con_correo)]), "compra", "recompra")
    sin = tasa_conversion(_subconjunto(ev, ids[~ids.isin(con_correo)]), "compra", "recompra")
    assert con - sin > 10
    # Before the campaign nobody got the e-mail.
    antes = ev[(ev["evento"] == "correo_bienvenida") & (ev["momento"] < generador.CAMPANA_BIENVENIDA)]
    assert antes.empty


def test_historia_entrega_en_monterrey():
    d = cargar_datos("zapatos")
    por_ciudad = d.encuestas.merge(d.clientes, on="cliente_id").groupby("ciudad", observed=True)["puntuacion"]
    valores = por_ciudad.apply(nps)
    assert valores.idxmin() == "Monterrey"
    assert valores.drop("Monterrey").min() - valores["Monterrey"] > 30
    comentarios = d.encuestas.merge(d.clientes, on="cliente_id")
    mty = comentarios.loc[comentarios["ciudad"] == "Monterrey", "comentario"].dropna()
    assert mty.str.contains("tard|paqueter|entrega", case=False).mean() > 0.3


def test_historia_resenas():
    ev = cargar_datos("zapatos").eventos
    leen = ev.loc[ev["evento"] == "leer_resenas", "cliente_id"].astype(str).unique()
    todos = ev["cliente_id"].astype(str)
    con = tasa_conversion(ev[todos.isin(leen)], "ver_producto", "agregar_carrito")
    sin = tasa_conversion(ev[~todos.isin(leen)], "ver_producto", "agregar_carrito")
    assert con - sin > 8


def test_historias_b2b():
    d = cargar_datos("nubestock")
    ev, cl = d.eventos, d.clientes
    prueba = ev.loc[ev["evento"] == "prueba_gratuita", "cliente_id"].astype(str).unique()
    ids = ev["cliente_id"].astype(str)
    assert tasa_conversion(ev[ids.isin(prueba)], "demo", "contrato") > 1.5 * tasa_conversion(
        ev[~ids.isin(prueba)], "demo", "contrato"
    )
    pyme = _subconjunto(ev, cl.loc[cl["segmento"] == "Pyme", "cliente_id"])
    corpo = _subconjunto(ev, cl.loc[cl["segmento"] == "Corporativo", "cliente_id"])
    assert tiempo_hasta_conversion(corpo, "solicitud_demo", "contrato") > 1.8 * tiempo_hasta_conversion(
        pyme, "solicitud_demo", "contrato"
    )
    contrato = ev[ev["evento"] == "contrato"].set_index("cliente_id")["momento"]
    onboarding = ev[ev["evento"] == "onboarding"].set_index("cliente_id")["momento"]
    dias = (onboarding - contrato.reindex(onboarding.index)).dt.days
    lentos = dias[dias > 45].index.astype(str)
    # Only contracts old enough to have reached their first renewal date.
    maduros = contrato[contrato < "2024-05-01"].index.astype(str)
    firmados = ev[ids.isin(maduros)]
    firmados_ids = firmados["cliente_id"].astype(str)
    renov_lentos = tasa_conversion(firmados[firmados_ids.isin(lentos)], "contrato", "renovacion")
    renov_rapidos = tasa_conversion(firmados[~firmados_ids.isin(lentos)], "contrato", "renovacion")
    assert renov_rapidos - renov_lentos > 15


# --- bundled data sets ----------------------------------------------------------------------------


@pytest.mark.parametrize("nombre", sorted(CONJUNTOS))
def test_conjunto_incluido_con_tipos_fijos(nombre):
    d = cargar_datos(nombre)
    ev, cl, en = d.eventos, d.clientes, d.encuestas
    assert str(ev["momento"].dtype) == "datetime64[ns]"
    assert str(en["momento"].dtype) == "datetime64[ns]"
    assert str(cl["alta"].dtype) == "datetime64[ns]"
    for columna in ("cliente_id", "evento", "canal"):
        assert isinstance(ev[columna].dtype, pd.CategoricalDtype)
    assert ev["importe"].dtype == np.float64
    assert en["puntuacion"].dtype == np.int64
    assert pd.api.types.is_string_dtype(cl["cliente_id"]) and pd.api.types.is_string_dtype(en["cliente_id"])
    assert {"cliente_id", "nombre", "segmento", "ciudad", "alta"} <= set(cl.columns)
    assert len(ev) > 10 * len(en) > 0
    assert repr(d).startswith(f"DatosCurso('{nombre}'")
    clientes, eventos, encuestas = d
    assert eventos is ev and clientes is cl and encuestas is en


def test_zapatos_columnas_de_clientes():
    cl = cargar_datos("zapatos").clientes
    assert list(cl.columns) == [
        "cliente_id",
        "nombre",
        "segmento",
        "edad",
        "ciudad",
        "alta",
        "dispositivo",
        "canal_adquisicion",
        "producto_favorito",
    ]
    assert cl["edad"].dtype == "Int64"
    assert cargar_datos("zapatos").empresa == "Zapatos SA de CV"


def test_conjuntos_pequenos_y_comprimidos():
    carpeta = Path(datos_pkg.__file__).parent
    archivos = list(carpeta.glob("*.csv.gz"))
    assert len(archivos) == 3 * len(CONJUNTOS)
    assert sum(a.stat().st_size for a in archivos) < 4 * 1024 * 1024
    for archivo in archivos:
        with gzip.open(archivo, "rt", encoding="utf-8") as f:
            assert f.readline().startswith("cliente_id,")


@pytest.mark.parametrize("nombre", sorted(CONJUNTOS))
def test_conjunto_incluido_es_el_que_genera_el_script(nombre):
    """The bundled files are exactly what ``python -m cj_course.datos.generar`` writes."""
    incluidos = cargar_datos(nombre)
    regenerado = conjuntos.regenerar(nombre)
    for tabla in ("clientes", "eventos", "encuestas"):
        pd.testing.assert_frame_equal(
            getattr(incluidos, tabla),
            getattr(regenerado, tabla),
            obj=f"{nombre}.{tabla} (regenera con python -m cj_course.datos.generar)",
        )


def test_guardar_es_reproducible_byte_a_byte(tmp_path):
    d = generar_datos("nubestock", n_clientes=300, semilla=9)
    primeros = guardar_datos(d, tmp_path / "a")
    segundos = guardar_datos(d, tmp_path / "b")
    for a, b in zip(primeros, segundos, strict=True):
        assert a.read_bytes() == b.read_bytes()
    leido = leer_datos("nubestock", tmp_path / "a")
    pd.testing.assert_frame_equal(leido.eventos, d.eventos)
    pd.testing.assert_frame_equal(leido.clientes, d.clientes)


def test_script_generar_escribe_en_destino(tmp_path, capsys):
    escritos = generar_main(["--destino", str(tmp_path), "nubestock"])
    assert {p.name for p in escritos} == {
        "nubestock.json",
        "nubestock_clientes.csv.gz",
        "nubestock_eventos.csv.gz",
        "nubestock_encuestas.csv.gz",
    }
    assert all(p.stat().st_size > 0 for p in escritos)
    assert "nubestock" in capsys.readouterr().out


def test_cargar_datos_por_alias_y_errores():
    assert cargar_datos("B2B").nombre == "nubestock"
    assert cargar_datos(" Zapatos ").nombre == "zapatos"
    with pytest.raises(ErrorCurso, match="disponibles"):
        cargar_datos("tenis")
    with pytest.raises(ErrorCurso):
        cargar_datos(None)


def test_cargar_datos_devuelve_tablas_independientes():
    primera = cargar_datos("zapatos")
    primera.eventos.loc[0, "importe"] = -1.0
    del primera.clientes["nombre"]
    segunda = cargar_datos("zapatos")
    assert segunda.eventos.loc[0, "importe"] != -1.0
    assert "nombre" in segunda.clientes.columns


def test_mapas_de_los_casos_cubren_todas_las_etapas():
    for mapa in (mapas.mapa_zapatos(), mapas.mapa_nubestock()):
        assert all(mapa.por_etapa().values())
        assert len(mapa.persona.caracteristicas()) >= 5


def test_en_los_mapas_de_ejemplo_la_entrega_es_post_compra():
    # One definition in the whole course: `compra` is paying; delivery, first use and returns come after.
    from cj_course import mapa_ejemplo

    entregas = [
        i
        for mapa in (mapas.mapa_zapatos(), mapas.mapa_nubestock(), mapa_ejemplo())
        for i in mapa.interacciones
        if i.canal == "Paquetería" or "llegaron" in (i.pensamiento or "").lower()
    ]
    assert len(entregas) >= 2, "the example maps tell of a delivery"
    assert {i.etapa for i in entregas} == {"post_compra"}, [(i.etapa, i.accion) for i in entregas]


# --- reading the entrepreneur's own data ---------------------------------------------------------


def test_leer_csv_con_punto_y_coma_fechas_latinas_y_columnas_propias(tmp_path):
    ruta = tmp_path / "ventas.csv"
    ruta.write_text(
        "Cliente;Fecha de compra;Acción;Monto\n"
        "007;03/02/2025 10:15;visita_web;\n"
        "007;05/02/2025 18:00;compra;1.299,50\n"
        "012;28/02/2025 09:00;visita_web;\n",
        encoding="utf-8",
    )
    ev = leer_eventos(ruta, columnas={"Fecha de compra": "momento", "Acción": "evento"}, decimal=",")
    assert ev["cliente_id"].astype(str).tolist() == ["007", "007", "012"]  # leading zeros kept
    assert ev["momento"].iloc[1] == pd.Timestamp("2025-02-05 18:00")
    assert ev["importe"].iloc[1] == 1299.5
    assert np.isnan(ev["importe"].iloc[0])
    assert ev["canal"].isna().all()
    assert str(ev["momento"].dtype) == "datetime64[ns]"


def test_leer_csv_en_latin1_y_columnas_reconocidas(tmp_path):
    ruta = tmp_path / "encuesta.csv"
    ruta.write_bytes("ID Cliente,Calificación,Comentarios\nA1,9,Muy bien\nA2,3,Tardó\n".encode("cp1252"))
    en = leer_encuestas(ruta, columnas={"ID Cliente": "cliente_id"})
    assert en["puntuacion"].tolist() == [9, 3]
    assert en["comentario"].tolist() == ["Muy bien", "Tardó"]


def test_leer_excel(tmp_path):
    ruta = tmp_path / "clientes.xlsx"
    pd.DataFrame(
        {
            "ID": [1001, 1002],
            "Nombre": ["Ana", "Lucía"],
            "Edad": [31, 25],
            "Fecha alta": pd.to_datetime(["2024-05-01", "2024-06-15"]),
        }
    ).to_excel(ruta, index=False)
    cl = leer_clientes(ruta, columnas={"Fecha alta": "alta"})
    assert cl["cliente_id"].tolist() == ["1001", "1002"]
    assert cl["edad"].tolist() == [31, 25]
    assert cl["alta"].iloc[1] == pd.Timestamp("2024-06-15")


def test_ids_de_excel_como_decimales():
    ev = leer_eventos(
        pd.DataFrame(
            {
                "cliente_id": [1001.0, 1002.0],
                "momento": ["2025-01-01", "2025-01-02"],
                "evento": ["compra", "compra"],
            }
        )
    )
    assert ev["cliente_id"].astype(str).tolist() == ["1001", "1002"]


def test_fechas_con_zona_horaria_conservan_la_hora_local():
    momento = pd.Series(pd.to_datetime(["2025-01-01 10:00"]).tz_localize("America/Mexico_City"))
    ev = leer_eventos(pd.DataFrame({"cliente_id": ["a"], "momento": momento, "evento": ["compra"]}))
    assert ev["momento"].iloc[0] == pd.Timestamp("2025-01-01 10:00")


def test_formato_de_fecha_explicito_y_mes_primero():
    crudo = pd.DataFrame({"cliente_id": ["a"], "momento": ["02/03/2025"], "evento": ["compra"]})
    assert leer_eventos(crudo)["momento"].iloc[0].month == 3
    assert leer_eventos(crudo, dia_primero=False)["momento"].iloc[0].month == 2
    assert leer_eventos(crudo, formato_fecha="%m/%d/%Y")["momento"].iloc[0].month == 2


@pytest.mark.parametrize(
    "tabla, mensaje, campo",
    [
        (pd.DataFrame({"cliente_id": ["a"], "evento": ["compra"]}), "momento", "momento"),
        (
            pd.DataFrame({"cliente_id": ["a", None], "momento": ["2025-01-01"] * 2, "evento": ["x", "y"]}),
            "sin 'cliente_id'",
            "cliente_id",
        ),
        (
            pd.DataFrame({"cliente_id": ["a", "  "], "momento": ["2025-01-01"] * 2, "evento": ["x", "y"]}),
            "filas 2",
            "cliente_id",
        ),
        (
            pd.DataFrame(
                {"cliente_id": ["a", "b"], "momento": ["2025-01-01", "el martes"], "evento": ["x", "y"]}
            ),
            "el martes",
            "momento",
        ),
        (
            pd.DataFrame(
                {"cliente_id": ["a"], "momento": ["2025-01-01"], "evento": ["compra"], "importe": ["mil"]}
            ),
            "números",
            "importe",
        ),
        (
            pd.DataFrame({"cliente_id": ["a"], "momento": [20250101], "evento": ["compra"]}),
            "números, no fechas",
            "momento",
        ),
        (
            pd.DataFrame({"cliente_id": ["a"], "momento": ["2025-01-01"], "evento": [""]}),
            "sin 'evento'",
            "evento",
        ),
        (
            pd.DataFrame({"cliente_id": ["a"], "momento": ["2300-01-01"], "evento": ["compra"]}),
            "imposibles|No entiendo",
            "momento",
        ),
        (
            pd.DataFrame(
                {"cliente_id": ["a"], "momento": pd.to_datetime(["2300-01-01"]).as_unit("s"), "evento": ["x"]}
            ),
            "imposibles",
            "momento",
        ),
    ],
)
def test_leer_eventos_rechaza_tablas_malas(tabla, mensaje, campo):
    with pytest.raises(ErrorCurso, match=mensaje) as error:
        leer_eventos(tabla)
    assert error.value.campo == campo


def test_importes_con_separadores_de_miles_y_coma_decimal():
    tabla = pd.DataFrame(
        {
            "cliente_id": ["a", "b"],
            "momento": ["2025-01-01"] * 2,
            "evento": ["compra"] * 2,
            "importe": ["$1,299.50", "MXN 12000"],
        }
    )
    assert leer_eventos(tabla)["importe"].tolist() == [1299.5, 12000.0]
    for europeo in ("1.234,5", "12,5"):  # never read silently as 1.2345 or 125
        with pytest.raises(ErrorCurso, match="decimal=','"):
            leer_eventos(tabla.assign(importe=[europeo, "1"]))
    assert leer_eventos(tabla.assign(importe=["1.234,5", "12,5"]), decimal=",")["importe"].tolist() == [
        1234.5,
        12.5,
    ]
    with pytest.raises(ErrorCurso, match="números"):
        leer_eventos(tabla.assign(importe=["12.34.5", "1"]), decimal=",")


def test_errores_de_archivo(tmp_path):
    with pytest.raises(ErrorCurso, match="No encuentro"):
        leer_eventos(tmp_path / "no_existe.csv")
    viejo = tmp_path / "datos.xls"
    viejo.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ErrorCurso, match=r"\.xlsx"):
        leer_eventos(viejo)
    raro = tmp_path / "datos.json"
    raro.write_text("{}")
    with pytest.raises(ErrorCurso, match="tipo de archivo"):
        leer_eventos(raro)
    vacio = tmp_path / "vacio.csv"
    vacio.write_text("cliente_id,momento,evento\n")
    with pytest.raises(ErrorCurso, match="vacía"):
        leer_eventos(vacio)
    with pytest.raises(ErrorCurso):
        leer_eventos(42)


def test_mapeo_de_columnas_mal_escrito():
    tabla = pd.DataFrame({"id": ["a"], "fecha": ["2025-01-01"], "evento": ["x"]})
    with pytest.raises(ErrorCurso, match="no tiene la columna 'Fecha'"):
        leer_eventos(tabla, columnas={"Fecha": "momento"})
    with pytest.raises(ErrorCurso, match="no es una columna"):
        leer_eventos(tabla, columnas={"fecha": "cuando"})
    with pytest.raises(ErrorCurso, match="Varias columnas"):
        leer_eventos(tabla.assign(Fecha=["2025-01-02"]))


def test_encuestas_validan_la_escala():
    with pytest.raises(ErrorCurso, match="de 0 a 10"):
        leer_encuestas(pd.DataFrame({"cliente_id": ["a"], "puntuacion": [11]}))
    with pytest.raises(ErrorCurso, match="enteros"):
        leer_encuestas(pd.DataFrame({"cliente_id": ["a"], "puntuacion": [8.5]}))
    with pytest.raises(ErrorCurso, match="sin valor"):
        leer_encuestas(pd.DataFrame({"cliente_id": ["a", "b"], "puntuacion": [8, None]}))


def test_clientes_repetidos_y_edades_imposibles():
    with pytest.raises(ErrorCurso, match="repetidos"):
        leer_clientes(pd.DataFrame({"cliente_id": ["a", "a"]}))
    with pytest.raises(ErrorCurso, match="edad"):
        leer_clientes(pd.DataFrame({"cliente_id": ["a"], "edad": [150]}))


def test_columnas_extra_se_conservan():
    ev = leer_eventos(
        pd.DataFrame(
            {"cliente_id": ["a"], "momento": ["2025-01-01"], "evento": ["compra"], "cupon": ["BIENVENIDA10"]}
        )
    )
    assert list(ev.columns) == ["cliente_id", "momento", "evento", "canal", "importe", "cupon"]


# --- property tests for the reader ----------------------------------------------------------------

_ids = st.one_of(st.integers(0, 10**6).map(str), st.text("ABCxyz0123456789-_ ñ", min_size=1, max_size=8))
_fechas = st.datetimes(
    min_value=pd.Timestamp("2000-01-01").to_pydatetime(), max_value=pd.Timestamp("2030-12-31").to_pydatetime()
).map(lambda d: d.replace(microsecond=0))
_filas = st.lists(
    st.tuples(
        _ids,
        _fechas,
        st.sampled_from(["visita_web", "compra", "Mi evento"]),
        st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False).map(lambda x: round(x, 2))),
    ),
    min_size=1,
    max_size=30,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filas=_filas)
def test_propiedad_csv_ida_y_vuelta(tmp_path, filas):
    filas = [f for f in filas if f[0].strip()]
    if not filas:
        return
    crudo = pd.DataFrame(filas, columns=["cliente_id", "momento", "evento", "importe"])
    ruta = tmp_path / "eventos.csv"
    crudo.assign(momento=crudo["momento"].map(lambda d: d.strftime("%d/%m/%Y %H:%M:%S"))).to_csv(
        ruta, index=False
    )
    ev = leer_eventos(ruta)
    esperado = crudo.assign(cliente_id=crudo["cliente_id"].str.strip()).sort_values("momento", kind="stable")
    assert ev["cliente_id"].astype(str).tolist() == esperado["cliente_id"].tolist()
    assert (ev["momento"].to_numpy() == esperado["momento"].to_numpy(dtype="datetime64[ns]")).all()
    np.testing.assert_allclose(ev["importe"].to_numpy(), esperado["importe"].to_numpy(dtype=float))


@settings(max_examples=80, deadline=None)
@given(
    valores=st.lists(
        st.one_of(
            st.text(max_size=12),
            st.integers(-5, 50),
            st.none(),
            st.floats(allow_nan=True, allow_infinity=True),
        ),
        min_size=1,
        max_size=8,
    ),
    columna=st.sampled_from(["momento", "importe", "cliente_id", "evento"]),
)
def test_propiedad_basura_da_error_curso_o_tabla_valida(valores, columna):
    """Whatever lands in a column, the reader returns a valid table or an ErrorCurso, never a raw crash."""
    base = {
        "cliente_id": ["a"] * len(valores),
        "momento": ["2025-01-01"] * len(valores),
        "evento": ["compra"] * len(valores),
        "importe": [1.0] * len(valores),
    }
    base[columna] = valores
    try:
        ev = leer_eventos(pd.DataFrame(base))
    except ErrorCurso as error:
        assert str(error)
        return
    assert ev["cliente_id"].notna().all() and ev["momento"].notna().all() and ev["evento"].notna().all()
    assert np.isfinite(ev["importe"].dropna()).all()


# --- docstring examples ----------------------------------------------------------------------------


@pytest.mark.parametrize("modulo", [datos_pkg, lectura, vocabulario, generador, conjuntos, mapas])
def test_ejemplos_de_la_documentacion(modulo):
    resultado = doctest.testmod(modulo, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert resultado.failed == 0
