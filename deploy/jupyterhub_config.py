"""JupyterHub para el curso de Customer Journey en una máquina, con usuarios Unix reales.

Arranque (como root, después de ``bash deploy/preparar_sistema.sh``)::

    CJ_INSTRUCTORES=profe CJ_LISTA_CLASE=/srv/jupyterhub/clase.txt \\
        /opt/cj-course-hub/venv/bin/jupyterhub -f /opt/cj-course-hub/jupyterhub_config.py

(preparar_sistema.sh copia este archivo allí; deploy/jupyterhub.service lo arranca con systemd.)

Todo se ajusta con variables de entorno (los valores por defecto, entre paréntesis):

- ``CJ_HUB_PREFIJO`` (/opt/cj-course-hub): el entorno del curso (``venv/``) y el proxy (``proxy/``).
- ``CJ_HUB_ESTADO`` (/srv/jupyterhub): base de datos del hub, secreto de cookies, pid del proxy.
- ``CJ_HUB_URL`` (http://:8000): dónde escucha el hub para los navegadores.
- ``CJ_HUB_CERTIFICADO`` y ``CJ_HUB_CLAVE_TLS``: certificado y clave para servir HTTPS (con
  ``CJ_HUB_URL=https://:443``), si no hay un proxy inverso con TLS delante.
- ``CJ_HUB_PUERTO_INTERNO`` (8081) y ``CJ_PROXY_PUERTO_API`` (8001): puertos internos en 127.0.0.1.
- ``CJ_AUTENTICADOR`` (pam): ``pam`` (contraseñas Unix) o ``shared-password`` (una clave común en
  ``CJ_CLAVE_COMPARTIDA``, útil para un taller de un día).
- ``CJ_INSTRUCTORES``: usuarios instructores, separados por comas; tienen el formgrader.
- ``CJ_LISTA_CLASE``: archivo con un usuario de estudiante por línea (``#`` comenta).
- ``CJ_CURSO`` (customer_journey): identificador del curso en nbgrader.
- ``CJ_CARPETA_CURSO`` (curso): carpeta del curso dentro del home del instructor.
- ``CJ_EXCHANGE`` (/srv/nbgrader/exchange): el exchange de nbgrader, una carpeta ``chmod 1777``.
- ``CJ_INACTIVIDAD`` (3600): segundos sin actividad tras los que se detiene el servidor de un
  usuario (su trabajo queda en su home); ``0`` no detiene ninguno.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821  (traitlets defines it when it loads this file)

PREFIJO = Path(os.environ.get("CJ_HUB_PREFIJO", "/opt/cj-course-hub"))
ESTADO = Path(os.environ.get("CJ_HUB_ESTADO", "/srv/jupyterhub"))
VENV_BIN = PREFIJO / "venv" / "bin"
CURSO = os.environ.get("CJ_CURSO", "customer_journey")
CARPETA_CURSO = os.environ.get("CJ_CARPETA_CURSO", "curso")
EXCHANGE = os.environ.get("CJ_EXCHANGE", "/srv/nbgrader/exchange")
INSTRUCTORES = {u.strip() for u in os.environ.get("CJ_INSTRUCTORES", "").split(",") if u.strip()}


def _leer_lista_clase(ruta: str) -> set[str]:
    if not ruta:
        return set()
    lineas = Path(ruta).read_text(encoding="utf-8").splitlines()
    return {linea.split("#")[0].strip() for linea in lineas if linea.split("#")[0].strip()}


ESTUDIANTES = _leer_lista_clase(os.environ.get("CJ_LISTA_CLASE", ""))

# --- Red: solo el proxy mira hacia fuera; hub y API del proxy quedan en 127.0.0.1 -------------------
c.JupyterHub.bind_url = os.environ.get("CJ_HUB_URL", "http://:8000")
if os.environ.get("CJ_HUB_CERTIFICADO"):
    c.JupyterHub.ssl_cert = os.environ["CJ_HUB_CERTIFICADO"]
    c.JupyterHub.ssl_key = os.environ["CJ_HUB_CLAVE_TLS"]
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{os.environ.get('CJ_HUB_PUERTO_INTERNO', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('CJ_PROXY_PUERTO_API', '8001')}"
c.ConfigurableHTTPProxy.command = [str(PREFIJO / "proxy" / "node_modules" / ".bin" / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.pid_file = str(ESTADO / "proxy.pid")
c.JupyterHub.db_url = f"sqlite:///{ESTADO / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(ESTADO / "jupyterhub_cookie_secret")
# Stopping the hub stops the class's servers too (a restart for maintenance starts clean).
c.JupyterHub.cleanup_servers = True

# --- Quién entra ------------------------------------------------------------------------------------
if os.environ.get("CJ_AUTENTICADOR", "pam") == "shared-password":
    c.JupyterHub.authenticator_class = "shared-password"
    if len(os.environ.get("CJ_CLAVE_COMPARTIDA", "")) < 8:
        raise SystemExit("Con CJ_AUTENTICADOR=shared-password, define CJ_CLAVE_COMPARTIDA (8 caracteres o más).")
    c.SharedPasswordAuthenticator.user_password = os.environ["CJ_CLAVE_COMPARTIDA"]
else:
    c.JupyterHub.authenticator_class = "pam"
c.Authenticator.allowed_users = INSTRUCTORES | ESTUDIANTES
# Hub admins may enter any student's server: nobody by default, the instructor grades through nbgrader.
c.Authenticator.admin_users = {u.strip() for u in os.environ.get("CJ_ADMINISTRADORES", "").split(",") if u.strip()}

# --- Cada usuario: su propio proceso, como su usuario Unix, con el entorno del curso --------------
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
# Two cores and a cold disk can make the first start of a class slow.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.Spawner.environment = {
    # The course environment first, so `nbgrader`, `cj-course` and `python` are the course's.
    "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
    "CJ_CURSO": CURSO,
    "CJ_CARPETA_CURSO": CARPETA_CURSO,
    "CJ_EXCHANGE": EXCHANGE,
    "CJ_INSTRUCTORES": ",".join(sorted(INSTRUCTORES)),
}
# A login shell would run /etc/profile, which resets PATH and loses the course environment.
c.Spawner.args = ['--ServerApp.terminado_settings={"shell_command": ["/bin/bash"]}']


# --- Servidores inactivos: se detienen y devuelven su memoria a la máquina ---------------------------
INACTIVIDAD = int(os.environ.get("CJ_INACTIVIDAD", "3600"))
if INACTIVIDAD > 0:
    c.JupyterHub.services = [{
        "name": "detener-inactivos",
        "command": [str(VENV_BIN / "python"), "-m", "jupyterhub_idle_culler", f"--timeout={INACTIVIDAD}"],
    }]
    c.JupyterHub.load_roles = [{
        "name": "detener-inactivos",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["detener-inactivos"],
    }]


def _preparar_servidor(spawner):
    """Students get a config folder that switches off nbgrader's instructor tools (formgrader)."""
    if spawner.user.name not in INSTRUCTORES:
        spawner.environment = {**spawner.environment, "JUPYTER_CONFIG_PATH": str(PREFIJO / "estudiantes")}


c.Spawner.pre_spawn_hook = _preparar_servidor
