"""El curso en JupyterHub, de extremo a extremo, en una sola máquina y sin nadie delante.

PostgreSQL de Debian en 127.0.0.1 como gradebook, JupyterHub (deploy/jupyterhub_config.py tal cual) con
configurable-http-proxy, usuarios Unix reales (una instructora y dos estudiantes, homes 700) y el exchange
de nbgrader. Cada paso pasa por el servidor de su usuario, como lo haría en el navegador: la instructora
escribe en una terminal de JupyterLab; los estudiantes usan la pestaña de tareas de nbgrader (su API), el
formulario del ejercicio en su núcleo y el guardado de cuadernos de JupyterLab (API de contenidos).

Necesita root (crea usuarios Unix). Para no ejecutarla: ``pytest -m "not jupyterhub"``. La otra prueba de
este archivo (sin marca, rápida) comprueba que la configuración para Kubernetes dice lo mismo.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[1]
DEPLOY = RAIZ / "deploy"
PREFIJO = Path(os.environ.get("CJ_HUB_PREFIJO", "/opt/cj-course-hub"))
VENV_BIN = PREFIJO / "venv" / "bin"
# nbgrader_config.py of the repository names the course; the hub must give students the same id.
CURSO = "customer_journey"
CARPETA_CURSO = "curso"

# The class works on module 3 (segments, buyer persona, journey map). Both students answer the
# persona in its widget form; the grade ids below are those of solutions/m3_mapeo/ejercicios_m3.ipynb.
TAREA, CUADERNO = "m3_mapeo", "ejercicios_m3.ipynb"
EJERCICIO_FORMULARIO = "m3_persona"
CELDA_RESPUESTA_FORMULARIO = "m3_respuesta_persona"
CELDA_REFLEXION = "m3_reflexion"  # free text: the instructor grades it by hand in formgrader
PRUEBAS_PERSONA = ("m3_prueba_persona_rasgos", "m3_prueba_persona_segmento", "m3_prueba_persona")

PERSONA_COMPLETA = {
    "nombre": "María",
    "edad": "28",
    "ocupacion": "Ingeniera de software",
    "ubicacion": "Guadalajara",
    "intereses": "tecnología, viajes, fitness",
    "objetivos": "verse bien en la oficina sin perder comodidad",
    "desafios": "poco tiempo libre\nno encuentra su talla en tiendas",
    "canales": "Instagram, correo electrónico",
    "segmento": "Profesionistas urbanas",  # one of the segments of the solution's segmentation
}
PERSONA_INCOMPLETA = {"nombre": "Luis", "edad": "35", "ocupacion": "Chef"}  # two traits, no segment
REFLEXION = (
    "El dolor más urgente es el pago largo desde el celular: corta la compra justo al final. "
    "Lo comprobaría comprando yo misma desde el teléfono y midiendo cuántos pasos toma."
)

LIMITE_COMANDO = 600
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|\x1b[=>]")


# --- pequeñas utilidades ----------------------------------------------------------------------------


def _puerto_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ejecutar(*args: str, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("check", True)
    kwargs.setdefault("capture_output", True)
    kwargs.setdefault("text", True)
    # useradd, userdel, runuser and chpasswd live in /usr/sbin, which some CI images leave out of PATH.
    kwargs.setdefault("env", {**os.environ, "PATH": f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin"})
    return subprocess.run(list(args), **kwargs)


def _como(usuario: str, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    """Run a command as ``usuario`` (runuser keeps root's HOME unless told otherwise)."""
    return _ejecutar("runuser", "-u", usuario, "--", "env", f"HOME=/home/{usuario}", *args, check=check)


def _pids_de(uid: int) -> list[int]:
    pids = []
    for entrada in Path("/proc").iterdir():
        if not entrada.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            estado = (entrada / "status").read_text()
            uid_real = int(re.search(r"^Uid:\s+(\d+)", estado, re.M).group(1))
            if uid_real == uid:
                pids.append(int(entrada.name))
    return pids


def _terminar(pids: list[int], espera: float = 10) -> list[int]:
    """SIGTERM, then SIGKILL what is left; returns the pids that survived both."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    limite = time.monotonic() + espera
    vivos = list(pids)
    while vivos and time.monotonic() < limite:
        vivos = [p for p in vivos if Path(f"/proc/{p}").exists() and not _es_zombi(p)]
        time.sleep(0.2)
    for pid in vivos:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    time.sleep(0.5)
    return [p for p in vivos if Path(f"/proc/{p}").exists() and not _es_zombi(p)]


def _es_zombi(pid: int) -> bool:
    with contextlib.suppress(OSError):
        return re.search(r"^State:\s+Z", Path(f"/proc/{pid}/status").read_text(), re.M) is not None
    return False


def _texto_de_html(html: str) -> str:
    from bs4 import BeautifulSoup

    return BeautifulSoup(html, "html.parser").get_text("")


def _normalizar(codigo: str) -> str:
    """Code without any whitespace: syntax highlighting splits and re-spaces tokens in the HTML."""
    return re.sub(r"\s+", "", codigo)


# --- los cuadernos del curso --------------------------------------------------------------------------


def _nbgrader(celda: dict) -> dict:
    return celda.get("metadata", {}).get("nbgrader", {}) or {}


def _quitar_marcas(codigo: str) -> str:
    """The solution as a student who got it right would type it: the source cell without nbgrader's markers."""
    return "\n".join(
        linea for linea in codigo.splitlines() if not re.match(r"\s*#+\s*(BEGIN|END) SOLUTION", linea)
    )


def _pruebas_ocultas(fuente: dict) -> list[str]:
    """The code lines of every hidden test of the source notebook that students never see elsewhere.

    A line that also stands outside the hidden blocks (a visible test, or the model answer the students
    of this test type in) is in the feedback legitimately: it proves nothing about a leak.
    """
    ocultas, visibles = [], set()
    for celda in fuente["cells"]:
        dentro = False
        for linea in "".join(celda["source"]).splitlines():
            if re.match(r"\s*#+\s*BEGIN HIDDEN TESTS", linea):
                dentro = True
            elif re.match(r"\s*#+\s*END HIDDEN TESTS", linea):
                dentro = False
            elif dentro and len(linea.strip()) > 10 and not linea.strip().startswith("#"):
                ocultas.append(linea.strip())
            elif not dentro:
                visibles.add(linea.strip())
    return [linea for linea in ocultas if linea not in visibles]


# --- clientes: el hub, el servidor de cada usuario, sus terminales y sus núcleos ----------------------


class Servidor:
    """One user's single-user server, reached through the hub's proxy with that user's own token."""

    def __init__(self, hub: Hub, usuario: str, token: str):
        import requests

        self.hub, self.usuario, self.token = hub, usuario, token
        self.base = f"{hub.url}/user/{usuario}/"
        self.sesion = requests.Session()
        self.sesion.headers["Authorization"] = f"token {token}"

    def pedir(self, metodo: str, ruta: str, *, esperado: int | tuple = (200, 201), **kwargs):
        r = self.sesion.request(metodo, self.base + ruta, timeout=LIMITE_COMANDO, **kwargs)
        esperados = esperado if isinstance(esperado, tuple) else (esperado,)
        assert r.status_code in esperados, (
            f"{metodo} {ruta} como {self.usuario}: {r.status_code} {r.text[:500]}"
        )
        return r

    # JupyterLab's file browser and notebook saving: the contents API.
    def leer(self, ruta: str) -> dict:
        return self.pedir("GET", f"api/contents/{ruta}", params={"content": "1"}).json()

    def guardar_cuaderno(self, ruta: str, cuaderno: dict) -> None:
        self.pedir(
            "PUT", f"api/contents/{ruta}", json={"type": "notebook", "format": "json", "content": cuaderno}
        )

    # nbgrader's Assignments tab.
    def tareas(self) -> list[dict]:
        datos = self.pedir("GET", "assignments", params={"course_id": CURSO}).json()
        assert datos.get("success"), f"La lista de tareas de {self.usuario} falló: {datos}"
        return datos["value"]

    def accion_tarea(self, accion: str, tarea: str):
        respuesta = self.pedir(
            "POST", f"assignments/{accion}", json={"assignment_id": tarea, "course_id": CURSO}
        )
        datos = respuesta.json()
        assert datos.get("success"), f"«{accion}» de {self.usuario} falló: {datos}"
        return datos["value"]

    def terminal(self, comando: str, limite: float = LIMITE_COMANDO) -> tuple[int, str]:
        """Type ``comando`` in a new JupyterLab terminal; returns (exit status, output)."""
        import websocket

        nombre = self.pedir("POST", "api/terminals").json()["name"]
        url = self.base.replace("http://", "ws://") + f"terminals/websocket/{nombre}"
        ws = websocket.create_connection(url, header=[f"Authorization: token {self.token}"], timeout=limite)
        salida = ""
        try:
            ws.send(json.dumps(["set_size", 50, 250, 600, 800]))
            # The marker is split in the typed line so that only its *output* matches.
            ws.send(json.dumps(["stdin", f'{comando}\necho "__FIN""__:$?"\n']))
            fin = time.monotonic() + limite
            while time.monotonic() < fin:
                mensaje = json.loads(ws.recv())
                if mensaje[0] == "stdout":
                    salida += mensaje[1]
                    encontrado = re.search(r"__FIN__:(\d+)", ANSI.sub("", salida))
                    if encontrado:
                        return int(encontrado.group(1)), ANSI.sub("", salida).replace("\r", "")
                elif mensaje[0] == "disconnect":
                    break
            raise AssertionError(
                f"La terminal de {self.usuario} no terminó «{comando}»:\n{ANSI.sub('', salida)}"
            )
        finally:
            ws.close()
            self.pedir("DELETE", f"api/terminals/{nombre}", esperado=(204, 404))

    def nucleo(self, cuaderno: str) -> Nucleo:
        return Nucleo(self, cuaderno)


class Nucleo:
    """The kernel JupyterLab starts when the student opens a notebook (cwd: the notebook's folder)."""

    def __init__(self, servidor: Servidor, cuaderno: str):
        import websocket

        self.servidor = servidor
        sesion = servidor.pedir(
            "POST",
            "api/sessions",
            json={
                "path": cuaderno,
                "name": Path(cuaderno).name,
                "type": "notebook",
                "kernel": {"name": "python3"},
            },
        )
        self.id_sesion = sesion.json()["id"]
        self.id_nucleo = sesion.json()["kernel"]["id"]
        url = servidor.base.replace("http://", "ws://") + f"api/kernels/{self.id_nucleo}/channels"
        self.ws = websocket.create_connection(
            url, header=[f"Authorization: token {servidor.token}"], timeout=LIMITE_COMANDO
        )
        self.sesion_mensajes = uuid.uuid4().hex

    def ejecutar(self, codigo: str) -> str:
        """Execute like Shift+Enter; returns the printed text, fails with the traceback on error."""
        id_mensaje = uuid.uuid4().hex
        self.ws.send(
            json.dumps(
                {
                    "header": {
                        "msg_id": id_mensaje,
                        "username": self.servidor.usuario,
                        "session": self.sesion_mensajes,
                        "msg_type": "execute_request",
                        "version": "5.3",
                    },
                    "parent_header": {},
                    "metadata": {},
                    "channel": "shell",
                    "buffers": [],
                    "content": {
                        "code": codigo,
                        "silent": False,
                        "store_history": True,
                        "user_expressions": {},
                        "allow_stdin": False,
                        "stop_on_error": True,
                    },
                }
            )
        )
        salida, error, respuesta, ocioso = [], None, None, False
        while respuesta is None or not ocioso:
            mensaje = json.loads(self.ws.recv())
            if mensaje.get("parent_header", {}).get("msg_id") != id_mensaje:
                continue
            tipo, contenido = mensaje["header"]["msg_type"], mensaje["content"]
            if tipo == "stream":
                salida.append(contenido["text"])
            elif tipo == "error":
                error = ANSI.sub("", "\n".join(contenido["traceback"]))
            elif tipo == "execute_reply":
                respuesta = contenido
            elif tipo == "status" and contenido["execution_state"] == "idle":
                ocioso = True
        assert respuesta["status"] == "ok", (
            f"Error en el núcleo de {self.servidor.usuario}:\n{codigo}\n{error}"
        )
        return "".join(salida)

    def cerrar(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()
        self.servidor.pedir("DELETE", f"api/sessions/{self.id_sesion}", esperado=(204, 404))


class Hub:
    def __init__(self, url: str, token: str):
        import requests

        self.url = url
        self.sesion = requests.Session()
        self.sesion.headers["Authorization"] = f"token {token}"

    def api(self, metodo: str, ruta: str, esperado=(200, 201, 202, 204), **kwargs):
        r = self.sesion.request(metodo, f"{self.url}/hub/api/{ruta}", timeout=60, **kwargs)
        assert r.status_code in esperado, f"{metodo} /hub/api/{ruta}: {r.status_code} {r.text[:500]}"
        return r

    def arrancar(self, usuarios: list[str], limite: float = 240) -> dict[str, Servidor]:
        """Start every user's server at once (as a class arriving), wait until all are ready."""
        for usuario in usuarios:
            self.api("POST", f"users/{usuario}/server")
        pendientes, fin = set(usuarios), time.monotonic() + limite
        while pendientes and time.monotonic() < fin:
            for usuario in list(pendientes):
                servidor = self.api("GET", f"users/{usuario}").json()["servers"].get("", {})
                if servidor.get("ready"):
                    pendientes.discard(usuario)
            time.sleep(0.5)
        assert not pendientes, f"Estos servidores no arrancaron en {limite} s: {sorted(pendientes)}"
        servidores = {}
        for usuario in usuarios:
            token = self.api(
                "POST",
                f"users/{usuario}/tokens",
                json={"note": "prueba de extremo a extremo", "expires_in": 3600},
            ).json()["token"]
            servidores[usuario] = Servidor(self, usuario, token)
        return servidores


# --- las piezas del sistema, como fixtures que lo limpian todo -------------------------------------------


@pytest.fixture(scope="module")
def sistema():
    if os.geteuid() != 0:
        pytest.fail(
            "La prueba de JupyterHub crea usuarios Unix y necesita root. Ejecútala como root "
            '(la CI lo hace) o déjala fuera explícitamente con: pytest -m "not jupyterhub"'
        )
    inicio = time.monotonic()
    resultado = _ejecutar("bash", str(DEPLOY / "preparar_sistema.sh"), check=False)
    assert resultado.returncode == 0, (
        f"deploy/preparar_sistema.sh falló:\n{resultado.stdout}\n{resultado.stderr}"
    )
    print(f"[e2e] preparar_sistema.sh: {time.monotonic() - inicio:.1f} s")
    assert (VENV_BIN / "jupyterhub").exists()


@pytest.fixture(scope="module")
def base(sistema):
    carpeta = Path(tempfile.mkdtemp(prefix="cjtest_hub_"))
    carpeta.chmod(0o755)  # the exchange inside must be reachable by every user
    yield carpeta
    shutil.rmtree(carpeta, ignore_errors=True)


@pytest.fixture(scope="module")
def usuarios(base):
    """A unique instructor and two students: real Unix users with private (700) homes."""
    sufijo = secrets.token_hex(3)
    nombres = {
        "profe": f"cjtest_{sufijo}_profe",
        "ana": f"cjtest_{sufijo}_ana",
        "luis": f"cjtest_{sufijo}_luis",
    }
    claves = {n: secrets.token_urlsafe(12) for n in nombres.values()}
    creados = []
    try:
        for nombre in nombres.values():
            _ejecutar("useradd", "--create-home", "--shell", "/bin/bash", "-K", "HOME_MODE=0700", nombre)
            creados.append(nombre)
            _ejecutar("chpasswd", input=f"{nombre}:{claves[nombre]}\n")
        yield {"nombres": nombres, "claves": claves}
    finally:
        supervivientes = {}
        for nombre in creados:
            uid = pwd.getpwnam(nombre).pw_uid
            vivos = _terminar(_pids_de(uid))
            if vivos:
                supervivientes[nombre] = vivos
            _ejecutar("userdel", "--remove", nombre, check=False)
        assert not supervivientes, f"Procesos que no se dejaron terminar: {supervivientes}"


@pytest.fixture(scope="module")
def postgres(base, usuarios):
    """A private PostgreSQL cluster on 127.0.0.1 with the course's gradebook database."""
    import psycopg

    binarios = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))[-1]
    datos, socket_dir = base / "pg" / "datos", base / "pg" / "socket"
    for carpeta in (datos, socket_dir):
        carpeta.mkdir(parents=True)
    shutil.chown(base / "pg", "postgres", "postgres")
    for carpeta in (datos, socket_dir):
        shutil.chown(carpeta, "postgres", "postgres")
    clave_admin = secrets.token_urlsafe(16)
    archivo_clave = base / "pg" / "clave"
    archivo_clave.write_text(clave_admin)
    shutil.chown(archivo_clave, "postgres", "postgres")
    archivo_clave.chmod(0o600)
    puerto = _puerto_libre()
    _ejecutar(
        "runuser",
        "-u",
        "postgres",
        "--",
        str(binarios / "initdb"),
        "-D",
        str(datos),
        "-U",
        "cjtest_admin",
        "--auth=scram-sha-256",
        f"--pwfile={archivo_clave}",
        "--encoding=UTF8",
        "--no-sync",
    )
    archivo_clave.unlink()
    _ejecutar(
        "runuser",
        "-u",
        "postgres",
        "--",
        str(binarios / "pg_ctl"),
        "-D",
        str(datos),
        "-w",
        "-l",
        str(base / "pg" / "registro.log"),
        "-o",
        f"-c listen_addresses=127.0.0.1 -p {puerto} -k {socket_dir} -c fsync=off",
        "start",
    )
    try:
        profe = usuarios["nombres"]["profe"]
        clave_profe = secrets.token_urlsafe(16)
        with psycopg.connect(
            host="127.0.0.1",
            port=puerto,
            user="cjtest_admin",
            password=clave_admin,
            dbname="postgres",
            autocommit=True,
        ) as conexion:
            conexion.execute(f"CREATE ROLE \"{profe}\" LOGIN PASSWORD '{clave_profe}'")
            conexion.execute(f'CREATE DATABASE cjtest_gradebook OWNER "{profe}"')
        yield {
            "puerto": puerto,
            "url": f"postgresql+psycopg://{profe}:{clave_profe}@127.0.0.1:{puerto}/cjtest_gradebook",
        }
    finally:
        parada = _ejecutar(
            "runuser",
            "-u",
            "postgres",
            "--",
            str(binarios / "pg_ctl"),
            "-D",
            str(datos),
            "-m",
            "fast",
            "-w",
            "stop",
            check=False,
        )
        if parada.returncode != 0 and (datos / "postmaster.pid").exists():
            _terminar([int((datos / "postmaster.pid").read_text().split()[0])])


@pytest.fixture(scope="module")
def curso(base, usuarios, postgres):
    """The instructor's course folder (a copy of the repository's course), the class list and the exchange."""
    nombres = usuarios["nombres"]
    profe = nombres["profe"]
    casa = Path(f"/home/{profe}")
    carpeta = casa / CARPETA_CURSO
    fuente = RAIZ / "solutions" / TAREA / CUADERNO
    assert (RAIZ / "nbgrader_config.py").exists(), "Falta nbgrader_config.py en la raíz del repositorio."
    assert fuente.exists(), f"Falta el cuaderno fuente {fuente.relative_to(RAIZ)}."
    carpeta.mkdir()
    shutil.copy2(RAIZ / "nbgrader_config.py", carpeta / "nbgrader_config.py")
    shutil.copytree(
        RAIZ / "solutions",
        carpeta / "solutions",
        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "respuestas"),
    )
    (carpeta / "clase.csv").write_text(
        f"id,first_name,last_name\n{nombres['ana']},Ana,Prueba\n{nombres['luis']},Luis,Prueba\n",
        encoding="utf-8",
    )
    # The gradebook's URL carries a password: only the instructor may read it.
    (casa / ".jupyter").mkdir()
    (casa / ".jupyter" / "nbgrader_config.py").write_text(
        f"c = get_config()\nc.CourseDirectory.db_url = {postgres['url']!r}\n", encoding="utf-8"
    )
    (casa / ".jupyter" / "nbgrader_config.py").chmod(0o600)
    _ejecutar("chown", "-R", f"{profe}:{profe}", str(carpeta), str(casa / ".jupyter"))

    exchange = base / "exchange"
    exchange.mkdir()
    exchange.chmod(0o1777)
    return {
        "carpeta": carpeta,
        "exchange": exchange,
        "fuente": json.loads(fuente.read_text(encoding="utf-8")),
    }


@pytest.fixture(scope="module")
def hub(base, usuarios, curso):
    """JupyterHub with the course's own configuration (deploy/jupyterhub_config.py) plus a test service."""
    import requests

    estado = base / "hub"
    estado.mkdir(mode=0o700)
    nombres = usuarios["nombres"]
    lista = estado / "clase.txt"
    lista.write_text("# estudiantes\n" + f"{nombres['ana']}\n{nombres['luis']}\n", encoding="utf-8")
    token = secrets.token_hex(32)
    configuracion = estado / "jupyterhub_config_prueba.py"
    configuracion.write_text(
        "c = get_config()\n"
        f"load_subconfig({str(DEPLOY / 'jupyterhub_config.py')!r})\n"
        "# Only for the test: a service that starts servers and hands each user a token, like a login would.\n"
        f"c.JupyterHub.services.append({{'name': 'cjtest-pruebas', 'api_token': {token!r}}})\n"
        "c.JupyterHub.load_roles.append({'name': 'cjtest-pruebas', 'services': ['cjtest-pruebas'],\n"
        "    'scopes': ['admin:users', 'admin:servers', 'tokens']})\n",
        encoding="utf-8",
    )
    puerto = _puerto_libre()
    # A clean environment, as systemd would give it: nothing of the test run's HOME or Jupyter folders.
    entorno = {
        "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin",
        "LANG": "C.UTF-8",
        "HOME": str(estado),
        "CJ_HUB_PREFIJO": str(PREFIJO),
        "CJ_HUB_ESTADO": str(estado),
        "CJ_HUB_URL": f"http://127.0.0.1:{puerto}",
        "CJ_HUB_PUERTO_INTERNO": str(_puerto_libre()),
        "CJ_PROXY_PUERTO_API": str(_puerto_libre()),
        "CJ_INSTRUCTORES": nombres["profe"],
        "CJ_LISTA_CLASE": str(lista),
        "CJ_CURSO": CURSO,
        "CJ_CARPETA_CURSO": CARPETA_CURSO,
        "CJ_EXCHANGE": str(curso["exchange"]),
    }
    registro = open(estado / "jupyterhub.log", "w")  # noqa: SIM115  (closed in the teardown)
    proceso = subprocess.Popen(
        [str(VENV_BIN / "jupyterhub"), "-f", str(configuracion)],
        cwd=estado,
        env=entorno,
        stdout=registro,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{puerto}"
    cliente = Hub(url, token)
    try:
        fin = time.monotonic() + 60
        while time.monotonic() < fin:
            assert proceso.poll() is None, (
                "JupyterHub se cerró al arrancar:\n" + (estado / "jupyterhub.log").read_text()
            )
            with contextlib.suppress(requests.ConnectionError):
                if requests.get(f"{url}/hub/api/", timeout=5).status_code == 200:
                    break
            time.sleep(0.3)
        else:
            raise AssertionError(
                "JupyterHub no respondió en 60 s:\n" + (estado / "jupyterhub.log").read_text()
            )
        yield {"cliente": cliente, "url": url}
    finally:
        for nombre in nombres.values():
            with contextlib.suppress(Exception):
                cliente.sesion.delete(f"{url}/hub/api/users/{nombre}/server", timeout=30)
        proceso.send_signal(signal.SIGTERM)
        try:
            proceso.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proceso.pid, signal.SIGKILL)
            proceso.wait()
        pid_proxy = estado / "proxy.pid"
        if pid_proxy.exists():
            with contextlib.suppress(ValueError):
                _terminar([int(pid_proxy.read_text().strip())])
        registro.close()
        # Shown by pytest only when the test failed: the hub's and the servers' own account of it.
        print(
            "[e2e] final del registro de JupyterHub:\n"
            + "".join((estado / "jupyterhub.log").read_text(errors="replace").splitlines(keepends=True)[-60:])
        )


# --- la prueba ------------------------------------------------------------------------------------------


def _puntos_por_prueba(fuente: dict) -> dict[str, float]:
    """Points of every autograded test cell of the source notebook, by grade id."""
    return {
        _nbgrader(c)["grade_id"]: float(_nbgrader(c).get("points", 0))
        for c in fuente["cells"]
        if _nbgrader(c).get("grade") and not _nbgrader(c).get("solution")
    }


def _celda(cuaderno: dict, grade_id: str) -> dict:
    celdas = [c for c in cuaderno["cells"] if _nbgrader(c).get("grade_id") == grade_id]
    assert celdas, f"El cuaderno no tiene la celda «{grade_id}»: ¿cambió {TAREA}/{CUADERNO}?"
    return celdas[0]


def _responder(servidor: Servidor, fuente: dict, *, persona: dict, reflexion: str | None) -> float:
    """What a student does in JupyterLab: fill the persona form in their kernel, type the other answers, save."""
    ruta = f"{TAREA}/{CUADERNO}"
    publicado = servidor.leer(ruta)["content"]
    # The notebook's own set-up and form cells run in the student's kernel (as when opening it), then the
    # student types into the persona form, which saves respuestas/m3_persona.json by itself.
    nucleo = servidor.nucleo(ruta)
    try:
        for celda in publicado["cells"]:
            meta = _nbgrader(celda)
            if celda["cell_type"] != "code" or meta.get("solution") or meta.get("grade"):
                continue
            nucleo.ejecutar("".join(celda["source"]))
            if f'"{EJERCICIO_FORMULARIO}"' in "".join(celda["source"]):
                variable = "".join(celda["source"]).split("=")[0].strip()
                break
        else:
            raise AssertionError(f"{ruta} no tiene el formulario del ejercicio {EJERCICIO_FORMULARIO}.")
        escribir = "\n".join(
            f"{variable}.controles[{campo!r}].value = {valor!r}" for campo, valor in persona.items()
        )
        nucleo.ejecutar(escribir)
        memoria = _memoria_mb(servidor.usuario)  # server + a kernel with the course loaded
    finally:
        nucleo.cerrar()
    assert servidor.leer(f"{TAREA}/respuestas/{EJERCICIO_FORMULARIO}.json")["content"], (
        "El formulario no guardó la respuesta en respuestas/."
    )
    # Every other answer typed in code, exactly as the solution has it (without nbgrader's markers).
    for celda in publicado["cells"]:
        grade_id = _nbgrader(celda).get("grade_id")
        if (
            celda["cell_type"] == "code"
            and _nbgrader(celda).get("solution")
            and grade_id != CELDA_RESPUESTA_FORMULARIO
        ):
            celda["source"] = _quitar_marcas("".join(_celda(fuente, grade_id)["source"]))
    if reflexion is not None:
        _celda(publicado, CELDA_REFLEXION)["source"] = reflexion
    servidor.guardar_cuaderno(ruta, publicado)
    return memoria


def _calificar_a_mano(servidor: Servidor, estudiante: str, grade_id: str, puntos: float) -> None:
    """The instructor grades a free-text answer in formgrader (its API, as its page does)."""
    cuaderno = Path(CUADERNO).stem
    entregas = servidor.pedir("GET", f"formgrader/api/submitted_notebooks/{TAREA}/{cuaderno}").json()
    entrega = [e for e in entregas if e["student"] == estudiante]
    assert entrega, f"formgrader no muestra la entrega de {estudiante}: {entregas}"
    notas = servidor.pedir("GET", "formgrader/api/grades", params={"submission_id": entrega[0]["id"]}).json()
    nota = [n for n in notas if n["name"] == grade_id]
    assert nota, f"formgrader no tiene la celda {grade_id}: {notas}"
    servidor.pedir("PUT", f"formgrader/api/grade/{nota[0]['id']}", json={"manual_score": puntos})


def _extensiones_desactivadas(servidor: Servidor) -> set[str]:
    """The JupyterLab plugins switched off in the page this user's browser would load."""
    pagina = servidor.pedir("GET", "lab").text
    datos = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', pagina, re.S
    )
    assert datos, "La página de JupyterLab no trae su configuración."
    desactivadas = json.loads(datos.group(1)).get("disabledExtensions", [])
    return set(desactivadas if isinstance(desactivadas, list) else [k for k, v in desactivadas.items() if v])


def _memoria_mb(usuario: str) -> float:
    """Resident memory of every process of ``usuario`` (server, kernels, terminals), in MB."""
    total = 0
    for pid in _pids_de(pwd.getpwnam(usuario).pw_uid):
        with contextlib.suppress(OSError, AttributeError):
            total += int(
                re.search(r"^VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text(), re.M).group(1)
            )
    return total / 1024


def _es_numero(texto: str) -> bool:
    try:
        float(texto)
    except (TypeError, ValueError):
        return False
    return True


@pytest.mark.jupyterhub
def test_curso_en_jupyterhub_de_extremo_a_extremo(usuarios, postgres, curso, hub):
    import requests
    from nbgrader.api import Gradebook

    from cj_course import Persona

    t0 = time.monotonic()
    marcas = {}
    nombres, claves = usuarios["nombres"], usuarios["claves"]
    profe, ana, luis = nombres["profe"], nombres["ana"], nombres["luis"]
    cliente: Hub = hub["cliente"]
    fuente = curso["fuente"]
    puntos = _puntos_por_prueba(fuente)
    for grade_id in (*PRUEBAS_PERSONA, CELDA_RESPUESTA_FORMULARIO, CELDA_REFLEXION):
        _celda(fuente, grade_id)
    puntos_reflexion = float(_nbgrader(_celda(fuente, CELDA_REFLEXION))["points"])

    # The authenticator (PAM): a student logs in with their Unix password; a wrong one is refused.
    with requests.Session() as navegador:
        navegador.get(f"{hub['url']}/hub/login", timeout=30)
        datos = {"username": ana, "_xsrf": navegador.cookies.get("_xsrf")}
        malo = navegador.post(
            f"{hub['url']}/hub/login",
            data={**datos, "password": "no-es-la-clave"},
            allow_redirects=False,
            timeout=60,
        )
        assert malo.status_code == 403
        bueno = navegador.post(
            f"{hub['url']}/hub/login",
            data={**datos, "password": claves[ana]},
            allow_redirects=False,
            timeout=60,
        )
        assert bueno.status_code == 302, bueno.text[:500]

    servidores = cliente.arrancar([profe, ana, luis])
    marcas["servidores"] = time.monotonic() - t0
    sp, sa, sl = servidores[profe], servidores[ana], servidores[luis]

    # Only the instructor gets nbgrader's formgrader (server API and JupyterLab menu).
    sp.pedir("GET", "formgrader/api/assignments")
    sa.pedir("GET", "formgrader/api/assignments", esperado=404)
    # nbgrader 0.9's plugin ids carry the package name: "nbgrader:formgrader" would disable nothing
    instructor_solo = {
        "@jupyter/nbgrader:formgrader",
        "@jupyter/nbgrader:create-assignment",
        "@jupyter/nbgrader:course-list",
    }
    assert instructor_solo <= _extensiones_desactivadas(sa)
    assert not instructor_solo & _extensiones_desactivadas(sp)
    assert "@jupyter/nbgrader:assignment-list" not in _extensiones_desactivadas(
        sa
    )  # students fetch and submit

    # Instructor, in a JupyterLab terminal: the class list, then generate and release the assignment.
    codigo, salida = sp.terminal(
        f"cd ~/{CARPETA_CURSO} && nbgrader db student import clase.csv && cj-course liberar {TAREA}"
    )
    assert codigo == 0, salida
    marcas["publicada"] = time.monotonic() - t0

    # Students, at the same time: Assignments tab -> fetch, answer, submit.
    def trabajar(servidor: Servidor, persona: dict, reflexion: str | None) -> float:
        publicadas = [t["assignment_id"] for t in servidor.tareas() if t["status"] == "released"]
        assert TAREA in publicadas, f"{servidor.usuario} no ve la tarea publicada: {servidor.tareas()}"
        servidor.accion_tarea("fetch", TAREA)
        memoria = _responder(servidor, fuente, persona=persona, reflexion=reflexion)
        servidor.accion_tarea("submit", TAREA)
        return memoria

    with ThreadPoolExecutor(2) as grupo:
        trabajos = [
            grupo.submit(trabajar, sa, PERSONA_COMPLETA, REFLEXION),
            grupo.submit(trabajar, sl, PERSONA_INCOMPLETA, None),
        ]
        memoria_trabajando = [round(trabajo.result()) for trabajo in trabajos]
    marcas["entregadas"] = time.monotonic() - t0

    # Instructor: collect and grade the class in parallel (into PostgreSQL), grade the free text by hand,
    # then feedback (released through the exchange) and the CSV export.
    codigo, salida = sp.terminal(
        f"cd ~/{CARPETA_CURSO} && cj-course recoger {TAREA}"
        f" && cj-course calificar {TAREA} --trabajadores 2 --sin-progreso"
    )
    assert codigo == 0, salida
    # the instructor's own server grades each submission in a bubblewrap sandbox too, and backs up the
    # PostgreSQL gradebook first
    assert "Aislamiento: bubblewrap" in salida, salida
    assert "Copia del libro de calificaciones de antes:" in salida and ".json" in salida, salida
    marcas["calificadas"] = time.monotonic() - t0
    _calificar_a_mano(sp, ana, CELDA_REFLEXION, puntos_reflexion)
    codigo, salida = sp.terminal(
        f"cd ~/{CARPETA_CURSO} && cj-course retroalimentar {TAREA} && cj-course exportar --salida notas.csv"
    )
    assert codigo == 0, salida

    for servidor in (sa, sl):
        servidor.accion_tarea("fetch_feedback", TAREA)
    marcas["retroalimentacion"] = time.monotonic() - t0
    memoria = {nombre: round(_memoria_mb(usuario)) for nombre, usuario in nombres.items()}

    # --- the grades, in PostgreSQL ---
    rasgos_luis = len(
        Persona(
            PERSONA_INCOMPLETA["nombre"],
            edad=int(PERSONA_INCOMPLETA["edad"]),
            ocupacion=PERSONA_INCOMPLETA["ocupacion"],
        ).caracteristicas()
    )
    esperado = {
        ana: dict(puntos),  # everything right, the persona through its form
        # Right in code, but the persona form has two traits and no segment: partial credit for the
        # traits (the test scores 3 x traits / 5), nothing for the segment and the full check.
        luis: {
            **puntos,
            PRUEBAS_PERSONA[0]: round(puntos[PRUEBAS_PERSONA[0]] * min(rasgos_luis, 5) / 5, 2),
            PRUEBAS_PERSONA[1]: 0.0,
            PRUEBAS_PERSONA[2]: 0.0,
        },
    }
    esperado_total = {ana: sum(esperado[ana].values()) + puntos_reflexion, luis: sum(esperado[luis].values())}
    with Gradebook(postgres["url"], CURSO) as gradebook:
        for estudiante, por_prueba in esperado.items():
            obtenido = {
                g: gradebook.find_grade(g, Path(CUADERNO).stem, TAREA, estudiante).score for g in por_prueba
            }
            assert obtenido == pytest.approx(por_prueba), f"Notas por prueba de {estudiante}"
            entrega = gradebook.find_submission(TAREA, estudiante)
            assert entrega.score == pytest.approx(esperado_total[estudiante])
            assert entrega.max_score == pytest.approx(sum(puntos.values()) + puntos_reflexion)
    assert esperado_total[ana] == pytest.approx(sum(puntos.values()) + puntos_reflexion)  # full marks
    assert 0 < esperado_total[luis] < esperado_total[ana]

    # --- the CSV export ---
    with open(curso["carpeta"] / "notas.csv", encoding="utf-8") as archivo:
        filas = list(csv.DictReader(archivo))
    for estudiante, nota in esperado_total.items():
        fila = [f for f in filas if estudiante in f.values() and TAREA in f.values()]
        assert len(fila) == 1, f"{estudiante} no aparece una vez en notas.csv:\n{filas}"
        assert any(_es_numero(v) and float(v) == pytest.approx(nota) for v in fila[0].values()), fila[0]

    # --- the feedback: each student's own, without hidden tests ---
    ocultas = _pruebas_ocultas(fuente)
    assert ocultas, "El cuaderno fuente no tiene pruebas ocultas: la comprobación no diría nada."
    # They did run when grading: they are in the instructor's autograded copy of each submission.
    for estudiante in (ana, luis):
        calificado = curso["carpeta"] / "autograded" / estudiante / TAREA / CUADERNO
        codigo_calificado = _normalizar(
            "".join("".join(c["source"]) for c in json.loads(calificado.read_text())["cells"])
        )
        assert all(_normalizar(linea) in codigo_calificado for linea in ocultas)
    for servidor in (sa, sl):
        entregas = servidor.leer(f"{TAREA}/feedback")["content"]
        assert entregas, f"{servidor.usuario} no recibió retroalimentación."
        paginas = [
            a for e in entregas for a in servidor.leer(e["path"])["content"] if a["name"].endswith(".html")
        ]
        assert paginas, f"La retroalimentación de {servidor.usuario} no tiene HTML."
        for pagina in paginas:
            texto = _normalizar(_texto_de_html(servidor.leer(pagina["path"])["content"]))
            assert "afirmar_valido(persona)" in texto  # a visible test is there: the text extraction works
            assert "HIDDENTESTS" not in texto
            filtradas = [linea for linea in ocultas if _normalizar(linea) in texto]
            assert not filtradas, (
                f"Pruebas ocultas en la retroalimentación de {servidor.usuario}: {filtradas}"
            )

    # --- privacy: nobody reads another student's work ---
    for persona in (profe, ana, luis):
        assert (Path("/home") / persona).stat().st_mode & 0o077 == 0, f"/home/{persona} no es 700"
    codigo, salida = sa.terminal(f"ls /home/{luis}/{TAREA}")
    assert codigo != 0 and "Permission denied" in salida, salida
    codigo, salida = sa.terminal(f"cat /home/{luis}/{TAREA}/respuestas/{EJERCICIO_FORMULARIO}.json")
    assert codigo != 0 and "Permission denied" in salida, salida
    # The exchange keeps submissions and feedback in folders students may write to but not list.
    for carpeta in ("inbound", "feedback"):
        codigo, salida = sl.terminal(f"ls {curso['exchange']}/{CURSO}/{carpeta}")
        assert codigo != 0 and "Permission denied" in salida, salida
    assert _como(luis, "cat", f"/home/{profe}/.jupyter/nbgrader_config.py").returncode != 0
    # ...and a student's token does not open another student's server.
    ajeno = sa.sesion.get(f"{hub['url']}/user/{luis}/api/contents", timeout=30, allow_redirects=False)
    assert ajeno.status_code in (302, 403, 404), ajeno.status_code

    print(
        f"[e2e] tiempos (s desde el inicio de la prueba): {json.dumps({k: round(v, 1) for k, v in marcas.items()})}"
    )
    print(
        f"[e2e] memoria (MB): estudiantes con el cuaderno abierto {memoria_trabajando}; al terminar {memoria}"
    )


# --- Kubernetes: lo mismo que en una máquina ----------------------------------------------------------


def test_valores_z2jh_dicen_lo_mismo_que_una_maquina(monkeypatch):
    """deploy/z2jh-values.yaml is valid YAML and its hub code gives each server what jupyterhub_config.py does."""
    import functools
    import sys
    import types

    import yaml
    from traitlets.config import Config

    valores = yaml.safe_load((DEPLOY / "z2jh-values.yaml").read_text(encoding="utf-8"))
    custom = valores["custom"]
    assert custom["curso"] == CURSO
    montajes = {m["name"]: m["mountPath"] for m in valores["singleuser"]["storage"]["extraVolumeMounts"]}
    assert montajes["nbgrader-exchange"] == custom["exchange"]
    assert {v["name"] for v in valores["singleuser"]["storage"]["extraVolumes"]} >= set(montajes)

    # Run hub.extraConfig as the chart's hub would, with z2jh.get_config reading `custom`.
    z2jh = types.ModuleType("z2jh")

    def get_config(clave, defecto=None):
        partes = clave.split(".")
        assert partes[0] == "custom", clave
        return (
            functools.reduce(lambda d, k: d.get(k, {}) if isinstance(d, dict) else {}, partes[1:], custom)
            or defecto
        )

    z2jh.get_config = get_config
    monkeypatch.setitem(sys.modules, "z2jh", z2jh)
    c = Config()
    exec(
        compile(valores["hub"]["extraConfig"]["curso"], "z2jh-values.yaml:hub.extraConfig.curso", "exec"),
        {"c": c},
    )
    preparar = c.Spawner.pre_spawn_hook

    def entorno_de(usuario: str) -> dict:
        spawner = types.SimpleNamespace(user=types.SimpleNamespace(name=usuario), environment={"OTRA": "1"})
        preparar(spawner)
        return spawner.environment

    profe, ana, luis = entorno_de(custom["instructores"][0]), entorno_de("ana"), entorno_de("luis")
    for entorno in (profe, ana, luis):
        assert entorno["OTRA"] == "1"  # the chart's own variables survive
        assert entorno["CJ_CURSO"] == CURSO and entorno["CJ_EXCHANGE"] == custom["exchange"]
        assert entorno["CJ_INSTRUCTORES"] == ",".join(sorted(custom["instructores"]))
        assert 100_000 <= int(entorno["NB_UID"]) < 2**31 - 1
    # Each user their own UID, the same at every start: the exchange's permissions keep them apart.
    assert len({profe["NB_UID"], ana["NB_UID"], luis["NB_UID"]}) == 3
    assert entorno_de("ana")["NB_UID"] == ana["NB_UID"]
    # Students get the folder without formgrader that the image installs; the instructor does not.
    assert "JUPYTER_CONFIG_PATH" not in profe
    assert ana["JUPYTER_CONFIG_PATH"] == luis["JUPYTER_CONFIG_PATH"] == "/etc/jupyter/estudiantes"
    dockerfile = (DEPLOY / "imagen" / "Dockerfile").read_text(encoding="utf-8")
    assert "COPY deploy/estudiantes /etc/jupyter/estudiantes" in dockerfile
    assert "COPY deploy/jupyter/nbgrader_config.py /etc/jupyter/nbgrader_config.py" in dockerfile
    # The image's JupyterHub is the version the one-machine environment installs and tests.
    version = re.search(r'JUPYTERHUB_VERSION="([^"]+)"', (DEPLOY / "preparar_sistema.sh").read_text()).group(
        1
    )
    assert f'"jupyterhub=={version}"' in dockerfile
