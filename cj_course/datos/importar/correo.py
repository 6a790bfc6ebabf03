"""Email platforms: the activity exports of Mailchimp and Klaviyo, one row per email event.

The customer is the e-mail address (lower case), so the events join the shop's orders by e-mail.
Opens become ``abrir_correo``, clicks ``clic_correo``, deliveries ``recibir_correo``; a delivery of
a welcome flow or campaign (its name says "bienvenida" or "welcome") becomes ``correo_bienvenida``,
the event of the course's welcome-email story.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..._texto import clave, sin_tildes
from ._comun import Crudo, Importacion, buscar, correo_normalizado, exigir, fechas, tabla_eventos, texto

RECONOCER_MAILCHIMP = ("Email Address", "Action", "Timestamp")
RECONOCER_KLAVIYO = ("Email", "Metric Name", "Timestamp")

ACCIONES = {
    "sent": "recibir_correo",
    "send": "recibir_correo",
    "received email": "recibir_correo",
    "delivered": "recibir_correo",
    "open": "abrir_correo",
    "opened email": "abrir_correo",
    "click": "clic_correo",
    "clicked email": "clic_correo",
    "bounce": "rebote_correo",
    "bounced email": "rebote_correo",
    "unsub": "baja_correo",
    "unsubscribe": "baja_correo",
    "unsubscribed": "baja_correo",
    "unsubscribed from email marketing": "baja_correo",
    "marked email as spam": "spam_correo",
    "abuse": "spam_correo",
}
"""Acción de la plataforma de correo → evento del curso (las demás se conservan con su nombre)."""

_BIENVENIDA = re.compile(r"bienvenid|welcome", re.IGNORECASE)


def _eventos_de_correo(
    crudo: Crudo,
    informe: Importacion,
    zona_horaria: str,
    c_email: str,
    c_accion: str,
    c_fecha: str,
    nombres_envio: list[str | None],
) -> pd.DataFrame:
    tabla = crudo.tabla
    correo = correo_normalizado(tabla[c_email])
    momento = fechas(tabla[c_fecha], crudo, informe, zona_horaria)
    accion = texto(tabla[c_accion])
    codigos, unicos = pd.factorize(accion.to_numpy(dtype=object))
    destino = np.asarray([ACCIONES.get(sin_tildes(u), clave(u)) for u in unicos] + [None], dtype=object)
    evento = destino[codigos].copy()
    for u in unicos:
        if sin_tildes(u) in ACCIONES:
            informe.eventos[str(u)] = ACCIONES[sin_tildes(u)]
    # Which message it was: a welcome flow or campaign turns its deliveries into correo_bienvenida.
    nombre_envio = pd.Series("", index=tabla.index, dtype="str")
    for columna in nombres_envio:
        if columna is not None:
            nombre_envio = nombre_envio.where(nombre_envio != "", texto(tabla[columna]).fillna(""))
    bienvenida = nombre_envio.str.contains(_BIENVENIDA).to_numpy(dtype=bool) & (evento == "recibir_correo")
    if bienvenida.any():
        evento[bienvenida] = "correo_bienvenida"
        informe.eventos["recibir_correo de una campaña o flujo de bienvenida"] = "correo_bienvenida"
    conservar = correo.notna().to_numpy() & (codigos >= 0)
    informe.descartar("no tener correo o acción", int((~conservar).sum()))
    campana = nombre_envio.where(nombre_envio != "").to_numpy(dtype=object)
    return tabla_eventos(
        correo[conservar].to_numpy(),
        momento[conservar].to_numpy(),
        evento[conservar],
        np.full(int(conservar.sum()), "correo", dtype=object),
        None,
        informe,
        {"campana": campana[conservar]},
    )


def importar_mailchimp(crudo: Crudo, informe: Importacion, zona_horaria: str, **_opciones) -> pd.DataFrame:
    c_email = exigir(crudo, "Mailchimp", "Email Address", "Email")
    c_accion = exigir(crudo, "Mailchimp", "Action", "Activity")
    c_fecha = exigir(crudo, "Mailchimp", "Timestamp", "Activity Date")
    c_campana = buscar(crudo.tabla, "Campaign Title", "Campaign Name", "Campaign")
    informe.columnas.update({c_email: "cliente_id", c_accion: "evento", c_fecha: "momento"})
    if c_campana:
        informe.columnas[c_campana] = "campana (columna extra)"
    return _eventos_de_correo(crudo, informe, zona_horaria, c_email, c_accion, c_fecha, [c_campana])


def importar_klaviyo(crudo: Crudo, informe: Importacion, zona_horaria: str, **_opciones) -> pd.DataFrame:
    c_email = exigir(crudo, "Klaviyo", "Email", "$email", "Email Address")
    c_accion = exigir(crudo, "Klaviyo", "Metric Name", "Metric", "Event")
    c_fecha = exigir(crudo, "Klaviyo", "Timestamp", "Datetime", "Date")
    c_flujo = buscar(crudo.tabla, "Flow Name", "$flow")
    c_campana = buscar(crudo.tabla, "Campaign Name", "$campaign", "Message Name")
    informe.columnas.update({c_email: "cliente_id", c_accion: "evento", c_fecha: "momento"})
    for columna in (c_flujo, c_campana):
        if columna:
            informe.columnas[columna] = "campana (columna extra: flujo o campaña)"
    return _eventos_de_correo(crudo, informe, zona_horaria, c_email, c_accion, c_fecha, [c_flujo, c_campana])
