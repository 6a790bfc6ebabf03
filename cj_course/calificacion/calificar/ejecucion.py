"""El preprocesador que ocupa el lugar del ``Execute`` de nbgrader en ``cj-course calificar``.

Para cada cuaderno entregado: prepara una caja (:mod:`.aislamiento`) con una copia de la entrega, ejecuta
allí el cuaderno con las celdas de prueba reducidas a su parte visible y con el arnés que exporta las
respuestas (:mod:`cj_course.calificacion.arnes`), decide los puntos fuera de la caja (:mod:`.confiable`) y
deja en cada celda de prueba del cuaderno calificado lo que vio el calificador de confianza: su salida y,
si falló, el mensaje en español (de ahí leen nbgrader, formgrader y la retroalimentación la nota).

>>> _salidas_de(Veredicto("p1", 1.0, 2.0))[-1]["data"]["text/plain"]
'1.0'
"""

from __future__ import annotations

import copy
import functools
import json
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError

from ..arnes import MIME
from ..correcciones import sin_region_oculta
from .aislamiento import Caja, Limites
from .confiable import Especificacion, Veredicto, evaluar, leer_exportaciones, preparar

MAX_ARCHIVO_COPIADO = 20 * 2**20
_SOSPECHOSO = re.compile(
    r"\b(solutions|gradebook|submitted|autograded|subprocess|socket|ctypes|setprofile|settrace|"
    r"__builtins__|builtins|os\.system|os\._exit|sys\.modules|importlib|__import__|"
    r"formatters|display_formatter|get_ipython|sqlite3|nbgrader)\b"
)


@functools.lru_cache(maxsize=32)
def _especificacion(ruta: str, tarea: str, _mtime: float) -> Especificacion:
    return preparar(Path(ruta), tarea)


def especificacion_de(coursedir: Any, tarea: str, cuaderno: str) -> Especificacion:
    """La especificación de confianza de un cuaderno (se prepara una vez por proceso y versión de la fuente)."""
    ruta = Path(coursedir.format_path(coursedir.source_directory, ".", tarea)) / f"{cuaderno}.ipynb"
    return _especificacion(str(ruta), tarea, ruta.stat().st_mtime)


def _copiar_archivos(
    origen: Path, destino: Path, *, excepto: tuple[Path, ...] = (), cuadernos: bool = True
) -> None:
    """Copia los archivos normales de ``origen`` (nunca enlaces: podrían apuntar fuera de la entrega)."""
    if not origen.is_dir():
        return
    for raiz, carpetas, archivos in os.walk(origen, followlinks=False):
        relativa = Path(raiz).relative_to(origen)
        carpetas[:] = [c for c in carpetas if not (Path(raiz) / c).is_symlink() and c != ".ipynb_checkpoints"]
        for nombre in archivos:
            fuente = Path(raiz) / nombre
            ruta = relativa / nombre
            if fuente.is_symlink() or not fuente.is_file() or any(ruta.is_relative_to(e) for e in excepto):
                continue
            if not cuadernos and fuente.suffix == ".ipynb":
                continue
            if fuente.stat().st_size > MAX_ARCHIVO_COPIADO:
                continue
            (destino / relativa).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(fuente, destino / ruta)


class GestorAislado(AsyncKernelManager):
    """Un gestor de núcleos de Jupyter que arranca el núcleo dentro de la caja y le habla por sockets Unix."""

    def __init__(self, caja: Caja, **kwargs: Any) -> None:
        super().__init__(
            transport="ipc",
            ip=str(caja.ipc / "nucleo"),
            connection_file=str(caja.ipc / "conexion.json"),
            kernel_name="python3",
            **kwargs,
        )
        self._caja = caja
        # Interrupt through the kernel's control channel: a signal to the process group would reach
        # bubblewrap itself, outside the sandbox.
        if self.kernel_spec is not None:
            self.kernel_spec.interrupt_mode = "message"

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        return self._caja.orden_del_nucleo(self.connection_file)


class ClienteAislado(NotebookClient):
    """``nbclient`` con un plazo para el cuaderno entero y un tope de bytes para sus salidas."""

    def __init__(self, nb: Any, caja: Caja, limites: Limites, **kwargs: Any) -> None:
        super().__init__(nb, **kwargs)
        self.caja = caja
        self.limites = limites
        self.exportado: list[Any] = []
        self.bytes_salida = 0
        self.recortada = False
        self.fin = time.monotonic() + limites.tiempo_total
        self.sin_tiempo = False
        base = self.timeout
        self.timeout_func = lambda cell: max(
            1, min(base or limites.tiempo_total, int(self.fin - time.monotonic()))
        )

    async def _async_handle_timeout(self, timeout: int, cell: Any = None) -> Any:
        if cell is not None:
            # The interrupted cell shows why it stopped, as with nbgrader's own Execute.
            cell.setdefault("outputs", []).append(
                nbformat.v4.new_output(
                    "error",
                    ename="CellTimeoutError",
                    evalue=f"La celda superó el tiempo máximo ({timeout} s) y se interrumpió.",
                    traceback=[f"CellTimeoutError: la celda superó el tiempo máximo ({timeout} s)."],
                )
            )
        return await super()._async_handle_timeout(timeout, cell)

    def create_kernel_manager(self) -> GestorAislado:
        self.km = GestorAislado(self.caja)
        return self.km

    async def async_execute_cell(
        self, cell: Any, cell_index: int, execution_count: int | None = None, store_history: bool = True
    ) -> Any:
        if time.monotonic() >= self.fin:
            self.sin_tiempo = True
            return cell
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

    def output(self, outs: list[Any], msg: dict[str, Any], display_id: str | None, cell_index: int) -> Any:
        contenido = msg.get("content", {})
        datos = contenido.get("data") if isinstance(contenido, dict) else None
        if isinstance(datos, dict) and MIME in datos:
            if self.nb.cells[cell_index].metadata.get("cj_course_arnes"):
                self.exportado.append(datos[MIME])
            return None  # an export printed by the student's own code is not an answer
        tamano = len(json.dumps(contenido, default=str))
        if self.bytes_salida + tamano > self.limites.salida_bytes:
            if not self.recortada:
                self.recortada = True
                outs.append(
                    nbformat.v4.new_output(
                        "stream",
                        name="stdout",
                        text=(
                            f"[La salida de este cuaderno pasó de {self.limites.salida_bytes // 2**20} MB y se recortó aquí.]\n"
                        ),
                    )
                )
            return None
        self.bytes_salida += tamano
        if (
            contenido.get("name") in ("stdout", "stderr")
            and len(contenido.get("text", "")) > self.limites.texto_bytes
        ):
            contenido["text"] = contenido["text"][: self.limites.texto_bytes] + "\n[… salida recortada]\n"
        return super().output(outs, msg, display_id, cell_index)


def _arnes(grade_id: str, espec: Especificacion, entrada: Path) -> Any:
    fuente = (
        f'__import__("cj_course.calificacion.arnes", fromlist=["exportar"]).exportar('
        f"{grade_id!r}, {espec.valores!r}, {espec.funciones!r}, {str(entrada)!r})"
    )
    return nbformat.v4.new_code_cell(fuente, metadata={"cj_course_arnes": grade_id})


def cuaderno_para_la_caja(nb: Any, espec: Especificacion, entrada: Path) -> tuple[Any, dict[int, int]]:
    """El cuaderno que se ejecuta en la caja: pruebas sin su parte oculta y el arnés antes de cada una."""
    caja = copy.deepcopy(nb)
    celdas, mapa = [], {}
    for i, celda in enumerate(caja.cells):
        meta = celda.metadata.get("nbgrader", {})
        if celda.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            celdas.append(_arnes(meta.get("grade_id", f"celda-{i}"), espec, entrada))
            celda.source = sin_region_oculta(celda.source)[0]
        mapa[i] = len(celdas)
        celdas.append(celda)
    caja.cells = celdas
    return caja, mapa


def _salidas_de(veredicto: Veredicto) -> list[Any]:
    salidas = []
    if veredicto.salida:
        salidas.append(nbformat.v4.new_output("stream", name="stdout", text=veredicto.salida[:20_000]))
    if veredicto.error is not None:
        salidas.append(
            nbformat.v4.new_output(
                "error", ename="Comprobación no superada", evalue=veredicto.error, traceback=[veredicto.error]
            )
        )
    elif veredicto.puntos < veredicto.maximo:
        salidas.append(
            nbformat.v4.new_output(
                "execute_result", data={"text/plain": repr(round(veredicto.puntos, 4))}, execution_count=None
            )
        )
    return salidas


class EjecucionConfiable:
    """Ejecuta el cuaderno en la caja y decide los puntos fuera; se usa en lugar del ``Execute`` de nbgrader."""

    def __init__(
        self,
        original: Any,
        conversor: Any,
        aislamiento: str = "bwrap",
        tiempo_total: int | None = None,
        ranura: int = 0,
    ) -> None:
        self.original = original
        self.conversor = conversor
        self.aislamiento = aislamiento
        self.limites = Limites(**({"tiempo_total": tiempo_total} if tiempo_total else {}))
        self.ranura = ranura

    def __call__(self, nb: Any, resources: Any) -> Any:
        datos = resources["nbgrader"]
        coursedir = self.conversor.coursedir
        tarea, estudiante, cuaderno = datos["assignment"], datos["student"], datos["notebook"]
        espec = especificacion_de(coursedir, tarea, cuaderno)
        for aviso in espec.avisos:
            self.conversor.log.warning(aviso)
            self.conversor.avisos_de_la_fuente.append(f"Aviso para el instructor: {aviso}")
        entrega = Path(coursedir.format_path(coursedir.submitted_directory, estudiante, tarea))
        version = Path(coursedir.format_path(coursedir.release_directory, ".", tarea))
        with (
            Caja(self.aislamiento, self.ranura, self.limites) as caja,
            tempfile.TemporaryDirectory(prefix="cj-confiable-") as confiable,
        ):
            _copiar_archivos(entrega, caja.trabajo)
            # The release's data files, as nbgrader's autograde copies them (never over the answers).
            _copiar_archivos(version, caja.trabajo, excepto=(Path("respuestas"),), cuadernos=False)
            _copiar_archivos(entrega / "respuestas", Path(confiable) / "respuestas")
            espec.escribir_llamadas(caja.entrada)
            nb_caja, mapa = cuaderno_para_la_caja(nb, espec, caja.entrada)
            cliente, parada = self._ejecutar(nb_caja, caja)
            exportaciones = leer_exportaciones(cliente.exportado)
            motivo = (
                f"{parada}: no llegó a esta comprobación. Corrige la celda que lo detuvo y vuelve a entregar."
                if parada
                else "El cuaderno se detuvo antes de llegar a esta comprobación: revisa las celdas de arriba."
            )
            veredictos = evaluar(espec, exportaciones, Path(confiable), motivo)
        self._volcar(nb, nb_caja, mapa, veredictos)
        self._sospechas(nb, nb_caja, mapa, veredictos, cliente, parada, cuaderno)
        return nb, resources

    def _ejecutar(self, nb_caja: Any, caja: Caja) -> tuple[ClienteAislado, str | None]:
        o = self.original
        cliente = ClienteAislado(
            nb_caja,
            caja,
            self.limites,
            timeout=o.timeout,
            interrupt_on_timeout=o.interrupt_on_timeout,
            error_on_timeout=o.error_on_timeout,
            allow_errors=True,
            shutdown_kernel=o.shutdown_kernel,
            startup_timeout=o.startup_timeout,
            raise_on_iopub_timeout=False,
            record_timing=False,
        )
        parada = None
        try:
            cliente.execute(cwd=str(caja.trabajo))
        except DeadKernelError:
            parada = "El núcleo de Python se cerró (os._exit, falta de memoria o demasiados procesos)"
        except Exception as e:  # the kernel could not start, or talked nonsense: grade what was exported
            parada = f"El cuaderno no se pudo ejecutar entero ({type(e).__name__})"
        if cliente.sin_tiempo and parada is None:
            parada = (
                f"El cuaderno pasó del tiempo máximo total de {self.limites.tiempo_total} s (¿un bucle que "
                "no termina?)"
            )
        return cliente, parada

    @staticmethod
    def _volcar(nb: Any, nb_caja: Any, mapa: dict[int, int], veredictos: dict[str, Veredicto]) -> None:
        for i, celda in enumerate(nb.cells):
            if celda.cell_type != "code":
                continue
            ejecutada = nb_caja.cells[mapa[i]]
            meta = celda.metadata.get("nbgrader", {})
            celda.execution_count = ejecutada.get("execution_count")
            if meta.get("grade") and not meta.get("solution") and meta.get("grade_id") in veredictos:
                celda.outputs = _salidas_de(veredictos[meta["grade_id"]])
            else:
                celda.outputs = ejecutada.get("outputs", [])

    def _sospechas(
        self,
        nb: Any,
        nb_caja: Any,
        mapa: dict[int, int],
        veredictos: dict[str, Veredicto],
        cliente: ClienteAislado,
        parada: str | None,
        cuaderno: str,
    ) -> None:
        sospechas = self.conversor.sospechas
        for i, celda in enumerate(nb.cells):
            meta = celda.metadata.get("nbgrader", {})
            gid = meta.get("grade_id")
            if (
                celda.cell_type != "code"
                or not meta.get("grade")
                or meta.get("solution")
                or gid not in veredictos
            ):
                continue
            fallo_visible = any(
                s.get("output_type") == "error" for s in nb_caja.cells[mapa[i]].get("outputs", [])
            )
            if fallo_visible and veredictos[gid].completo:
                sospechas.append(
                    f"{cuaderno}: la comprobación «{gid}» falló en el propio cuaderno del estudiante pero "
                    "pasó en la calificación de confianza (¿cambió builtins o funciones del curso?)."
                )
        codigo = "\n".join(
            c.source
            for c in nb.cells
            if c.cell_type == "code"
            and (c.metadata.get("nbgrader", {}).get("solution") or not c.metadata.get("nbgrader"))
        )
        vistas = sorted(set(_SOSPECHOSO.findall(codigo)))
        if vistas:
            sospechas.append(f"{cuaderno}: el código del estudiante menciona {', '.join(vistas)}.")
        if parada:
            sospechas.append(f"{cuaderno}: {parada}.")
        if cliente.recortada:
            sospechas.append(
                f"{cuaderno}: la salida pasó de {self.limites.salida_bytes // 2**20} MB y se recortó."
            )
        errores = [s for c in nb_caja.cells for s in c.get("outputs", []) if s.get("output_type") == "error"]
        if any(
            (s.get("ename") in ("PermissionError", "OSError") and "Permission denied" in str(s.get("evalue")))
            or "Read-only file system" in str(s.get("evalue"))
            for s in errores
        ):
            sospechas.append(f"{cuaderno}: intentó leer o escribir fuera de su entrega (permiso denegado).")
        if any(s.get("ename") == "CellTimeoutError" for s in errores):
            sospechas.append(f"{cuaderno}: una celda agotó el tiempo.")
