// Loaded first: counts every script error and console.error on <body data-errors> (a test
// reads it), and keeps the first message in data-first-error.
'use strict';
(function () {
  function count(message) {
    const body = document.body;
    if (!body) return;
    body.dataset.errors = String(Number(body.dataset.errors || 0) + 1);
    if (!body.dataset.firstError) body.dataset.firstError = String(message).slice(0, 200);
  }
  window.addEventListener('error', function (event) { count(event.message); });
  window.addEventListener('unhandledrejection', function (event) { count(event.reason); });
  const original = console.error.bind(console);
  console.error = function () { count(Array.from(arguments).join(' ')); original.apply(null, arguments); };
})();
