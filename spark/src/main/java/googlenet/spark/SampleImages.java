package googlenet.spark;

import googlenet.graph.models.D2lFashion;
import googlenet.graph.models.FashionMnist;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The Fashion-MNIST test images shipped with the engine (500) as grayscale PNG files, to try and measure the job
 * without a dataset: {@code SampleImages DIR [COUNT] [SIDE]} writes {@code sample-00000.png}…, the samples repeated
 * beyond 500, scaled from 28×28 to SIDE×SIDE by pixel repetition.
 */
public final class SampleImages {
    private SampleImages() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 3 || args[0].startsWith("-")) {
            System.err.println("usage: SampleImages DIR [COUNT (default 500)] [SIDE (default 28)]");
            System.exit(2);
        }
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 500;
        int side = args.length > 2 ? Integer.parseInt(args[2]) : FashionMnist.SIDE;
        System.out.println("wrote " + write(Path.of(args[0]), count, side).size() + " PNG files to " + args[0]);
    }

    /** Writes {@code count} samples as {@code side}×{@code side} PNG files into {@code dir}; returns them in sample order. */
    public static List<Path> write(Path dir, int count, int side) throws IOException {
        if (count < 1 || side < FashionMnist.SIDE) throw new IllegalArgumentException("need COUNT ≥ 1 and SIDE ≥ 28, got " + count + ", " + side);
        FashionMnist.TestSet samples = D2lFashion.shipped().samples();
        byte[] pixels = samples.images().data();
        int n = FashionMnist.SIDE * FashionMnist.SIDE;
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int first = (i % samples.size()) * n;
            BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int v = pixels[first + (y * FashionMnist.SIDE / side) * FashionMnist.SIDE + x * FashionMnist.SIDE / side] & 0xff;
                    image.getRaster().setSample(x, y, 0, v);
                }
            }
            Path file = dir.resolve(String.format("sample-%05d.png", i));
            if (!ImageIO.write(image, "png", file.toFile())) throw new IOException("no PNG writer in this JDK");
            files.add(file);
        }
        return files;
    }
}
