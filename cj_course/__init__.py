"""Curso de Customer Journey: la biblioteca que acompaña a los cuadernos.

>>> import cj_course as cj
>>> cj.validar(cj.mapa_ejemplo()).ok
True
"""

from typing import TYPE_CHECKING

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
    Clasificacion,
    CorreoBienvenida,
    Interaccion,
    MapaDeViaje,
    MetricaElegida,
    Persona,
    PlanDeMetricas,
    RespuestasCuestionario,
    Segmentacion,
    Segmento,
    desde_json,
    mapa_ejemplo,
    persona_ejemplo,
)
from .persistencia import cargar_respuesta, guardar_respuesta
from .validacion import Comprobacion, Informe, afirmar_correctas, afirmar_valido, comprobar, validar

if TYPE_CHECKING:  # the lazy names below, for type checkers and editors
    from .datos import (
        DatosCurso,
        cargar_datos,
        generar_datos,
        importar,
        importar_clientes,
        importar_encuestas,
        leer_clientes,
        leer_encuestas,
        leer_eventos,
    )
    from .graficos import (
        dibujar_cohortes,
        dibujar_embudo,
        dibujar_mapa,
        dibujar_nps,
        dibujar_persona,
        exportar_figura,
    )
    from .metricas import (
        ces,
        clientes_activos,
        clv,
        csat,
        embudo,
        intervalo_bootstrap,
        intervalo_bootstrap_diferencia,
        nps,
        nps_intervalo,
        prueba_de_permutacion,
        retencion_cohortes,
        tasa_abandono,
        tasa_conversion,
        tasa_retencion,
        tiempo_hasta_conversion,
        valor_medio_pedido,
    )
    from .plan import exportar_plan
    from .proyecto import MiNegocio, proyecto_ejemplo

__version__ = "0.1.0"

__all__ = [
    "CLIENTES_DE_EJEMPLO",
    "ETAPAS",
    "MODELOS",
    "Clasificacion",
    "Comprobacion",
    "CorreoBienvenida",
    "DatosCurso",
    "ErrorCurso",
    "Etapa",
    "Informe",
    "Interaccion",
    "MapaDeViaje",
    "MetricaElegida",
    "MiNegocio",
    "ModeloDeEtapas",
    "Persona",
    "PlanDeMetricas",
    "RespuestasCuestionario",
    "Segmentacion",
    "Segmento",
    "afirmar_correctas",
    "afirmar_valido",
    "cargar_datos",
    "cargar_respuesta",
    "ces",
    "clientes_activos",
    "clv",
    "comprobar",
    "convertir_etapa",
    "csat",
    "desde_json",
    "dibujar_cohortes",
    "dibujar_embudo",
    "dibujar_mapa",
    "dibujar_nps",
    "dibujar_persona",
    "embudo",
    "exportar_figura",
    "exportar_plan",
    "generar_datos",
    "guardar_respuesta",
    "importar",
    "importar_clientes",
    "importar_encuestas",
    "intervalo_bootstrap",
    "intervalo_bootstrap_diferencia",
    "leer_clientes",
    "leer_encuestas",
    "leer_eventos",
    "mapa_ejemplo",
    "modelo_de_etapas",
    "normalizar_etapa",
    "nps",
    "nps_intervalo",
    "persona_ejemplo",
    "proyecto_ejemplo",
    "prueba_de_permutacion",
    "retencion_cohortes",
    "tasa_abandono",
    "tasa_conversion",
    "tasa_retencion",
    "tiempo_hasta_conversion",
    "validar",
    "valor_medio_pedido",
    "widgets",
]


# Heavy parts load on first use (PEP 562): `import cj_course` stays light for scripts, graders and the
# book, and pandas, matplotlib and ipywidgets load only when a name that needs them is used.
_PEREZOSOS = {
    **dict.fromkeys(
        (
            "DatosCurso",
            "cargar_datos",
            "generar_datos",
            "importar",
            "importar_clientes",
            "importar_encuestas",
            "leer_clientes",
            "leer_encuestas",
            "leer_eventos",
        ),
        ".datos",
    ),
    **dict.fromkeys(
        (
            "dibujar_cohortes",
            "dibujar_embudo",
            "dibujar_mapa",
            "dibujar_nps",
            "dibujar_persona",
            "exportar_figura",
        ),
        ".graficos",
    ),
    **dict.fromkeys(
        (
            "ces",
            "clientes_activos",
            "clv",
            "csat",
            "embudo",
            "intervalo_bootstrap",
            "intervalo_bootstrap_diferencia",
            "nps",
            "nps_intervalo",
            "prueba_de_permutacion",
            "retencion_cohortes",
            "tasa_abandono",
            "tasa_conversion",
            "tasa_retencion",
            "tiempo_hasta_conversion",
            "valor_medio_pedido",
        ),
        ".metricas",
    ),
    # The entrepreneur's project and its exported plan (the plan loads matplotlib only when exporting).
    **dict.fromkeys(("MiNegocio", "proyecto_ejemplo"), ".proyecto"),
    "exportar_plan": ".plan",
}
_SUBMODULOS = (
    "datos",
    "graficos",
    "metricas",
    "widgets",
    "calificacion",
    "cli",
    "libro",
    "proyecto",
    "plan",
)


def __getattr__(nombre: str):
    import importlib

    if nombre in _PEREZOSOS:
        valor = getattr(importlib.import_module(_PEREZOSOS[nombre], __name__), nombre)
        globals()[nombre] = valor  # later uses are plain attribute reads
        return valor
    if nombre in _SUBMODULOS:
        return importlib.import_module(f".{nombre}", __name__)
    raise AttributeError(f"module 'cj_course' has no attribute {nombre!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
