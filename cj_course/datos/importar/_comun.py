"""What every importer shares: reading a file as it comes out of a tool, numbers, dates and the summary.

Every problem a real export can have ends in :class:`~cj_course.ErrorCurso` naming the file, the line
(as a spreadsheet shows it: the header is line 1) and the fix.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..._errores import ErrorCurso
from ..._texto import clave
from ..lectura import TIPO_FECHA, formatos_de_fecha, ruta_existente, separador_probable

EXTENSIONES_TEXTO = (".csv", ".txt", ".tsv", ".csv.gz")
EXTENSIONES_EXCEL = (".xlsx", ".xlsm")
EXTENSIONES_JSON = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz")


# --- the summary a student reads --------------------------------------------------------------------


@dataclass
class Importacion:
    """Qué hizo :func:`importar` con tu archivo, en palabras: se guarda en ``tabla.attrs["importacion"]``.

    ``print(tabla.attrs["importacion"])`` lo muestra; sus campos también se pueden leer uno a uno.

    >>> r = Importacion(archivo="pedidos.csv", formato="shopify", reconocido_por=["Name", "Lineitem name"])
    >>> r.columnas["Email"] = "cliente_id"
    >>> r.filas_leidas, r.filas = 3, 2
    >>> print(r)  # doctest: +NORMALIZE_WHITESPACE
    Importé «pedidos.csv» como shopify (lo reconocí por las columnas Name, Lineitem name).
    Leí 3 fila(s) y quedaron 2 evento(s).
    Columnas usadas: Email → cliente_id.
    """

    archivo: str
    formato: str
    tipo: str = "eventos"
    reconocido_por: list[str] = field(default_factory=list)
    columnas: dict[str, str] = field(default_factory=dict)
    filas_leidas: int = 0
    filas: int = 0
    codificacion: str = ""
    separador: str = ""
    zona_horaria: str = ""
    eventos: dict[str, str] = field(default_factory=dict)  # tool's name → course's name
    descartadas: dict[str, int] = field(default_factory=dict)  # why → how many rows or orders
    avisos: list[str] = field(default_factory=list)

    def avisar(self, texto: str) -> None:
        if texto not in self.avisos:
            self.avisos.append(texto)

    def descartar(self, motivo: str, cuantas: int) -> None:
        if cuantas:
            self.descartadas[motivo] = self.descartadas.get(motivo, 0) + int(cuantas)

    def __str__(self) -> str:
        que = {"eventos": "evento(s)", "clientes": "cliente(s)", "encuestas": "respuesta(s)"}[self.tipo]
        porque = (
            f" (lo reconocí por las columnas {', '.join(self.reconocido_por)})" if self.reconocido_por else ""
        )
        lineas = [
            f"Importé «{self.archivo}» como {self.formato}{porque}.",
            f"Leí {self.filas_leidas} fila(s) y quedaron {self.filas} {que}.",
        ]
        lectura = [
            x
            for x in (
                self.codificacion and f"texto en {self.codificacion}",
                self.separador and f"separador {_nombre_separador(self.separador)}",
                self.zona_horaria and f"horas en {self.zona_horaria}",
            )
            if x
        ]
        if lectura:
            lineas.append("Leído con " + ", ".join(lectura) + ".")
        if self.columnas:
            lineas.append(
                "Columnas usadas: " + ", ".join(f"{o} → {d}" for o, d in self.columnas.items()) + "."
            )
        if self.eventos:
            lineas.append("Eventos: " + ", ".join(f"{o} → {d}" for o, d in self.eventos.items()) + ".")
        for motivo, n in self.descartadas.items():
            lineas.append(f"Apartadas: {n} por {motivo}.")
        lineas += [f"Aviso: {a}" for a in self.avisos]
        return "\n".join(lineas)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        from html import escape

        return "<pre class='cj-importacion'>" + escape(str(self)) + "</pre>"


def _nombre_separador(sep: str) -> str:
    return {",": "coma", ";": "punto y coma", "\t": "tabulador", "|": "barra vertical"}.get(sep, repr(sep))


def error(archivo: str, mensaje: str, pista: str, *, linea: int | None = None, campo: str | None = None):
    """An ``ErrorCurso`` that names the file and, if known, the line."""
    donde = f" (línea {linea})" if linea is not None else ""
    return ErrorCurso(f"«{archivo}»{donde}: {mensaje}", campo=campo, pista=pista)


# --- reading the file -----------------------------------------------------------------------------


@dataclass
class Crudo:
    """A file read as text columns, with how it was read."""

    tabla: pd.DataFrame
    archivo: str
    codificacion: str = ""
    separador: str = ""
    desplazamiento: int = 2  # position 0 is line 2 of the file (line 1 is the header)


def _ruta(fuente: object) -> Path:
    ruta = ruta_existente(
        fuente,
        campo="ruta",
        que="importar",
        pista="Pasa la ruta del archivo entre comillas, por ejemplo importar('pedidos.csv').",
    )
    if ruta.stat().st_size == 0:
        raise error(
            ruta.name,
            "el archivo está vacío (0 bytes).",
            "Vuelve a exportarlo desde tu herramienta; quizá la descarga no terminó.",
        )
    return ruta


def leer(
    fuente: object,
    *,
    separador: str | None = None,
    codificacion: str | None = None,
    hoja: int | str = 0,
    tipos: Mapping[str, object] | None = None,
    columnas: Iterable[str] | None = None,
) -> Crudo:
    """Read a CSV, Excel or JSON-lines export into text columns (``tipos`` overrides some, e.g. ints)."""
    if isinstance(fuente, pd.DataFrame):
        _sin_duplicadas(list(fuente.columns), "tu tabla")
        return Crudo(fuente.reset_index(drop=True), "tu tabla", desplazamiento=1)
    ruta = _ruta(fuente)
    nombre = ruta.name.lower()
    if nombre.endswith(EXTENSIONES_EXCEL):
        return _leer_excel(ruta, hoja)
    if nombre.endswith(EXTENSIONES_JSON):
        return _leer_json_lineas(ruta)
    if nombre.endswith(".xls"):
        raise error(
            ruta.name,
            "está en el formato antiguo de Excel (.xls).",
            "Ábrelo en Excel y usa «Guardar como» → Libro de Excel (.xlsx) o CSV UTF-8.",
        )
    if not nombre.endswith(EXTENSIONES_TEXTO):
        raise error(
            ruta.name,
            "no reconozco el tipo de archivo.",
            "Exporta desde tu herramienta como CSV (.csv), Excel (.xlsx) o JSON por líneas (.jsonl).",
        )
    return _leer_csv(ruta, separador, codificacion, tipos, columnas)


def _bytes_iniciales(ruta: Path, n: int = 1 << 16) -> bytes:
    abrir = gzip.open if ruta.name.lower().endswith(".gz") else open
    try:
        with abrir(ruta, "rb") as archivo:
            return archivo.read(n)
    except (OSError, EOFError) as e:
        raise error(
            ruta.name,
            f"no se puede leer ({e}).",
            "Vuelve a descargarlo; si está comprimido (.gz), descomprímelo primero.",
        ) from None


def _codificacion(ruta: Path, inicio: bytes, pedida: str | None) -> str:
    if pedida is not None:
        try:
            codecs.lookup(pedida)
        except LookupError:
            raise ErrorCurso(
                f"No conozco la codificación «{pedida}».",
                campo="codificacion",
                pista="Usa 'utf-8', 'latin-1', 'cp1252' o 'utf-16'.",
            ) from None
        return pedida
    if inicio.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if inicio.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\x00" in inicio[:2000]:
        # UTF-16 without a mark: every other byte of plain text is zero.
        pares = inicio[1:2000:2].count(0) > inicio[0:2000:2].count(0)
        return "utf-16-le" if pares else "utf-16-be"
    try:
        inicio.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as e:
        if e.start > len(inicio) - 4:  # a character cut by the sample's end, not a wrong encoding
            return "utf-8"
        return "cp1252"


def _separador(ruta: Path, encabezado: str, pedido: str | None) -> str:
    if pedido is not None:
        if not isinstance(pedido, str) or len(pedido) != 1 or pedido in '"\r\n':
            raise error(
                ruta.name,
                f"el separador {pedido!r} no sirve: debe ser un solo carácter.",
                "Usa separador=',' o separador=';' (o '\\t' para tabuladores). Si tu archivo usa "
                "varios caracteres (como '||'), ábrelo en tu hoja de cálculo y guárdalo como CSV.",
                campo="separador",
            )
        return pedido
    return separador_probable(encabezado)


def _sin_duplicadas(columnas: list[str], archivo: str) -> None:
    vistas: dict[str, int] = {}
    for posicion, nombre in enumerate(columnas, start=1):
        texto = str(nombre).strip()
        if texto in vistas:
            raise error(
                archivo,
                f"la columna «{texto}» aparece dos veces en el encabezado (columnas "
                f"{vistas[texto]} y {posicion}).",
                "Renombra o borra una de las dos en tu hoja de cálculo y vuelve a guardar.",
                linea=1,
                campo=texto,
            )
        vistas[texto] = posicion


def _leer_csv(
    ruta: Path,
    separador: str | None,
    codificacion: str | None,
    tipos: Mapping[str, object] | None,
    columnas: Iterable[str] | None,
) -> Crudo:
    inicio = _bytes_iniciales(ruta)
    cod = _codificacion(ruta, inicio, codificacion)
    texto_inicio = inicio.decode(cod, errors="replace")
    primera = texto_inicio.lstrip("\ufeff").splitlines()[0] if texto_inicio.strip() else ""
    if not primera.strip():
        raise error(
            ruta.name,
            "no tiene encabezado (la primera línea está vacía).",
            "Exporta de nuevo con la fila de nombres de columna arriba.",
            linea=1,
        )
    sep = _separador(ruta, primera, separador)
    encabezado = next(csv.reader([primera], delimiter=sep))
    _sin_duplicadas(encabezado, ruta.name)
    usar = None
    if columnas is not None:
        # Only the columns an importer needs: a GA4 export has dozens, and each costs time on a million rows.
        buscadas = {clave(c) for c in columnas}
        usar = [c for c in encabezado if clave(c) in buscadas]
    # Text by default (ids keep their leading zeros); an importer that knows its columns names the types it
    # needs and lets pandas infer the rest, which is much faster than text on a million rows.
    dtype: dict[str, Any]
    if tipos is None:
        dtype = {c: str for c in (usar if usar is not None else encabezado)}
    else:
        dtype = {c: tipos[clave(c)] for c in (usar if usar is not None else encabezado) if clave(c) in tipos}
    for intento in (cod, "cp1252", "latin-1") if codificacion is None else (cod,):
        try:
            tabla = _read_csv(
                ruta, sep, intento, dtype=dtype, usecols=usar, skipinitialspace=tipos is None, engine="c"
            )
            cod = intento
            break
        except UnicodeDecodeError:
            continue
        except pd.errors.EmptyDataError:
            raise error(ruta.name, "no tiene datos.", "Vuelve a exportarlo desde tu herramienta.") from None
        except pd.errors.ParserError as e:
            raise _error_de_lectura(ruta.name, sep, e) from None
        except (ValueError, OSError, EOFError) as e:
            if tipos and isinstance(e, ValueError):
                # A typed column (a GA4 timestamp) with text in it: read it as text so the importer can
                # say which line is wrong.
                return _leer_csv(ruta, separador, codificacion, None, columnas)
            raise _error_de_lectura(ruta.name, sep, e) from None
    else:  # pragma: no cover - latin-1 decodes any byte
        raise error(ruta.name, "no pude leer su texto.", "Guárdalo como CSV UTF-8.")
    if not isinstance(tabla.index, pd.RangeIndex):
        # pandas takes the extra leading fields as an index when data rows are longer than the header.
        raise _fila_larga(ruta, cod, sep, len(encabezado))
    numericas = [
        c
        for c in tabla.columns
        if isinstance(tabla[c].dtype, pd.CategoricalDtype)
        and not pd.api.types.is_string_dtype(tabla[c].cat.categories.dtype)
    ]
    if numericas:
        # pandas turns categories that look like numbers into numbers ("007" → 7.0): read those columns
        # again as they are written (rare: a tool's event names and sources are words).
        de_nuevo = _read_csv(ruta, sep, cod, dtype=object, usecols=numericas)
        for c in numericas:
            tabla[c] = de_nuevo[c]
    tabla.columns = [str(c).strip() for c in tabla.columns]
    if len(tabla) == 0:
        raise error(
            ruta.name,
            "solo tiene el encabezado, sin filas de datos.",
            "Revisa el rango de fechas o el filtro con que exportaste.",
        )
    return Crudo(tabla, ruta.name, cod, sep)


def _read_csv(ruta: Path, sep: str, codificacion: str, **opciones: Any) -> pd.DataFrame:
    """``pandas.read_csv`` as every export is read: only an empty cell is missing ("NA" is a name)."""
    return pd.read_csv(
        ruta,
        sep=sep,
        encoding=codificacion,
        keep_default_na=False,
        na_values=[""],
        compression="infer",
        **opciones,
    )


def _fila_larga(ruta: Path, codificacion: str, sep: str, columnas: int) -> ErrorCurso:
    """The first row with more fields than the header (only looked for when reading already failed)."""
    abrir = gzip.open if ruta.name.lower().endswith(".gz") else open
    with abrir(ruta, "rt", encoding=codificacion, errors="replace", newline="") as archivo:
        for numero, fila in enumerate(csv.reader(archivo, delimiter=sep), start=1):
            if len(fila) > columnas:
                return error(
                    ruta.name,
                    f"esa fila tiene {len(fila)} columnas y el encabezado {columnas} (separador "
                    f"{_nombre_separador(sep)}).",
                    "Suele ser un texto con el separador dentro y sin comillas. Corrígela en tu hoja de "
                    "cálculo, o indica el separador correcto con separador=';'.",
                    linea=numero,
                )
    return error(
        ruta.name,
        "hay filas con más columnas que el encabezado.",  # pragma: no cover
        "Corrígelas en tu hoja de cálculo.",
    )


def _error_de_lectura(archivo: str, sep: str, e: Exception) -> ErrorCurso:
    texto = str(e)
    linea = re.search(r"line (\d+)", texto)
    campos = re.search(r"Expected (\d+) fields in line \d+, saw (\d+)", texto)
    if campos:
        esperado, visto = campos.groups()
        return error(
            archivo,
            f"esa fila tiene {visto} columnas y el encabezado {esperado} (separador "
            f"{_nombre_separador(sep)}).",
            "Suele ser un texto con el separador dentro y sin comillas, o una fila pegada de otro archivo. "
            "Corrígela en tu hoja de cálculo, o indica el separador correcto con separador=';'.",
            linea=int(linea.group(1)) if linea else None,
        )
    if "could not convert" in texto or "invalid literal" in texto or "cannot safely convert" in texto:
        return error(
            archivo,
            f"una columna que debía ser un número entero tiene otra cosa ({texto.splitlines()[0][:120]}).",
            "Revisa que el archivo sea la exportación sin modificar de tu herramienta.",
            linea=int(linea.group(1)) if linea else None,
        )
    return error(
        archivo,
        f"no se pudo leer ({texto.splitlines()[0][:160] if texto else type(e).__name__}).",
        "Ábrelo en tu hoja de cálculo y guárdalo de nuevo como CSV UTF-8.",
        linea=int(linea.group(1)) if linea else None,
    )


def _leer_excel(ruta: Path, hoja: int | str) -> Crudo:
    try:
        tabla = pd.read_excel(ruta, sheet_name=hoja, engine="openpyxl", dtype=object)
    except (zipfile.BadZipFile, KeyError, EOFError, OSError) as e:
        raise error(
            ruta.name,
            f"no es un Excel válido: parece dañado o a medio descargar ({type(e).__name__}).",
            "Vuelve a descargarlo, o ábrelo en Excel y usa «Guardar como» → .xlsx o CSV UTF-8.",
        ) from None
    except ValueError as e:
        if "Worksheet" in str(e) or "sheet" in str(e).lower():
            raise error(
                ruta.name,
                f"no tiene la hoja {hoja!r}.",
                "Indica la hoja con hoja='Nombre de la hoja' o hoja=0 para la primera.",
                campo="hoja",
            ) from None
        raise error(
            ruta.name,
            f"no se pudo leer como Excel ({str(e)[:120]}).",
            "Ábrelo en Excel y guárdalo como CSV UTF-8.",
        ) from None
    except Exception as e:  # openpyxl raises its own types for broken XML inside the zip
        raise error(
            ruta.name,
            f"no se pudo leer como Excel: el contenido está dañado ({type(e).__name__}).",
            "Vuelve a descargarlo, o ábrelo en Excel y guárdalo como CSV UTF-8.",
        ) from None
    columnas = [str(c).strip() for c in tabla.columns]
    # pandas renames a repeated header "X" to "X.1": look for that pattern against the original names.
    originales = [
        re.sub(r"\.\d+$", "", c) if re.sub(r"\.\d+$", "", c) in columnas[:i] else c
        for i, c in enumerate(columnas)
    ]
    _sin_duplicadas(originales, ruta.name)
    tabla.columns = columnas
    if len(tabla) == 0:
        raise error(
            ruta.name, "la hoja no tiene filas de datos.", "Revisa que sea la hoja correcta (hoja=...)."
        )
    return Crudo(tabla, ruta.name, "", "")


def _leer_json_lineas(ruta: Path) -> Crudo:
    abrir = gzip.open if ruta.name.lower().endswith(".gz") else open
    filas = []
    try:
        with abrir(ruta, "rt", encoding="utf-8-sig") as archivo:
            texto = archivo.read()
    except (UnicodeDecodeError, OSError, EOFError) as e:
        raise error(
            ruta.name,
            f"no se puede leer como texto JSON ({type(e).__name__}).",
            "Exporta de nuevo desde BigQuery como JSON (delimitado por líneas nuevas), en UTF-8.",
        ) from None
    contenido = texto.strip()
    if contenido.startswith("["):  # a JSON array, as some tools export
        try:
            filas = json.loads(contenido)
        except json.JSONDecodeError as e:
            raise error(
                ruta.name, f"el JSON está roto ({e.msg}).", "Vuelve a exportarlo.", linea=e.lineno
            ) from None
    else:
        for numero, linea in enumerate(io.StringIO(texto), start=1):
            if not linea.strip():
                continue
            try:
                filas.append(json.loads(linea))
            except json.JSONDecodeError as e:
                raise error(
                    ruta.name,
                    f"esa línea no es JSON válido ({e.msg}).",
                    "Cada línea debe ser un objeto JSON completo; vuelve a exportar o borra la línea rota.",
                    linea=numero,
                ) from None
    if not filas:
        raise error(ruta.name, "no tiene datos.", "Vuelve a exportarlo.")
    if not all(isinstance(f, dict) for f in filas):
        raise error(
            ruta.name, "cada línea debe ser un objeto JSON ({...}).", "Vuelve a exportarlo desde BigQuery."
        )
    tabla = pd.json_normalize(filas)
    return Crudo(tabla, ruta.name, "utf-8", "", desplazamiento=1)


# --- finding columns by name ------------------------------------------------------------------------


def claves(tabla: pd.DataFrame) -> dict[str, str]:
    """Comparable key → real column name (``"Created at"`` → ``created_at``; ``traffic_source.source`` too)."""
    return {clave(c): c for c in tabla.columns}


def buscar(tabla: pd.DataFrame, *opciones: str) -> str | None:
    """The real name of the first column among ``opciones`` (compared as keys) present in ``tabla``."""
    disponibles = claves(tabla)
    for opcion in opciones:
        if clave(opcion) in disponibles:
            return disponibles[clave(opcion)]
    return None


def exigir(crudo: Crudo, formato: str, *opciones: str) -> str:
    columna = buscar(crudo.tabla, *opciones)
    if columna is None:
        raise error(
            crudo.archivo,
            f"le falta la columna «{opciones[0]}» que tiene toda exportación de {formato}. "
            f"Sus columnas son: {', '.join(map(str, crudo.tabla.columns[:25]))}.",
            f"Exporta el archivo completo desde {formato} (sin quitar columnas), o usa formato='csv' con "
            "columnas={...} para indicar qué columna es qué.",
            campo=opciones[0],
        )
    return columna


def texto(serie: pd.Series) -> pd.Series:
    """Stripped text, with empty cells as missing."""
    limpio = serie.astype("str").str.strip()
    return limpio.mask(limpio == "")


def filas_de(mascara: np.ndarray, desplazamiento: int, valores: pd.Series | None = None, n: int = 5) -> str:
    posiciones = np.flatnonzero(mascara)
    trozos = []
    for p in posiciones[:n]:
        trozo = str(p + desplazamiento)
        if valores is not None:
            trozo += f" ({valores.iloc[p]!r})"
        trozos.append(trozo)
    resto = f" y {len(posiciones) - n} más" if len(posiciones) > n else ""
    return ", ".join(trozos) + resto


def error_en_filas(
    crudo: Crudo,
    mascara: np.ndarray,
    que: str,
    pista: str,
    *,
    campo: str,
    valores: pd.Series | None = None,
) -> ErrorCurso:
    """``que`` and the rows of ``mascara`` as a spreadsheet numbers them, the first one as the line.

    >>> crudo = Crudo(pd.DataFrame({"Total": ["1", "x"]}), "pedidos.csv")
    >>> print(error_en_filas(crudo, np.array([False, True]), "hay 1 importe raro", "Corrígelo.", campo="Total"))
    «pedidos.csv» (línea 3): hay 1 importe raro: filas 3. Cómo arreglarlo: Corrígelo. (campo 'Total')
    """
    return error(
        crudo.archivo,
        f"{que}: filas {filas_de(mascara, crudo.desplazamiento, valores)}.",
        pista,
        campo=campo,
        linea=int(np.flatnonzero(mascara)[0]) + crudo.desplazamiento,
    )


# --- numbers ----------------------------------------------------------------------------------------

_SIMBOLOS = re.compile(r"[\s$€£\u00a0]|MXN|USD|COP|PEN|CLP|ARS|EUR|BRL|UYU")
_SOLO_PUNTO_MILES = re.compile(r"^[-+]?\d{1,3}(\.\d{3})+$")
_SOLO_COMA_MILES = re.compile(r"^[-+]?\d{1,3}(,\d{3})+$")


def numeros(
    serie: pd.Series, crudo: Crudo, informe: Importacion, *, decimal: str | None, convencion: str | None = "."
) -> pd.Series:
    """Amounts as floats. ``decimal`` is what the student said (or ``None``); ``convencion`` is the tool's.

    "12.990" could be twelve thousand (Chile, Argentina) or twelve with a typo: with no word from the
    student and no tool convention, such a column is an error, never a guess. With a convention, it is
    read that way and the summary says so.
    """
    nombre = str(serie.name)
    if pd.api.types.is_numeric_dtype(serie.dtype) and not pd.api.types.is_bool_dtype(serie.dtype):
        return serie.astype("float64")
    if serie.dtype == object and len(serie) and all(isinstance(v, int | float) or v is None for v in serie):
        return pd.to_numeric(serie, errors="coerce").astype("float64")  # Excel cells
    limpio = texto(serie.astype("str")).str.replace(_SIMBOLOS, "", regex=True)
    vacios = limpio.isna().to_numpy()
    valores = limpio.dropna()
    if decimal is not None and decimal not in (".", ","):
        raise ErrorCurso(
            "El separador decimal debe ser '.' o ','.", campo="decimal", pista="Usa decimal=','."
        )
    if decimal is None:
        con_coma = valores.str.contains(",", regex=False).to_numpy()
        con_punto = valores.str.contains(".", regex=False).to_numpy()
        ultimo_coma = valores.str.rfind(",").to_numpy() > valores.str.rfind(".").to_numpy()
        ambos = con_coma & con_punto
        if ambos.any():  # "1.299,50" or "1,299.50": the last mark is the decimal one
            decimal = "," if ultimo_coma[ambos].mean() > 0.5 else "."
        elif valores.str.match(r"^[-+]?\d*,(\d{1,2}|\d{4,})$").any():
            decimal = ","
        elif valores.str.match(r"^[-+]?\d*\.(\d{1,2}|\d{4,})$").any():
            decimal = "."
        else:
            ambiguos = valores.str.match(_SOLO_PUNTO_MILES) | valores.str.match(_SOLO_COMA_MILES)
            if ambiguos.any() and convencion is None:
                ejemplo = valores[ambiguos].iloc[0]
                raise error(
                    crudo.archivo,
                    f"no sé si «{ejemplo}» en «{nombre}» es {ejemplo.replace(',', '').replace('.', '')} "
                    f"o {ejemplo.replace(',', '.')} con decimales: el archivo no lo deja claro.",
                    "Dilo tú: decimal=',' si usas coma decimal y punto de miles (12.990 = doce mil "
                    "novecientos noventa), o decimal='.' si el punto es el decimal.",
                    campo="decimal",
                )
            decimal = convencion or "."
            if ambiguos.any():
                ejemplo = valores[ambiguos].iloc[0]
                leido = ejemplo.replace("." if decimal == "," else ",", "").replace(",", ".")
                informe.avisar(
                    f"«{ejemplo}» en «{nombre}» se leyó como {float(leido):g} (separador de miles "
                    f"'{'.' if decimal == ',' else ','}', como exporta {informe.formato}); si no es así, "
                    f"pasa decimal='{'.' if decimal == ',' else ','}'."
                )
    miles = "." if decimal == "," else ","
    patron_miles = rf"^[-+]?\d{{1,3}}(\{miles}\d{{3}})+(\{decimal}\d*)?$"
    mal_agrupado = limpio.str.contains(miles, regex=False) & ~limpio.str.match(patron_miles)
    convertido = limpio.str.replace(miles, "", regex=False)
    if decimal == ",":
        convertido = convertido.str.replace(",", ".", regex=False)
    resultado = pd.to_numeric(convertido.astype(object).where(~vacios, None), errors="coerce").astype(
        "float64"
    )
    resultado = resultado.mask(mal_agrupado.fillna(False).to_numpy(dtype=bool))
    return _todas_convertidas(
        resultado,
        vacios,
        crudo,
        f"la columna «{nombre}» debe tener importes y hay {{n}} valor(es) que no lo son",
        "Escribe solo números (1299.50 o 1.299,50); si usas coma decimal pasa decimal=','.",
        valores=serie,
    )


# --- dates --------------------------------------------------------------------------------------------

_CON_ZONA = re.compile(r"(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)$")


def zona(nombre: str) -> str:
    """Check a time-zone name (``America/Mexico_City``) and give it back."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(str(nombre))
    except (ZoneInfoNotFoundError, ValueError):
        raise ErrorCurso(
            f"No conozco la zona horaria «{nombre}».",
            campo="zona_horaria",
            pista="Usa un nombre como 'America/Mexico_City', 'America/Bogota', 'America/Santiago', "
            "'America/Argentina/Buenos_Aires' o 'Europe/Madrid'.",
        ) from None
    return str(nombre)


def a_zona(fechas: pd.Series, zona_horaria: str) -> pd.Series:
    """UTC (or offset) instants as naive wall-clock times in ``zona_horaria``."""
    return fechas.dt.tz_convert(zona_horaria).dt.tz_localize(None).astype(TIPO_FECHA)


def fechas(
    serie: pd.Series,
    crudo: Crudo,
    informe: Importacion,
    zona_horaria: str,
    *,
    requerida: bool = True,
    dia_primero: bool = True,
) -> pd.Series:
    """Dates as the tools write them, as naive times in ``zona_horaria``.

    Texts with an offset (``2024-03-01 10:22:11 -0600``, ``…Z``) are converted, even when the offset
    changes across daylight saving; texts without one are taken as already in ``zona_horaria``; Excel
    dates (cells or serial numbers) too. Day first (``15/03/2024``) unless ``dia_primero=False``.
    """
    nombre = str(serie.name)
    if pd.api.types.is_datetime64_any_dtype(serie.dtype):
        resultado = serie if getattr(serie.dt, "tz", None) is None else a_zona(serie, zona_horaria)
        return _comprobar_fechas(resultado.astype(TIPO_FECHA), serie, crudo, requerida)
    if serie.dtype == object and any(
        isinstance(v, pd.Timestamp | np.datetime64) or hasattr(v, "year") for v in serie.dropna().head(50)
    ):
        convertido = pd.to_datetime(
            serie.map(lambda v: v if hasattr(v, "year") else _serial_excel(v)), errors="coerce"
        )
        return _comprobar_fechas(convertido.astype(TIPO_FECHA), serie, crudo, requerida)
    limpio = texto(serie)
    vacios = limpio.isna().to_numpy()
    numerico = limpio.str.fullmatch(r"\d{5}(\.\d+)?").fillna(False).to_numpy(dtype=bool)
    resultado = pd.Series(pd.NaT, index=serie.index, dtype=TIPO_FECHA)
    if numerico.any():  # Excel serial dates that arrived as numbers (days since 1899-12-30)
        dias = pd.to_numeric(limpio[numerico])
        resultado.iloc[np.flatnonzero(numerico)] = (
            pd.Timestamp("1899-12-30") + pd.to_timedelta(dias, unit="D")
        ).dt.round("s")
        informe.avisar(
            f"{int(numerico.sum())} fecha(s) de «{nombre}» venían como número de Excel (por ejemplo "
            f"{limpio[numerico].iloc[0]}) y se convirtieron a fecha."
        )
    resto = ~numerico & ~vacios
    if resto.any():
        valores = limpio[resto]
        con_zona = valores.str.contains(_CON_ZONA).fillna(False).to_numpy(dtype=bool)
        if con_zona.any():
            instantes = pd.to_datetime(valores[con_zona], utc=True, errors="coerce", format="mixed")
            resultado.iloc[np.flatnonzero(resto)[con_zona]] = a_zona(instantes, zona_horaria).to_numpy()
            informe.zona_horaria = zona_horaria
        sin_zona = ~con_zona
        if sin_zona.any():
            resultado.iloc[np.flatnonzero(resto)[sin_zona]] = _sin_zona(
                valores[sin_zona], dia_primero
            ).to_numpy()
    return _comprobar_fechas(resultado, serie, crudo, requerida)


def _serial_excel(valor: object) -> object:
    if isinstance(valor, int | float) and not isinstance(valor, bool) and 1 <= valor < 2_958_466:
        return pd.Timestamp("1899-12-30") + pd.to_timedelta(float(valor), unit="D")
    return valor


def _sin_zona(valores: pd.Series, dia_primero: bool) -> pd.Series:
    resultado = pd.to_datetime(valores, format="ISO8601", errors="coerce")
    for formato in formatos_de_fecha(
        dia_primero
    ):  # mixed files: each row takes the first format that reads it
        faltan = resultado.isna()
        if not faltan.any():
            break
        resultado = resultado.fillna(pd.to_datetime(valores[faltan], format=formato, errors="coerce"))
    return resultado.astype(TIPO_FECHA)


def _todas_convertidas(
    resultado: pd.Series, vacios: np.ndarray, crudo: Crudo, mensaje: str, pista: str, *, valores: pd.Series
) -> pd.Series:
    """``resultado`` if every value that was not empty converted; else the error that shows the rows that
    did not (``{n}`` in ``mensaje`` is how many), for the column ``valores``."""
    malas = resultado.isna().to_numpy() & ~vacios
    if malas.any():
        # replace, not format: the column's own name (the student's file) may hold braces, «Total {MXN}»
        mensaje = mensaje.replace("{n}", str(int(malas.sum())))
        raise error_en_filas(crudo, malas, mensaje, pista, campo=str(valores.name), valores=valores)
    return resultado


def _comprobar_fechas(resultado: pd.Series, original: pd.Series, crudo: Crudo, requerida: bool) -> pd.Series:
    nombre = str(original.name)
    vacios = original.isna().to_numpy() | (original.astype("str").str.strip() == "").to_numpy(dtype=bool)
    _todas_convertidas(
        resultado,
        vacios,
        crudo,
        f"no entiendo {{n}} fecha(s) de «{nombre}»",
        "Usa fechas como 2024-03-15 10:30, 15/03/2024 o 15/03/2024 10:30 (día primero; si tu "
        "archivo pone el mes primero, pasa dia_primero=False).",
        valores=original,
    )
    if requerida and vacios.any():
        raise error_en_filas(
            crudo,
            vacios,
            f"hay {int(vacios.sum())} fila(s) sin fecha en «{nombre}»",
            "Completa esas fechas o borra esas filas.",
            campo=nombre,
        )
    return resultado.astype(TIPO_FECHA)


# --- the course's tables --------------------------------------------------------------------------


def _como_texto(valores, n: int) -> pd.Series:
    if valores is None:
        return pd.Series(np.full(n, np.nan, dtype=object), dtype="str")
    if isinstance(valores, pd.Series) and isinstance(valores.dtype, pd.StringDtype):
        return valores.reset_index(drop=True)  # already text: no copy, no re-validation
    return pd.Series(np.asarray(valores, dtype=object), dtype="str")


def tabla_eventos(
    cliente_id,
    momento,
    evento,
    canal,
    importe,
    informe: Importacion,
    extras: Mapping[str, object] | None = None,
) -> pd.DataFrame:
    """The course's event table (plain text columns), sorted by time, with the summary in ``attrs``."""
    n = len(momento)
    datos = {
        "cliente_id": _como_texto(cliente_id, n),
        "momento": pd.Series(np.asarray(momento, dtype=TIPO_FECHA)),
        "evento": _como_texto(evento, n),
        "canal": _como_texto(canal, n),
        "importe": pd.Series(
            np.asarray(importe, dtype="float64") if importe is not None else np.full(n, np.nan)
        ),
    }
    for nombre, valores in (extras or {}).items():
        datos[nombre] = _como_texto(valores, n)
    tabla = pd.DataFrame(datos, copy=False)  # the columns are new already: no second copy of a million rows
    if not tabla["momento"].is_monotonic_increasing:  # exports usually come in order: skip the sort then
        tabla = tabla.sort_values("momento", kind="stable").reset_index(drop=True)
    informe.filas = len(tabla)
    tabla.attrs["importacion"] = informe
    return tabla


def correo_normalizado(serie: pd.Series) -> pd.Series:
    """E-mail addresses as the customer key: trimmed and lower case (tools differ in case)."""
    return texto(serie).str.lower()


def primera_y_siguientes(
    clientes: pd.Series | np.ndarray,
    momentos: pd.Series | np.ndarray,
    primera: str = "compra",
    siguientes: str = "recompra",
) -> np.ndarray:
    """Per order, ``compra`` for the customer's first one and ``recompra`` for the later ones.

    >>> primera_y_siguientes(np.array(["b", "a", "a"], dtype=object), np.array([1, 3, 2])).tolist()
    ['compra', 'recompra', 'compra']
    """
    quienes = np.asarray(clientes, dtype=object)
    orden = np.lexsort((np.asarray(momentos), quienes.astype(str)))
    ordenados = quienes[orden]
    es_primera = np.ones(len(orden), dtype=bool)
    es_primera[1:] = ordenados[1:] != ordenados[:-1]
    resultado = np.empty(len(orden), dtype=object)
    resultado[orden] = np.where(es_primera, primera, siguientes)
    return resultado
