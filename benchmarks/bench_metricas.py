"""Benchmark de cj_course.metricas frente a DuckDB con el mismo millón de eventos.

Calcula embudo, conversión, retención por cohortes y NPS con nuestras funciones y con SQL en
DuckDB, comprueba que ambos dan los mismos números y muestra cuánto tarda cada uno (el mejor de
varias repeticiones, alternadas) y la razón nuestra / DuckDB. Lo hace dos veces: con las columnas
de categorías que dejan los lectores del curso y con columnas de texto simple (lo que da cualquier
CSV o ``importar``; en DuckDB, VARCHAR). Meta: razón total ≤ 1,5 en las dos.

DuckDB trabaja sobre tablas propias ya cargadas (la carga se mide aparte y no entra en la razón).
Del lado nuestro, las columnas de texto se factorizan en la primera métrica sobre una tabla y se
reutilizan en las siguientes mientras la tabla no cambie (como DuckDB convierte la tabla al cargarla):
la razón usa la llamada repetida, y la columna «1.ª llamada» da la primera, sin nada guardado.

Uso::

    python benchmarks/bench_metricas.py                  # ~1 millón de eventos
    python benchmarks/bench_metricas.py --clientes 50000 --repeticiones 3
"""

from __future__ import annotations

import argparse
import os
import time

import duckdb
import numpy as np
import pandas as pd

from cj_course import metricas
from cj_course.datos import generar_datos

PASOS = ["visita_web", "ver_producto", "agregar_carrito", "inicio_pago", "compra"]


def mejor_tiempo(funcion, repeticiones: int):
    resultado, mejor = None, float("inf")
    for _ in range(repeticiones):
        inicio = time.perf_counter()
        resultado = funcion()
        mejor = min(mejor, time.perf_counter() - inicio)
    return resultado, mejor


# --- the same computations in SQL ---------------------------------------------------------------


def sql_embudo(con) -> list[int]:
    partes = [f"s1 AS (SELECT cliente_id, min(momento) AS t FROM ev WHERE evento = '{PASOS[0]}' GROUP BY 1)"]
    for k, paso in enumerate(PASOS[1:], start=2):
        partes.append(
            f"s{k} AS (SELECT e.cliente_id, min(e.momento) AS t FROM ev e JOIN s{k - 1} p USING (cliente_id) "
            f"WHERE e.evento = '{paso}' AND e.momento >= p.t GROUP BY 1)"
        )
    conteos = ", ".join(f"(SELECT count(*) FROM s{k})" for k in range(1, len(PASOS) + 1))
    return list(con.execute(f"WITH {', '.join(partes)} SELECT {conteos}").fetchall()[0])


def sql_conversion(con) -> float:
    return con.execute("""
        WITH d AS (SELECT cliente_id, min(momento) AS t FROM ev WHERE evento = 'visita_web' GROUP BY 1),
             h AS (SELECT cliente_id, max(momento) AS t FROM ev WHERE evento = 'compra' GROUP BY 1)
        SELECT 100.0 * count(*) FILTER (WHERE h.t >= d.t) / count(*) FROM d LEFT JOIN h USING (cliente_id)
    """).fetchall()[0][0]


def sql_cohortes(con) -> pd.DataFrame:
    celdas = con.execute("""
        WITH primera AS (SELECT cliente_id, min(momento) AS t FROM ev WHERE evento = 'compra' GROUP BY 1),
             actividad AS (
                SELECT DISTINCT e.cliente_id, date_trunc('month', p.t) AS cohorte,
                       date_diff('month', date_trunc('month', p.t), date_trunc('month', e.momento)) AS k
                FROM ev e JOIN primera p USING (cliente_id)
                WHERE e.evento IN ('compra', 'recompra') AND e.momento >= p.t),
             tamanos AS (SELECT date_trunc('month', t) AS cohorte, count(*) AS n FROM primera GROUP BY 1)
        SELECT a.cohorte, a.k, 100.0 * count(*) / any_value(s.n) AS pct
        FROM actividad a JOIN tamanos s USING (cohorte) GROUP BY 1, 2
    """).df()
    return celdas.pivot(index="cohorte", columns="k", values="pct").sort_index()


def sql_nps(con) -> float:
    return con.execute("""
        SELECT 100.0 * (count(*) FILTER (WHERE puntuacion >= 9) - count(*) FILTER (WHERE puntuacion <= 6)) / count(*)
        FROM enc
    """).fetchall()[0][0]


# --- ours -----------------------------------------------------------------------------------------


def nuestro_embudo(ev):
    return metricas.embudo(ev, PASOS)["clientes"].tolist()


def comparar_cohortes(nuestra: pd.DataFrame, suya: pd.DataFrame) -> None:
    suya = suya.reindex(columns=nuestra.columns)
    suya.index = pd.PeriodIndex(suya.index, freq="M")
    suya = suya.reindex(nuestra.index)
    observable = nuestra.notna().to_numpy()
    esperada = np.where(observable, np.nan_to_num(suya.to_numpy(dtype=float), nan=0.0), np.nan)
    np.testing.assert_allclose(nuestra.to_numpy(), esperada, rtol=1e-12, atol=1e-9, equal_nan=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--clientes", type=int, default=240_000, help="clientes simulados (240 000 ≈ 1 M eventos)"
    )
    parser.add_argument("--repeticiones", type=int, default=7)
    parser.add_argument("--semilla", type=int, default=11)
    opciones = parser.parse_args()

    inicio = time.perf_counter()
    datos = generar_datos("zapatos", n_clientes=opciones.clientes, semilla=opciones.semilla)
    ev, enc = datos.eventos, datos.encuestas

    def miles(x: int) -> str:
        return f"{x:,}".replace(",", " ")

    print(
        f"Datos: {miles(len(ev))} eventos, {miles(len(datos.clientes))} clientes, {miles(len(enc))} encuestas "
        f"(generados en {time.perf_counter() - inicio:.2f} s)"
    )

    categorias = comparar(
        "columnas de categorías (como las deja cargar_datos)", ev, enc, opciones.repeticiones
    )
    # What any CSV or importar gives: plain text columns (pandas 3 StringDtype), in both engines.
    texto = ev.astype({"cliente_id": "str", "evento": "str", "canal": "str"})
    de_texto = comparar(
        "columnas de texto (como las da un CSV o importar)", texto, enc, opciones.repeticiones
    )
    print(
        f"\nMeta (razón total ≤ 1,5): categorías {categorias:.2f} — "
        f"{'cumplida' if categorias <= 1.5 else 'NO cumplida'}; texto {de_texto:.2f} — "
        f"{'cumplida' if de_texto <= 1.5 else 'NO cumplida'}."
    )


def comparar(titulo: str, ev: pd.DataFrame, enc: pd.DataFrame, repeticiones: int) -> float:
    """Our four metrics against the same SQL in DuckDB on the same table; returns the total ratio."""
    con = duckdb.connect()
    hilos = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    inicio = time.perf_counter()
    con.register("ev_pandas", ev)
    con.register("enc_pandas", enc)
    con.execute("CREATE TABLE ev AS SELECT * FROM ev_pandas")
    con.execute("CREATE TABLE enc AS SELECT * FROM enc_pandas")
    carga = time.perf_counter() - inicio
    tipos = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'ev'"
        ).fetchall()
    )
    print(f"\n== {titulo}: pandas {ev['cliente_id'].dtype}, DuckDB {tipos['cliente_id'][:30]} ==")
    print(
        f"DuckDB {duckdb.__version__}: {hilos} hilo(s); carga de las tablas {carga * 1000:.0f} ms (no cuenta). "
        f"Nosotros: pandas {pd.__version__}, numpy {np.__version__}, un hilo; CPU disponibles: {os.cpu_count()}."
    )
    casos = [
        ("embudo (5 pasos)", lambda: nuestro_embudo(ev), lambda: sql_embudo(con)),
        (
            "tasa de conversión",
            lambda: metricas.tasa_conversion(ev, "visita_web", "compra"),
            lambda: sql_conversion(con),
        ),
        ("retención por cohortes", lambda: metricas.retencion_cohortes(ev), lambda: sql_cohortes(con)),
        ("NPS", lambda: metricas.nps(enc), lambda: sql_nps(con)),
    ]
    total_nuestro = total_duckdb = total_frio = 0.0
    print(f"{'métrica':<24}{'nosotros':>12}{'DuckDB':>12}{'razón':>9}{'1.ª llamada':>14}")
    for nombre, nuestro, suyo in casos:
        # The first call on a table, with nothing kept from earlier calls (the text columns are factorised
        # in it): what a student waits the first time (best of N too). The best of N below is the repeated call.
        t_frio = float("inf")
        for _ in range(repeticiones):
            metricas._GUARDADAS.clear()
            t_frio = min(t_frio, mejor_tiempo(nuestro, 1)[1])
        # Interleaved repetitions, best of each: the machine is shared, both sides see the same load.
        t_a = t_b = float("inf")
        a = b = None
        for _ in range(repeticiones):
            a, t = mejor_tiempo(nuestro, 1)
            t_a = min(t_a, t)
            b, t = mejor_tiempo(suyo, 1)
            t_b = min(t_b, t)
        if nombre.startswith("retención"):
            comparar_cohortes(a, b)
        elif isinstance(a, list):
            assert a == b, (nombre, a, b)
        else:
            assert abs(a - b) < 1e-9, (nombre, a, b)
        total_nuestro += t_a
        total_duckdb += t_b
        total_frio += t_frio
        print(
            f"{nombre:<24}{t_a * 1000:>9.1f} ms{t_b * 1000:>9.1f} ms{t_a / t_b:>9.2f}{t_frio * 1000:>11.1f} ms"
        )
    razon = total_nuestro / total_duckdb
    print(
        f"{'total':<24}{total_nuestro * 1000:>9.1f} ms{total_duckdb * 1000:>9.1f} ms{razon:>9.2f}"
        f"{total_frio * 1000:>11.1f} ms"
    )
    print(
        f"Primeras llamadas: {total_frio * 1000:.0f} ms, razón {total_frio / total_duckdb:.2f} frente a las consultas "
        f"de DuckDB y {total_frio / (total_duckdb + carga):.2f} frente a consultas + carga de DuckDB."
    )
    print("Mismos resultados en las cuatro métricas: sí.")
    con.close()
    return razon


if __name__ == "__main__":
    main()
