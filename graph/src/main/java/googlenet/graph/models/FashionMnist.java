package googlenet.graph.models;

import googlenet.graph.io.FormatException;
import googlenet.graph.io.Idx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The Fashion-MNIST test set: 28×28 grayscale images of ten kinds of clothing, as Debian's {@code dataset-fashion-mnist}
 * installs them ({@code t10k-images-idx3-ubyte.gz}, {@code t10k-labels-idx1-ubyte.gz}) or as unpacked IDX files.
 */
public final class FashionMnist {
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final int SIDE = 28;
    /** Where Debian's package {@code dataset-fashion-mnist} puts the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String HOW_TO_GET = "install Debian's package dataset-fashion-mnist (apt-get install dataset-fashion-mnist), "
            + "or give --data DIR with t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]";
    static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
    static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

    private FashionMnist() {
    }

    /** Test images (count × 28 × 28 bytes, 0 = black background) with their labels (0–9). */
    public record TestSet(Idx.Array images, byte[] labels) {
        public int size() {
            return labels.length;
        }

        public int label(int i) {
            return labels[i];
        }

        /** The first {@code n} images. */
        public TestSet first(int n) {
            if (n >= size()) return this;
            int[] dims = images.dims();
            dims[0] = n;
            return new TestSet(new Idx.Array(images.source(), dims, Arrays.copyOf(images.data(), n * SIDE * SIDE)), Arrays.copyOf(labels, n));
        }
    }

    /** Whether {@code dir} holds the test set's two files (gzip-compressed or not). */
    public static boolean present(Path dir) {
        return find(dir, TEST_IMAGES) != null && find(dir, TEST_LABELS) != null;
    }

    /**
     * Reads the test set from {@code dir}, checking that the images are N × 28 × 28, the labels N values in 0–9.
     *
     * @throws FormatException if a file is missing or malformed, or the counts differ
     */
    public static TestSet readTestSet(Path dir) throws IOException {
        return testSet(Idx.read(require(dir, TEST_IMAGES)), Idx.read(require(dir, TEST_LABELS)));
    }

    /** Images and labels as a test set, checked as {@link #readTestSet} checks them. */
    public static TestSet testSet(Idx.Array images, Idx.Array labels) throws FormatException {
        if (images.rank() != 3 || images.dim(1) != SIDE || images.dim(2) != SIDE) {
            throw new FormatException(images.source() + ": images of shape " + Arrays.toString(images.dims()) + "; expected [N, 28, 28]");
        }
        if (labels.rank() != 1) throw new FormatException(labels.source() + ": labels of shape " + Arrays.toString(labels.dims()) + "; expected [N]");
        if (labels.dim(0) != images.dim(0)) {
            throw new FormatException(images.source() + ", " + labels.source() + ": " + images.dim(0) + " images but " + labels.dim(0) + " labels");
        }
        byte[] l = labels.data();
        for (int i = 0; i < l.length; i++) {
            if ((l[i] & 0xff) >= CLASSES.size()) throw new FormatException(labels.source() + ": label " + (l[i] & 0xff) + " at index " + i + "; expected 0 to 9");
        }
        return new TestSet(images, l);
    }

    private static Path require(Path dir, String name) throws IOException {
        if (!Files.isDirectory(dir)) throw new java.io.FileNotFoundException(dir + ": no such directory (" + HOW_TO_GET + ")");
        Path p = find(dir, name);
        if (p == null) throw new java.io.FileNotFoundException(dir + ": neither " + name + ".gz nor " + name + " is there (" + HOW_TO_GET + ")");
        return p;
    }

    private static Path find(Path dir, String name) {
        for (Path p : List.of(dir.resolve(name + ".gz"), dir.resolve(name))) {
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }
}
