// The API reference page: Swagger UI drawn from the app's own OpenAPI document. Nothing is
// fetched from elsewhere: the document is this site's, and the validator badge (which would
// send the document to validator.swagger.io) is off.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-spec"),
    domNode: root,
    validatorUrl: null,
    deepLinking: true,
    tryItOutEnabled: false,
    defaultModelsExpandDepth: 0
  });
}());
