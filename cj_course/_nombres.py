"""Los nombres que ``cj_course`` ofrece de sus módulos pesados, que carga al primer uso.

They are written here once, in a module that imports nothing, so that ``import cj_course`` can list
them (``__all__``, ``dir``) and find each one's module without importing pandas or matplotlib. Each of
those modules builds its own ``__all__`` from its entry, adding what only it offers.
"""

PEREZOSOS: dict[str, tuple[str, ...]] = {
    "datos": (
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
    "graficos": (
        "dibujar_cohortes",
        "dibujar_embudo",
        "dibujar_mapa",
        "dibujar_nps",
        "dibujar_persona",
        "exportar_figura",
    ),
    "metricas": (
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
    # The entrepreneur's project and its exported plan (the plan loads matplotlib only when exporting).
    "proyecto": ("MiNegocio", "proyecto_ejemplo"),
    "plan": ("exportar_plan",),
}
"""Módulo → los nombres que ``cj_course`` ofrece de él."""
