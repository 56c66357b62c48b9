package googlenet.engine.compile;

import googlenet.engine.plan.Plan;
import googlenet.kernels.Kernel;

import java.util.List;

/**
 * A plan with its kernels bound: step i of {@link Plan#steps()} runs {@code kernels.get(i)}. Running it is a loop over
 * the kernels, a level's at once (see {@link googlenet.engine.runtime.StepLoop}), and nothing else.
 */
public record CompiledPlan(Plan plan, List<Kernel> kernels) {
    public CompiledPlan {
        kernels = List.copyOf(kernels);
        if (kernels.size() != plan.steps().size()) {
            throw new IllegalArgumentException(kernels.size() + " kernels for " + plan.steps().size() + " steps");
        }
    }
}
