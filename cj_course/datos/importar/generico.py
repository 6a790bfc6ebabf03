"""Any CSV or Excel: the course's column mapping (:func:`cj_course.datos.normalizar`) after a careful read.

Before handing the table to ``normalizar``, this module does what a real export needs and
``normalizar`` cannot know: dates with UTC offsets are converted to the shop's time zone, and
amounts whose separators are ambiguous ("12.990") stop with a question instead of a guess. The
mapping is chosen here, said in the summary, and passed explicitly, so nothing is picked silently.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd

from ..lectura import ESQUEMAS, Columna, normalizar, renombre_indicado, renombre_reconocido, simplificar
from ._comun import Crudo, Importacion, error, fechas, numeros

# Survey tools (Google Forms, Typeform, Microsoft Forms) name the columns after the question.
_PREGUNTA_NPS = ("recomend", "probable", "likely", "nps")
_EXTRA_SINONIMOS = {
    "cliente_id": (
        "email",
        "correo",
        "correo_electronico",
        "direccion_de_correo_electronico",
        "e_mail",
        "mail",
    ),
    "comentario": ("por_que", "porque", "motivo", "cuentanos_por_que", "por_que_nos_diste_esa_nota"),
    "momento": ("marca_temporal", "fecha_y_hora", "created_at", "submitted_at", "fecha_de_envio"),
}
_IDS_GENERICOS = ("id", "record_id", "order_id", "id_pedido", "numero_de_orden", "name")


def _llave(nombre: object) -> str:
    """A column name compared without accents, case or punctuation: ``"¿Por qué?"`` → ``"por_que"``."""
    return re.sub(r"[^0-9a-z_]+", "", simplificar(nombre)).strip("_")


def _por_llave(columna: Columna, libres: list[Hashable]) -> list[Hashable]:
    """By name, by synonym (the course's, then the tools'), and the NPS question by its words."""
    candidatas = [c for c in libres if _llave(c) == columna.nombre]
    for sinonimos in (columna.sinonimos, _EXTRA_SINONIMOS.get(columna.nombre, ())):
        if not candidatas:
            candidatas = [c for c in libres if _llave(c) in sinonimos]
    if not candidatas and columna.nombre == "puntuacion":
        candidatas = [c for c in libres if any(p in _llave(c) for p in _PREGUNTA_NPS)]
    return candidatas


def mapeo(tabla: pd.DataFrame, tipo: str, columnas: Mapping[str, str] | None) -> dict[str, str]:
    """Which column of ``tabla`` becomes which course column: the student's choice first, then by name."""
    indicado = renombre_indicado(tabla, tipo, columnas, None)
    indicado.update(renombre_reconocido(tabla, ESQUEMAS[tipo], indicado, _por_llave))
    return {str(origen): destino for origen, destino in indicado.items()}


def importar_csv(
    crudo: Crudo,
    informe: Importacion,
    zona_horaria: str,
    *,
    tipo: str = "eventos",
    columnas: Mapping[str, str] | None = None,
    decimal: str | None = None,
    dia_primero: bool = True,
    formato_fecha: str | None = None,
    **_opciones,
) -> pd.DataFrame:
    tabla = crudo.tabla.copy()
    elegido = mapeo(tabla, tipo, columnas)
    informe.columnas.update(elegido)
    por_destino = {d: o for o, d in elegido.items()}
    id_col = por_destino.get("cliente_id")
    if id_col is not None:
        llenos = tabla[id_col].notna() & (tabla[id_col].astype("str").str.strip() != "")
        if llenos.mean() < 0.5:
            raise error(
                crudo.archivo,
                f"tomaría «{id_col}» como cliente, pero está vacía en el "
                f"{100 * (1 - llenos.mean()):.0f} % de las filas.",
                "Indica la columna que identifica a cada cliente (un correo o un id que siempre esté), por "
                'ejemplo columnas={"Email": "cliente_id"}.',
                campo="cliente_id",
            )
        if _llave(id_col) in _IDS_GENERICOS and (columnas is None or id_col not in columnas):
            informe.avisar(
                f"tomé «{id_col}» como cliente_id. Si es el número de pedido o de fila y no el del "
                'cliente, indica la buena: columnas={"Email": "cliente_id"}.'
            )
    # Dates and amounts are read here (offsets, ambiguous separators), then normalizar checks the rest.
    fecha_col = por_destino.get("momento") or por_destino.get("alta")
    if fecha_col is not None and formato_fecha is None:
        requerida = tipo == "eventos"
        tabla[fecha_col] = fechas(
            tabla[fecha_col], crudo, informe, zona_horaria, requerida=requerida, dia_primero=dia_primero
        )
    importe_col = por_destino.get("importe")
    if importe_col is not None:
        tabla[importe_col] = numeros(tabla[importe_col], crudo, informe, decimal=decimal, convencion=None)
    resultado = normalizar(
        tabla,
        tipo,
        columnas=elegido,
        formato_fecha=formato_fecha,
        dia_primero=dia_primero,
        decimal=decimal or ".",
        desplazamiento=crudo.desplazamiento,
    )
    # The same plain text columns as every other format (the metrics are fast on them).
    for nombre in resultado.columns:
        if isinstance(resultado[nombre].dtype, pd.CategoricalDtype):
            resultado[nombre] = resultado[nombre].astype("str").where(resultado[nombre].notna(), np.nan)
    informe.filas = len(resultado)
    resultado.attrs["importacion"] = informe
    return resultado
