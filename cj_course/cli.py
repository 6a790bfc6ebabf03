"""La orden del instructor, ``cj-course``: liberar, calificar en paralelo, informe de clase, exportar, verificar.

Envuelve a nbgrader: el curso sigue siendo un curso nbgrader normal, y formgrader y cualquier orden
``nbgrader`` funcionan sobre las mismas carpetas y el mismo libro de calificaciones.

>>> from typer.testing import CliRunner
>>> "calificar" in CliRunner().invoke(app, ["--help"]).output
True
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from ._errores import ErrorCurso

# ----------------------------------------------------------------------------- help in Spanish
# Typer and click write a few words of their own ("Usage:", "Options", "Show this message and exit.").
# Panel titles and error texts are constants of typer's rich module read when help is printed: they are
# set in Spanish only while a command runs (see _Grupo.main) and put back afterwards. The usage prefix
# and the help option come from the command classes below.
_TEXTOS_RICH = {
    "ARGUMENTS_PANEL_TITLE": "Argumentos",
    "OPTIONS_PANEL_TITLE": "Opciones",
    "COMMANDS_PANEL_TITLE": "Órdenes",
    "ERRORS_PANEL_TITLE": "Error",
    "ABORTED_TEXT": "Cancelado.",
    "RICH_HELP": "Prueba [blue]'{command_path} {help_option}'[/] para ver la ayuda.",
    "DEFAULT_STRING": "[por defecto: {}]",
    "REQUIRED_LONG_STRING": "[obligatorio]",
    "ENVVAR_STRING": "[variable de entorno: {}]",
}


@contextlib.contextmanager
def _textos_en_espanol() -> Iterator[None]:
    from typer import rich_utils

    anteriores = {
        nombre: getattr(rich_utils, nombre) for nombre in _TEXTOS_RICH if hasattr(rich_utils, nombre)
    }
    for nombre, texto in _TEXTOS_RICH.items():
        setattr(rich_utils, nombre, texto)
    try:
        yield
    finally:
        for nombre in _TEXTOS_RICH:
            if nombre in anteriores:
                setattr(rich_utils, nombre, anteriores[nombre])
            else:
                delattr(rich_utils, nombre)


_AYUDA_OPCION = "Muestra esta ayuda y termina."


def _ayuda_en_espanol(opcion):
    if opcion is not None:
        opcion.help = _AYUDA_OPCION
        opcion.metavar = ""
        opcion.rich_help_panel = "Opciones"
    return opcion


class _EnEspanol:
    """La ayuda y el uso de una orden en español (para órdenes y grupos de click)."""

    def get_help_option(self, ctx):
        return _ayuda_en_espanol(super().get_help_option(ctx))  # type: ignore[misc]

    def get_usage(self, ctx):
        return super().get_usage(ctx).replace("Usage:", "Uso:", 1)  # type: ignore[misc]

    def format_usage(self, ctx, formatter):
        formatter.write_usage(
            ctx.command_path,
            " ".join(self.collect_usage_pieces(ctx)),  # type: ignore[attr-defined]
            prefix="Uso: ",
        )


class _Orden(_EnEspanol, TyperCommand):
    pass


class _Grupo(_EnEspanol, TyperGroup):
    def main(self, *args: Any, **kwargs: Any) -> Any:
        with _textos_en_espanol():
            return super().main(*args, **kwargs)

    def resolve_command(self, ctx, args):
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            ctx.fail(f"No existe la orden «{args[0]}». Órdenes: {', '.join(self.list_commands(ctx))}.")
        return super().resolve_command(ctx, args)


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


def _opcion(*nombres: str, ayuda: str, metavar: str = "", **mas: Any) -> Any:
    """A ``typer.Option`` of the «Opciones» panel; a flag (no value) shows no metavar."""
    return typer.Option(*nombres, help=ayuda, metavar=metavar, rich_help_panel="Opciones", **mas)


def _argumentos(ayuda: str, metavar: str) -> Any:
    """The positional arguments of a command (any number), in the «Argumentos» panel."""
    return typer.Argument(help=ayuda, show_default=False, rich_help_panel="Argumentos", metavar=metavar)


Curso = Annotated[
    Path | None,
    _opcion(
        "--curso",
        "-c",
        metavar="CARPETA",
        ayuda="Carpeta del curso (con nbgrader_config.py). Por defecto, la actual "
        "(o la que fije c.CourseDirectory.root en la configuración de Jupyter).",
    ),
]
DbUrl = Annotated[
    str | None,
    _opcion(
        "--db-url",
        metavar="URL",
        ayuda="Libro de calificaciones (URL de SQLAlchemy), p. ej. "
        "postgresql+psycopg://profe@127.0.0.1:5432/curso. Por defecto, el de nbgrader_config.py (o gradebook.db).",
    ),
]
Tareas = Annotated[
    list[str] | None, _argumentos("Tareas (por defecto, todas las de la carpeta fuente).", "TAREA")
]


def _orden(grupo: typer.Typer | None = None, nombre: str | None = None):
    """A command of ``grupo`` (by default the main one) with its help in Spanish."""
    return (grupo or app).command(nombre, cls=_Orden, rich_help_panel="Órdenes", options_metavar="[OPCIONES]")


# ----------------------------------------------------------------------------- commands


@_orden()
def generar(
    tareas: Tareas = None,
    curso: Curso = None,
    destino: Annotated[
        Path | None,
        _opcion(
            "--destino",
            metavar="CARPETA",
            ayuda="Escribe la versión en otra carpeta (con un libro de calificaciones temporal): no toca "
            "nada del curso.",
        ),
    ] = None,
    db_url: DbUrl = None,
) -> None:
    """Genera la versión del estudiante (exercises/) a partir de las soluciones (solutions/).

    Las tareas del curso pasan por nbgrader y una limpieza que deja la versión estable (sin salidas,
    mismos metadatos); las de otro curso, por «nbgrader generate_assignment» tal cual.
    """
    from .calificacion.generar import generar_tareas

    _paso(generar_tareas, curso, tareas, db_url=db_url, destino=destino)


@_orden()
def liberar(
    tareas: Tareas = None,
    curso: Curso = None,
    sin_generar: Annotated[
        bool, _opcion("--sin-generar", ayuda="No regenera exercises/; solo publica.")
    ] = False,
    db_url: DbUrl = None,
) -> None:
    """Genera y publica todas las tareas en el intercambio de nbgrader (nbgrader release_assignment).

    Sin intercambio configurado (un solo ordenador, sin JupyterHub), las tareas quedan en exercises/,
    listas para repartir.
    """
    from .calificacion.flujo import publicar_tareas
    from .calificacion.generar import generar_tareas

    if not sin_generar:
        _paso(generar_tareas, curso, tareas, db_url=db_url)
    _paso(publicar_tareas, curso, tareas, db_url=db_url)


@_orden()
def recoger(
    tareas: Tareas = None,
    curso: Curso = None,
    db_url: DbUrl = None,
) -> None:
    """Recoge las entregas del intercambio en submitted/ (nbgrader collect, para todas las tareas)."""
    from .calificacion.flujo import recoger_entregas

    _paso(recoger_entregas, curso, tareas, db_url=db_url)


@_orden()
def calificar(
    tareas: Tareas = None,
    curso: Curso = None,
    trabajadores: Annotated[
        int | None,
        _opcion(
            "--trabajadores",
            "-t",
            metavar="N",
            ayuda="Entregas que se califican a la vez (por defecto, una por núcleo de CPU más una).",
        ),
    ] = None,
    estudiante: Annotated[
        list[str] | None,
        _opcion(
            "--estudiante", "-e", metavar="ID", ayuda="Califica solo a este estudiante (se puede repetir)."
        ),
    ] = None,
    forzar: Annotated[
        bool, _opcion("--forzar", ayuda="Vuelve a calificar también lo ya calificado.")
    ] = False,
    tiempo_maximo: Annotated[
        int | None,
        _opcion(
            "--tiempo-maximo",
            metavar="SEGUNDOS",
            ayuda="Segundos máximos por celda (por defecto, c.Execute.timeout o 30).",
        ),
    ] = None,
    tiempo_total: Annotated[
        int | None,
        _opcion(
            "--tiempo-total",
            metavar="SEGUNDOS",
            ayuda="Segundos máximos por entrega completa (por defecto, 600).",
        ),
    ] = None,
    aislamiento: Annotated[
        str | None,
        _opcion(
            "--aislamiento",
            metavar="MODO",
            ayuda="Cómo se aísla cada entrega: auto (por defecto: bubblewrap si está), bwrap, usuario o "
            "ninguno. También CJ_AISLAMIENTO.",
        ),
    ] = None,
    db_url: DbUrl = None,
    sin_progreso: Annotated[
        bool, _opcion("--sin-progreso", ayuda="No muestra la barra de progreso.")
    ] = False,
) -> None:
    """Califica todas las entregas de submitted/ en paralelo, cada una aislada, con el autograde de nbgrader.

    Cada cuaderno se ejecuta en una caja (bubblewrap: sin red, usuario sin privilegios, solo su
    entrega) y los puntos los deciden las pruebas de solutions/ fuera de ella, con las respuestas del
    estudiante como datos. Las notas quedan en el libro de calificaciones de nbgrader (formgrader las
    ve), tras copiarlo en respaldos/. Las entregas que no se pueden calificar se listan con el motivo;
    el resto de la clase se califica igual.
    """
    from .calificacion.calificar import CalificacionInterrumpida, Estado, calificar_en_paralelo

    with _errores_en_espanol():
        try:
            resultados = calificar_en_paralelo(
                curso,
                tareas,
                estudiante,
                trabajadores=trabajadores,
                forzar=forzar,
                tiempo_maximo=tiempo_maximo,
                tiempo_total=tiempo_total,
                aislamiento=aislamiento,
                db_url=db_url,
                progreso=not sin_progreso,
                avisar=typer.echo,
            )
        except CalificacionInterrumpida as interrupcion:
            typer.secho(
                f"Interrumpido: {len(interrupcion.resultados)} entrega(s) quedaron calificadas en el libro; "
                "vuelve a ejecutar para seguir.",
                err=True,
            )
            raise typer.Exit(130) from None
    if not resultados:
        typer.echo("No hay entregas en submitted/ para esas tareas: nada que calificar.")
        return
    nombres = {
        Estado.CALIFICADA: "calificadas",
        Estado.OMITIDA: "ya calificadas (omitidas)",
        Estado.FALLIDA: "fallidas",
        Estado.SIN_ENTREGA: "sin entrega",
        Estado.INTERRUMPIDA: "interrumpidas",
    }
    cuenta = {e: sum(r.estado is e for r in resultados) for e in Estado}
    typer.echo(f"Entregas: {len(resultados)} · " + " · ".join(f"{nombres[e]}: {cuenta[e]}" for e in Estado))
    for r in resultados:
        if (r.motivos or r.sospechas) and r.estado is not Estado.OMITIDA:
            nota = f" ({r.puntos:g}/{r.maximo:g})" if r.puntos is not None and r.maximo is not None else ""
            marca = "✘" if r.estado in (Estado.FALLIDA, Estado.SIN_ENTREGA) else "•"
            typer.echo(f"  {marca} {r.tarea} / {r.estudiante}{nota}:")
            for motivo in r.motivos:
                typer.echo(f"      {motivo}")
            for sospecha in r.sospechas:
                typer.echo(f"      ! {sospecha}")
    typer.echo(f"Detalle de nbgrader: {resultados.registro}")
    if resultados.respaldo:
        typer.echo(f"Copia del libro de calificaciones de antes: {resultados.respaldo}")
    if cuenta[Estado.FALLIDA] or cuenta[Estado.SIN_ENTREGA] or cuenta[Estado.INTERRUMPIDA]:
        typer.echo(
            "El resto de la clase quedó calificada. Corrige o revisa las entregas marcadas con ✘ "
            "y vuelve a calificarlas con --estudiante."
        )
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
    from .calificacion.retroalimentar import retroalimentar as _retroalimentar

    _paso(_retroalimentar, curso, tareas, db_url=db_url)


@_orden()
def informe(
    tareas: Tareas = None,
    curso: Curso = None,
    salida: Annotated[
        Path,
        _opcion(
            "--salida", "-o", metavar="CARPETA", ayuda="Carpeta donde se escriben informe.html y los CSV."
        ),
    ] = Path("informe_clase"),
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
    salida: Annotated[
        Path, _opcion("--salida", "-o", metavar="ARCHIVO", ayuda="Archivo CSV de notas.")
    ] = Path("notas.csv"),
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


@_orden()
def fugas(
    carpetas: Annotated[
        list[Path] | None,
        _argumentos(
            "Carpetas a revisar (por defecto, exercises/, modules/, book/ y el libro construido).", "CARPETA"
        ),
    ] = None,
    curso: Curso = None,
) -> None:
    """Busca soluciones o pruebas ocultas de solutions/ en carpetas que ven los estudiantes."""
    from .calificacion.fugas import buscar_fugas

    with _errores_en_espanol():
        encontradas = buscar_fugas(carpetas or None, raiz=curso)
    for fuga in encontradas:
        typer.echo(f"✘ {fuga}")
    if not encontradas:
        typer.echo("Sin fugas: ninguna solución ni prueba oculta a la vista.")
        return
    typer.echo("1 fuga encontrada." if len(encontradas) == 1 else f"{len(encontradas)} fugas encontradas.")
    raise typer.Exit(1)


libro_app = typer.Typer(
    cls=_Grupo,
    help="El libro del curso (Jupyter Book): construirlo y mantener sus recursos sin CDN.",
    no_args_is_help=True,
    options_metavar="[OPCIONES]",
    subcommand_metavar="ORDEN [ARGUMENTOS]...",
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(libro_app, name="libro", rich_help_panel="Órdenes")
CarpetaLibro = Annotated[
    Path | None,
    _opcion("--raiz", "--curso", metavar="CARPETA", ayuda="Carpeta del curso (la que tiene _config.yml)."),
]


@_orden(libro_app, "construir")
def libro_construir(
    con_soluciones: Annotated[
        bool, _opcion("--con-soluciones", ayuda="Edición con soluciones en _build/soluciones/html.")
    ] = False,
    limpio: Annotated[
        bool, _opcion("--limpio", ayuda="Borra la salida y la caché de ejecución antes de construir.")
    ] = False,
    pdf: Annotated[
        bool,
        _opcion(
            "--pdf",
            ayuda="También en PDF (_build/pdf/curso-customer-journey.pdf; con --con-soluciones, en "
            "_build/soluciones/pdf/), impreso sin internet con el Chromium del sistema.",
        ),
    ] = False,
    raiz: CarpetaLibro = None,
    jupyterhub: Annotated[
        str | None,
        _opcion(
            "--jupyterhub",
            envvar="CJ_LIBRO_JUPYTERHUB",
            metavar="URL",
            ayuda="URL del JupyterHub del botón «lanzar» (sustituye a launch_buttons.jupyterhub_url).",
        ),
    ] = None,
    repositorio: Annotated[
        str | None,
        _opcion(
            "--repositorio",
            envvar="CJ_LIBRO_REPOSITORIO",
            metavar="URL",
            ayuda="URL del repositorio del curso (sustituye a repository.url).",
        ),
    ] = None,
) -> None:
    """Construye el libro con los avisos tratados como errores."""
    from .libro import construir

    edicion = "con soluciones" if con_soluciones else "del estudiante"
    typer.echo(f"==> Construyendo la edición {edicion} del libro…")
    with _errores_en_espanol():
        resultado = construir(
            raiz,
            con_soluciones=con_soluciones,
            limpio=limpio,
            jupyterhub=jupyterhub,
            repositorio=repositorio,
            pdf=pdf,
        )
    typer.echo(f"    Tiempo de construcción: {resultado.segundos:.1f} s")
    if resultado.avisos:
        typer.echo(f"ERROR: la construcción dio {len(resultado.avisos)} aviso(s):", err=True)
        for aviso in resultado.avisos:
            typer.echo(f"  - {aviso}", err=True)
    if resultado.error:
        typer.echo(f"ERROR: {resultado.error}", err=True)
    if not resultado.ok:
        typer.echo("El libro no está listo: corrige los avisos anteriores y vuelve a construirlo.", err=True)
        raise typer.Exit(1)
    typer.echo("    Avisos: 0")
    typer.echo(f"Libro listo: {resultado.rutas.portada}")
    if resultado.pdf is not None:
        typer.echo(f"PDF listo: {resultado.pdf}")


@_orden(libro_app, "vendorizar")
def libro_vendorizar(raiz: CarpetaLibro = None) -> None:
    """Descarga require.js, el gestor de widgets y MathJax del registro de npm a _vendor/."""
    from .libro import vendorizar

    with _errores_en_espanol():
        escritos = vendorizar(raiz)
    total = sum(p.stat().st_size for p in escritos)
    typer.echo(f"_vendor/ actualizado: {len(escritos)} archivos, {total / 1e6:.1f} MB.")


def _paso(funcion: Any, *args: Any, **kwargs: Any) -> None:
    """Ejecuta un paso de nbgrader que informa con ``typer.echo``; si no salió bien, la orden termina con 1."""
    with _errores_en_espanol():
        ok = funcion(*args, avisar=typer.echo, **kwargs)
    if not ok:
        raise typer.Exit(1)


class _errores_en_espanol:
    """Convierte un ErrorCurso en un mensaje y código de salida 2, sin traza."""

    def __enter__(self):
        return self

    def __exit__(self, tipo, valor, traza):
        if tipo is not None and issubclass(tipo, ErrorCurso):
            typer.secho(str(valor), fg=typer.colors.RED, err=True)
            raise typer.Exit(2)
        if tipo is KeyboardInterrupt:
            typer.secho(
                "Interrumpido. Lo ya calificado queda en el libro; vuelve a ejecutar para seguir.", err=True
            )
            raise typer.Exit(130)
        return False


def principal() -> None:  # pragma: no cover - console entry for `python -m cj_course.cli`
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app(prog_name="cj-course")


if __name__ == "__main__":  # pragma: no cover
    principal()
