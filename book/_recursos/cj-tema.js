// Spanish names for the controls that the theme's extensions build in the browser with English (or
// misspelt) text: sphinx-togglebutton's buttons and the download menu of sphinx-book-theme.
(function () {
  "use strict";
  function nombrar() {
    document.querySelectorAll("button.toggle-button").forEach(function (boton) {
      boton.setAttribute("aria-label", "Mostrar u ocultar el contenido");
    });
    document.querySelectorAll(".dropdown-download-buttons > button").forEach(function (boton) {
      boton.setAttribute("aria-label", "Descargar esta página");
    });
  }
  // togglebutton adds its buttons on DOMContentLoaded: name them once everything has run.
  if (document.readyState === "complete") {
    nombrar();
  } else {
    window.addEventListener("load", nombrar);
  }
})();
