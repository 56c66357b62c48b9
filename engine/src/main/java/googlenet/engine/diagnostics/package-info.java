/**
 * What the engine measures about itself and the machine: warm-up to the JIT's steady state, the JIT's progress, the
 * round trip between two cores, the string constants a run's code resolves. Exported to the command line only.
 */
package googlenet.engine.diagnostics;
