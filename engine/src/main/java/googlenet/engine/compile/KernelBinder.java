package googlenet.engine.compile;

import googlenet.graph.Node;
import googlenet.kernels.BlockedTensor;
import googlenet.kernels.Kernel;
import googlenet.kernels.PlainTensor;

import java.util.List;

/** Makes the kernel of a step once the planner knows where its tensors live: the seam between plan and kernels. */
public interface KernelBinder {
    /** The kernel computing {@code node} from {@code inputs} into {@code output}. */
    Kernel compute(Node node, List<BlockedTensor> inputs, BlockedTensor output);

    /**
     * Whether {@code node}'s kernel can read the network's input plain (NCHW), as the caller gave it: then, when the
     * input feeds only that node, it is never packed (see {@link #computeFromPlain}).
     */
    boolean readsPlainInput(Node node);

    /** The kernel computing {@code node} from the plain NCHW {@code input} (only where {@link #readsPlainInput}). */
    Kernel computeFromPlain(Node node, PlainTensor input, BlockedTensor output);

    /** Reads a plain NCHW float32 tensor at {@code plainOffset} (bytes) and writes it blocked. */
    Kernel packInput(long plainOffset, BlockedTensor output);

    /** Writes {@code input} as plain NCHW (or N×F) float32 at {@code plainOffset}. */
    Kernel unpackOutput(BlockedTensor input, long plainOffset);

    /** Copies {@code input} into channels {@code [channelOffset, channelOffset + C)} of {@code output}. */
    Kernel copyChannels(BlockedTensor input, BlockedTensor output, int channelOffset);
}
