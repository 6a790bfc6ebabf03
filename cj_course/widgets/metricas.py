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
from ._base import campo_area, campo_texto, campo_varios, cargar
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
    En «Etapas que mide» ofrece las etapas de tu mapa (las de tu proyecto); al guardarse, las métricas y sus
    etapas pasan a tu proyecto. En código: ``llevar_al_proyecto(plan, etapas={"NPS": ["lealtad"]})``.
    """

    tipo = PlanDeMetricas
    del_proyecto = True  # offers your map's stages; each metric says which it measures, in the project
    titulo = "Tus métricas clave"
    instrucciones = (
        "Elige <b>tres métricas</b> para tu negocio y explica cómo medirás cada una y con qué "
        "herramienta. Puedes escribir la tuya o elegir una sugerencia de la lista."
    )
    clave = "metricas"
    nombre_fila = "Métrica"
    plural = "métricas"
    campos_fila = ("metrica", "como", "herramienta")
    filas_por_omision = METRICAS_REQUERIDAS
    obligatorio = "metrica"
    sin_obligatorio = "La métrica {i} no cuenta todavía: falta decir qué métrica es."

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
        # Not a text field (not in campos_fila): the stages go to the project, not into the answer.
        fila["etapas"] = campo_varios(
            "Etapas que mide",
            f"Las etapas de tu mapa que mide la métrica {i} (Ctrl + clic para elegir varias)",
            self._opciones_etapas(),
        )
        return fila

    # -- the stages of your map (from the project) -------------------------------------------
    def _opciones_etapas(self) -> list[tuple[str, str]]:
        from ..proyecto import MiNegocio

        proyecto = self.proyecto if self.proyecto is not None else MiNegocio("Mi negocio")
        return [(proyecto.nombre_etapa(c), c) for c in proyecto.etapas()]

    def _ofrecer_del_proyecto(self, proyecto) -> None:
        opciones = self._opciones_etapas()
        claves = {c for _n, c in opciones}
        for fila in getattr(self, "filas", []):
            elegidas = [c for c in fila["etapas"].value if c in claves]
            if not elegidas and proyecto is not None and fila["metrica"].value.strip():
                elegidas = [c for c in proyecto.etapas_de(fila["metrica"].value) if c in claves]
            fila["etapas"].options = opciones
            fila["etapas"].value = tuple(elegidas)

    def _que_ofrece(self, proyecto) -> str:
        if not proyecto.mapas:
            return "Aún no tiene mapa: las etapas que ves son las seis del curso."
        return "En «Etapas que mide» eliges entre las etapas de tu mapa."

    def _datos_para_el_proyecto(self) -> dict[str, object]:
        return {
            "etapas": {
                fila["metrica"].value.strip(): list(fila["etapas"].value)
                for fila in self.filas
                if fila["metrica"].value.strip() and fila["etapas"].value
            }
        }

    def _leer_estado(self) -> dict[str, object]:
        estado = super()._leer_estado()
        for datos, fila in zip(estado[self.clave], self.filas, strict=True):
            datos["etapas"] = list(fila["etapas"].value)
        return estado

    def _poner_estado(self, estado: dict[str, object]) -> None:
        super()._poner_estado(estado)
        guardadas = estado.get(self.clave) if isinstance(estado, dict) else None
        guardadas = guardadas if isinstance(guardadas, list) else []
        claves = {c for _n, c in self._opciones_etapas()}
        for i, fila in enumerate(self.filas):
            datos = guardadas[i] if i < len(guardadas) and isinstance(guardadas[i], dict) else {}
            etapas = datos.get("etapas")
            if not isinstance(etapas, list) and self.proyecto is not None:
                etapas = self.proyecto.etapas_de(fila["metrica"].value)
            fila["etapas"].value = tuple(c for c in etapas or [] if isinstance(c, str) and c in claves)

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


def cargar_metricas(ejercicio: str, carpeta: Carpeta = None) -> PlanDeMetricas | None:
    """El plan de métricas guardado por :class:`FormularioMetricas`, sin widgets (``None`` si no hay)."""
    return cargar(ejercicio, PlanDeMetricas, carpeta)
