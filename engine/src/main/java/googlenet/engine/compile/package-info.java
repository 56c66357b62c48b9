/**
 * From a graph to a runnable plan, once per model and batch size: the inference passes ({@code passes}), one step per
 * computing node, every tensor placed in one arena by its lifetime ({@link googlenet.engine.compile.ArenaPlanner}), the
 * weights packed at model load and each step bound to its kernel ({@link googlenet.engine.compile.EngineKernels}), the
 * packed weights kept between processes ({@link googlenet.engine.compile.WeightCache}). Internal to the engine.
 */
package googlenet.engine.compile;
