"""Curso de Customer Journey: la biblioteca que acompaña a los cuadernos.

>>> import cj_course as cj
>>> cj.validar(cj.mapa_ejemplo()).ok
True
"""

from typing import TYPE_CHECKING

from . import modelo
from ._errores import ErrorCurso
from ._nombres import PEREZOSOS
from .etapas import (
    ETAPAS,
    MODELOS,
    Etapa,
    ModeloDeEtapas,
    convertir_etapa,
    modelo_de_etapas,
    normalizar_etapa,
)
from .modelo import *  # noqa: F403  (its __all__: the course's objects and their examples)
from .persistencia import cargar_respuesta, guardar_respuesta
from .validacion import Comprobacion, Informe, afirmar_correctas, afirmar_valido, comprobar, validar

if TYPE_CHECKING:  # the lazy names, for type checkers and editors (__all__ exports them)
    from .datos import (  # noqa: F401
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
    from .graficos import (  # noqa: F401
        dibujar_cohortes,
        dibujar_embudo,
        dibujar_mapa,
        dibujar_nps,
        dibujar_persona,
        exportar_figura,
    )
    from .metricas import (  # noqa: F401
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
    from .plan import exportar_plan  # noqa: F401
    from .proyecto import MiNegocio, proyecto_ejemplo  # noqa: F401

__version__ = "0.1.0"

__all__ = [
    "ETAPAS",
    "MODELOS",
    "Comprobacion",
    "ErrorCurso",
    "Etapa",
    "Informe",
    "ModeloDeEtapas",
    "afirmar_correctas",
    "afirmar_valido",
    "cargar_respuesta",
    "comprobar",
    "convertir_etapa",
    "guardar_respuesta",
    "modelo_de_etapas",
    "normalizar_etapa",
    "validar",
    "widgets",  # noqa: F405  (a submodule, loaded on first use by __getattr__)
    *modelo.__all__,
    *(nombre for nombres in PEREZOSOS.values() for nombre in nombres),
]


# Heavy parts load on first use (PEP 562): `import cj_course` stays light for scripts, graders and the
# book, and pandas, matplotlib and ipywidgets load only when a name that needs them is used.
_PEREZOSOS = {nombre: f".{modulo}" for modulo, nombres in PEREZOSOS.items() for nombre in nombres}
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
