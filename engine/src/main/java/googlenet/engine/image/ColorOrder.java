package googlenet.engine.image;

/** The channels a preset feeds the network, in order. */
public enum ColorOrder {
    RGB(3),
    BGR(3),
    /** One channel by PIL's {@code convert('L')}: L = (19595 R + 38470 G + 7471 B + 2¹⁵) >> 16, i.e. R·299/1000 + G·587/1000 + B·114/1000 rounded. */
    GRAY(1);

    private final int channels;

    ColorOrder(int channels) {
        this.channels = channels;
    }

    public int channels() {
        return channels;
    }
}
