"""El informe de la clase: qué ejercicios y qué pruebas fallaron más, y con qué mensaje.

Lee las notas del libro de calificaciones de nbgrader (SQLite o PostgreSQL) y, para saber *por qué*
falló cada prueba, los cuadernos calificados de ``autograded/``: el mensaje en español de la
comprobación que no pasó («Tu persona tiene 4 características; se piden al menos 5») dice al
instructor qué concepto no se entendió.

Cada prueba pertenece a un ejercicio: el título (``## Ejercicio 2 · Tu buyer persona``) que la precede
en el cuaderno fuente, o ``metadata.cj_course.concepto`` si la celda lo trae. Su descripción es la
primera línea de comentario de la celda de prueba.

Escribe ``informe.html`` (plantilla jinja2, con gráficos incrustados), ``pruebas.csv``,
``ejercicios.csv`` y un PNG de la distribución de notas por tarea.

>>> _mensaje_de_error({"ename": "AssertionError", "evalue": "Se piden 3.\\nMás texto"})
'AssertionError: Se piden 3.'
"""

from __future__ import annotations

import base64
import csv
import io
import os
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .._errores import ErrorCurso
from .._texto import COMILLA_ABRE, COMILLA_CIERRA, MARCA_FALLO, PATRON_CITA
from ._curso import argumentos_db, cargar_aplicacion, tareas_del_curso

PLANTILLAS = Path(__file__).resolve().parent / "plantillas"
PLANTILLA_INFORME = "informe_clase.html.j2"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_TITULO = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")


@dataclass
class Prueba:
    """Una celda calificable y cómo le fue a la clase."""

    tarea: str
    cuaderno: str
    prueba: str
    ejercicio: str
    descripcion: str
    puntos: float
    manual: bool
    puntuaciones: list[float] = field(
        default_factory=list
    )  # fraction of the points, one per graded submission
    pendientes: int = 0
    errores: Counter = field(default_factory=Counter)  # grouped message -> times
    ejemplos: dict = field(default_factory=dict)  # grouped message -> the first message seen

    def anotar_error(self, mensaje: str) -> None:
        clave = _clave_de_error(mensaje)
        self.errores[clave] += 1
        self.ejemplos.setdefault(clave, mensaje)

    @property
    def entregas(self) -> int:
        return len(self.puntuaciones)

    @property
    def aprobadas(self) -> int:
        return sum(p >= 1 - 1e-9 for p in self.puntuaciones)

    @property
    def tasa_aprobado(self) -> float | None:
        return self.aprobadas / self.entregas if self.entregas else None

    @property
    def media(self) -> float | None:
        return statistics.fmean(self.puntuaciones) if self.puntuaciones else None

    def errores_frecuentes(self, n: int = 3) -> list[tuple[str, int]]:
        """Los mensajes de error más repetidos (uno real de cada grupo) y cuántas veces salieron."""
        return [(self.ejemplos[clave], veces) for clave, veces in self.errores.most_common(n)]


@dataclass
class Ejercicio:
    """Las pruebas de un mismo ejercicio (concepto) juntas."""

    tarea: str
    cuaderno: str
    nombre: str
    pruebas: list[Prueba] = field(default_factory=list)

    @property
    def puntos(self) -> float:
        return sum(p.puntos for p in self.pruebas)

    @property
    def media(self) -> float | None:
        """Fracción media de los puntos del ejercicio que obtuvo la clase."""
        total = sum(p.puntos * p.entregas for p in self.pruebas)
        if not total:
            return None
        return sum(p.puntos * sum(p.puntuaciones) for p in self.pruebas) / total

    @property
    def fallo(self) -> float | None:
        return None if self.media is None else 1 - self.media

    def error_principal(self) -> tuple[str, int] | None:
        todos: Counter[str] = Counter()
        ejemplos: dict[str, str] = {}
        for p in self.pruebas:
            todos.update(p.errores)
            for clave, ejemplo in p.ejemplos.items():
                ejemplos.setdefault(clave, ejemplo)
        if not todos:
            return None
        clave, veces = todos.most_common(1)[0]
        return ejemplos[clave], veces


@dataclass
class Tarea:
    nombre: str
    maximo: float
    notas: list[float] = field(default_factory=list)  # per graded submission, in points
    sin_calificar: list[str] = field(default_factory=list)
    ejercicios: list[Ejercicio] = field(default_factory=list)
    grafico_png: bytes = b""

    @property
    def resumen(self) -> dict[str, float | None]:
        if not self.notas:
            return {"media": None, "mediana": None, "minimo": None, "maximo": None, "desviacion": None}
        return {
            "media": statistics.fmean(self.notas),
            "mediana": statistics.median(self.notas),
            "minimo": min(self.notas),
            "maximo": max(self.notas),
            "desviacion": statistics.pstdev(self.notas),
        }


def _mensaje_de_error(salida) -> str:
    """El mensaje que explica el fallo: la primera comprobación marcada con ✘ si el informe del curso
    las trae (la primera línea solo resume «Falta 1 cosa por resolver»), si no la primera línea."""
    evalue = _ANSI.sub("", str(salida.get("evalue", ""))).strip()
    lineas = [linea.strip() for linea in evalue.splitlines() if linea.strip()]
    marcadas = [linea.lstrip(MARCA_FALLO).strip() for linea in lineas if linea.startswith(MARCA_FALLO)]
    texto = marcadas[0] if marcadas else (lineas[0] if lineas else "")
    ename = salida.get("ename", "Error")
    return f"{ename}: {texto}"[:240] if texto else ename


def _clave_de_error(mensaje: str) -> str:
    # Group the same failure across students: names in «» and the numbers they typed differ.
    return re.sub(r"\d+(?:[.,]\d+)?", "#", PATRON_CITA.sub(f"{COMILLA_ABRE}…{COMILLA_CIERRA}", mensaje))


def estructura_de_cuaderno(ruta: Path) -> dict[str, tuple[str, str]]:
    """Por ``grade_id`` calificable: (ejercicio, descripción), leídos del cuaderno fuente."""
    nb = nbformat.read(ruta, as_version=4)
    resultado, titulo = {}, ruta.stem
    for celda in nb.cells:
        if celda.cell_type == "markdown" and not celda.metadata.get("nbgrader", {}).get("solution"):
            for linea in celda.source.splitlines():
                encontrado = _TITULO.match(linea)
                if encontrado:
                    titulo = encontrado.group(1).strip()
                    break
        meta = celda.metadata.get("nbgrader", {})
        if meta.get("grade"):
            propio = celda.metadata.get("cj_course", {}) or {}
            ejercicio = propio.get("concepto") or propio.get("ejercicio") or titulo
            primera = next((linea.strip() for linea in celda.source.splitlines() if linea.strip()), "")
            descripcion = primera.lstrip("#").strip() if primera.startswith("#") else ""
            if celda.cell_type == "markdown":
                descripcion = "Respuesta escrita (se califica a mano)"
            resultado[meta["grade_id"]] = (ejercicio, descripcion)
    return resultado


def recopilar(
    curso: str | os.PathLike | None = None, tareas=None, *, db_url: str | None = None, aplicacion=None
) -> list[Tarea]:
    """Reúne del libro de calificaciones y de ``autograded/`` los datos del informe."""
    from nbgrader.api import Gradebook, MissingEntry

    if aplicacion is None:
        aplicacion = cargar_aplicacion(curso, argumentos_db(db_url))
    coursedir = aplicacion.coursedir
    resultado = []
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        for nombre in list(tareas) if tareas else tareas_del_curso(coursedir):
            try:
                asignacion = gb.find_assignment(nombre)
            except MissingEntry:
                if tareas:
                    raise ErrorCurso(
                        f"La tarea «{nombre}» no está en el libro de calificaciones.",
                        campo="tarea",
                        pista="Genera y califica la tarea antes de pedir su informe.",
                    ) from None
                continue
            tarea = Tarea(nombre, asignacion.max_score)
            pruebas = _pruebas_de(coursedir, nombre, asignacion)
            for entrega in asignacion.submissions:
                _anotar_entrega(coursedir, tarea, pruebas, entrega)
            tarea.ejercicios = _por_ejercicio(nombre, pruebas)
            resultado.append(tarea)
    return resultado


def _pruebas_de(coursedir, tarea: str, asignacion) -> dict[tuple[str, str], Prueba]:
    """Las celdas calificables de la tarea, en el orden del cuaderno fuente y con su ejercicio."""
    pruebas: dict[tuple[str, str], Prueba] = {}
    for cuaderno in asignacion.notebooks:
        fuente = (
            Path(coursedir.format_path(coursedir.source_directory, ".", tarea)) / f"{cuaderno.name}.ipynb"
        )
        estructura = estructura_de_cuaderno(fuente) if fuente.exists() else {}
        orden = list(estructura)
        for celda in sorted(
            cuaderno.grade_cells, key=lambda c: orden.index(c.name) if c.name in orden else len(orden)
        ):
            ejercicio, descripcion = estructura.get(celda.name, (celda.name, ""))
            pruebas[(cuaderno.name, celda.name)] = Prueba(
                tarea,
                cuaderno.name,
                celda.name,
                ejercicio,
                descripcion,
                celda.max_score,
                manual=celda.cell_type == "markdown",
            )
    return pruebas


def _anotar_entrega(coursedir, tarea: Tarea, pruebas: dict[tuple[str, str], Prueba], entrega) -> None:
    """Suma una entrega a la tarea: su nota, la puntuación de cada prueba y sus mensajes de error."""
    notas = [g for nb in entrega.notebooks for g in nb.grades]
    if notas and all(g.auto_score is None and g.manual_score is None for g in notas):
        tarea.sin_calificar.append(entrega.student.id)
        return
    tarea.notas.append(entrega.score)
    for nb in entrega.notebooks:
        for g in nb.grades:
            prueba = pruebas.get((nb.name, g.name))
            if prueba is None:
                continue
            if g.needs_manual_grade and g.manual_score is None:
                prueba.pendientes += 1
                continue
            prueba.puntuaciones.append((g.score / g.max_score) if g.max_score else 1.0)
        _contar_errores(coursedir, tarea.nombre, entrega.student.id, nb.name, pruebas)


def _por_ejercicio(tarea: str, pruebas: dict[tuple[str, str], Prueba]) -> list[Ejercicio]:
    por_ejercicio: dict[tuple[str, str], Ejercicio] = {}
    for prueba in pruebas.values():
        clave = (prueba.cuaderno, prueba.ejercicio)
        por_ejercicio.setdefault(clave, Ejercicio(tarea, prueba.cuaderno, prueba.ejercicio)).pruebas.append(
            prueba
        )
    return list(por_ejercicio.values())


def _contar_errores(coursedir, tarea: str, estudiante: str, cuaderno: str, pruebas: dict) -> None:
    ruta = (
        Path(coursedir.format_path(coursedir.autograded_directory, estudiante, tarea)) / f"{cuaderno}.ipynb"
    )
    if not ruta.exists():
        return
    try:
        nb = nbformat.read(ruta, as_version=4)
    except Exception:  # an unreadable autograded copy only loses its error messages, not its grades
        return
    for celda in nb.cells:
        prueba = pruebas.get((cuaderno, celda.metadata.get("nbgrader", {}).get("grade_id")))
        if prueba is None or celda.cell_type != "code":
            continue
        for salida in celda.get("outputs", []):
            if salida.get("output_type") == "error":
                prueba.anotar_error(_mensaje_de_error(salida))
                break


def _grafico(tarea: Tarea) -> bytes:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    figura = Figure(figsize=(10, 3.6), layout="constrained")
    izquierda, derecha = figura.subplots(1, 2, width_ratios=[1, 1.3])
    porcentajes = [100 * n / tarea.maximo for n in tarea.notas] if tarea.maximo else []
    izquierda.hist(porcentajes, bins=range(0, 101, 10), color="#2a7ab0", edgecolor="white")
    izquierda.set_title(f"Distribución de notas · {tarea.nombre}")
    izquierda.set_xlabel("Nota (% del máximo)")
    izquierda.set_ylabel("Estudiantes")
    izquierda.set_xlim(0, 100)
    pruebas = [p for e in tarea.ejercicios for p in e.pruebas if p.media is not None]
    etiquetas = [p.prueba for p in pruebas][::-1]
    valores = [100 * (p.media or 0.0) for p in pruebas][::-1]
    colores = ["#c0392b" if v < 50 else "#e6a23c" if v < 75 else "#3c9a5f" for v in valores]
    derecha.barh(etiquetas, valores, color=colores)
    derecha.set_xlim(0, 100)
    derecha.set_title("Puntuación media por prueba (%)")
    derecha.tick_params(axis="y", labelsize=8)
    buffer = io.BytesIO()
    figura.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()


def _porcentaje(valor: float | None) -> str:
    return "—" if valor is None else f"{100 * valor:.0f} %"


def _nivel(valor: float | None) -> str:
    """Clase CSS según lo bien que le fue a la clase (rojo por debajo de la mitad)."""
    if valor is None:
        return ""
    return "bajo" if valor < 0.5 else "medio" if valor < 0.75 else "alto"


def _escribir_csv(ruta: Path, filas: list[dict]) -> None:
    # utf-8-sig: spreadsheet programs open the accents correctly.
    with ruta.open("w", newline="", encoding="utf-8-sig") as f:
        escritor = csv.DictWriter(f, fieldnames=list(filas[0]) if filas else ["tarea"])
        escritor.writeheader()
        escritor.writerows(filas)


def filas_de_pruebas(tareas: list[Tarea]) -> list[dict]:
    filas = []
    for tarea in tareas:
        for ejercicio in tarea.ejercicios:
            for p in ejercicio.pruebas:
                error = p.errores_frecuentes(1)
                filas.append(
                    {
                        "tarea": p.tarea,
                        "cuaderno": p.cuaderno,
                        "ejercicio": p.ejercicio,
                        "prueba": p.prueba,
                        "descripcion": p.descripcion,
                        "tipo": "manual" if p.manual else "automatica",
                        "puntos": p.puntos,
                        "entregas": p.entregas,
                        "aprobadas": p.aprobadas,
                        "tasa_aprobado": "" if p.tasa_aprobado is None else round(p.tasa_aprobado, 4),
                        "puntuacion_media": "" if p.media is None else round(p.media, 4),
                        "pendientes_a_mano": p.pendientes,
                        "error_mas_frecuente": error[0][0] if error else "",
                        "veces": error[0][1] if error else 0,
                    }
                )
    return filas


def filas_de_ejercicios(tareas: list[Tarea]) -> list[dict]:
    filas = []
    for tarea in tareas:
        for e in tarea.ejercicios:
            error = e.error_principal()
            filas.append(
                {
                    "tarea": e.tarea,
                    "cuaderno": e.cuaderno,
                    "ejercicio": e.nombre,
                    "puntos": e.puntos,
                    "pruebas": len(e.pruebas),
                    "puntuacion_media": "" if e.media is None else round(e.media, 4),
                    "error_mas_frecuente": error[0] if error else "",
                    "veces": error[1] if error else 0,
                }
            )
    return filas


def conceptos_que_mas_fallaron(tareas: list[Tarea], n: int = 5) -> list[Ejercicio]:
    """Los ejercicios con más puntos perdidos (en proporción), de todas las tareas."""
    candidatos = [e for t in tareas for e in t.ejercicios if e.fallo is not None and e.fallo > 0]
    return sorted(candidatos, key=lambda e: e.fallo or 0.0, reverse=True)[:n]


def generar_informe(
    curso: str | os.PathLike | None = None,
    tareas=None,
    *,
    salida: str | os.PathLike = "informe_clase",
    db_url: str | None = None,
) -> list[Path]:
    """Escribe el informe de la clase en ``salida`` y devuelve las rutas escritas."""
    import jinja2

    aplicacion = cargar_aplicacion(curso, argumentos_db(db_url))
    datos = recopilar(tareas=tareas, aplicacion=aplicacion)
    if (
        not tareas
    ):  # all tasks: only those with something graded (a released task may have no submissions yet)
        datos = [t for t in datos if t.notas or t.sin_calificar]
    if not datos:
        raise ErrorCurso(
            "No hay tareas calificadas en el libro de calificaciones.",
            campo="curso",
            pista="Genera las tareas y califica las entregas (cj-course calificar) antes del informe.",
        )
    salida = Path(salida).resolve()
    salida.mkdir(parents=True, exist_ok=True)
    escritas = []
    for tarea in datos:
        tarea.grafico_png = _grafico(tarea)
        ruta = salida / f"distribucion_{tarea.nombre}.png"
        ruta.write_bytes(tarea.grafico_png)
        escritas.append(ruta)
    from .calificar import leer_sospechas

    nombres = {t.nombre for t in datos}
    sospechas = [
        {"tarea": t, "estudiante": e, "senal": s}
        for t, por_estudiante in sorted(leer_sospechas(aplicacion.coursedir.root).items())
        if t in nombres
        for e, lista in sorted(por_estudiante.items())
        for s in lista
    ]
    for nombre, filas in (
        ("pruebas.csv", filas_de_pruebas(datos)),
        ("ejercicios.csv", filas_de_ejercicios(datos)),
        ("sospechas.csv", sospechas),
    ):
        _escribir_csv(salida / nombre, filas)
        escritas.append(salida / nombre)
    entorno = jinja2.Environment(
        loader=jinja2.FileSystemLoader(PLANTILLAS), autoescape=True, trim_blocks=True, lstrip_blocks=True
    )
    entorno.filters["porcentaje"] = _porcentaje
    entorno.filters["nivel"] = _nivel
    entorno.filters["veces"] = lambda n: "1 vez" if n == 1 else f"{n} veces"
    entorno.filters["base64"] = lambda datos: base64.b64encode(datos).decode("ascii")
    html = entorno.get_template(PLANTILLA_INFORME).render(
        tareas=datos,
        conceptos=conceptos_que_mas_fallaron(datos),
        curso=Path(aplicacion.coursedir.root).name,
        sospechas=sospechas,
    )
    (salida / "informe.html").write_text(html, encoding="utf-8")
    escritas.insert(0, salida / "informe.html")
    return escritas
