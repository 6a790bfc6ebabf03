"""El espacio de trabajo del estudiante y el arranque del curso (``bash scripts/curso.sh``).

El estudiante nunca trabaja en las fuentes del curso (``modules/``, ``exercises/``): la primera vez se
copian a ``mi_curso/`` (ignorada por git), y JupyterLab se abre allí. Un manifiesto guarda la huella
de cada archivo copiado; así, en los arranques siguientes, lo que el estudiante cambió nunca se
sobrescribe y lo nuevo del curso se añade al lado.

>>> import tempfile, pathlib
>>> raiz = pathlib.Path(tempfile.mkdtemp())
>>> (raiz / "modules").mkdir(); _ = (raiz / "modules" / "01.ipynb").write_text("{}")
>>> informe = preparar_espacio(raiz)
>>> informe.copiados
['modules/01.ipynb']
>>> preparar_espacio(raiz).cambios
[]
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import secrets
import shutil
import socket
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from ._errores import ErrorCurso

CARPETA_ESPACIO = "mi_curso"
CARPETAS_DEL_CURSO = ("modules", "exercises")
MANIFIESTO = ".manifiesto-curso.json"
MODULO_INICIAL = "modules/01_introduccion.ipynb"
# Never copied to a student: saved answers, checkpoints, caches.
_IGNORAR = {"respuestas", ".ipynb_checkpoints", "__pycache__"}

# Student mode: nbgrader's instructor panels off (the instructor's own setup keeps them).
EXTENSIONES_LAB_DESACTIVADAS = {
    # nbgrader 0.9's plugin ids carry the package name ("nbgrader:formgrader" disables nothing).
    "@jupyter/nbgrader:formgrader": True,
    "@jupyter/nbgrader:create-assignment": True,
    "@jupyter/nbgrader:course-list": True,
    # The "Nbgrader" menu and its "Validate" button are English and need the hub's exchange: on the
    # student's own machine the notebook's checks do that job, in Spanish.
    "@jupyter/nbgrader:menu": True,
    "@jupyter/nbgrader:validate-assignment": True,
    "@jupyter/nbgrader:assignment-list": True,
    # No "news" pop-up in English over the first page a student sees.
    "@jupyterlab/apputils-extension:announcements": True,
}
EXTENSIONES_SERVIDOR_DESACTIVADAS = (
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.course_list",
)


def _huella(ruta: Path) -> str:
    return hashlib.sha256(ruta.read_bytes()).hexdigest()


def _archivos_del_curso(raiz: Path) -> list[str]:
    archivos = []
    for carpeta in CARPETAS_DEL_CURSO:
        base = raiz / carpeta
        if not base.is_dir():
            continue
        for ruta in sorted(base.rglob("*")):
            relativa = ruta.relative_to(raiz)
            if ruta.is_file() and not _IGNORAR.intersection(relativa.parts):
                archivos.append(relativa.as_posix())
    return archivos


def _nombre_al_lado(ruta: Path) -> Path:
    """``ejercicios_m3.ipynb`` -> ``ejercicios_m3 (versión nueva).ipynb`` (or a numbered one if taken)."""
    candidato = ruta.with_name(f"{ruta.stem} (versión nueva){ruta.suffix}")
    n = 2
    while candidato.exists():
        candidato = ruta.with_name(f"{ruta.stem} (versión nueva {n}){ruta.suffix}")
        n += 1
    return candidato


@dataclass
class InformeEspacio:
    """Qué hizo :func:`preparar_espacio`, dicho en español por :meth:`resumen`."""

    carpeta: Path
    nuevo: bool = False
    copiados: list[str] = field(default_factory=list)
    actualizados: list[str] = field(default_factory=list)
    al_lado: list[tuple[str, str]] = field(default_factory=list)

    @property
    def cambios(self) -> list[str]:
        return [*self.actualizados, *(nuevo for _, nuevo in self.al_lado)] + (
            [] if self.nuevo else self.copiados
        )

    def resumen(self) -> list[str]:
        lineas = []
        if self.nuevo:
            lineas.append(
                f"Tu espacio de trabajo está en {self.carpeta} ({len(self.copiados)} archivos copiados "
                "del curso). Trabaja siempre ahí: las fuentes del curso no se tocan."
            )
            return lineas
        for ruta in self.copiados:
            lineas.append(f"Nuevo en el curso: {ruta}")
        for ruta in self.actualizados:
            lineas.append(f"Actualizado (no lo habías cambiado): {ruta}")
        for tuyo, nuevo in self.al_lado:
            lineas.append(
                f"El curso actualizó {tuyo}; tu versión queda intacta y la nueva está al lado: {nuevo}"
            )
        return lineas


def preparar_espacio(
    raiz: str | os.PathLike[str], destino: str | os.PathLike[str] | None = None
) -> InformeEspacio:
    """Crea o pone al día el espacio del estudiante sin sobrescribir nada que haya cambiado.

    - archivo nuevo en el curso (o borrado por el estudiante): se copia;
    - archivo del curso que cambió y que el estudiante no tocó: se actualiza;
    - archivo del curso que cambió y que el estudiante sí cambió: la versión nueva va al lado.
    """
    raiz = Path(raiz)
    carpeta = Path(destino) if destino is not None else raiz / CARPETA_ESPACIO
    archivo_manifiesto = carpeta / MANIFIESTO
    manifiesto: dict[str, str] = {}
    if archivo_manifiesto.exists():
        try:
            manifiesto = json.loads(archivo_manifiesto.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            # A damaged manifest must not cost the student their work: treat every file as theirs.
            manifiesto = {}
    informe = InformeEspacio(carpeta=carpeta, nuevo=not carpeta.exists())
    carpeta.mkdir(parents=True, exist_ok=True)
    # The workspace ignores itself: nothing the student writes can end up in a commit of the course.
    (carpeta / ".gitignore").write_text(
        "# Espacio del estudiante: nunca entra en git.\n*\n", encoding="utf-8"
    )
    for relativa in _archivos_del_curso(raiz):
        origen, copia = raiz / relativa, carpeta / relativa
        huella_origen = _huella(origen)
        if not copia.exists():
            copia.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origen, copia)
            informe.copiados.append(relativa)
        elif manifiesto.get(relativa) == huella_origen:
            continue  # the course did not change it: whatever the student did stays
        elif _huella(copia) == huella_origen:
            pass  # already identical (e.g. manifest lost): just record it
        elif manifiesto.get(relativa) == _huella(copia):
            shutil.copy2(origen, copia)  # untouched by the student: safe to update in place
            informe.actualizados.append(relativa)
        else:
            lado = _nombre_al_lado(copia)
            shutil.copy2(origen, lado)
            informe.al_lado.append((relativa, lado.relative_to(carpeta).as_posix()))
        manifiesto[relativa] = huella_origen
    temporal = archivo_manifiesto.with_suffix(".tmp")
    temporal.write_text(json.dumps(manifiesto, indent=1, sort_keys=True), encoding="utf-8")
    temporal.replace(archivo_manifiesto)
    return informe


def configurar_modo_estudiante(carpeta: str | os.PathLike[str]) -> Path:
    """Escribe la configuración de JupyterLab del modo estudiante y devuelve su carpeta.

    Se usa con ``JUPYTER_CONFIG_PATH`` solo al abrir el curso como estudiante: el entorno del
    instructor (el mismo .venv) conserva los paneles de nbgrader.
    """
    config = Path(carpeta) / ".jupyter-estudiante"
    (config / "labconfig").mkdir(parents=True, exist_ok=True)
    (config / "labconfig" / "page_config.json").write_text(
        json.dumps({"disabledExtensions": EXTENSIONES_LAB_DESACTIVADAS}, indent=2), encoding="utf-8"
    )
    (config / "jupyter_server_config.json").write_text(
        json.dumps(
            {
                "ServerApp": {"jpserver_extensions": dict.fromkeys(EXTENSIONES_SERVIDOR_DESACTIVADAS, False)},
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    # The Help menu lists the kernel's reference links ("Python Reference"…): the student's kernel
    # (same name, found first through JUPYTER_PATH) names them in Spanish.
    configuracion_nucleo = config / "ipython_kernel_config.json"
    configuracion_nucleo.write_text(
        json.dumps(
            {
                "IPythonKernel": {
                    "help_links": [
                        {"text": "Referencia de Python (en español)", "url": "https://docs.python.org/es/3/"},
                        {"text": "Referencia de pandas", "url": "https://pandas.pydata.org/docs/"},
                        {"text": "Referencia de Matplotlib", "url": "https://matplotlib.org/stable/"},
                    ]
                }
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    nucleo = config / "datos" / "kernels" / "python3"
    nucleo.mkdir(parents=True, exist_ok=True)
    (nucleo / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [
                    sys.executable,
                    "-m",
                    "ipykernel_launcher",
                    "-f",
                    "{connection_file}",
                    f"--config={configuracion_nucleo}",
                ],
                "display_name": "Python 3 (ipykernel)",
                "language": "python",
                "metadata": {"debugger": True},
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    # JupyterLab in Spanish even if the environment's overrides.json is missing; the student's own
    # settings live here too (JUPYTERLAB_SETTINGS_DIR) and a choice they made is never overwritten.
    idioma = config / "ajustes" / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    if not idioma.exists():
        idioma.parent.mkdir(parents=True, exist_ok=True)
        idioma.write_text(json.dumps({"locale": "es_ES"}), encoding="utf-8")
    return config


# ---------------------------------------------------------------------------------------------
# The book step: never stops the course from opening
# ---------------------------------------------------------------------------------------------


def _celda_que_falla(cuaderno: Path, registro: str) -> int | None:
    """Number (1-based, as the student counts) of the code cell whose source the error report quotes."""
    try:
        import nbformat

        celdas = nbformat.read(cuaderno, as_version=4).cells
    except Exception:
        return None
    for numero, celda in enumerate(celdas, start=1):
        fuente = celda.source.strip()
        if celda.cell_type == "code" and fuente and fuente in registro:
            return numero
    return None


def explicar_fallo_del_libro(raiz: Path, avisos: list[str], registro: str) -> str:
    """Una sola línea en español: qué cuaderno, qué celda y cómo seguir."""
    for aviso in avisos:
        coincidencia = re.search(r"(\S+\.ipynb)", aviso)
        if coincidencia and "xecut" in aviso:
            ruta = Path(coincidencia.group(1).rstrip(":"))
            if not ruta.is_absolute():
                ruta = raiz / ruta
            with contextlib.suppress(ValueError):
                ruta = ruta.relative_to(raiz)
            reporte = ""
            for candidato in (raiz / "_build").rglob(f"{Path(ruta).stem}.err.log"):
                reporte = candidato.read_text(encoding="utf-8", errors="replace")
            numero = _celda_que_falla(raiz / ruta, reporte or registro)
            reporte = re.sub(r"\x1b\[[0-9;]*m", "", reporte)  # colour codes of the traceback
            error = re.findall(r"^(\w+(?:Error|Exception)\b.*)$", reporte, flags=re.M)
            celda = f", celda {numero}" if numero else ""
            motivo = f" ({error[-1][:80]})" if error else ""
            return (
                f"El libro no se construyó: {ruta.as_posix()}{celda} falla al ejecutarse{motivo}. "
                "Corrige esa celda, o abre el curso sin libro con: bash scripts/curso.sh --sin-libro"
            )
    primero = avisos[0] if avisos else "error desconocido"
    return (
        f"El libro no se construyó ({primero[:120]}). "
        "El curso se abre igualmente; para saltarte este paso: bash scripts/curso.sh --sin-libro"
    )


def _barra(hechos: int, total: int, ancho: int = 30) -> str:
    llenos = round(ancho * hechos / total) if total else ancho
    return f"[{'#' * llenos}{'.' * (ancho - llenos)}] {hechos}/{total}"


@contextlib.contextmanager
def _todo_al_registro(fichero):
    """Sends Python's and the kernels' output (they write to file descriptors 1 and 2) to the log."""
    sys.stdout.flush()
    sys.stderr.flush()
    guardados = [os.dup(1), os.dup(2)]
    try:
        os.dup2(fichero.fileno(), 1)
        os.dup2(fichero.fileno(), 2)
        with contextlib.redirect_stdout(fichero), contextlib.redirect_stderr(fichero):
            yield
    finally:
        fichero.flush()
        os.dup2(guardados[0], 1)
        os.dup2(guardados[1], 2)
        for descriptor in guardados:
            os.close(descriptor)


def huella_del_libro(raiz: str | os.PathLike[str]) -> str:
    """Huella de todo lo que decide el libro del estudiante (fuentes, configuración y biblioteca).

    Con la misma huella y el libro ya construido, el arranque no vuelve a lanzar Sphinx (ahorra
    unos segundos en cada arranque). Usa tamaño y fecha de cada archivo, no su contenido: es rápida.
    """
    raiz = Path(raiz)
    archivos = [raiz / "_config.yml", raiz / "_toc.yml", raiz / "pyproject.toml"]
    for carpeta, patron in (
        ("book", "**/*"),
        ("modules", "*.ipynb"),
        ("exercises", "**/*.ipynb"),
        ("cj_course", "**/*.py"),
    ):
        archivos.extend(sorted((raiz / carpeta).glob(patron)))
    resumen = hashlib.sha256()
    for archivo in archivos:
        with contextlib.suppress(OSError):
            datos = archivo.stat()
            if archivo.is_file():
                resumen.update(f"{archivo.relative_to(raiz)}|{datos.st_size}|{datos.st_mtime_ns}\n".encode())
    return resumen.hexdigest()


def construir_libro_en_silencio(raiz: str | os.PathLike[str], salida=None) -> str | None:
    """Construye el libro del estudiante desde las fuentes, con una barra de progreso en español.

    Lo que Sphinx escribe va a ``_build/registro-libro.txt``. Devuelve ``None`` si todo fue bien
    o una línea en español que explica el fallo; nunca lanza: el curso se abre igualmente.
    """
    from . import libro

    raiz = Path(raiz)
    sello = raiz / "_build" / ".huella-libro"
    huella = huella_del_libro(raiz)
    portada = libro.rutas_de_edicion(raiz).html / "index.html"
    if portada.exists() and sello.exists() and sello.read_text(encoding="utf-8") == huella:
        return None  # nothing the book depends on changed since the last good build
    if salida is None:
        # A copy of the terminal that survives the redirection of descriptor 1 during the build.
        salida = os.fdopen(os.dup(1), "w", encoding="utf-8", closefd=True)
    registro = raiz / "_build" / "registro-libro.txt"
    registro.parent.mkdir(parents=True, exist_ok=True)
    try:
        indice = libro._leer_yaml(raiz / "_toc.yml") or {}
        cuadernos = [p for p in libro.archivos_del_indice(indice) if (raiz / f"{p}.ipynb").is_file()]
    except Exception:
        cuadernos = []
    terminado = threading.Event()

    def _progreso(fichero) -> None:
        # Sphinx names each notebook it reads; jupyter-cache says when one is executed.
        vistos: set[str] = set()
        while not terminado.wait(0.5):
            with contextlib.suppress(OSError):
                texto = registro.read_text(encoding="utf-8", errors="replace")
                vistos = {c for c in cuadernos if f"{c}" in texto}
            salida.write(f"\r    Libro: {_barra(len(vistos), len(cuadernos))}")
            salida.flush()
        salida.write(f"\r    Libro: {_barra(len(cuadernos), len(cuadernos))}\n")
        salida.flush()

    hilo = threading.Thread(target=_progreso, args=(registro,), daemon=True)
    with open(registro, "w", encoding="utf-8") as fichero:
        mostrar = bool(cuadernos) and getattr(salida, "isatty", lambda: False)()
        if mostrar:
            hilo.start()
        try:
            with _todo_al_registro(fichero):
                resultado = libro.construir(raiz)
        except ErrorCurso as exc:
            return f"El libro no se construyó: {exc} El curso se abre igualmente."
        except Exception as exc:  # the book is a convenience: it never keeps the course closed
            return (
                f"El libro no se construyó ({type(exc).__name__}: {exc}); detalles en {registro}. "
                "El curso se abre igualmente."
            )
        finally:
            terminado.set()
            if mostrar:
                hilo.join()
    if resultado.ok:
        sello.write_text(huella, encoding="utf-8")
        return None
    sello.unlink(missing_ok=True)
    texto = registro.read_text(encoding="utf-8", errors="replace")
    return explicar_fallo_del_libro(raiz, resultado.avisos, texto)


# ---------------------------------------------------------------------------------------------
# Opening JupyterLab
# ---------------------------------------------------------------------------------------------


def _puerto_libre(preferido: int = 8888) -> int:
    for puerto in range(preferido, preferido + 50):
        with socket.socket() as s:
            # As the server binds: a port left in TIME_WAIT by the last session is free to reuse.
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", puerto))
            except OSError:
                continue
            return puerto
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Arranque:
    """La orden y el entorno con que se abre JupyterLab, y la URL que se le da al estudiante."""

    orden: list[str]
    entorno: dict[str, str]
    url: str
    como_root: bool


def orden_de_jupyterlab(
    carpeta: str | os.PathLike[str],
    *,
    puerto: int | None = None,
    ficha: str | None = None,
    abrir_navegador: bool = True,
) -> Arranque:
    """La orden de JupyterLab del modo estudiante.

    - root (contenedores, máquinas en la nube): ``ServerApp.allow_root`` sin pedir nada más;
    - núcleos por sockets Unix (``transport=ipc``): sin el aviso «Kernel is running over TCP»;
    - la URL abre el módulo 1, no el Lanzador.

    >>> a = orden_de_jupyterlab("/tmp/mi_curso", puerto=9999, ficha="abc", abrir_navegador=False)
    >>> a.url
    'http://127.0.0.1:9999/lab/tree/modules/01_introduccion.ipynb?token=abc'
    >>> "--KernelManager.transport=ipc" in a.orden
    True
    """
    from .traducciones import completar_paquete

    carpeta = Path(carpeta)
    completar_paquete()  # what the Spanish pack lacks for this JupyterLab (idempotent)
    puerto = puerto or _puerto_libre()
    ficha = ficha or secrets.token_hex(16)
    como_root = hasattr(os, "geteuid") and os.geteuid() == 0
    inicial = f"/lab/tree/{MODULO_INICIAL}"
    orden = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={carpeta}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={puerto}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={ficha}",
        f"--ServerApp.default_url={inicial}",
        "--KernelManager.transport=ipc",
        # Only warnings and errors: the Spanish lines of this launcher say what happens.
        "--ServerApp.log_level=WARN",
        "--LabApp.log_level=WARN",
        f"--ServerApp.open_browser={abrir_navegador}",
    ]
    if como_root:
        orden.append("--ServerApp.allow_root=True")
    entorno = dict(os.environ)
    config = (
        configurar_modo_estudiante(carpeta) if carpeta.exists() else Path(carpeta) / ".jupyter-estudiante"
    )
    anteriores = entorno.get("JUPYTER_CONFIG_PATH")
    entorno["JUPYTER_CONFIG_PATH"] = os.pathsep.join([str(config), *([anteriores] if anteriores else [])])
    entorno["JUPYTERLAB_SETTINGS_DIR"] = str(config / "ajustes")
    anteriores = entorno.get("JUPYTER_PATH")
    entorno["JUPYTER_PATH"] = os.pathsep.join([str(config / "datos"), *([anteriores] if anteriores else [])])
    url = f"http://127.0.0.1:{puerto}{inicial}?token={ficha}"
    return Arranque(orden=orden, entorno=entorno, url=url, como_root=como_root)


def abrir_curso(
    raiz: str | os.PathLike[str] | None = None,
    *,
    libro: bool = True,
    abrir: bool = True,
    abrir_navegador: bool = True,
) -> int:
    """Todo el arranque del estudiante: espacio, libro (si se pide) y JupyterLab."""
    raiz = Path(raiz) if raiz is not None else Path(__file__).resolve().parent.parent
    inicio = time.perf_counter()
    informe = preparar_espacio(raiz)
    for linea in informe.resumen():
        print(f"    {linea}")
    if libro:
        print(
            "==> Construyendo el libro del curso (la primera vez ejecuta todos los cuadernos; luego usa la caché)"
        )
        fallo = construir_libro_en_silencio(raiz)
        if fallo:
            print(f"    AVISO: {fallo}")
        else:
            print(f"    Libro listo: {raiz / '_build' / 'html' / 'index.html'}")
    if not abrir:
        print(f"    Preparado en {time.perf_counter() - inicio:.1f} s.")
        return 0
    arranque = orden_de_jupyterlab(informe.carpeta, abrir_navegador=abrir_navegador)
    if arranque.como_root:
        print(
            "    Estás como administrador (root): JupyterLab se abre igualmente "
            "(ServerApp.allow_root activado para este arranque)."
        )
    print("==> Abriendo JupyterLab en el módulo 1 (Ctrl+C para salir). Abre esta dirección en el navegador:")
    print(f"    {arranque.url}")
    sys.stdout.flush()
    return _vigilar_jupyterlab(arranque, informe.carpeta / ".registro-jupyterlab.txt")


def _vigilar_jupyterlab(arranque: Arranque, registro: Path) -> int:
    """Runs JupyterLab with its (English) log in a file and says in Spanish how it ended.

    stdin is not the terminal: JupyterLab then stops on the first Ctrl+C instead of asking
    "Shut down this Jupyter server (y/[n])?" in English.
    """
    import subprocess

    with open(registro, "w", encoding="utf-8") as fichero:
        proceso = subprocess.Popen(
            arranque.orden,
            env=arranque.entorno,
            stdin=subprocess.DEVNULL,
            stdout=fichero,
            stderr=subprocess.STDOUT,
        )
        try:
            codigo = proceso.wait()
        except KeyboardInterrupt:
            # The terminal sent Ctrl+C to both of us: give JupyterLab time to close its kernels.
            try:
                codigo = proceso.wait(timeout=30)
            except (KeyboardInterrupt, subprocess.TimeoutExpired):
                proceso.terminate()
                codigo = proceso.wait(timeout=30)
            print(
                "\nJupyterLab se cerró. Tu trabajo queda guardado en mi_curso/; "
                "para volver: bash scripts/curso.sh"
            )
            return 0
    if codigo not in (0, -2, 130):
        ultimas = registro.read_text(encoding="utf-8", errors="replace").splitlines()[-8:]
        print(
            f"ERROR: JupyterLab se detuvo (código {codigo}). Sus últimas líneas, de {registro}:",
            file=sys.stderr,
        )
        for linea in ultimas:
            print(f"    {linea}", file=sys.stderr)
        print(
            "Vuelve a ejecutar bash scripts/curso.sh; si se repite, copia esas líneas a tu instructor.",
            file=sys.stderr,
        )
        return 1
    print("JupyterLab se cerró. Tu trabajo queda guardado en mi_curso/.")
    return 0


def main(argv: list[str] | None = None) -> int:
    argumentos = list(sys.argv[1:] if argv is None else argv)
    opciones = {"--sin-libro": "libro", "--sin-abrir": "abrir", "--sin-navegador": "abrir_navegador"}
    valores = {"libro": True, "abrir": True, "abrir_navegador": True}
    for argumento in argumentos:
        if argumento not in opciones:
            print(f"Opción desconocida: {argumento} (usa {', '.join(opciones)})", file=sys.stderr)
            return 2
        valores[opciones[argumento]] = False
    return abrir_curso(
        libro=valores["libro"], abrir=valores["abrir"], abrir_navegador=valores["abrir_navegador"]
    )


if __name__ == "__main__":
    sys.exit(main())
