"""«Mi negocio»: el proyecto del emprendedor, que recorre los seis módulos y termina en su plan.

Un :class:`MiNegocio` reúne los segmentos, las personas, los mapas de viaje, el correo de
bienvenida y el plan de métricas de *un* negocio, con los vínculos entre ellos: cada persona
pertenece a un segmento, cada mapa sigue a una persona, cada métrica mide una o varias etapas
y el correo se envía en una etapa a un segmento. Las piezas son las clases de siempre
(:class:`~cj_course.Segmento`, :class:`~cj_course.Persona`, :class:`~cj_course.MapaDeViaje`…):
el proyecto solo las compone.

Las comprobaciones del proyecto (:func:`comprobar_proyecto`, también ``validar(proyecto)``) dicen
qué falta y qué no encaja entre las piezas, como sugerencias con pista. El proyecto se guarda en
``respuestas/mi_negocio.json`` con la misma escritura atómica que las demás respuestas.

>>> negocio = MiNegocio("Café La Loma", sector="Cafetería", mercado="b2c")
>>> negocio.agregar_segmento(Segmento("Oficinistas", demograficos=["25-40 años"], conductuales=["compran a diario"]))
>>> negocio.agregar_persona(Persona("Laura", edad=31), segmento="Oficinistas")
>>> negocio.mercado, negocio.personas[0].segmento
('B2C', 'Oficinistas')
>>> MiNegocio.desde_json(negocio.a_json()) == negocio
True
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import field
from importlib import resources
from pathlib import Path
from typing import Any

from ._errores import ErrorCurso
from ._texto import citar, quisiste_decir, sin_tildes
from .etapas import MODELOS, normalizar_etapa
from .modelo import (
    CorreoBienvenida,
    Interaccion,
    MapaDeViaje,
    MetricaElegida,
    ObjetoDelCurso,
    Persona,
    PlanDeMetricas,
    Segmento,
    cada_elemento,
    como_diccionario,
    como_lista,
    como_lista_de_textos,
    como_objeto,
    como_objetos,
    como_texto,
    modelo_del_curso,
)
from .persistencia import Carpeta, apartar, escribir_atomico, ruta_respuesta
from .validacion import Comprobacion, Informe, validar, validar_correo

__all__ = [
    "EJEMPLOS",
    "EJERCICIO_PLAN",
    "EJERCICIO_PROYECTO",
    "MERCADOS",
    "MiNegocio",
    "cargar_proyecto",
    "completitud",
    "comprobar_proyecto",
    "guardar_proyecto",
    "huella_proyecto",
    "llevar_al_proyecto",
    "mapa_a_csv",
    "mapa_a_json",
    "mapa_desde_csv",
    "mapa_desde_json",
    "pendientes",
    "plan_exportado",
    "proyecto_ejemplo",
    "registrar_plan",
    "registro_del_plan",
]

EJERCICIO_PROYECTO = "mi_negocio"  # respuestas/mi_negocio.json, beside the notebooks like every answer
EJERCICIO_PLAN = "mi_plan"  # respuestas/mi_plan.json: which project the exported plan was made from
NOMBRE_PROVISIONAL = "Mi negocio"  # the project a form starts when there is none yet
# An exercise folder of the course ("m3_mapeo"): only among such folders is a sibling's project looked for
# (a grader's temporary folder or the student's own folders elsewhere are never searched).
_CARPETA_DE_TAREA = re.compile(r"^m\d+_[a-z_]+$")
MERCADOS = {"B2C": "de empresa a consumidor", "B2B": "de empresa a empresa"}
EJEMPLOS = ("zapatos", "nubestock")
CLIENTES_DE_MUESTRA = 2  # the plan shows the e-mail rendered for two customers


def _simple(texto: object) -> str:
    return " ".join(sin_tildes(texto).split())


def _buscar(nombre: str | None, nombres: Iterable[str]) -> str | None:
    """The name in ``nombres`` that ``nombre`` means (ignoring accents, case and spaces), or None."""
    if nombre is None:
        return None
    simple = _simple(nombre)
    return next((n for n in nombres if _simple(n) == simple), None)


def _campo_valido(nombre: str, campo: str) -> str:
    if not re.fullmatch(r"[^\W\d]\w*", nombre):
        raise ErrorCurso(
            f"El campo de clientes {citar(nombre)} no sirve como marcador.",
            campo=campo,
            pista="Usa una palabra sin espacios, como empresa, cargo o ciudad: en el correo se escribe {empresa}.",
        )
    return nombre


@modelo_del_curso
class MiNegocio(ObjetoDelCurso):
    """El proyecto de un emprendedor: su negocio, sus clientes y su customer journey, todo enlazado.

    * ``mercado``: ``"B2C"`` (vendes a personas) o ``"B2B"`` (vendes a empresas).
    * ``personas``: cada una dice su segmento en ``Persona.segmento`` (el nombre de un segmento).
    * ``mapas``: cada uno sigue a una persona del proyecto (``MapaDeViaje.persona``, enlazada por nombre).
    * ``correo_etapa`` y ``correo_segmento``: cuándo y a quién se envía el correo de bienvenida.
    * ``etapas_de_metricas``: nombre de la métrica -> claves de las etapas que mide.
    * ``campos_clientes``: los datos que tienes de tus clientes (los marcadores del correo: ``{empresa}``…);
      ``clientes_muestra``: dos clientes con esos datos, para ver el correo personalizado.
    * ``herramientas``: las herramientas que usa tu negocio (Google Analytics, Shopify, HubSpot…).

    >>> MiNegocio("NubeStock", mercado="B2B", campos_clientes="nombre, empresa, cargo").campos_clientes
    ['nombre', 'empresa', 'cargo']
    """

    nombre: str
    sector: str | None = None
    mercado: str = "B2C"
    descripcion: str | None = None
    segmentos: list[Segmento] = field(default_factory=list)
    personas: list[Persona] = field(default_factory=list)
    mapas: list[MapaDeViaje] = field(default_factory=list)
    correo: CorreoBienvenida | None = None
    correo_etapa: str | None = None
    correo_segmento: str | None = None
    metricas: PlanDeMetricas = field(default_factory=PlanDeMetricas)
    etapas_de_metricas: dict[str, list[str]] = field(default_factory=dict)
    campos_clientes: list[str] = field(default_factory=list)
    clientes_muestra: list[dict[str, str]] = field(default_factory=list)
    herramientas: list[str] = field(default_factory=list)

    _etiqueta = "proyecto"

    def __post_init__(self):
        self.nombre = como_texto(self.nombre, "nombre", requerido=True)
        for campo in ("sector", "descripcion", "correo_segmento"):
            setattr(self, campo, como_texto(getattr(self, campo), campo, requerido=False))
        self.mercado = self._mercado(self.mercado)
        self.segmentos = como_objetos(self.segmentos, "segmentos", Segmento)
        self.personas = como_objetos(self.personas, "personas", Persona)
        self.mapas = como_objetos(self.mapas, "mapas", MapaDeViaje)
        if self.correo is not None:
            self.correo = como_objeto(self.correo, "correo", CorreoBienvenida)
        etapa = como_texto(self.correo_etapa, "correo_etapa", requerido=False)
        self.correo_etapa = normalizar_etapa(etapa) if etapa is not None else None
        self.metricas = como_objeto(
            self.metricas if self.metricas is not None else PlanDeMetricas(),
            "metricas",
            PlanDeMetricas,
            "Créalo con PlanDeMetricas([MetricaElegida(...), ...]).",
        )
        self.etapas_de_metricas = self._etapas_de_metricas(self.etapas_de_metricas)
        self.campos_clientes = [
            _campo_valido(c, "campos_clientes")
            for c in como_lista_de_textos(self.campos_clientes, "campos_clientes")
        ]
        self.clientes_muestra = self._clientes(self.clientes_muestra)
        self.herramientas = como_lista_de_textos(self.herramientas, "herramientas")
        self._enlazar_mapas()

    # --- checking what is built -------------------------------------------------------------

    @staticmethod
    def _mercado(valor: object) -> str:
        texto = como_texto(valor, "mercado", requerido=True).upper().replace(" ", "")
        if texto not in MERCADOS:
            raise ErrorCurso(
                f"El mercado {citar(valor)} no es válido.",
                campo="mercado",
                pista='Escribe "B2C" si vendes a personas o "B2B" si vendes a empresas.',
            )
        return texto

    @staticmethod
    def _etapas_de_metricas(valor: object) -> dict[str, list[str]]:
        crudo = como_diccionario(
            valor,
            campo="etapas_de_metricas",
            mensaje="El campo 'etapas_de_metricas' debe ser un diccionario: métrica -> etapas que mide.",
            pista='Por ejemplo {"Tasa de conversión": ["decision", "compra"]}.',
        )
        resultado: dict[str, list[str]] = {}
        for metrica, etapas in crudo.items():
            nombre = como_texto(metrica, "etapas_de_metricas", requerido=True)
            claves = []
            for etapa in como_lista_de_textos(etapas, "etapas_de_metricas"):
                try:
                    clave = normalizar_etapa(etapa)
                except ErrorCurso as e:
                    raise ErrorCurso(
                        f"La métrica {citar(nombre)}: {e.mensaje}", campo="etapas_de_metricas", pista=e.pista
                    ) from None
                if clave not in claves:
                    claves.append(clave)
            resultado[nombre] = claves
        return resultado

    def _clientes(self, valor: object) -> list[dict[str, str]]:
        filas = como_lista(
            valor,
            campo="clientes_muestra",
            mensaje="El campo 'clientes_muestra' debe ser una lista de clientes (diccionarios).",
            pista='Por ejemplo [{"nombre": "Ana", "empresa": "Acme"}, {"nombre": "Luis", "empresa": "Beta"}].',
        )
        cada_elemento(
            filas,
            Mapping,
            campo="clientes_muestra",
            mensaje="El cliente de muestra {i} debe ser un diccionario.",
            pista='Escríbelo como {"nombre": "Ana", "ciudad": "Lima"}.',
        )
        clientes = []
        for cliente in filas:
            limpio = {}
            for clave, dato in cliente.items():
                nombre = _campo_valido(
                    como_texto(clave, "clientes_muestra", requerido=True), "clientes_muestra"
                )
                limpio[nombre] = (
                    como_texto(
                        dato if dato is None or isinstance(dato, str) else str(dato),
                        "clientes_muestra",
                        requerido=False,
                    )
                    or ""
                )
            clientes.append(limpio)
        return clientes

    def _enlazar_mapas(self) -> None:
        """Each map points at the project's own persona of that name: one persona, edited in one place."""
        nombres = [p.nombre for p in self.personas]
        for mapa in self.mapas:
            if mapa.persona is not None:
                encontrado = _buscar(mapa.persona.nombre, nombres)
                if encontrado is not None:
                    mapa.persona = self.persona(encontrado)

    def _campos(self) -> dict[str, Any]:
        datos = super()._campos()
        # A map names its persona; the persona itself is written once, in ``personas``.
        for mapa in datos["mapas"]:
            if mapa.get("persona"):
                mapa["persona"] = {"nombre": mapa["persona"]["nombre"]}
        return datos

    # --- reading the project (what the forms of every module offer) ---------------------------

    def nombres_segmentos(self) -> list[str]:
        """Los nombres de los segmentos, para elegir el de una persona o el del correo."""
        return [s.nombre for s in self.segmentos]

    def nombres_personas(self) -> list[str]:
        return [p.nombre for p in self.personas]

    def segmento(self, nombre: str) -> Segmento:
        """El segmento llamado ``nombre`` (sin importar tildes ni mayúsculas)."""
        return self._uno(nombre, self.segmentos, "segmento", "ningún segmento llamado")

    def persona(self, nombre: str) -> Persona:
        """La persona llamada ``nombre`` (sin importar tildes ni mayúsculas)."""
        return self._uno(nombre, self.personas, "persona", "ninguna persona llamada")

    @staticmethod
    def _uno(nombre: str, objetos: list, que: str, ninguno: str):
        encontrado = _buscar(nombre, [o.nombre for o in objetos])
        if encontrado is None:
            nombres = [o.nombre for o in objetos]
            raise ErrorCurso(
                f"Tu proyecto no tiene {ninguno} {citar(nombre)}.",
                campo=que,
                pista=(quisiste_decir(nombre, nombres) + f"Los que hay: {', '.join(nombres)}.")
                if nombres
                else f"Añádelo primero con agregar_{que}(...).",
            )
        return next(o for o in objetos if o.nombre == encontrado)

    def mapa_de(self, persona: str) -> MapaDeViaje | None:
        """El mapa que sigue a ``persona``, o None si aún no tiene."""
        return next(
            (
                m
                for m in self.mapas
                if m.persona is not None and _simple(m.persona.nombre) == _simple(persona)
            ),
            None,
        )

    def etapas(self) -> list[str]:
        """Las claves de las etapas de los mapas del proyecto, en orden (las del modelo de cada mapa).

        Sin mapas, las seis del modelo clásico: es lo que ofrece el formulario de métricas.
        """
        claves: list[str] = []
        for mapa in self.mapas or [MapaDeViaje()]:
            claves += [c for c in mapa.modelo_etapas.claves() if c not in claves]
        return claves

    def nombre_etapa(self, clave: str) -> str:
        """El nombre de una etapa («Post-compra») a partir de su clave, en el modelo de tus mapas primero."""
        modelos = [*(m.modelo_etapas for m in self.mapas), *MODELOS.values()]
        return next((e.nombre for m in modelos for e in m.etapas if e.clave == clave), clave)

    def metricas_de_etapa(self, etapa: str) -> list[MetricaElegida]:
        """Las métricas que miden ``etapa``."""
        clave = normalizar_etapa(etapa)
        return [m for m in self.metricas.metricas if clave in self.etapas_de(m.metrica)]

    def etapas_de(self, metrica: str) -> list[str]:
        """Las etapas que mide ``metrica`` (por nombre, sin importar tildes ni mayúsculas)."""
        encontrado = _buscar(metrica, self.etapas_de_metricas)
        return list(self.etapas_de_metricas[encontrado]) if encontrado else []

    def campos_del_correo(self) -> list[str]:
        """Los marcadores que el correo puede usar: los datos declarados de tus clientes y ``oferta``."""
        return [*self.campos_clientes, *(["oferta"] if "oferta" not in self.campos_clientes else [])]

    # --- extending the project (what each module's exercise adds) -----------------------------

    def agregar_segmento(self, segmento: Segmento) -> None:
        """Añade ``segmento`` o reemplaza el que tenga el mismo nombre."""
        segmento = como_objeto(segmento, "segmento", Segmento)
        self.segmentos = self._reemplazar(self.segmentos, segmento)

    def agregar_persona(self, persona: Persona, segmento: str | None = None) -> None:
        """Añade ``persona`` (o reemplaza la del mismo nombre); ``segmento`` la enlaza a uno de tus segmentos."""
        persona = como_objeto(persona, "persona", Persona)
        if segmento is not None:
            persona.segmento = self.segmento(segmento).nombre
        self.personas = self._reemplazar(self.personas, persona)
        self._enlazar_mapas()

    def agregar_mapa(self, mapa: MapaDeViaje, persona: str | None = None) -> None:
        """Añade ``mapa`` para ``persona`` (una de tus personas); reemplaza el mapa que esa persona ya tuviera."""
        mapa = como_objeto(mapa, "mapa", MapaDeViaje)
        if persona is not None:
            mapa.persona = self.persona(persona)
        if mapa.persona is not None:
            self.mapas = [
                m
                for m in self.mapas
                if m.persona is None or _simple(m.persona.nombre) != _simple(mapa.persona.nombre)
            ]
        self.mapas.append(mapa)
        self._enlazar_mapas()

    def definir_correo(
        self, correo: CorreoBienvenida, etapa: str | None = "post_compra", segmento: str | None = None
    ) -> None:
        """El correo de bienvenida, la etapa en que se envía y el segmento al que va."""
        self.correo = como_objeto(correo, "correo", CorreoBienvenida)
        self.correo_etapa = normalizar_etapa(etapa) if etapa is not None else None
        self.correo_segmento = self.segmento(segmento).nombre if segmento is not None else None

    def agregar_metrica(self, metrica: MetricaElegida, etapas: Iterable[str] | str = ()) -> None:
        """Añade ``metrica`` (o reemplaza la del mismo nombre) y la enlaza a las etapas que mide."""
        metrica = como_objeto(metrica, "metrica", MetricaElegida)
        otras = [m for m in self.metricas.metricas if _simple(m.metrica) != _simple(metrica.metrica)]
        self.metricas = PlanDeMetricas([*otras, metrica])
        enlaces = {k: v for k, v in self.etapas_de_metricas.items() if _simple(k) != _simple(metrica.metrica)}
        enlaces[metrica.metrica] = [etapas] if isinstance(etapas, str) else list(etapas)
        self.etapas_de_metricas = self._etapas_de_metricas(enlaces)

    @staticmethod
    def _reemplazar(objetos: list, nuevo) -> list:
        return [*(o for o in objetos if _simple(o.nombre) != _simple(nuevo.nombre)), nuevo]

    # --- checks, saving ----------------------------------------------------------------------

    def comprobar(self) -> Informe:
        """El estado del proyecto: qué está completo, qué falta y qué no encaja (ver :func:`comprobar_proyecto`)."""
        return comprobar_proyecto(self)

    def pendientes(self) -> list[Comprobacion]:
        return pendientes(self)

    def guardar(self, carpeta: Carpeta = None) -> Path:
        return guardar_proyecto(self, carpeta)


# --- consistency checks ---------------------------------------------------------------------


def _lista(elementos: list[str]) -> str:
    return elementos[0] if len(elementos) == 1 else ", ".join(elementos[:-1]) + " y " + elementos[-1]


def _menciona(herramienta: str, menciones: Iterable[str]) -> bool:
    """Whether ``herramienta`` is one the student named (either text inside the other, ignoring accents)."""
    simple = _simple(herramienta)
    for mencion in menciones:
        otra = _simple(mencion)
        if otra and (otra in simple or simple in otra):
            return True
    return False


def _piezas(p: MiNegocio) -> list[Comprobacion]:
    """Each part the plan needs, and each part's own checks (the same ones its exercise uses)."""
    checks = []
    for ok, mensaje, pista in (
        (
            bool(p.segmentos),
            f"Segmentos: tienes {len(p.segmentos)}.",
            "Describe tres grupos de clientes distintos (módulo 3) con agregar_segmento(Segmento(...)).",
        ),
        (
            bool(p.personas),
            f"Personas: tienes {len(p.personas)}.",
            "Crea al menos una buyer persona (módulo 3) con agregar_persona(Persona(...), segmento=...).",
        ),
        (
            bool(p.mapas),
            f"Mapas de viaje: tienes {len(p.mapas)}.",
            "Dibuja el recorrido de tu persona (módulo 3) con agregar_mapa(MapaDeViaje(...), persona=...).",
        ),
        (
            p.correo is not None,
            "Correo de bienvenida: " + ("listo." if p.correo else "todavía no lo escribiste."),
            "Escribe tu correo (módulo 4) con definir_correo(CorreoBienvenida(...), etapa=..., segmento=...).",
        ),
        (
            bool(p.metricas.metricas),
            f"Métricas: tienes {len(p.metricas.metricas)}.",
            "Elige tres métricas (módulo 5) con agregar_metrica(MetricaElegida(...), etapas=[...]).",
        ),
    ):
        checks.append(Comprobacion(ok, mensaje, pista))
    partes: list[ObjetoDelCurso] = []
    if p.segmentos:
        from .modelo import Segmentacion

        partes.append(Segmentacion(p.segmentos))
    partes += [*p.personas, *p.mapas]
    if p.metricas.metricas:
        partes.append(p.metricas)
    informes = [validar(x) for x in partes]
    if p.correo is not None:
        informes.append(validar_correo(p.correo, clientes_para_probar(p)))
    for informe in informes:
        for c in informe.comprobaciones:
            # An unknown {marker} is said once, against the fields the student declared (in _enlaces).
            if not c.ok and not (
                informe.titulo == "Correo de bienvenida" and c.mensaje.startswith("El marcador {")
            ):
                checks.append(Comprobacion(False, f"{informe.titulo}: {c.mensaje}", c.pista, c.obligatoria))
    return checks


def clientes_para_probar(p: MiNegocio) -> list[dict[str, str]]:
    """The customers the e-mail is tried on: the student's samples, else placeholders of their fields."""
    if p.clientes_muestra:
        return p.clientes_muestra
    if p.campos_clientes:
        return [{c: f"({c})" for c in p.campos_clientes}]
    from .modelo import CLIENTES_DE_EJEMPLO

    return list(CLIENTES_DE_EJEMPLO)


def _enlaces(p: MiNegocio) -> list[Comprobacion]:
    """What does not fit between the parts: every one a suggestion with the way to fix it."""
    sug: list[Comprobacion] = []

    def falta(mensaje: str, pista: str) -> None:
        sug.append(Comprobacion(False, mensaje, pista, obligatoria=False))

    segmentos = p.nombres_segmentos()
    for persona in p.personas:
        if persona.segmento is None:
            falta(
                f"La persona {citar(persona.nombre)} no dice a qué segmento pertenece.",
                f"Elige uno de tus segmentos: {_lista(segmentos)}."
                if segmentos
                else "Crea antes tus segmentos.",
            )
        elif _buscar(persona.segmento, segmentos) is None:
            falta(
                f"La persona {citar(persona.nombre)} es del segmento {citar(persona.segmento)}, que no está "
                "entre tus segmentos.",
                quisiste_decir(persona.segmento, segmentos)
                + (
                    f"Tus segmentos son: {_lista(segmentos)}."
                    if segmentos
                    else "Añade ese segmento al proyecto."
                ),
            )
    personas = p.nombres_personas()
    for i, mapa in enumerate(p.mapas, start=1):
        if mapa.persona is None:
            falta(
                f"El mapa {i} no dice a qué persona sigue.",
                f"Asígnale una de tus personas: {_lista(personas)}."
                if personas
                else "Crea antes tu persona.",
            )
        elif _buscar(mapa.persona.nombre, personas) is None:
            falta(
                f"El mapa de {citar(mapa.persona.nombre)} sigue a una persona que no está en tu proyecto.",
                quisiste_decir(mapa.persona.nombre, personas) + "Añade esa persona o cambia la del mapa.",
            )
    for persona in p.personas:
        if p.mapa_de(persona.nombre) is None:
            falta(
                f"La persona {citar(persona.nombre)} todavía no tiene mapa de viaje.",
                "Dibuja su recorrido: el plan lleva un mapa por persona.",
            )
    # Metrics and stages.
    nombres_metricas = [m.metrica for m in p.metricas.metricas]
    etapas_mapa = p.etapas() if p.mapas else []
    for m in p.metricas.metricas:
        etapas = p.etapas_de(m.metrica)
        if not etapas:
            falta(
                f"La métrica {citar(m.metrica)} no dice qué etapa mide.",
                'Enlázala a las etapas de tu mapa, por ejemplo agregar_metrica(metrica, etapas=["compra"]).',
            )
        fuera = [e for e in etapas if etapas_mapa and e not in etapas_mapa]
        if fuera:
            falta(
                f"La métrica {citar(m.metrica)} mide {_lista([p.nombre_etapa(e) for e in fuera])}, que no "
                "es una etapa de tu mapa.",
                f"Usa las etapas de tu mapa: {_lista([p.nombre_etapa(e) for e in etapas_mapa])}.",
            )
    for nombre in p.etapas_de_metricas:
        if _buscar(nombre, nombres_metricas) is None:
            falta(
                f"Enlazaste etapas a la métrica {citar(nombre)}, que no está en tu plan de métricas.",
                quisiste_decir(nombre, nombres_metricas) + "Añádela al plan o corrige su nombre.",
            )
    medidas = {e for m in nombres_metricas for e in p.etapas_de(m)}
    for clave in etapas_mapa:
        if clave not in medidas:
            falta(
                f"La etapa {p.nombre_etapa(clave)} de tu mapa no tiene ninguna métrica.",
                "Sin una métrica no sabrás si mejora: enlaza una que la mida (conversión, retención, NPS…) "
                f'con agregar_metrica(..., etapas=["{clave}"]).',
            )
    canales = [i.canal for mapa in p.mapas for i in mapa.interacciones]
    menciones = [*p.herramientas, *canales]
    for m in p.metricas.metricas:
        if m.herramienta and not _menciona(m.herramienta, menciones):
            falta(
                f"La métrica {citar(m.metrica)} se mide con {citar(m.herramienta)}, una herramienta que no "
                "mencionaste en tu proyecto.",
                "Añádela a las herramientas de tu negocio (herramientas=[...]) o elige una que ya uses"
                + (f": {_lista(p.herramientas)}." if p.herramientas else "."),
            )
    # The e-mail: when, to whom, and with which of the customers' fields.
    if p.correo is not None:
        if p.correo_etapa is None:
            falta(
                "El correo de bienvenida no dice en qué etapa se envía.",
                'Normalmente justo después de la compra o del registro: definir_correo(..., etapa="post_compra").',
            )
        elif etapas_mapa and p.correo_etapa not in etapas_mapa:
            falta(
                f"El correo se envía en la etapa {p.nombre_etapa(p.correo_etapa)}, que no está en tu mapa.",
                f"Elige una etapa de tu mapa: {_lista([p.nombre_etapa(e) for e in etapas_mapa])}.",
            )
        if p.correo_segmento is None:
            falta(
                "El correo de bienvenida no dice a qué segmento va.",
                f"Elige uno de tus segmentos: {_lista(segmentos)}."
                if segmentos
                else "Crea antes tus segmentos.",
            )
        elif _buscar(p.correo_segmento, segmentos) is None:
            falta(
                f"El correo va al segmento {citar(p.correo_segmento)}, que no está entre tus segmentos.",
                quisiste_decir(p.correo_segmento, segmentos)
                + (
                    f"Tus segmentos son: {_lista(segmentos)}."
                    if segmentos
                    else "Añade ese segmento al proyecto."
                ),
            )
        try:
            marcadores = sorted(p.correo.marcadores())
        except ErrorCurso:
            marcadores = []  # the e-mail's own checks already say what is malformed
        disponibles = p.campos_del_correo()
        if not p.campos_clientes:
            falta(
                "No declaraste qué datos tienes de tus clientes, así que el correo no se puede personalizar.",
                'Escribe los campos que conoces de ellos, por ejemplo campos_clientes=["nombre", "empresa", '
                '"cargo"].',
            )
        else:
            for marcador in marcadores:
                if marcador not in disponibles:
                    falta(
                        f"El correo usa {{{marcador}}}, que no es un dato de tus clientes.",
                        quisiste_decir(marcador, disponibles)
                        + "Usa uno de: "
                        + _lista(["{" + c + "}" for c in disponibles])
                        + f", o añade «{marcador}» a los campos de tus clientes.",
                    )
        if len(p.clientes_muestra) < CLIENTES_DE_MUESTRA:
            falta(
                f"El plan muestra el correo para {CLIENTES_DE_MUESTRA} clientes de muestra y tienes "
                f"{len(p.clientes_muestra)}.",
                'Añade dos clientes inventados con tus campos, por ejemplo clientes_muestra=[{"nombre": "Ana", ...}].',
            )
        for i, cliente in enumerate(p.clientes_muestra, start=1):
            sin_dato = [c for c in p.campos_clientes if not cliente.get(c)]
            if sin_dato:
                falta(
                    f"Al cliente de muestra {i} le falta {_lista(sin_dato)}.",
                    "Completa sus datos: así ves el correo como lo recibirá.",
                )
    return sug


def comprobar_proyecto(proyecto: MiNegocio) -> Informe:
    """El estado del proyecto en un :class:`~cj_course.Informe`.

    Obligatorio: que estén todas las piezas (3 segmentos, una persona, un mapa, el correo, 3 métricas)
    y que cada una pase sus propias comprobaciones. Sugerencias: lo que no encaja entre ellas.

    >>> informe = comprobar_proyecto(MiNegocio("Café La Loma"))
    >>> informe.ok, informe.comprobaciones[0].mensaje
    (False, 'Segmentos: tienes 0.')
    """
    proyecto = como_objeto(proyecto, "proyecto", MiNegocio, 'Créalo con MiNegocio("Mi tienda", ...).')
    informe = Informe(f"Estado de tu proyecto {citar(proyecto.nombre)}")
    informe.comprobaciones += _piezas(proyecto)
    sugerencias = _enlaces(proyecto)
    informe.comprobaciones += sugerencias
    if not sugerencias:
        informe.comprobaciones.append(Comprobacion(True, "Las piezas del proyecto encajan entre sí."))
    return informe


@validar.register
def validar_proyecto(proyecto: MiNegocio) -> Informe:
    return comprobar_proyecto(proyecto)


def pendientes(proyecto: MiNegocio) -> list[Comprobacion]:
    """Lo que falta o no encaja: las comprobaciones que no pasaron (obligatorias primero)."""
    no_ok = [c for c in comprobar_proyecto(proyecto).comprobaciones if not c.ok]
    return sorted(no_ok, key=lambda c: not c.obligatoria)


# --- saving in the student's workspace -------------------------------------------------------


def guardar_proyecto(proyecto: MiNegocio, carpeta: Carpeta = None) -> Path:
    """Guarda el proyecto en ``respuestas/mi_negocio.json`` de forma atómica y devuelve la ruta.

    >>> import tempfile
    >>> carpeta = tempfile.mkdtemp()
    >>> guardar_proyecto(MiNegocio("Café La Loma"), carpeta).name
    'mi_negocio.json'
    >>> cargar_proyecto(carpeta)[0].nombre
    'Café La Loma'
    """
    proyecto = como_objeto(
        proyecto, "proyecto", MiNegocio, 'Crea tu proyecto con MiNegocio("Mi tienda", ...).'
    )
    ruta = ruta_respuesta(EJERCICIO_PROYECTO, carpeta)
    escribir_atomico(ruta, proyecto.a_json())
    return ruta


def ruta_proyecto(carpeta: Carpeta = None) -> Path:
    """El archivo del proyecto que se lee: el más reciente entre el de esta carpeta y los de las otras tareas.

    Cada módulo guarda el proyecto junto a su cuaderno (``m3_mapeo/respuestas/mi_negocio.json``…); el
    siguiente módulo parte del más reciente, así las respuestas de un módulo llegan al otro. Fuera de una
    carpeta de tarea del curso (``m3_mapeo``, ``m6_proyecto``…) solo se mira la propia.

    >>> import tempfile
    >>> ruta_proyecto(tempfile.mkdtemp()).name
    'mi_negocio.json'
    """
    propia = ruta_respuesta(EJERCICIO_PROYECTO, carpeta)
    base = propia.parent.parent.resolve()
    candidatos = [propia]
    if _CARPETA_DE_TAREA.match(base.name):
        candidatos += [
            otra / propia.relative_to(propia.parent.parent)
            for otra in sorted(base.parent.iterdir())
            if otra != base and otra.is_dir() and _CARPETA_DE_TAREA.match(otra.name)
        ]
    existentes = [c for c in candidatos if c.is_file()]
    if not existentes:
        return propia
    return max(existentes, key=lambda c: (c.stat().st_mtime_ns, c == propia))


def cargar_proyecto(carpeta: Carpeta = None) -> tuple[MiNegocio | None, str | None]:
    """El proyecto guardado: ``(proyecto, None)``, ``(None, None)`` si no hay, o ``(None, aviso)``.

    Lee el de esta carpeta o, si otra tarea del curso guardó uno más reciente, ese (ver :func:`ruta_proyecto`).
    Un archivo dañado se aparta con otro nombre (nunca se borra) y el aviso dice dónde quedó.
    """
    ruta = ruta_proyecto(carpeta)
    if not ruta.exists():
        return None, None
    try:
        return MiNegocio.desde_json(ruta.read_bytes()), None
    except ErrorCurso as e:
        apartado = apartar(ruta)
        return None, (
            f"Tu proyecto guardado en {ruta.name} no se pudo leer ({e.mensaje}). Lo guardé aparte "
            f"como {apartado.name}: ábrelo para recuperar lo que escribiste; el proyecto empieza vacío."
        )
    except OSError as e:
        return None, f"No se pudo leer {ruta}: {e.strerror}. Revisa los permisos de la carpeta."


def llevar_al_proyecto(respuesta: ObjetoDelCurso, carpeta: Carpeta = None, **extra: Any) -> MiNegocio:
    """Pone la respuesta de un ejercicio en tu proyecto guardado y lo guarda; devuelve el proyecto.

    Es lo que hace cada formulario al guardar una respuesta válida, y lo mismo puedes hacer en código:

    * una :class:`~cj_course.Segmentacion` reemplaza los segmentos del proyecto;
    * una :class:`~cj_course.Persona` se añade (o reemplaza a la del mismo nombre);
    * un :class:`~cj_course.MapaDeViaje` se añade como el mapa de su persona;
    * un :class:`~cj_course.CorreoBienvenida` es el correo (``campos=["nombre", "empresa"]``: los datos que
      tienes de tus clientes, que el correo puede usar como marcadores);
    * un :class:`~cj_course.PlanDeMetricas` reemplaza las métricas (``etapas={"NPS": ["lealtad"]}``:
      qué etapas mide cada una).

    Sin proyecto guardado empieza uno nuevo; uno dañado se aparta (nunca se borra) y se empieza otro.

    >>> import tempfile
    >>> from cj_course import Segmentacion, Segmento
    >>> carpeta = tempfile.mkdtemp()
    >>> p = llevar_al_proyecto(Segmentacion([Segmento("Oficinistas"), Segmento("Estudiantes")]), carpeta)
    >>> cargar_proyecto(carpeta)[0].nombres_segmentos()
    ['Oficinistas', 'Estudiantes']
    """
    from .modelo import Segmentacion

    proyecto, _aviso = cargar_proyecto(carpeta)
    proyecto = proyecto if proyecto is not None else MiNegocio(NOMBRE_PROVISIONAL)
    antes = proyecto.a_json()
    if isinstance(respuesta, Segmentacion):
        proyecto.segmentos = list(respuesta.segmentos)
    elif isinstance(respuesta, Persona):
        persona = Persona.desde_dict(respuesta.a_dict())
        propio = _buscar(persona.segmento, proyecto.nombres_segmentos())
        proyecto.agregar_persona(persona, segmento=propio)
    elif isinstance(respuesta, MapaDeViaje):
        mapa = MapaDeViaje.desde_dict(respuesta.a_dict())
        nombre = mapa.persona.nombre if mapa.persona is not None else None
        proyecto.agregar_mapa(mapa, persona=_buscar(nombre, proyecto.nombres_personas()))
    elif isinstance(respuesta, CorreoBienvenida):
        segmento = _buscar(proyecto.correo_segmento, proyecto.nombres_segmentos())
        proyecto.definir_correo(respuesta, etapa=proyecto.correo_etapa or "post_compra", segmento=segmento)
        if extra.get("campos") is not None:
            proyecto.campos_clientes = [
                _campo_valido(c, "campos") for c in como_lista_de_textos(extra["campos"], "campos")
            ]
    elif isinstance(respuesta, PlanDeMetricas):
        etapas = extra.get("etapas") or {}
        enlaces = {
            m.metrica: etapas.get(m.metrica, proyecto.etapas_de(m.metrica)) for m in respuesta.metricas
        }
        proyecto.metricas = PlanDeMetricas(list(respuesta.metricas))
        proyecto.etapas_de_metricas = MiNegocio._etapas_de_metricas(enlaces)
    else:
        raise ErrorCurso(
            f"Un {type(respuesta).__name__} no es una pieza del proyecto.",
            campo="respuesta",
            pista="Lleva al proyecto tus segmentos, una persona, un mapa, el correo o el plan de métricas.",
        )
    propia = ruta_respuesta(EJERCICIO_PROYECTO, carpeta)
    if proyecto.a_json() != antes or not propia.exists():  # nothing new: no write (a form calls this often)
        guardar_proyecto(proyecto, carpeta)
    return proyecto


def huella_proyecto(proyecto: MiNegocio) -> str:
    """Una huella del contenido del proyecto: cambia en cuanto cambia cualquier pieza.

    >>> huella_proyecto(MiNegocio("A")) == huella_proyecto(MiNegocio("A")), len(huella_proyecto(MiNegocio("A")))
    (True, 64)
    """
    import hashlib
    import json

    proyecto = como_objeto(proyecto, "proyecto", MiNegocio)
    texto = json.dumps(proyecto.a_dict(), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(texto.encode("utf-8")).hexdigest()


def registrar_plan(proyecto: MiNegocio, archivo: str | os.PathLike[str]) -> Path:
    """Anota en ``respuestas/mi_plan.json`` (junto al plan) de qué proyecto salió el plan exportado.

    :func:`cj_course.plan.exportar_plan` lo hace sola; la calificación lo lee con :func:`plan_exportado`.
    """
    import json

    archivo = Path(archivo)
    ruta = ruta_respuesta(EJERCICIO_PLAN, archivo.parent)
    registro = {"tipo": "RegistroDelPlan", "archivo": archivo.name, "huella": huella_proyecto(proyecto)}
    escribir_atomico(ruta, json.dumps(registro, ensure_ascii=False, indent=2))
    return ruta


def registro_del_plan(carpeta: Carpeta = None) -> dict[str, str] | None:
    """Lo que anotó el último :func:`~cj_course.exportar_plan` en esta carpeta (``None`` si nada o dañado)."""
    import json

    try:
        registro = json.loads(ruta_respuesta(EJERCICIO_PLAN, carpeta).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(registro, dict):
        return None
    return {str(k): str(v) for k, v in registro.items() if isinstance(v, str)}


def plan_exportado(proyecto: MiNegocio, registro: Mapping[str, str] | bool | None = False) -> Comprobacion:
    """Si exportaste el plan *de este proyecto* (el de ahora, no uno anterior).

    ``registro`` es el de :func:`registro_del_plan`; sin él se lee el de la carpeta actual.

    >>> import tempfile
    >>> plan_exportado(MiNegocio("A"), registro_del_plan(tempfile.mkdtemp())).ok
    False
    """
    if registro is False:
        registro = registro_del_plan()
    pista = 'Ejecuta exportar_plan(proyecto, "mi_plan.pdf") (o "mi_plan.html") después de tu último cambio.'
    if not isinstance(registro, Mapping):
        return Comprobacion(False, "Todavía no exportaste tu plan.", pista)
    if registro.get("huella") != huella_proyecto(proyecto):
        return Comprobacion(False, "Tu plan exportado no corresponde a tu proyecto de ahora.", pista)
    return Comprobacion(True, f"Exportaste el plan de tu proyecto ({registro.get('archivo', 'mi_plan')}).")


def completitud(proyecto: MiNegocio, registro: Mapping[str, str] | bool | None = False) -> Informe:
    """Los siete criterios del proyecto final (módulo 6), cada uno con su pista.

    Tres segmentos; una persona de uno de ellos; su mapa con una interacción en cada etapa; un correo que
    solo usa datos declarados de tus clientes; tres métricas enlazadas a etapas del mapa; nada pendiente;
    y el plan de ese proyecto, con todas sus piezas, exportado (``registro``: el de :func:`registro_del_plan`;
    sin él, el de la carpeta actual). Es lo que comprueban las celdas de calificación del proyecto final.

    >>> [c.ok for c in completitud(proyecto_ejemplo("zapatos")).comprobaciones][:6]
    [True, True, True, True, True, True]
    """
    from .validacion import METRICAS_REQUERIDAS, SEGMENTOS_REQUERIDOS

    p = como_objeto(proyecto, "proyecto", MiNegocio, 'Créalo con MiNegocio("Mi tienda", ...).')
    criterios = [
        Comprobacion(
            len(p.segmentos) >= SEGMENTOS_REQUERIDOS,
            f"Segmentos: tienes {len(p.segmentos)}; se piden {SEGMENTOS_REQUERIDOS}.",
            "Añade los que falten con agregar_segmento(Segmento(...)).",
        )
    ]
    segmentos = p.nombres_segmentos()
    enlazadas = [x for x in p.personas if _buscar(x.segmento, segmentos) is not None]
    criterios.append(
        Comprobacion(
            bool(enlazadas),
            "Persona de uno de tus segmentos: "
            + (_lista([citar(x.nombre) for x in enlazadas]) + "." if enlazadas else "ninguna todavía."),
            'Enlaza tu persona a un segmento: agregar_persona(persona, segmento="...").',
        )
    )
    completos = []
    for x in enlazadas:
        mapa = p.mapa_de(x.nombre)
        if mapa is not None and {i.etapa for i in mapa.interacciones} >= set(mapa.modelo_etapas.claves()):
            completos.append(x.nombre)
    criterios.append(
        Comprobacion(
            bool(completos),
            "Mapa de esa persona con una interacción en cada etapa: "
            + (_lista([citar(n) for n in completos]) + "." if completos else "ninguno todavía."),
            "Dibuja su recorrido con agregar_mapa(MapaDeViaje(...), persona=...) y cubre todas las etapas.",
        )
    )
    try:
        marcadores = p.correo.marcadores() if p.correo is not None else set()
    except ErrorCurso:
        marcadores = {"?"}
    sin_declarar = sorted(marcadores - set(p.campos_del_correo()))
    criterios.append(
        Comprobacion(
            p.correo is not None and bool(p.campos_clientes) and not sin_declarar,
            (
                "Correo de bienvenida: todavía no lo escribiste."
                if p.correo is None
                else "Correo con marcadores de datos declarados de tus clientes"
                + (
                    f": usa {_lista(['{' + m + '}' for m in sin_declarar])}, que no declaraste."
                    if sin_declarar
                    else "."
                )
            ),
            "Declara los datos de tus clientes (campos_clientes=[...]) y usa solo esos en el correo.",
        )
    )
    etapas_mapa = set(p.etapas()) if p.mapas else set()
    medidas = [
        m.metrica
        for m in p.metricas.metricas
        if p.etapas_de(m.metrica) and set(p.etapas_de(m.metrica)) <= etapas_mapa
    ]
    criterios.append(
        Comprobacion(
            len(medidas) >= METRICAS_REQUERIDAS,
            f"Métricas enlazadas a etapas de tu mapa: {len(medidas)}; se piden {METRICAS_REQUERIDAS}.",
            'Enlaza cada métrica a lo que mide: agregar_metrica(metrica, etapas=["compra"]).',
        )
    )
    quedan = pendientes(p)
    criterios.append(
        Comprobacion(
            not quedan,
            "Nada pendiente." if not quedan else f"Quedan {len(quedan)} pendientes: {quedan[0].mensaje}",
            "Mira la vista «Estado de tu proyecto»: cada pendiente dice cómo arreglarlo.",
        )
    )
    plan = plan_exportado(p, registro)
    faltan = [c for c in _piezas(p) if c.obligatoria and not c.ok]
    if plan.ok and faltan:
        plan = Comprobacion(
            False,
            f"Exportaste el plan, pero a tu proyecto le faltan piezas: {faltan[0].mensaje}",
            faltan[0].pista,
        )
    criterios.append(plan)
    return Informe(f"Proyecto final {citar(p.nombre)}", criterios)


# --- the worked examples -------------------------------------------------------------------


def proyecto_ejemplo(nombre: str = "zapatos") -> MiNegocio:
    """Uno de los dos casos del curso como proyecto completo: ``"zapatos"`` (B2C) o ``"nubestock"`` (B2B).

    >>> p = proyecto_ejemplo("nubestock")
    >>> p.mercado, comprobar_proyecto(p).ok
    ('B2B', True)
    """
    clave = _simple(nombre) if isinstance(nombre, str) else nombre
    if clave not in EJEMPLOS:
        raise ErrorCurso(
            f"No hay un proyecto de ejemplo llamado {citar(nombre)}.",
            campo="nombre",
            pista=f"Usa uno de estos: {', '.join(EJEMPLOS)}.",
        )
    texto = resources.files("cj_course.datos").joinpath("proyectos", f"{clave}.json").read_bytes()
    return MiNegocio.desde_json(texto)


# --- the journey map as CSV and JSON (for a spreadsheet or another tool) -------------------

_COLUMNAS_MAPA = ("etapa", "canal", "accion", "pensamiento", "emocion", "puntos_de_dolor", "oportunidades")
_SEPARADOR_LISTA = "; "


def mapa_a_csv(mapa: MapaDeViaje) -> str:
    """El mapa como CSV: una fila por interacción; las listas, separadas por «; ».

    El objetivo, la persona y el modelo de etapas van en líneas de comentario (``# objetivo: …``) al
    principio, que :func:`mapa_desde_csv` lee de vuelta; una hoja de cálculo las muestra como filas.

    >>> from cj_course import mapa_ejemplo
    >>> mapa_desde_csv(mapa_a_csv(mapa_ejemplo())).interacciones == mapa_ejemplo().interacciones
    True
    """
    mapa = como_objeto(mapa, "mapa", MapaDeViaje)
    salida = io.StringIO()
    escritor = csv.writer(salida, lineterminator="\n")
    escritor.writerow(["# modelo", mapa.modelo])
    if mapa.objetivo:
        escritor.writerow(["# objetivo", mapa.objetivo])
    if mapa.persona is not None:
        escritor.writerow(["# persona", mapa.persona.nombre])
    escritor.writerow(_COLUMNAS_MAPA)
    for i in mapa.interacciones:
        escritor.writerow(
            [
                i.etapa,
                i.canal,
                i.accion,
                i.pensamiento or "",
                i.emocion,
                _SEPARADOR_LISTA.join(i.puntos_de_dolor),
                _SEPARADOR_LISTA.join(i.oportunidades),
            ]
        )
    return salida.getvalue()


def mapa_desde_csv(texto: str | bytes | os.PathLike[str], persona: Persona | None = None) -> MapaDeViaje:
    """Lee un mapa escrito por :func:`mapa_a_csv` (o por una hoja de cálculo con esas columnas).

    ``texto`` es el contenido o la ruta de un archivo ``.csv``. Acepta «,» o «;» como separador
    (Excel en español guarda con «;»). ``persona`` sustituye a la que nombra el archivo.
    """
    if isinstance(texto, os.PathLike) or (
        isinstance(texto, str) and texto.strip().lower().endswith(".csv") and "\n" not in texto
    ):
        archivo = Path(texto)
        try:
            texto = archivo.read_bytes()
        except OSError as e:
            raise ErrorCurso(
                f"No se pudo leer el archivo {archivo}: {e.strerror}.",
                campo="texto",
                pista="Revisa el nombre y la carpeta del archivo.",
            ) from None
    if isinstance(texto, bytes):
        try:
            texto = texto.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ErrorCurso(
                "El CSV no está en UTF-8.",
                campo="texto",
                pista="En tu hoja de cálculo elige «CSV UTF-8» al guardar.",
            ) from None
    if not isinstance(texto, str):
        raise ErrorCurso("Pasa el texto del CSV o la ruta del archivo.", campo="texto")
    lineas = texto.lstrip("\ufeff").splitlines()
    if not lineas:
        raise ErrorCurso("El CSV está vacío.", campo="texto", pista="Exporta el mapa con mapa_a_csv(mapa).")
    try:
        dialecto = csv.Sniffer().sniff(next((x for x in lineas if x.startswith("etapa")), lineas[0]), ",;\t")
        separador = dialecto.delimiter
    except csv.Error:
        separador = ","
    filas = list(csv.reader(lineas, delimiter=separador))
    meta: dict[str, str] = {}
    cuerpo = []
    for fila in filas:
        if fila and fila[0].startswith("#"):
            meta[fila[0].lstrip("#").strip().lower()] = fila[1] if len(fila) > 1 else ""
        elif any(c.strip() for c in fila):
            cuerpo.append(fila)
    if not cuerpo:
        raise ErrorCurso(
            "El CSV no tiene la fila de encabezados.",
            campo="texto",
            pista=f"La primera fila debe ser: {', '.join(_COLUMNAS_MAPA)}.",
        )
    encabezado = [sin_tildes(c).replace(" ", "_") for c in cuerpo[0]]
    faltan = [c for c in ("etapa", "canal", "accion") if c not in encabezado]
    if faltan:
        raise ErrorCurso(
            f"Al CSV le faltan las columnas {_lista(faltan)}.",
            campo="texto",
            pista=f"La primera fila debe ser: {', '.join(_COLUMNAS_MAPA)}.",
        )
    interacciones = []
    for n, fila in enumerate(cuerpo[1:], start=2):
        datos = dict(zip(encabezado, fila, strict=False))
        try:
            emocion_txt = (datos.get("emocion") or "0").strip().replace("+", "")
            try:
                emocion: Any = int(float(emocion_txt.replace(",", ".")))
            except ValueError:
                emocion = emocion_txt
            interacciones.append(
                Interaccion(
                    datos.get("etapa", ""),
                    datos.get("canal", ""),
                    datos.get("accion", ""),
                    pensamiento=datos.get("pensamiento") or None,
                    emocion=emocion,
                    puntos_de_dolor=_partir(datos.get("puntos_de_dolor")),
                    oportunidades=_partir(datos.get("oportunidades")),
                )
            )
        except ErrorCurso as e:
            raise ErrorCurso(f"Fila {n} del CSV: {e.mensaje}", campo=e.campo, pista=e.pista) from None
    nombre_persona = meta.get("persona")
    if persona is None and nombre_persona:
        persona = Persona(nombre_persona)
    return MapaDeViaje(
        objetivo=meta.get("objetivo") or None,
        interacciones=interacciones,
        persona=persona,
        modelo=meta.get("modelo") or "clasico",
    )


def _partir(texto: str | None) -> list[str]:
    return [x.strip() for x in (texto or "").split(";") if x.strip()]


def mapa_a_json(mapa: MapaDeViaje) -> str:
    """El mapa como JSON (el mismo formato que guardan los ejercicios)."""
    return como_objeto(mapa, "mapa", MapaDeViaje).a_json()


def mapa_desde_json(texto: str | bytes) -> MapaDeViaje:
    return MapaDeViaje.desde_json(texto)
