// `npm run test:unit`: the quick in-process tests (test/support/suites.cjs says which).
'use strict';
module.exports = { ...require('./.mocharc.json'), spec: require('./test/support/suites.cjs').suite('unit') };
