// `npm run test:e2e`: the tests that run the CLI, other processes or a browser (test/support/suites.cjs says which).
'use strict';
module.exports = { ...require('./.mocharc.json'), spec: require('./test/support/suites.cjs').suite('e2e') };
