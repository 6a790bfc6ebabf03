#!/usr/bin/env bash
# Prepara todo y abre el curso: entorno, libro construido y JupyterLab en el módulo 1.
# Opciones: --sin-abrir (solo prepara), --sin-libro (no construye el libro).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_entorno.sh"
abrir=1
libro=1
for arg in "$@"; do
    case "$arg" in
        --sin-abrir) abrir=0 ;;
        --sin-libro) libro=0 ;;
        *) echo "Opción desconocida: $arg (usa --sin-abrir o --sin-libro)" >&2; exit 2 ;;
    esac
done
preparar_entorno "curso"
cd "$RAIZ"
if ((libro)); then
    echo "==> Construyendo el libro (la primera vez ejecuta todos los cuadernos; luego usa la caché)"
    cj-course libro construir
fi
if ((abrir)); then
    echo "==> Abriendo JupyterLab en el módulo 1 (Ctrl+C para salir)"
    # root_dir = the repository, so the file browser and the modules' links reach exercises/ and book/.
    exec jupyter lab --ServerApp.root_dir="$RAIZ" "modules/01_introduccion.ipynb"
fi
