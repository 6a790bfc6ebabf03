#!/usr/bin/env bash
# Prepara una máquina para servir el curso con JupyterHub: paquetes del sistema (PostgreSQL, Node),
# el proxy configurable-http-proxy (npm, en una carpeta local) y el entorno del curso para todos los
# usuarios (un venv con JupyterHub, JupyterLab, nbgrader y cj_course, hecho con el Python de Debian).
#
# Uso (como root, o con sudo):   bash deploy/preparar_sistema.sh
# Variables: CJ_HUB_PREFIJO (por defecto /opt/cj-course-hub) — dónde quedan el venv y el proxy.
# Es idempotente: la segunda vez solo comprueba sellos y tarda un par de segundos; reinstala el paquete
# del curso cuando cambia cj_course/ y todo el entorno cuando cambia pyproject.toml.
set -euo pipefail
umask 022
export PATH="$PATH:/usr/sbin:/sbin"

RAIZ="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPLOY="$RAIZ/deploy"
PREFIJO="${CJ_HUB_PREFIJO:-/opt/cj-course-hub}"
VENV="$PREFIJO/venv"
PROXY="$PREFIJO/proxy"
JUPYTERHUB_VERSION="6.1.1"
CULLER_VERSION="2.0.0"
CHP_VERSION="5.3.0"

if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
        exec sudo --preserve-env=CJ_HUB_PREFIJO bash "$0" "$@"
    fi
    echo "ERROR: preparar_sistema.sh instala paquetes y crea $PREFIJO: ejecútalo como root o instala sudo." >&2
    exit 1
fi

# --- Paquetes del sistema -------------------------------------------------------------------------
# Debian's python3 (not a pyenv/conda one under /root) so that every Unix user can run the venv.
PYTHON_SISTEMA=/usr/bin/python3
faltan=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || faltan+=(postgresql)
command -v npm >/dev/null 2>&1 || faltan+=(nodejs npm)
[[ -x $PYTHON_SISTEMA ]] || faltan+=(python3)
{ [[ -x $PYTHON_SISTEMA ]] && $PYTHON_SISTEMA -c 'import ensurepip, venv' 2>/dev/null; } || faltan+=(python3-venv)
command -v useradd >/dev/null 2>&1 || faltan+=(passwd)
command -v runuser >/dev/null 2>&1 || faltan+=(util-linux)
# cj-course calificar runs every submission in a bubblewrap sandbox.
command -v bwrap >/dev/null 2>&1 || faltan+=(bubblewrap)
# The tests read the exported plan (cj_course.plan) with pdftotext and pdfinfo.
command -v pdftotext >/dev/null 2>&1 || faltan+=(poppler-utils)
if ((${#faltan[@]})); then
    echo "==> Instalando paquetes del sistema: ${faltan[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${faltan[@]}" >/dev/null
fi
$PYTHON_SISTEMA -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
    echo "ERROR: $PYTHON_SISTEMA es anterior a 3.11; el curso necesita Python 3.11 o superior." >&2
    exit 1
}
mkdir -p "$PREFIJO"
chmod 755 "$PREFIJO"
# Two test runs at once must not reinstall the same environment at the same time.
exec 9>"$PREFIJO/.preparar.lock"
flock 9

# --- configurable-http-proxy (npm, carpeta local) ---------------------------------------------------
if [[ ! -x "$PROXY/node_modules/.bin/configurable-http-proxy" ]]; then
    echo "==> Instalando configurable-http-proxy $CHP_VERSION en $PROXY"
    mkdir -p "$PROXY"
    npm install --prefix "$PROXY" --no-audit --no-fund --loglevel=error \
        "configurable-http-proxy@$CHP_VERSION" >/dev/null
fi

# --- Entorno del curso (JupyterHub + JupyterLab + nbgrader + cj_course) ------------------------------
# One venv serves the hub (run by root) and every user's server and kernel.
if [[ ! -x "$VENV/bin/python" ]]; then
    echo "==> Creando el entorno del curso en $VENV"
    $PYTHON_SISTEMA -m venv "$VENV"
fi

# pip builds from a throw-away copy: building in the repository would leave build/ behind, and the
# repository itself may not be readable by other users.
copiar_paquete() {
    local destino
    destino="$(mktemp -d)"
    cp "$RAIZ/pyproject.toml" "$destino/"
    [[ -f "$RAIZ/README.md" ]] && cp "$RAIZ/README.md" "$destino/" || touch "$destino/README.md"
    [[ -f "$RAIZ/LICENSE" ]] && cp "$RAIZ/LICENSE" "$destino/"
    tar -C "$RAIZ" --exclude='__pycache__' --exclude='*.pyc' -cf - cj_course | tar -C "$destino" -xf -
    echo "$destino"
}

huella_dependencias="$( { sha256sum "$RAIZ/pyproject.toml" | cut -d' ' -f1; echo "jupyterhub==$JUPYTERHUB_VERSION jupyterhub-idle-culler==$CULLER_VERSION"; } | sha256sum | cut -d' ' -f1)"
huella_paquete="$( { cd "$RAIZ" && find cj_course pyproject.toml -type f ! -path '*__pycache__*' ! -name '*.pyc' -print0 \
    | sort -z | xargs -0 sha256sum; } | sha256sum | cut -d' ' -f1)"
sello_dependencias="$VENV/.cj-dependencias"
sello_paquete="$VENV/.cj-paquete"

if [[ ! -f "$sello_dependencias" || "$(cat "$sello_dependencias")" != "$huella_dependencias" ]]; then
    echo "==> Instalando JupyterHub $JUPYTERHUB_VERSION y el curso (extra 'curso') en $VENV"
    copia="$(copiar_paquete)"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet "jupyterhub==$JUPYTERHUB_VERSION" \
        "jupyterhub-idle-culler==$CULLER_VERSION" "$copia[curso]"
    rm -rf "$copia"
    echo "$huella_dependencias" >"$sello_dependencias"
    echo "$huella_paquete" >"$sello_paquete"
elif [[ ! -f "$sello_paquete" || "$(cat "$sello_paquete")" != "$huella_paquete" ]]; then
    echo "==> Actualizando el paquete cj_course en $VENV"
    copia="$(copiar_paquete)"
    "$VENV/bin/python" -m pip install --quiet --no-deps --force-reinstall "$copia"
    rm -rf "$copia"
    echo "$huella_paquete" >"$sello_paquete"
fi

# --- Configuración común a todos los usuarios (se copia siempre: es barato y sigue al repositorio) ---
# nbgrader's course id and exchange for everybody; the sys-prefix config path applies to every user
# of this environment.
install -D -m 644 "$DEPLOY/jupyter/nbgrader_config.py" "$VENV/etc/jupyter/nbgrader_config.py"
# JupyterLab in Spanish by default, as in scripts/_entorno.sh.
install -d -m 755 "$VENV/share/jupyter/lab/settings"
cat >"$VENV/share/jupyter/lab/settings/overrides.json" <<'JSON'
{
  "@jupyterlab/translation-extension:plugin": { "locale": "es_ES" }
}
JSON
# The hub's own configuration, where deploy/jupyterhub.service expects it.
install -m 644 "$DEPLOY/jupyterhub_config.py" "$PREFIJO/jupyterhub_config.py"
# Students' extra config folder (JUPYTER_CONFIG_PATH, set by jupyterhub_config.py): no formgrader.
rm -rf "$PREFIJO/estudiantes"
cp -r "$DEPLOY/estudiantes" "$PREFIJO/estudiantes"
chmod -R u=rwX,go=rX "$PREFIJO/estudiantes"

echo "==> Sistema listo: entorno $VENV, proxy $PROXY/node_modules/.bin/configurable-http-proxy"
