"""Genera las exportaciones de ejemplo de ``cj_course/datos/muestras/`` a partir de la tienda sintética.

Cada archivo imita la exportación real de una herramienta (columnas, formato de fechas y números,
separador, codificación) y sale de los mismos datos del curso (``generar_datos("zapatos")`` y
``generar_datos("nubestock")``), así que cuenta las mismas historias. Con la misma semilla da
siempre los mismos archivos::

    python -m cj_course.datos.generar_muestras            # escribe en cj_course/datos/muestras/
    python -m cj_course.datos.generar_muestras --carpeta /tmp/muestras
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
import pandas as pd

from .._texto import sin_tildes
from .generador import generar_datos

SEMILLA = 15
CLIENTES_TIENDA = 4000  # enough first buyers after October 2024 for the welcome-email story to show
CLIENTES_GA4 = 1500  # GA4 is the biggest file: the first 1 500 customers of the same shop
ZONA_TIENDA = "America/Mexico_City"
ZONA_SHOPIFY = "America/Chicago"  # the store's time zone in Shopify: offsets -0600 / -0500 across DST

_GA4 = {
    "visita_web": "session_start",
    "ver_producto": "view_item",
    "agregar_carrito": "add_to_cart",
    "inicio_pago": "begin_checkout",
    "compra": "purchase",
    "recompra": "purchase",
}
_FUENTES = {
    "instagram": ("instagram", "paid"),
    "facebook": ("facebook", "cpc"),
    "tiktok": ("tiktok", "paid"),
    "google": ("google", "cpc"),
    "referido": ("(direct)", "(none)"),
}
_PRODUCTOS = [
    "Tenis blancos",
    "Botines de piel",
    "Sandalias de verano",
    "Zapatillas de tacón",
    "Flats negros",
    "Mocasines",
]


def _correo(nombre: str, cliente: str) -> str:
    return f"{sin_tildes(nombre).replace(' ', '')}.{cliente[1:]}@ejemplo.mx"


def _instantes(momentos: pd.Series, zona: str = ZONA_TIENDA) -> pd.Series:
    """The shop's wall-clock times as UTC instants."""
    return momentos.dt.tz_localize(zona, ambiguous=True, nonexistent="shift_forward").dt.tz_convert("UTC")


def ga4(datos, rng: np.random.Generator) -> pd.DataFrame:
    clientes = datos.clientes.set_index("cliente_id")
    ids = clientes.index[:CLIENTES_GA4]
    ev = datos.eventos[
        datos.eventos["evento"].isin(list(_GA4)) & datos.eventos["cliente_id"].isin(ids)
    ].copy()
    ev["cliente_id"] = ev["cliente_id"].astype("str")
    # A session starts with a page view a few seconds later: GA4 writes both.
    vistas = ev[ev["evento"] == "visita_web"].copy()
    vistas["momento"] = vistas["momento"] + pd.to_timedelta(rng.integers(1, 40, len(vistas)), unit="s")
    vistas["evento"] = "page_view"
    ev = pd.concat([ev.assign(evento=ev["evento"].astype("str")), vistas]).sort_values(
        "momento", kind="stable"
    )
    instante = _instantes(ev["momento"])
    pseudo = {
        c: f"{rng.integers(10**8, 10**9)}.{int(_instantes(pd.Series([clientes.loc[c, 'alta']])).iloc[0].timestamp())}"
        for c in ids
    }
    tiene_cuenta = {c: rng.random() < 0.12 for c in ids}  # few customers log in: user_id is mostly empty
    adq = clientes.loc[ev["cliente_id"], "canal_adquisicion"].astype("str").to_numpy()
    fuente = [_FUENTES[a] for a in adq]
    revenue = np.where(ev["evento"].isin(["compra", "recompra"]), ev["importe"], np.nan)
    transaccion = np.where(np.isnan(revenue), "", [f"T{100000 + i}" for i in range(len(ev))])
    return pd.DataFrame(
        {
            "event_date": ev["momento"].dt.strftime("%Y%m%d").to_numpy(),
            "event_timestamp": (instante.astype("int64") // 1000).to_numpy(),
            "event_name": ev["evento"].map(lambda e: _GA4.get(e, e)).to_numpy(),
            "user_pseudo_id": ev["cliente_id"].map(pseudo).to_numpy(),
            "user_id": [c if tiene_cuenta[c] else "" for c in ev["cliente_id"]],
            "device.category": np.where(
                clientes.loc[ev["cliente_id"], "dispositivo"].astype("str") == "móvil", "mobile", "desktop"
            ),
            "geo.city": clientes.loc[ev["cliente_id"], "ciudad"]
            .astype("str")
            .str.replace("Estado de México", "Toluca")
            .to_numpy(),
            "traffic_source.source": [f for f, _ in fuente],
            "traffic_source.medium": [m for _, m in fuente],
            "ecommerce.purchase_revenue": revenue,
            "ecommerce.transaction_id": transaccion,
            "platform": "WEB",
        }
    )


def ga4_json(tabla: pd.DataFrame) -> str:
    """The same events as BigQuery's JSON export: nested records, INT64 written as text."""
    lineas = []
    for fila in tabla.head(400).to_dict("records"):
        ingreso = fila["ecommerce.purchase_revenue"]
        registro = {
            "event_date": fila["event_date"],
            "event_timestamp": str(fila["event_timestamp"]),
            "event_name": fila["event_name"],
            "event_params": [{"key": "ga_session_number", "value": {"int_value": "1"}}],
            "user_pseudo_id": fila["user_pseudo_id"],
            "user_id": fila["user_id"] or None,
            "device": {"category": fila["device.category"]},
            "geo": {"city": fila["geo.city"]},
            "traffic_source": {
                "source": fila["traffic_source.source"],
                "medium": fila["traffic_source.medium"],
            },
            "ecommerce": {
                "purchase_revenue": None if np.isnan(ingreso) else ingreso,
                "transaction_id": fila["ecommerce.transaction_id"] or None,
            },
            "platform": fila["platform"],
        }
        lineas.append(json.dumps(registro, ensure_ascii=False))
    return "\n".join(lineas) + "\n"


def shopify(datos, rng: np.random.Generator) -> pd.DataFrame:
    clientes = datos.clientes.set_index("cliente_id")
    compras = datos.eventos[datos.eventos["evento"].isin(["compra", "recompra"])].copy()
    compras["cliente_id"] = compras["cliente_id"].astype("str")
    # Orders that never became a purchase in the story: cancelled, voided or fully refunded.
    extra = compras.sample(frac=0.06, random_state=SEMILLA).copy()
    extra["momento"] = extra["momento"] - pd.to_timedelta(rng.integers(2, 30, len(extra)), unit="D")
    extra["estado"] = rng.choice(["voided", "refunded", "cancelado"], len(extra))
    compras["estado"] = np.where(rng.random(len(compras)) < 0.04, "partially_refunded", "paid")
    pedidos = pd.concat([compras, extra]).sort_values("momento", kind="stable").reset_index(drop=True)
    filas = []
    for numero, p in enumerate(pedidos.itertuples(index=False), start=1001):
        persona = clientes.loc[p.cliente_id]
        creado = _instantes(pd.Series([p.momento])).dt.tz_convert(ZONA_SHOPIFY).iloc[0]
        total = float(p.importe)
        n_lineas = int(rng.choice([1, 1, 1, 2, 2, 3]))
        partes = np.round(total * rng.dirichlet(np.ones(n_lineas)), 2)
        partes[-1] = round(total - partes[:-1].sum(), 2)
        estado = "voided" if p.estado == "cancelado" else p.estado
        for k in range(n_lineas):
            primera = k == 0
            filas.append(
                {
                    "Name": f"#{numero}",
                    "Email": _correo(persona["nombre"], p.cliente_id),
                    "Financial Status": estado if primera else "",
                    "Paid at": creado.strftime("%Y-%m-%d %H:%M:%S %z")
                    if primera and estado != "voided"
                    else "",
                    "Fulfillment Status": ("fulfilled" if estado == "paid" else "unfulfilled")
                    if primera
                    else "",
                    "Accepts Marketing": "yes" if primera else "",
                    "Currency": "MXN" if primera else "",
                    "Subtotal": f"{total:.2f}" if primera else "",
                    "Shipping": "0.00" if primera else "",
                    "Taxes": f"{total * 0.16 / 1.16:.2f}" if primera else "",
                    "Total": f"{total:.2f}" if primera else "",
                    "Discount Code": "",
                    "Discount Amount": "0.00" if primera else "",
                    "Created at": creado.strftime("%Y-%m-%d %H:%M:%S %z"),
                    "Lineitem quantity": 1,
                    "Lineitem name": str(rng.choice(_PRODUCTOS)),
                    "Lineitem price": f"{partes[k]:.2f}",
                    "Lineitem sku": f"ZSA-{rng.integers(100, 999)}",
                    "Billing Name": persona["nombre"] if primera else "",
                    "Billing City": str(persona["ciudad"]) if primera else "",
                    "Cancelled at": (creado + pd.Timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S %z")
                    if primera and p.estado == "cancelado"
                    else "",
                    "Refunded Amount": (
                        f"{total:.2f}"
                        if estado == "refunded"
                        else f"{round(total * 0.3, 2):.2f}"
                        if estado == "partially_refunded"
                        else "0.00"
                    )
                    if primera
                    else "",
                    "Source": ("web" if primera else ""),
                    "Id": str(5_000_000_000 + numero) if primera else "",
                }
            )
    return pd.DataFrame(filas)


def shopify_clientes(datos) -> pd.DataFrame:
    compras = datos.eventos[datos.eventos["evento"].isin(["compra", "recompra"])]
    resumen = compras.groupby("cliente_id", observed=True)["importe"].agg(["sum", "count"])
    cl = datos.clientes.set_index("cliente_id").loc[resumen.index.astype("str")]
    return pd.DataFrame(
        {
            "Customer ID": [str(7_000_000_000 + i) for i in range(len(cl))],
            "First Name": cl["nombre"].to_numpy(),
            "Last Name": "",
            "Email": [_correo(n, c) for n, c in zip(cl["nombre"], cl.index, strict=True)],
            "Accepts Email Marketing": "yes",
            "Default Address City": cl["ciudad"].astype("str").to_numpy(),
            "Total Spent": [f"{v:.2f}" for v in resumen["sum"]],
            "Total Orders": resumen["count"].to_numpy(),
            "Tags": "",
        }
    )


def klaviyo(datos, rng: np.random.Generator) -> pd.DataFrame:
    clientes = datos.clientes.set_index("cliente_id")
    bienvenida = datos.eventos[datos.eventos["evento"] == "correo_bienvenida"]
    filas = []
    for b in bienvenida.itertuples(index=False):
        cliente = str(b.cliente_id)
        correo = _correo(clientes.loc[cliente, "nombre"], cliente)
        if rng.random() < 0.1:
            correo = correo.capitalize()  # the same person, written differently by another tool
        recibido = _instantes(pd.Series([b.momento])).iloc[0]
        momentos = [("Received Email", recibido)]
        if rng.random() < 0.65:
            abierto = recibido + pd.Timedelta(minutes=float(rng.exponential(180)))
            momentos.append(("Opened Email", abierto))
            if rng.random() < 0.35:
                momentos.append(
                    ("Clicked Email", abierto + pd.Timedelta(seconds=float(rng.integers(5, 300))))
                )
        for metrica, cuando in momentos:
            filas.append(
                {
                    "Timestamp": cuando.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                    "Email": correo,
                    "Profile ID": f"01H{cliente}",
                    "Metric Name": metrica,
                    "Campaign Name": "",
                    "Flow Name": "Serie de bienvenida",
                    "Subject": "¡Bienvenida a Zapatos SA!",
                }
            )
    # A monthly newsletter to some customers, so not every email is the welcome one.
    compradoras = datos.eventos.loc[datos.eventos["evento"] == "compra", "cliente_id"].astype("str").unique()
    for mes in pd.date_range("2024-11-01", "2025-05-01", freq="MS"):
        for cliente in rng.choice(compradoras, size=min(60, len(compradoras)), replace=False):
            enviado = _instantes(pd.Series([mes + pd.Timedelta(days=2, hours=10)])).iloc[0]
            filas.append(
                {
                    "Timestamp": enviado.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                    "Email": _correo(clientes.loc[cliente, "nombre"], cliente),
                    "Profile ID": f"01H{cliente}",
                    "Metric Name": "Received Email",
                    "Campaign Name": f"Novedades {mes:%m/%Y}",
                    "Flow Name": "",
                    "Subject": "Lo nuevo del mes",
                }
            )
    return pd.DataFrame(filas).sort_values("Timestamp", kind="stable").reset_index(drop=True)


def mailchimp(datos, rng: np.random.Generator) -> pd.DataFrame:
    clientes = datos.clientes.set_index("cliente_id")
    filas = []
    muestra = clientes.index[:300]
    for titulo, fecha in (
        ("Temporada de sandalias", "2025-03-06 09:00"),
        ("Regreso a clases", "2024-08-14 09:00"),
    ):
        for cliente in muestra:
            correo = _correo(clientes.loc[cliente, "nombre"], cliente)
            enviado = _instantes(pd.Series([pd.Timestamp(fecha)])).iloc[0]
            filas.append(
                {
                    "Email Address": correo,
                    "First Name": clientes.loc[cliente, "nombre"],
                    "Campaign Title": titulo,
                    "Action": "sent",
                    "Timestamp": enviado.strftime("%Y-%m-%d %H:%M:%S+00:00"),
                    "URL": "",
                }
            )
            if rng.random() < 0.4:
                abierto = enviado + pd.Timedelta(minutes=float(rng.exponential(240)))
                filas.append(
                    {**filas[-1], "Action": "open", "Timestamp": abierto.strftime("%Y-%m-%d %H:%M:%S+00:00")}
                )
                if rng.random() < 0.3:
                    filas.append(
                        {
                            **filas[-1],
                            "Action": "click",
                            "URL": "https://zapatos.example/temporada",
                            "Timestamp": (abierto + pd.Timedelta(seconds=40)).strftime(
                                "%Y-%m-%d %H:%M:%S+00:00"
                            ),
                        }
                    )
    return pd.DataFrame(filas)


def tiendanube(datos, rng: np.random.Generator) -> pd.DataFrame:
    clientes = datos.clientes.set_index("cliente_id")
    compras = datos.eventos[
        datos.eventos["evento"].isin(["compra", "recompra"])
        & datos.eventos["cliente_id"].isin(clientes.index[:1200])
    ]
    filas = []
    for numero, p in enumerate(compras.itertuples(index=False), start=100):
        cliente = str(p.cliente_id)
        persona = clientes.loc[cliente]
        estado, pago = ("Cancelada", "Reembolsado") if rng.random() < 0.05 else ("Cerrada", "Pagado")
        total = float(p.importe)
        texto_total = (
            f"{total:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
            if rng.random() < 0.8
            else f"{round(total):,}".replace(",", ".")
        )
        for _ in range(int(rng.choice([1, 1, 2]))):
            filas.append(
                {
                    "Número de orden": numero,
                    "Email": _correo(persona["nombre"], cliente),
                    "Fecha": p.momento.strftime("%d/%m/%Y %H:%M:%S"),
                    "Estado de la orden": estado,
                    "Estado del pago": pago,
                    "Estado del envío": "Entregado" if estado == "Cerrada" else "No enviado",
                    "Moneda": "MXN",
                    "Subtotal de productos": texto_total,
                    "Descuento": "0,00",
                    "Costo de envío": "0,00",
                    "Total": texto_total,
                    "Nombre del comprador": persona["nombre"],
                    "Ciudad": str(persona["ciudad"]),
                    "Medio de pago": "Mercado Pago",
                    "Nombre del producto": str(rng.choice(_PRODUCTOS)),
                    "Cantidad del producto": 1,
                    "Canal": "Tienda online",
                }
            )
    return pd.DataFrame(filas)


def hubspot(rng: np.random.Generator) -> pd.DataFrame:
    nube = generar_datos("nubestock", n_clientes=300, semilla=SEMILLA)
    ev = nube.eventos
    etapas = {
        "Became a Lead Date": ["contenido_descargado", "webinar"],
        "Became a Marketing Qualified Lead Date": ["solicitud_demo"],
        "Became a Sales Qualified Lead Date": ["demo"],
        "Became an Opportunity Date": ["propuesta"],
        "Became a Customer Date": ["contrato"],
        "Became an Evangelist Date": ["referido"],
    }
    cl = nube.clientes.set_index("cliente_id")
    tabla = pd.DataFrame(index=cl.index.astype("str"))
    primeras = ev.groupby("cliente_id", observed=True)["momento"].min()
    tabla["Create Date"] = primeras.reindex(tabla.index)
    for columna, eventos in etapas.items():
        tabla[columna] = (
            ev[ev["evento"].isin(eventos)]
            .groupby("cliente_id", observed=True)["momento"]
            .min()
            .reindex(tabla.index)
        )
    etiqueta = [
        "subscriber",
        "lead",
        "marketingqualifiedlead",
        "salesqualifiedlead",
        "opportunity",
        "customer",
        "evangelist",
    ]
    alcanzada = tabla[list(etapas)].notna().to_numpy()
    ultima = np.where(alcanzada.any(axis=1), alcanzada.shape[1] - np.argmax(alcanzada[:, ::-1], axis=1), 0)
    fuentes = {
        "linkedin": "PAID_SOCIAL",
        "google": "ORGANIC_SEARCH",
        "evento": "OFFLINE",
        "referido": "REFERRALS",
        "web": "DIRECT_TRAFFIC",
    }
    salida = pd.DataFrame(
        {
            "Record ID": [str(9_000_000 + i) for i in range(len(tabla))],
            "First Name": cl["nombre"].to_numpy(),
            "Last Name": "",
            "Email": [
                _correo(n, c).replace("ejemplo.mx", "cliente.example")
                for n, c in zip(cl["nombre"], tabla.index, strict=True)
            ],
            "Company Name": cl["empresa"].to_numpy(),
            "City": cl["ciudad"].astype("str").to_numpy(),
            "Lifecycle Stage": [etiqueta[u] for u in ultima],
            "Original Source": [fuentes.get(str(c), "OTHER_CAMPAIGNS") for c in cl["canal_adquisicion"]],
        }
    )
    for columna in ["Create Date", *etapas]:
        salida[columna] = tabla[columna].dt.strftime("%Y-%m-%d %H:%M").fillna("").to_numpy()
    return salida


def encuestas(datos) -> pd.DataFrame:
    clientes = datos.clientes.set_index("cliente_id")
    enc = datos.encuestas.copy()
    enc["cliente_id"] = enc["cliente_id"].astype("str")
    return pd.DataFrame(
        {
            "Marca temporal": enc["momento"].dt.strftime("%d/%m/%Y %H:%M:%S").to_numpy(),
            "Dirección de correo electrónico": [
                _correo(clientes.loc[c, "nombre"], c) for c in enc["cliente_id"]
            ],
            "¿Qué tan probable es que nos recomiendes a una amiga? (0 a 10)": enc["puntuacion"].to_numpy(),
            "¿Por qué?": enc["comentario"].fillna("").to_numpy(),
        }
    )


def generar(carpeta: Path) -> dict[str, int]:
    """Escribe todos los archivos de ejemplo en ``carpeta``; devuelve cuántas filas tiene cada uno."""
    carpeta.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEMILLA)
    datos = generar_datos("zapatos", n_clientes=CLIENTES_TIENDA, semilla=SEMILLA)
    tablas = {
        "ga4_eventos.csv": ga4(datos, rng),
        "shopify_pedidos.csv": shopify(datos, rng),
        "shopify_clientes.csv": shopify_clientes(datos),
        "klaviyo_actividad.csv": klaviyo(datos, rng),
        "mailchimp_actividad.csv": mailchimp(datos, rng),
        "hubspot_contactos.csv": hubspot(rng),
        "encuestas_nps.csv": encuestas(datos),
    }
    for nombre, tabla in tablas.items():
        tabla.to_csv(carpeta / nombre, index=False, lineterminator="\n")
    (carpeta / "ga4_eventos.jsonl").write_text(ga4_json(tablas["ga4_eventos.csv"]), encoding="utf-8")
    # Tiendanube as it often arrives: Spanish spreadsheet settings, ';' and latin-1.
    nube = tiendanube(datos, rng)
    nube.to_csv(
        carpeta / "tiendanube_ventas.csv", index=False, sep=";", encoding="latin-1", lineterminator="\r\n"
    )
    tablas["tiendanube_ventas.csv"] = nube
    return {nombre: len(t) for nombre, t in tablas.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--carpeta", type=Path, default=Path(__file__).parent / "muestras")
    opciones = parser.parse_args()
    for nombre, filas in generar(opciones.carpeta).items():
        print(f"{nombre}: {filas} filas")


if __name__ == "__main__":
    main()
