"""Calificar a toda la clase en paralelo con nbgrader, sin perder ni duplicar una nota.

nbgrader califica las entregas de una en una (upstream #174): con cientos de estudiantes son horas.
Aquí cada trabajador (un proceso) califica entregas completas con el propio ``Autograde`` de
nbgrader, de modo que el resultado es el mismo que el de ``nbgrader autograde``: mismas carpetas
``autograded/``, mismo libro de calificaciones, y formgrader sigue funcionando.

Cómo se mantiene íntegro el libro de calificaciones (SQLite por defecto, PostgreSQL con ``db_url``):

* Cada entrega (tarea, estudiante) se reparte a un único trabajador: nadie la califica dos veces.
* Ejecutar el cuaderno (lo lento: arrancar el núcleo y correr las celdas) ocurre en paralelo y no
  toca la base de datos.
* Todo lo que lee o escribe el libro (dar de alta al estudiante y la entrega, reescribir las celdas
  de prueba desde el original, guardar las notas, penalizar retrasos) ocurre dentro de un cerrojo
  común a todos los trabajadores: las escrituras van en serie. Cada paso abre y cierra su propia
  conexión (así lo hace nbgrader), de modo que no queda ninguna transacción abierta fuera del cerrojo
  y SQLite nunca ve dos escritores a la vez.
* Si aun así la base está bloqueada por otro programa (formgrader guardando una nota), la entrega
  se vuelve a calificar desde cero tras una pausa; las operaciones de nbgrader son «actualizar o
  crear», así que repetir no duplica nada.

Y para que cada cuaderno cueste poco más que ejecutarlo: al terminar, su núcleo se detiene de
inmediato (ya entregó todas sus salidas) en lugar de esperar a que Python cierre ordenadamente
pandas, matplotlib y los widgets.

>>> resultado = Resultado("m1", "ana", "fallida", ["El cuaderno no es JSON válido."])
>>> resultado.calificada
False
"""

from __future__ import annotations

import contextlib
import glob
import io
import logging
import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .._errores import ErrorCurso

ESTADOS = ("calificada", "omitida", "fallida", "sin_entrega", "interrumpida")
_REINTENTOS_BLOQUEO = 3


class Calificacion(list):
    """Los :class:`Resultado` de una calificación, y el archivo de registro con el detalle."""

    registro: Path | None = None


@dataclass
class Resultado:
    """Lo que pasó con una entrega: su estado, los motivos (en español) y la nota del libro."""

    tarea: str
    estudiante: str
    estado: str
    motivos: list[str] = field(default_factory=list)
    puntos: float | None = None
    maximo: float | None = None
    segundos: float = 0.0
    registro: str = ""

    @property
    def calificada(self) -> bool:
        return self.estado == "calificada"


# --------------------------------------------------------------------------- the course

def _asegurar_path() -> None:
    # nbgrader runs `alembic` as a program when it creates a gradebook: it must be on PATH even when
    # cj-course is called by its full path without activating the environment.
    carpeta = os.path.dirname(sys.executable)
    if carpeta not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = carpeta + os.pathsep + os.environ.get("PATH", "")


def cargar_aplicacion(raiz: str | os.PathLike | None = None, argumentos: Sequence[str] = (), clase=None):
    """Una aplicación de nbgrader con la configuración del curso, como la cargaría ``nbgrader``.

    Con ``raiz``, la del ``nbgrader_config.py`` de esa carpeta; sin ella, la de la carpeta actual y
    la de Jupyter (``~/.jupyter``, ``/etc/jupyter``), que puede fijar ``c.CourseDirectory.root``.
    ``argumentos`` son opciones de línea de órdenes de nbgrader (``--Execute.timeout=5``) que
    prevalecen sobre los archivos, como en ``nbgrader``.
    """
    from nbgrader.apps import AutogradeApp

    _asegurar_path()
    carpeta = Path(raiz).resolve() if raiz is not None else Path.cwd()
    if not carpeta.is_dir():
        raise ErrorCurso(f"La carpeta del curso {carpeta} no existe.", campo="curso",
                         pista="Indica la carpeta que contiene nbgrader_config.py con --curso.")
    clase = clase or AutogradeApp
    anterior = os.getcwd()
    os.chdir(carpeta)
    try:
        app = clase()
        app.initialize(list(argumentos))
    except SystemExit as e:
        raise ErrorCurso("nbgrader no pudo leer la configuración del curso.", campo="curso",
                         pista="Revisa nbgrader_config.py y las opciones que pasaste.") from e
    finally:
        os.chdir(anterior)
    if raiz is not None:
        app.coursedir.root = str(carpeta)
    if not Path(app.coursedir.root).is_dir():
        raise ErrorCurso(f"La carpeta del curso {app.coursedir.root} (c.CourseDirectory.root) no existe.",
                         campo="curso", pista="Corrige c.CourseDirectory.root o indica la carpeta con --curso.")
    return app


def tareas_del_curso(coursedir) -> list[str]:
    """Las tareas de la carpeta fuente (``solutions/`` en este curso), en orden."""
    fuente = Path(coursedir.format_path(coursedir.source_directory, ".", "*"))
    return sorted(Path(p).name for p in glob.glob(str(fuente)) if Path(p).is_dir())


def entregas_de(coursedir, tarea: str) -> list[str]:
    """Los estudiantes con una carpeta de entrega para ``tarea`` en ``submitted/``."""
    patron = coursedir.format_path(coursedir.submitted_directory, "*", tarea)
    estudiantes = []
    for carpeta in glob.glob(patron):
        if not os.path.isdir(carpeta):
            continue
        relativa = Path(carpeta).relative_to(Path(coursedir.root) / coursedir.submitted_directory)
        estudiantes.append(relativa.parts[0])
    return sorted(estudiantes)


def _celdas_calificables(db_url: str, course_id: str, tarea: str) -> dict[str, list[str]]:
    """Por cuaderno de la tarea, los ``grade_id`` de sus celdas calificables (del libro)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(db_url, course_id) as gb:
        try:
            asignacion = gb.find_assignment(tarea)
        except MissingEntry:
            raise ErrorCurso(
                f"La tarea «{tarea}» no está en el libro de calificaciones.", campo="tarea",
                pista="Genera antes la versión del estudiante: cj-course liberar (o nbgrader generate_assignment).",
            ) from None
        return {nb.name: sorted(c.name for c in nb.grade_cells) for nb in asignacion.notebooks}


# --------------------------------------------------------------------------- the worker

class _ConCerrojo:
    """Un preprocesador de nbgrader que solo se ejecuta con el cerrojo del libro tomado."""

    def __init__(self, preprocesador, cerrojo):
        self.preprocesador = preprocesador
        self.cerrojo = cerrojo

    def __call__(self, nb, resources):
        with self.cerrojo:
            return self.preprocesador(nb, resources)


class _Ejecucion:
    """El preprocesador ``Execute`` de nbgrader, sin cerrojo, que recuerda qué celda corría."""

    def __init__(self, preprocesador, estado: dict):
        self.preprocesador = preprocesador
        self.estado = estado

        def al_empezar(cell=None, cell_index=None, **_):
            estado["celda"] = (cell_index, cell)

        preprocesador.on_cell_start = al_empezar

    def __call__(self, nb, resources):
        return self.preprocesador(nb, resources)


class _Observar:
    """Anota lo que trae el cuaderno en un punto del proceso, sin tocarlo (para explicar lo que pasó)."""

    def __init__(self, funcion):
        self.funcion = funcion

    def __call__(self, nb, resources):
        self.funcion(nb, resources["nbgrader"]["notebook"])
        return nb, resources


def _ids_calificables(nb) -> set[str]:
    return {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None}


def _clase_autograde():
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute, LimitOutput

    class AutogradeSerializado(Autograde):
        """El ``Autograde`` de nbgrader con los accesos al libro de calificaciones dentro de un cerrojo."""

        def __init__(self, *args, cerrojo=None, **kwargs):
            super().__init__(*args, **kwargs)
            self.cerrojo = cerrojo if cerrojo is not None else contextlib.nullcontext()
            self.omitida = False
            self.error: BaseException | None = None
            self.estado_ejecucion: dict = {}
            # per notebook: grade ids as submitted and as graded, and what execution left in the cells
            self.observado: dict[str, dict] = {}

        def init_destination(self, assignment_id, student_id):
            procesar = super().init_destination(assignment_id, student_id)
            self.omitida = not procesar
            return procesar

        def init_assignment(self, assignment_id, student_id):
            try:
                with self.cerrojo:
                    super().init_assignment(assignment_id, student_id)
            except BaseException as e:
                self.error = e
                raise

        def _init_preprocessors(self):
            super()._init_preprocessors()
            envueltos = []
            if self._sanitizing:
                envueltos.append(_Observar(self._anotar_entregado))
            else:
                envueltos.append(_Observar(self._anotar_calificado))
            limite = next((pp.max_lines for pp in self.exporter._preprocessors if isinstance(pp, LimitOutput)), -1)
            for pp in self.exporter._preprocessors:
                if isinstance(pp, Execute):
                    envueltos.append(_Ejecucion(pp, self.estado_ejecucion))
                    envueltos.append(_Observar(lambda nb, cuaderno, limite=limite: self._anotar_ejecucion(
                        nb, cuaderno, limite)))
                else:
                    envueltos.append(_ConCerrojo(pp, self.cerrojo))
            self.exporter._preprocessors = envueltos

        def _anotar_entregado(self, nb, cuaderno):
            self.observado.setdefault(cuaderno, {})["entregado"] = _ids_calificables(nb)

        def _anotar_calificado(self, nb, cuaderno):
            self.observado.setdefault(cuaderno, {})["calificado"] = _ids_calificables(nb)

        def _anotar_ejecucion(self, nb, cuaderno, limite):
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
                        avisos.append(f"La celda {numero} de {cuaderno} superó el tiempo máximo y se interrumpió "
                                      "(¿un bucle infinito?): cuenta como error y el resto se calificó.")
                    elif salida.get("output_type") == "error" and salida.get("ename") == "SystemExit":
                        avisos.append(f"La celda {numero} de {cuaderno} llama a sys.exit(): se detuvo esa celda "
                                      "y el resto se calificó.")
                if limite >= 0 and trozos > limite:
                    avisos.append(f"La salida de la celda {numero} de {cuaderno} era enorme ({lineas} líneas) y se "
                                  f"recortó a las primeras {limite}.")

        def convert_single_notebook(self, notebook_filename):
            try:
                super().convert_single_notebook(notebook_filename)
            except BaseException as e:
                self.error = e
                self.estado_ejecucion["cuaderno"] = os.path.basename(notebook_filename)
                raise

    return AutogradeSerializado


_TRABAJADOR: dict = {}


class _JsonschemaConCache:
    """``jsonschema`` for nbgrader's metadata checks, with the validator built once per schema.

    nbgrader validates every cell's metadata with ``jsonschema.validate(meta, schema)``, which checks
    the schema itself and builds a validator on every call: a fifth of a worker's CPU per notebook.
    The schema never changes, so building it once gives the same errors for less work.
    """

    def __init__(self, modulo):
        self._modulo = modulo
        self._validadores: dict[str, object] = {}

    def __getattr__(self, nombre):
        return getattr(self._modulo, nombre)

    def validate(self, instance, schema, *args, **kwargs):
        if args or kwargs:
            return self._modulo.validate(instance, schema, *args, **kwargs)
        import json

        clave = json.dumps(schema, sort_keys=True)
        validador = self._validadores.get(clave)
        if validador is None:
            clase = self._modulo.validators.validator_for(schema)
            clase.check_schema(schema)
            validador = self._validadores[clave] = clase(schema)
        error = self._modulo.exceptions.best_match(validador.iter_errors(instance))
        if error is not None:
            raise error


def _acelerar_validacion_de_metadatos() -> None:
    from nbgrader.nbgraderformat import common

    if not isinstance(common.jsonschema, _JsonschemaConCache):
        common.jsonschema = _JsonschemaConCache(common.jsonschema)


def _iniciar_trabajador(raiz: str, argumentos: list[str], cerrojo, registro_nucleos: str | None,
                        parar=None) -> None:
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
    _acelerar_validacion_de_metadatos()
    for manejador in list(app.log.handlers):
        app.log.removeHandler(manejador)
    app.log.propagate = False
    _TRABAJADOR.update(app=app, clase=_clase_autograde(), cerrojo=cerrojo, parar=parar)


def _calificar_en_trabajador(tarea: str, estudiante: str, forzar: bool,
                             esperadas: dict[str, list[str]]) -> Resultado:
    app = _TRABAJADOR["app"]
    parar = _TRABAJADOR.get("parar")
    if parar is not None and parar.is_set():
        return Resultado(tarea, estudiante, "interrumpida", ["No se calificó: la calificación se interrumpió antes."])
    inicio = time.perf_counter()
    buffer = io.StringIO()
    manejador = logging.StreamHandler(buffer)
    manejador.setFormatter(logging.Formatter("[%(levelname)s] %(message)s"))
    app.log.addHandler(manejador)
    resultado = Resultado(tarea, estudiante, "calificada")
    try:
        for intento in range(_REINTENTOS_BLOQUEO + 1):
            conversor = _TRABAJADOR["clase"](coursedir=app.coursedir, parent=app, cerrojo=_TRABAJADOR["cerrojo"])
            app.coursedir.assignment_id = tarea
            app.coursedir.student_id = estudiante
            conversor.force = forzar or intento > 0
            conversor.create_student = True
            try:
                conversor.start()
            except Exception as e:
                error = conversor.error or e
                if _es_bloqueo(error) and intento < _REINTENTOS_BLOQUEO:
                    app.log.warning("Libro de calificaciones bloqueado; reintento %d", intento + 1)
                    time.sleep(0.5 * (intento + 1))
                    continue
                resultado.estado = "fallida"
                resultado.motivos.append(explicar_error(error, conversor.estado_ejecucion, app))
            else:
                if conversor.omitida:
                    resultado.estado = "omitida"
                    resultado.motivos.append("Ya estaba calificada y la entrega no cambió (usa --forzar para repetir).")
                else:
                    resultado.motivos.extend(diagnosticar(app.coursedir, tarea, estudiante, esperadas,
                                                          conversor.observado))
            break
    finally:
        app.log.removeHandler(manejador)
        resultado.segundos = time.perf_counter() - inicio
        resultado.registro = buffer.getvalue()
    return resultado


def _es_bloqueo(error: BaseException) -> bool:
    texto = str(error).lower()
    return "database is locked" in texto or "database table is locked" in texto


# --------------------------------------------------------------------------- explaining what happened

def explicar_error(error: BaseException, estado: dict, app=None) -> str:
    """Un motivo en español para una entrega que nbgrader no pudo calificar."""
    from nbformat.reader import NotJSONError

    cuaderno = estado.get("cuaderno", "el cuaderno")
    nombre = type(error).__name__
    if isinstance(error, NotJSONError) or nombre in ("NotJSONError", "JSONDecodeError"):
        return (f"{cuaderno} no es un cuaderno válido (el archivo no es JSON: está dañado o incompleto). "
                "Pide al estudiante que lo vuelva a entregar.")
    if nombre in ("ValidationError", "NBFormatError") or "validat" in nombre.lower():
        return (f"{cuaderno} no cumple el formato de cuaderno de Jupyter ({str(error).splitlines()[0][:200]}). "
                "Pide al estudiante que lo vuelva a entregar.")
    if nombre in ("UnresponsiveKernelError", "DeadKernelError"):
        celda = estado.get("celda")
        donde = ""
        if celda and celda[0] is not None:
            indice, contenido = celda
            primera = (contenido.source.strip().splitlines() or [""])[0][:80] if contenido is not None else ""
            donde = f" al ejecutar la celda {indice + 1} («{primera}»)"
        return (f"El núcleo de Python se cerró{donde} en {cuaderno}: el código terminó el proceso "
                "(os._exit, falta de memoria o un fallo del intérprete) y el resto no se pudo ejecutar. "
                "Corrige esa celda en la entrega o califica a mano con formgrader.")
    if nombre in ("SchemaTooOldError", "SchemaTooNewError"):
        return (f"{cuaderno} usa otra versión de los metadatos de nbgrader. "
                "Actualízalo con «nbgrader update» o pide una entrega nueva.")
    if nombre == "OperationalError" or _es_bloqueo(error):
        return ("No se pudo escribir en el libro de calificaciones: "
                f"{str(error).splitlines()[0][:200]}. Vuelve a ejecutar «cj-course calificar» cuando esté libre.")
    if nombre == "MissingEntry":
        return "La tarea o el cuaderno no está en el libro de calificaciones: genera la tarea antes de calificar."
    detalle = "".join(traceback.format_exception_only(type(error), error)).strip().splitlines()[-1][:300]
    return f"nbgrader no pudo calificar la entrega ({detalle}). Mira los detalles en el registro."


def diagnosticar(coursedir, tarea: str, estudiante: str, esperadas: dict[str, list[str]],
                 observado: dict[str, dict]) -> list[str]:
    """Avisos en español sobre una entrega ya calificada: cuadernos que faltan, celdas borradas
    (y si se restauraron), tiempo agotado, ``sys.exit`` y salidas enormes."""
    avisos = []
    entregado = Path(coursedir.format_path(coursedir.submitted_directory, estudiante, tarea))
    for cuaderno, ids in esperadas.items():
        if not (entregado / f"{cuaderno}.ipynb").exists():
            avisos.append(f"Falta {cuaderno}.ipynb en la entrega: sus ejercicios valen 0.")
            continue
        visto = observado.get(cuaderno, {})
        presentes = visto.get("entregado", set(ids))
        calificadas = visto.get("calificado", presentes)
        borradas = [i for i in ids if i not in presentes]
        # Whether they came back depends on the course's configuration (RestaurarCeldas,
        # OverwriteCells.add_missing_cells): look at what was actually graded.
        restauradas = [i for i in borradas if i in calificadas]
        perdidas = [i for i in borradas if i not in calificadas]
        if restauradas:
            avisos.append(f"Borró celdas calificables de {cuaderno} ({', '.join(restauradas)}): se "
                          "restauraron desde el original y se calificaron.")
        if perdidas:
            avisos.append(f"Borró celdas calificables de {cuaderno} ({', '.join(perdidas)}): nbgrader no "
                          "las restaura y quedan sin nota automática (califícalas a mano en formgrader o "
                          "activa la restauración en nbgrader_config.py).")
        avisos.extend(visto.get("avisos", []))
    return avisos


# --------------------------------------------------------------------------- the parallel run

def _contexto_procesos():
    # fork is cheap (the workers inherit nbgrader already imported) and safe here: the parent has no
    # threads, kernels or open gradebook connections when the pool starts. Elsewhere, spawn.
    metodos = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in metodos and sys.platform != "darwin" else "spawn")


def calificar_en_paralelo(
    raiz: str | os.PathLike | None = None,
    tareas: Iterable[str] | None = None,
    estudiantes: Iterable[str] | None = None,
    *,
    trabajadores: int | None = None,
    forzar: bool = False,
    tiempo_maximo: int | None = None,
    db_url: str | None = None,
    progreso: bool = True,
    registro: str | os.PathLike | None = None,
    al_terminar: Callable[[Resultado], None] | None = None,
) -> Calificacion:
    """Califica con nbgrader todas las entregas de ``submitted/`` repartidas entre ``trabajadores``
    (por defecto, uno por núcleo de CPU más uno).

    ``raiz`` es la carpeta del curso (por defecto, la que diga la configuración: la actual).
    Devuelve un :class:`Resultado` por entrega (también las que faltan o fallan, con el motivo en
    español). Las notas quedan en el libro de calificaciones de nbgrader, como con
    ``nbgrader autograde``. ``registro`` es el archivo con el detalle de nbgrader y de los núcleos
    (por defecto ``cj-course-calificar.log`` en la carpeta del curso).
    """
    from nbgrader.api import Gradebook

    argumentos = []
    if tiempo_maximo is not None:
        if tiempo_maximo <= 0:
            raise ErrorCurso("El tiempo máximo por celda debe ser positivo.", campo="tiempo_maximo",
                             pista="Usa, por ejemplo, --tiempo-maximo 60.")
        argumentos.append(f"--Execute.timeout={int(tiempo_maximo)}")
    if db_url:
        argumentos.append(f"--CourseDirectory.db_url={db_url}")
    app = cargar_aplicacion(raiz, argumentos)
    if "shutdown_kernel" not in app.config.get("Execute", {}):
        # When a notebook has run, every output is already in hand: killing its kernel loses nothing.
        # nbgrader's default ("graceful") waits for the interpreter to finalise pandas, matplotlib and
        # the widgets: ~0.5 s of CPU and ~0.7 s of wall time per notebook with this course's libraries.
        argumentos.append("--Execute.shutdown_kernel=immediate")
    coursedir = app.coursedir
    raiz = coursedir.root
    if trabajadores is None:
        # One per core plus one: while a kernel starts or a worker waits for the gradebook, a core
        # would sit idle (measured on 2 cores: 3 workers grade a class 2.6× faster than nbgrader, 2 workers 2.1×).
        trabajadores = (os.cpu_count() or 1) + 1
    if trabajadores < 1:
        raise ErrorCurso("Hace falta al menos un trabajador.", campo="trabajadores", pista="Usa --trabajadores 2.")

    todas = tareas_del_curso(coursedir)
    tareas = list(tareas) if tareas else todas
    for tarea in tareas:
        if tarea not in todas:
            raise ErrorCurso(f"La tarea «{tarea}» no existe en {coursedir.source_directory}/.", campo="tarea",
                             pista=f"Tareas del curso: {', '.join(todas) or '(ninguna)'}.")
    filtro = set(estudiantes) if estudiantes else None

    resultados: list[Resultado] = []
    pendientes: list[tuple[str, str, dict[str, list[str]]]] = []
    for tarea in tareas:
        quienes = entregas_de(coursedir, tarea)
        if not quienes:
            continue
        esperadas = _celdas_calificables(coursedir.db_url, coursedir.course_id, tarea)
        for estudiante in quienes:
            if filtro is not None and estudiante not in filtro:
                continue
            if glob.has_magic(estudiante):
                resultados.append(Resultado(tarea, estudiante, "fallida", [
                    "El nombre de la carpeta del estudiante contiene *, ? o [ y nbgrader lo leería como patrón: "
                    "renómbrala."]))
                continue
            carpeta = Path(coursedir.format_path(coursedir.submitted_directory, estudiante, tarea))
            if not any((carpeta / f"{nb}.ipynb").exists() for nb in esperadas):
                nombres = ", ".join(f"{nb}.ipynb" for nb in esperadas)
                resultados.append(Resultado(tarea, estudiante, "sin_entrega", [
                    f"La entrega no contiene {nombres}: no hay nada que calificar "
                    "(¿subió otro archivo o cambió el nombre del cuaderno?)."]))
                continue
            pendientes.append((tarea, estudiante, esperadas))
    if filtro:
        vistos = {r.estudiante for r in resultados} | {p[1] for p in pendientes}
        for faltante in sorted(filtro - vistos):
            for tarea in tareas:
                resultados.append(Resultado(tarea, faltante, "sin_entrega", ["No hay carpeta de entrega."]))

    registro = Path(registro) if registro else Path(raiz) / "cj-course-calificar.log"
    registro.write_text(f"cj-course calificar — {time.strftime('%Y-%m-%d %H:%M:%S')}\n", encoding="utf-8")
    if pendientes:
        try:
            resultados += _repartir(pendientes, trabajadores, (raiz, argumentos, str(registro)), forzar=forzar,
                                    progreso=progreso, al_terminar=al_terminar)
        except KeyboardInterrupt as interrupcion:
            resultados += getattr(interrupcion, "resultados", [])
            _escribir_registro(registro, resultados)
            raise

    _anotar_notas(coursedir.db_url, coursedir.course_id, resultados, Gradebook)
    _escribir_registro(registro, resultados)
    calificacion = Calificacion(sorted(resultados, key=lambda r: (r.tarea, r.estudiante)))
    calificacion.registro = registro
    return calificacion


def _repartir(pendientes, trabajadores: int, ajustes: tuple, *, forzar: bool, progreso: bool,
              al_terminar) -> list[Resultado]:
    """Califica ``pendientes`` en un grupo de procesos; si un proceso muere, reparte de nuevo lo suyo."""
    from concurrent.futures.process import BrokenProcessPool

    from tqdm import tqdm

    contexto = _contexto_procesos()
    cerrojo, parar = contexto.Lock(), contexto.Event()
    resultados: list[Resultado] = []
    intentos: dict[tuple[str, str], int] = {}
    barra = tqdm(total=len(pendientes), desc="Calificando", unit="entrega", disable=not progreso,
                 file=sys.stderr, dynamic_ncols=True)
    fallidas = 0

    def anotar(resultado: Resultado) -> None:
        nonlocal fallidas
        fallidas += resultado.estado == "fallida"
        resultados.append(resultado)
        if al_terminar:
            al_terminar(resultado)
        barra.set_postfix_str(f"fallidas={fallidas}", refresh=False)
        barra.update(1)

    try:
        while pendientes:
            reintentar = []
            raiz, argumentos, registro = ajustes
            with ProcessPoolExecutor(max_workers=min(trabajadores, len(pendientes)), mp_context=contexto,
                                     initializer=_iniciar_trabajador,
                                     initargs=(raiz, argumentos, cerrojo, registro, parar)) as pool:
                futuros = {pool.submit(_calificar_en_trabajador, t, e, forzar, esp): (t, e, esp)
                           for t, e, esp in pendientes}
                vistos = set()
                try:
                    for futuro in as_completed(futuros):
                        vistos.add(futuro)
                        tarea, estudiante, esperadas = futuros[futuro]
                        try:
                            anotar(futuro.result())
                        except BrokenProcessPool:
                            # A worker died (out of memory, a crash): every submission it had in hand is
                            # lost with it. Grade those again in a fresh pool; the one that kills its
                            # worker twice is reported.
                            intentos[(tarea, estudiante)] = intentos.get((tarea, estudiante), 0) + 1
                            if intentos[(tarea, estudiante)] < 2:
                                reintentar.append((tarea, estudiante, esperadas))
                            else:
                                anotar(Resultado(tarea, estudiante, "fallida", [
                                    "El proceso que calificaba esta entrega murió dos veces (¿se quedó sin memoria?); "
                                    "revisa la entrega y califícala sola con --estudiante."]))
                        except Exception as e:
                            anotar(Resultado(tarea, estudiante, "fallida", [
                                f"Error inesperado al calificar: {type(e).__name__}: {e}"]))
                except KeyboardInterrupt as interrupcion:
                    parar.set()
                    barra.write("Interrumpiendo: se terminan las entregas en curso (Ctrl+C otra vez para salir ya)…", file=sys.stderr)
                    pool.shutdown(wait=True, cancel_futures=True)
                    for futuro in futuros:
                        if futuro in vistos or not futuro.done() or futuro.cancelled():
                            continue
                        if futuro.exception() is None:
                            resultados.append(futuro.result())
                    interrupcion.resultados = resultados
                    raise
            pendientes = reintentar
    finally:
        barra.close()
    return resultados


def _anotar_notas(db_url: str, course_id: str, resultados: list[Resultado], Gradebook) -> None:
    from nbgrader.api import MissingEntry

    with Gradebook(db_url, course_id) as gb:
        for r in resultados:
            if r.estado not in ("calificada", "omitida"):
                continue
            try:
                entrega = gb.find_submission(r.tarea, r.estudiante)
            except MissingEntry:
                continue
            r.puntos, r.maximo = entrega.score, entrega.max_score


def _escribir_registro(registro: Path, resultados: list[Resultado]) -> None:
    with registro.open("a", encoding="utf-8") as f:
        for r in sorted(resultados, key=lambda r: (r.tarea, r.estudiante)):
            f.write(f"\n===== {r.tarea} / {r.estudiante}: {r.estado} ({r.segundos:.1f} s)\n")
            for motivo in r.motivos:
                f.write(f"  - {motivo}\n")
            if r.registro:
                f.write(r.registro)
