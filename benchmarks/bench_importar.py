"""Benchmark de cj_course.datos.importar con un export de GA4 de un millón de filas, y del arranque.

Escribe un CSV con las columnas del export de GA4 a BigQuery aplanado (doce columnas, como el
archivo de ejemplo del curso) y mide, en el mismo proceso y con el mismo archivo:

* ``pandas.read_csv(archivo)`` tal cual (la referencia de la meta: razón ≤ 2);
* ``importar(archivo)``: lectura, microsegundos UTC → hora de la tienda, eventos y canales del curso,
  compra/recompra por cliente;
* ``duckdb.read_csv`` del mismo archivo, como referencia.

Después mide el arranque: ``import cj_course`` frente a ``import pandas`` en intérpretes nuevos
(mediana de varias veces), y qué módulos pesados carga cada uno.

Uso::

    python benchmarks/bench_importar.py                 # 1 000 000 de filas
    python benchmarks/bench_importar.py --filas 200000 --repeticiones 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

NOMBRES = np.array(
    [
        "session_start",
        "page_view",
        "view_item",
        "add_to_cart",
        "begin_checkout",
        "purchase",
        "scroll",
        "view_promotion",
    ]
)
PESOS = np.array([0.14, 0.30, 0.25, 0.08, 0.05, 0.03, 0.10, 0.05])


def escribir_ga4(ruta: Path, filas: int, semilla: int = 3) -> None:
    rng = np.random.default_rng(semilla)
    clientes = max(filas // 4, 1)
    pseudo = np.char.add(rng.integers(10**8, 10**9, clientes).astype(str), ".1700000000")
    cual = rng.integers(0, clientes, filas)
    evento = NOMBRES[rng.choice(len(NOMBRES), filas, p=PESOS)]
    tiempo = np.sort(rng.integers(1_704_067_200_000_000, 1_735_689_599_000_000, filas))
    fuentes = np.array(["google", "instagram", "facebook", "tiktok", "(direct)", "newsletter"])
    medios = np.array(["cpc", "paid", "cpc", "paid", "(none)", "email"])
    origen = rng.integers(0, len(fuentes), clientes)[cual]
    compra = evento == "purchase"
    tabla = pd.DataFrame(
        {
            "event_date": pd.to_datetime(tiempo, unit="us").strftime("%Y%m%d"),
            "event_timestamp": tiempo,
            "event_name": evento,
            "user_pseudo_id": pseudo[cual],
            "user_id": np.where(rng.random(filas) < 0.1, "u" + cual.astype(str), ""),
            "device.category": np.where(rng.random(clientes) < 0.65, "mobile", "desktop")[cual],
            "geo.city": np.array(["Mexico City", "Guadalajara", "Monterrey"])[rng.integers(0, 3, filas)],
            "traffic_source.source": fuentes[origen],
            "traffic_source.medium": medios[origen],
            "ecommerce.purchase_revenue": np.where(
                compra, np.round(rng.uniform(300, 3000, filas), 2), np.nan
            ),
            "ecommerce.transaction_id": np.where(compra, "T" + np.arange(filas).astype(str), ""),
            "platform": "WEB",
        }
    )
    tabla.to_csv(ruta, index=False)


def mejor(funcion, repeticiones: int):
    resultado, tiempos = None, []
    for _ in range(repeticiones):
        inicio = time.perf_counter()
        resultado = funcion()
        tiempos.append(time.perf_counter() - inicio)
    return resultado, min(tiempos)


def arranque(codigo: str, veces: int) -> tuple[float, dict[str, bool]]:
    programa = (
        "import time, sys\ninicio = time.perf_counter()\n" + codigo + "\n"
        "fin = time.perf_counter() - inicio\nimport json\n"
        "print(json.dumps({'t': fin, 'mods': {m: m in sys.modules for m in "
        "('pandas', 'numpy', 'matplotlib', 'ipywidgets', 'nbgrader')}}))"
    )
    tiempos, modulos = [], {}
    for _ in range(veces):
        salida = subprocess.run([sys.executable, "-c", programa], capture_output=True, text=True, check=True)
        datos = json.loads(salida.stdout.strip().splitlines()[-1])
        tiempos.append(datos["t"])
        modulos = datos["mods"]
    return statistics.median(tiempos), modulos


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--filas", type=int, default=1_000_000)
    parser.add_argument("--repeticiones", type=int, default=3)
    parser.add_argument("--arranques", type=int, default=7)
    opciones = parser.parse_args()

    from cj_course.datos import importar

    with tempfile.TemporaryDirectory() as carpeta:
        ruta = Path(carpeta) / "ga4_eventos.csv"
        inicio = time.perf_counter()
        escribir_ga4(ruta, opciones.filas)
        print(
            f"Archivo GA4: {opciones.filas:,} filas, {ruta.stat().st_size / 1e6:.0f} MB "
            f"(escrito en {time.perf_counter() - inicio:.1f} s)".replace(",", " ")
        )
        try:
            import duckdb

            def con_duckdb():
                return duckdb.read_csv(str(ruta)).df()
        except ImportError:  # pragma: no cover - DuckDB is in the test extra
            con_duckdb = None
        # Interleaved, best of N each: the machine is shared, so the three see the same load.
        t_pandas = t_nuestro = t_duck = float("inf")
        eventos = None
        for _ in range(opciones.repeticiones):
            _, t = mejor(lambda: pd.read_csv(ruta), 1)
            t_pandas = min(t_pandas, t)
            eventos, t = mejor(lambda: importar(ruta), 1)
            t_nuestro = min(t_nuestro, t)
            if con_duckdb is not None:
                _, t = mejor(con_duckdb, 1)
                t_duck = min(t_duck, t)
        assert len(eventos) == opciones.filas, len(eventos)
        razon = t_nuestro / t_pandas
        print(f"\n{'lectura':<34}{'tiempo':>10}{'razón':>9}")
        print(f"{'pandas.read_csv (referencia)':<34}{t_pandas:>8.2f} s{1:>9.2f}")
        print(f"{'cj_course.datos.importar':<34}{t_nuestro:>8.2f} s{razon:>9.2f}")
        print(f"{'duckdb.read_csv(...).df()':<34}{t_duck:>8.2f} s{t_duck / t_pandas:>9.2f}")
        print(f"Meta (importar ≤ 2 × read_csv): {'cumplida' if razon <= 2 else 'NO cumplida'}.")
        print(
            f"Resultado: {eventos['cliente_id'].nunique():,} clientes, eventos del curso: "
            f"{', '.join(sorted(eventos['evento'].unique())[:8])}…".replace(",", " ", 1)
        )

    t_cj, mods_cj = arranque("import cj_course", opciones.arranques)
    t_pd, _ = arranque("import pandas", opciones.arranques)
    t_metrica, mods_metrica = arranque("import cj_course as cj\ncj.nps([10, 9, 3])", opciones.arranques)
    print(f"\nArranque (mediana de {opciones.arranques} intérpretes nuevos):")
    print(
        f"  import cj_course          {t_cj * 1000:7.0f} ms  carga: "
        f"{', '.join(m for m, si in mods_cj.items() if si) or 'nada pesado'}"
    )
    print(f"  import pandas             {t_pd * 1000:7.0f} ms")
    print(
        f"  cj_course + una métrica   {t_metrica * 1000:7.0f} ms  carga: "
        f"{', '.join(m for m, si in mods_metrica.items() if si)}"
    )
    print("  (matplotlib, ipywidgets y nbgrader se cargan solo al dibujar, abrir un formulario o calificar)")


if __name__ == "__main__":
    main()
