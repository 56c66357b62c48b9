/**
 * What a compiled plan does, for reports and tools: its steps (node, op, kernel, the arena ranges each reads and
 * writes), the arena against its lower bound, and how each concat was placed. {@code Model.plan(batch)} returns it.
 */
package googlenet.engine.plan;
