"""Los conjuntos de datos que vienen dentro del paquete (no se descarga nada).

>>> zapatos = cargar_datos("zapatos")
>>> zapatos.empresa
'Zapatos SA de CV'
>>> sorted(CONJUNTOS)
['nubestock', 'zapatos']
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path

import pandas as pd

from .._errores import ErrorCurso
from .generador import DatosCurso, generar_datos
from .lectura import normalizar, simplificar

# name -> (scenario, customers, seed). Changing a line here means running ``python -m cj_course.datos.generar``.
CONJUNTOS: dict[str, tuple[str, int, int]] = {
    "zapatos": ("zapatos", 30_000, 1),
    "nubestock": ("nubestock", 5_000, 2),
}
_ALIAS = {
    "b2b": "nubestock",
    "zapatos_sa": "zapatos",
    "zapatos_sa_de_cv": "zapatos",
    "ecommerce": "zapatos",
    "b2c": "zapatos",
    "nube_stock": "nubestock",
}
_TABLAS = ("clientes", "eventos", "encuestas")
_FORMATO_FECHA = "%Y-%m-%d %H:%M:%S"


def carpeta_de_datos() -> Path:
    return Path(str(resources.files("cj_course.datos")))


def _nombre(nombre: object) -> str:
    if not isinstance(nombre, str):
        raise ErrorCurso(
            "El nombre del conjunto de datos debe ser un texto.",
            campo="nombre",
            pista=f"Usa uno de: {', '.join(CONJUNTOS)}.",
        )
    clave = simplificar(nombre)
    clave = _ALIAS.get(clave, clave)
    if clave not in CONJUNTOS:
        raise ErrorCurso(
            f"No hay un conjunto de datos llamado '{nombre}'.",
            campo="nombre",
            pista=f"Los disponibles son: {', '.join(CONJUNTOS)} (o 'b2b' para NubeStock).",
        )
    return clave


def guardar_datos(datos: DatosCurso, carpeta: str | Path) -> list[Path]:
    """Escribe las tres tablas como ``<nombre>_<tabla>.csv.gz`` y un ``<nombre>.json`` con los tipos.

    La compresión no guarda la hora (``mtime=0``): generar dos veces da archivos idénticos byte a byte.
    """
    carpeta = Path(carpeta)
    carpeta.mkdir(parents=True, exist_ok=True)
    escritos = []
    categorias = {}
    for tabla in _TABLAS:
        df = getattr(datos, tabla)
        categorias[tabla] = {
            c: df[c].cat.categories.tolist()
            for c in df.columns
            if isinstance(df[c].dtype, pd.CategoricalDtype) and c != "cliente_id"
        }
        ruta = carpeta / f"{datos.nombre}_{tabla}.csv.gz"
        df.to_csv(
            ruta,
            index=False,
            date_format=_FORMATO_FECHA,
            lineterminator="\n",
            compression={"method": "gzip", "compresslevel": 9, "mtime": 0},
        )
        escritos.append(ruta)
    meta = {
        "nombre": datos.nombre,
        "empresa": datos.empresa,
        "descripcion": datos.descripcion,
        "categorias": categorias,
    }
    ruta = carpeta / f"{datos.nombre}.json"
    ruta.write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    escritos.append(ruta)
    return escritos


def leer_datos(nombre: str, carpeta: str | Path) -> DatosCurso:
    """Lee un conjunto escrito con :func:`guardar_datos` (con las mismas categorías y tipos)."""
    carpeta = Path(carpeta)
    meta = json.loads((carpeta / f"{nombre}.json").read_text(encoding="utf-8"))
    tablas: dict[str, pd.DataFrame] = {}
    for tabla in _TABLAS:
        tipos: dict[str, pd.CategoricalDtype | str] = {
            c: pd.CategoricalDtype(pd.Index(v, dtype="str")) for c, v in meta["categorias"][tabla].items()
        }
        if tabla == "eventos":
            tipos["cliente_id"] = pd.CategoricalDtype(
                pd.Index(tablas["clientes"]["cliente_id"].to_numpy(), dtype="str")
            )
        else:
            tipos["cliente_id"] = "str"
        crudo = pd.read_csv(carpeta / f"{nombre}_{tabla}.csv.gz", dtype=tipos)
        tablas[tabla] = normalizar(crudo, tabla, formato_fecha=_FORMATO_FECHA, desplazamiento=2)
    return DatosCurso(meta["nombre"], meta["empresa"], meta["descripcion"], **tablas)


@functools.lru_cache(maxsize=4)
def _cargar(clave: str) -> DatosCurso:
    return leer_datos(clave, carpeta_de_datos())


def cargar_datos(nombre: str = "zapatos") -> DatosCurso:
    """Carga un conjunto de datos del curso por su nombre: ``"zapatos"`` o ``"nubestock"`` (``"b2b"``).

    Devuelve un :class:`DatosCurso` con ``.clientes``, ``.eventos`` y ``.encuestas`` (DataFrames con
    tipos fijos: fechas ``datetime64[ns]``, textos repetidos como categorías, importes decimales).
    Cada llamada devuelve tablas nuevas: modificarlas no cambia lo que recibe la siguiente.

    >>> datos = cargar_datos("b2b")
    >>> datos.empresa, list(datos.eventos.columns)
    ('NubeStock S.A.S.', ['cliente_id', 'momento', 'evento', 'canal', 'importe'])
    """
    original = _cargar(_nombre(nombre))
    return DatosCurso(
        original.nombre,
        original.empresa,
        original.descripcion,
        *(getattr(original, t).copy(deep=False) for t in _TABLAS),
    )


def regenerar(nombre: str) -> DatosCurso:
    """Vuelve a generar en memoria el conjunto ``nombre`` con su escenario, tamaño y semilla fijos."""
    escenario, n_clientes, semilla = CONJUNTOS[_nombre(nombre)]
    return generar_datos(escenario, n_clientes=n_clientes, semilla=semilla)
