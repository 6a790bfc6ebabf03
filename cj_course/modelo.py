"""El modelo del curso: segmentos, personas, interacciones, mapas de viaje, correos y métricas.

Cada clase valida lo que recibe al construirse (tipos, textos vacíos, rangos) y lanza
:class:`~cj_course.ErrorCurso` con un mensaje en español. Lo que es *incompleto* pero
válido (una persona con pocas características, un mapa con etapas vacías) se construye
sin error: eso lo dice :func:`cj_course.validar`, con pistas.

>>> maria = Persona("María", edad=28, ocupacion="Ingeniera de software",
...                 intereses=["tecnología", "viajes", "fitness"],
...                 desafios=["poco tiempo libre por su horario"])
>>> Persona.desde_json(maria.a_json()) == maria
True
"""

from __future__ import annotations

import functools
import inspect
import json
import os
import re
import string
from collections.abc import Mapping
from dataclasses import Field, dataclass, field, fields
from typing import Any, ClassVar, Literal, Self, TypeVar, dataclass_transform, overload

from ._errores import ErrorCurso
from ._texto import quisiste_decir
from .etapas import ModeloDeEtapas, modelo_de_etapas, normalizar_etapa

# What cj_course offers from here: the course's objects, their examples and reading them back (the
# como_* helpers and ObjetoDelCurso are for the library's own modules).
__all__ = [
    "CLIENTES_DE_EJEMPLO",
    "Clasificacion",
    "CorreoBienvenida",
    "Interaccion",
    "MapaDeViaje",
    "MetricaElegida",
    "Persona",
    "PlanDeMetricas",
    "RespuestasCuestionario",
    "Segmentacion",
    "Segmento",
    "desde_json",
    "mapa_ejemplo",
    "persona_ejemplo",
]

VERSION_FORMATO = 1
EDAD_MAXIMA = 120

# Three customers of the course's shoe shop, to preview and check personalised e-mails.
CLIENTES_DE_EJEMPLO: tuple[dict[str, str], ...] = (
    {
        "nombre": "María",
        "apellido": "López",
        "ciudad": "Guadalajara",
        "producto": "botines",
        "segmento": "Profesionistas urbanas",
        "canal": "Instagram",
    },
    {
        "nombre": "Fernanda",
        "apellido": "Ruiz",
        "ciudad": "Monterrey",
        "producto": "tenis blancos",
        "segmento": "Universitarias",
        "canal": "TikTok",
    },
    {
        "nombre": "Lucía",
        "apellido": "Hernández",
        "ciudad": "CDMX",
        "producto": "zapatillas de tacón",
        "segmento": "Mamás trabajadoras",
        "canal": "Facebook",
    },
)

_TIPOS: dict[str, type[ObjetoDelCurso]] = {}
M = TypeVar("M", bound="ObjetoDelCurso")


# --- coercion of field values -------------------------------------------------------------


def _nombre_tipo(valor: object) -> str:
    return {
        str: "texto",
        int: "número entero",
        float: "número decimal",
        bool: "verdadero/falso",
        list: "lista",
        tuple: "lista",
        dict: "diccionario",
        type(None): "nada (None)",
    }.get(type(valor), type(valor).__name__)


@overload
def como_texto(valor: object, campo: str, *, requerido: Literal[True]) -> str: ...
@overload
def como_texto(valor: object, campo: str, *, requerido: bool) -> str | None: ...
def como_texto(valor: object, campo: str, *, requerido: bool) -> str | None:
    if valor is None:
        if requerido:
            raise ErrorCurso(
                f"Falta el campo '{campo}'.", campo=campo, pista="Escribe un texto, no lo dejes vacío."
            )
        return None
    if not isinstance(valor, str):
        raise ErrorCurso(
            f"El campo '{campo}' debe ser un texto, pero recibió {_nombre_tipo(valor)}.",
            campo=campo,
            pista='Escribe el valor entre comillas, por ejemplo "Instagram".',
        )
    limpio = valor.strip()
    if "\x00" in limpio:
        raise ErrorCurso(
            f"El campo '{campo}' contiene caracteres no válidos.",
            campo=campo,
            pista="Escribe el texto de nuevo, sin caracteres de control.",
        )
    if not limpio:
        if requerido:
            raise ErrorCurso(f"El campo '{campo}' está vacío.", campo=campo, pista="Escribe algo en él.")
        return None
    return limpio


def como_lista(valor: object, *, campo: str, mensaje: str, pista: str) -> list[Any]:
    """``valor`` as a list: ``None`` is an empty one and a tuple is copied; anything else is the error
    ``mensaje``, said the way the caller's field needs (every list a student gives is checked here)."""
    if valor is None:
        return []
    if not isinstance(valor, list | tuple):
        raise ErrorCurso(mensaje, campo=campo, pista=pista)
    return list(valor)


def cada_elemento(
    lista: list[Any], tipo: type | tuple[type, ...], *, campo: str, mensaje: str, pista: str
) -> list[Any]:
    """``lista`` once every element is a ``tipo``; else the error ``mensaje``, where ``{i}`` is the
    element's number (from 1) and ``{tipo}`` what it is."""
    for i, elemento in enumerate(lista, start=1):
        if not isinstance(elemento, tipo):
            raise ErrorCurso(mensaje.format(i=i, tipo=_nombre_tipo(elemento)), campo=campo, pista=pista)
    return lista


def como_diccionario(valor: object, *, campo: str, mensaje: str, pista: str) -> Mapping[Any, Any]:
    """``valor`` as a dict: ``None`` is an empty one; anything that is not a mapping is the error ``mensaje``."""
    if valor is None:
        return {}
    if not isinstance(valor, Mapping):
        raise ErrorCurso(mensaje, campo=campo, pista=pista)
    return valor


def como_lista_de_textos(valor: object, campo: str) -> list[str]:
    """A list of texts; a single text is split on commas, semicolons and new lines (how forms send it)."""
    if isinstance(valor, str):
        partes: list[Any] = re.split(r"[,;\n]", valor)
    else:
        partes = como_lista(
            valor,
            campo=campo,
            mensaje=f"El campo '{campo}' debe ser una lista de textos, pero recibió {_nombre_tipo(valor)}.",
            pista='Usa corchetes y comillas, por ejemplo ["tecnología", "viajes"].',
        )
    cada_elemento(
        partes,
        str,
        campo=campo,
        mensaje=f"El elemento {{i}} de '{campo}' debe ser un texto, pero es {{tipo}}.",
        pista="Escribe cada elemento entre comillas.",
    )
    resultado = []
    for parte in partes:
        texto = como_texto(parte, campo, requerido=False)
        if texto is not None:
            resultado.append(texto)
    return resultado


@overload
def _entero(valor: object, campo: str, minimo: int, maximo: int, *, requerido: Literal[True]) -> int: ...
@overload
def _entero(valor: object, campo: str, minimo: int, maximo: int, *, requerido: bool) -> int | None: ...
def _entero(valor: object, campo: str, minimo: int, maximo: int, *, requerido: bool) -> int | None:
    if valor is None and not requerido:
        return None
    if isinstance(valor, float) and valor.is_integer():
        valor = int(valor)
    if isinstance(valor, bool) or not isinstance(valor, int):
        raise ErrorCurso(
            f"El campo '{campo}' debe ser un número entero, pero recibió {_nombre_tipo(valor)}.",
            campo=campo,
            pista=f"Escribe un número entero entre {minimo} y {maximo}, sin comillas.",
        )
    if not minimo <= valor <= maximo:
        raise ErrorCurso(
            f"El campo '{campo}' vale {valor}, fuera del rango permitido.",
            campo=campo,
            pista=f"Usa un número entre {minimo} y {maximo}.",
        )
    return valor


def _limpiar_textos(objeto: object, requeridos: tuple[str, ...], opcionales: tuple[str, ...] = ()) -> None:
    """Checks and trims the text fields of ``objeto`` in place, in order: required ones first."""
    for campo in requeridos:
        setattr(objeto, campo, como_texto(getattr(objeto, campo), campo, requerido=True))
    for campo in opcionales:
        setattr(objeto, campo, como_texto(getattr(objeto, campo), campo, requerido=False))


def como_objetos(valor: object, campo: str, clase: type[M]) -> list[M]:
    lista = como_lista(
        valor,
        campo=campo,
        mensaje=f"El campo '{campo}' debe ser una lista de {clase.__name__}, pero recibió {_nombre_tipo(valor)}.",
        pista=f"Escribe [{clase.__name__}(...), {clase.__name__}(...)].",
    )
    return [como_objeto(v, f"{campo}[{i}]", clase) for i, v in enumerate(lista)]


def como_objeto(valor: object, campo: str, clase: type[M], pista: str | None = None) -> M:
    """``valor`` as a ``clase``: kept if it is one, built if it is its dict (the figures take both too)."""
    if isinstance(valor, clase):
        return valor
    if isinstance(valor, dict):
        return clase.desde_dict(valor)
    raise ErrorCurso(
        f"El campo '{campo}' debe ser un {clase.__name__}, pero recibió {_nombre_tipo(valor)}.",
        campo=campo,
        pista=pista or f"Créalo con {clase.__name__}(...).",
    )


# --- the shared base: friendly constructor errors and JSON round trip ---------------------


# dataclass_transform: type checkers see each decorated class as the dataclass it becomes.
@dataclass_transform(field_specifiers=(field,))
def modelo_del_curso(cls: type[M]) -> type[M]:
    """Make ``cls`` a dataclass whose constructor turns wrong arguments into ErrorCurso."""
    cls = dataclass(cls)
    original = cls.__init__
    firma = inspect.signature(original)
    nombres = [n for n in firma.parameters if n != "self"]

    @functools.wraps(original)
    def __init__(self: M, *args: Any, **kwargs: Any) -> None:
        desconocidos = [k for k in kwargs if k not in nombres]
        if desconocidos:
            raise ErrorCurso(
                f"{cls.__name__} no tiene el campo '{desconocidos[0]}'.",
                campo=desconocidos[0],
                pista=f"{quisiste_decir(desconocidos[0], nombres)}Sus campos son: {', '.join(nombres)}.",
            )
        try:
            firma.bind(self, *args, **kwargs)
        except TypeError:
            obligatorios = [
                n for n, p in firma.parameters.items() if n != "self" and p.default is inspect.Parameter.empty
            ]
            raise ErrorCurso(
                f"{cls.__name__} recibió argumentos de más o le falta alguno.",
                pista=f"Indica al menos: {', '.join(obligatorios)} (campos: {', '.join(nombres)}).",
            ) from None
        original(self, *args, **kwargs)

    # setattr, not ``cls.__init__ = ...``: replacing a method is what this decorator is for, and the
    # checkers still see the dataclass signature thanks to dataclass_transform.
    setattr(cls, "__init__", __init__)  # noqa: B010
    _TIPOS[cls.__name__] = cls
    return cls


class ObjetoDelCurso:
    """La base de los objetos del curso (``Persona``, ``MapaDeViaje``…): dataclasses con ida y vuelta a JSON.

    >>> isinstance(Persona("Ana"), ObjetoDelCurso)
    True
    """

    # Every subclass is a dataclass (made by ``modelo_del_curso``): this makes ``fields(self)`` type-check.
    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]
    _etiqueta: ClassVar[str] = "objeto"

    def a_dict(self) -> dict[str, Any]:
        """Un diccionario listo para JSON, con el tipo y la versión del formato."""
        return {"tipo": type(self).__name__, "version": VERSION_FORMATO, **self._campos()}

    def _campos(self) -> dict[str, Any]:
        datos = {}
        for f in fields(self):
            valor = getattr(self, f.name)
            if isinstance(valor, ObjetoDelCurso):
                valor = valor._campos()
            elif isinstance(valor, list):
                valor = [v._campos() if isinstance(v, ObjetoDelCurso) else v for v in valor]
            datos[f.name] = valor
        return datos

    def a_json(self) -> str:
        return json.dumps(self.a_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def desde_dict(cls, datos: object) -> Self:
        if not isinstance(datos, dict):
            raise ErrorCurso(
                f"Para crear un {cls.__name__} hace falta un diccionario, no {_nombre_tipo(datos)}.",
                pista="Revisa que el archivo guardado contenga un objeto JSON ({...}).",
            )
        datos = dict(datos)
        tipo = datos.pop("tipo", cls.__name__)
        if tipo != cls.__name__:
            raise ErrorCurso(
                f"Estos datos guardan un(a) {tipo}, no un(a) {cls.__name__}.",
                campo="tipo",
                pista="Comprueba que cargas el archivo del ejercicio correcto.",
            )
        version = datos.pop("version", VERSION_FORMATO)
        if version != VERSION_FORMATO:
            raise ErrorCurso(
                f"Los datos usan la versión {version} del formato; esta biblioteca lee la {VERSION_FORMATO}.",
                campo="version",
                pista="Actualiza el paquete cj_course o vuelve a guardar la respuesta.",
            )
        if any(not isinstance(k, str) for k in datos):
            raise ErrorCurso("Los nombres de los campos deben ser textos.", pista="Revisa el JSON guardado.")
        return cls(**datos)

    @classmethod
    def desde_json(cls, texto: str | bytes) -> Self:
        return cls.desde_dict(_leer_json(texto))


def _leer_json(texto: object) -> object:
    if isinstance(texto, bytes):
        try:
            texto = texto.decode("utf-8")
        except UnicodeDecodeError:
            raise ErrorCurso(
                "El archivo no está en UTF-8.", pista="Guárdalo de nuevo con codificación UTF-8."
            ) from None
    if not isinstance(texto, str):
        raise ErrorCurso(
            f"Se esperaba un texto JSON, no {_nombre_tipo(texto)}.", pista="Pasa el contenido del archivo."
        )
    try:
        return json.loads(texto)
    except json.JSONDecodeError as e:
        raise ErrorCurso(
            f"El JSON no es válido (línea {e.lineno}, columna {e.colno}: {e.msg}).",
            pista="Corrige esa posición o borra el archivo para empezar de nuevo.",
        ) from None
    except RecursionError:
        raise ErrorCurso(
            "El JSON está anidado demasiado profundamente.", pista="Revisa el archivo."
        ) from None


def desde_json(texto: str | bytes) -> ObjetoDelCurso:
    """Reconstruye cualquier objeto del curso a partir de su JSON (usa el campo ``tipo``).

    >>> desde_json(Segmento("Jóvenes", demograficos=["18-25 años"]).a_json()).nombre
    'Jóvenes'
    """
    datos = _leer_json(texto)
    tipo = datos.get("tipo") if isinstance(datos, dict) else None
    if not isinstance(tipo, str) or tipo not in _TIPOS:
        raise ErrorCurso(
            "No sé qué objeto del curso guardan estos datos (falta o no se reconoce el campo 'tipo').",
            campo="tipo",
            pista=f"El campo 'tipo' debe ser uno de: {', '.join(sorted(_TIPOS))}.",
        )
    return _TIPOS[tipo].desde_dict(datos)


# --- the course's objects -----------------------------------------------------------------


@modelo_del_curso
class Segmento(ObjetoDelCurso):
    """Un segmento de clientes con sus rasgos demográficos, psicográficos y conductuales.

    >>> Segmento("Jóvenes tecnológicos", demograficos=["18-25 años"], psicograficos=["les gusta la moda"]).rasgos()
    ['18-25 años', 'les gusta la moda']
    """

    nombre: str
    demograficos: list[str] = field(default_factory=list)
    psicograficos: list[str] = field(default_factory=list)
    conductuales: list[str] = field(default_factory=list)
    descripcion: str | None = None

    def __post_init__(self):
        self.nombre = como_texto(self.nombre, "nombre", requerido=True)
        self.demograficos = como_lista_de_textos(self.demograficos, "demograficos")
        self.psicograficos = como_lista_de_textos(self.psicograficos, "psicograficos")
        self.conductuales = como_lista_de_textos(self.conductuales, "conductuales")
        self.descripcion = como_texto(self.descripcion, "descripcion", requerido=False)

    def rasgos(self) -> list[str]:
        return [*self.demograficos, *self.psicograficos, *self.conductuales]


@modelo_del_curso
class Segmentacion(ObjetoDelCurso):
    """Los segmentos de clientes de un negocio (el ejercicio pide tres)."""

    segmentos: list[Segmento] = field(default_factory=list)

    def __post_init__(self):
        self.segmentos = como_objetos(self.segmentos, "segmentos", Segmento)


@modelo_del_curso
class Persona(ObjetoDelCurso):
    """Un buyer persona: el retrato de tu cliente ideal.

    >>> Persona("Víctor", edad=35, ocupacion="Contador").caracteristicas()
    {'Edad': '35 años', 'Ocupación': 'Contador'}
    """

    nombre: str
    edad: int | None = None
    ocupacion: str | None = None
    ubicacion: str | None = None
    intereses: list[str] = field(default_factory=list)
    objetivos: list[str] = field(default_factory=list)
    desafios: list[str] = field(default_factory=list)
    canales: list[str] = field(default_factory=list)
    segmento: str | None = None
    cita: str | None = None

    def __post_init__(self):
        self.nombre = como_texto(self.nombre, "nombre", requerido=True)
        self.edad = _entero(self.edad, "edad", 0, EDAD_MAXIMA, requerido=False)
        for campo in ("ocupacion", "ubicacion", "segmento", "cita"):
            setattr(self, campo, como_texto(getattr(self, campo), campo, requerido=False))
        for campo in ("intereses", "objetivos", "desafios", "canales"):
            setattr(self, campo, como_lista_de_textos(getattr(self, campo), campo))

    ETIQUETAS: ClassVar[dict[str, str]] = {
        "edad": "Edad",
        "ocupacion": "Ocupación",
        "ubicacion": "Ubicación",
        "intereses": "Intereses",
        "objetivos": "Objetivos",
        "desafios": "Desafíos",
        "canales": "Canales",
        "segmento": "Segmento",
    }

    def caracteristicas(self) -> dict[str, str]:
        """Las características que tienen contenido, con su etiqueta en español (la cita no cuenta)."""
        resultado = {}
        for campo, etiqueta in self.ETIQUETAS.items():
            valor = getattr(self, campo)
            if valor is None or valor == []:
                continue
            if campo == "edad":
                resultado[etiqueta] = f"{valor} años"
            elif isinstance(valor, list):
                resultado[etiqueta] = ", ".join(valor)
            else:
                resultado[etiqueta] = valor
        return resultado


@modelo_del_curso
class Interaccion(ObjetoDelCurso):
    """Un punto de contacto del recorrido: etapa, canal, qué hace, piensa y siente el cliente.

    ``emocion`` va de -2 (muy negativa) a +2 (muy positiva).

    >>> Interaccion("Conciencia", "Instagram", "Ve un anuncio", emocion=1).etapa
    'conciencia'
    """

    etapa: str
    canal: str
    accion: str
    pensamiento: str | None = None
    emocion: int = 0
    puntos_de_dolor: list[str] = field(default_factory=list)
    oportunidades: list[str] = field(default_factory=list)

    EMOCION_MIN: ClassVar[int] = -2
    EMOCION_MAX: ClassVar[int] = 2

    def __post_init__(self):
        self.etapa = normalizar_etapa(self.etapa)
        _limpiar_textos(self, ("canal", "accion"), ("pensamiento",))
        self.emocion = _entero(self.emocion, "emocion", self.EMOCION_MIN, self.EMOCION_MAX, requerido=True)
        self.puntos_de_dolor = como_lista_de_textos(self.puntos_de_dolor, "puntos_de_dolor")
        self.oportunidades = como_lista_de_textos(self.oportunidades, "oportunidades")


@modelo_del_curso
class MapaDeViaje(ObjetoDelCurso):
    """Un customer journey map: para quién, con qué objetivo y qué ocurre en cada etapa."""

    objetivo: str | None = None
    interacciones: list[Interaccion] = field(default_factory=list)
    persona: Persona | None = None
    modelo: str = "clasico"

    def __post_init__(self):
        self.objetivo = como_texto(self.objetivo, "objetivo", requerido=False)
        self.interacciones = como_objetos(self.interacciones, "interacciones", Interaccion)
        if self.persona is not None:
            self.persona = como_objeto(self.persona, "persona", Persona)
        modelo = modelo_de_etapas(self.modelo)
        self.modelo = modelo.clave
        for i, interaccion in enumerate(self.interacciones, start=1):
            if interaccion.etapa not in modelo.claves():
                raise ErrorCurso(
                    f"La interacción {i} está en la etapa '{interaccion.etapa}', que no pertenece al "
                    f"modelo '{modelo.nombre}'.",
                    campo="interacciones",
                    pista=f"Usa una de estas etapas: {', '.join(e.nombre for e in modelo.etapas)}.",
                )

    @property
    def modelo_etapas(self) -> ModeloDeEtapas:
        return modelo_de_etapas(self.modelo)

    def por_etapa(self) -> dict[str, list[Interaccion]]:
        """Las interacciones agrupadas por etapa, en el orden del modelo (etapas vacías incluidas)."""
        grupos: dict[str, list[Interaccion]] = {clave: [] for clave in self.modelo_etapas.claves()}
        for interaccion in self.interacciones:
            grupos[interaccion.etapa].append(interaccion)
        return grupos

    def a_csv(self) -> str:
        """El mapa como CSV, una fila por interacción (ver :func:`cj_course.proyecto.mapa_a_csv`).

        >>> MapaDeViaje.desde_csv(mapa_ejemplo().a_csv()).interacciones == mapa_ejemplo().interacciones
        True
        """
        from .proyecto import mapa_a_csv  # there, with the rest of the project's exports

        return mapa_a_csv(self)

    @classmethod
    def desde_csv(cls, texto: str | bytes | os.PathLike[str], persona: Persona | None = None) -> MapaDeViaje:
        """Lee un mapa de un CSV (el texto o la ruta de un ``.csv``, con «,» o «;»); ver :meth:`a_csv`."""
        from .proyecto import mapa_desde_csv

        return mapa_desde_csv(texto, persona)


class _Faltan(dict[str, object]):
    def __missing__(self, clave: str) -> object:
        raise KeyError(clave)


_MARCADOR_VALIDO = re.compile(r"^[^\W\d]\w*$")
_CORCHETES = re.compile(r"\[([^\W\d]\w*)\]")


@modelo_del_curso
class CorreoBienvenida(ObjetoDelCurso):
    """Un correo de bienvenida con marcadores como ``{nombre}`` que se rellenan para cada cliente.

    ``{oferta}`` se rellena con el propio campo ``oferta``.

    >>> correo = CorreoBienvenida("¡Hola, {nombre}!", "Gracias por unirte. Usa {oferta} en tu primera compra.",
    ...                           oferta="10% de descuento")
    >>> correo.renderizar({"nombre": "Ana"})[1]
    'Gracias por unirte. Usa 10% de descuento en tu primera compra.'
    """

    asunto: str
    cuerpo: str
    oferta: str | None = None
    llamada_a_la_accion: str | None = None

    def __post_init__(self):
        _limpiar_textos(self, ("asunto", "cuerpo"), ("oferta", "llamada_a_la_accion"))

    def marcadores(self) -> set[str]:
        """Los nombres de los marcadores ``{...}`` del asunto y el cuerpo."""
        encontrados = set()
        for campo in ("asunto", "cuerpo", "llamada_a_la_accion"):
            texto = getattr(self, campo) or ""
            try:
                partes = list(string.Formatter().parse(texto))
            except ValueError:
                raise ErrorCurso(
                    f"El {campo.replace('_', ' ')} tiene una llave {{ o }} sin pareja.",
                    campo=campo,
                    pista="Cada marcador se escribe entre llaves, como {nombre}; para una llave literal escribe {{ o }}.",
                ) from None
            for _, nombre, especificacion, conversion in partes:
                if nombre is None:
                    continue
                if not _MARCADOR_VALIDO.match(nombre) or especificacion or conversion:
                    raise ErrorCurso(
                        f"El marcador '{{{nombre}}}' del {campo.replace('_', ' ')} no es válido.",
                        campo=campo,
                        pista="Usa solo palabras entre llaves, como {nombre} o {ciudad}.",
                    )
                encontrados.add(nombre)
        return encontrados

    def marcadores_entre_corchetes(self) -> set[str]:
        """Marcadores escritos como ``[Nombre]``: no se rellenan (se usan llaves)."""
        return {m for campo in (self.asunto, self.cuerpo) for m in _CORCHETES.findall(campo)}

    def renderizar(self, cliente: Mapping[str, object]) -> tuple[str, str]:
        """El asunto y el cuerpo con los marcadores rellenados para ``cliente``."""
        if not isinstance(cliente, Mapping):
            raise ErrorCurso(
                'El cliente debe ser un diccionario, por ejemplo {"nombre": "Ana"}.', campo="cliente"
            )
        self.marcadores()  # raises a Spanish error on malformed templates
        valores = _Faltan({str(k): v for k, v in cliente.items()})
        if self.oferta is not None:
            valores.setdefault("oferta", self.oferta)
        resultado = []
        for texto in (self.asunto, self.cuerpo):
            try:
                resultado.append(texto.format_map(valores))
            except KeyError as e:
                disponibles = ", ".join("{" + k + "}" for k in sorted(valores))
                raise ErrorCurso(
                    f"El marcador {{{e.args[0]}}} no existe para este cliente.",
                    campo="cuerpo",
                    pista=f"Usa uno de los datos disponibles: {disponibles}.",
                ) from None
        return resultado[0], resultado[1]


@modelo_del_curso
class MetricaElegida(ObjetoDelCurso):
    """Una métrica clave, cómo la medirás y con qué herramienta.

    >>> MetricaElegida("Tasa de conversión", como="compras / visitas × 100", herramienta="Google Analytics").herramienta
    'Google Analytics'
    """

    metrica: str
    como: str | None = None
    herramienta: str | None = None

    def __post_init__(self):
        _limpiar_textos(self, ("metrica",), ("como", "herramienta"))


@modelo_del_curso
class PlanDeMetricas(ObjetoDelCurso):
    """Las métricas clave elegidas para un negocio (el ejercicio pide tres)."""

    metricas: list[MetricaElegida] = field(default_factory=list)

    def __post_init__(self):
        self.metricas = como_objetos(self.metricas, "metricas", MetricaElegida)


def ejemplo_del_caso(caso: str, clase: type[M], persona: str) -> M:
    """La persona ``persona`` (o su mapa, con ``clase=MapaDeViaje``) del proyecto de ejemplo ``caso``.

    The course's examples are written once, in the saved projects of its two cases
    (``cj_course/datos/proyectos/<caso>.json``, what :func:`cj_course.proyecto_ejemplo` loads); each
    call builds new objects from that file.

    >>> ejemplo_del_caso("nubestock", Persona, "Andrés").ocupacion
    'Jefe de compras de una distribuidora de alimentos'
    """
    from importlib import resources

    archivo = resources.files(__package__).joinpath("datos", "proyectos", f"{caso}.json")
    guardado = json.loads(archivo.read_bytes())
    datos = next(d for d in guardado["personas"] if d["nombre"] == persona)
    if clase is MapaDeViaje:  # a project's map names its persona; the persona itself is saved once
        mapa = next(d for d in guardado["mapas"] if d["persona"]["nombre"] == persona)
        datos = {**mapa, "persona": datos}
    return clase.desde_dict(datos)


def persona_ejemplo() -> Persona:
    """María, la persona de ejemplo del curso (una de las del caso Zapatos SA de CV).

    >>> persona_ejemplo().nombre
    'María'
    """
    return ejemplo_del_caso("zapatos", Persona, "María")


def mapa_ejemplo() -> MapaDeViaje:
    """El recorrido de ejemplo del curso: una interacción por etapa, de la persona María.

    >>> len(mapa_ejemplo().interacciones)
    6
    """
    return ejemplo_del_caso("zapatos", MapaDeViaje, "María")


# --- answers to the concept checks (quizzes and classifying touchpoints) -------------------


def _diccionario_textos(valor: object, campo: str, ejemplo: str) -> dict[str, object]:
    """A dict of text -> value as forms and students write it; keys stripped and unique."""
    crudo = como_diccionario(
        valor,
        campo=campo,
        mensaje=f"El campo '{campo}' debe ser un diccionario, pero recibió {_nombre_tipo(valor)}.",
        pista=f"Usa llaves con pares clave: valor, por ejemplo {ejemplo}.",
    )
    resultado: dict[str, object] = {}
    for clave, contenido in crudo.items():
        if not isinstance(clave, str) or not clave.strip():
            raise ErrorCurso(
                f"Cada clave de '{campo}' debe ser un texto no vacío, pero hay una que es {clave!r}.",
                campo=campo,
                pista=f"Escribe las claves entre comillas, por ejemplo {ejemplo}.",
            )
        limpia = como_texto(clave, campo, requerido=True)
        if limpia in resultado:
            raise ErrorCurso(
                f"La clave «{limpia}» aparece dos veces en '{campo}'.",
                campo=campo,
                pista="Deja una sola entrada para cada clave.",
            )
        resultado[limpia] = contenido
    return resultado


@modelo_del_curso
class RespuestasCuestionario(ObjetoDelCurso):
    """Las opciones elegidas en un cuestionario: clave de la pregunta -> texto de la opción.

    Las preguntas sin responder simplemente no aparecen (o valen ``None``).

    >>> RespuestasCuestionario({"p1": " Conciencia ", "p2": None}).respuestas
    {'p1': 'Conciencia'}
    """

    respuestas: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        crudas = _diccionario_textos(self.respuestas, "respuestas", '{"p1": "Conciencia"}')
        respuestas = {}
        for clave, opcion in crudas.items():
            if opcion is not None and not isinstance(opcion, str):
                raise ErrorCurso(
                    f"La respuesta a «{clave}» debe ser el texto de la opción elegida, pero recibió "
                    f"{_nombre_tipo(opcion)}.",
                    campo="respuestas",
                    pista='Copia el texto de la opción entre comillas, por ejemplo {"p1": "Conciencia"}.',
                )
            texto = como_texto(opcion, "respuestas", requerido=False)
            if texto is not None:
                respuestas[clave] = texto
        self.respuestas = respuestas


@modelo_del_curso
class Clasificacion(ObjetoDelCurso):
    """Puntos de contacto clasificados en etapas: punto de contacto -> clave de la etapa.

    Las etapas se escriben como se quiera («Post-compra», «post compra»…) y se guardan por su clave.

    >>> Clasificacion({"Anuncio en Instagram": "Conciencia", "Encuesta": "Post-compra"}).asignaciones
    {'Anuncio en Instagram': 'conciencia', 'Encuesta': 'post_compra'}
    """

    asignaciones: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        crudas = _diccionario_textos(
            self.asignaciones, "asignaciones", '{"Anuncio en Instagram": "conciencia"}'
        )
        asignaciones = {}
        for punto, etapa in crudas.items():
            if etapa is None or (isinstance(etapa, str) and not etapa.strip()):
                continue  # not classified yet
            try:
                asignaciones[punto] = normalizar_etapa(etapa)
            except ErrorCurso as e:
                raise ErrorCurso(f"«{punto}»: {e.mensaje}", campo="asignaciones", pista=e.pista) from None
        self.asignaciones = asignaciones
