package googlenet.kernels.conv;

import googlenet.kernels.BlockedTensor;

import java.lang.foreign.ValueLayout;

/**
 * {@link Conv2dWinograd} in plain Java, lane by lane: the fallback without the Vector API and the twin the vector
 * kernel is tested against bitwise. Each lane does exactly the float operations of {@link Conv2dWinogradVector}
 * ({@code Math.fma} where it fuses), in the same order.
 */
final class Conv2dWinogradScalar extends Conv2dWinograd {
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED;

    Conv2dWinogradScalar(ConvGeometry g, WinogradWeights w, boolean relu, BlockedTensor in, BlockedTensor out) {
        super(g, w, relu, in, out);
    }

    @Override
    String flavour() {
        return "scalar";
    }

    @Override
    void inputColumn(long src, long ss, long dst, long ds) {
        for (long l = 0; l < PIX; l += Float.BYTES) {
            float d0 = get(src + l);
            float d1 = get(src + ss + l);
            float d2 = get(src + 2 * ss + l);
            float d3 = get(src + 3 * ss + l);
            float d4 = get(src + 4 * ss + l);
            float d5 = get(src + 5 * ss + l);
            float a = Math.fma(d2, -4f, d4);
            float b = Math.fma(d1, -4f, d3);
            float c = d4 - d2;
            float e = (d3 - d1) * 2f;
            set(dst + l, Math.fma(d0, 4f, Math.fma(d2, -5f, d4)));
            set(dst + ds + l, a + b);
            set(dst + 2 * ds + l, a - b);
            set(dst + 3 * ds + l, c + e);
            set(dst + 4 * ds + l, c - e);
            set(dst + 5 * ds + l, Math.fma(d1, 4f, Math.fma(d3, -5f, d5)));
        }
    }

    @Override
    void multiply(long v, long u, long m, int icBlocks, int blocks) {
        for (int b = 0; b < blocks; b++) {
            for (int p = 0; p < P; p++) {
                for (long l = 0; l < PIX; l += Float.BYTES) {
                    float acc = 0f;
                    for (int ic = 0; ic < icBlocks * C; ic++) {
                        float x = get(v + (long) (ic / C) * P * PIX + p * PIX + (ic % C) * Float.BYTES);
                        acc = Math.fma(x, get(u + ((long) ic * blocks + b) * PIX + l), acc);
                    }
                    set(m + (b * P + p) * XI * PIX + l, acc);
                }
            }
        }
    }

    @Override
    void outputRow(long s, long bias, long row, int cols) {
        for (long l = 0; l < PIX; l += Float.BYTES) {
            float p12 = get(s + PIX + l) + get(s + 2 * PIX + l);
            float d12 = get(s + PIX + l) - get(s + 2 * PIX + l);
            float p34 = get(s + 3 * PIX + l) + get(s + 4 * PIX + l);
            float d34 = get(s + 3 * PIX + l) - get(s + 4 * PIX + l);
            float b = get(bias + l);
            set(row + l, Math.max(get(s + l) + p12 + p34 + b, floor));
            if (cols > 1) set(row + PIX + l, Math.max(Math.fma(d34, 2f, d12) + b, floor));
            if (cols > 2) set(row + 2 * PIX + l, Math.max(Math.fma(p34, 4f, p12) + b, floor));
            if (cols > 3) set(row + 3 * PIX + l, Math.max(Math.fma(d34, 8f, d12) + get(s + 5 * PIX + l) + b, floor));
        }
    }

    @Override
    void outputColumn(long src, long ss, long dst, long ds) {
        for (long l = 0; l < PIX; l += Float.BYTES) {
            float p12 = get(src + ss + l) + get(src + 2 * ss + l);
            float d12 = get(src + ss + l) - get(src + 2 * ss + l);
            float p34 = get(src + 3 * ss + l) + get(src + 4 * ss + l);
            float d34 = get(src + 3 * ss + l) - get(src + 4 * ss + l);
            set(dst + l, get(src + l) + p12 + p34);
            set(dst + ds + l, Math.fma(d34, 2f, d12));
            set(dst + 2 * ds + l, Math.fma(p34, 4f, p12));
            set(dst + 3 * ds + l, Math.fma(d34, 8f, d12) + get(src + 5 * ss + l));
        }
    }

    private static float get(long address) {
        return ALL.get(F, address);
    }

    private static void set(long address, float value) {
        ALL.set(F, address, value);
    }
}
