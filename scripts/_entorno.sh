# Shared by curso.sh and pruebas.sh: creates .venv and installs the project with the given extras.
# Usage (sourced): preparar_entorno "curso,test"
set -euo pipefail
RAIZ="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$RAIZ/.venv"

buscar_python() {
    for candidato in python3.11 python3.12 python3.13 python3; do
        if command -v "$candidato" >/dev/null 2>&1 &&
            "$candidato" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
            command -v "$candidato"
            return 0
        fi
    done
    echo "ERROR: hace falta Python 3.11 o superior (no se encontró). Instálalo y vuelve a ejecutar." >&2
    return 1
}

preparar_entorno() {
    local extras="$1"
    if [[ ! -x "$VENV/bin/python" ]]; then
        echo "==> Creando el entorno virtual en .venv"
        "$(buscar_python)" -m venv "$VENV"
    fi
    # Reinstall only when pyproject.toml or the requested extras changed: a second run is instant.
    local sello="$VENV/.instalado-$(echo "$extras" | tr ',' '-')"
    local huella
    huella="$(sha256sum "$RAIZ/pyproject.toml" | cut -d' ' -f1)"
    if [[ ! -f "$sello" || "$(cat "$sello")" != "$huella" ]]; then
        echo "==> Instalando el curso y sus dependencias ($extras); la primera vez tarda unos minutos"
        # pip and setuptools talk English (the editable-install banner, build logs): their output goes to
        # a log file, and only its end is shown if something fails.
        local registro="$VENV/registro-instalacion.txt"
        if ! { "$VENV/bin/python" -m pip install --quiet --upgrade pip &&
            "$VENV/bin/python" -m pip install --quiet -e "$RAIZ[$extras]"; } >"$registro" 2>&1; then
            echo "ERROR: la instalación falló. Últimas líneas de $registro:" >&2
            tail -n 15 "$registro" >&2
            echo "Revisa tu conexión a internet y vuelve a ejecutar la misma orden." >&2
            return 1
        fi
        echo "    Instalado (detalles en $registro)."
        echo "$huella" >"$sello"
    fi
    # JupyterLab in Spanish by default (the language pack alone only makes it available).
    local ajustes="$VENV/share/jupyter/lab/settings"
    mkdir -p "$ajustes"
    cat >"$ajustes/overrides.json" <<'JSON'
{
  "@jupyterlab/translation-extension:plugin": { "locale": "es_ES" },
  "@jupyterlab/apputils-extension:notification": { "fetchNews": "false", "checkForUpdates": false }
}
JSON
    export PATH="$VENV/bin:$PATH"
}
