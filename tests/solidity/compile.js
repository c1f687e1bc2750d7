// Standard-JSON front end of the pinned solcjs (package.json): reads the compiler input on stdin
// and writes the compiler output on stdout, nothing else. Used by tests/src/solidity.rs.
'use strict';
const solc = require('solc');
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  process.stdout.write(solc.compile(Buffer.concat(chunks).toString('utf8')));
});
