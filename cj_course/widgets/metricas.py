"""Formulario de las tres métricas clave: qué medirás, cómo y con qué herramienta.

>>> import tempfile
>>> formulario = FormularioMetricas("m5_metricas", carpeta=tempfile.mkdtemp())
>>> formulario.metricas[0]["metrica"].value = "Tasa de conversión"
>>> formulario.metricas[0]["herramienta"].value = "Google Analytics"
>>> formulario.respuesta.metricas[0].herramienta
'Google Analytics'
"""

from __future__ import annotations

import os

import ipywidgets as widgets

from .._errores import ErrorCurso
from ..modelo import MetricaElegida, PlanDeMetricas
from ..validacion import METRICAS_REQUERIDAS
from ._base import Formulario, campo_area, campo_texto, cargar, encabezado, texto_de, vacio

_CAMPOS = ("metrica", "como", "herramienta")

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
    "Google Analytics", "CRM (HubSpot, Salesforce…)", "Plataforma de comercio electrónico (Shopify…)",
    "Plataforma de correo (Mailchimp…)", "Encuestas (Google Forms, Typeform…)", "Hoja de cálculo",
]


class FormularioMetricas(Formulario):
    """Tres métricas (o ``n``) con cómo medirlas y con qué herramienta.

    ``formulario.respuesta`` es el :class:`~cj_course.PlanDeMetricas` con las métricas que tienen nombre.
    """

    tipo = PlanDeMetricas
    titulo = "Tus métricas clave"
    instrucciones = ("Elige <b>tres métricas</b> para tu negocio y explica cómo medirás cada una y con qué "
                     "herramienta. Puedes escribir la tuya o elegir una sugerencia de la lista.")

    def __init__(self, ejercicio: str, *, n: int = METRICAS_REQUERIDAS, carpeta: str | os.PathLike | None = None,
                 **kwargs):
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 10:
            raise ErrorCurso("El número de métricas debe ser un entero entre 1 y 10.", campo="n",
                             pista="Por ejemplo n=3.")
        self._n = n
        super().__init__(ejercicio, carpeta=carpeta, **kwargs)

    def _crear_hueco(self, i: int) -> dict[str, widgets.Widget]:
        hueco = {
            "metrica": campo_texto(f"Métrica {i}", f"Qué medirás (métrica {i}); escribe o elige una sugerencia",
                                   "por ejemplo: Tasa de conversión", opciones=list(METRICAS_SUGERIDAS)),
            "como": campo_area("Cómo la medirás", f"El cálculo o los eventos que cuentas para la métrica {i}",
                               "compras ÷ visitas × 100, cada semana"),
            "herramienta": campo_texto("Herramienta", f"Con qué herramienta medirás la métrica {i}",
                                       "por ejemplo: Google Analytics", opciones=HERRAMIENTAS_SUGERIDAS),
        }
        hueco["metrica"].observe(lambda cambio, h=hueco: self._sugerir_como(h), names="value")
        self._vigilar(*hueco.values())
        return hueco

    def _sugerir_como(self, hueco) -> None:
        """A known metric shows its usual formula as the example of «Cómo la medirás»."""
        hueco["como"].placeholder = METRICAS_SUGERIDAS.get(hueco["metrica"].value.strip(),
                                                           "compras ÷ visitas × 100, cada semana")

    def _crear_controles(self):
        self.metricas: list[dict[str, widgets.Widget]] = []
        self._caja = widgets.VBox()
        self._asegurar_huecos(self._n)
        return [self._caja]

    def _asegurar_huecos(self, n: int) -> None:
        while len(self.metricas) < n:
            self.metricas.append(self._crear_hueco(len(self.metricas) + 1))
        self._caja.children = [
            widgets.VBox([encabezado(f"Métrica {i}"), *hueco.values()],
                         layout=widgets.Layout(border="1px solid #ddd", padding="4px 8px", margin="4px 0"))
            for i, hueco in enumerate(self.metricas, start=1)
        ]

    def _leer_estado(self) -> dict:
        return {"metricas": [{campo: hueco[campo].value for campo in _CAMPOS} for hueco in self.metricas]}

    def _poner_estado(self, estado: dict) -> None:
        guardadas = estado.get("metricas") if isinstance(estado, dict) else None
        guardadas = [g for g in guardadas if isinstance(g, dict)] if isinstance(guardadas, list) else []
        self._asegurar_huecos(max(self._n, len(guardadas)))
        for i, hueco in enumerate(self.metricas):
            datos = guardadas[i] if i < len(guardadas) else {}
            for campo in _CAMPOS:
                hueco[campo].value = texto_de(datos, campo)

    @classmethod
    def construir(cls, estado: dict):
        huecos = estado.get("metricas", []) if isinstance(estado, dict) else []
        metricas, notas, algo = [], [], False
        for i, datos in enumerate(huecos if isinstance(huecos, list) else [], start=1):
            textos = {campo: texto_de(datos, campo) for campo in _CAMPOS}
            if vacio(*textos.values()):
                continue
            algo = True
            if vacio(textos["metrica"]):
                notas.append(f"La métrica {i} no cuenta todavía: falta decir qué métrica es.")
                continue
            metricas.append(MetricaElegida(textos["metrica"], como=textos["como"] or None,
                                           herramienta=textos["herramienta"] or None))
        return (PlanDeMetricas(metricas) if algo else None), notas

    @classmethod
    def estado_de(cls, plan: PlanDeMetricas) -> dict:
        return {"metricas": [{"metrica": m.metrica, "como": m.como or "", "herramienta": m.herramienta or ""}
                             for m in plan.metricas]}


def cargar_metricas(ejercicio: str, carpeta: str | os.PathLike | None = None) -> PlanDeMetricas | None:
    """El plan de métricas guardado por :class:`FormularioMetricas`, sin widgets (``None`` si no hay)."""
    return cargar(ejercicio, PlanDeMetricas, carpeta)
