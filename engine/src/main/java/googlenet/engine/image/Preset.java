package googlenet.engine.image;

import googlenet.graph.Graph;

import java.util.Arrays;
import java.util.List;

/**
 * How an image becomes a network input: the shorter side resized to {@code resize} (the longer one in proportion),
 * the centred {@code crop × crop} window, then per channel {@code (pixel / divisor - mean[c]) / std[c]} in float32 —
 * the order of operations of torchvision's {@code ToTensor} and {@code Normalize}.
 *
 * @param colorOrder the channels the network takes, in order
 * @param divisor    255 for inputs in [0, 1], 1 for inputs in 0–255
 * @param mean       one value per channel, in {@code colorOrder}
 * @param std        one value per channel, in {@code colorOrder}
 */
public record Preset(String name, ColorOrder colorOrder, int resize, int crop, float divisor, float[] mean, float[] std) {
    /** torchvision's ImageNet models: RGB in [0, 1], normalized by the ImageNet mean and standard deviation. */
    public static final Preset TORCHVISION = new Preset("torchvision", ColorOrder.RGB, 256, 224, 255f,
            new float[]{0.485f, 0.456f, 0.406f}, new float[]{0.229f, 0.224f, 0.225f});
    /** BVLC's Caffe GoogLeNet (and the ONNX model zoo's googlenet): BGR in 0–255 minus the ImageNet mean. */
    public static final Preset CAFFE = new Preset("caffe", ColorOrder.BGR, 256, 224, 1f,
            new float[]{104f, 117f, 123f}, new float[]{1f, 1f, 1f});
    public static final List<Preset> BUILTIN = List.of(TORCHVISION, CAFFE);
    private static final String CAFFE_INPUT = "data_0";

    public Preset {
        if (crop < 1 || resize < crop) throw new IllegalArgumentException("preset '" + name + "': need 1 ≤ crop ≤ resize, got resize "
                + resize + ", crop " + crop);
        if (!(divisor > 0)) throw new IllegalArgumentException("preset '" + name + "': divisor must be > 0, got " + divisor);
        if (mean.length != colorOrder.channels() || std.length != colorOrder.channels()) {
            throw new IllegalArgumentException("preset '" + name + "': " + colorOrder + " needs " + colorOrder.channels()
                    + " means and standard deviations, got " + mean.length + " and " + std.length);
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** A builtin preset by name ({@code torchvision}, {@code caffe}). */
    public static Preset named(String name) {
        return BUILTIN.stream().filter(p -> p.name.equals(name)).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "unknown preset '" + name + "'; known: " + String.join(", ", BUILTIN.stream().map(Preset::name).toList())));
    }

    /** The preset a builtin network takes: caffe for {@code bvlc}, torchvision for the others. */
    public static Preset forBuiltin(String builtinName) {
        return builtinName.equals("bvlc") ? CAFFE : TORCHVISION;
    }

    /** The preset an imported model takes: caffe when its input is named {@code data_0} (the ONNX zoo's Caffe GoogLeNet), else torchvision. */
    public static Preset forOnnx(Graph model) {
        return model.inputs().getFirst().name().equals(CAFFE_INPUT) ? CAFFE : TORCHVISION;
    }

    public int channels() {
        return colorOrder.channels();
    }

    /** Floats one image takes: channels × crop × crop. */
    public int imageSize() {
        return channels() * crop * crop;
    }

    /** The same preset at another size. */
    public Preset withSize(int newResize, int newCrop) {
        return new Preset(name, colorOrder, newResize, newCrop, divisor, mean, std);
    }

    /** The shorter side before cropping {@code side}, in this preset's proportion (256 for 224). */
    public int resizeFor(int side) {
        return (int) ((long) side * resize / crop);
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preset p && name.equals(p.name) && colorOrder == p.colorOrder && resize == p.resize && crop == p.crop
                && Float.compare(divisor, p.divisor) == 0 && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std);
    }

    @Override
    public int hashCode() {
        return ((name.hashCode() * 31 + colorOrder.hashCode()) * 31 + resize) * 31 + crop + 7 * Arrays.hashCode(mean) + 11 * Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Preset[" + name + ", " + colorOrder + ", resize " + resize + ", crop " + crop + ", ÷" + divisor + ", mean "
                + Arrays.toString(mean) + ", std " + Arrays.toString(std) + "]";
    }
}
