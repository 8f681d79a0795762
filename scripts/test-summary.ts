/** Prints vitest's JSON report as the one line CI reads: "tests: N passed, N failed, N skipped". */
import { readFile } from 'node:fs/promises';

const path = process.argv[2] ?? 'results/vitest.json';
const report = JSON.parse(await readFile(path, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
process.stdout.write(`tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests + report.numTodoTests} skipped\n`);
