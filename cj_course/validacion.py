"""Comprobaciones con retroalimentación que enseña.

:func:`validar` devuelve un :class:`Informe` (cada comprobación: si pasó, un mensaje y una pista).
Las mismas comprobaciones alimentan los formularios (en vivo) y las celdas de prueba de nbgrader
(:func:`afirmar_valido` lanza ``AssertionError`` con el mensaje en español).

>>> from cj_course import Persona
>>> informe = validar(Persona("Ana", edad=30, ocupacion="Diseñadora"))
>>> informe.ok
False
>>> print(informe.comprobaciones[0].mensaje)
Tu persona tiene 2 características; se piden al menos 5.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import singledispatch
from html import escape

from ._errores import ErrorCurso
from ._texto import ICONO_SUGERENCIA, MARCA_FALLO, MARCA_OK, MARCA_SUGERENCIA, citar
from ._texto import sin_tildes as _simple
from .etapas import MODELOS, normalizar_etapa
from .modelo import (
    CLIENTES_DE_EJEMPLO,
    Clasificacion,
    CorreoBienvenida,
    MapaDeViaje,
    MetricaElegida,
    Persona,
    PlanDeMetricas,
    RespuestasCuestionario,
    Segmentacion,
    Segmento,
)

# The seeds' rules.
SEGMENTOS_REQUERIDOS = 3
RASGOS_POR_SEGMENTO = 2
CARACTERISTICAS_PERSONA = 5
METRICAS_REQUERIDAS = 3


@dataclass(frozen=True)
class Comprobacion:
    """Una comprobación: si pasó, qué se comprobó o qué falta, y cómo mejorarlo.

    Las que no son ``obligatoria`` son sugerencias: no hacen fallar el informe.
    """

    ok: bool
    mensaje: str
    pista: str = ""
    obligatoria: bool = True

    def texto(self) -> str:
        simbolo = MARCA_OK if self.ok else (MARCA_FALLO if self.obligatoria else MARCA_SUGERENCIA)
        linea = f"{simbolo} {self.mensaje}"
        if not self.ok and self.pista:
            linea += f"\n    → {self.pista}"
        return linea


@dataclass
class Informe:
    """El resultado de validar una respuesta: una lista de comprobaciones."""

    titulo: str
    comprobaciones: list[Comprobacion] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.comprobaciones if c.obligatoria)

    def comprobar(
        self, ok: object, bien: str, mal: str | None = None, pista: str = "", *, obligatoria: bool = True
    ) -> None:
        """Añade una comprobación: el mensaje es ``bien`` si pasó y ``mal`` (si se da) si no.

        >>> informe = Informe("Correo")
        >>> informe.comprobar("", "Tiene asunto.", "No tiene asunto.", "Escribe uno.")
        >>> print(informe.texto())
        Correo: Falta 1 cosa por resolver.
        ✘ No tiene asunto.
            → Escribe uno.
        """
        mensaje = bien if ok or mal is None else mal
        self.comprobaciones.append(Comprobacion(bool(ok), mensaje, pista, obligatoria))

    @property
    def fallos(self) -> list[Comprobacion]:
        return [c for c in self.comprobaciones if c.obligatoria and not c.ok]

    def texto(self) -> str:
        estado = "¡Todo en orden!" if self.ok else f"Faltan {len(self.fallos)} cosas por resolver."
        if len(self.fallos) == 1:
            estado = "Falta 1 cosa por resolver."
        lineas = [f"{self.titulo}: {estado}", *(c.texto() for c in self.comprobaciones)]
        return "\n".join(lineas)

    __str__ = texto

    def __repr__(self) -> str:
        return self.texto()

    def _repr_html_(self) -> str:
        color = "#1e8449" if self.ok else "#b03a2e"
        estado = "¡Todo en orden!" if self.ok else "Aún falta algo"
        filas = []
        for c in self.comprobaciones:
            icono = MARCA_OK if c.ok else (MARCA_FALLO if c.obligatoria else ICONO_SUGERENCIA)
            pista = (
                f'<div style="margin-left:1.6em;color:#555">{escape(c.pista)}</div>'
                if c.pista and not c.ok
                else ""
            )
            filas.append(f'<li style="list-style:none">{icono} {escape(c.mensaje)}{pista}</li>')
        return (
            f'<div class="cj-informe" role="status" style="border-left:4px solid {color};padding:4px 10px">'
            f'<b>{escape(self.titulo)}</b> — <span style="color:{color}">{estado}</span>'
            f'<ul style="padding-left:0;margin:4px 0">{"".join(filas)}</ul></div>'
        )


def _cuenta(n: int, palabra: str) -> str:
    """``_cuenta(1, "rasgo")`` → ``"1 rasgo"``, ``_cuenta(3, "rasgo")`` → ``"3 rasgos"``."""
    return f"{n} {palabra}{'s' if n != 1 else ''}"


def _repetidos(nombres: list[str]) -> list[str]:
    """The names written twice (ignoring accents and case), as the student wrote them.

    >>> _repetidos(["Jóvenes", "jovenes", "Mamás"])
    ['Jóvenes', 'jovenes']
    """
    simples = [_simple(n) for n in nombres]
    return sorted({n for n, simple in zip(nombres, simples, strict=True) if simples.count(simple) > 1})


def _lista(elementos: list[str]) -> str:
    if len(elementos) <= 1:
        return "".join(elementos)
    return ", ".join(elementos[:-1]) + " y " + elementos[-1]


@singledispatch
def validar(respuesta: object) -> Informe:
    """Valida una respuesta del curso y devuelve un :class:`Informe` en español."""
    if respuesta is None:
        return Informe(
            "Respuesta",
            [
                Comprobacion(
                    False,
                    "Todavía no hay respuesta.",
                    "Completa el formulario o crea el objeto con sus constructores (por ejemplo Persona(...)).",
                )
            ],
        )
    if isinstance(respuesta, list) and all(isinstance(s, Segmento) for s in respuesta) and respuesta:
        return validar(Segmentacion(respuesta))
    if isinstance(respuesta, list) and all(isinstance(m, MetricaElegida) for m in respuesta) and respuesta:
        return validar(PlanDeMetricas(respuesta))
    raise ErrorCurso(
        f"No sé comprobar un objeto de tipo {type(respuesta).__name__}.",
        pista="Comprueba un Segmentacion, Persona, MapaDeViaje, CorreoBienvenida o PlanDeMetricas.",
    )


def _cuantos_y_distintos(
    informe: Informe,
    nombres: list[str],
    requeridos: int,
    cuantos: Callable[[int], str],
    pista_cuantos: str,
    distintos: str,
    repetidos: str,
    pista_repetidos: str,
) -> None:
    """Las dos comprobaciones de toda lista del curso: que tenga los que se piden y que no repita nombres."""
    informe.comprobar(len(nombres) >= requeridos, cuantos(len(nombres)), pista=pista_cuantos)
    repetidas = _repetidos(nombres)
    informe.comprobar(not repetidas, distintos, f"{repetidos}: {_lista(repetidas)}.", pista_repetidos)


@validar.register
def validar_segmentacion(segmentacion: Segmentacion) -> Informe:
    informe = Informe("Segmentos de clientes")
    _cuantos_y_distintos(
        informe,
        [s.nombre for s in segmentacion.segmentos],
        SEGMENTOS_REQUERIDOS,
        lambda n: f"Tienes {_cuenta(n, 'segmento')}; se piden {SEGMENTOS_REQUERIDOS}.",
        "Piensa en grupos de clientes distintos entre sí, por ejemplo por edad, estilo de vida o forma de comprar.",
        "Cada segmento tiene un nombre distinto.",
        "Hay nombres de segmento repetidos",
        "Da a cada segmento un nombre que lo distinga de los demás.",
    )
    for s in segmentacion.segmentos:
        k = len(s.rasgos())
        informe.comprobar(
            k >= RASGOS_POR_SEGMENTO,
            f"El segmento {citar(s.nombre)} tiene {_cuenta(k, 'rasgo')} clave; se piden al menos "
            f"{RASGOS_POR_SEGMENTO}.",
            pista="Añade rasgos demográficos (edad, lugar), psicográficos (intereses, valores) o conductuales (cómo compra).",
        )
    for s in segmentacion.segmentos:
        tipos = sum(bool(x) for x in (s.demograficos, s.psicograficos, s.conductuales))
        if s.rasgos() and tipos < 2:
            informe.comprobar(
                False,
                f"El segmento {citar(s.nombre)} usa un solo tipo de rasgo.",
                pista="Combina lo demográfico con lo psicográfico o lo conductual: la edad sola no explica por qué compra.",
                obligatoria=False,
            )
    return informe


@validar.register
def validar_persona(persona: Persona) -> Informe:
    informe = Informe(f"Persona {citar(persona.nombre)}")
    caracteristicas = persona.caracteristicas()
    n = len(caracteristicas)
    faltan = [et.lower() for et in Persona.ETIQUETAS.values() if et not in caracteristicas]
    informe.comprobar(
        n >= CARACTERISTICAS_PERSONA,
        f"Tu persona tiene {_cuenta(n, 'característica')}; se piden al menos {CARACTERISTICAS_PERSONA}.",
        pista=f"Puedes añadir: {_lista(faltan)}." if faltan else "",
    )
    informe.comprobar(
        persona.desafios,
        "Incluye sus desafíos o puntos de dolor.",
        "Tu persona no tiene desafíos.",
        "Los desafíos explican qué le impide comprar y qué puedes resolverle: añade al menos uno.",
        obligatoria=False,
    )
    return informe


@validar.register
def validar_mapa(mapa: MapaDeViaje) -> Informe:
    informe = Informe("Mapa del customer journey")
    grupos = mapa.por_etapa()
    etapas = mapa.modelo_etapas.etapas
    vacias = [e.nombre for e in etapas if not grupos[e.clave]]
    cubiertas = len(etapas) - len(vacias)
    informe.comprobar(
        not vacias,
        f"Hay al menos una interacción en cada una de las {len(etapas)} etapas.",
        f"Tu mapa cubre {cubiertas} de {len(etapas)} etapas; faltan interacciones en: {_lista(vacias)}.",
        "Añade al menos una interacción (canal y acción del cliente) en cada etapa que falta.",
    )
    informe.comprobar(
        mapa.objetivo is not None,
        "El mapa dice su objetivo.",
        "El mapa no tiene objetivo.",
        "Escribe para qué haces el mapa, por ejemplo: «entender por qué abandonan el carrito».",
        obligatoria=False,
    )
    informe.comprobar(
        mapa.persona is not None,
        "El mapa sigue a una persona.",
        "El mapa no indica a qué persona sigue.",
        "Un mapa se hace para un segmento concreto: asígnale la persona que creaste.",
        obligatoria=False,
    )
    dolores = sum(len(i.puntos_de_dolor) for i in mapa.interacciones)
    informe.comprobar(
        dolores > 0,
        f"Identificaste {_cuenta(dolores, 'punto')} de dolor.",
        "No hay puntos de dolor en el mapa.",
        "Busca dónde el cliente se frustra o duda: ahí están tus oportunidades de mejora.",
        obligatoria=False,
    )
    return informe


@validar.register
def validar_correo(
    correo: CorreoBienvenida, clientes: Sequence[Mapping[str, object]] = CLIENTES_DE_EJEMPLO
) -> Informe:
    """El correo, renderizado para ``clientes`` (por omisión, los tres clientes de ejemplo del curso)."""
    informe = Informe("Correo de bienvenida")
    try:
        marcadores = correo.marcadores()
    except ErrorCurso as e:
        informe.comprobar(False, e.mensaje, pista=e.pista or "")
        return informe
    # Only markers every sample customer can fill count as personalisation: {tienda} or a misspelt
    # {cuidad} personalise nothing and get their own message (with the likely intended one).
    disponibles = set.intersection(*(set(c) for c in clientes)) | {"oferta"} if clientes else {"oferta"}
    desconocidos = sorted(marcadores - disponibles)
    personales = (marcadores & disponibles) - {"oferta"}
    corchetes = correo.marcadores_entre_corchetes()
    informe.comprobar(
        personales,
        f"El correo se personaliza con {_lista(['{' + m + '}' for m in sorted(personales)])}.",
        "El correo no está personalizado: no usa ningún dato del cliente.",
        (
            f"Escribe los marcadores entre llaves: {{{sorted(corchetes)[0].lower()}}} en lugar de "
            f"[{sorted(corchetes)[0]}]."
            if corchetes
            else "Saluda al cliente por su nombre con {nombre}."
        ),
    )
    lista_disponibles = _lista(["{" + d + "}" for d in sorted(disponibles)])
    for desconocido in desconocidos:
        parecido = difflib.get_close_matches(desconocido, sorted(disponibles), n=1, cutoff=0.6)
        informe.comprobar(
            False,
            f"El marcador {{{desconocido}}} no existe: no es un dato de los clientes"
            + (f"; ¿quisiste decir {{{parecido[0]}}}?" if parecido else "."),
            pista=f"Usa uno de los datos disponibles: {lista_disponibles}.",
        )
    if not desconocidos:  # each unknown marker was already reported, once
        for cliente in clientes:
            try:
                correo.renderizar(cliente)
            except ErrorCurso as e:
                informe.comprobar(
                    False, f"Para {cliente.get('nombre', 'un cliente')}: {e.mensaje}", pista=e.pista or ""
                )
                break
        else:
            informe.comprobar(
                True, f"Todos los marcadores se rellenan para los {len(clientes)} clientes de ejemplo."
            )
    oferta = correo.oferta
    mencionada = oferta is not None and (
        "oferta" in marcadores or _simple(oferta) in _simple(f"{correo.asunto} {correo.cuerpo}")
    )
    informe.comprobar(
        oferta is not None,
        f"Incluye una oferta: {citar(oferta)}.",
        "El correo no declara ninguna oferta: el campo «oferta» está vacío.",
        "Escribe la oferta o incentivo en el campo «oferta» (por ejemplo «10% de descuento en tu primera compra») "
        "y menciónala en el cuerpo con {oferta}.",
    )
    if oferta is not None:
        informe.comprobar(
            mencionada,
            "La oferta aparece en el texto del correo.",
            "La oferta no aparece en el correo.",
            "Menciónala en el cuerpo con {oferta} o escribiéndola, para que el cliente la vea.",
        )
    informe.comprobar(
        correo.llamada_a_la_accion is not None,
        "Tiene una llamada a la acción.",
        "No tiene llamada a la acción.",
        "Dile al cliente qué hacer ahora, por ejemplo «Descubre la colección».",
        obligatoria=False,
    )
    return informe


@validar.register
def validar_plan_de_metricas(plan: PlanDeMetricas) -> Informe:
    informe = Informe("Métricas clave")
    _cuantos_y_distintos(
        informe,
        [m.metrica for m in plan.metricas],
        METRICAS_REQUERIDAS,
        lambda n: f"Elegiste {_cuenta(n, 'métrica')}; se piden {METRICAS_REQUERIDAS}.",
        "Por ejemplo: tasa de conversión, tasa de retención y NPS.",
        "Las métricas son distintas entre sí.",
        "Métricas repetidas",
        "Elige métricas diferentes: cada una debe contarte algo nuevo.",
    )
    for m in plan.metricas:
        falta = [q for q, v in (("cómo la medirás", m.como), ("con qué herramienta", m.herramienta)) if not v]
        informe.comprobar(
            not falta,
            f"{citar(m.metrica)}: dices cómo medirla y con qué herramienta.",
            f"{citar(m.metrica)}: falta {_lista(falta)}.",
            "Describe el cálculo o el evento que cuentas, y la herramienta (Google Analytics, CRM, Shopify…).",
        )
    return informe


@validar.register
def validar_segmento(segmento: Segmento) -> Informe:
    informe = validar_segmentacion(Segmentacion([segmento]))
    informe.titulo = f"Segmento {citar(segmento.nombre)}"
    informe.comprobaciones = informe.comprobaciones[2:]  # the count of segments does not apply to one
    return informe


def afirmar_valido(respuesta: object) -> None:
    """Lanza ``AssertionError`` con las observaciones en español si la respuesta no es válida.

    Para las celdas de prueba de nbgrader.

    >>> from cj_course import PlanDeMetricas
    >>> afirmar_valido(PlanDeMetricas([]))
    Traceback (most recent call last):
    ...
    AssertionError: Métricas clave: Falta 1 cosa por resolver.
    ✘ Elegiste 0 métricas; se piden 3.
        → Por ejemplo: tasa de conversión, tasa de retención y NPS.
    ✔ Las métricas son distintas entre sí.
    """
    try:
        informe = validar(respuesta)
    except ErrorCurso as e:
        raise AssertionError(str(e)) from None
    if not informe.ok:
        raise AssertionError(informe.texto())


def comprobar(respuesta: object) -> Informe | None:
    """Muestra el informe de una respuesta: HTML en un cuaderno, texto en una terminal.

    Nunca lanza una traza: un error de entrada se muestra como mensaje en español.
    """
    resultado: Informe | ErrorCurso
    try:
        resultado = validar(respuesta)
    except ErrorCurso as e:
        resultado = e
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display(resultado)
            return None
    except ImportError:  # pragma: no cover - IPython is a dependency
        pass
    print(resultado.texto() if isinstance(resultado, Informe) else f"⚠️ {resultado}")
    return None


# --- concept checks: quizzes and touchpoints classified into stages --------------------------
# Appended by the widgets helper. The correct answers are an *argument*: a graded notebook never
# holds them (the hidden tests pass them), a self-check may pass them to show results at once.


_NOMBRES_ETAPAS = {e.clave: e.nombre for m in MODELOS.values() for e in m.etapas}


def _como_conjunto(valor: object, normalizar: Callable[[str], str]) -> set[str]:
    """The accepted answers: one text or several (any of them counts as correct)."""
    if isinstance(valor, str):
        return {normalizar(valor)}
    if isinstance(valor, Iterable):
        return {normalizar(v) for v in valor}
    raise ErrorCurso(
        f"Las respuestas correctas deben ser textos, no {type(valor).__name__}.",
        campo="correctas",
        pista='Usa un texto o una lista de textos aceptados, por ejemplo {"p1": "Conciencia"}.',
    )


def _etiquetas(
    claves: Iterable[str] | Mapping[str, str] | None, numerar: str | None = None
) -> dict[str, str] | None:
    """Clave -> cómo se la nombra al estudiante; con ``numerar`` («Pregunta»), una clave como «p2» o
    «i2» se nombra «Pregunta 2», como la ve el estudiante en el formulario (la clave interna no le dice
    nada). El número sale de la clave, no de la posición: una lista parcial nombra bien cada pregunta."""
    if claves is None:
        return None
    if isinstance(claves, Mapping):
        return {str(k): str(v) for k, v in claves.items()}
    if isinstance(claves, str):
        raise ErrorCurso(
            "Pasa una lista de claves, no un solo texto.",
            campo="preguntas",
            pista='Por ejemplo ["p1", "p2", "p3"].',
        )
    return {str(k): _nombre_de_clave(str(k), numerar) for k in claves}


def _nombre_de_clave(clave: str, numerar: str | None) -> str:
    numero = re.fullmatch(r"[^\W\d]{1,3}(\d+)", clave) if numerar else None
    return f"{numerar} {int(numero.group(1))}" if numero else citar(clave)


def _faltantes(
    informe: Informe,
    esperadas: dict[str, str] | None,
    dadas: dict[str, str],
    *,
    verbo: str,
    singular: str,
    plural: str,
    ninguno: str,
    como: str,
) -> None:
    if esperadas is None:
        n = len(dadas)
        informe.comprobar(
            n > 0, f"{verbo} {n} {singular if n == 1 else plural}.", f"Todavía no {ninguno}.", como
        )
        return
    faltan = [etiqueta for clave, etiqueta in esperadas.items() if clave not in dadas]
    total = len(esperadas)
    texto = f"{verbo} {total - len(faltan)} de {total} {singular if total == 1 else plural}"
    informe.comprobar(not faltan, f"{texto}.", f"{texto}; falta: {_lista(faltan)}.", como)


@validar.register
def validar_cuestionario(
    cuestionario: RespuestasCuestionario,
    preguntas: Iterable[str] | Mapping[str, str] | None = None,
    correctas: Mapping[str, object] | None = None,
) -> Informe:
    """``preguntas``: las claves (o clave -> etiqueta) que deben responderse; ``correctas``: clave -> opción."""
    informe = Informe("Cuestionario")
    esperadas = _etiquetas(
        preguntas if preguntas is not None else (list(correctas) if correctas else None), numerar="Pregunta"
    )
    _faltantes(
        informe,
        esperadas,
        cuestionario.respuestas,
        verbo="Respondiste",
        singular="pregunta",
        plural="preguntas",
        ninguno="respondiste ninguna pregunta",
        como="Elige una opción en cada pregunta.",
    )
    for clave, aceptadas in (correctas or {}).items():
        elegida = cuestionario.respuestas.get(clave)
        if elegida is None:
            continue  # already reported as missing
        etiqueta = (esperadas or {}).get(clave, _nombre_de_clave(clave, "Pregunta"))
        ok = _simple(elegida) in _como_conjunto(aceptadas, _simple)
        informe.comprobar(
            ok,
            f"{etiqueta}: correcta.",
            f"{etiqueta}: {citar(elegida)} no es la respuesta correcta.",
            "Repasa esa parte del módulo y prueba con otra opción.",
        )
    return informe


@validar.register
def validar_clasificacion(
    clasificacion: Clasificacion,
    puntos: Iterable[str] | Mapping[str, str] | None = None,
    correctas: Mapping[str, object] | None = None,
    *,
    elementos: tuple[str, str] = ("punto de contacto", "puntos de contacto"),
) -> Informe:
    """``puntos``: lo que debe clasificarse; ``correctas``: punto -> etapa(s); ``elementos``: cómo se
    llaman (singular, plural), para que unas tácticas no se cuenten como «puntos de contacto».

    >>> print(validar_clasificacion(Clasificacion({}), ["a", "b"], elementos=("táctica", "tácticas")).texto())
    Tácticas por etapa: Falta 1 cosa por resolver.
    ✘ Clasificaste 0 de 2 tácticas; falta: «a» y «b».
        → Elige la etapa de cada táctica.
    """
    singular, plural = elementos
    informe = Informe(f"{plural[:1].upper()}{plural[1:]} por etapa")
    esperados = _etiquetas(puntos if puntos is not None else (list(correctas) if correctas else None))
    ninguno = "ninguna" if singular.endswith("a") else "ningún"
    _faltantes(
        informe,
        esperados,
        clasificacion.asignaciones,
        verbo="Clasificaste",
        singular=singular,
        plural=plural,
        ninguno=f"clasificaste {ninguno} {singular}",
        como=f"Elige la etapa de cada {singular}.",
    )
    for punto, aceptadas in (correctas or {}).items():
        elegida = clasificacion.asignaciones.get(punto)
        if elegida is None:
            continue
        ok = elegida in _como_conjunto(aceptadas, normalizar_etapa)
        nombre = _NOMBRES_ETAPAS.get(elegida, elegida)
        informe.comprobar(
            ok,
            f"{citar(punto)} va en {nombre}: correcto.",
            f"{citar(punto)} no va en {nombre}.",
            "Piensa en qué momento del recorrido ocurre: ¿antes de conocer la marca, al comparar, "
            "al pagar o después de comprar?",
        )
    return informe


def afirmar_correctas(respuesta: object, correctas: Mapping[str, object]) -> None:
    """Para las pruebas ocultas: ``AssertionError`` en español si falta o falla alguna respuesta.

    Solo dice *qué* está mal, nunca cuál era la respuesta correcta.

    >>> afirmar_correctas(RespuestasCuestionario({"p1": "Lealtad"}), {"p1": "Conciencia"})
    Traceback (most recent call last):
    ...
    AssertionError: Cuestionario: Falta 1 cosa por resolver.
    ✔ Respondiste 1 de 1 pregunta.
    ✘ Pregunta 1: «Lealtad» no es la respuesta correcta.
        → Repasa esa parte del módulo y prueba con otra opción.
    """
    if not isinstance(respuesta, RespuestasCuestionario | Clasificacion):
        afirmar_valido(respuesta)  # None or a wrong type: the usual Spanish message
        raise AssertionError(
            f"Se esperaba un cuestionario o una clasificación, no {type(respuesta).__name__}."
        )
    try:
        if isinstance(respuesta, RespuestasCuestionario):
            informe = validar_cuestionario(respuesta, correctas=correctas)
        else:
            informe = validar_clasificacion(respuesta, correctas=correctas)
    except ErrorCurso as e:
        raise AssertionError(str(e)) from None
    if not informe.ok:
        raise AssertionError(informe.texto())
