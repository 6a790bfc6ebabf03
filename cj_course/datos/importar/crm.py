"""CRM: HubSpot's contacts export, with the date each contact reached each lifecycle stage.

One row per contact; each filled "Became a … Date" column becomes one event of that contact, so the
lifecycle (lead → oportunidad → cliente) is a funnel the course's metrics can measure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..._texto import clave
from ._comun import buscar, correo_normalizado, error, exigir, fechas, tabla_eventos, texto

if TYPE_CHECKING:  # only in annotations
    from ._comun import Crudo, Importacion

RECONOCER_HUBSPOT = ("Record ID", "Lifecycle Stage")

ETAPAS_HUBSPOT = (
    (("Create Date", "Fecha de creación"), "contacto_creado"),
    (("Became a Subscriber Date",), "suscripcion"),
    (("Became a Lead Date",), "lead"),
    (("Became a Marketing Qualified Lead Date",), "lead_calificado_marketing"),
    (("Became a Sales Qualified Lead Date",), "lead_calificado_ventas"),
    (("Became an Opportunity Date",), "oportunidad"),
    (("Became a Customer Date",), "compra"),
    (("Became an Evangelist Date",), "referido"),
)
"""Columna de fecha de HubSpot → evento del curso, en el orden del ciclo de vida."""

_FUENTES = {
    "organic_search": "google",
    "paid_search": "google",
    "paid_social": "redes_sociales",
    "social_media": "redes_sociales",
    "email_marketing": "correo",
    "referrals": "referido",
    "direct_traffic": "directo",
    "offline": "fuera_de_linea",
    "other_campaigns": "otras_campanas",
}


def _correo_o_id(crudo: Crudo, informe: Importacion) -> pd.Series:
    c_email = buscar(crudo.tabla, "Email", "Correo")
    c_id = exigir(crudo, "HubSpot", "Record ID", "Contact ID", "ID de registro")
    if c_email is not None:
        correo = correo_normalizado(crudo.tabla[c_email])
        if correo.notna().mean() >= 0.5:
            informe.columnas[c_email] = (
                "cliente_id (el correo: así se une con tu tienda y tu plataforma de correo)"
            )
            faltan = correo.isna()
            if faltan.any():
                informe.avisar(f"{int(faltan.sum())} contacto(s) sin Email usan su Record ID como cliente.")
            return correo.fillna("hubspot:" + texto(crudo.tabla[c_id]).fillna(""))
    informe.columnas[c_id] = "cliente_id"
    return texto(crudo.tabla[c_id])


def importar_hubspot(
    crudo: Crudo, informe: Importacion, zona_horaria: str, *, dia_primero: bool = True, **_opciones
) -> pd.DataFrame:
    tabla = crudo.tabla
    ids = _correo_o_id(crudo, informe)
    c_fuente = buscar(tabla, "Original Source", "Original Source Type", "Fuente original")
    canal_contacto = None
    if c_fuente is not None:
        canal_contacto = texto(tabla[c_fuente]).map(
            lambda v: _FUENTES.get(clave(v), clave(v)) if pd.notna(v) else None
        )
        informe.columnas[c_fuente] = "canal"
    partes = []
    for nombres, evento in ETAPAS_HUBSPOT:
        columna = buscar(tabla, *nombres)
        if columna is None:
            continue
        momento = fechas(
            tabla[columna], crudo, informe, zona_horaria, requerida=False, dia_primero=dia_primero
        )
        lleno = momento.notna().to_numpy() & ids.notna().to_numpy()
        if not lleno.any():
            continue
        informe.columnas[columna] = f"momento del evento {evento}"
        informe.eventos[columna] = evento
        partes.append(
            pd.DataFrame(
                {
                    "cliente_id": ids[lleno].to_numpy(dtype=object),
                    "momento": momento[lleno].to_numpy(),
                    "evento": evento,
                    "canal": canal_contacto[lleno].to_numpy(dtype=object)
                    if canal_contacto is not None
                    else None,
                }
            )
        )
    if not partes:
        raise error(
            crudo.archivo,
            "no tiene ninguna fecha de etapa del ciclo de vida llena (Create Date, Became a "
            "Lead Date, Became a Customer Date…).",
            "Al exportar los contactos en HubSpot, elige «Todas las propiedades» o agrega las columnas de "
            "fechas del ciclo de vida.",
        )
    eventos = pd.concat(partes, ignore_index=True)
    return tabla_eventos(
        eventos["cliente_id"], eventos["momento"], eventos["evento"], eventos["canal"], None, informe
    )


def importar_hubspot_clientes(
    crudo: Crudo, informe: Importacion, zona_horaria: str, *, dia_primero: bool = True, **_opciones
) -> pd.DataFrame:
    from .tiendas import tabla_de_clientes

    tabla = crudo.tabla
    datos: dict[str, object] = {"cliente_id": _correo_o_id(crudo, informe)}
    for origen, destino in (
        ("First Name", "nombre"),
        ("City", "ciudad"),
        ("Lifecycle Stage", "segmento"),
        ("Company Name", "empresa"),
    ):
        columna = buscar(tabla, origen)
        if columna is not None:
            datos[destino] = texto(tabla[columna])
            informe.columnas[columna] = destino
    c_alta = buscar(tabla, "Create Date")
    if c_alta is not None:
        datos["alta"] = fechas(
            tabla[c_alta], crudo, informe, zona_horaria, requerida=False, dia_primero=dia_primero
        ).to_numpy()
        informe.columnas[c_alta] = "alta"
    resultado = tabla_de_clientes(pd.DataFrame(datos), crudo, informe)
    if "alta" in resultado.columns:
        resultado["alta"] = resultado["alta"].astype(np.dtype("datetime64[ns]"))
    return resultado
