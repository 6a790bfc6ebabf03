"""E-commerce platforms: the orders exports of Shopify and Tiendanube, and Shopify's customers export.

Both write **one row per product line** of an order: the order number repeats and the order's data
(total, date, status) is on the first row (Shopify) or on every row (Tiendanube). The importer turns
each *order* into one purchase event with the order's total, never one per line, and sets aside the
cancelled, voided and refunded orders, saying how many.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..._texto import clave
from ._comun import (
    Crudo,
    Importacion,
    buscar,
    correo_normalizado,
    error,
    exigir,
    fechas,
    numeros,
    primera_y_siguientes,
    tabla_eventos,
    texto,
)

RECONOCER_SHOPIFY = ("Name", "Financial Status", "Lineitem name")
RECONOCER_SHOPIFY_CLIENTES = ("Customer ID", "Total Spent", "Total Orders")
RECONOCER_TIENDANUBE = ("Número de orden", "Estado de la orden")

_CANAL_SHOPIFY = {
    "web": "web",
    "pos": "tienda_fisica",
    "shopify_draft_order": "venta_manual",
    "android": "app",
    "iphone": "app",
}


def _pedidos(crudo: Crudo, orden: str, columnas: list[str]) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per order: the first non-empty value of each column, and the file line of its first row."""
    tabla = crudo.tabla
    numero = texto(tabla[orden])
    sin_numero = numero.isna().to_numpy()
    if sin_numero.any():
        fila = int(np.flatnonzero(sin_numero)[0])
        raise error(
            crudo.archivo,
            f"hay filas sin «{orden}» (número de pedido).",
            "Cada fila de la exportación de pedidos lleva su número; revisa que el archivo no esté cortado.",
            linea=fila + crudo.desplazamiento,
            campo=orden,
        )
    datos = tabla[columnas].apply(texto)
    datos[orden] = numero
    agrupado = datos.groupby(orden, sort=False)
    pedidos = agrupado.first()
    lineas = agrupado.size()
    primera_fila = np.fromiter(
        (agrupado.indices[k][0] for k in pedidos.index), dtype=np.int64, count=len(pedidos)
    )
    pedidos["_lineas"] = lineas.to_numpy()
    return pedidos.reset_index(), primera_fila


def _compras(
    correo: pd.Series,
    momento: pd.Series,
    canal: pd.Series | np.ndarray | None,
    total: pd.Series,
    conservar: np.ndarray,
    informe: Importacion,
) -> pd.DataFrame:
    """The orders kept, one event each: a customer's first is ``compra``, the later ones ``recompra``."""
    ids = correo[conservar].reset_index(drop=True)
    momento = momento[conservar].reset_index(drop=True)
    return tabla_eventos(
        ids,
        momento,
        primera_y_siguientes(ids, momento),
        None if canal is None else np.asarray(canal, dtype=object)[conservar],
        total[conservar].to_numpy(),
        informe,
    )


def importar_shopify(
    crudo: Crudo, informe: Importacion, zona_horaria: str, *, decimal: str | None = None, **_opciones
) -> pd.DataFrame:
    tabla = crudo.tabla
    c_orden = exigir(crudo, "Shopify", "Name")
    c_email = exigir(crudo, "Shopify", "Email")
    c_fecha = exigir(crudo, "Shopify", "Created at")
    c_total = exigir(crudo, "Shopify", "Total")
    c_estado = buscar(tabla, "Financial Status")
    c_cancelado = buscar(tabla, "Cancelled at")
    c_reembolso = buscar(tabla, "Refunded Amount")
    c_fuente = buscar(tabla, "Source")
    c_moneda = buscar(tabla, "Currency")
    usadas = [
        c for c in (c_email, c_fecha, c_total, c_estado, c_cancelado, c_reembolso, c_fuente, c_moneda) if c
    ]
    pedidos, primera = _pedidos(crudo, c_orden, usadas)
    vista = Crudo(pedidos, crudo.archivo, crudo.codificacion, crudo.separador, 0)
    lineas_archivo = primera + crudo.desplazamiento
    informe.columnas.update(
        {
            c_orden: "un evento por pedido (las filas de cada producto se juntan)",
            c_email: "cliente_id",
            c_fecha: "momento",
            c_total: "importe (total del pedido)",
        }
    )
    if (pedidos["_lineas"] > 1).any():
        informe.avisar(
            f"{int((pedidos['_lineas'] > 1).sum())} pedido(s) tenían varias filas (una por producto): "
            "cuentan como una sola compra."
        )

    momento = fechas(pedidos[c_fecha].rename(c_fecha), vista, informe, zona_horaria)
    total = numeros(pedidos[c_total].rename(c_total), vista, informe, decimal=decimal, convencion=".")
    if total.isna().any():
        fila = int(np.flatnonzero(total.isna().to_numpy())[0])
        raise error(
            crudo.archivo,
            f"el pedido {pedidos[c_orden].iloc[fila]} no tiene «{c_total}».",
            "En la exportación de Shopify el total está en la primera fila de cada pedido; no borres ni "
            "reordenes filas antes de importar.",
            linea=int(lineas_archivo[fila]),
            campo=c_total,
        )

    conservar = np.ones(len(pedidos), dtype=bool)
    if c_cancelado is not None:
        cancelado = pedidos[c_cancelado].notna().to_numpy()
        informe.descartar("pedido cancelado (Cancelled at)", int((cancelado & conservar).sum()))
        conservar &= ~cancelado
    if c_estado is not None:
        estado = pedidos[c_estado].str.lower().fillna("").to_numpy(dtype=object)
        for valor, motivo in (
            ("voided", "pago anulado (voided)"),
            ("refunded", "reembolso total (refunded)"),
            ("expired", "pago vencido (expired)"),
            ("pending", "pago pendiente (pending)"),
        ):
            marca = (estado == valor) & conservar
            informe.descartar(motivo, int(marca.sum()))
            conservar &= ~marca
        parcial = (estado == "partially_refunded") & conservar
        if parcial.any() and c_reembolso is not None:
            devuelto = numeros(
                pedidos[c_reembolso].rename(c_reembolso), vista, informe, decimal=decimal, convencion="."
            ).fillna(0.0)
            total = total.where(~parcial, total - devuelto)
            informe.avisar(
                f"{int(parcial.sum())} pedido(s) con reembolso parcial: su importe es el total menos lo "
                "devuelto (Refunded Amount)."
            )
    correo = correo_normalizado(pedidos[c_email])
    sin_correo = correo.isna().to_numpy() & conservar
    informe.descartar(
        "pedido sin Email (venta en tienda física o pedido manual sin cliente)", int(sin_correo.sum())
    )
    conservar &= ~sin_correo
    if c_moneda is not None and pedidos[c_moneda][conservar].nunique() > 1:
        informe.avisar(
            "hay pedidos en más de una moneda ("
            + ", ".join(map(str, pedidos[c_moneda].dropna().unique()))
            + "): los importes se suman tal cual, sin convertir."
        )
    canal = None
    if c_fuente is not None:
        canal = pedidos[c_fuente].map(
            lambda v: _CANAL_SHOPIFY.get(str(v).lower(), str(v)) if pd.notna(v) else None
        )
        informe.columnas[c_fuente] = "canal"
    informe.filas_leidas = len(tabla)
    informe.eventos["pedido"] = "compra (el primero de cada cliente) o recompra (los siguientes)"
    return _compras(correo, momento, canal, total, conservar, informe)


def importar_shopify_clientes(
    crudo: Crudo, informe: Importacion, zona_horaria: str, **_opciones
) -> pd.DataFrame:
    tabla = crudo.tabla
    c_email = exigir(crudo, "Shopify", "Email")
    correo = correo_normalizado(tabla[c_email])
    datos = {"cliente_id": correo}
    informe.columnas[c_email] = "cliente_id"
    for origen, destino in (("First Name", "nombre"), ("Default Address City", "ciudad"), ("City", "ciudad")):
        columna = buscar(tabla, origen)
        if columna is not None and destino not in datos:
            datos[destino] = texto(tabla[columna])
            informe.columnas[columna] = destino
    c_total = buscar(tabla, "Total Orders")
    if c_total is not None:
        datos["pedidos"] = pd.to_numeric(tabla[c_total], errors="coerce").astype("Int64")
        informe.columnas[c_total] = "pedidos"
    return tabla_de_clientes(pd.DataFrame(datos), crudo, informe)


def tabla_de_clientes(tabla: pd.DataFrame, crudo: Crudo, informe: Importacion) -> pd.DataFrame:
    sin_id = tabla["cliente_id"].isna().to_numpy()
    informe.descartar("no tener Email", int(sin_id.sum()))
    tabla = tabla[~sin_id]
    repetidos = tabla["cliente_id"].duplicated().to_numpy()
    if repetidos.any():
        informe.avisar(
            f"{int(repetidos.sum())} correo(s) repetidos: me quedé con la primera fila de cada uno."
        )
        tabla = tabla[~repetidos]
    tabla = tabla.reset_index(drop=True)
    for columna in tabla.columns:
        if tabla[columna].dtype == object:
            tabla[columna] = tabla[columna].astype("str")
    informe.filas = len(tabla)
    tabla.attrs["importacion"] = informe
    return tabla


_ESTADOS_FUERA_TIENDANUBE = {"cancelada": "orden cancelada", "anulada": "orden anulada"}
_PAGOS_FUERA_TIENDANUBE = {
    "reembolsado": "pago reembolsado",
    "anulado": "pago anulado",
    "pendiente": "pago pendiente",
    "rechazado": "pago rechazado",
}


def importar_tiendanube(
    crudo: Crudo,
    informe: Importacion,
    zona_horaria: str,
    *,
    decimal: str | None = None,
    dia_primero: bool = True,
    **_opciones,
) -> pd.DataFrame:
    tabla = crudo.tabla
    c_orden = exigir(crudo, "Tiendanube", "Número de orden")
    c_email = exigir(crudo, "Tiendanube", "Email", "E-mail", "Correo electrónico")
    c_fecha = exigir(crudo, "Tiendanube", "Fecha", "Fecha de la orden")
    c_total = exigir(crudo, "Tiendanube", "Total")
    c_estado = buscar(tabla, "Estado de la orden")
    c_pago = buscar(tabla, "Estado del pago")
    c_canal = buscar(tabla, "Canal", "Canal de venta")
    c_cancelado = buscar(tabla, "Fecha y hora de cancelación", "Fecha de cancelación")
    usadas = [c for c in (c_email, c_fecha, c_total, c_estado, c_pago, c_canal, c_cancelado) if c]
    pedidos, _primera = _pedidos(crudo, c_orden, usadas)
    vista = Crudo(pedidos, crudo.archivo, crudo.codificacion, crudo.separador, 0)
    informe.columnas.update(
        {
            c_orden: "un evento por orden (las filas de cada producto se juntan)",
            c_email: "cliente_id",
            c_fecha: "momento",
            c_total: "importe (total de la orden)",
        }
    )
    momento = fechas(pedidos[c_fecha].rename(c_fecha), vista, informe, zona_horaria, dia_primero=dia_primero)
    informe.zona_horaria = (
        informe.zona_horaria or f"{zona_horaria} (Tiendanube exporta la hora local de la tienda)"
    )
    # Tiendanube writes amounts the way its country does: "12.990,00" or "12990" (decimal comma).
    total = numeros(pedidos[c_total].rename(c_total), vista, informe, decimal=decimal, convencion=",")
    conservar = np.ones(len(pedidos), dtype=bool)
    for columna, fuera in ((c_estado, _ESTADOS_FUERA_TIENDANUBE), (c_pago, _PAGOS_FUERA_TIENDANUBE)):
        if columna is None:
            continue
        estado = pedidos[columna].map(lambda v: clave(v) if pd.notna(v) else "").to_numpy(dtype=object)
        for valor, motivo in fuera.items():
            marca = (estado == valor) & conservar
            informe.descartar(motivo, int(marca.sum()))
            conservar &= ~marca
    if c_cancelado is not None:
        cancelada = pedidos[c_cancelado].notna().to_numpy() & conservar
        informe.descartar("orden cancelada (fecha de cancelación)", int(cancelada.sum()))
        conservar &= ~cancelada
    correo = correo_normalizado(pedidos[c_email])
    sin_correo = correo.isna().to_numpy() & conservar
    informe.descartar("orden sin email", int(sin_correo.sum()))
    conservar &= ~sin_correo
    sin_total = total.isna().to_numpy() & conservar
    informe.descartar("orden sin total", int(sin_total.sum()))
    conservar &= ~sin_total
    canal = (
        pedidos[c_canal].map(lambda v: clave(v) if pd.notna(v) else None).to_numpy(dtype=object)
        if c_canal is not None
        else None
    )
    informe.filas_leidas = len(tabla)
    informe.eventos["orden"] = "compra (la primera de cada cliente) o recompra (las siguientes)"
    return _compras(correo, momento, canal, total, conservar, informe)
