"""El vocabulario de eventos y canales de los datos del curso, y a qué etapa pertenece cada evento.

Cada fila del registro de eventos dice *quién* (``cliente_id``), *cuándo* (``momento``),
*qué* (``evento``), *por dónde* (``canal``) y *cuánto* (``importe``, solo en compras).
Los nombres de evento son palabras en minúsculas unidas con guion bajo y cada uno pertenece
a una etapa del modelo clásico de seis etapas (:data:`cj_course.etapas.ETAPAS`).

>>> EVENTO_A_ETAPA["agregar_carrito"]
'decision'
>>> etapa_de_evento("Recompra")
'lealtad'
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .._errores import ErrorCurso, exigir_tipo
from .._texto import clave as _simplificar
from .._texto import quisiste_decir
from ..etapas import ETAPAS


@dataclass(frozen=True)
class TipoDeEvento:
    """Un evento del vocabulario: su nombre, la etapa a la que pertenece y qué significa."""

    nombre: str
    etapa: str
    descripcion: str
    tiene_importe: bool = False


# Listed in journey order: the generator, the documentation and the funnels follow this order.
# One row per event: its name, its stage and what it means.
_FILAS: tuple[tuple[str, str, str], ...] = (
    # Conciencia
    ("anuncio_visto", "conciencia", "Vio un anuncio en redes sociales o en el buscador."),
    ("contenido_descargado", "conciencia", "Descargó una guía, un e-book o un caso de éxito (B2B)."),
    ("webinar", "conciencia", "Asistió a un webinar o a una feria del sector (B2B)."),
    ("visita_web", "conciencia", "Llegó al sitio web o a la tienda en línea."),
    ("contacto_creado", "conciencia", "Entró en tu CRM: dejó sus datos o lo registraste tú (HubSpot)."),
    # Consideración
    ("ver_producto", "consideracion", "Abrió la ficha de un producto del catálogo."),
    ("solicitud_demo", "consideracion", "Pidió una demostración del producto (B2B)."),
    ("demo", "consideracion", "Tuvo la demostración con el equipo de ventas (B2B)."),
    ("prueba_gratuita", "consideracion", "Empezó una prueba gratuita (B2B)."),
    # ... and what the tools' own exports bring (cj_course.datos.importar)
    ("page_view", "consideracion", "Vio una página del sitio (evento de GA4, con su nombre de GA4)."),
    ("registro", "consideracion", "Creó una cuenta en el sitio (GA4: sign_up)."),
    ("recibir_correo", "consideracion", "Le llegó un correo de tus campañas (Mailchimp, Klaviyo)."),
    ("abrir_correo", "consideracion", "Abrió un correo de tus campañas."),
    ("clic_correo", "consideracion", "Hizo clic en un enlace de un correo."),
    (
        "lead",
        "consideracion",
        "Se volvió lead: mostró interés y dejó sus datos (HubSpot; GA4: generate_lead).",
    ),
    ("lead_calificado_marketing", "consideracion", "Marketing lo calificó como lead con interés real (MQL)."),
    # Decisión
    ("leer_resenas", "decision", "Leyó las reseñas de otras clientas antes de elegir."),
    ("agregar_carrito", "decision", "Agregó un producto al carrito."),
    ("propuesta", "decision", "Recibió una propuesta comercial con precio (B2B)."),
    ("negociacion", "decision", "Negoció condiciones: precio, plazos, alcance (B2B)."),
    ("lead_calificado_ventas", "decision", "Ventas lo aceptó como posible cliente (SQL, HubSpot)."),
    ("oportunidad", "decision", "Hay una oportunidad de venta abierta con él (HubSpot)."),
    # Compra
    ("inicio_pago", "compra", "Empezó a pagar (abrió el checkout)."),
    ("compra", "compra", "Completó su primera compra."),
    ("contrato", "compra", "Firmó el contrato anual; el importe es su valor anual (B2B)."),
    # Post-compra: it starts with delivery (paying is compra; receiving the order is post-compra).
    # "entrega" stays in this position so the generator and the funnels keep their event order.
    ("entrega", "post_compra", "Recibió su pedido en casa: con la entrega empieza la post-compra."),
    ("correo_bienvenida", "post_compra", "Recibió el correo de bienvenida tras su primera compra."),
    ("onboarding", "post_compra", "Terminó la puesta en marcha del servicio (B2B)."),
    ("ticket_soporte", "post_compra", "Abrió una solicitud de soporte."),
    ("encuesta", "post_compra", "Respondió la encuesta de satisfacción (NPS)."),
    ("resena", "post_compra", "Publicó una reseña del producto."),
    ("reembolso", "post_compra", "Pidió y recibió la devolución de su dinero."),
    ("baja_correo", "post_compra", "Se dio de baja de tus correos: una señal de alerta."),
    ("rebote_correo", "post_compra", "Tu correo no le llegó (dirección inválida o buzón lleno)."),
    ("spam_correo", "post_compra", "Marcó tu correo como spam: una señal de alerta."),
    # Lealtad
    ("recompra", "lealtad", "Volvió a comprar."),
    ("programa_lealtad", "lealtad", "Se inscribió en el programa de lealtad."),
    ("renovacion", "lealtad", "Renovó su contrato anual; el importe es el nuevo valor anual (B2B)."),
    ("ampliacion", "lealtad", "Amplió su contrato (más usuarios o módulos) (B2B)."),
    ("referido", "lealtad", "Recomendó la marca a otra persona o empresa."),
)
# The events that carry an amount: the purchases, the renewals and the upgrades.
_CON_IMPORTE = ("compra", "contrato", "recompra", "renovacion", "ampliacion")
VOCABULARIO: tuple[TipoDeEvento, ...] = tuple(
    TipoDeEvento(nombre, etapa, descripcion, nombre in _CON_IMPORTE) for nombre, etapa, descripcion in _FILAS
)

EVENTOS: dict[str, TipoDeEvento] = {t.nombre: t for t in VOCABULARIO}
"""Los tipos de evento por nombre."""

EVENTO_A_ETAPA: dict[str, str] = {t.nombre: t.etapa for t in VOCABULARIO}
"""Nombre de evento → clave de etapa del modelo clásico."""

EVENTOS_CON_IMPORTE: tuple[str, ...] = tuple(t.nombre for t in VOCABULARIO if t.tiene_importe)

CANALES: dict[str, str] = {
    "instagram": "Anuncios y perfil de Instagram",
    "facebook": "Anuncios y página de Facebook",
    "tiktok": "Videos y anuncios de TikTok",
    "google": "Buscador y anuncios de Google",
    "linkedin": "Publicaciones y anuncios de LinkedIn",
    "web_movil": "Tienda en línea desde el celular",
    "web_escritorio": "Tienda en línea desde la computadora",
    "web": "Sitio web de la empresa",
    "correo": "Correo electrónico",
    "whatsapp": "Mensajes de WhatsApp",
    "paqueteria": "Entrega a domicilio por paquetería",
    "evento": "Ferias, webinars y eventos del sector",
    "videollamada": "Reunión por videollamada con ventas",
    "ejecutivo": "Ejecutivo de cuenta (correo y teléfono)",
    "plataforma": "Dentro de la propia plataforma del producto",
    "referido": "Recomendación de otra persona o empresa",
}
"""Los canales que aparecen en los datos del curso, con su descripción."""

ETIQUETAS: dict[str, str] = {
    "anuncio_visto": "Vio un anuncio",
    "contenido_descargado": "Descargó contenido",
    "webinar": "Webinar",
    "visita_web": "Visita al sitio",
    "ver_producto": "Vio un producto",
    "solicitud_demo": "Pidió una demo",
    "demo": "Demo",
    "prueba_gratuita": "Prueba gratuita",
    "leer_resenas": "Leyó reseñas",
    "agregar_carrito": "Agregó al carrito",
    "propuesta": "Propuesta",
    "negociacion": "Negociación",
    "inicio_pago": "Inició el pago",
    "compra": "Compra",
    "contrato": "Contrato",
    "correo_bienvenida": "Correo de bienvenida",
    "entrega": "Entrega",
    "onboarding": "Onboarding",
    "ticket_soporte": "Ticket de soporte",
    "encuesta": "Encuesta",
    "resena": "Reseña",
    "recompra": "Recompra",
    "programa_lealtad": "Programa de lealtad",
    "renovacion": "Renovación",
    "ampliacion": "Ampliación",
    "referido": "Recomendación",
    "contacto_creado": "Contacto en el CRM",
    "page_view": "Vio una página",
    "registro": "Creó una cuenta",
    "recibir_correo": "Recibió un correo",
    "abrir_correo": "Abrió un correo",
    "clic_correo": "Clic en un correo",
    "lead": "Lead",
    "lead_calificado_marketing": "Lead calificado (marketing)",
    "lead_calificado_ventas": "Lead calificado (ventas)",
    "oportunidad": "Oportunidad de venta",
    "reembolso": "Reembolso",
    "baja_correo": "Baja de los correos",
    "rebote_correo": "Correo rebotado",
    "spam_correo": "Marcó como spam",
}
"""Nombre corto en español de cada evento, para gráficos y tablas."""

_CLAVES_ETAPAS = tuple(e.clave for e in ETAPAS)


def etiqueta_evento(evento: str) -> str:
    """El nombre legible de un evento: ``"agregar_carrito"`` → ``"Agregó al carrito"``.

    Un evento propio que no está en el vocabulario se muestra con espacios en lugar de guiones bajos.

    >>> etiqueta_evento("inicio_pago"), etiqueta_evento("pedido_enviado")
    ('Inició el pago', 'Pedido enviado')
    """
    texto = str(evento)
    if texto in ETIQUETAS:
        return ETIQUETAS[texto]
    limpio = texto.replace("_", " ").strip()
    return limpio[:1].upper() + limpio[1:]


def etapa_de_evento(evento: str) -> str:
    """La clave de la etapa (modelo clásico) a la que pertenece ``evento``.

    Tolera mayúsculas, tildes y espacios: ``"Agregar carrito"`` vale lo mismo que ``"agregar_carrito"``.

    >>> etapa_de_evento("compra")
    'compra'
    """
    exigir_tipo(
        evento,
        str,
        "El nombre del evento debe ser un texto",
        campo="evento",
        pista='Escríbelo entre comillas, por ejemplo "compra".',
    )
    clave = _simplificar(evento)
    if clave in EVENTO_A_ETAPA:
        return EVENTO_A_ETAPA[clave]
    raise ErrorCurso(
        f"El evento '{evento}' no está en el vocabulario del curso.",
        campo="evento",
        pista=f"{quisiste_decir(clave, EVENTO_A_ETAPA, n=3)}Consulta la lista completa en cj_course.datos.VOCABULARIO.",
    )


def agregar_etapa(eventos: pd.DataFrame, mapeo: dict[str, str] | None = None) -> pd.DataFrame:
    """Una copia de ``eventos`` con la columna ``etapa`` (clave de etapa) según el nombre de cada evento.

    ``mapeo`` permite clasificar eventos propios (por ejemplo de tu tienda): se combina con el
    vocabulario del curso y tiene prioridad. Un evento sin etapa conocida es un error, con la lista
    de los que faltan, para que no desaparezcan en silencio de un análisis por etapas.

    >>> import pandas as pd
    >>> ev = pd.DataFrame({"evento": ["visita_web", "compra"]})
    >>> agregar_etapa(ev)["etapa"].tolist()
    ['conciencia', 'compra']
    """
    if not isinstance(eventos, pd.DataFrame) or "evento" not in eventos.columns:
        raise ErrorCurso(
            "Hace falta una tabla de eventos con la columna 'evento'.",
            campo="evento",
            pista="Carga tus datos con cj_course.datos.leer_eventos o usa cargar_datos('zapatos').eventos.",
        )
    mapeo = mapeo or {}
    propias = {
        evento: _simplificar(etapa) if isinstance(etapa, str) else etapa for evento, etapa in mapeo.items()
    }
    invalidas = [evento for evento, clave in propias.items() if clave not in _CLAVES_ETAPAS]
    if invalidas:
        raise ErrorCurso(
            f"El mapeo asigna el evento '{invalidas[0]}' a la etapa '{mapeo[invalidas[0]]}', que no existe.",
            campo="mapeo",
            pista=f"Usa una de estas claves de etapa: {', '.join(_CLAVES_ETAPAS)}.",
        )
    tabla = {**EVENTO_A_ETAPA, **propias}
    nombres = pd.Series(eventos["evento"].unique()).dropna().astype(str)
    faltan = sorted(set(nombres) - set(tabla))
    if faltan:
        raise ErrorCurso(
            f"No sé a qué etapa pertenecen estos eventos: {', '.join(faltan[:8])}"
            + (" …" if len(faltan) > 8 else "")
            + ".",
            campo="evento",
            pista="Pasa un mapeo con su etapa, por ejemplo mapeo={'" + faltan[0] + "': 'consideracion'}.",
        )
    resultado = eventos.copy()
    etapas = resultado["evento"].astype(str).map(tabla)
    resultado["etapa"] = pd.Categorical(etapas, categories=list(_CLAVES_ETAPAS), ordered=True)
    return resultado


def tabla_vocabulario() -> pd.DataFrame:
    """El vocabulario de eventos como tabla: evento, etapa (clave y nombre), etiqueta, descripción y si lleva importe.

    >>> tabla_vocabulario().query("evento == 'compra'")[["etapa", "nombre_etapa"]].values.tolist()
    [['compra', 'Compra']]
    """
    nombres = {e.clave: e.nombre for e in ETAPAS}
    return pd.DataFrame(
        {
            "evento": [t.nombre for t in VOCABULARIO],
            "etapa": [t.etapa for t in VOCABULARIO],
            "nombre_etapa": [nombres[t.etapa] for t in VOCABULARIO],
            "etiqueta": [ETIQUETAS[t.nombre] for t in VOCABULARIO],
            "descripcion": [t.descripcion for t in VOCABULARIO],
            "tiene_importe": [t.tiene_importe for t in VOCABULARIO],
        }
    )
