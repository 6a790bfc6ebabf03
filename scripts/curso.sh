#!/usr/bin/env bash
# Prepara todo y abre el curso: entorno, tu espacio de trabajo (mi_curso/), el libro y JupyterLab en
# el módulo 1. Opciones: --sin-abrir (solo prepara), --sin-libro (no construye el libro),
# --sin-navegador (no intenta abrir el navegador: útil en un servidor o un contenedor).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_entorno.sh"
for arg in "$@"; do
    case "$arg" in
        --sin-abrir | --sin-libro | --sin-navegador) ;;
        *) echo "Opción desconocida: $arg (usa --sin-abrir, --sin-libro o --sin-navegador)" >&2; exit 2 ;;
    esac
done
preparar_entorno "curso"
cd "$RAIZ"
echo "==> Preparando tu espacio de trabajo"
# The workspace, the book (built from the course's sources only) and JupyterLab in student mode:
# cj_course/espacio.py does it all and never lets a broken book keep the course closed.
exec "$VENV/bin/python" -m cj_course.espacio "$@"
