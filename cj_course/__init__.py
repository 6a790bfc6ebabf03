"""Curso de Customer Journey: la biblioteca que acompaña a los cuadernos.

>>> import cj_course as cj
>>> cj.validar(cj.mapa_ejemplo()).ok
True
"""

from ._errores import ErrorCurso
from .etapas import (
    ETAPAS,
    MODELOS,
    Etapa,
    ModeloDeEtapas,
    convertir_etapa,
    modelo_de_etapas,
    normalizar_etapa,
)
from .modelo import (
    CLIENTES_DE_EJEMPLO,
    CorreoBienvenida,
    Interaccion,
    MapaDeViaje,
    MetricaElegida,
    Persona,
    PlanDeMetricas,
    Segmentacion,
    Segmento,
    desde_json,
    mapa_ejemplo,
    persona_ejemplo,
)
from .persistencia import cargar_respuesta, guardar_respuesta
from .validacion import Comprobacion, Informe, afirmar_valido, comprobar, validar

__version__ = "0.1.0"

__all__ = [
    "CLIENTES_DE_EJEMPLO",
    "ETAPAS",
    "MODELOS",
    "Comprobacion",
    "CorreoBienvenida",
    "ErrorCurso",
    "Etapa",
    "Informe",
    "Interaccion",
    "MapaDeViaje",
    "MetricaElegida",
    "ModeloDeEtapas",
    "Persona",
    "PlanDeMetricas",
    "Segmentacion",
    "Segmento",
    "afirmar_valido",
    "cargar_respuesta",
    "comprobar",
    "convertir_etapa",
    "desde_json",
    "guardar_respuesta",
    "mapa_ejemplo",
    "modelo_de_etapas",
    "normalizar_etapa",
    "persona_ejemplo",
    "validar",
]
