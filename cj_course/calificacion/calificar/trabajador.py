"""El trabajador: un proceso que califica entregas completas con el ``Autograde`` de nbgrader.

El resultado es el de ``nbgrader autograde`` (mismas carpetas ``autograded/``, mismo libro de
calificaciones, formgrader sigue funcionando), con tres cambios:

* todo lo que lee o escribe el libro de calificaciones ocurre dentro de un cerrojo común a todos los
  trabajadores (las escrituras van en serie; ejecutar, lo lento, va en paralelo);
* el cuaderno del estudiante se ejecuta aislado (:mod:`.aislamiento`) y los puntos los decide código de
  confianza fuera de su núcleo (:mod:`.confiable`), en el preprocesador :class:`.ejecucion.EjecucionConfiable`
  que ocupa el lugar del ``Execute`` de nbgrader;
* se anota lo que trae cada cuaderno (celdas borradas, tiempos agotados, salidas enormes) para explicarlo.

>>> _ids_calificables(__import__("nbformat").v4.new_notebook())
set()
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import logging
import os
import signal
import time
from collections.abc import Callable, Iterator
from typing import Any

from .._curso import cargar_aplicacion, con_programas_del_entorno
from .diagnostico import diagnosticar, es_bloqueo, explicar_error
from .plan import Estado, Pendiente, Resultado

_REINTENTOS_BLOQUEO = 3


class _ConCerrojo:
    """Un preprocesador de nbgrader que solo se ejecuta con el cerrojo del libro tomado."""

    def __init__(self, preprocesador: Any, cerrojo: Any) -> None:
        self.preprocesador = preprocesador
        self.cerrojo = cerrojo

    def __call__(self, nb: Any, resources: Any) -> Any:
        with self.cerrojo:
            return self.preprocesador(nb, resources)


class _Observar:
    """Anota lo que trae el cuaderno en un punto del proceso, sin tocarlo (para explicar lo que pasó)."""

    def __init__(self, funcion: Callable[[Any, str], None]) -> None:
        self.funcion = funcion

    def __call__(self, nb: Any, resources: Any) -> Any:
        self.funcion(nb, resources["nbgrader"]["notebook"])
        return nb, resources


def _ids_calificables(nb: Any) -> set[str]:
    return {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None}


def clase_autograde() -> type:
    """La clase ``Autograde`` del curso (se crea al usarla: importar nbgrader cuesta)."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute, LimitOutput

    from .ejecucion import EjecucionConfiable

    class AutogradeDelCurso(Autograde):
        """El ``Autograde`` de nbgrader, con el libro tras un cerrojo y la ejecución aislada y de confianza."""

        def __init__(
            self, *args: Any, cerrojo: Any = None, ajustes: dict[str, Any] | None = None, **kwargs: Any
        ) -> None:
            super().__init__(*args, **kwargs)
            self.cerrojo = cerrojo if cerrojo is not None else contextlib.nullcontext()
            self.ajustes = ajustes or {}
            self.omitida = False
            self.error: BaseException | None = None
            self.estado_ejecucion: dict[str, Any] = {}
            # per notebook: grade ids as submitted and as graded, and what execution left in the cells
            self.observado: dict[str, dict[str, Any]] = {}
            self.sospechas: list[str] = []
            self.avisos_de_la_fuente: list[str] = []

        def init_destination(self, assignment_id: str, student_id: str) -> bool:
            procesar = bool(super().init_destination(assignment_id, student_id))
            self.omitida = not procesar
            return procesar

        def init_assignment(self, assignment_id: str, student_id: str) -> None:
            try:
                with self.cerrojo:
                    super().init_assignment(assignment_id, student_id)
            except BaseException as e:
                self.error = e
                raise

        def _init_preprocessors(self) -> None:
            super()._init_preprocessors()
            envueltos: list[Any] = [
                _Observar(self._anotar_entregado if self._sanitizing else self._anotar_calificado)
            ]
            limite = next(
                (pp.max_lines for pp in self.exporter._preprocessors if isinstance(pp, LimitOutput)), -1
            )
            for pp in self.exporter._preprocessors:
                if isinstance(pp, Execute):
                    envueltos.append(EjecucionConfiable(original=pp, conversor=self, **self.ajustes))
                    envueltos.append(_Observar(functools.partial(self._anotar_ejecucion, limite=limite)))
                else:
                    envueltos.append(_ConCerrojo(pp, self.cerrojo))
            self.exporter._preprocessors = envueltos

        def _anotar_entregado(self, nb: Any, cuaderno: str) -> None:
            self.observado.setdefault(cuaderno, {})["entregado"] = _ids_calificables(nb)

        def _anotar_calificado(self, nb: Any, cuaderno: str) -> None:
            self.observado.setdefault(cuaderno, {})["calificado"] = _ids_calificables(nb)

        def _anotar_ejecucion(self, nb: Any, cuaderno: str, limite: int) -> None:
            avisos = self.observado.setdefault(cuaderno, {}).setdefault("avisos", [])
            for numero, celda in enumerate(nb.cells, start=1):
                if celda.cell_type != "code":
                    continue
                lineas = trozos = 0  # LimitOutput counts len(text.split("\n")) per stream output
                for salida in celda.get("outputs", []):
                    if salida.get("output_type") == "stream":
                        lineas += salida.get("text", "").count("\n")
                        trozos += len(salida.get("text", "").split("\n"))
                    elif salida.get("output_type") == "error" and salida.get("ename") == "CellTimeoutError":
                        avisos.append(
                            f"La celda {numero} de {cuaderno} superó el tiempo máximo y se interrumpió "
                            "(¿un bucle infinito?): cuenta como error y el resto se calificó."
                        )
                    elif salida.get("output_type") == "error" and salida.get("ename") == "SystemExit":
                        avisos.append(
                            f"La celda {numero} de {cuaderno} llama a sys.exit(): se detuvo esa celda "
                            "y el resto se calificó."
                        )
                if limite >= 0 and trozos > limite:
                    avisos.append(
                        f"La salida de la celda {numero} de {cuaderno} era enorme ({lineas} líneas) y se "
                        f"recortó a las primeras {limite}."
                    )

        def convert_single_notebook(self, notebook_filename: str) -> None:
            try:
                super().convert_single_notebook(notebook_filename)
            except BaseException as e:
                self.error = e
                self.estado_ejecucion["cuaderno"] = os.path.basename(notebook_filename)
                raise

    return AutogradeDelCurso


class _JsonschemaConCache:
    """``jsonschema`` for nbgrader's metadata checks, with the validator built once per schema.

    nbgrader validates every cell's metadata with ``jsonschema.validate(meta, schema)``, which checks
    the schema itself and builds a validator on every call: a fifth of a worker's CPU per notebook.
    The schema never changes, so building it once gives the same errors for less work.
    """

    def __init__(self, modulo: Any) -> None:
        self._modulo = modulo
        self._validadores: dict[str, Any] = {}

    def __getattr__(self, nombre: str) -> Any:
        return getattr(self._modulo, nombre)

    def validate(self, instance: Any, schema: Any, *args: Any, **kwargs: Any) -> None:
        if args or kwargs:
            self._modulo.validate(instance, schema, *args, **kwargs)
            return
        clave = json.dumps(schema, sort_keys=True)
        validador = self._validadores.get(clave)
        if validador is None:
            clase = self._modulo.validators.validator_for(schema)
            clase.check_schema(schema)
            validador = self._validadores[clave] = clase(schema)
        error = self._modulo.exceptions.best_match(validador.iter_errors(instance))
        if error is not None:
            raise error


_CACHE_JSONSCHEMA: dict[str, _JsonschemaConCache] = {}


@contextlib.contextmanager
def validacion_de_metadatos_rapida() -> Iterator[None]:
    """nbgrader valida los metadatos con un validador construido una vez (y se deja como estaba al salir)."""
    from nbgrader.nbgraderformat import common

    anterior = common.jsonschema
    if not isinstance(anterior, _JsonschemaConCache):
        common.jsonschema = _CACHE_JSONSCHEMA.setdefault("jsonschema", _JsonschemaConCache(anterior))
    try:
        yield
    finally:
        common.jsonschema = anterior


_TRABAJADOR: dict[str, Any] = {}


def iniciar_trabajador(
    raiz: str,
    argumentos: list[str],
    cerrojo: Any,
    registro_nucleos: str | None,
    parar: Any = None,
    ajustes: dict[str, Any] | None = None,
    ranura: Any = None,
) -> None:
    """Prepara un proceso trabajador: configuración del curso cargada una sola vez."""
    # Ctrl+C reaches the whole process group. A worker always finishes the submission it is grading
    # (never half a gradebook write); the parent tells it, through `parar`, not to start another.
    # Kernels run in their own session and handle their own interrupts.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if registro_nucleos:
        # The kernels inherit the worker's stdout/stderr: their warnings go to the log, not over the bar.
        fd = os.open(registro_nucleos, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        os.close(fd)
    app = cargar_aplicacion(raiz, argumentos)
    for manejador in list(app.log.handlers):
        app.log.removeHandler(manejador)
    app.log.propagate = False
    numero = 0
    if ranura is not None:
        with ranura.get_lock():
            numero = ranura.value
            ranura.value += 1
    _TRABAJADOR.update(
        app=app,
        clase=clase_autograde(),
        cerrojo=cerrojo,
        parar=parar,
        ajustes={**(ajustes or {}), "ranura": numero},
    )


def calificar_entrega(pendiente: Pendiente, forzar: bool) -> Resultado:
    """Califica una entrega en este trabajador (preparado con :func:`iniciar_trabajador`)."""
    app = _TRABAJADOR["app"]
    parar = _TRABAJADOR.get("parar")
    tarea, estudiante = pendiente.tarea, pendiente.estudiante
    if parar is not None and parar.is_set():
        return Resultado(
            tarea, estudiante, Estado.INTERRUMPIDA, ["No se calificó: la calificación se interrumpió antes."]
        )
    inicio = time.perf_counter()
    buffer = io.StringIO()
    manejador = logging.StreamHandler(buffer)
    manejador.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
    app.log.addHandler(manejador)
    resultado = Resultado(tarea, estudiante, Estado.CALIFICADA)
    try:
        with validacion_de_metadatos_rapida(), con_programas_del_entorno():
            for intento in range(_REINTENTOS_BLOQUEO + 1):
                conversor = _TRABAJADOR["clase"](
                    coursedir=app.coursedir,
                    parent=app,
                    cerrojo=_TRABAJADOR["cerrojo"],
                    ajustes=_TRABAJADOR["ajustes"],
                )
                app.coursedir.assignment_id = tarea
                app.coursedir.student_id = estudiante
                conversor.force = forzar or intento > 0
                conversor.create_student = True
                try:
                    conversor.start()
                except Exception as e:
                    error = conversor.error or e
                    if es_bloqueo(error) and intento < _REINTENTOS_BLOQUEO:
                        app.log.warning("Libro de calificaciones bloqueado; reintento %d", intento + 1)
                        time.sleep(0.5 * (intento + 1))
                        continue
                    resultado.estado = Estado.FALLIDA
                    resultado.motivos.append(explicar_error(error, conversor.estado_ejecucion))
                else:
                    if conversor.omitida:
                        resultado.estado = Estado.OMITIDA
                        resultado.motivos.append(
                            "Ya estaba calificada y la entrega no cambió (usa --forzar para repetir)."
                        )
                    else:
                        resultado.motivos.extend(
                            diagnosticar(
                                app.coursedir, tarea, estudiante, pendiente.esperadas, conversor.observado
                            )
                        )
                        resultado.sospechas.extend(conversor.sospechas)
                        resultado.motivos.extend(conversor.avisos_de_la_fuente)
                break
    finally:
        app.log.removeHandler(manejador)
        resultado.segundos = time.perf_counter() - inicio
        resultado.registro = buffer.getvalue()
    return resultado
