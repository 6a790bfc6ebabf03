"""Etapas del customer journey y los modelos de etapas que usa el curso.

El modelo por defecto (``"clasico"``) tiene seis etapas: conciencia, consideración, decisión,
compra, post-compra y lealtad. Las fuentes del curso usan además otros dos modelos, y aquí
están con su equivalencia hacia el clásico.

La compra es el momento en que el cliente paga; la entrega (el envío y la llegada del pedido)
ya es post-compra, también cuando se traduce la etapa de entrega del modelo para emprendedores.

>>> [e.nombre for e in ETAPAS]
['Conciencia', 'Consideración', 'Decisión', 'Compra', 'Post-compra', 'Lealtad']
>>> normalizar_etapa("  POST compra ")
'post_compra'
>>> convertir_etapa("prospeccion", desde="spark")
('conciencia',)
>>> convertir_etapa("entrega", desde="spark")
('post_compra',)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._errores import ErrorCurso
from ._texto import clave as _simplificar


@dataclass(frozen=True)
class Etapa:
    """Una etapa del recorrido: su clave (sin tildes), su nombre, qué ocurre en ella y canales típicos."""

    clave: str
    nombre: str
    descripcion: str
    canales: tuple[str, ...] = ()
    pregunta: str = ""


@dataclass(frozen=True)
class ModeloDeEtapas:
    """Un modelo de etapas con su fuente y, para cada etapa, las etapas equivalentes del modelo clásico."""

    clave: str
    nombre: str
    fuente: str
    etapas: tuple[Etapa, ...]
    equivalencias: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def claves(self) -> tuple[str, ...]:
        return tuple(e.clave for e in self.etapas)

    def etapa(self, texto: str) -> Etapa:
        """La etapa de este modelo que corresponde a ``texto`` (tolera tildes, mayúsculas y guiones)."""
        clave = normalizar_etapa(texto)
        for etapa in self.etapas:
            if etapa.clave == clave:
                return etapa
        nombres = ", ".join(e.nombre for e in self.etapas)
        raise _error_de_etapa(
            f"La etapa '{texto}' no forma parte del modelo '{self.nombre}'.",
            f"Usa una de estas etapas: {nombres}.",
        )


def _error_de_etapa(mensaje: str, pista: str) -> ErrorCurso:
    """The error for a stage the course cannot read: it always points at the ``etapa`` field."""
    return ErrorCurso(mensaje, campo="etapa", pista=pista)


# One row per stage: clave, nombre, what happens in it, typical channels and the question that guides it.
# fmt: off
_CLASICAS: tuple[tuple[str, str, str, tuple[str, ...], str], ...] = (
    ("conciencia", "Conciencia", "La persona descubre que tiene una necesidad y se topa con tu marca por primera vez.", ("redes sociales", "anuncios digitales", "blogs", "videos", "eventos", "webinars", "anuncios impresos"), "¿Dónde se entera de que existes?"),
    ("consideracion", "Consideración", "Investiga opciones: compara tu propuesta de valor con la de otras marcas.", ("sitio web", "redes sociales", "tienda física", "prueba gratuita", "versión freemium", "videos"), "¿Qué información busca para entender si le sirves?"),
    ("decision", "Decisión", "Elige entre las alternativas: lee reseñas, compara precios y resuelve sus últimas dudas.", ("reseñas", "comparadores", "chat de ventas", "demostraciones", "testimonios"), "¿Qué le falta para elegirte a ti?"),
    ("compra", "Compra", "Paga: elige cómo, completa el pago (checkout) y recibe la confirmación; cada fricción aquí cuesta ventas.", ("tienda en línea", "tienda física", "distribuidores", "llamadas", "visitas comerciales"), "¿Qué tan fácil y seguro es pagar?"),
    ("post_compra", "Post-compra", "Recibe su pedido, lo usa, pide ayuda si la necesita y valora su experiencia.", ("mensajería", "correo electrónico", "servicio al cliente", "chat", "encuestas", "reseñas", "garantías"), "¿Llegó como prometiste y cumple lo que esperaba?"),
    ("lealtad", "Lealtad", "Vuelve a comprar, se une a un programa de fidelidad y recomienda la marca.", ("programa de lealtad", "ofertas exclusivas", "comunidad", "referidos", "boletín"), "¿Por qué volvería y te recomendaría?"),
)
_ETAPAS_CLASICAS = tuple(Etapa(*fila) for fila in _CLASICAS)
_CONCIENCIA, _CONSIDERACION, _DECISION, _COMPRA, _POST_COMPRA, _LEALTAD = _ETAPAS_CLASICAS

# The other two models: their own stages (no guiding question) and, for each, its classic equivalents.
_SPARK: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("prospeccion", "Prospección", "Haces saber a tu segmento que existes y consigues prospectos (leads).", ("blogs", "videos", "anuncios digitales", "anuncios impresos", "redes sociales", "eventos", "webinars"), ("conciencia",)),
    ("evaluacion", "Evaluación", "Comunicas tu propuesta de valor y por qué eres la mejor solución.", ("página web", "redes sociales", "tienda física", "prueba gratuita", "versión freemium", "videos"), ("consideracion", "decision")),
    ("compra", "Compra", "Facilitas la transacción: cada complicación puede hacer que desista.", ("tiendas físicas", "tiendas virtuales", "páginas web", "distribuidores", "visitas", "llamadas"), ("compra",)),
    ("entrega", "Entrega", "Demuestras tu valor entregando el producto o servicio como se prometió.", ("entrega virtual", "servicio a domicilio", "puntos de venta", "mensajería", "correo"), ("post_compra",)),
    ("post_compra", "Post-compra", "Abres canales de servicio, resuelves dudas, vendes de nuevo y consigues referencias.", ("servicio al cliente", "correos", "encuestas", "entrevistas", "visitas", "reseñas"), ("post_compra", "lealtad")),
)
_ACCION = Etapa("accion", "Acción", "Compra y empieza a usar el producto: la relación apenas comienza.", ("tienda en línea", "tienda física", "onboarding", "correo de bienvenida"))
# fmt: on

CLASICO = ModeloDeEtapas(
    "clasico",
    "Seis etapas (clásico)",
    "Índice del curso: conciencia, consideración, decisión, compra, post-compra y lealtad.",
    _ETAPAS_CLASICAS,
    {e.clave: (e.clave,) for e in _ETAPAS_CLASICAS},
)
SPARK = ModeloDeEtapas(
    "spark",
    "Cinco etapas para emprendedores",
    "Programa Spark para emprendedores: prospección, evaluación, compra, entrega y post-compra.",
    tuple(Etapa(clave, nombre, descripcion, canales) for clave, nombre, descripcion, canales, _ in _SPARK),
    {fila[0]: fila[-1] for fila in _SPARK},
)
ACCION = ModeloDeEtapas(
    "accion",
    "Cinco fases con acción",
    "Fases descritas en la fuente sobre la importancia del customer journey: conciencia, "
    "consideración, decisión, acción y lealtad.",
    (_CONCIENCIA, _CONSIDERACION, _DECISION, _ACCION, _LEALTAD),
    {
        "conciencia": ("conciencia",),
        "consideracion": ("consideracion",),
        "decision": ("decision",),
        "accion": ("compra", "post_compra"),
        "lealtad": ("lealtad",),
    },
)

MODELOS: dict[str, ModeloDeEtapas] = {m.clave: m for m in (CLASICO, SPARK, ACCION)}
ETAPAS: tuple[Etapa, ...] = CLASICO.etapas

# Spellings students type, mapped to the keys; built from every model so "Prospección" works too.
_SINONIMOS = {
    "awareness": "conciencia",
    "consciencia": "conciencia",
    "descubrimiento": "conciencia",
    "consideration": "consideracion",
    "considera": "consideracion",
    "investigacion": "consideracion",
    "decision": "decision",
    "eleccion": "decision",
    "purchase": "compra",
    "transaccion": "compra",
    "postcompra": "post_compra",
    "posventa": "post_compra",
    "postventa": "post_compra",
    "retention": "lealtad",
    "loyalty": "lealtad",
    "fidelizacion": "lealtad",
    "fidelidad": "lealtad",
    "retencion": "lealtad",
}


def _todas_las_claves() -> dict[str, str]:
    claves = {}
    for modelo in MODELOS.values():
        for etapa in modelo.etapas:
            claves[etapa.clave] = etapa.clave
            claves[_simplificar(etapa.nombre)] = etapa.clave
    for alias, clave in _SINONIMOS.items():
        claves[alias] = clave
    claves["post_compra"] = "post_compra"
    return claves


_CLAVES = _todas_las_claves()


def normalizar_etapa(texto: object) -> str:
    """La clave de una etapa escrita de cualquier forma razonable.

    >>> normalizar_etapa("Consideración")
    'consideracion'
    """
    if not isinstance(texto, str):
        raise _error_de_etapa(
            f"La etapa debe ser un texto, no {type(texto).__name__}.",
            'Escribe el nombre de la etapa entre comillas, por ejemplo "conciencia".',
        )
    simple = _simplificar(texto)
    if not simple:
        raise _error_de_etapa("Falta la etapa.", 'Elige una etapa, por ejemplo "conciencia".')
    clave = _CLAVES.get(simple) or _CLAVES.get(simple.replace("_", ""))
    if clave is None:
        nombres = ", ".join(e.nombre for e in ETAPAS)
        raise _error_de_etapa(
            f"No reconozco la etapa '{texto}'.", f"Usa una de las etapas del curso: {nombres}."
        )
    return clave


def modelo_de_etapas(nombre: str = "clasico") -> ModeloDeEtapas:
    """El modelo de etapas llamado ``nombre`` (``"clasico"``, ``"spark"`` o ``"accion"``)."""
    if isinstance(nombre, ModeloDeEtapas):
        return nombre
    if not isinstance(nombre, str) or _simplificar(nombre) not in MODELOS:
        raise ErrorCurso(
            f"No existe el modelo de etapas '{nombre}'.",
            campo="modelo",
            pista=f"Usa uno de estos: {', '.join(MODELOS)}.",
        )
    return MODELOS[_simplificar(nombre)]


def convertir_etapa(etapa: str, desde: str = "clasico", hacia: str = "clasico") -> tuple[str, ...]:
    """Las etapas del modelo ``hacia`` equivalentes a ``etapa`` del modelo ``desde``.

    La equivalencia pasa por el modelo clásico, así que puede devolver más de una etapa.

    >>> convertir_etapa("accion", desde="accion", hacia="spark")
    ('compra', 'entrega', 'post_compra')
    """
    origen, destino = modelo_de_etapas(desde), modelo_de_etapas(hacia)
    clasicas = origen.equivalencias[origen.etapa(etapa).clave]
    resultado = [clave for clave in destino.claves() if set(destino.equivalencias[clave]) & set(clasicas)]
    return tuple(resultado)
