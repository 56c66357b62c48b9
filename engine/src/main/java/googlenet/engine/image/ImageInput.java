package googlenet.engine.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * How an image becomes one image of a model's input batch, as the model was trained: a {@link Preset} for ImageNet-style
 * models, {@link FashionImages} for {@code builtin:d2l-fashion}. Shared by the command line and the Spark transformer.
 */
public interface ImageInput {
    /** The preprocessing's name ({@code torchvision}, {@code caffe}, {@code fashion}). */
    String name();

    /** The side of the square the model sees. */
    int side();

    /** Floats per image. */
    int imageSize();

    /** Images with more pixels, by their header, are refused before decoding. */
    long maxPixels();

    /** Writes a decoded image as image {@code index} of the NCHW batch {@code batch}. */
    void write(Pixels decoded, float[] batch, int index);

    default void load(Path image, float[] batch, int index) throws IOException {
        write(ImageDecoder.read(image, maxPixels()), batch, index);
    }

    /** Decodes an image from a stream ({@code name} names it in errors) into image {@code index} of the batch. */
    default void load(InputStream image, String name, float[] batch, int index) throws IOException {
        write(ImageDecoder.read(image, name, maxPixels()), batch, index);
    }

    /** An ImageNet-style preset: decode, resize the shorter side, centre-crop, normalize. */
    record OfPreset(Preset preset, long maxPixels) implements ImageInput {
        private ImagePreprocessor preprocessor() {
            return new ImagePreprocessor(preset, maxPixels);
        }

        @Override
        public String name() {
            return preset.name();
        }

        @Override
        public int side() {
            return preset.crop();
        }

        @Override
        public int imageSize() {
            return preset.imageSize();
        }

        @Override
        public void write(Pixels decoded, float[] batch, int index) {
            ImagePreprocessor p = preprocessor();
            p.write(p.prepare(decoded), batch, index);
        }
    }
}
