package googlenet.cli;

import googlenet.engine.image.ImagePreprocessor;
import googlenet.engine.image.Preset;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** How a classifying command turns an image file or body into one image of the model's input batch. */
interface ImageInput {
    /** The preprocessing's name ({@code torchvision}, {@code caffe}, {@code fashion}). */
    String name();

    /** The side of the square the model sees. */
    int side();

    /** Floats per image. */
    int imageSize();

    void load(Path image, float[] batch, int index) throws IOException;

    void load(InputStream image, String name, float[] batch, int index) throws IOException;

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
        public void load(Path image, float[] batch, int index) throws IOException {
            preprocessor().load(image, batch, index);
        }

        @Override
        public void load(InputStream image, String name, float[] batch, int index) throws IOException {
            preprocessor().load(image, name, batch, index);
        }
    }
}
