"""Tiempos de construcción del libro: desde cero y sin cambios.

Copia las fuentes del libro a una carpeta temporal (no toca ``_build/`` del repositorio) y mide,
con la orden real ``cj-course libro construir``:

* la **línea base**: un libro solo con las páginas de ``book/`` (Sphinx y el tema, sin cuadernos);
* la construcción **desde cero** de la edición del estudiante (ejecuta todos los cuadernos);
* la **reconstrucción sin cambios** (debe limitarse a comprobar que todo está al día);
* la edición **con soluciones** justo después (reutiliza la caché de los módulos).

Objetivos en una máquina de 2 núcleos: desde cero ≤ 180 s, sin cambios ≤ 20 s.

Uso::

    python benchmarks/bench_libro.py [--raiz RUTA] [--sin-soluciones]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from cj_course import libro

OBJETIVO_DESDE_CERO = 180.0
OBJETIVO_SIN_CAMBIOS = 20.0


def _copiar_fuentes(raiz: Path, destino: Path, paginas: list[str]) -> None:
    for nombre in ("_config.yml", "_toc.yml"):
        shutil.copy2(raiz / nombre, destino / nombre)
    shutil.copytree(raiz / "_vendor", destino / "_vendor")
    shutil.copytree(raiz / "book", destino / "book")
    for pagina in paginas:
        for sufijo in (".ipynb", ".md"):
            origen = raiz / f"{pagina}{sufijo}"
            if origen.is_file():
                (destino / pagina).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(origen, destino / f"{pagina}{sufijo}")


def _construir(raiz: Path, *argumentos: str) -> float:
    inicio = time.perf_counter()
    proceso = subprocess.run(
        [sys.executable, "-m", "cj_course.cli", "libro", "construir", "--raiz", str(raiz), *argumentos],
        capture_output=True,
        text=True,
        env=dict(os.environ),
        check=False,
    )
    segundos = time.perf_counter() - inicio
    if proceso.returncode != 0:
        sys.exit(f"La construcción falló ({' '.join(argumentos) or 'normal'}):\n{proceso.stderr[-4000:]}")
    return segundos


def _tiempos_de_ejecucion(cache: Path) -> list[tuple[float, str]]:
    """Execution seconds per notebook, as recorded by jupyter-cache."""
    from jupyter_cache import get_cache

    tiempos = []
    for registro in get_cache(str(cache)).list_cache_records():
        segundos = (registro.data or {}).get("execution_seconds")
        if segundos is not None:
            tiempos.append((float(segundos), registro.uri))
    return sorted(tiempos, reverse=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--raiz", type=Path, default=Path(__file__).resolve().parents[1])
    parser.add_argument("--sin-soluciones", action="store_true", help="No mide la edición con soluciones.")
    args = parser.parse_args()

    raiz = libro.raiz_del_libro(args.raiz)
    indice = yaml.safe_load((raiz / "_toc.yml").read_text(encoding="utf-8"))
    paginas = libro.archivos_del_indice(indice)
    paginas_soluciones = libro.archivos_del_indice(libro.indice_con_soluciones(indice))

    with tempfile.TemporaryDirectory(prefix="cj-bench-libro-") as tmp:
        base = Path(tmp) / "base"
        base.mkdir()
        _copiar_fuentes(raiz, base, [])
        (base / "_toc.yml").write_text(
            yaml.safe_dump(
                {
                    "format": "jb-book",
                    "root": "book/portada",
                    "chapters": [
                        {"file": p} for p in paginas if p.startswith("book/") and p != "book/portada"
                    ],
                },
                allow_unicode=True,
            ),
            encoding="utf-8",
        )
        # the cover links to the modules: the baseline measures pages, not broken links
        (base / "book" / "portada.md").write_text("# Portada\n\nLínea base.\n", encoding="utf-8")
        t_base = _construir(base)

        libro_tmp = Path(tmp) / "libro"
        libro_tmp.mkdir()
        _copiar_fuentes(raiz, libro_tmp, sorted(set(paginas) | set(paginas_soluciones)))
        t_cero = _construir(libro_tmp, "--limpio")
        t_igual = _construir(libro_tmp)
        t_sol = None if args.sin_soluciones else _construir(libro_tmp, "--con-soluciones")
        ejecuciones = _tiempos_de_ejecucion(libro.rutas_de_edicion(libro_tmp).cache)

    cuadernos = sum(1 for p in paginas if (raiz / f"{p}.ipynb").is_file())
    print(f"Libro: {len(paginas)} páginas ({cuadernos} cuadernos) · {os.cpu_count()} núcleos")
    print(f"{'medida':<42}{'segundos':>10}{'× línea base':>15}")
    filas = [
        ("línea base (solo páginas de book/)", t_base),
        ("desde cero, edición del estudiante", t_cero),
        ("sin cambios, edición del estudiante", t_igual),
    ]
    if t_sol is not None:
        filas.append(("edición con soluciones (caché de módulos)", t_sol))
    for nombre, segundos in filas:
        print(f"{nombre:<42}{segundos:>10.1f}{segundos / t_base:>15.2f}")
    print(f"sin cambios / desde cero: {t_igual / t_cero:.3f}")
    print(
        f"objetivo desde cero ≤ {OBJETIVO_DESDE_CERO:.0f} s: {'cumple' if t_cero <= OBJETIVO_DESDE_CERO else 'NO CUMPLE'}; "
        f"objetivo sin cambios ≤ {OBJETIVO_SIN_CAMBIOS:.0f} s: {'cumple' if t_igual <= OBJETIVO_SIN_CAMBIOS else 'NO CUMPLE'}"
    )
    if ejecuciones:
        print("Ejecución de cuadernos (jupyter-cache, de más lento a más rápido):")
        for segundos, uri in ejecuciones:
            print(
                f"  {segundos:7.1f} s  {Path(uri).relative_to(libro_tmp) if uri.startswith(str(libro_tmp)) else uri}"
            )


if __name__ == "__main__":
    main()
