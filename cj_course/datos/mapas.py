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

from ..modelo import Interaccion, MapaDeViaje, Persona


def persona_zapatos() -> Persona:
    """Fernanda, universitaria de Monterrey: la persona del caso Zapatos SA de CV."""
    return Persona(
        "Fernanda",
        edad=21,
        ocupacion="Estudiante de diseño gráfico",
        ubicacion="Monterrey",
        intereses=["moda", "TikTok", "conciertos"],
        objetivos=["estrenar tenis para el semestre sin gastar de más"],
        desafios=[
            "compra todo desde el celular y le desespera que el pago falle",
            "los envíos a su ciudad tardan",
        ],
        canales=["TikTok", "Instagram", "WhatsApp"],
        segmento="Universitarias",
        cita="Si la paquetería no me dice cuándo llega, ya no vuelvo a pedir.",
    )


def mapa_zapatos() -> MapaDeViaje:
    """El recorrido completo de una clienta de Zapatos SA de CV (tienda en línea de zapatos para dama)."""
    return MapaDeViaje(
        objetivo="Encontrar por qué tantas clientas que empiezan a pagar desde el celular no terminan la compra "
        "y qué las hace volver",
        persona=persona_zapatos(),
        interacciones=[
            Interaccion(
                "conciencia",
                "TikTok",
                "Ve un video de una influencer con los tenis blancos",
                "¡Los quiero para el semestre!",
                2,
                [],
                ["Código de descuento de la influencer"],
            ),
            Interaccion(
                "conciencia",
                "Instagram",
                "Le aparece un anuncio de la misma marca dos días después",
                "Otra vez esos tenis…",
                0,
                ["Anuncios repetidos"],
                ["Limitar la frecuencia de anuncios"],
            ),
            Interaccion(
                "consideracion",
                "Tienda en línea (celular)",
                "Entra desde el anuncio y mira tres modelos",
                "¿Cuál combina con todo?",
                1,
                ["Fotos lentas de cargar en datos móviles"],
                ["Imágenes ligeras", "Filtro por estilo"],
            ),
            Interaccion(
                "consideracion",
                "WhatsApp",
                "Pregunta si hay talla 24 en blanco",
                "Ojalá me contesten rápido",
                0,
                ["La respuesta tarda medio día"],
                ["Respuestas automáticas con inventario por talla"],
            ),
            Interaccion(
                "decision",
                "Reseñas",
                "Lee reseñas de otras clientas y compara con otra tienda",
                "Dicen que tallan grande",
                1,
                ["Pocas reseñas con fotos"],
                ["Pedir fotos en las reseñas", "Guía de tallas"],
            ),
            Interaccion(
                "decision",
                "Carrito",
                "Agrega los tenis al carrito y ve el costo de envío",
                "¿Envío de 150 pesos?",
                -1,
                ["Costo de envío visible hasta el final"],
                ["Envío gratis desde cierto monto, anunciado desde la ficha"],
            ),
            Interaccion(
                "compra",
                "Pago desde el celular",
                "Intenta pagar; el formulario se traba dos veces",
                "Me rindo, lo intento luego",
                -2,
                ["Formulario de pago largo en móvil", "Error al validar la tarjeta"],
                ["Pago en un clic", "Pago con tiendas de conveniencia"],
            ),
            Interaccion(
                "compra",
                "Computadora",
                "Termina la compra por la noche desde la laptop",
                "Por fin",
                0,
                ["Tuvo que cambiar de dispositivo"],
                ["Guardar el carrito entre dispositivos"],
            ),
            # `compra` is the moment she pays; delivery, first use and returns are `post_compra` (module 2).
            Interaccion(
                "post_compra",
                "Paquetería",
                "Espera ocho días el paquete en Monterrey, sin guía de rastreo",
                "¿Y mis tenis?",
                -2,
                ["Entrega lenta en Monterrey", "Sin aviso de entrega"],
                ["Otra paquetería para el norte", "Rastreo por WhatsApp"],
            ),
            Interaccion(
                "post_compra",
                "Correo electrónico",
                "Recibe el correo de bienvenida con 10 % para la segunda compra",
                "¡Qué detalle!",
                1,
                [],
                ["Recomendaciones según lo que compró"],
            ),
            Interaccion(
                "post_compra",
                "Encuesta",
                "Contesta la encuesta: 6 de 10",
                "Bonitos, pero tardaron",
                -1,
                [],
                ["Llamar a los detractores"],
            ),
            Interaccion(
                "lealtad",
                "Programa de lealtad",
                "Usa el cupón del correo y se une al programa de puntos",
                "Ya conozco mi talla aquí",
                1,
                ["Puntos difíciles de consultar"],
                ["Puntos visibles en la app", "Acceso anticipado a lanzamientos"],
            ),
        ],
    )


def persona_nubestock() -> Persona:
    """Andrés, jefe de compras de una distribuidora mediana: la persona del caso NubeStock."""
    return Persona(
        "Andrés",
        edad=41,
        ocupacion="Jefe de compras de una distribuidora de alimentos",
        ubicacion="Medellín",
        intereses=["eficiencia operativa", "tecnología para pymes"],
        objetivos=["dejar de llevar el inventario en hojas de cálculo", "evitar quiebres de stock"],
        desafios=["convencer a su gerente y a finanzas", "migrar diez años de datos"],
        canales=["LinkedIn", "correo", "ferias del sector"],
        segmento="Mediana",
        cita="No compro software que mi equipo no va a usar.",
    )


def mapa_nubestock() -> MapaDeViaje:
    """El recorrido B2B de una distribuidora que contrata NubeStock (ciclo largo, varias personas)."""
    return MapaDeViaje(
        objetivo="Acortar el ciclo de venta y asegurar la renovación del contrato anual",
        persona=persona_nubestock(),
        interacciones=[
            Interaccion(
                "conciencia",
                "LinkedIn",
                "Ve un caso de éxito de otra distribuidora",
                "Eso nos pasa a nosotros",
                1,
                [],
                ["Casos por sector"],
            ),
            Interaccion(
                "conciencia",
                "Webinar",
                "Asiste a un webinar sobre quiebres de stock",
                "Buenos datos",
                1,
                [],
                ["Grabación y resumen por correo"],
            ),
            Interaccion(
                "consideracion",
                "Sitio web",
                "Descarga la guía y pide una demostración",
                "A ver si es para nosotros",
                0,
                ["Formulario con demasiados campos"],
                ["Agenda en línea"],
            ),
            Interaccion(
                "consideracion",
                "Videollamada",
                "Tiene la demo con su equipo y empieza la prueba gratuita",
                "Se ve fácil",
                2,
                [],
                ["Datos de ejemplo de su sector en la prueba"],
            ),
            Interaccion(
                "decision",
                "Ejecutivo de cuenta",
                "Recibe la propuesta y negocia el precio con finanzas",
                "Finanzas pide descuento",
                -1,
                ["Propuesta difícil de comparar"],
                ["Calculadora de retorno de inversión"],
            ),
            Interaccion(
                "compra",
                "Contrato",
                "Firma el contrato anual en línea",
                "Listo, a implementar",
                1,
                ["Firma con tres aprobaciones"],
                ["Firma electrónica"],
            ),
            Interaccion(
                "post_compra",
                "Onboarding",
                "La migración de datos tarda dos meses",
                "¿Hicimos bien?",
                -2,
                ["Onboarding lento", "Un solo consultor para muchas cuentas"],
                ["Plan de arranque de 30 días", "Importador de hojas de cálculo"],
            ),
            Interaccion(
                "post_compra",
                "Soporte",
                "Abre tickets durante el arranque",
                "Me responden tarde",
                -1,
                ["Tiempo de respuesta de días"],
                ["Chat en la plataforma"],
            ),
            Interaccion(
                "lealtad",
                "Ejecutivo de cuenta",
                "Revisa resultados a los 11 meses y decide la renovación",
                "Bajaron los quiebres de stock",
                1,
                ["Nadie le mostró los resultados antes"],
                ["Reporte trimestral de resultados", "Descuento por renovación anticipada"],
            ),
        ],
    )
