"""Formulario de las tres métricas clave: qué medirás, cómo y con qué herramienta.

>>> import tempfile
>>> formulario = FormularioMetricas("m5_metricas", carpeta=tempfile.mkdtemp())
>>> formulario.metricas[0]["metrica"].value = "Tasa de conversión"
>>> formulario.metricas[0]["herramienta"].value = "Google Analytics"
>>> formulario.respuesta.metricas[0].herramienta
'Google Analytics'
"""

from __future__ import annotations

import ipywidgets as widgets

from ..modelo import MetricaElegida, PlanDeMetricas
from ..persistencia import Carpeta
from ..validacion import METRICAS_REQUERIDAS
from ._base import campo_area, campo_texto, cargar
from ._filas import FormularioDeFilas

# Suggestions only: the student may type any other metric or tool.
METRICAS_SUGERIDAS = {
    "Tasa de conversión": "visitantes que compran ÷ visitantes × 100, cada mes",
    "Tasa de retención": "((clientes al final − nuevos) ÷ clientes al inicio) × 100",
    "Net Promoter Score (NPS)": "% promotores (9-10) − % detractores (0-6) en una encuesta",
    "Tasa de abandono (churn)": "clientes que se van ÷ clientes al inicio del periodo × 100",
    "Satisfacción del cliente (CSAT)": "% de respuestas 4-5 en una encuesta tras la compra",
    "Esfuerzo del cliente (CES)": "promedio de «¿qué tan fácil fue…?» tras una gestión",
    "Valor medio del pedido": "ingresos ÷ número de pedidos",
    "Tiempo hasta la conversión": "días entre la primera visita y la primera compra",
    "Tasa de abandono del carrito": "carritos sin pagar ÷ carritos creados × 100",
}
HERRAMIENTAS_SUGERIDAS = [
    "Google Analytics",
    "CRM (HubSpot, Salesforce…)",
    "Plataforma de comercio electrónico (Shopify…)",
    "Plataforma de correo (Mailchimp…)",
    "Encuestas (Google Forms, Typeform…)",
    "Hoja de cálculo",
]


class FormularioMetricas(FormularioDeFilas[PlanDeMetricas, MetricaElegida]):
    """Tres métricas (o ``n``) con cómo medirlas y con qué herramienta.

    ``formulario.respuesta`` es el :class:`~cj_course.PlanDeMetricas` con las métricas que tienen nombre.
    """

    tipo = PlanDeMetricas
    titulo = "Tus métricas clave"
    instrucciones = (
        "Elige <b>tres métricas</b> para tu negocio y explica cómo medirás cada una y con qué "
        "herramienta. Puedes escribir la tuya o elegir una sugerencia de la lista."
    )
    clave = "metricas"
    nombre_fila = "Métrica"
    plural = "métricas"
    campos_fila = ("metrica", "como", "herramienta")
    obligatorio = "metrica"
    sin_obligatorio = "La métrica {i} no cuenta todavía: falta decir qué métrica es."

    def __init__(
        self, ejercicio: str, *, n: int = METRICAS_REQUERIDAS, carpeta: Carpeta = None, **kwargs: object
    ) -> None:
        super().__init__(ejercicio, n=n, carpeta=carpeta, **kwargs)

    @property
    def metricas(self) -> list[dict[str, widgets.Widget]]:
        """Los controles de cada métrica: ``formulario.metricas[0]["herramienta"]``."""
        return self.filas

    def _crear_fila(self, i: int) -> dict[str, widgets.Widget]:
        fila = {
            "metrica": campo_texto(
                f"Métrica {i}",
                f"Qué medirás (métrica {i}); escribe o elige una sugerencia",
                "por ejemplo: Tasa de conversión",
                opciones=list(METRICAS_SUGERIDAS),
            ),
            "como": campo_area(
                "Cómo la medirás",
                f"El cálculo o los eventos que cuentas para la métrica {i}",
                "compras ÷ visitas × 100, cada semana",
            ),
            "herramienta": campo_texto(
                "Herramienta",
                f"Con qué herramienta medirás la métrica {i}",
                "por ejemplo: Google Analytics",
                opciones=HERRAMIENTAS_SUGERIDAS,
            ),
        }
        fila["metrica"].observe(lambda _cambio: self._sugerir_como(fila), names="value")
        return fila

    def _sugerir_como(self, fila: dict[str, widgets.Widget]) -> None:
        """A known metric shows its usual formula as the example of «Cómo la medirás»."""
        fila["como"].placeholder = METRICAS_SUGERIDAS.get(
            fila["metrica"].value.strip(), "compras ÷ visitas × 100, cada semana"
        )

    @classmethod
    def _elemento(cls, textos: dict[str, str]) -> MetricaElegida:
        return MetricaElegida(
            textos["metrica"], como=textos["como"] or None, herramienta=textos["herramienta"] or None
        )

    @classmethod
    def _textos(cls, elemento: MetricaElegida) -> dict[str, str]:
        return {
            "metrica": elemento.metrica,
            "como": elemento.como or "",
            "herramienta": elemento.herramienta or "",
        }

    @classmethod
    def _juntar(cls, elementos: list[MetricaElegida]) -> PlanDeMetricas:
        return PlanDeMetricas(elementos)

    @classmethod
    def _elementos(cls, respuesta: PlanDeMetricas) -> list[MetricaElegida]:
        return respuesta.metricas


def cargar_metricas(ejercicio: str, carpeta: Carpeta = None) -> PlanDeMetricas | None:
    """El plan de métricas guardado por :class:`FormularioMetricas`, sin widgets (``None`` si no hay)."""
    return cargar(ejercicio, PlanDeMetricas, carpeta)
