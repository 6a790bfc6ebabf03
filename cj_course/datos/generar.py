"""Regenera los conjuntos de datos incluidos en el paquete.

Uso::

    python -m cj_course.datos.generar              # reescribe los archivos de cj_course/datos/
    python -m cj_course.datos.generar --destino /tmp/datos zapatos

Con las semillas fijas de :data:`cj_course.datos.conjuntos.CONJUNTOS` el resultado es siempre el mismo.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .conjuntos import CONJUNTOS, carpeta_de_datos, guardar_datos, regenerar


def main(argumentos: list[str] | None = None) -> list[Path]:
    parser = argparse.ArgumentParser(
        prog="python -m cj_course.datos.generar", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "nombres",
        nargs="*",
        metavar="NOMBRE",
        help=f"conjuntos a generar: {', '.join(CONJUNTOS)} (todos si no se indica)",
    )
    parser.add_argument(
        "--destino", type=Path, default=None, help="carpeta de salida (por defecto la del paquete)"
    )
    opciones = parser.parse_args(argumentos)
    desconocidos = [n for n in opciones.nombres if n not in CONJUNTOS]
    if desconocidos:
        parser.error(f"no existe el conjunto '{desconocidos[0]}'; usa uno de: {', '.join(CONJUNTOS)}")
    destino = opciones.destino or carpeta_de_datos()
    escritos = []
    for nombre in opciones.nombres or list(CONJUNTOS):
        datos = regenerar(nombre)
        rutas = guardar_datos(datos, destino)
        escritos += rutas
        tamano = sum(r.stat().st_size for r in rutas) / 1024
        print(
            f"{nombre}: {len(datos.clientes)} clientes, {len(datos.eventos)} eventos, "
            f"{len(datos.encuestas)} encuestas → {tamano:.0f} KB en {destino}"
        )
    return escritos


if __name__ == "__main__":
    main()
