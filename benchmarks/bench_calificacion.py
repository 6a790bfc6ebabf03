"""Banco de pruebas de la calificación: una clase de 40 entregas calificada de tres maneras en la misma corrida.

1. **Suelo**: los mismos cuadernos ejecutados con ``nbclient`` en un solo proceso (arrancar el núcleo y
   ejecutar; sin calificar). Es lo mínimo que cuesta ejecutar la clase de una en una.
2. **nbgrader en serie**: ``nbgrader autograde TAREA --force``.
3. **cj-course en paralelo**: ``cj-course calificar TAREA --trabajadores N --forzar`` (cada entrega en su caja
   de bubblewrap, con los puntos decididos fuera de ella);
4. **cj-course sin caja**: lo mismo con ``--aislamiento ninguno``, para dar el coste de la caja por entrega.

Mide el tiempo de pared y la CPU de todo el árbol de procesos (``resource.getrusage(RUSAGE_CHILDREN)``:
cada herramienta corre como subproceso y espera a sus núcleos y trabajadores, así que su CPU se
acumula ahí). Comprueba además que nbgrader y cj-course dejan exactamente las mismas notas.

Usa una tarea real del curso (``solutions/m3_mapeo`` si existe; si no, la primera de ``solutions/``)
con entregas sintéticas: cada respuesta es la solución o se deja sin hacer. Si el curso aún no tiene
tareas, usa la tarea de muestra de :mod:`cj_course.calificacion.muestra` y lo dice.

Objetivos con 2 núcleos: pared ≥ 1,8× más rápida que nbgrader en serie; CPU por cuaderno ≤ 1,2× el suelo.

    python benchmarks/bench_calificacion.py [--entregas 40] [--trabajadores 2 3] [--tarea m3_mapeo] [--repeticiones 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from cj_course.calificacion import muestra

RAIZ = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

SUELO = textwrap.dedent("""
    import sys
    from pathlib import Path
    import nbformat
    from nbclient import NotebookClient

    for ruta in map(Path, sys.argv[1:]):
        nb = nbformat.read(ruta, as_version=4)
        NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(ruta.parent)}}).execute()
""")


def _entorno(casa: Path) -> dict[str, str]:
    entorno = dict(os.environ)
    entorno.update(
        HOME=str(casa),
        MPLBACKEND="Agg",
        IPYTHONDIR=str(casa / "ipython"),
        MPLCONFIGDIR=str(casa / "mpl"),
        JUPYTER_RUNTIME_DIR=str(casa / "runtime"),
        PATH=f"{BIN}{os.pathsep}{entorno.get('PATH', '')}",
    )
    return entorno


def medir(
    orden: list[str], cwd: Path, entorno: dict[str, str]
) -> tuple[float, float, subprocess.CompletedProcess]:
    """(segundos de pared, segundos de CPU de todo el árbol de procesos, resultado)."""
    antes = resource.getrusage(resource.RUSAGE_CHILDREN)
    inicio = time.perf_counter()
    resultado = subprocess.run(orden, cwd=cwd, env=entorno, capture_output=True, text=True)
    pared = time.perf_counter() - inicio
    despues = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (despues.ru_utime - antes.ru_utime) + (despues.ru_stime - antes.ru_stime)
    return pared, cpu, resultado


def preparar(destino: Path, tarea: str | None, entregas: int, entorno: dict[str, str]) -> tuple[str, str]:
    """Crea el curso de la prueba en ``destino``; devuelve (tarea, de dónde sale)."""
    fuentes = RAIZ / "solutions"
    disponibles = (
        sorted(p.name for p in fuentes.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))
        if fuentes.is_dir()
        else []
    )
    if tarea is None and disponibles:
        tarea = "m3_mapeo" if "m3_mapeo" in disponibles else disponibles[0]
    if tarea and tarea in disponibles and (RAIZ / "nbgrader_config.py").exists():
        destino.mkdir(parents=True)
        shutil.copy(RAIZ / "nbgrader_config.py", destino / "nbgrader_config.py")
        shutil.copytree(
            fuentes / tarea,
            destino / "solutions" / tarea,
            ignore=shutil.ignore_patterns("respuestas", ".ipynb_checkpoints"),
        )
        origen = f"tarea real del curso (solutions/{tarea})"
    else:
        muestra.crear_curso_de_muestra(destino, tiempo_maximo=60)
        tarea = muestra.TAREA_MUESTRA
        motivo = "el curso aún no tiene tareas" if not disponibles else "no es una tarea del curso"
        origen = f"SUSTITUTO: la tarea de muestra de cj_course.calificacion.muestra ({motivo})"
    generado = subprocess.run(
        [str(BIN / "nbgrader"), "generate_assignment", tarea, "--force"],
        cwd=destino,
        env=entorno,
        capture_output=True,
        text=True,
    )
    if generado.returncode != 0:
        sys.exit(f"nbgrader generate_assignment falló:\n{generado.stderr[-3000:]}")
    muestra.crear_entregas_sinteticas(destino, tarea, entregas, acierto=0.7, semilla=1)
    return tarea, origen


def notas(curso: Path, tarea: str) -> dict[tuple[str, str, str], float | None]:
    from nbgrader.api import Gradebook

    resultado = {}
    with Gradebook(f"sqlite:///{curso / 'gradebook.db'}") as gb:
        for entrega in gb.find_assignment(tarea).submissions:
            for nb in entrega.notebooks:
                for g in nb.grades:
                    resultado[(entrega.student.id, nb.name, g.name)] = g.score
    return resultado


def main() -> int:
    analizador = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    analizador.add_argument("--entregas", type=int, default=40)
    analizador.add_argument("--trabajadores", type=int, nargs="+", default=[2])
    analizador.add_argument("--tarea", default=None)
    analizador.add_argument(
        "--repeticiones",
        type=int,
        default=1,
        help="rondas alternando el orden; se informa la mediana de cada cociente",
    )
    args = analizador.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-calificacion-") as temporal:
        temporal = Path(temporal)
        entorno = _entorno(temporal / "casa")
        base = temporal / "curso"
        tarea, origen = preparar(base, args.tarea, args.entregas, entorno)
        cuadernos = sorted((base / "submitted").glob(f"*/{tarea}/*.ipynb"))
        total = len(cuadernos)
        print(f"Clase de {args.entregas} entregas ({total} cuadernos) de «{tarea}»: {origen}.")
        print(f"Núcleos de CPU: {os.cpu_count()} · carga media al empezar: {os.getloadavg()[0]:.2f}")

        # Warm-up (not measured): the first kernel start of a run pays for cold disk caches.
        medir([sys.executable, "-c", SUELO, str(cuadernos[0])], temporal, entorno)

        def suelo() -> tuple[float, float]:
            pared, cpu, r = medir([sys.executable, "-c", SUELO, *map(str, cuadernos)], temporal, entorno)
            if r.returncode:
                sys.exit(f"El suelo (nbclient) falló:\n{r.stderr[-3000:]}")
            return pared, cpu

        notas_serie: dict = {}

        def serie(ronda: int) -> tuple[float, float]:
            carpeta = temporal / f"serie-{ronda}"
            shutil.copytree(base, carpeta)
            pared, cpu, r = medir([str(BIN / "nbgrader"), "autograde", tarea, "--force"], carpeta, entorno)
            if r.returncode:
                print(f"Aviso: nbgrader autograde terminó con código {r.returncode}:\n{r.stderr[-2000:]}")
            notas_serie.update(notas(carpeta, tarea))
            shutil.rmtree(carpeta)
            return pared, cpu

        iguales: dict[int, bool] = {}

        def paralelo(n: int, ronda: int, aislamiento: str = "bwrap") -> tuple[float, float]:
            carpeta = temporal / f"paralelo-{n}-{ronda}-{aislamiento}"
            shutil.copytree(base, carpeta)
            pared, cpu, r = medir(
                [
                    str(BIN / "cj-course"),
                    "calificar",
                    tarea,
                    "--trabajadores",
                    str(n),
                    "--forzar",
                    "--sin-progreso",
                    "--aislamiento",
                    aislamiento,
                    "--curso",
                    str(carpeta),
                ],
                carpeta,
                entorno,
            )
            if r.returncode:
                print(f"Aviso: cj-course calificar terminó con código {r.returncode}:\n{r.stdout[-2000:]}")
            if aislamiento == "bwrap":
                iguales[n] = (
                    iguales.get(n, True) and bool(notas_serie) and notas(carpeta, tarea) == notas_serie
                )
            shutil.rmtree(carpeta)
            return pared, cpu

        medidas: dict[str, list[tuple[float, float]]] = {}
        for ronda in range(args.repeticiones):
            pasos = [
                ("suelo: nbclient, 1 proceso", suelo),
                ("nbgrader autograde (en serie)", lambda r=ronda: serie(r)),
            ]
            pasos += [
                (f"cj-course calificar -t {n}", lambda n=n, r=ronda: paralelo(n, r))
                for n in args.trabajadores
            ]
            pasos += [
                (f"cj-course -t {n} sin caja", lambda n=n, r=ronda: paralelo(n, r, "ninguno"))
                for n in args.trabajadores
            ]
            # The serial run must come before the parallel ones (their grades are compared with it);
            # the floor moves around so that a drift in the machine's load does not favour one side.
            if ronda % 2:
                pasos = pasos[1:] + pasos[:1]
            for nombre, paso in pasos:
                medidas.setdefault(nombre, []).append(paso())

        print()
        print("Cada ronda (pared s / CPU s):")
        for nombre, valores in medidas.items():
            print(f"  {nombre:34}" + "   ".join(f"{p:6.1f} / {c:6.1f}" for p, c in valores))
        print()
        print(
            f"{'mediana de ' + str(args.repeticiones) + ' ronda(s)':34}{'pared (s)':>11}{'CPU (s)':>10}"
            f"{'CPU/cuaderno (s)':>18}"
        )
        mediana = {
            nombre: (statistics.median(p for p, _ in v), statistics.median(c for _, c in v))
            for nombre, v in medidas.items()
        }
        for nombre, (pared, cpu) in mediana.items():
            print(f"{nombre:34}{pared:11.1f}{cpu:10.1f}{cpu / total:18.2f}")
        print()
        referencia = medidas["nbgrader autograde (en serie)"]
        piso = medidas["suelo: nbclient, 1 proceso"]
        for n in args.trabajadores:
            nuestras = medidas[f"cj-course calificar -t {n}"]
            aceleracion = statistics.median(s[0] / p[0] for s, p in zip(referencia, nuestras, strict=True))
            # With the sandbox, the kernels die inside bubblewrap's pid namespace and their CPU is never
            # reaped into this process's RUSAGE_CHILDREN: the CPU per notebook is measured without the box.
            sin_caja = medidas[f"cj-course -t {n} sin caja"]
            cpu_relativa = statistics.median(p[1] / f[1] for p, f in zip(sin_caja, piso, strict=True))
            print(
                f"cj-course -t {n}: {aceleracion:.2f}× más rápido que nbgrader en serie (objetivo ≥ 1,8×) "
                f"{'✔' if aceleracion >= 1.8 else '✘'}"
            )
            print(
                f"cj-course -t {n} (sin caja): CPU por cuaderno = {cpu_relativa:.2f}× el suelo (objetivo ≤ 1,2×) "
                f"{'✔' if cpu_relativa <= 1.2 else '✘'}"
            )
            print(
                f"cj-course -t {n}: notas idénticas a nbgrader en serie: {'sí' if iguales.get(n) else 'NO'} "
                f"({len(notas_serie)} notas de celda)"
            )
            # Each of the n workers spends the difference of wall time on its share of the notebooks.
            coste = statistics.median(
                (p[0] - q[0]) * n / total for p, q in zip(nuestras, sin_caja, strict=True)
            )
            coste_pared = statistics.median(p[0] / q[0] for p, q in zip(nuestras, sin_caja, strict=True))
            print(
                f"cj-course -t {n}: la caja (bubblewrap + calificación de confianza) cuesta {coste:+.2f} s por "
                f"cuaderno a cada trabajador; pared {coste_pared:.2f}× la de calificar sin caja"
            )
        serie_suelo = statistics.median(s[0] / f[0] for s, f in zip(referencia, piso, strict=True))
        serie_cpu = statistics.median(s[1] / f[1] for s, f in zip(referencia, piso, strict=True))
        print(f"nbgrader en serie frente al suelo: pared {serie_suelo:.2f}×, CPU {serie_cpu:.2f}×")
        print(
            f"Carga media al terminar: {os.getloadavg()[0]:.2f} (con otros procesos en la máquina, la pared "
            "y la CPU varían de una corrida a otra)"
        )
        return 0 if all(iguales.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
