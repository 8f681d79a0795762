// Moved to src/lab/leftovers.ts (the soak bench uses it too); kept for the kind tests' imports.
export { leftovers, nothingLeft } from '../../src/lab/leftovers.ts';
