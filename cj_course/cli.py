"""La orden del instructor, ``cj-course``: liberar, calificar en paralelo, informe de clase, exportar, verificar.

Envuelve a nbgrader: el curso sigue siendo un curso nbgrader normal, y formgrader y cualquier orden
``nbgrader`` funcionan sobre las mismas carpetas y el mismo libro de calificaciones.

>>> from typer.testing import CliRunner
>>> "calificar" in CliRunner().invoke(app, ["--help"]).output
True
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperCommand, TyperGroup

from ._errores import ErrorCurso

# ----------------------------------------------------------------------------- help in Spanish
# Typer and click write a few words of their own ("Usage:", "Options", "Show this message and exit.").
# Panel titles and error texts are module constants read when help is printed; the usage prefix and the
# help option come from the command classes below.
try:
    from typer import rich_utils as _rich

    _rich.ARGUMENTS_PANEL_TITLE = "Argumentos"
    _rich.OPTIONS_PANEL_TITLE = "Opciones"
    _rich.COMMANDS_PANEL_TITLE = "Órdenes"
    _rich.ERRORS_PANEL_TITLE = "Error"
    _rich.ABORTED_TEXT = "Cancelado."
    _rich.RICH_HELP = "Prueba [blue]'{command_path} {help_option}'[/] para ver la ayuda."
    _rich.DEFAULT_STRING = "[por defecto: {}]"
    _rich.REQUIRED_LONG_STRING = "[obligatorio]"
    _rich.ENVVAR_STRING = "[variable de entorno: {}]"
except ImportError:  # pragma: no cover - typer without rich
    pass

_AYUDA_OPCION = "Muestra esta ayuda y termina."


def _ayuda_en_espanol(opcion):
    if opcion is not None:
        opcion.help = _AYUDA_OPCION
        opcion.metavar = ""
        opcion.rich_help_panel = "Opciones"
    return opcion


class _Orden(TyperCommand):
    def get_help_option(self, ctx):
        return _ayuda_en_espanol(super().get_help_option(ctx))

    def get_usage(self, ctx):
        return super().get_usage(ctx).replace("Usage:", "Uso:", 1)

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Uso: ")


class _Grupo(TyperGroup):
    def resolve_command(self, ctx, args):
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            ctx.fail(f"No existe la orden «{args[0]}». Órdenes: {', '.join(self.list_commands(ctx))}.")
        return super().resolve_command(ctx, args)

    def get_help_option(self, ctx):
        return _ayuda_en_espanol(super().get_help_option(ctx))

    def get_usage(self, ctx):
        return super().get_usage(ctx).replace("Usage:", "Uso:", 1)

    def format_usage(self, ctx, formatter):
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Uso: ")


app = typer.Typer(
    cls=_Grupo,
    name="cj-course",
    help=(
        "Herramientas del instructor del Curso de Customer Journey, sobre nbgrader.\n\n"
        "Flujo habitual: generar → liberar → (los estudiantes entregan) → recoger → calificar → "
        "formgrader para lo que se califica a mano → retroalimentación → exportar e informe. "
        "Ejecuta las órdenes en la carpeta del curso (la que tiene nbgrader_config.py) o usa --curso."
    ),
    add_completion=False,
    no_args_is_help=True,
    options_metavar="[OPCIONES]",
    subcommand_metavar="ORDEN [ARGUMENTOS]...",
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)

Curso = Annotated[Path | None, typer.Option(
    "--curso", "-c", help="Carpeta del curso (con nbgrader_config.py). Por defecto, la actual "
    "(o la que fije c.CourseDirectory.root en la configuración de Jupyter).",
    rich_help_panel="Opciones", metavar="CARPETA")]
DbUrl = Annotated[str | None, typer.Option(
    "--db-url", help="Libro de calificaciones (URL de SQLAlchemy), p. ej. postgresql+psycopg://profe@127.0.0.1:5432/curso. "
    "Por defecto, el de nbgrader_config.py (o gradebook.db).", rich_help_panel="Opciones", metavar="URL")]
Tareas = Annotated[list[str] | None, typer.Argument(
    help="Tareas (por defecto, todas las de la carpeta fuente).", show_default=False, rich_help_panel="Argumentos",
    metavar="TAREA")]


def _orden(**kwargs):
    return app.command(cls=_Orden, rich_help_panel="Órdenes", options_metavar="[OPCIONES]", **kwargs)


# ----------------------------------------------------------------------------- commands

@_orden()
def generar(
    tareas: Tareas = None,
    curso: Curso = None,
    db_url: DbUrl = None,
) -> None:
    """Genera la versión del estudiante (exercises/) a partir de las soluciones (solutions/).

    Usa la generación del curso (cj_course.ejercicios) si existe; si no, «nbgrader generate_assignment».
    """
    from .calificacion.flujo import generar_tareas

    with _errores_en_espanol():
        ok = generar_tareas(curso, tareas, db_url=db_url, avisar=typer.echo)
    if not ok:
        raise typer.Exit(1)


@_orden()
def liberar(
    tareas: Tareas = None,
    curso: Curso = None,
    sin_generar: Annotated[bool, typer.Option("--sin-generar", metavar="", help="No regenera exercises/; solo publica.",
                                              rich_help_panel="Opciones")] = False,
    db_url: DbUrl = None,
) -> None:
    """Genera y publica todas las tareas en el intercambio de nbgrader (nbgrader release_assignment).

    Sin intercambio configurado (un solo ordenador, sin JupyterHub), las tareas quedan en exercises/,
    listas para repartir.
    """
    from .calificacion.flujo import generar_tareas, publicar_tareas

    with _errores_en_espanol():
        ok = sin_generar or generar_tareas(curso, tareas, db_url=db_url, avisar=typer.echo)
        ok = ok and publicar_tareas(curso, tareas, db_url=db_url, avisar=typer.echo)
    if not ok:
        raise typer.Exit(1)


@_orden()
def recoger(
    tareas: Tareas = None,
    curso: Curso = None,
    db_url: DbUrl = None,
) -> None:
    """Recoge las entregas del intercambio en submitted/ (nbgrader collect, para todas las tareas)."""
    from .calificacion.flujo import recoger_entregas

    with _errores_en_espanol():
        ok = recoger_entregas(curso, tareas, db_url=db_url, avisar=typer.echo)
    if not ok:
        raise typer.Exit(1)


@_orden()
def calificar(
    tareas: Tareas = None,
    curso: Curso = None,
    trabajadores: Annotated[int | None, typer.Option(
        "--trabajadores", "-t", metavar="N", help="Entregas que se califican a la vez (por defecto, una por núcleo de CPU más una).",
        rich_help_panel="Opciones")] = None,
    estudiante: Annotated[list[str] | None, typer.Option(
        "--estudiante", "-e", metavar="ID", help="Califica solo a este estudiante (se puede repetir).",
        rich_help_panel="Opciones")] = None,
    forzar: Annotated[bool, typer.Option(
        "--forzar", metavar="", help="Vuelve a calificar también lo ya calificado.", rich_help_panel="Opciones")] = False,
    tiempo_maximo: Annotated[int | None, typer.Option(
        "--tiempo-maximo", metavar="SEGUNDOS", help="Segundos máximos por celda (por defecto, c.Execute.timeout o 30).",
        rich_help_panel="Opciones")] = None,
    db_url: DbUrl = None,
    sin_progreso: Annotated[bool, typer.Option(
        "--sin-progreso", metavar="", help="No muestra la barra de progreso.", rich_help_panel="Opciones")] = False,
) -> None:
    """Califica todas las entregas de submitted/ en paralelo, con el autograde de nbgrader.

    Las notas quedan en el libro de calificaciones de nbgrader (formgrader las ve). Las entregas
    que no se pueden calificar se listan con el motivo; el resto de la clase se califica igual.
    """
    from .calificacion.paralelo import calificar_en_paralelo

    with _errores_en_espanol():
        resultados = calificar_en_paralelo(
            curso, tareas, estudiante, trabajadores=trabajadores, forzar=forzar,
            tiempo_maximo=tiempo_maximo, db_url=db_url, progreso=not sin_progreso,
        )
    if not resultados:
        typer.echo("No hay entregas en submitted/ para esas tareas: nada que calificar.")
        return
    cuenta = {e: sum(r.estado == e for r in resultados) for e in ("calificada", "omitida", "fallida", "sin_entrega")}
    typer.echo(
        f"Entregas: {len(resultados)} · calificadas: {cuenta['calificada']} · ya calificadas (omitidas): "
        f"{cuenta['omitida']} · sin calificar: {cuenta['fallida'] + cuenta['sin_entrega']}"
    )
    for r in resultados:
        if r.motivos and r.estado != "omitida":
            nota = f" ({r.puntos:g}/{r.maximo:g})" if r.puntos is not None and r.maximo is not None else ""
            marca = "✘" if r.estado in ("fallida", "sin_entrega") else "•"
            typer.echo(f"  {marca} {r.tarea} / {r.estudiante}{nota}:")
            for motivo in r.motivos:
                typer.echo(f"      {motivo}")
    typer.echo(f"Detalle de nbgrader: {resultados.registro}")
    if cuenta["fallida"] or cuenta["sin_entrega"]:
        typer.echo("El resto de la clase quedó calificada. Corrige o revisa las entregas marcadas con ✘ "
                   "y vuelve a calificarlas con --estudiante.")
        raise typer.Exit(1)


@_orden()
def retroalimentar(
    tareas: Tareas = None,
    curso: Curso = None,
    db_url: DbUrl = None,
) -> None:
    """Genera la retroalimentación (HTML) de las entregas calificadas y la publica si hay intercambio.

    Las pruebas ocultas se quitan de la retroalimentación (nbgrader las mostraría: upstream #917).
    """
    from .calificacion.flujo import retroalimentar as _retroalimentar

    with _errores_en_espanol():
        ok = _retroalimentar(curso, tareas, db_url=db_url, avisar=typer.echo)
    if not ok:
        raise typer.Exit(1)


@_orden()
def informe(
    tareas: Tareas = None,
    curso: Curso = None,
    salida: Annotated[Path, typer.Option("--salida", "-o", metavar="CARPETA", help="Carpeta donde se escriben informe.html y los CSV.",
                                         rich_help_panel="Opciones")] = Path("informe_clase"),
    db_url: DbUrl = None,
) -> None:
    """Informe de la clase: tasa de aprobado por ejercicio y por prueba, distribución de notas y los
    conceptos que más fallaron (HTML y CSV)."""
    from .calificacion.informe import generar_informe

    with _errores_en_espanol():
        rutas = generar_informe(curso, tareas, salida=salida, db_url=db_url)
    typer.echo("Informe de la clase:")
    for ruta in rutas:
        typer.echo(f"  {ruta}")


@_orden()
def exportar(
    curso: Curso = None,
    salida: Annotated[Path, typer.Option("--salida", "-o", metavar="ARCHIVO", help="Archivo CSV de notas.",
                                         rich_help_panel="Opciones")] = Path("notas.csv"),
    db_url: DbUrl = None,
) -> None:
    """Exporta las notas del libro de calificaciones a CSV (nbgrader export)."""
    from .calificacion.flujo import exportar_notas

    with _errores_en_espanol():
        ruta = exportar_notas(curso, salida, db_url=db_url)
    typer.echo(f"Notas exportadas a {ruta}")


@_orden()
def verificar(
    curso: Curso = None,
    db_url: DbUrl = None,
) -> None:
    """Comprueba que ninguna solución ni prueba oculta llegue a los estudiantes y que exercises/
    coincide con lo que nbgrader genera hoy desde solutions/."""
    from .calificacion.verificacion import verificar_curso

    with _errores_en_espanol():
        problemas = verificar_curso(curso, db_url=db_url, avisar=typer.echo)
    if problemas:
        typer.secho(f"{len(problemas)} problema(s):", fg=typer.colors.RED, err=True)
        for problema in problemas:
            typer.echo(f"  ✘ {problema}", err=True)
        raise typer.Exit(1)
    typer.echo("✔ Sin filtraciones y con exercises/ al día.")


class _errores_en_espanol:
    """Convierte un ErrorCurso en un mensaje y código de salida 2, sin traza."""

    def __enter__(self):
        return self

    def __exit__(self, tipo, valor, traza):
        if tipo is not None and issubclass(tipo, ErrorCurso):
            typer.secho(str(valor), fg=typer.colors.RED, err=True)
            raise typer.Exit(2)
        if tipo is KeyboardInterrupt:
            typer.secho("Interrumpido. Lo ya calificado queda en el libro; vuelve a ejecutar para seguir.",
                        err=True)
            raise typer.Exit(130)
        return False


def principal() -> None:  # pragma: no cover - console entry for `python -m cj_course.cli`
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app(prog_name="cj-course")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(principal())

