/**
 * Running a compiled plan: the step loop a session drives over its arena, and the model's worker threads that share
 * each step's tasks. Internal to the engine.
 */
package googlenet.engine.runtime;
