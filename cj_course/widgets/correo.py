"""Diseñador del correo de bienvenida: asunto, plantilla, oferta y llamada a la acción,
con la vista previa para tres clientes de ejemplo mientras escribes.

>>> import tempfile
>>> formulario = FormularioCorreo("m4_correo", carpeta=tempfile.mkdtemp())
>>> formulario.controles["asunto"].value = "¡Hola, {nombre}!"
>>> formulario.controles["cuerpo"].value = "Te esperamos en {ciudad} con {oferta}."
>>> formulario.controles["oferta"].value = "10% de descuento"
>>> formulario.respuesta.renderizar({"nombre": "Ana", "ciudad": "Lima"})[1]
'Te esperamos en Lima con 10% de descuento.'
"""

from __future__ import annotations

import html
import string
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as widgets

from .._errores import ErrorCurso
from ..modelo import CLIENTES_DE_EJEMPLO, CorreoBienvenida
from ..persistencia import Carpeta
from ..validacion import Informe, validar_correo
from ._base import (
    Formulario,
    ayuda_html,
    boton,
    campo_area,
    campo_lista,
    campo_texto,
    cargar,
    elementos,
    encabezado,
    texto_de,
    vacio,
)

_CAMPOS = ("asunto", "cuerpo", "oferta", "llamada_a_la_accion")

# Starting points only: the student rewrites them for their business.
PLANTILLAS: dict[str, tuple[str, str, str]] = {
    "Bienvenida cálida": (
        "¡Hola, {nombre}! Qué gusto tenerte aquí",
        "Hola, {nombre}:\n\nGracias por unirte a nuestra comunidad. Sabemos que buscas {producto}, "
        "así que te preparamos un regalo de bienvenida: {oferta}.\n\nCualquier duda, responde a este correo.",
        "Descubre la colección",
    ),
    "Oferta directa": (
        "{nombre}, tu regalo de bienvenida te espera",
        "Hola, {nombre}:\n\nPara tu primera compra tienes {oferta}. Es válido durante los próximos siete días.",
        "Usar mi descuento",
    ),
    "Comunidad local": (
        "{nombre}, ya eres parte de la comunidad de {ciudad}",
        "Hola, {nombre}:\n\nGracias por sumarte a nuestros clientes de {ciudad}. Te avisaremos primero de las "
        "novedades y, para empezar, te damos {oferta}.",
        "Ver novedades",
    ),
}


def _clientes(clientes: object) -> tuple[Mapping[str, object], ...]:
    """A list of dicts or a pandas DataFrame (its first three rows) -> customers as dicts of text."""
    if clientes is None:
        return CLIENTES_DE_EJEMPLO
    if hasattr(clientes, "to_dict") and hasattr(clientes, "head"):
        clientes = clientes.head(3).to_dict("records")
    if (
        not isinstance(clientes, Sequence)
        or isinstance(clientes, str)
        or not clientes
        or not all(isinstance(c, Mapping) for c in clientes)
    ):
        raise ErrorCurso(
            "Los clientes de la vista previa deben ser una lista de diccionarios.",
            campo="clientes",
            pista='Por ejemplo [{"nombre": "Ana", "ciudad": "Lima"}], o deja el valor por defecto.',
        )
    return tuple({str(k): v for k, v in c.items()} for c in clientes)


def _trozos(texto: str) -> list[tuple[str, str | None]]:
    try:
        return [(literal, nombre) for literal, nombre, _e, _c in string.Formatter().parse(texto)]
    except ValueError:
        raise ErrorCurso(
            "El texto tiene una llave { o } sin pareja.",
            pista="Los marcadores van entre llaves, como {nombre}; para una llave suelta escribe {{ o }}.",
        ) from None


def rellenar_html(texto: str, valores: Mapping[str, object]) -> tuple[str, list[str]]:
    """El texto con los marcadores rellenados (HTML escapado) y la lista de marcadores que faltan.

    Un marcador sin dato queda resaltado, para que se vea en la vista previa.

    >>> rellenar_html("Hola, {nombre} de {pais}", {"nombre": "Ana"})
    ('Hola, Ana de <mark>{pais}</mark>', ['pais'])
    """
    partes, faltan = [], []
    for literal, nombre in _trozos(texto):
        partes.append(html.escape(literal))
        if nombre is None:
            continue
        if nombre in valores and valores[nombre] is not None:
            partes.append(html.escape(str(valores[nombre])))
        else:
            faltan.append(nombre)
            partes.append(f"<mark>{{{html.escape(nombre)}}}</mark>")
    return "".join(partes), faltan


class FormularioCorreo(Formulario[CorreoBienvenida]):
    """Diseña tu correo de bienvenida personalizado y míralo como lo recibirían tres clientes.

    ``clientes``: los clientes de la vista previa (por defecto, los tres de ejemplo del curso, que
    son también los que usa la comprobación). En «Datos de tus clientes» declaras lo que sabes de ellos
    (``nombre, empresa, cargo``): esos son entonces los marcadores que valen, y se guardan en tu proyecto.
    ``formulario.respuesta`` es el :class:`~cj_course.CorreoBienvenida`. En código:
    ``llevar_al_proyecto(correo, campos=["nombre", "empresa"])`` (ver :mod:`cj_course.proyecto`).
    """

    tipo = CorreoBienvenida
    del_proyecto = True  # the fields you declare (empresa, cargo…) are your project's customer fields
    campos = _CAMPOS
    titulo = "Tu correo de bienvenida"
    instrucciones = (
        "Escribe un correo de bienvenida para tus nuevos clientes, con una <b>oferta o incentivo</b>. "
        "Personalízalo con marcadores entre llaves, como <code>{nombre}</code>; "
        "<code>{oferta}</code> pone tu oferta. Puedes partir de una plantilla."
    )

    def __init__(
        self, ejercicio: str, *, clientes: object = None, carpeta: Carpeta = None, **kwargs: Any
    ) -> None:
        self._clientes_dados = _clientes(clientes) if clientes is not None else None
        self.clientes = _clientes(clientes)
        self._anterior: dict[str, str] | None = None
        super().__init__(ejercicio, carpeta=carpeta, **kwargs)

    # -- the customers' fields: declared here or in the project --------------------------------
    def campos_declarados(self) -> list[str]:
        """Los datos de tus clientes escritos en «Datos de tus clientes» (los marcadores que puedes usar)."""
        return elementos(self.campos_clientes.value)

    def _clientes_de_prueba(self) -> tuple[Mapping[str, object], ...]:
        """Who the preview and the check use: the given customers; else, with declared fields, your
        project's sample customers (or the course's) with exactly those fields; else the course's three."""
        if self._clientes_dados is not None:
            return self._clientes_dados
        campos = self.campos_declarados()
        if not campos:
            return CLIENTES_DE_EJEMPLO
        muestras = (self.proyecto.clientes_muestra if self.proyecto else None) or CLIENTES_DE_EJEMPLO
        return tuple({c: str(m.get(c) or f"({c})") for c in campos} for m in muestras)

    def _poner_clientes(self) -> None:
        self.clientes = self._clientes_de_prueba()
        disponibles = sorted({k for c in self.clientes for k in c} | {"oferta"})
        marcadores = " ".join(f"<code>{{{html.escape(m)}}}</code>" for m in disponibles)
        self._marcadores.value = ayuda_html(f"Marcadores disponibles: {marcadores}").value
        self._titulo_vista.value = encabezado(f"Vista previa para {len(self.clientes)} clientes").value

    def _al_cambiar_campos(self, _cambio: object = None) -> None:
        self._poner_clientes()
        self._al_cambiar()

    def _datos_para_el_proyecto(self) -> dict[str, Any]:
        campos = self.campos_declarados()
        return {"campos": campos} if campos else {}

    def _ofrecer_del_proyecto(self, proyecto) -> None:
        if proyecto is not None and proyecto.campos_clientes and not self.campos_clientes.value.strip():
            self.campos_clientes.value = ", ".join(proyecto.campos_clientes)
        self._poner_clientes()
        self._actualizar_vista(self._respuesta)

    def _que_ofrece(self, proyecto) -> str:
        if not proyecto.campos_clientes:
            return "Declara en «Datos de tus clientes» lo que sabes de ellos y úsalo como marcadores."
        return f"Tus clientes tienen: {', '.join(proyecto.campos_clientes)}."

    def _crear_controles(self) -> list[widgets.Widget]:
        self.campos_clientes = campo_texto(
            "Datos de tus clientes",
            "Lo que sabes de cada cliente, separado por comas: cada dato es un marcador del correo",
            "por ejemplo: nombre, empresa, cargo",
        )
        self.campos_clientes.observe(self._al_cambiar_campos, names="value")
        self._marcadores = widgets.HTML()
        self._titulo_vista = widgets.HTML()
        self.plantilla = campo_lista(
            "Plantilla",
            "Un texto de partida que luego adaptas",
            [("— Elige un punto de partida —", ""), *((n, n) for n in PLANTILLAS)],
            "",
        )
        self.boton_plantilla = boton(
            "Usar plantilla",
            "Pone el asunto, el cuerpo y la llamada a la acción de la plantilla elegida (puedes deshacerlo)",
            "paste",
        )
        self.boton_plantilla.on_click(self._usar_plantilla)
        self.boton_deshacer = boton(
            "Deshacer plantilla", "Vuelve al texto que tenías antes de usar la plantilla", "undo"
        )
        self.boton_deshacer.layout.display = "none"
        self.boton_deshacer.on_click(self._deshacer)
        c = self.controles = {
            "asunto": campo_texto(
                "Asunto", "El asunto del correo; puede llevar marcadores", "¡Hola, {nombre}!"
            ),
            "cuerpo": campo_area(
                "Cuerpo",
                "El texto del correo, con marcadores entre llaves",
                "Hola, {nombre}: qué gusto tenerte aquí…",
                filas=7,
            ),
            "oferta": campo_texto(
                "Oferta o incentivo",
                "Lo que regalas o descuentas; aparece donde pongas {oferta}",
                "por ejemplo: 10% de descuento en tu primera compra",
            ),
            "llamada_a_la_accion": campo_texto(
                "Llamada a la acción",
                "Qué quieres que haga el cliente ahora",
                "por ejemplo: Descubre la colección",
            ),
        }
        self._vigilar(*c.values())
        with self._sin_guardar():
            self._ofrecer_del_proyecto(self.proyecto)
        return [
            self.campos_clientes,
            widgets.HBox(
                [self.plantilla, self.boton_plantilla, self.boton_deshacer],
                layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
            ),
            *c.values(),
            self._marcadores,
        ]

    def _vista_previa(self) -> list[widgets.Widget]:
        self.vista = widgets.HTML()
        return [self._titulo_vista, self.vista]

    # -- templates ---------------------------------------------------------------------------
    def _usar_plantilla(self, _boton: object = None) -> None:
        if self.plantilla.value not in PLANTILLAS:
            return
        self._anterior = {c: self.controles[c].value for c in ("asunto", "cuerpo", "llamada_a_la_accion")}
        asunto, cuerpo, llamada = PLANTILLAS[self.plantilla.value]
        with self._sin_guardar():
            self.controles["asunto"].value = asunto
            self.controles["cuerpo"].value = cuerpo
            self.controles["llamada_a_la_accion"].value = llamada
        self.boton_deshacer.layout.display = ""
        self._cambio_del_estudiante()

    def _deshacer(self, _boton: object = None) -> None:
        if self._anterior is None:
            return
        with self._sin_guardar():
            for campo, valor in self._anterior.items():
                self.controles[campo].value = valor
        self._anterior = None
        self.boton_deshacer.layout.display = "none"
        self._cambio_del_estudiante()

    # -- state -------------------------------------------------------------------------------
    @classmethod
    def construir(cls, estado: dict[str, Any]) -> tuple[CorreoBienvenida | None, list[str]]:
        textos = {campo: texto_de(estado, campo) for campo in _CAMPOS}
        if vacio(*textos.values()):
            return None, []
        faltan = [
            que for que, campo in (("el asunto", "asunto"), ("el cuerpo", "cuerpo")) if vacio(textos[campo])
        ]
        if faltan:
            raise ErrorCurso(
                f"A tu correo le falta {' y '.join(faltan)}.",
                campo="asunto" if "el asunto" in faltan else "cuerpo",
                pista="Escríbelo; mientras tanto, lo demás se guarda como borrador.",
            )
        return CorreoBienvenida(
            textos["asunto"],
            textos["cuerpo"],
            oferta=textos["oferta"] or None,
            llamada_a_la_accion=textos["llamada_a_la_accion"] or None,
        ), []

    @classmethod
    def estado_de(cls, correo: CorreoBienvenida) -> dict[str, Any]:
        return {campo: getattr(correo, campo) or "" for campo in _CAMPOS}

    def _informe_de(self, correo: CorreoBienvenida | None) -> Informe:
        if correo is None:
            return super()._informe_de(None)  # names CorreoBienvenida(...), not another form's class
        # The module 4 check cells grade with these same customers (the declared fields included).
        return validar_correo(correo, self.clientes)

    # -- preview -----------------------------------------------------------------------------
    def _actualizar_vista(self, _correo: CorreoBienvenida | None) -> None:
        if hasattr(self, "vista"):  # the project's fields arrive while the controls are being made
            self.vista.value = self.vista_previa_html()

    def vista_previa_html(self) -> str:
        """El correo tal como lo recibiría cada cliente, con un aviso por cada dato que le falte."""
        textos = {campo: self.controles[campo].value for campo in _CAMPOS}
        if vacio(textos["asunto"], textos["cuerpo"]):
            return "<div style='color:#555'>Escribe el asunto y el cuerpo para ver el correo de cada cliente.</div>"
        tarjetas = []
        for cliente in self.clientes:
            valores = dict(cliente)
            if textos["oferta"].strip():
                valores.setdefault("oferta", textos["oferta"].strip())
            nombre = html.escape(str(cliente.get("nombre", "un cliente")))
            try:
                asunto, f1 = rellenar_html(textos["asunto"].strip(), valores)
                cuerpo, f2 = rellenar_html(textos["cuerpo"].strip(), valores)
                llamada, f3 = rellenar_html(textos["llamada_a_la_accion"].strip(), valores)
            except ErrorCurso as e:
                return e._repr_html_()
            faltan = sorted(set(f1 + f2 + f3))
            aviso = ""
            if faltan:
                datos = ", ".join("{" + html.escape(f) + "}" for f in faltan)
                que = "el dato" if len(faltan) == 1 else "los datos"
                aviso = (
                    f"<div role='alert' style='color:#b03a2e'>⚠️ De {nombre} no tenemos {que} {datos}: "
                    "así el correo le llegaría con el marcador sin rellenar.</div>"
                )
            boton_html = (
                (
                    f"<div style='margin-top:6px'><span style='background:#1f618d;color:white;"
                    f"padding:3px 10px;border-radius:4px'>{llamada}</span></div>"
                )
                if llamada
                else ""
            )
            tarjetas.append(
                "<div class='cj-correo' style='border:1px solid #ccc;border-radius:6px;padding:6px 10px;"
                f"margin:4px 0;max-width:44em'><div style='color:#555'>Para: {nombre}</div>"
                f"<div><b>Asunto:</b> {asunto}</div><hr style='margin:4px 0'>"
                f"<div>{cuerpo.replace(chr(10), '<br>')}</div>{boton_html}{aviso}</div>"
            )
        return "".join(tarjetas)


def cargar_correo(ejercicio: str, carpeta: Carpeta = None) -> CorreoBienvenida | None:
    """El correo guardado por :class:`FormularioCorreo`, sin widgets (``None`` si no hay)."""
    return cargar(ejercicio, CorreoBienvenida, carpeta)
