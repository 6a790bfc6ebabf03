"""Importar los datos de tu negocio: lo que exportan GA4, Shopify, Tiendanube, Mailchimp, Klaviyo y HubSpot.

:func:`importar` lee el archivo tal como lo descargaste de tu herramienta y lo deja con las columnas
del curso (``cliente_id``, ``momento``, ``evento``, ``canal``, ``importe``), con las horas en la zona
horaria de tu tienda. Con ``formato="auto"`` reconoce la herramienta por los nombres de las columnas;
lo que reconoció y qué columna se volvió cuál queda escrito en ``tabla.attrs["importacion"]``:

>>> from cj_course.datos import importar, muestras
>>> pedidos = importar(muestras.ruta("shopify_pedidos.csv"))
>>> print(pedidos.attrs["importacion"])  # doctest: +ELLIPSIS
Importé «shopify_pedidos.csv» como shopify (lo reconocí por las columnas Name, Financial Status, Lineitem name).
...
>>> sorted(pedidos["evento"].unique())
['compra', 'recompra']

``importar_clientes`` y ``importar_encuestas`` hacen lo mismo con tablas de clientes y de respuestas NPS.
Si algo del archivo no se puede leer, el error dice el archivo, la línea y cómo arreglarlo.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..._errores import ErrorCurso
from ..._texto import clave
from . import analitica, correo, crm, generico, tiendas
from ._comun import Crudo, Importacion, claves, leer, zona

__all__ = ["FORMATOS", "Importacion", "detectar", "importar", "importar_clientes", "importar_encuestas"]

FORMATOS = {
    "ga4": "Google Analytics 4 (export a BigQuery)",
    "shopify": "Shopify, exportación de pedidos",
    "shopify_clientes": "Shopify, exportación de clientes",
    "tiendanube": "Tiendanube, exportación de ventas",
    "klaviyo": "Klaviyo, actividad de correo",
    "mailchimp": "Mailchimp, actividad de correo",
    "hubspot": "HubSpot, exportación de contactos",
    "csv": "cualquier CSV o Excel, con las columnas del curso o indicándolas con columnas={...}",
}
"""Los formatos que entiende :func:`importar`, con qué herramienta es cada uno."""

# Each tool's format: the header columns that recognise it, and its reader per table type (in the order
# detectar tries them).
_Lector = Callable[..., pd.DataFrame]
_FORMATOS: dict[str, tuple[tuple[str, ...], dict[str, _Lector]]] = {
    "ga4": (analitica.RECONOCER, {"eventos": analitica.importar_ga4}),
    "shopify": (tiendas.RECONOCER_SHOPIFY, {"eventos": tiendas.importar_shopify}),
    "shopify_clientes": (tiendas.RECONOCER_SHOPIFY_CLIENTES, {"clientes": tiendas.importar_shopify_clientes}),
    "tiendanube": (tiendas.RECONOCER_TIENDANUBE, {"eventos": tiendas.importar_tiendanube}),
    "klaviyo": (correo.RECONOCER_KLAVIYO, {"eventos": correo.importar_klaviyo}),
    "mailchimp": (correo.RECONOCER_MAILCHIMP, {"eventos": correo.importar_mailchimp}),
    "hubspot": (
        crm.RECONOCER_HUBSPOT,
        {"eventos": crm.importar_hubspot, "clientes": crm.importar_hubspot_clientes},
    ),
}

_TIPOS = ("eventos", "clientes", "encuestas")
# The options each format takes (beyond separador, codificacion, hoja, zona_horaria, mostrar).
_OPCIONES = {
    "ga4": {"cliente"},
    "shopify": {"decimal"},
    "shopify_clientes": set(),
    "tiendanube": {"decimal", "dia_primero"},
    "klaviyo": set(),
    "mailchimp": set(),
    "hubspot": {"dia_primero"},
    "csv": {"columnas", "decimal", "dia_primero", "formato_fecha"},
}
# Only these columns are read from a GA4 file: it has dozens, and each costs time on a million rows.
_COLUMNAS_GA4 = analitica.COLUMNAS


def detectar(tabla: pd.DataFrame) -> tuple[str, list[str]]:
    """The format a table's header says it is, and the columns that said so (``("csv", [])`` if none).

    >>> import pandas as pd
    >>> detectar(pd.DataFrame(columns=["event_date", "event_timestamp", "event_name", "user_pseudo_id"]))
    ('ga4', ['event_timestamp', 'event_name', 'user_pseudo_id'])
    """
    disponibles = claves(tabla)
    for nombre, (reconocer, _) in _FORMATOS.items():
        if all(clave(c) in disponibles for c in reconocer):
            return nombre, [disponibles[clave(c)] for c in reconocer]
    # Klaviyo's older exports say "Metric" instead of "Metric Name".
    if {"email", "metric", "timestamp"} <= set(disponibles):
        return "klaviyo", [disponibles[k] for k in ("email", "metric", "timestamp")]
    return "csv", []


def _encabezado(ruta: Path, separador: str | None, codificacion: str | None, hoja) -> pd.DataFrame:
    """Only the header (and a few rows) of a file, to recognise it before reading it all."""
    from ._comun import _bytes_iniciales, _codificacion, _separador

    nombre = ruta.name.lower()
    if not nombre.endswith((".csv", ".txt", ".tsv", ".csv.gz")):
        return leer(ruta, separador=separador, codificacion=codificacion, hoja=hoja).tabla
    import csv

    inicio = _bytes_iniciales(ruta)
    texto = inicio.decode(_codificacion(ruta, inicio, codificacion), errors="replace").lstrip("\ufeff")
    primera = texto.splitlines()[0] if texto.strip() else ""
    sep = _separador(ruta, primera, separador)
    return pd.DataFrame(columns=[c.strip() for c in next(csv.reader([primera], delimiter=sep), [])])


def importar(
    ruta: str | Path | pd.DataFrame,
    formato: str = "auto",
    *,
    tipo: str = "eventos",
    zona_horaria: str = "America/Mexico_City",
    separador: str | None = None,
    codificacion: str | None = None,
    hoja: int | str = 0,
    mostrar: bool = False,
    **opciones,
) -> pd.DataFrame:
    """Lee la exportación de una herramienta y la deja con las columnas del curso.

    **Formatos** (``formato=``): ``"auto"`` (lo reconoce por el encabezado), ``"ga4"``, ``"shopify"``,
    ``"tiendanube"``, ``"mailchimp"``, ``"klaviyo"``, ``"hubspot"`` y ``"csv"`` (cualquier CSV o Excel:
    se indican las columnas con ``columnas={"Fecha": "momento", "Correo": "cliente_id"}``).

    **Devuelve** una tabla de eventos con ``cliente_id`` (texto), ``momento`` (fecha y hora en
    ``zona_horaria``, sin zona), ``evento``, ``canal`` e ``importe`` (decimal), ordenada por
    momento; algunas herramientas añaden columnas extra (``dispositivo`` en GA4, ``campana`` en
    las de correo). ``tabla.attrs["importacion"]`` es un :class:`Importacion`: qué formato reconoció, qué
    columna se volvió cuál, qué filas apartó y por qué, y los avisos. Con ``mostrar=True`` además lo imprime.

    **Opciones**: ``separador`` y ``codificacion`` si no se adivinan; ``hoja`` de un Excel;
    ``decimal=","`` o ``"."`` cuando los importes son ambiguos; ``dia_primero=False`` para fechas
    mes/día; en GA4, ``cliente="user_id"`` para usar el id de tu tienda donde exista.

    >>> from cj_course.datos import muestras
    >>> visitas = importar(muestras.ruta("ga4_eventos.csv"))
    >>> list(visitas.columns)
    ['cliente_id', 'momento', 'evento', 'canal', 'importe', 'dispositivo']
    >>> visitas.attrs["importacion"].formato
    'ga4'
    """
    if tipo not in _TIPOS:
        raise ErrorCurso(
            f"No conozco el tipo de tabla «{tipo}».",
            campo="tipo",
            pista="Usa tipo='eventos', tipo='clientes' o tipo='encuestas'.",
        )
    if not isinstance(formato, str) or (formato not in FORMATOS and formato != "auto"):
        raise ErrorCurso(
            f"No conozco el formato «{formato}».",
            campo="formato",
            pista=f"Usa 'auto' o uno de: {', '.join(FORMATOS)}.",
        )
    zona_horaria = zona(zona_horaria)
    reconocido: list[str] = []
    elegido = formato
    if isinstance(ruta, pd.DataFrame):
        leida = leer(ruta)
        crudo: Crudo | None = leida
        if formato == "auto":
            elegido, reconocido = detectar(leida.tabla)
    else:
        crudo = None
        if formato == "auto":
            from ._comun import _ruta

            elegido, reconocido = detectar(_encabezado(_ruta(ruta), separador, codificacion, hoja))
        if elegido == "shopify" and tipo == "clientes":
            elegido = "shopify_clientes"
    if elegido == "csv":
        lector: _Lector = generico.importar_csv
        opciones["tipo"] = tipo
    else:
        lectores = _FORMATOS[elegido][1]
        if tipo not in lectores:
            otros = " o ".join(f"importar(..., tipo='{t}')" for t in lectores)
            raise ErrorCurso(
                f"«{_nombre(ruta)}» es una exportación de {FORMATOS[elegido]}: no trae {tipo}.",
                campo="tipo",
                pista=f"Impórtalo con {otros}; para {tipo} exporta el archivo "
                "correspondiente de tu herramienta o usa formato='csv'.",
            )
        lector = lectores[tipo]
    if crudo is None:
        columnas = _COLUMNAS_GA4 if elegido == "ga4" else None
        tipos = analitica.TIPOS if elegido == "ga4" else None
        crudo = leer(
            ruta, separador=separador, codificacion=codificacion, hoja=hoja, tipos=tipos, columnas=columnas
        )
    informe = Importacion(
        archivo=crudo.archivo,
        formato=elegido,
        tipo=tipo,
        reconocido_por=reconocido,
        codificacion=crudo.codificacion,
        separador=crudo.separador,
    )
    informe.filas_leidas = len(crudo.tabla)
    desconocidas = sorted(set(opciones) - _OPCIONES[elegido] - {"tipo"})
    if desconocidas:
        from ..._texto import quisiste_decir

        validas = sorted(_OPCIONES[elegido])
        raise ErrorCurso(
            f"El formato {elegido} no tiene la opción «{desconocidas[0]}».",
            campo=desconocidas[0],
            pista=f"{quisiste_decir(desconocidas[0], validas)}Sus opciones son: "
            f"{', '.join(validas) or '(ninguna además de separador, codificacion, hoja y zona_horaria)'}.",
        )
    tabla = lector(crudo, informe, zona_horaria, **opciones)
    if len(tabla) == 0:
        raise ErrorCurso(
            f"«{crudo.archivo}»: no quedó ninguna fila que importar.\n{informe}",
            pista="Revisa las filas apartadas (arriba): quizá todos los pedidos están cancelados o el "
            "archivo es de otra herramienta (prueba formato='csv').",
        )
    informe.filas_leidas = max(informe.filas_leidas, len(crudo.tabla))
    if mostrar:
        print(informe)
    return tabla


def _nombre(ruta: object) -> str:
    return Path(ruta).name if isinstance(ruta, str | Path) else "tu tabla"


def importar_clientes(ruta: str | Path | pd.DataFrame, formato: str = "auto", **opciones) -> pd.DataFrame:
    """:func:`importar` para tablas de clientes (``cliente_id``, ``nombre``, ``ciudad``, ``alta``…).

    Entiende la exportación de clientes de Shopify, los contactos de HubSpot y cualquier CSV.

    >>> import pandas as pd
    >>> importar_clientes(pd.DataFrame({"Email": ["Ana@x.mx"], "Nombre": ["Ana"]}))["cliente_id"].tolist()
    ['Ana@x.mx']
    """
    return importar(ruta, formato, tipo="clientes", **opciones)


def importar_encuestas(ruta: str | Path | pd.DataFrame, formato: str = "csv", **opciones) -> pd.DataFrame:
    """:func:`importar` para respuestas NPS: también las de Google Forms o Typeform, con la columna de la
    pregunta («¿Qué tan probable es que nos recomiendes…?») como ``puntuacion``.

    >>> import pandas as pd
    >>> respuestas = pd.DataFrame({"Marca temporal": ["15/03/2024 10:00"], "Correo": ["a@x.mx"],
    ...                            "¿Qué tan probable es que nos recomiendes?": [9]})
    >>> importar_encuestas(respuestas)["puntuacion"].tolist()
    [9]
    """
    return importar(ruta, formato, tipo="encuestas", **opciones)
