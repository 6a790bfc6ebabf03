"""Calificación del curso con nbgrader: en paralelo, con informe de clase y comprobaciones.

Módulos: :mod:`.paralelo` (calificar a toda la clase con varios trabajadores sin perder notas),
:mod:`.informe` (qué no entendió la clase), :mod:`.muestra` (un curso de muestra para probar).
La orden ``cj-course`` (:mod:`cj_course.cli`) los reúne.
"""
