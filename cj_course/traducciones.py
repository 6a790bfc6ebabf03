"""Lo que le falta al paquete de idioma español de JupyterLab en lo que ve el estudiante.

``jupyterlab-language-pack-es-ES`` 4.5.post3 no traduce, en JupyterLab 4.5, los menús «Run» y «Tabs»,
varias órdenes de celda, la barra del cuaderno ni el diálogo de reinicio. :func:`completar_paquete`
añade (nunca sustituye) estas traducciones a los archivos del paquete instalado en el entorno del
curso; ``bash scripts/curso.sh`` lo hace en cada arranque, así que una reinstalación no las pierde.

>>> TRADUCCIONES["jupyterlab"]["menu\\x04Run"]
['Ejecutar']
"""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

# domain -> msgid (with "context\x04" when JupyterLab asks with a context) -> forms (singular, plural).
TRADUCCIONES: dict[str, dict[str, list[str]]] = {
    "jupyterlab": {
        # Main menu titles (from the settings schemas, asked with the "menu" context)
        "menu\x04Run": ["Ejecutar"],
        "menu\x04Tabs": ["Pestañas"],
        "menu\x04Kernel": ["Kernel"],
        "menu\x04Code Folding": ["Plegado de código"],
        "menu\x04Console Run Keystroke": ["Tecla para ejecutar en la consola"],
        "menu\x04Terminal Theme": ["Tema de la terminal"],
        "menu\x04Workspaces": ["Espacios de trabajo"],
        "menu\x04Save and Export Notebook As": ["Guardar y exportar el cuaderno como"],
        "menu\x04Cell Type": ["Tipo de celda"],
        "Workspaces": ["Espacios de trabajo"],
        # File
        "Open from URL…": ["Abrir desde una URL…"],
        "Open Recent": ["Abrir reciente"],
        "Close and Shut Down Notebook…": ["Cerrar y apagar el cuaderno…"],
        "Revert %1 to Checkpoint…": ["Revertir %1 al punto de control…"],
        "Rename%1…": ["Renombrar%1…"],
        "Duplicate %1": ["Duplicar %1"],
        "Print…": ["Imprimir…"],
        # Edit
        "Cut Cell": ["Cortar celda", "Cortar celdas"],
        "Copy Cell": ["Copiar celda", "Copiar celdas"],
        "Paste Cell Below": ["Pegar celda debajo", "Pegar celdas debajo"],
        "Paste Cell Above": ["Pegar celda encima", "Pegar celdas encima"],
        "Paste Cell and Replace": ["Pegar celda y reemplazar", "Pegar celdas y reemplazar"],
        "Delete Cell": ["Borrar celda", "Borrar celdas"],
        "Move Cell Up": ["Subir celda", "Subir celdas"],
        "Move Cell Down": ["Bajar celda", "Bajar celdas"],
        "Merge Cell Above": ["Unir con la celda de arriba"],
        "Merge Cell Below": ["Unir con la celda de abajo"],
        "Clear Cell Output": ["Borrar la salida de la celda"],
        "Clear Outputs of All Cells": ["Borrar las salidas de todas las celdas"],
        "Clear outputs for the selected cells": ["Borrar las salidas de las celdas seleccionadas"],
        # View
        "Sessions and Tabs": ["Sesiones y pestañas"],
        "Debugger Panel": ["Panel del depurador"],
        "Show Notifications": ["Mostrar notificaciones"],
        "Render Side-by-Side": ["Mostrar lado a lado"],
        # Run
        "Run Selected Cell": ["Ejecutar la celda seleccionada", "Ejecutar las celdas seleccionadas"],
        "Run Selected Cell and Insert Below": [
            "Ejecutar la celda seleccionada e insertar debajo",
            "Ejecutar las celdas seleccionadas e insertar debajo",
        ],
        "Run Selected Cell and Do not Advance": [
            "Ejecutar la celda seleccionada sin avanzar",
            "Ejecutar las celdas seleccionadas sin avanzar",
        ],
        "%1 and %2": ["%1 y %2"],
        "%1 and %2 more": ["%1 y %2 más"],
        # Settings and Help
        "Auto Close Brackets": ["Cerrar paréntesis automáticamente"],
        "Settings Editor": ["Editor de configuración"],
        "Licenses": ["Licencias"],
        "Show Keyboard Shortcuts…": ["Mostrar atajos de teclado…"],
        "Jupyter Forum": ["Foro de Jupyter"],
        # Notebook toolbar and cell toolbar
        "Insert a cell above": ["Insertar una celda encima"],
        "Restart the kernel and run all cells": ["Reiniciar el kernel y ejecutar todas las celdas"],
        "Restart the kernel and clear all outputs of all cells": [
            "Reiniciar el kernel y borrar las salidas de todas las celdas"
        ],
        "Select the cell type": ["Elige el tipo de celda"],
        "Copy this cell": ["Copiar esta celda", "Copiar estas celdas"],
        "Cut this cell": ["Cortar esta celda", "Cortar estas celdas"],
        "Paste this cell from the clipboard": [
            "Pegar esta celda desde el portapapeles",
            "Pegar estas celdas desde el portapapeles",
        ],
        "Run this cell and advance": ["Ejecutar esta celda y avanzar", "Ejecutar estas celdas y avanzar"],
        "Delete this cell": ["Borrar esta celda", "Borrar estas celdas"],
        "Move this cell up": ["Subir esta celda", "Subir estas celdas"],
        "Move this cell down": ["Bajar esta celda", "Bajar estas celdas"],
        "Create a duplicate of this cell below": [
            "Duplicar esta celda debajo",
            "Duplicar estas celdas debajo",
        ],
        # File browser columns and the status bar ("Modo: Comando")
        "Modified": ["Modificado"],
        "File Size": ["Tamaño"],
        "Command": ["Comando"],
        "Edit": ["Edición"],
        "Kernel status: %1": ["Estado del kernel: %1"],
        # The restart dialog
        "Do you want to restart the kernel of %1? All variables will be lost.": [
            "¿Quieres reiniciar el kernel de %1? Se perderán todas las variables."
        ],
        "Do not ask me again.": ["No volver a preguntar."],
        "If checked, the kernel will restart without confirmation prompt in the future; you can change "
        "this back in the settings.": [
            "Si lo marcas, el kernel se reiniciará sin preguntar; puedes cambiarlo en la configuración."
        ],
    },
    "notebook": {
        "Open in %1": ["Abrir en %1"],
        "Open in Jupyter Notebook": ["Abrir en Jupyter Notebook"],
        "Launch Jupyter Notebook File Browser": ["Abrir el explorador de archivos de Jupyter Notebook"],
    },
    "jupyterlab_widgets": {
        "Save Widget State Automatically": ["Guardar el estado de los widgets automáticamente"],
    },
}


def carpeta_del_paquete() -> Path | None:
    """La carpeta ``LC_MESSAGES`` del paquete español instalado, o ``None`` si no está."""
    especificacion = importlib.util.find_spec("jupyterlab_language_pack_es_ES")
    if especificacion is None or not especificacion.submodule_search_locations:
        return None
    return Path(next(iter(especificacion.submodule_search_locations))) / "locale" / "es_ES" / "LC_MESSAGES"


def completar_paquete(carpeta: str | os.PathLike[str] | None = None) -> int:
    """Añade las traducciones que faltan; devuelve cuántas añadió (0 la segunda vez).

    Nunca cambia una traducción que el paquete ya trae. Sin paquete o sin permiso de escritura no
    hace nada (JupyterLab se abre igual, con esas frases en inglés).
    """
    carpeta = Path(carpeta) if carpeta is not None else carpeta_del_paquete()
    if carpeta is None or not carpeta.is_dir():
        return 0
    anadidas = 0
    for dominio, frases in TRADUCCIONES.items():
        archivo = carpeta / f"{dominio}.json"
        try:
            datos = json.loads(archivo.read_text(encoding="utf-8")) if archivo.exists() else {}
        except (OSError, ValueError):
            continue  # a damaged pack file is the pack's problem: never make it worse
        datos.setdefault(
            "",
            {
                "domain": dominio,
                "language": "es-ES",
                "plural_forms": "nplurals=2; plural=(n != 1);",
                "version": dominio,
            },
        )
        nuevas = {clave: formas for clave, formas in frases.items() if clave not in datos}
        if not nuevas:
            continue
        datos.update(nuevas)
        try:
            temporal = archivo.with_suffix(".tmp")
            temporal.write_text(json.dumps(datos, ensure_ascii=False), encoding="utf-8")
            temporal.replace(archivo)
        except OSError:
            continue
        anadidas += len(nuevas)
    return anadidas
