"""Formulario del customer journey map: interacciones por etapa y la figura del mapa en vivo.

Cada interacción es una fila editable (etapa, canal, acción, pensamiento, emoción, puntos de dolor y
oportunidades). La figura la dibuja :func:`cj_course.graficos.dibujar_mapa` si está disponible; si no,
se muestra la tabla del mapa, que además es la versión en texto de la figura.

>>> import tempfile
>>> formulario = FormularioMapa("m3_mapa", carpeta=tempfile.mkdtemp(), figura="boton")
>>> formulario.etapa_nueva.value = "compra"
>>> formulario.boton_anadir.click()
>>> formulario.filas[0]["canal"].value = "Tienda en línea"
>>> formulario.filas[0]["accion"].value = "Compra desde el celular"
>>> [i.etapa for i in formulario.respuesta.interacciones]
['compra']
"""

from __future__ import annotations

import asyncio
import html
import io
from collections.abc import Callable
from typing import Any, Literal

import ipywidgets as widgets

from .._errores import ErrorCurso
from ..etapas import MODELOS, convertir_etapa, modelo_de_etapas
from ..modelo import Interaccion, MapaDeViaje, Persona
from ..persistencia import Carpeta
from ._base import (
    Formulario,
    _registro,
    boton,
    campo_area,
    campo_lista,
    campo_texto,
    cargar,
    encabezado,
    lineas,
    texto_de,
    unir,
    vacio,
)

_TEXTOS = ("canal", "accion", "pensamiento", "puntos_de_dolor", "oportunidades")
EMOCIONES = [
    ("−2 · muy negativa", -2),
    ("−1 · negativa", -1),
    ("0 · neutra", 0),
    ("+1 · positiva", 1),
    ("+2 · muy positiva", 2),
]
RETARDO_FIGURA = 0.8  # seconds without changes before the figure is redrawn


def _funcion_dibujo() -> Callable[[MapaDeViaje], Any] | None:
    """La función que dibuja el mapa (se importa al dibujar: matplotlib tarda en cargar)."""
    from ..graficos import dibujar_mapa

    return dibujar_mapa


def figura_png(mapa: MapaDeViaje, dpi: int = 80) -> bytes | None:
    """La figura del mapa en PNG, o ``None`` si no hay módulo de gráficos."""
    dibujar = _funcion_dibujo()
    if dibujar is None:
        return None
    figura = dibujar(mapa)
    try:
        memoria = io.BytesIO()
        figura.savefig(memoria, format="png", dpi=dpi)  # no "tight" bbox: it costs a second render
        return memoria.getvalue()
    finally:
        from matplotlib import pyplot

        pyplot.close(figura)  # a pyplot figure would otherwise pile up and be shown again by the notebook


def tabla_html(mapa: MapaDeViaje) -> str:
    """El mapa como tabla HTML: etapas en columnas y carriles en filas (la figura en texto)."""
    grupos = mapa.por_etapa()
    etapas = mapa.modelo_etapas.etapas

    def celda(elementos: list[str]) -> str:
        return (
            "<td style='vertical-align:top;border:1px solid #ddd;padding:3px'>"
            + "<br>".join(html.escape(e) for e in elementos)
            + "</td>"
        )

    carriles = {
        "Puntos de contacto": lambda i: [f"{i.canal}: {i.accion}"],
        "Pensamientos": lambda i: [f"«{i.pensamiento}»"] if i.pensamiento else [],
        "Emoción": lambda i: [dict((v, k) for k, v in EMOCIONES)[i.emocion]],
        "Puntos de dolor": lambda i: i.puntos_de_dolor,
        "Oportunidades": lambda i: i.oportunidades,
    }
    cabecera = "".join(
        f"<th scope='col' style='border:1px solid #ddd;padding:3px'>{html.escape(e.nombre)}</th>"
        for e in etapas
    )
    filas = []
    for nombre, extraer in carriles.items():
        celdas = "".join(celda([x for i in grupos[e.clave] for x in extraer(i)]) for e in etapas)
        filas.append(
            f"<tr><th scope='row' style='text-align:left;border:1px solid #ddd;padding:3px'>"
            f"{html.escape(nombre)}</th>{celdas}</tr>"
        )
    titulo = html.escape(mapa.objetivo or "Mapa del customer journey")
    return (
        f"<table class='cj-mapa' style='border-collapse:collapse;font-size:90%'><caption style='text-align:left'>"
        f"<b>{titulo}</b></caption><tr><td></td>{cabecera}</tr>{''.join(filas)}</table>"
    )


class FormularioMapa(Formulario[MapaDeViaje]):
    """Construye tu customer journey map: añade interacciones en cada etapa y mira el mapa crecer.

    ``figura="auto"`` redibuja la figura cuando dejas de escribir (un instante después);
    ``figura="boton"`` solo al pulsar «Actualizar figura».
    ``formulario.respuesta`` es el :class:`~cj_course.MapaDeViaje` con las interacciones completas.
    En «Persona» ofrece tus personas (las de tu proyecto) y, al guardarse, el mapa se suma a tu proyecto
    como el de esa persona; en código: ``llevar_al_proyecto(mapa)`` (ver :mod:`cj_course.proyecto`).
    """

    tipo = MapaDeViaje
    del_proyecto = (
        True  # offers your personas; the map joins the project (the metrics form offers its stages)
    )
    titulo = "Tu customer journey map"
    instrucciones = (
        "Elige la etapa y pulsa <b>Añadir interacción</b>; rellena al menos el canal y lo que hace "
        "el cliente. Se pide <b>al menos una interacción en cada etapa</b>. Pensamientos, emoción, "
        "puntos de dolor y oportunidades completan el mapa (uno por línea)."
    )

    def __init__(
        self,
        ejercicio: str,
        *,
        modelo: str = "clasico",
        figura: Literal["auto", "boton"] = "auto",
        carpeta: Carpeta = None,
        **kwargs: Any,
    ) -> None:
        self._modelo_inicial = modelo_de_etapas(modelo).clave
        if figura not in ("auto", "boton"):
            raise ErrorCurso(
                f"figura={figura!r} no es una opción.",
                campo="figura",
                pista='Usa figura="auto" (se redibuja sola) o figura="boton".',
            )
        self._modo_figura = figura
        self._pendiente: asyncio.TimerHandle | None = None
        self._quitadas: list[dict[str, Any]] = []
        super().__init__(ejercicio, carpeta=carpeta, **kwargs)

    # -- controls ----------------------------------------------------------------------------
    def _crear_controles(self) -> list[widgets.Widget]:
        self.filas: list[dict[str, widgets.Widget]] = []
        self.objetivo = campo_texto(
            "Objetivo del mapa",
            "Para qué haces este mapa",
            "por ejemplo: entender por qué abandonan el carrito",
        )
        self.persona = campo_texto(
            "Persona",
            "La persona cuyo recorrido mapeas: escribe o elige una de las tuyas",
            "por ejemplo: María",
            opciones=[],
        )
        self._ofrecer_del_proyecto(self.proyecto)
        self.modelo = campo_lista(
            "Modelo de etapas",
            "Qué etapas usa el mapa",
            [(m.nombre, m.clave) for m in MODELOS.values()],
            self._modelo_inicial,
        )
        self._vigilar(self.objetivo, self.persona)
        self.modelo.observe(self._al_cambiar_modelo, names="value")
        self._caja = widgets.VBox()
        self.etapa_nueva = campo_lista(
            "Etapa de la nueva interacción",
            "En qué etapa ocurre la interacción que añades",
            self._opciones_etapas(self._modelo_inicial),
        )
        self.boton_anadir = boton(
            "Añadir interacción", "Añade una interacción en la etapa elegida", "plus", "primary"
        )
        self.boton_anadir.on_click(self._anadir)
        self.boton_deshacer = boton(
            "Deshacer quitar", "Vuelve a poner la última interacción que quitaste", "undo"
        )
        self.boton_deshacer.layout.display = "none"
        self.boton_deshacer.on_click(self._deshacer)
        barra = widgets.HBox(
            [self.etapa_nueva, self.boton_anadir, self.boton_deshacer],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
        )
        return [self.objetivo, self.persona, self.modelo, self._caja, barra]

    def _ofrecer_del_proyecto(self, proyecto) -> None:
        self.persona.options = proyecto.nombres_personas() if proyecto is not None else []

    def _que_ofrece(self, proyecto) -> str:
        personas = proyecto.nombres_personas()
        if not personas:
            return "Aún no tiene personas: crea la tuya y aquí podrás elegirla."
        return f"En «Persona» elige una de tus personas: {', '.join(personas)}."

    def _vista_previa(self) -> list[widgets.Widget]:
        self.imagen = widgets.Image(format="png", layout=widgets.Layout(max_width="100%", display="none"))
        self.tabla = widgets.HTML()
        self.boton_figura = boton("Actualizar figura", "Vuelve a dibujar la figura del mapa", "refresh")
        self.boton_figura.on_click(lambda _b: self._dibujar())
        self.auto_figura = widgets.Checkbox(
            value=self._modo_figura == "auto",
            indent=False,
            description="Redibujar la figura sola al cambiar algo",
            tooltip="Si se desmarca, la figura solo cambia al pulsar «Actualizar figura»",
        )
        self._nota_figura = widgets.HTML()
        return [
            encabezado("Tu mapa"),
            widgets.HBox([self.boton_figura, self.auto_figura]),
            self._nota_figura,
            self.imagen,
            self.tabla,
        ]

    @staticmethod
    def _opciones_etapas(modelo: str) -> list[tuple[str, str]]:
        return [(e.nombre, e.clave) for e in modelo_de_etapas(modelo).etapas]

    def _crear_fila(self, datos: dict[str, Any]) -> dict[str, widgets.Widget]:
        modelo = modelo_de_etapas(self.modelo.value)
        propuesta = datos.get("etapa")
        etapa = (
            propuesta if isinstance(propuesta, str) and propuesta in modelo.claves() else modelo.claves()[0]
        )
        emocion = datos.get("emocion")
        emocion = emocion if emocion in (-2, -1, 0, 1, 2) and not isinstance(emocion, bool) else 0
        fila = {
            "etapa": campo_lista("Etapa", "En qué etapa ocurre", self._opciones_etapas(modelo.clave), etapa),
            "canal": campo_texto(
                "Canal / punto de contacto",
                "Dónde ocurre: escribe o elige una sugerencia",
                "por ejemplo: Instagram",
                opciones=list(modelo.etapa(etapa).canales),
            ),
            "accion": campo_texto(
                "Qué hace el cliente",
                "La acción del cliente en este punto de contacto",
                "por ejemplo: ve un anuncio de botines",
            ),
            "pensamiento": campo_texto(
                "Qué piensa", "Lo que se pregunta o piensa en ese momento", "por ejemplo: ¿serán cómodos?"
            ),
            "emocion": campo_lista(
                "Emoción", "Cómo se siente, de −2 (muy mal) a +2 (muy bien)", EMOCIONES, emocion
            ),
            "puntos_de_dolor": campo_area(
                "Puntos de dolor",
                "Qué le frustra aquí, uno por línea",
                "por ejemplo: la guía de tallas es confusa",
            ),
            "oportunidades": campo_area(
                "Oportunidades",
                "Cómo podrías mejorarlo, una por línea",
                "por ejemplo: guía de tallas interactiva",
            ),
        }
        for campo in _TEXTOS:
            fila[campo].value = texto_de(datos, campo)
        fila["quitar"] = boton("Quitar esta interacción", "Quita esta interacción del mapa", "trash")
        fila["quitar"].on_click(lambda _b, f=fila: self._quitar(f))
        fila["etapa"].observe(lambda cambio, f=fila: self._sugerir_canales(f), names="value")
        self._vigilar(*(fila[c] for c in ("etapa", "emocion", *_TEXTOS)))
        return fila

    def _sugerir_canales(self, fila: dict[str, widgets.Widget]) -> None:
        modelo = modelo_de_etapas(self.modelo.value)
        if fila["etapa"].value in modelo.claves():
            fila["canal"].options = list(modelo.etapa(fila["etapa"].value).canales)

    def _pintar_filas(self) -> None:
        cajas = []
        for i, fila in enumerate(self.filas, start=1):
            controles = [w for clave, w in fila.items() if clave != "quitar"]
            cajas.append(
                widgets.VBox(
                    [encabezado(f"Interacción {i}", 5), *controles, widgets.HBox([fila["quitar"]])],
                    layout=widgets.Layout(border="1px solid #ddd", padding="4px 8px", margin="4px 0"),
                )
            )
        self._caja.children = cajas

    # -- actions -----------------------------------------------------------------------------
    def _anadir(self, _boton: object = None) -> None:
        fila = self._crear_fila({"etapa": self.etapa_nueva.value})
        self.filas.append(fila)
        self._pintar_filas()
        fila["canal"].focus()  # keyboard users continue typing in the new row
        self._cambio_del_estudiante()

    def _quitar(self, fila: dict[str, widgets.Widget]) -> None:
        if fila not in self.filas:
            return
        self._quitadas.append(self._estado_fila(fila))
        self.filas.remove(fila)
        self._pintar_filas()
        self.boton_deshacer.layout.display = ""
        self._cambio_del_estudiante()

    def _deshacer(self, _boton: object = None) -> None:
        if not self._quitadas:
            return
        with self._sin_guardar():
            self.filas.append(self._crear_fila(self._quitadas.pop()))
        self._pintar_filas()
        self.boton_deshacer.layout.display = "" if self._quitadas else "none"
        self._cambio_del_estudiante()

    def _al_cambiar_modelo(self, cambio: dict[str, Any]) -> None:
        if self._silencio:
            return
        anterior, nuevo = cambio["old"], cambio["new"]
        with self._sin_guardar():
            self.etapa_nueva.options = self._opciones_etapas(nuevo)
            for fila in self.filas:
                # The equivalent stage of the new model, so no interaction is dropped.
                equivalentes = convertir_etapa(fila["etapa"].value, desde=anterior, hacia=nuevo)
                fila["etapa"].options = self._opciones_etapas(nuevo)
                fila["etapa"].value = equivalentes[0] if equivalentes else modelo_de_etapas(nuevo).claves()[0]
                self._sugerir_canales(fila)
        self._cambio_del_estudiante()

    # -- state -------------------------------------------------------------------------------
    @staticmethod
    def _estado_fila(fila: dict[str, widgets.Widget]) -> dict[str, Any]:
        return {c: fila[c].value for c in ("etapa", "emocion", *_TEXTOS)}

    def _leer_estado(self) -> dict[str, Any]:
        estado: dict[str, Any] = {
            "objetivo": self.objetivo.value,
            "persona": self.persona.value,
            "modelo": self.modelo.value,
            "interacciones": [self._estado_fila(f) for f in self.filas],
        }
        if self._persona_completa is not None:
            estado["persona_completa"] = self._persona_completa
        return estado

    def _poner_estado(self, estado: dict[str, Any]) -> None:
        modelo = texto_de(estado, "modelo")
        self.modelo.value = modelo if modelo in MODELOS else self._modelo_inicial
        self.etapa_nueva.options = self._opciones_etapas(self.modelo.value)
        self.objetivo.value = texto_de(estado, "objetivo")
        self.persona.value = texto_de(estado, "persona")
        completa = estado.get("persona_completa") if isinstance(estado, dict) else None
        self._persona_completa = completa if isinstance(completa, dict) else None
        guardadas = estado.get("interacciones") if isinstance(estado, dict) else None
        self.filas = [
            self._crear_fila(d)
            for d in (guardadas if isinstance(guardadas, list) else [])
            if isinstance(d, dict)
        ]
        self._pintar_filas()

    _persona_completa: dict[str, Any] | None = None  # a persona saved with more than its name (made in code)

    @classmethod
    def construir(cls, estado: dict[str, Any]) -> tuple[MapaDeViaje | None, list[str]]:
        modelo = modelo_de_etapas(texto_de(estado, "modelo") or "clasico")
        nombres = {e.clave: e.nombre for e in modelo.etapas}
        interacciones: list[Interaccion] = []
        notas: list[str] = []
        algo = False
        guardadas = estado.get("interacciones", [])
        for i, datos in enumerate(guardadas if isinstance(guardadas, list) else [], start=1):
            textos = {c: texto_de(datos, c) for c in _TEXTOS}
            emocion = datos.get("emocion", 0) if isinstance(datos, dict) else 0
            if vacio(*textos.values()) and emocion == 0:
                continue  # an empty row just added: nothing to keep yet
            algo = True
            etapa = texto_de(datos, "etapa")
            faltan = [
                que
                for que, campo in (("el canal", "canal"), ("lo que hace el cliente", "accion"))
                if vacio(textos[campo])
            ]
            donde = f"La interacción {i} ({nombres.get(etapa, etapa)})"
            if faltan:
                notas.append(f"{donde} no cuenta todavía: falta {' y '.join(faltan)}.")
                continue
            try:
                interacciones.append(
                    Interaccion(
                        etapa,
                        textos["canal"],
                        textos["accion"],
                        textos["pensamiento"] or None,
                        emocion,
                        lineas(textos["puntos_de_dolor"]),
                        lineas(textos["oportunidades"]),
                    )
                )
            except ErrorCurso as e:
                notas.append(f"{donde} no cuenta todavía: {e.mensaje}")
                continue
            if interacciones[-1].etapa not in modelo.claves():
                notas.append(f"{donde} no cuenta: su etapa no es del modelo «{modelo.nombre}».")
                interacciones.pop()
        objetivo, nombre = texto_de(estado, "objetivo"), texto_de(estado, "persona")
        if not algo and vacio(objetivo, nombre):
            return None, []
        persona = None
        if not vacio(nombre):
            completa = estado.get("persona_completa")
            if isinstance(completa, dict) and completa.get("nombre") == nombre.strip():
                persona = Persona.desde_dict(completa)
            else:
                persona = Persona(nombre)
        return MapaDeViaje(objetivo or None, interacciones, persona=persona, modelo=modelo.clave), notas

    @classmethod
    def estado_de(cls, mapa: MapaDeViaje) -> dict[str, Any]:
        estado: dict[str, Any] = {
            "objetivo": mapa.objetivo or "",
            "persona": mapa.persona.nombre if mapa.persona else "",
            "modelo": mapa.modelo,
            "interacciones": [
                {
                    "etapa": i.etapa,
                    "canal": i.canal,
                    "accion": i.accion,
                    "pensamiento": i.pensamiento or "",
                    "emocion": i.emocion,
                    "puntos_de_dolor": unir(i.puntos_de_dolor),
                    "oportunidades": unir(i.oportunidades),
                }
                for i in mapa.interacciones
            ],
        }
        if mapa.persona is not None and mapa.persona != Persona(mapa.persona.nombre):
            estado["persona_completa"] = mapa.persona.a_dict()
        return estado

    # -- the map, as a table (always) and as a figure ------------------------------------------
    def _actualizar_vista(self, mapa: MapaDeViaje | None) -> None:
        self.tabla.value = tabla_html(mapa) if mapa is not None else ""
        if not self._dibujada_alguna_vez():
            self._programar_figura(0)  # the first time, right after the cell: Run All shows the figure
        elif self.auto_figura.value:
            self._programar_figura()
        else:
            self._nota_figura.value = (
                "<div style='color:#555'>La figura puede no estar al día: pulsa «Actualizar figura».</div>"
            )

    def _dibujada_alguna_vez(self) -> bool:
        return getattr(self, "_dibujos", 0) > 0 or self._pendiente is not None

    def _programar_figura(self, retardo: float = RETARDO_FIGURA) -> None:
        """Redraw once the student pauses (the kernel's event loop); without a loop, at once."""
        try:
            bucle = asyncio.get_running_loop()
        except RuntimeError:  # no kernel event loop (plain Python, tests): draw now
            self._dibujar()
            return
        if self._pendiente is not None:
            self._pendiente.cancel()
        self._pendiente = bucle.call_later(retardo, self._dibujar)

    def _dibujar(self) -> None:
        self._pendiente = None
        self._dibujos = getattr(self, "_dibujos", 0) + 1
        mapa = self._respuesta
        try:
            png = figura_png(mapa) if mapa is not None and mapa.interacciones else None
        except Exception as e:  # the figure is a bonus: never a traceback, the table stays
            _registro.debug("No se pudo dibujar el mapa", exc_info=True)
            self._nota_figura.value = ErrorCurso(
                f"No se pudo dibujar la figura ({e}); la tabla de abajo muestra tu mapa."
            )._repr_html_()
            self.imagen.layout.display = "none"
            return
        self._nota_figura.value = ""
        if png is None:
            self.imagen.layout.display = "none"
        else:
            self.imagen.value = png
            self.imagen.layout.display = ""


def cargar_mapa(ejercicio: str, carpeta: Carpeta = None) -> MapaDeViaje | None:
    """El mapa guardado por :class:`FormularioMapa`, sin widgets (``None`` si no hay)."""
    return cargar(ejercicio, MapaDeViaje, carpeta)
