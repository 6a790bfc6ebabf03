"""Exportaciones de ejemplo, como las que descargarías de tus herramientas, para practicar :func:`importar`.

Salen de la tienda sintética del curso (*Zapatos SA de CV*, ``generar_datos("zapatos")``) y de
*NubeStock* (HubSpot), así que cuentan las mismas historias: en ``ga4_eventos.csv`` el pago desde el
celular se cae; en ``klaviyo_actividad.csv`` + ``shopify_pedidos.csv`` quien recibe el correo de
bienvenida vuelve a comprar más. Las genera ``python -m cj_course.datos.generar_muestras``.

>>> sorted(ARCHIVOS)[:3]
['encuestas_nps.csv', 'ga4_eventos.csv', 'ga4_eventos.jsonl']
>>> ruta("ga4_eventos.csv").name
'ga4_eventos.csv'
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from ..._errores import ErrorCurso

ARCHIVOS = {
    "ga4_eventos.csv": "Google Analytics 4: eventos exportados de BigQuery y aplanados a CSV.",
    "ga4_eventos.jsonl": "Google Analytics 4: los mismos eventos, como JSON por líneas (export de BigQuery).",
    "shopify_pedidos.csv": "Shopify: exportación de pedidos (una fila por producto; cancelados y reembolsos).",
    "shopify_clientes.csv": "Shopify: exportación de clientes.",
    "tiendanube_ventas.csv": "Tiendanube: exportación de ventas (encabezados en español, ';', latin-1, coma decimal).",
    "klaviyo_actividad.csv": "Klaviyo: actividad de correo (recibidos, abiertos, clics) con el flujo de bienvenida.",
    "mailchimp_actividad.csv": "Mailchimp: actividad de correo de campañas.",
    "hubspot_contactos.csv": "HubSpot: contactos con las fechas de cada etapa del ciclo de vida (NubeStock, B2B).",
    "encuestas_nps.csv": "Respuestas de una encuesta NPS exportadas de un formulario (Google Forms).",
}
"""Los archivos de ejemplo y qué es cada uno."""


def ruta(nombre: str) -> Path:
    """La ruta de un archivo de ejemplo, para pasarla a :func:`cj_course.datos.importar`."""
    if nombre not in ARCHIVOS:
        from ..._texto import quisiste_decir

        raise ErrorCurso(
            f"No hay un archivo de ejemplo «{nombre}».",
            campo="nombre",
            pista=f"{quisiste_decir(nombre, ARCHIVOS)}Los ejemplos son: {', '.join(ARCHIVOS)}.",
        )
    return Path(str(resources.files(__name__).joinpath(nombre)))
