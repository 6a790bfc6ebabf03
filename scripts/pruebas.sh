#!/usr/bin/env bash
# Ejecuta todas las pruebas del curso: instala lo necesario (navegador incluido) y lanza pytest.
# Los argumentos se pasan a pytest (por ejemplo: bash scripts/pruebas.sh -m "not navegador").
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_entorno.sh"
preparar_entorno "curso,test,bench"
cd "$RAIZ"

# Debian's Chromium for the browser tests; PostgreSQL, Node's proxy and the hub's environment for the
# JupyterHub test (deploy/preparar_sistema.sh is idempotent: seconds when nothing changed).
if [[ ! -x /usr/bin/chromium ]]; then
    echo "==> Instalando Chromium de Debian"
    if [[ $(id -u) -eq 0 ]]; then sudo_=""; else sudo_="sudo"; fi
    $sudo_ apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq chromium chromium-driver >/dev/null
fi
echo "==> Preparando PostgreSQL, el proxy y el entorno de JupyterHub"
bash deploy/preparar_sistema.sh

# Jupyter, IPython, matplotlib and Chromium write to $HOME: keep the tests off the user's own.
TMP_HOME="$(mktemp -d)"
trap 'rm -rf "$TMP_HOME"' EXIT
export HOME="$TMP_HOME" MPLCONFIGDIR="$TMP_HOME/mpl" IPYTHONDIR="$TMP_HOME/ipython"
export JUPYTER_CONFIG_DIR="$TMP_HOME/jupyter-config" JUPYTER_RUNTIME_DIR="$TMP_HOME/jupyter-runtime"
export JUPYTER_DATA_DIR="$TMP_HOME/jupyter-data" MPLBACKEND=Agg PYTHONHASHSEED=0

echo "==> ruff"
ruff check cj_course tests benchmarks scripts
ruff format --check cj_course tests benchmarks scripts
echo "==> pytest"
python -m pytest -p no:cacheprovider "$@"
