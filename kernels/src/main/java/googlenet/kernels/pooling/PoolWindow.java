package googlenet.kernels.pooling;

import static googlenet.kernels.pooling.PoolSupport.check;

/**
 * The window of a max or average pooling: output (oy, ox) covers input rows {@code oy·strideH − padTop + [0, kernelH)}
 * and columns {@code ox·strideW − padLeft + [0, kernelW)}.
 */
record PoolWindow(int kernelH, int kernelW, int strideH, int strideW, int padTop, int padLeft, int padBottom,
                  int padRight) {
    PoolWindow {
        check(kernelH > 0 && kernelW > 0 && strideH > 0 && strideW > 0, "kernel and stride must be positive");
        check(padTop >= 0 && padLeft >= 0 && padBottom >= 0 && padRight >= 0, "padding must be non-negative");
    }

    /** "3×3 /2×2 pad [0,0,1,1]". */
    String describe() {
        return kernelH + "×" + kernelW + " /" + strideH + "×" + strideW + " pad [" + padTop + "," + padLeft + ","
                + padBottom + "," + padRight + "]";
    }
}
