// /docs: Swagger UI over this server's /openapi.json. A file of its own, not an inline script: the page's
// Content-Security-Policy runs only this server's scripts.
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // no validator badge: it would send the document to validator.swagger.io
  validatorUrl: null,
  // "Try it out" calls this server; the key typed into "Authorize" stays in this page only
  persistAuthorization: false,
});
