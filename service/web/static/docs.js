/* Starts Swagger UI from the vendored bundle (an external script, so the page keeps the strict CSP). */
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || !window.SwaggerUIBundle) { return; }

  // The API's title and description sit outside Swagger UI's <main>: give them a named region.
  function docsLandmarks() {
    return {
      wrapComponents: {
        InfoContainer: function (Original, system) {
          return function (props) {
            var h = system.React.createElement;
            return h("section", { "aria-label": "About this API" }, h(Original, props));
          };
        },
        // Swagger UI titles the page with <h1> and its tags with <h3>: name the list with the missing <h2>.
        operations: function (Original, system) {
          return function (props) {
            var h = system.React.createElement;
            return h("div", null, h("h2", { className: "docs-operations" }, "Operations"), h(Original, props));
          };
        }
      }
    };
  }

  window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi-url"),
    domNode: root,
    presets: [window.SwaggerUIBundle.presets.apis],
    plugins: [docsLandmarks],
    layout: "BaseLayout",
    deepLinking: false,
    docExpansion: "list",
    defaultModelsExpandDepth: 0,
    validatorUrl: null,
    tryItOutEnabled: false
  });
}());
