"""Mapas de viaje de los casos de estudio, contados con lo que muestran sus datos.

El mapa corto de una interacción por etapa (María) está en :func:`cj_course.modelo.mapa_ejemplo`.
Aquí están los mapas completos de los dos casos del módulo 6: varias interacciones por etapa,
con los puntos de dolor que los datos de :func:`cj_course.datos.cargar_datos` permiten comprobar
(el pago desde el celular, la entrega en Monterrey, el onboarding lento de NubeStock…).

>>> mapa = mapa_zapatos()
>>> sorted({i.etapa for i in mapa.interacciones}) == sorted(mapa.por_etapa())
True
"""

from __future__ import annotations

from ..modelo import MapaDeViaje, Persona, ejemplo_del_caso


def persona_zapatos() -> Persona:
    """Fernanda, universitaria de Monterrey: la persona del caso Zapatos SA de CV."""
    return ejemplo_del_caso("zapatos", Persona, "Fernanda")


def mapa_zapatos() -> MapaDeViaje:
    """El recorrido completo de una clienta de Zapatos SA de CV (tienda en línea de zapatos para dama).

    ``compra`` es el momento en que paga; la entrega, el primer uso y las devoluciones son ``post_compra``
    (módulo 2).
    """
    return ejemplo_del_caso("zapatos", MapaDeViaje, "Fernanda")


def persona_nubestock() -> Persona:
    """Andrés, jefe de compras de una distribuidora mediana: la persona del caso NubeStock."""
    return ejemplo_del_caso("nubestock", Persona, "Andrés")


def mapa_nubestock() -> MapaDeViaje:
    """El recorrido B2B de una distribuidora que contrata NubeStock (ciclo largo, varias personas)."""
    return ejemplo_del_caso("nubestock", MapaDeViaje, "Andrés")
