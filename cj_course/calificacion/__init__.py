"""Calificación del curso con nbgrader: en paralelo, con informe de clase y comprobaciones.

Módulos: :mod:`.paralelo` (calificar a toda la clase con varios trabajadores sin perder notas),
:mod:`.informe` (qué no entendió la clase), :mod:`.flujo` (generar, publicar, recoger, devolver la
retroalimentación y exportar, para todas las tareas), :mod:`.verificacion` (filtraciones y
``exercises/`` al día), :mod:`.correcciones` (celdas de prueba borradas y pruebas ocultas fuera de
la retroalimentación) y :mod:`.muestra` (un curso de muestra para ensayar).
La orden ``cj-course`` (:mod:`cj_course.cli`) los reúne. Nada de esto se importa con ``import cj_course``:
son herramientas del instructor y cargan nbgrader.
"""
