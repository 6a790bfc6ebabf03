"""Lo que comparten todos los formularios: guardar, recuperar y comentar la respuesta en vivo.

Cómo se guarda (la decisión, en corto):

* Cada cambio del estudiante reconstruye el objeto del curso (``Persona``, ``MapaDeViaje``…) a partir
  de lo que muestra el formulario. Si se puede construir, se guarda de forma atómica en
  ``respuestas/<ejercicio>.json`` (con :func:`cj_course.persistencia.guardar_respuesta`): ese archivo
  es *la respuesta* que leen las pruebas y nbgrader.
* Las partes que todavía no cuentan (una interacción sin canal, un segmento sin nombre) no se
  pierden: el estado completo del formulario se guarda además en
  ``respuestas/<ejercicio>.borrador.json``. Cuando todo lo visible cuenta, el borrador se borra.
* Si nada se puede construir (una persona sin nombre), la respuesta deja de existir —lo que se
  califica es lo que el estudiante ve— pero el borrador guarda el formulario *y* la última
  respuesta completa, que un botón permite recuperar.
* Al volver a ejecutar la celda (reinicio, «Run All», nbgrader) el formulario usa el borrador solo si
  corresponde exactamente a la respuesta guardada; si no (un corte entre las dos escrituras), manda
  la respuesta. Así ``formulario.respuesta`` y ``cargar_respuesta(...)`` dan siempre lo mismo.
* Crear o mostrar un formulario nunca escribe archivos: solo lo hace un cambio del estudiante.
  (Ejecutar los cuadernos de soluciones no deja ``respuestas/`` en la carpeta fuente de nbgrader.)
* Los formularios de las piezas de «Mi negocio» (segmentos, persona, mapa, correo, métricas) leen el
  proyecto al crearse (lo que ofrecen: tus segmentos, tus personas, tus etapas) y, al guardar una respuesta
  válida, la llevan al proyecto con :func:`cj_course.proyecto.llevar_al_proyecto`, la misma función que
  usa quien responde en código. La calificación de cada tarea no depende de ese archivo.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import re
import time
import warnings
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

import ipywidgets as widgets

from .._errores import ErrorCurso
from ..modelo import ObjetoDelCurso
from ..persistencia import (
    Carpeta,
    apartar,
    cargar_respuesta,
    escribir_atomico,
    guardar_respuesta,
    ruta_borrador,
    ruta_respuesta,
)
from ..proyecto import MiNegocio, cargar_proyecto, llevar_al_proyecto
from ..validacion import Informe, validar

_registro = logging.getLogger("cj_course.widgets")
# The forms alive in this kernel: when one changes the project, the others offer what it now has.
_VIVOS: weakref.WeakSet[Formulario[Any]] = weakref.WeakSet()

M = TypeVar("M", bound=ObjetoDelCurso)
ANCHO_ETIQUETA = "13em"
VERSION_BORRADOR = 1


# --- small builders: every control gets a Spanish label, a tooltip and an example ----------


def _disposicion(ancho: str = "100%") -> widgets.Layout:
    return widgets.Layout(width=ancho, max_width="48em")


def _etiquetado(etiqueta: str, ayuda: str, ancho: str = "100%") -> dict[str, Any]:
    """What every labelled control shares: its Spanish label, its tooltip, the label width, the layout."""
    return dict(
        description=etiqueta,
        tooltip=ayuda,
        style={"description_width": ANCHO_ETIQUETA},
        layout=_disposicion(ancho),
    )


def campo_texto(
    etiqueta: str, ayuda: str, ejemplo: str = "", *, opciones: list[str] | None = None
) -> widgets.Text:
    """Un texto de una línea; con ``opciones`` (aunque sea una lista vacía) sugiere valores y acepta otros."""
    if opciones is not None:
        return widgets.Combobox(
            options=list(opciones), ensure_option=False, placeholder=ejemplo, **_etiquetado(etiqueta, ayuda)
        )
    return widgets.Text(placeholder=ejemplo, **_etiquetado(etiqueta, ayuda))


def campo_area(etiqueta: str, ayuda: str, ejemplo: str = "", filas: int = 2) -> widgets.Textarea:
    return widgets.Textarea(placeholder=ejemplo, rows=filas, **_etiquetado(etiqueta, ayuda))


def campo_lista(
    etiqueta: str, ayuda: str, opciones: list[tuple[str, Any]], valor: Any = None
) -> widgets.Dropdown:
    return widgets.Dropdown(options=opciones, value=valor, **_etiquetado(etiqueta, ayuda, "auto"))


def campo_varios(etiqueta: str, ayuda: str, opciones: list[tuple[str, Any]]) -> widgets.SelectMultiple:
    """Una lista de la que se eligen varios (Ctrl + clic, o Mayús + flechas con el teclado)."""
    return widgets.SelectMultiple(options=opciones, rows=3, **_etiquetado(etiqueta, ayuda, "auto"))


def boton(texto: str, ayuda: str, icono: str = "", estilo: str = "") -> widgets.Button:
    return widgets.Button(
        description=texto, tooltip=ayuda, icon=icono, button_style=estilo, layout=widgets.Layout(width="auto")
    )


def encabezado(texto: str, nivel: int = 4) -> widgets.HTML:
    return widgets.HTML(f"<h{nivel} style='margin:0.6em 0 0.2em'>{html.escape(texto)}</h{nivel}>")


def ayuda_html(texto: str) -> widgets.HTML:
    return widgets.HTML(f"<div style='color:#444;max-width:48em'>{texto}</div>")


# --- raw text -> list items, the way students type them ------------------------------------


def elementos(texto: str) -> list[str]:
    """Elementos cortos: uno por línea o separados por comas / punto y coma.

    >>> elementos("tecnología, viajes\\nfitness; ")
    ['tecnología', 'viajes', 'fitness']
    """
    return [p.strip() for p in re.split(r"[,;\n]", texto or "") if p.strip()]


def lineas(texto: str) -> list[str]:
    """Frases: una por línea (pueden llevar comas).

    >>> lineas("poco tiempo, mucho trabajo\\n\\nno encuentra su talla")
    ['poco tiempo, mucho trabajo', 'no encuentra su talla']
    """
    return [p.strip() for p in (texto or "").splitlines() if p.strip()]


def unir(lista: list[str] | None, separador: str = "\n") -> str:
    """The inverse of :func:`lineas` (one per line) or, with ``", "``, of :func:`elementos`."""
    return separador.join(lista or [])


def texto_de(estado: object, clave: str) -> str:
    """Un texto del estado guardado; cualquier otra cosa (borrador manipulado) cuenta como vacío."""
    valor = estado.get(clave) if isinstance(estado, dict) else None
    return valor if isinstance(valor, str) else ""


def vacio(*textos: str) -> bool:
    return not any((t or "").strip() for t in textos)


# --- files (paths and atomic writes come from persistencia) ----------------------------------


def _leer_borrador(ruta: Path, formulario: str) -> tuple[dict[str, Any] | None, str | None]:
    """``(borrador, aviso)``; un borrador dañado o de otro formulario se aparta, nunca se pisa."""
    if not ruta.exists():
        return None, None
    try:
        datos = json.loads(ruta.read_bytes().decode("utf-8"))
        if not (
            isinstance(datos, dict)
            and datos.get("tipo") == "Borrador"
            and datos.get("formulario") == formulario
            and isinstance(datos.get("estado"), dict)
        ):
            raise ValueError("no es un borrador de este formulario")
        return datos, None
    except (ValueError, UnicodeDecodeError, RecursionError) as e:
        apartado = apartar(ruta)
        motivo = "no es un borrador de este formulario" if "borrador" in str(e) else "está dañado"
        return None, (f"El borrador {ruta.name} {motivo}. Lo guardé aparte como {apartado.name}.")
    except OSError as e:
        return None, f"No se pudo leer {ruta.name}: {e.strerror}. Revisa los permisos de la carpeta."


def cargar(ejercicio: str, tipo: type[M], carpeta: Carpeta = None) -> M | None:
    """La respuesta guardada por un formulario, sin widgets (para pruebas y calificadores).

    Es exactamente lo que el formulario mostraba como respuesta. Devuelve ``None`` si no hay
    respuesta; si el archivo estaba dañado, lo aparta y avisa con un ``UserWarning`` en español.
    """
    respuesta, aviso = cargar_respuesta(ejercicio, tipo, carpeta)
    if aviso:
        warnings.warn(aviso, UserWarning, stacklevel=2)
    return respuesta


# --- the base form -------------------------------------------------------------------------


class Formulario(widgets.VBox, Generic[M]):
    """Base de los formularios: estado crudo <-> objeto del curso, guardado y retroalimentación.

    Genérica en su objeto: ``FormularioPersona`` es un ``Formulario[Persona]`` y su ``respuesta``
    es una ``Persona | None``.

    Cada subclase define ``tipo``, ``titulo``, los controles (``_crear_controles``) y cuatro
    funciones puras sobre un *estado* (un diccionario JSON con lo que muestran los controles):
    ``_leer_estado``, ``_poner_estado``, ``construir`` y ``estado_de``.
    """

    tipo: type[M]  # set by each subclass, on the class
    titulo: str = "Ejercicio"  # not a ClassVar: the concept checks take their title per instance
    instrucciones: ClassVar[str] = ""
    # The answer is a piece of «Mi negocio»: the form reads the project and takes its answer there.
    del_proyecto: ClassVar[bool] = False

    def __init__(self, ejercicio: str, *, carpeta: Carpeta = None, **kwargs: Any) -> None:
        ruta_respuesta(ejercicio, carpeta)  # a clear Spanish error for a bad exercise name
        self.ejercicio = ejercicio
        # Resolved now: the answer stays beside *this* notebook even if the code changes directory later.
        self.carpeta = Path(carpeta).resolve() if carpeta is not None else Path.cwd()
        self._respuesta: M | None = None
        self._notas: list[str] = []
        self._error: ErrorCurso | None = None
        self._silencio = 0
        self._guardado_json: str | None = None
        self._guardado_borrador: str | None = None
        self._ultima_completa: dict[str, Any] | None = None
        self.proyecto: MiNegocio | None = None
        aviso_proyecto = None
        if self.del_proyecto:
            # Read once, before the controls: they offer what the project has (a corrupt file is set aside).
            self.proyecto, aviso_proyecto = cargar_proyecto(self.carpeta)

        self._aviso = widgets.HTML(layout=widgets.Layout(display="none"))
        self._nota_proyecto = widgets.HTML()
        self._estado_guardado = widgets.HTML()
        self._informe = widgets.HTML()
        self._boton_recuperar = boton(
            "Recuperar la última respuesta completa",
            "Vuelve a poner en el formulario la última respuesta que se pudo guardar completa",
            "undo",
        )
        self._boton_recuperar.layout.display = "none"
        self._boton_recuperar.on_click(self._recuperar)

        with self._sin_guardar():
            controles = self._crear_controles()
            cabecera = [widgets.HTML(f"<h3 style='margin:0.2em 0'>{html.escape(self.titulo)}</h3>")]
            if self.instrucciones:
                cabecera.append(ayuda_html(self.instrucciones))
            super().__init__(
                children=[
                    *cabecera,
                    self._aviso,
                    self._nota_proyecto,
                    *controles,
                    *self._vista_previa(),
                    self._boton_recuperar,
                    self._estado_guardado,
                    self._informe,
                ],
                **kwargs,
            )
            self.add_class("cj-formulario")
            self._recargar()
            self._actualizar(guardar=False)
            if aviso_proyecto:
                self._mostrar_aviso(aviso_proyecto)
            self._mostrar_nota_proyecto()
        if self.del_proyecto:
            _VIVOS.add(self)

    # -- what subclasses provide ------------------------------------------------------------
    def _crear_controles(self) -> list[widgets.Widget]:
        raise NotImplementedError

    def _vista_previa(self) -> list[widgets.Widget]:
        return []

    # Forms made of one text control per field only list them in ``campos``; the others override both.
    campos: ClassVar[tuple[str, ...]] = ()

    def _leer_estado(self) -> dict[str, Any]:
        return {campo: self.controles[campo].value for campo in self.campos}

    def _poner_estado(self, estado: dict[str, Any]) -> None:
        for campo in self.campos:
            self.controles[campo].value = texto_de(estado, campo)

    @classmethod
    def construir(cls, estado: dict[str, Any]) -> tuple[M | None, list[str]]:
        """``(objeto, notas)``: el objeto que se puede construir y qué partes aún no cuentan.

        ``(None, [])`` si el formulario está vacío; :class:`ErrorCurso` si tiene contenido que no
        forma ningún objeto válido todavía.
        """
        raise NotImplementedError

    @classmethod
    def estado_de(cls, respuesta: M) -> dict[str, Any]:
        raise NotImplementedError

    def _informe_de(self, respuesta: M | None) -> Informe:
        if respuesta is None:
            # Each form names its own constructor (an empty map form suggesting Persona(...) misleads).
            from ..validacion import Comprobacion

            nombre = self.tipo.__name__
            return Informe(
                "Respuesta",
                [
                    Comprobacion(
                        False,
                        "Todavía no hay respuesta.",
                        f"Completa el formulario, o escribe tu respuesta en código con {nombre}(...) en la celda "
                        "de respuesta de abajo (tiene un ejemplo).",
                    )
                ],
            )
        return validar(respuesta)

    def _actualizar_vista(self, respuesta: M | None) -> None:
        """Redibuja la vista previa (si la hay) tras cada cambio."""

    # -- «Mi negocio» (only for forms with ``del_proyecto``) -----------------------------------
    def _datos_para_el_proyecto(self) -> dict[str, Any]:
        """Lo que el formulario añade al proyecto además de su respuesta (los campos del correo…)."""
        return {}

    def _ofrecer_del_proyecto(self, proyecto: MiNegocio | None) -> None:
        """Pone en los controles lo que ofrece el proyecto (tus segmentos, tus etapas…)."""

    def _que_ofrece(self, proyecto: MiNegocio) -> str:
        """Una frase: qué toma este formulario de tu proyecto."""
        return ""

    def _mostrar_nota_proyecto(self) -> None:
        if not self.del_proyecto:
            return
        if self.proyecto is None:
            texto = (
                "Todavía no tienes un proyecto «Mi negocio». Cuando guardes tus segmentos (módulo 3), este "
                "formulario y los siguientes te ofrecerán lo tuyo: tus segmentos, tus personas, tus etapas."
            )
        else:
            texto = (
                f"Tu proyecto «{self.proyecto.nombre}»: lo que guardes aquí se suma a él. "
                + self._que_ofrece(self.proyecto)
            )
        self._nota_proyecto.value = (
            f"<div role='note' style='color:#1a5276;font-size:90%'>{html.escape(texto)}</div>"
        )

    def _llevar_al_proyecto(self, respuesta: M) -> None:
        """The valid answer goes into the project; the other live forms then offer what it has."""
        try:
            proyecto = llevar_al_proyecto(respuesta, self.carpeta, **self._datos_para_el_proyecto())
        except ErrorCurso as e:
            self._mostrar_aviso(f"Tu respuesta se guardó, pero no pude sumarla a tu proyecto: {e.mensaje}")
            return
        for formulario in list(_VIVOS):
            if formulario.carpeta == self.carpeta:
                formulario._proyecto_al_dia(proyecto)

    def _proyecto_al_dia(self, proyecto: MiNegocio) -> None:
        """Another form (or this one) changed the project: offer its new parts and check again."""
        self.proyecto = proyecto
        with self._sin_guardar():
            self._ofrecer_del_proyecto(proyecto)
        self._mostrar_nota_proyecto()
        self._mostrar_informe()

    # -- public ------------------------------------------------------------------------------
    @property
    def respuesta(self) -> M | None:
        """El objeto del curso que el formulario muestra ahora (``None`` si aún no hay respuesta)."""
        return self._respuesta

    @property
    def ruta(self) -> Path:
        return ruta_respuesta(self.ejercicio, self.carpeta)

    @property
    def ruta_borrador(self) -> Path:
        return ruta_borrador(self.ejercicio, self.carpeta)

    @property
    def motivo_sin_respuesta(self) -> str:
        """Por qué ``respuesta`` es ``None``, en una frase para el estudiante (``""`` si hay respuesta).

        Es el mensaje de las comprobaciones que piden una respuesta. Lo apartado se busca en la carpeta
        (no en la memoria del formulario): así lo ve también quien califica con una copia de la entrega.

        >>> import tempfile
        >>> from cj_course.widgets import FormularioPersona
        >>> carpeta = Path(tempfile.mkdtemp())
        >>> (carpeta / "respuestas").mkdir()
        >>> _ = (carpeta / "respuestas" / "m3_persona.json").write_text("{roto", encoding="utf-8")
        >>> print(FormularioPersona("m3_persona", carpeta=carpeta).motivo_sin_respuesta)  # doctest: +ELLIPSIS
        La respuesta guardada en .../m3_persona.json estaba dañada o era de otro ejercicio: la aparté, sin borrarla, en .../m3_persona.json.corrupto-... Vuelve a completar el formulario «Tu buyer persona» ...
        """
        if self._respuesta is not None:
            return ""
        que = f"el formulario «{self.titulo}»"
        if self._error is not None:
            pista = f" {self._error.pista}" if self._error.pista else ""
            return (
                f"{que[0].upper()}{que[1:]} todavía no forma una respuesta: {self._error.mensaje}{pista} "
                "Corrígelo arriba y vuelve a ejecutar las celdas."
            )
        # Set aside by cargar_respuesta/_recargar (persistencia.apartar): "<name>.corrupto-<date>";
        # exercise names are plain words (ruta_respuesta checks them), so the glob needs no escaping.
        apartados = sorted(
            self.ruta.parent.glob(f"{self.ruta.name}.corrupto-*"), key=lambda p: p.stat().st_mtime
        )
        if apartados:
            return (
                f"La respuesta guardada en {self._relativa(self.ruta)} estaba dañada o era de otro "
                f"ejercicio: la aparté, sin borrarla, en {self._relativa(apartados[-1])}. Vuelve a "
                f"completar {que} (o escribe tu respuesta en código) y ejecuta otra vez las celdas."
            )
        if self._ultima_completa is not None:
            return (
                f"Vaciaste {que}; tu última respuesta completa sigue en {self._relativa(self.ruta_borrador)}: "
                "pulsa «Recuperar la última respuesta completa» o vuelve a completarlo."
            )
        return (
            f"Todavía no hay respuesta: completa {que} (se guarda solo en {self._relativa(self.ruta)}) "
            "o escribe tu respuesta en código, y vuelve a ejecutar las celdas."
        )

    @classmethod
    def cargar(cls, ejercicio: str, carpeta: Carpeta = None) -> M | None:
        """La respuesta guardada por este formulario, sin crear widgets."""
        return cargar(ejercicio, cls.tipo, carpeta)

    def __repr__(self) -> str:
        if self._respuesta is None:
            return f"{type(self).__name__}('{self.ejercicio}'): todavía sin respuesta"
        nombre = getattr(self._respuesta, "nombre", None)
        que = f"{type(self._respuesta).__name__} «{nombre}»" if nombre else type(self._respuesta).__name__
        return f"{type(self).__name__}('{self.ejercicio}'): respuesta {que} guardada en {self.ruta}"

    # -- machinery ---------------------------------------------------------------------------
    def _vigilar(self, *controles: widgets.Widget) -> None:
        for control in controles:
            control.observe(self._al_cambiar, names="value")

    @contextlib.contextmanager
    def _sin_guardar(self) -> Iterator[None]:
        """Changes made by the form itself (loading, converting) do not count as the student's."""
        self._silencio += 1
        try:
            yield
        finally:
            self._silencio -= 1

    def _al_cambiar(self, _cambio: object = None) -> None:
        if self._silencio:
            return
        self._cambio_del_estudiante()

    def _cambio_del_estudiante(self) -> None:
        """Rebuild, save and comment; never lets an exception reach the student as a traceback."""
        try:
            self._actualizar(guardar=True)
        except Exception as e:  # a bug must not cost the student the page: say it in Spanish
            _registro.debug("Fallo al actualizar el formulario", exc_info=True)
            self._mostrar_aviso(
                f"Algo falló al procesar el cambio ({type(e).__name__}: {e}). "
                "Tu última respuesta guardada sigue a salvo; vuelve a ejecutar la celda."
            )

    def _actualizar(self, *, guardar: bool) -> None:
        estado = self._leer_estado()
        try:
            respuesta, notas = self.construir(estado)
            error = None
        except ErrorCurso as e:
            respuesta, notas, error = None, [], e
        self._respuesta, self._notas, self._error = respuesta, notas, error
        if guardar:
            self._guardar(estado, respuesta, notas, error)
        self._mostrar_informe()
        self._boton_recuperar.layout.display = (
            "" if respuesta is None and self._ultima_completa is not None else "none"
        )
        self._actualizar_vista(respuesta)

    def _guardar(
        self, estado: dict[str, Any], respuesta: M | None, notas: list[str], error: ErrorCurso | None
    ) -> None:
        ruta, borrador = self.ruta, self.ruta_borrador
        try:
            if respuesta is not None:
                texto = respuesta.a_json()
                if texto != self._guardado_json or not ruta.exists():
                    guardar_respuesta(self.ejercicio, respuesta, self.carpeta)
                    self._guardado_json = texto
                self._ultima_completa = respuesta.a_dict()
                if self.del_proyecto:
                    self._llevar_al_proyecto(respuesta)
                if notas:  # written after the answer: a draft is only trusted if it matches it
                    self._escribir_borrador(estado, respuesta.a_dict(), None, notas)
                    que = f"Guardado en {self._relativa(ruta)} y el resto en {self._relativa(borrador)}"
                else:
                    borrador.unlink(missing_ok=True)
                    self._guardado_borrador = None
                    que = f"Guardado en {self._relativa(ruta)}"
            elif error is None and self._ultima_completa is None:
                # Empty and never answered: nothing worth a file (e.g. a blank row was just added).
                borrador.unlink(missing_ok=True)
                ruta.unlink(missing_ok=True)
                self._guardado_borrador = self._guardado_json = None
                que = "Todavía no hay nada que guardar"
            else:
                motivo = [error.mensaje] if error else ["el formulario está vacío"]
                self._escribir_borrador(estado, None, self._ultima_completa, motivo)
                ruta.unlink(missing_ok=True)  # only after the draft (holding the last answer) is safe
                self._guardado_json = None
                que = f"Borrador guardado en {self._relativa(borrador)}; todavía no hay respuesta"
            self._estado_guardado.value = (
                f"<div role='status' style='color:#555;font-size:90%'>{html.escape(que)} "
                f"({time.strftime('%H:%M:%S')}).</div>"
            )
        except OSError as e:
            self._mostrar_aviso(
                f"No pude guardar en {ruta.parent}: {e.strerror or e}. Lo que ves sigue en el formulario, "
                "pero se perderá al reiniciar el núcleo: revisa que la carpeta exista y tenga permiso de escritura."
            )

    def _escribir_borrador(
        self,
        estado: dict[str, Any],
        respuesta: dict[str, Any] | None,
        ultima: dict[str, Any] | None,
        notas: list[str],
    ) -> None:
        texto = json.dumps(
            {
                "tipo": "Borrador",
                "version": VERSION_BORRADOR,
                "formulario": type(self).__name__,
                "ejercicio": self.ejercicio,
                "estado": estado,
                "respuesta": respuesta,
                "ultima_respuesta": ultima,
                "pendiente": notas,
            },
            ensure_ascii=False,
            indent=2,
        )
        if texto != self._guardado_borrador or not self.ruta_borrador.exists():
            escribir_atomico(self.ruta_borrador, texto)
            self._guardado_borrador = texto

    def _recargar(self) -> None:
        """Put back what was saved, without writing anything (a corrupt file is only set aside)."""
        avisos = []
        respuesta, aviso = cargar_respuesta(self.ejercicio, self.tipo, self.carpeta)
        if aviso:
            avisos.append(aviso)
        borrador, aviso = _leer_borrador(self.ruta_borrador, type(self).__name__)
        if aviso:
            avisos.append(aviso)
        guardada = respuesta.a_dict() if respuesta is not None else None
        candidatos: list[tuple[Path, Callable[[], dict[str, Any]]]] = []
        if borrador is not None and borrador.get("respuesta") == guardada:
            candidatos.append((self.ruta_borrador, lambda: borrador["estado"]))
            ultima = borrador.get("ultima_respuesta")
            self._ultima_completa = ultima if isinstance(ultima, dict) else guardada
        elif guardada is not None:
            self._ultima_completa = guardada
        if respuesta is not None:
            self._guardado_json = respuesta.a_json()
            candidatos.append((self.ruta, lambda: self.estado_de(respuesta)))
        origen = None
        for ruta, estado in candidatos:
            try:
                self._poner_estado(estado())
                origen = ruta
                break
            except (ErrorCurso, TypeError, ValueError, KeyError, AttributeError) as e:
                _registro.debug("Estado guardado inutilizable", exc_info=True)
                self._poner_estado({})
                apartado = apartar(ruta)
                avisos.append(
                    f"No pude usar lo guardado en {ruta.name} ({e}). Lo guardé aparte como {apartado.name}."
                )
                if ruta == self.ruta:
                    self._guardado_json = None
        if avisos:
            self._mostrar_aviso(" ".join(avisos))
        if origen is not None:
            self._estado_guardado.value = (
                f"<div role='status' style='color:#555;font-size:90%'>Recuperado de "
                f"{html.escape(self._relativa(origen))}. Cada cambio se guarda solo.</div>"
            )
        else:
            self._estado_guardado.value = (
                "<div role='status' style='color:#555;font-size:90%'>Cada cambio se guarda solo en "
                f"{html.escape(self._relativa(self.ruta))}.</div>"
            )

    def _recuperar(self, _boton: object = None) -> None:
        if self._ultima_completa is None:
            return
        try:
            respuesta = self.tipo.desde_dict(self._ultima_completa)
        except ErrorCurso as e:
            self._mostrar_aviso(f"No se pudo recuperar la última respuesta: {e.mensaje}")
            return
        with self._sin_guardar():
            self._poner_estado(self.estado_de(respuesta))
        self._cambio_del_estudiante()

    def _mostrar_aviso(self, texto: str) -> None:
        self._aviso.value = ErrorCurso(texto)._repr_html_()
        self._aviso.layout.display = ""

    def _mostrar_informe(self) -> None:
        partes = []
        if self._error is not None:
            partes.append(
                ErrorCurso(
                    f"Aún no se puede guardar como respuesta: {self._error.mensaje}",
                    campo=self._error.campo,
                    pista=self._error.pista,
                )._repr_html_()
            )
        if self._notas:
            items = "".join(f"<li>{html.escape(n)}</li>" for n in self._notas)
            partes.append(
                "<div role='status' style='border-left:4px solid #d68910;padding:4px 10px;"
                f"background:#fef5e7'>Todavía no cuenta:<ul style='margin:2px 0'>{items}</ul></div>"
            )
        if self._error is None:
            try:
                partes.append(self._informe_de(self._respuesta)._repr_html_())
            except ErrorCurso as e:
                partes.append(e._repr_html_())
        self._informe.value = "".join(partes)

    def _relativa(self, ruta: Path) -> str:
        try:
            return str(ruta.relative_to(Path.cwd()))
        except ValueError:
            return str(ruta)
