"""El núcleo del estudiante, aislado: un usuario sin privilegios, sin red, solo su copia de la entrega.

Tres modos, de más a menos seguro (``cj-course calificar --aislamiento``, o ``CJ_AISLAMIENTO``):

``bwrap``
    bubblewrap (paquete de Debian ``bubblewrap``): el núcleo ve un sistema de archivos nuevo con solo
    ``/usr``, el Python del curso, la biblioteca ``cj_course``, su copia de la entrega y un ``/tmp``
    propio y limitado; sin red (otro espacio de nombres de red), sin ver otros procesos, como un
    usuario sin privilegios (con ``root``, uno distinto por trabajador).
``usuario``
    sin bubblewrap, con ``root``: el núcleo corre como un usuario sin privilegios en una copia aparte de
    la entrega. Ve lo que ese usuario puede leer del disco y tiene red.
``ninguno``
    sin bubblewrap ni ``root``: solo la copia aparte. Lo dice en cada calificación.

En todos, límites de memoria, procesos, tamaño de archivo y tiempo. La conexión con el núcleo va por
*sockets* Unix en una carpeta de la caja (un espacio de red nuevo no alcanza el ``127.0.0.1`` del
calificador), y lo que devuelve el núcleo se trata siempre como datos del estudiante.

>>> Limites().memoria_bytes // 2**20
4096
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..._errores import ErrorCurso

MODOS = ("auto", "bwrap", "usuario", "ninguno")
UID_BASE = 61000
"""Con ``root``, el trabajador ``n`` ejecuta los núcleos como el usuario ``UID_BASE + n`` (sin cuenta)."""


@dataclass(frozen=True)
class Limites:
    """Límites de cada núcleo aislado."""

    memoria_bytes: int = 4 * 2**30
    procesos: int = 96
    archivo_bytes: int = 64 * 2**20
    tmp_bytes: int = 256 * 2**20
    salida_bytes: int = 4 * 2**20
    texto_bytes: int = 200 * 2**10
    tiempo_total: int = 600


@dataclass(frozen=True)
class Modo:
    """Cómo se aísla cada entrega y la frase en español que lo explica."""

    nombre: str
    descripcion: str
    razones: tuple[str, ...] = ()


def _es_root() -> bool:
    return os.geteuid() == 0


def _python_del_nucleo() -> str:
    return sys.executable


def _rutas_de_python() -> list[Path]:
    """Lo que el núcleo necesita leer: el Python, el entorno y la biblioteca del curso."""
    import cj_course

    rutas = {
        Path(sys.base_prefix).resolve(),
        Path(sys.prefix).resolve(),
        Path(sys.prefix),
        Path(cj_course.__file__).resolve().parent,
        Path(_python_del_nucleo()).resolve().parent,
    }
    # Editable installs and .pth files can put other folders on sys.path: only folders of packages,
    # never the course folder itself (it holds solutions/).
    curso = Path(cj_course.__file__).resolve().parent.parent
    for entrada in sys.path:
        ruta = Path(entrada or ".").resolve()
        if (
            ruta.is_dir()
            and ruta != curso
            and not curso.is_relative_to(ruta)
            and "site-packages" in ruta.parts
        ):
            rutas.add(ruta)
    return sorted(r for r in rutas if r.exists() and not r.is_relative_to(Path("/usr")))


def _ancestros(rutas: list[Path]) -> list[Path]:
    vistos: set[Path] = set()
    for ruta in rutas:
        for padre in reversed(ruta.parents):
            if padre != Path("/"):
                vistos.add(padre)
    return sorted(vistos, key=lambda p: len(p.parts))


def _argumentos_bwrap(
    trabajo: Path, ipc: Path, entrada: Path, limites: Limites, uid: int | None
) -> list[str]:
    bwrap = shutil.which("bwrap") or "bwrap"
    argumentos = [
        bwrap,
        "--die-with-parent",
        "--unshare-ipc",
        "--unshare-pid",
        "--unshare-net",
        "--unshare-uts",
        "--unshare-cgroup-try",
    ]
    if uid is None:
        argumentos += ["--unshare-user", "--uid", "65534", "--gid", "65534"]
    else:
        # bwrap runs as root to build the sandbox (so it may bind the root-only Python prefix), keeps
        # only the power to change user, and setpriv then drops to the unprivileged user for good.
        argumentos += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    argumentos += [
        "--ro-bind",
        "/usr",
        "/usr",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--perms",
        "01777",
        "--size",
        str(limites.tmp_bytes),
        "--tmpfs",
        "/tmp",
    ]
    for enlace in ("bin", "lib", "lib64", "sbin"):
        destino = os.readlink(f"/{enlace}") if os.path.islink(f"/{enlace}") else None
        if destino:
            argumentos += ["--symlink", destino, f"/{enlace}"]
        elif os.path.isdir(f"/{enlace}"):
            argumentos += ["--ro-bind", f"/{enlace}", f"/{enlace}"]
    for archivo in (
        "/etc/fonts",
        "/etc/localtime",
        "/etc/ld.so.cache",
        "/etc/alternatives",
        "/etc/mime.types",
    ):
        argumentos += ["--ro-bind-try", archivo, archivo]
    lectura = _rutas_de_python()
    escritura = [trabajo, ipc]
    # Mount points copy their parents' permissions from the host: create them open, so that the
    # unprivileged user can walk to what is bound (and only to that).
    for carpeta in _ancestros([*lectura, *escritura, entrada]):
        argumentos += ["--perms", "0755", "--dir", str(carpeta)]
    for ruta in lectura:
        argumentos += ["--ro-bind", str(ruta), str(ruta)]
    argumentos += ["--ro-bind", str(entrada), str(entrada)]
    for ruta in escritura:
        argumentos += ["--bind", str(ruta), str(ruta)]
    argumentos += ["--chdir", str(trabajo), "--"]
    if uid is not None:
        argumentos += _bajar_a(uid)
    return argumentos


def _bajar_a(uid: int) -> list[str]:
    return [
        shutil.which("setpriv") or "setpriv",
        f"--reuid={uid}",
        f"--regid={uid}",
        "--clear-groups",
        "--inh-caps=-all",
        "--bounding-set=-all",
        "--no-new-privs",
    ]


def _tareas_del_usuario(uid: int) -> int:
    """Cuántos procesos e hilos tiene ya ``uid`` (el límite de procesos de Linux los cuenta todos)."""
    total = 0
    for entrada in Path("/proc").iterdir():
        if not entrada.name.isdigit():
            continue
        try:
            estado = (entrada / "status").read_text()
        except OSError:
            continue
        campos = dict(linea.split(":", 1) for linea in estado.splitlines() if ":" in linea)
        if campos.get("Uid", "").split()[:1] == [str(uid)]:
            total += int(campos.get("Threads", "1").strip() or 1)
    return total


def _limites(limites: Limites, uid: int | None) -> list[str]:
    prlimit = shutil.which("prlimit")
    if prlimit is None:
        return []
    # With its own user the sandbox's count starts at zero; sharing the grader's user (no root), the limit
    # must leave room for what that user already runs (its Jupyter server, the other workers).
    procesos = limites.procesos if uid is not None else _tareas_del_usuario(os.getuid()) + limites.procesos
    return [
        prlimit,
        f"--as={limites.memoria_bytes}",
        f"--nproc={procesos}",
        f"--fsize={limites.archivo_bytes}",
        "--core=0",
        "--nofile=1024",
        "--",
    ]


def _entorno(casa: str, mpl: Path) -> list[str]:
    variables = {
        "HOME": casa,
        "PATH": os.pathsep.join([str(Path(_python_del_nucleo()).parent), "/usr/bin", "/bin"]),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "MPLCONFIGDIR": str(mpl),
        "IPYTHONDIR": f"{casa}/.ipython",
        "JUPYTER_RUNTIME_DIR": f"{casa}/.jupyter-runtime",
        "JUPYTER_CONFIG_DIR": f"{casa}/.jupyter",
        "JUPYTER_DATA_DIR": f"{casa}/.jupyter-data",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "NBGRADER_EXECUTION": "autograde",
        "TMPDIR": "/tmp" if casa == "/tmp" else casa,
    }
    # Some processors need these for OpenBLAS not to crash (see the machine's notes): pass them on.
    for nombre in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "TZ"):
        if nombre in os.environ:
            variables[nombre] = os.environ[nombre]
    return [shutil.which("env") or "/usr/bin/env", "-i", *(f"{k}={v}" for k, v in variables.items())]


def _probar(comando: list[str], cwd: str) -> str | None:
    try:
        proceso = subprocess.run(comando, cwd=cwd, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        return str(e)
    if proceso.returncode != 0:
        return (
            (proceso.stderr or proceso.stdout).strip().splitlines()[-1:][0]
            if (proceso.stderr or proceso.stdout).strip()
            else f"código {proceso.returncode}"
        )
    return None


@functools.cache
def _fallo_de(modo: str) -> str | None:
    """Por qué ``modo`` no funciona en esta máquina (``None`` si funciona): se prueba de verdad."""
    if modo == "bwrap" and shutil.which("bwrap") is None:
        return "bubblewrap no está instalado"
    if modo == "usuario" and not _es_root():
        return "hace falta ser root para ejecutar el núcleo como otro usuario"
    prueba = [_python_del_nucleo(), "-c", "import ipykernel, cj_course.calificacion.arnes"]
    with Caja(modo, ranura=99, limites=Limites()) as caja:
        return _probar(caja.prefijo() + prueba, str(caja.trabajo))


def elegir_aislamiento(pedido: str | None = None) -> Modo:
    """El modo de aislamiento: el pedido (o ``CJ_AISLAMIENTO``), o el más seguro que funcione aquí."""
    pedido = (pedido or os.environ.get("CJ_AISLAMIENTO") or "auto").strip().lower()
    if pedido not in MODOS:
        raise ErrorCurso(
            f"No conozco el aislamiento «{pedido}».",
            campo="aislamiento",
            pista=f"Usa uno de: {', '.join(MODOS)}.",
        )
    candidatos = ["bwrap", "usuario", "ninguno"] if pedido == "auto" else [pedido]
    razones: list[str] = []
    for modo in candidatos:
        fallo = _fallo_de(modo)
        if fallo is None:
            return Modo(modo, _descripcion(modo, razones), tuple(razones))
        razones.append(f"{modo}: {fallo}")
        if pedido != "auto":
            raise ErrorCurso(
                f"No se puede aislar con «{modo}» en esta máquina: {fallo}.",
                campo="aislamiento",
                pista="Instala bubblewrap (sudo apt-get install bubblewrap) o usa --aislamiento auto.",
            )
    raise ErrorCurso(
        "No se pudo preparar ninguna forma de ejecutar las entregas: " + "; ".join(razones) + ".",
        campo="aislamiento",
        pista="Revisa que el entorno del curso tenga ipykernel instalado.",
    )


def _descripcion(modo: str, razones: list[str]) -> str:
    if modo == "bwrap":
        return (
            "Aislamiento: bubblewrap (cada entrega en su caja: usuario sin privilegios, sin red, solo su "
            "carpeta; límites de memoria, procesos y tiempo)."
        )
    por_que = f" ({'; '.join(razones)})" if razones else ""
    if modo == "usuario":
        return (
            "AVISO: sin bubblewrap"
            + por_que
            + ". Cada entrega se ejecuta como un usuario sin privilegios en "
            "una copia aparte, pero ve lo que ese usuario puede leer del disco y tiene red: deja solutions/ y el "
            "libro de calificaciones sin permiso de lectura para otros (chmod 700) o instala bubblewrap "
            "(sudo apt-get install bubblewrap)."
        )
    return (
        "AVISO: sin aislamiento"
        + por_que
        + ". Cada entrega se ejecuta en una copia aparte, pero con tus permisos: "
        "un estudiante malintencionado podría leer o cambiar tus archivos. Instala bubblewrap "
        "(sudo apt-get install bubblewrap) antes de calificar entregas en las que no confíes."
    )


@dataclass
class Caja:
    """Las carpetas de una entrega aislada y la orden que arranca su núcleo. Se borra al salir del ``with``."""

    modo: str
    ranura: int = 0
    limites: Limites = field(default_factory=Limites)

    def __post_init__(self) -> None:
        self.uid: int | None = UID_BASE + self.ranura if _es_root() and self.modo != "ninguno" else None
        self.base = Path(tempfile.mkdtemp(prefix="cj-caja-"))
        self.base.chmod(0o711)  # the sandbox's user walks through, but cannot list it
        self.trabajo = self.base / "entrega"
        self.ipc = self.base / "ipc"
        self.entrada = self.base / "entrada"
        self.mpl = self.base / "mpl"
        self.casa = "/tmp" if self.modo == "bwrap" else str(self.base / "casa")
        carpetas = [self.trabajo, self.ipc, self.entrada, self.mpl]
        if self.modo != "bwrap":
            carpetas.append(Path(self.casa))
        for carpeta in carpetas:
            carpeta.mkdir(mode=0o700)
        self._copiar_cache_de_fuentes()

    def _copiar_cache_de_fuentes(self) -> None:
        # Building matplotlib's font list costs about a second per kernel: reuse the grader's.
        try:
            import matplotlib

            for lista in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
                shutil.copy(lista, self.mpl / lista.name)
        except Exception:  # no cache yet: the kernel builds its own
            pass

    def entregar_a_la_caja(self) -> None:
        """Da al usuario de la caja sus carpetas (con root) antes de arrancar el núcleo."""
        if self.uid is None:
            return
        for raiz, carpetas, archivos in os.walk(self.base):
            for nombre in [*carpetas, *archivos]:
                os.lchown(os.path.join(raiz, nombre), self.uid, self.uid)
        os.chown(self.entrada, 0, self.uid)
        self.entrada.chmod(0o750)  # the grader's inputs: readable, not writable, by the sandbox

    def prefijo(self) -> list[str]:
        """Lo que va delante de la orden del núcleo: límites, caja, usuario y entorno limpio."""
        self.entregar_a_la_caja()
        if self.modo == "bwrap":
            caja = _argumentos_bwrap(self.trabajo, self.ipc, self.entrada, self.limites, self.uid)
        elif self.modo == "usuario" and self.uid is not None:
            caja = _bajar_a(self.uid)
        else:
            caja = []
        return [*_limites(self.limites, self.uid), *caja, *_entorno(self.casa, self.mpl)]

    def orden_del_nucleo(self, conexion: str) -> list[str]:
        return [
            *self.prefijo(),
            _python_del_nucleo(),
            "-m",
            "ipykernel_launcher",
            "-f",
            conexion,
            "--HistoryManager.hist_file=:memory:",
        ]

    def __enter__(self) -> Caja:
        return self

    def __exit__(self, *_: Any) -> None:
        pkill = shutil.which("pkill")
        if self.uid is not None and pkill is not None:
            # Whatever the submission left running as its own user (children that escaped the kernel's
            # process group) ends with it; in bubblewrap the pid namespace already took them.
            subprocess.run([pkill, "-KILL", "-u", str(self.uid)], capture_output=True, check=False)
        shutil.rmtree(self.base, ignore_errors=True)
