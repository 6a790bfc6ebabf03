"""Leer y comprobar tablas de clientes, eventos y encuestas (las del curso o las de tu negocio).

Las tres tablas del curso tienen columnas fijas:

* **eventos**: ``cliente_id``, ``momento`` (fecha y hora), ``evento``, ``canal``, ``importe``.
* **clientes**: ``cliente_id``, ``nombre``, ``segmento``, ``edad``, ``ciudad``, ``alta`` y otras opcionales.
* **encuestas**: ``cliente_id``, ``momento``, ``puntuacion`` (0 a 10), ``comentario``.

:func:`leer_eventos`, :func:`leer_clientes` y :func:`leer_encuestas` aceptan un CSV, un Excel
(``.xlsx``) o un ``DataFrame``, renombran las columnas (solas si se llaman parecido, o con
``columnas={"Fecha de compra": "momento"}``), convierten fechas e importes y devuelven una
tabla con tipos fijos. Si algo no cuadra, lanzan :class:`~cj_course.ErrorCurso` diciendo qué fila
falla y cómo arreglarlo, en lugar de calcular métricas con datos rotos.

>>> import pandas as pd
>>> crudo = pd.DataFrame({"Cliente": [7, 7], "Fecha": ["03/02/2025", "05/02/2025"],
...                       "Evento": ["visita_web", "compra"], "Monto": ["", "$1,299.00"]})
>>> ev = leer_eventos(crudo)
>>> ev["importe"].tolist()
[nan, 1299.0]
>>> str(ev["momento"].iloc[0].date())
'2025-02-03'
"""

from __future__ import annotations

import gzip
import inspect
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Concatenate, Final, ParamSpec

import numpy as np
import pandas as pd

from .._errores import ErrorCurso, exigir_tipo
from .._texto import clave
from ..modelo import como_diccionario

TIPO_FECHA: Final = "datetime64[ns]"
P = ParamSpec("P")


@dataclass(frozen=True)
class Columna:
    """Una columna de una tabla del curso: su nombre, su tipo y los nombres con que suele llegar."""

    nombre: str
    tipo: str  # "id", "fecha", "numero", "entero", "categoria", "texto"
    requerida: bool = False
    sinonimos: tuple[str, ...] = ()
    minimo: float | None = None
    maximo: float | None = None
    descripcion: str = ""


_ID = (
    "cliente",
    "id_cliente",
    "clienteid",
    "id",
    "customer_id",
    "customer",
    "user_id",
    "usuario",
    "id_usuario",
    "cuenta",
    "id_cuenta",
    "empresa_id",
)
_FECHA = ("fecha", "fecha_hora", "hora", "timestamp", "fecha_evento", "date", "datetime", "time", "cuando")

# The names each course column often arrives with, in any table: the readers recognise them.
_SINONIMOS: dict[str, tuple[str, ...]] = {
    "cliente_id": _ID,
    "momento": _FECHA,
    "evento": ("event", "accion", "tipo_evento", "actividad", "paso", "evento_nombre"),
    "canal": ("channel", "medio", "fuente", "origen", "source"),
    "importe": ("monto", "total", "valor", "precio", "amount", "revenue", "venta"),
    "nombre": ("nombre_pila", "first_name", "name", "nombres"),
    "segmento": ("segment", "tipo_cliente", "grupo"),
    "edad": ("age", "anos"),
    "ciudad": ("city", "localidad", "municipio"),
    "alta": ("fecha_alta", "fecha_registro", "registro", "signup", "primer_contacto"),
    "puntuacion": ("nps", "score", "nota", "calificacion", "recomendacion", "puntaje", "valoracion"),
    "comentario": ("comentarios", "comment", "opinion", "observaciones", "texto"),
}
"""Columna del curso → los nombres con que suele llegar (sin tildes, en minúsculas)."""


def _columna(nombre: str, tipo: str, requerida: bool, descripcion: str, **rango: float) -> Columna:
    return Columna(nombre, tipo, requerida, _SINONIMOS.get(nombre, ()), descripcion=descripcion, **rango)


_CLIENTE = _columna("cliente_id", "id", True, "Identificador del cliente.")
ESQUEMAS: dict[str, tuple[Columna, ...]] = {
    "eventos": (
        _CLIENTE,
        _columna("momento", "fecha", True, "Fecha y hora del evento."),
        _columna("evento", "categoria", True, "Qué hizo el cliente (por ejemplo 'compra')."),
        _columna("canal", "categoria", False, "Por dónde ocurrió (por ejemplo 'instagram')."),
        _columna("importe", "numero", False, "Dinero de la compra; vacío en los eventos sin pago."),
    ),
    "clientes": (
        _CLIENTE,
        _columna("nombre", "texto", False, "Nombre de pila, para personalizar correos."),
        _columna("segmento", "categoria", False, "Segmento."),
        _columna("edad", "entero", False, "Edad en años.", minimo=0, maximo=120),
        _columna("ciudad", "categoria", False, "Ciudad."),
        _columna("alta", "fecha", False, "Fecha del primer contacto registrado."),
    ),
    "encuestas": (
        _CLIENTE,
        _columna("momento", "fecha", False, "Fecha de la respuesta."),
        _columna("puntuacion", "entero", True, "Probabilidad de recomendar, de 0 a 10.", minimo=0, maximo=10),
        _columna("comentario", "texto", False, "Comentario libre."),
    ),
}
"""Las columnas de cada tabla, en su orden."""

# Optional customer columns of the bundled data sets, typed so the loaded frames are consistent.
_EXTRAS_CLIENTES = {
    "dispositivo": "categoria",
    "canal_adquisicion": "categoria",
    "producto_favorito": "categoria",
    "empresa": "texto",
    "sector": "categoria",
    "pais": "categoria",
    "empleados": "entero",
    "cargo": "categoria",
}

_FORMATOS_DIA = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%d/%m/%y",
    "%d/%m/%y %H:%M",
    "%Y-%m-%dT%H:%M:%S",
)
_FORMATOS_MES = tuple(
    f.replace("%d/%m", "%m/%d").replace("%d-%m", "%m-%d").replace("%d.%m", "%m.%d") for f in _FORMATOS_DIA
)


def formatos_de_fecha(dia_primero: bool = True) -> tuple[str, ...]:
    """The date formats tried when none is given, day first or (``dia_primero=False``) month first.

    >>> formatos_de_fecha()[3], formatos_de_fecha(dia_primero=False)[3]
    ('%d/%m/%Y %H:%M:%S', '%m/%d/%Y %H:%M:%S')
    """
    return _FORMATOS_DIA if dia_primero else _FORMATOS_MES


def simplificar(texto: object) -> str:
    """Un nombre de columna sin tildes, en minúsculas y con guiones bajos: ``"Fecha de Compra"`` → ``"fecha_de_compra"``."""
    return clave(texto)


# --- reading the file ---------------------------------------------------------------------------


SEPARADORES: Final = (",", ";", "\t", "|")


def separador_probable(encabezado: str) -> str:
    """The separator that splits the header best (spreadsheets set to Spanish export with ';').

    >>> separador_probable("Fecha;Cliente;Importe"), separador_probable("solo_una_columna")
    (';', ',')
    """
    cuentas = {sep: encabezado.count(sep) for sep in SEPARADORES}
    mejor = max(cuentas, key=lambda sep: cuentas[sep])
    return mejor if cuentas[mejor] > 0 else ","


def ruta_existente(fuente: object, *, campo: str, que: str, pista: str) -> Path:
    """The path of a file that exists; else an ``ErrorCurso`` (``que``: what could not be done with it).

    >>> ruta_existente(3, campo="ruta", que="importar", pista="Pasa una ruta.")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    cj_course._errores.ErrorCurso: No sé importar un int. ...
    """
    if not isinstance(fuente, str | Path):
        raise ErrorCurso(f"No sé {que} un {type(fuente).__name__}.", campo=campo, pista=pista)
    ruta = Path(fuente)
    if not ruta.is_file():
        raise ErrorCurso(
            f"No encuentro el archivo «{ruta}».",
            campo=campo,
            pista="Revisa el nombre y la carpeta; la ruta es relativa a la carpeta del cuaderno. "
            "Los archivos descargados suelen quedar en Descargas: muévelo junto al cuaderno.",
        )
    return ruta


def _leer_archivo(fuente: object, hoja: int | str, separador: str | None) -> tuple[pd.DataFrame, int]:
    """The raw table and the row offset that turns a position into the row number a spreadsheet shows."""
    if isinstance(fuente, pd.DataFrame):
        return fuente, 1
    ruta = ruta_existente(
        fuente,
        campo="fuente",
        que="leer datos de",
        pista="Pasa la ruta de un archivo CSV o Excel (entre comillas) o un DataFrame de pandas.",
    )
    nombre = ruta.name.lower()
    try:
        if nombre.endswith((".csv", ".csv.gz", ".txt", ".tsv")):
            return _leer_csv(ruta, separador), 2
        if nombre.endswith((".xlsx", ".xlsm")):
            return pd.read_excel(ruta, sheet_name=hoja, engine="openpyxl"), 2
    except ErrorCurso:
        raise
    except (ValueError, KeyError, OSError, pd.errors.ParserError) as e:
        raise ErrorCurso(
            f"No pude leer '{ruta.name}': {e}",
            campo="fuente",
            pista="Ábrelo en tu hoja de cálculo y guárdalo de nuevo como CSV (UTF-8) o como Excel (.xlsx).",
        ) from None
    if nombre.endswith(".xls"):
        raise ErrorCurso(
            f"'{ruta.name}' está en el formato antiguo de Excel (.xls).",
            campo="fuente",
            pista="Ábrelo en Excel y usa «Guardar como» → Libro de Excel (.xlsx) o CSV.",
        )
    raise ErrorCurso(
        f"No reconozco el tipo de archivo de '{ruta.name}'.",
        campo="fuente",
        pista="Usa un CSV (.csv) o un Excel (.xlsx).",
    )


def _leer_csv(ruta: Path, separador: str | None) -> pd.DataFrame:
    # Everything is read as text so identifiers keep their leading zeros; types are set afterwards.
    for codificacion in ("utf-8-sig", "cp1252"):
        try:
            if separador is None:
                separador = _adivinar_separador(ruta, codificacion)
            return pd.read_csv(ruta, sep=separador, dtype=str, encoding=codificacion, skipinitialspace=True)
        except UnicodeDecodeError:
            continue
    raise ErrorCurso(
        f"No pude leer el texto de '{ruta.name}'.",  # pragma: no cover - cp1252 decodes almost anything
        pista="Guárdalo como CSV UTF-8.",
    )


def _adivinar_separador(ruta: Path, codificacion: str) -> str:
    abrir = gzip.open if ruta.name.lower().endswith(".gz") else open
    with abrir(ruta, "rt", encoding=codificacion, newline="") as archivo:
        return separador_probable(archivo.readline())


# --- naming the columns ---------------------------------------------------------------------------


def _renombrar(
    tabla: pd.DataFrame, tipo: str, columnas: Mapping[str, str] | None, extras: Mapping[str, str]
) -> pd.DataFrame:
    """The table with the course's column names: the ones the student gave, then the ones recognised."""
    esquema = ESQUEMAS[tipo]
    renombre = renombre_indicado(tabla, tipo, columnas, [c.nombre for c in esquema] + list(extras))
    renombre.update(renombre_reconocido(tabla, esquema, renombre))
    tabla = tabla.rename(columns=renombre)
    _comprobar_columnas(tabla, tipo, esquema)
    return tabla


def renombre_indicado(
    tabla: pd.DataFrame, tipo: str, columnas: Mapping[str, str] | None, conocidas: list[str] | None
) -> dict[Hashable, str]:
    """``columnas={"Fecha": "momento"}`` checked: the column exists and the target is one of ``conocidas``
    (any target when ``None``: the importer's are checked by :func:`normalizar` afterwards)."""
    indicadas = como_diccionario(
        columnas,
        campo="columnas",
        mensaje="El parámetro 'columnas' debe ser un diccionario {columna_de_tu_archivo: columna_del_curso}.",
        pista='Por ejemplo columnas={"Fecha de compra": "momento", "ID": "cliente_id"}.',
    )
    renombre: dict[Hashable, str] = {}
    for origen, destino in indicadas.items():
        if origen not in tabla.columns:
            raise ErrorCurso(
                f"Tu tabla no tiene la columna '{origen}' que indicas en 'columnas'.",
                campo="columnas",
                pista=f"Las columnas de tu tabla son: {', '.join(map(str, tabla.columns))}.",
            )
        if conocidas is not None and destino not in conocidas:
            raise ErrorCurso(
                f"'{destino}' no es una columna de la tabla de {tipo}.",
                campo="columnas",
                pista=f"Las columnas del curso para {tipo} son: {', '.join(c.nombre for c in ESQUEMAS[tipo])}.",
            )
        renombre[origen] = destino
    return renombre


def _por_nombre_o_sinonimo(columna: Columna, libres: list[Hashable]) -> list[Hashable]:
    candidatas = [c for c in libres if simplificar(c) == columna.nombre]
    return candidatas or [c for c in libres if simplificar(c) in columna.sinonimos]


def renombre_reconocido(
    tabla: pd.DataFrame,
    esquema: tuple[Columna, ...],
    indicado: Mapping[Hashable, str],
    candidatas_de: Callable[[Columna, list[Hashable]], list[Hashable]] = _por_nombre_o_sinonimo,
) -> dict[Hashable, str]:
    """The course's columns recognised (by ``candidatas_de``, by default name or synonym) among those the
    student did not map: one column each, and a question when two could be the same one."""
    asignadas = set(indicado.values())
    libres: list[Hashable] = [c for c in tabla.columns if c not in indicado]
    renombre: dict[Hashable, str] = {}
    for col in esquema:
        if col.nombre in asignadas:
            continue
        candidatas = candidatas_de(col, libres)
        if len(candidatas) > 1:
            raise ErrorCurso(
                f"Varias columnas podrían ser «{col.nombre}»: {', '.join(map(str, candidatas))}.",
                campo=col.nombre,
                pista=f'Indica cuál con columnas={{"{candidatas[0]}": "{col.nombre}"}}.',
            )
        if candidatas:
            renombre[candidatas[0]] = col.nombre
            libres.remove(candidatas[0])
    return renombre


def _comprobar_columnas(tabla: pd.DataFrame, tipo: str, esquema: tuple[Columna, ...]) -> None:
    """Every required column present, none twice."""
    faltan = [c for c in esquema if c.requerida and c.nombre not in tabla.columns]
    if faltan:
        nombres = ", ".join(f"'{c.nombre}'" for c in faltan)
        ejemplo = ", ".join(f'"<tu columna>": "{c.nombre}"' for c in faltan)
        raise ErrorCurso(
            f"A la tabla de {tipo} le falta {'la columna' if len(faltan) == 1 else 'las columnas'} {nombres}. "
            f"Sus columnas son: {', '.join(map(str, tabla.columns)) or '(ninguna)'}.",
            campo=faltan[0].nombre,
            pista=f"Si tu archivo la llama de otra forma, indícalo: columnas={{{ejemplo}}}.",
        )
    duplicadas = tabla.columns[tabla.columns.duplicated()].tolist()
    if duplicadas:
        raise _error_de_columna(
            duplicadas[0],
            f"La columna '{duplicadas[0]}' aparece dos veces.",
            "Renombra o borra una de las dos en tu archivo.",
        )


# --- converting each column -----------------------------------------------------------------------


def _filas(mascara: np.ndarray, desplazamiento: int, valores: pd.Series | None = None) -> str:
    posiciones = np.flatnonzero(mascara)
    trozos = []
    for p in posiciones[:5]:
        texto = f"{p + desplazamiento}"
        if valores is not None:
            texto += f" ({valores.iloc[p]!r})"
        trozos.append(texto)
    resto = f" y {len(posiciones) - 5} más" if len(posiciones) > 5 else ""
    return ", ".join(trozos) + resto


def _vacios(serie: pd.Series) -> np.ndarray:
    nulos = serie.isna().to_numpy()
    if serie.dtype == object or isinstance(serie.dtype, pd.StringDtype | pd.CategoricalDtype):
        texto = serie.astype("string").str.strip()
        nulos = nulos | (texto == "").fillna(True).to_numpy()
    return nulos


def _error_de_columna(nombre: Hashable, mensaje: str, pista: str) -> ErrorCurso:
    """The error for bad values in one column: it points at that column, as the student named it."""
    return ErrorCurso(mensaje, campo=str(nombre), pista=pista)


def _a_ids(serie: pd.Series, desplazamiento: int, categoria: bool) -> pd.Series:
    nombre = serie.name
    if isinstance(serie.dtype, pd.CategoricalDtype) and serie.cat.categories.dtype != object:
        # Already typed (the bundled data): only the empty-id check is needed.
        vacios = serie.cat.codes.to_numpy() < 0
        texto = None
    else:
        if pd.api.types.is_float_dtype(serie.dtype):
            valores = serie.to_numpy(dtype=float, na_value=np.nan)
            infinitos = np.isinf(valores)
            if infinitos.any():
                raise _error_de_columna(
                    nombre,
                    f"Hay identificadores no válidos en '{nombre}': filas {_filas(infinitos, desplazamiento)}.",
                    "Cada cliente necesita un identificador (un código o número).",
                )
            enteros = valores[~np.isnan(valores)]
            # Excel hands integer ids over as floats (1001.0); the id is "1001".
            if (enteros == np.floor(enteros)).all() and (np.abs(enteros) < 2**53).all():
                serie = serie.astype("Int64")
        texto = serie.astype("string").str.strip()
        vacios = (texto.isna() | (texto == "")).fillna(True).to_numpy()
    if vacios.any():
        raise _error_de_columna(
            nombre,
            f"Hay {int(vacios.sum())} fila(s) sin '{nombre}': filas {_filas(vacios, desplazamiento)}.",
            "Cada fila necesita el identificador de su cliente; complétalo o borra esas filas.",
        )
    if texto is None:
        return serie if categoria else serie.astype("str")
    texto = texto.astype("str")
    return texto.astype("category") if categoria else texto


def _a_fechas(
    serie: pd.Series, formato: str | None, dia_primero: bool, desplazamiento: int, requerida: bool
) -> pd.Series:
    nombre = serie.name
    vacios = _vacios(serie)
    if requerida and vacios.any():
        raise _error_de_columna(
            nombre,
            f"Hay {int(vacios.sum())} fila(s) sin fecha en '{nombre}': filas {_filas(vacios, desplazamiento)}.",
            "Completa la fecha de esas filas o bórralas.",
        )
    if pd.api.types.is_datetime64_any_dtype(serie.dtype):
        fechas = serie
        if getattr(fechas.dt, "tz", None) is not None:
            fechas = fechas.dt.tz_localize(None)  # keeps the shop's wall-clock time
        return _a_nanosegundos(fechas, desplazamiento)
    if pd.api.types.is_numeric_dtype(serie.dtype):
        raise _error_de_columna(
            nombre,
            f"La columna '{nombre}' tiene números, no fechas.",
            "Dale formato de fecha en tu hoja de cálculo (por ejemplo 31/01/2025 14:30) antes de exportarla.",
        )
    texto = serie.astype("string").str.strip().mask(pd.Series(vacios, index=serie.index))
    if formato is not None:
        fechas = pd.to_datetime(texto, format=formato, errors="coerce")
    else:
        fechas = _adivinar_fechas(texto, vacios, dia_primero)
    malas = fechas.isna().to_numpy() & ~vacios
    if malas.any():
        raise _error_de_columna(
            nombre,
            f"No entiendo {int(malas.sum())} fecha(s) de '{nombre}': filas {_filas(malas, desplazamiento, serie)}.",
            "Usa un formato como 2025-01-31 14:30 o 31/01/2025, o indícalo con "
            "formato_fecha='%d/%m/%Y %H:%M'.",
        )
    if getattr(fechas.dt, "tz", None) is not None:
        fechas = fechas.dt.tz_localize(None)
    return _a_nanosegundos(fechas, desplazamiento)


def _adivinar_fechas(texto: pd.Series, vacios: np.ndarray, dia_primero: bool) -> pd.Series:
    """ISO 8601 if every date is; otherwise the usual format that reads the most of them."""
    fechas = pd.to_datetime(texto, format="ISO8601", errors="coerce")
    if not (fechas.isna().to_numpy() & ~vacios).any():
        return fechas
    menos_fallos: int | None = None
    for f in formatos_de_fecha(dia_primero):
        intento = pd.to_datetime(texto, format=f, errors="coerce")
        fallos = int((intento.isna().to_numpy() & ~vacios).sum())
        if menos_fallos is None or fallos < menos_fallos:
            menos_fallos, fechas = fallos, intento
        if fallos == 0:
            break
    return fechas


def _a_nanosegundos(fechas: pd.Series, desplazamiento: int) -> pd.Series:
    """The fixed date type of the course; dates it cannot hold (before 1678, after 2261) are an error."""
    dentro = fechas.isna() | ((fechas >= pd.Timestamp("1678-01-01")) & (fechas < pd.Timestamp("2262-01-01")))
    fuera = ~dentro.to_numpy(dtype=bool)
    if fuera.any():
        raise _error_de_columna(
            fechas.name,
            f"Hay fechas imposibles en '{fechas.name}': filas {_filas(fuera, desplazamiento, fechas.astype(str))}.",
            "Revisa el año de esas fechas (debe estar entre 1678 y 2261).",
        )
    return fechas.astype(TIPO_FECHA)


def _a_numeros(serie: pd.Series, decimal: str, desplazamiento: int, col: Columna | None) -> pd.Series:
    nombre = serie.name
    if pd.api.types.is_bool_dtype(serie.dtype):
        raise _error_de_columna(
            nombre,
            f"La columna '{nombre}' tiene verdadero/falso, no números.",
            "Revisa que sea la columna correcta.",
        )
    if pd.api.types.is_numeric_dtype(serie.dtype):
        numeros = serie.astype("float64")
        malas = np.zeros(len(serie), dtype=bool)
    else:
        texto = serie.astype("string").str.strip()
        vacios = (texto.isna() | (texto == "")).fillna(True).to_numpy()
        limpio = texto.str.replace(r"[\s$€\u00a0]|MXN|USD|COP|PEN|CLP", "", regex=True)
        miles, coma = (".", ",") if decimal == "," else (",", ".")
        # A thousands separator only counts in groups of three ("1,299.50"); "12,5" is not 125.
        patron = rf"^[-+]?\d{{1,3}}(\{miles}\d{{3}})+(\{coma}\d*)?$"
        mal_agrupado = (limpio.str.contains(miles, regex=False) & ~limpio.str.match(patron)).fillna(False)
        limpio = limpio.str.replace(miles, "", regex=False)
        if decimal == ",":
            limpio = limpio.str.replace(",", ".", regex=False)
        numeros = pd.to_numeric(limpio.astype(object).where(~vacios, None), errors="coerce").astype("float64")
        numeros = numeros.mask(mal_agrupado.to_numpy(dtype=bool))
        malas = numeros.isna().to_numpy() & ~vacios
    if malas.any():
        pista = "Escribe solo números (por ejemplo 1299.50)."
        if decimal != "," and texto[malas].str.contains(",", regex=False).any():
            pista += " Si usas coma decimal, pasa decimal=','."
        raise _error_de_columna(
            nombre,
            f"La columna '{nombre}' debe tener números y hay {int(malas.sum())} valor(es) que no lo son: "
            f"filas {_filas(malas, desplazamiento, serie)}.",
            pista,
        )
    infinitos = np.isinf(numeros.to_numpy())
    if infinitos.any():
        raise _error_de_columna(
            nombre,
            f"La columna '{nombre}' tiene valores infinitos: filas {_filas(infinitos, desplazamiento)}.",
            "Corrige esos valores.",
        )
    if col is not None and (col.minimo is not None or col.maximo is not None):
        valores = numeros.to_numpy()
        fuera = ~np.isnan(valores) & (
            (valores < (col.minimo if col.minimo is not None else -np.inf))
            | (valores > (col.maximo if col.maximo is not None else np.inf))
        )
        if fuera.any():
            raise _error_de_columna(
                nombre,
                f"La columna '{nombre}' debe ir de {col.minimo:g} a {col.maximo:g} y hay valores fuera: "
                f"filas {_filas(fuera, desplazamiento, serie)}.",
                "Corrige esos valores o borra esas filas.",
            )
    return numeros


def _a_enteros(
    serie: pd.Series, decimal: str, desplazamiento: int, col: Columna | None, requerida: bool
) -> pd.Series:
    numeros = _a_numeros(serie, decimal, desplazamiento, col)
    valores = numeros.to_numpy()
    nombre = serie.name
    faltan = np.isnan(valores)
    if requerida and faltan.any():
        raise _error_de_columna(
            nombre,
            f"Hay {int(faltan.sum())} fila(s) sin valor en '{nombre}': filas {_filas(faltan, desplazamiento)}.",
            "Completa esas filas o bórralas.",
        )
    decimales = ~faltan & (valores != np.floor(np.where(faltan, 0, valores)))
    if decimales.any():
        raise _error_de_columna(
            nombre,
            f"La columna '{nombre}' debe tener números enteros y hay decimales: "
            f"filas {_filas(decimales, desplazamiento, serie)}.",
            "Usa números enteros (sin decimales).",
        )
    if requerida:
        return numeros.astype("int64")
    return numeros.astype("Int64")


def _a_categorias(serie: pd.Series) -> pd.Series:
    if isinstance(serie.dtype, pd.CategoricalDtype) and serie.cat.categories.dtype != object:
        return serie
    texto = serie.astype("string").str.strip()
    texto = texto.mask(texto == "")
    return texto.astype("str").astype("category")


def _a_texto(serie: pd.Series) -> pd.Series:
    texto = serie.astype("string").str.strip()
    return texto.mask(texto == "").astype("str")


@dataclass(frozen=True)
class _Lectura:
    """How the values of one table are read (the reader's options)."""

    formato_fecha: str | None
    dia_primero: bool
    decimal: str
    desplazamiento: int  # position -> the row number the student's spreadsheet shows


def normalizar(
    tabla: pd.DataFrame,
    tipo: str,
    *,
    columnas: Mapping[str, str] | None = None,
    formato_fecha: str | None = None,
    dia_primero: bool = True,
    decimal: str = ".",
    desplazamiento: int = 1,
) -> pd.DataFrame:
    """``tabla`` con los nombres y tipos de columna del curso, comprobada fila a fila.

    ``tipo`` es ``"eventos"``, ``"clientes"`` o ``"encuestas"``. Las columnas que no son del curso
    se conservan al final, sin tocar. Es lo que usan :func:`leer_eventos` y compañía después de leer
    el archivo; úsala directamente si ya tienes un ``DataFrame``.

    >>> import pandas as pd
    >>> normalizar(pd.DataFrame({"Cliente": [7], "NPS": ["9"], "extra": ["x"]}), "encuestas").columns.tolist()
    ['cliente_id', 'puntuacion', 'comentario', 'extra']
    """
    _comprobar_entrada(tabla, tipo, decimal)
    extras = _EXTRAS_CLIENTES if tipo == "clientes" else {}
    tabla = _renombrar(tabla, tipo, columnas, extras)
    if len(tabla) == 0:
        raise ErrorCurso(
            f"La tabla de {tipo} está vacía (no tiene filas).",
            pista="Revisa que el archivo tenga datos debajo de la fila de encabezados.",
        )
    tabla = tabla.reset_index(drop=True)
    lectura = _Lectura(formato_fecha, dia_primero, decimal, desplazamiento)
    esquema = {c.nombre: c for c in ESQUEMAS[tipo]}
    tipos = {**{c.nombre: c.tipo for c in ESQUEMAS[tipo]}, **extras}
    resultado: dict[Hashable, pd.Series] = {
        nombre: (
            _convertir(tabla[nombre], tipos[nombre], esquema.get(nombre), tipo, lectura)
            if nombre in tipos
            else tabla[nombre]
        )
        for nombre in tabla.columns
    }
    _completar_opcionales(resultado, tipo, len(tabla))
    return _ordenar(pd.DataFrame(resultado), tipo, desplazamiento)


def _comprobar_entrada(tabla: object, tipo: str, decimal: str) -> None:
    if tipo not in ESQUEMAS:
        raise ErrorCurso(
            f"No conozco la tabla '{tipo}'.", campo="tipo", pista=f"Usa una de: {', '.join(ESQUEMAS)}."
        )
    exigir_tipo(
        tabla,
        pd.DataFrame,
        "Se esperaba una tabla (DataFrame)",
        pista="Carga tus datos con pd.read_csv o pasa la ruta del archivo a leer_" + tipo + ".",
    )
    if decimal not in (".", ","):
        raise ErrorCurso(
            "El separador decimal debe ser '.' o ','.", campo="decimal", pista="Usa decimal=','."
        )


def _convertir(serie: pd.Series, clase: str, col: Columna | None, tipo: str, lectura: _Lectura) -> pd.Series:
    """One column of the course, converted to its type (``clase``) and checked row by row."""
    requerida = bool(col and col.requerida)
    desplazamiento = lectura.desplazamiento
    if clase == "id":
        return _a_ids(serie, desplazamiento, categoria=(tipo == "eventos"))
    if clase == "fecha":
        return _a_fechas(serie, lectura.formato_fecha, lectura.dia_primero, desplazamiento, requerida)
    if clase == "numero":
        return _a_numeros(serie, lectura.decimal, desplazamiento, col)
    if clase == "entero":
        return _a_enteros(serie, lectura.decimal, desplazamiento, col, requerida)
    if clase == "categoria":
        categorias = _a_categorias(serie)
        if requerida and (vacios := categorias.isna().to_numpy()).any():
            raise _error_de_columna(
                serie.name,
                f"Hay {int(vacios.sum())} fila(s) sin '{serie.name}': filas {_filas(vacios, desplazamiento)}.",
                "Completa esas filas o bórralas.",
            )
        return categorias
    return _a_texto(serie)


def _completar_opcionales(resultado: dict[Hashable, pd.Series], tipo: str, filas: int) -> None:
    """The optional columns every table of its type has, empty when the file did not bring them."""
    if tipo == "eventos":
        for opcional, vacio in (
            ("canal", pd.Categorical([None] * filas, categories=pd.Index([], dtype="str"))),
            ("importe", np.full(filas, np.nan)),
        ):
            if opcional not in resultado:
                resultado[opcional] = pd.Series(vacio, name=opcional)
    if tipo == "encuestas" and "comentario" not in resultado:
        resultado["comentario"] = pd.Series(np.full(filas, np.nan), dtype="str")


def _ordenar(salida: pd.DataFrame, tipo: str, desplazamiento: int) -> pd.DataFrame:
    """The course's columns first, then the others; customers unique; events and surveys in time order."""
    orden = [c.nombre for c in ESQUEMAS[tipo] if c.nombre in salida.columns]
    orden += [c for c in salida.columns if c not in orden]
    salida = salida[orden]
    if tipo == "clientes":
        duplicados = salida["cliente_id"].duplicated().to_numpy()
        if duplicados.any():
            raise ErrorCurso(
                f"Hay clientes repetidos en la tabla de clientes: filas "
                f"{_filas(duplicados, desplazamiento, salida['cliente_id'])}.",
                campo="cliente_id",
                pista="Cada cliente debe aparecer una sola vez; junta o borra las filas repetidas.",
            )
    if tipo in ("eventos", "encuestas") and "momento" in salida.columns:
        salida = salida.sort_values("momento", kind="stable").reset_index(drop=True)
    return salida


def _leer(
    tipo: str,
    fuente: str | Path | pd.DataFrame,
    *,
    columnas: Mapping[str, str] | None = None,
    formato_fecha: str | None = None,
    dia_primero: bool = True,
    hoja: int | str = 0,
    separador: str | None = None,
    decimal: str = ".",
) -> pd.DataFrame:
    """The three public readers in one: they differ only in the table's schema (``tipo``)."""
    tabla, desplazamiento = _leer_archivo(fuente, hoja, separador)
    return normalizar(
        tabla,
        tipo,
        columnas=columnas,
        formato_fecha=formato_fecha,
        dia_primero=dia_primero,
        decimal=decimal,
        desplazamiento=desplazamiento,
    )


def _lector(
    leer: Callable[Concatenate[str, P], pd.DataFrame], tipo: str, documentacion: str
) -> Callable[P, pd.DataFrame]:
    """``leer`` with the table fixed: the public reader of one of the course's tables, with the signature
    (for help and editors) and the types (for mypy) of ``leer`` without its first parameter."""

    firma = inspect.signature(leer)
    publica = firma.replace(parameters=list(firma.parameters.values())[1:])
    nombre = f"leer_{tipo}"

    def lector(*args: P.args, **kwargs: P.kwargs) -> pd.DataFrame:
        try:  # the arguments checked against the public signature: errors name leer_eventos, not _leer
            publica.bind(*args, **kwargs)
        except TypeError as e:
            raise ErrorCurso(
                f"{nombre} no recibió bien sus argumentos ({e}).",
                pista=f'Pasa la ruta del archivo o una tabla, por ejemplo {nombre}("mis_{tipo}.csv"); '
                f"help({nombre}) muestra todas las opciones.",
            ) from None
        return leer(tipo, *args, **kwargs)

    # inspect (help, Jupyter's Shift+Tab) reads __signature__; vars() because typeshed has no such attribute.
    vars(lector)["__signature__"] = publica
    lector.__name__ = lector.__qualname__ = nombre
    lector.__doc__ = documentacion
    return lector


leer_eventos = _lector(
    _leer,
    "eventos",
    """Lee un registro de eventos (CSV, Excel o DataFrame) y lo deja con las columnas y tipos del curso.

    Requiere ``cliente_id``, ``momento`` y ``evento``; ``canal`` e ``importe`` son opcionales.
    ``columnas`` renombra las de tu archivo (``{"Fecha": "momento"}``); ``formato_fecha`` fija
    el formato si no se adivina (``"%d/%m/%Y %H:%M"``); con ``dia_primero=False`` las fechas
    ambiguas se leen como mes/día. ``decimal=","`` para importes con coma decimal.

    Devuelve ``cliente_id``, ``evento`` y ``canal`` como categorías, ``momento`` como
    ``datetime64[ns]`` e ``importe`` como decimal, ordenado por ``momento``.

    >>> import pandas as pd
    >>> leer_eventos(pd.DataFrame({"id": ["a"], "fecha": ["2025-01-31 10:00"], "evento": ["compra"]})).dtypes["momento"]
    dtype('<M8[ns]')
    """,
)

leer_clientes = _lector(
    _leer,
    "clientes",
    """Lee la tabla de clientes: ``cliente_id`` (obligatoria y sin repetir) y, si están, ``nombre``,
    ``segmento``, ``edad`` (0 a 120), ``ciudad`` y ``alta`` (fecha). Mismos parámetros que :func:`leer_eventos`.

    >>> import pandas as pd
    >>> leer_clientes(pd.DataFrame({"ID": [1, 2], "Edad": [30, 41]}))["cliente_id"].tolist()
    ['1', '2']
    """,
)

leer_encuestas = _lector(
    _leer,
    "encuestas",
    """Lee las respuestas de una encuesta NPS: ``cliente_id`` y ``puntuacion`` (entero de 0 a 10)
    obligatorias; ``momento`` y ``comentario`` opcionales. Mismos parámetros que :func:`leer_eventos`.

    >>> import pandas as pd
    >>> leer_encuestas(pd.DataFrame({"cliente": ["a", "b"], "nps": [10, 6]}))["puntuacion"].tolist()
    [10, 6]
    """,
)
