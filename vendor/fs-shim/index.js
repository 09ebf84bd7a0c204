// `require('fs')` resolves to Node's built-in module before node_modules anyway; this package only
// satisfies epcis2.js's dependency on the registry's `fs@0.0.1-security` placeholder.
module.exports = require('node:fs');
