"""Datos del curso: conjuntos incluidos, generador sintético, lectura de tus propios datos y vocabulario.

>>> from cj_course.datos import cargar_datos
>>> zapatos = cargar_datos("zapatos")
>>> list(zapatos.eventos.columns)
['cliente_id', 'momento', 'evento', 'canal', 'importe']
>>> clientes, eventos, encuestas = zapatos   # también se puede desempacar

Los archivos que exportan las herramientas de una tienda (GA4, Shopify, Tiendanube, Mailchimp,
Klaviyo, HubSpot) se leen con :func:`importar`; :mod:`cj_course.datos.muestras` trae un ejemplo de cada uno.
"""

from .conjuntos import CONJUNTOS, cargar_datos, guardar_datos, leer_datos
from .generador import DatosCurso, generar_datos
from .importar import FORMATOS, Importacion, importar, importar_clientes, importar_encuestas
from .lectura import ESQUEMAS, leer_clientes, leer_encuestas, leer_eventos, normalizar
from .mapas import mapa_nubestock, mapa_zapatos, persona_nubestock, persona_zapatos
from .vocabulario import (
    CANALES,
    ETIQUETAS,
    EVENTO_A_ETAPA,
    EVENTOS,
    EVENTOS_CON_IMPORTE,
    VOCABULARIO,
    TipoDeEvento,
    agregar_etapa,
    etapa_de_evento,
    etiqueta_evento,
    tabla_vocabulario,
)

__all__ = [
    "CANALES",
    "CONJUNTOS",
    "ESQUEMAS",
    "ETIQUETAS",
    "EVENTOS",
    "EVENTOS_CON_IMPORTE",
    "EVENTO_A_ETAPA",
    "FORMATOS",
    "VOCABULARIO",
    "DatosCurso",
    "Importacion",
    "TipoDeEvento",
    "agregar_etapa",
    "cargar_datos",
    "etapa_de_evento",
    "etiqueta_evento",
    "generar_datos",
    "guardar_datos",
    "importar",
    "importar_clientes",
    "importar_encuestas",
    "leer_clientes",
    "leer_datos",
    "leer_encuestas",
    "leer_eventos",
    "mapa_nubestock",
    "mapa_zapatos",
    "muestras",
    "normalizar",
    "persona_nubestock",
    "persona_zapatos",
    "tabla_vocabulario",
]


def __getattr__(nombre: str):
    # The sample exports are a module of their own, loaded when first named (cj_course.datos.muestras).
    if nombre == "muestras":
        import importlib

        return importlib.import_module(".muestras", __name__)
    raise AttributeError(f"module 'cj_course.datos' has no attribute {nombre!r}")
