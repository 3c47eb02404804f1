// Test files named on the command line run alone (`npx mocha test/x.test.ts`); with none, the whole suite runs.
const named = process.argv.slice(2).some((arg) => /\.test\.ts$/.test(arg));
module.exports = { 'node-option': ['import=tsx'], spec: named ? [] : ['test/**/*.test.ts'], exit: true, timeout: 30000 };
